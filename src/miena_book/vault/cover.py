"""The configured cover image, read from the vault: the vault and the ``cover:`` setting in,
the image's bytes and suffix (or nothing) and the diagnostics out.

The cover is read only when its real path is inside the vault (``vault.paths``), it is a
PNG or JPEG file whose content is the image its name says, and it is under the asset
size cap. When it cannot be used, a warning says why and the EPUB writer draws a cover
from the title instead (``export.cover.drawn_cover``); the exporters never open a vault
file themselves.
"""

from __future__ import annotations

import io
import os

from PIL import Image

from ..assets import MAX_ASSET_BYTES
from ..diagnostics import Diagnostic, warning
from .paths import vault_file

_ACCEPTED = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


class _Refused(Exception):
    """The configured cover cannot be used; the message says why."""


def read_cover(vault_dir: str, cover_setting: str | None) -> tuple[bytes | None, str, list[Diagnostic]]:
    """The configured cover's bytes and suffix (``".png"`` or ``".jpg"``), confined to the vault;
    ``(None, "", [])`` when no cover is configured, ``(None, "", [warning])`` when it is refused."""
    if not cover_setting:
        return None, "", []
    try:
        data, suffix = _read(vault_dir, cover_setting)
    except _Refused as exc:
        return None, "", [warning("epub.cover", f"{exc}; a cover is drawn from the title instead", "book.yml")]
    return data, suffix, []


def _read(vault_dir: str, rel_path: str) -> tuple[bytes, str]:
    full, why_not = vault_file(vault_dir, rel_path, MAX_ASSET_BYTES)
    if full is None:
        raise _Refused(f"cover '{rel_path}' {why_not}")
    suffix = os.path.splitext(full)[1].lower()
    if suffix not in _ACCEPTED:
        raise _Refused(f"cover '{rel_path}' must be a PNG or JPEG image")
    with open(full, "rb") as handle:
        data = handle.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != _ACCEPTED[suffix]:
                raise _Refused(f"cover '{rel_path}' is not the {_ACCEPTED[suffix]} image its name says")
    except (OSError, Image.DecompressionBombError) as exc:
        raise _Refused(f"cover '{rel_path}' cannot be read as an image: {exc}") from None
    return data, ".jpg" if suffix == ".jpeg" else suffix
