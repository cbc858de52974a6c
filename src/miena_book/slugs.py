"""ASCII slugs: file names of artifacts, ids of sections, names of type partials."""

from __future__ import annotations

import re
import unicodedata


def ascii_slug(text: str, limit: int = 80, fallback: str = "x") -> str:
    """``Modèle CLOM (xMOOC)`` -> ``modele-clom-xmooc``: lower-case ASCII words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-") or fallback
