"""miena-book: compile an Obsidian knowledge vault into one handbook.

The public API is small: `load_vault` reads a vault into notes, `check_vault` also lays out
the book and reports what is wrong, `load_config` reads ``book.yml``.
"""

__version__ = "0.1.0"

from .config import BookConfig, load_config  # noqa: E402
from .pipeline import check_vault, load_vault  # noqa: E402

__all__ = ["BookConfig", "__version__", "check_vault", "load_config", "load_vault"]
