"""Paths inside the vault: the one check made before any file of the vault is read.

Notes, images, the cover, bibliography files, styles and templates all come from the vault,
and nothing else may: a name written in a note or the config (``../x``, an absolute path,
a symbolic link pointing out) must not bring a file of the machine into the book. Every
reader asks here for the file's real path, which is given only for a regular file inside
the vault and under the reader's size cap.
"""

from __future__ import annotations

import os


def is_inside(real: str, vault_real: str) -> bool:
    """Whether the resolved path ``real`` is the vault or below it (a vault at / included)."""
    return real == vault_real or real.startswith(vault_real.rstrip(os.sep) + os.sep)


def vault_file(vault_dir: str, rel_path: str, max_bytes: int | None = None) -> tuple[str | None, str | None]:
    """The real path of ``rel_path`` when it is a regular file inside the vault (under
    ``max_bytes``); else None and why, in words that follow the file's name."""
    vault_real = os.path.realpath(vault_dir)
    real = os.path.realpath(os.path.join(vault_real, *rel_path.split("/")))
    if not is_inside(real, vault_real):
        return None, "is outside the vault"
    if not os.path.isfile(real):
        return None, "is not a file in the vault"
    if max_bytes is not None and os.path.getsize(real) > max_bytes:
        return None, f"is larger than {max_bytes // (1024 * 1024)} MiB"
    return real, None
