"""Paper: the printed book's trim size and bleed, read from the config's words.

``trim`` is a named size (``letter``, ``a4``, ``a5``, ``6x9in``, ``7x10in``) or a width and
a height with units (``150mm x 220mm``, ``5.5 x 8.5in``, ``148 × 210 mm``); ``bleed`` is one
length (``3mm``, ``0.125in``, ``0``). Both become millimetres for checks and CSS lengths for
WeasyPrint's ``@page { size; bleed }``. A value that cannot be read raises ``ValueError``
with a message that says what is expected; the config turns it into an error naming the key.
"""

from __future__ import annotations

import re

MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}
NAMED_TRIMS = {"letter": (215.9, 279.4), "a4": (210.0, 297.0), "a5": (148.0, 210.0),
               "6x9in": (152.4, 228.6), "7x10in": (177.8, 254.0)}
# A book smaller than a playing card or larger than A2 is a typing mistake, not a book.
SMALLEST_MM, LARGEST_MM = 50.0, 600.0
LARGEST_BLEED_MM = 25.0

_NUMBER = r"(\d*[.,]?\d+)"  # 3, 3.5, 0,125, .125
_UNIT = r"(mm|cm|in|pt)"
_CUSTOM = re.compile(rf"^{_NUMBER}\s*{_UNIT}?\s*[x×]\s*{_NUMBER}\s*{_UNIT}$")
_LENGTH = re.compile(rf"^{_NUMBER}\s*{_UNIT}?$")


def _millimetres(number: str, unit: str) -> float:
    return float(number.replace(",", ".")) * MM_PER_UNIT[unit]


def trim_size(text: str) -> tuple[float, float]:
    """Width and height in millimetres of a named or custom trim."""
    key = text.strip().lower().replace(" ", "")
    if key in NAMED_TRIMS:
        return NAMED_TRIMS[key]
    match = _CUSTOM.match(text.strip().lower())
    if not match:
        raise ValueError(f"'{text}' is not a page size: use one of {', '.join(NAMED_TRIMS)} or a width and "
                         "height with units, such as '150mm x 220mm' or '5.5 x 8.5in'")
    width_number, width_unit, height_number, height_unit = match.groups()
    width = _millimetres(width_number, width_unit or height_unit)
    height = _millimetres(height_number, height_unit)
    for side in (width, height):
        if not SMALLEST_MM <= side <= LARGEST_MM:
            raise ValueError(f"'{text}': each side must be between {SMALLEST_MM:.0f} and {LARGEST_MM:.0f} mm")
    return round(width, 2), round(height, 2)


def bleed_size(text: str) -> float:
    """The bleed in millimetres; a bare 0 is no bleed."""
    match = _LENGTH.match(str(text).strip().lower())
    if not match or (match.group(2) is None and float(match.group(1).replace(",", ".")) != 0):
        raise ValueError(f"'{text}' is not a bleed: write a length with its unit, such as '3mm' or '0.125in'")
    bleed = _millimetres(match.group(1), match.group(2) or "mm")
    if bleed > LARGEST_BLEED_MM:
        raise ValueError(f"'{text}': a bleed is at most {LARGEST_BLEED_MM:.0f} mm")
    return round(bleed, 3)


def css_length(millimetres: float) -> str:
    return f"{millimetres:g}mm"
