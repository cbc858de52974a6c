"""miena-book: compile an Obsidian knowledge vault into one handbook.

The public API is small: `load_vault` reads a vault into notes, `check_vault` also lays out
the book and reports what is wrong, `load_config` reads ``book.yml``.
"""

__version__ = "0.1.0"

__all__ = ["BookConfig", "__version__", "check_vault", "load_config", "load_vault"]

_PUBLIC = {"BookConfig": "config", "load_config": "config", "check_vault": "pipeline", "load_vault": "pipeline"}


def __getattr__(name: str):
    # imported when first asked for: the worker and merge processes, which import a module
    # of the package, need not load the whole pipeline (a tenth of a second each)
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
