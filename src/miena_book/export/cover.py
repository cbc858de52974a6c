"""Cover: the EPUB's cover image: the configured image's bytes when given, else one drawn from the title.

The configured image is read from the vault by ``vault.cover.read_cover`` (confined,
checked, capped); this module only takes its bytes. The drawn cover is a 1600 × 2560 PNG
(the proportions e-book shops ask for): the title, subtitle and authors set in DejaVu
Sans on a plain colour field. It is drawn with Pillow, which WeasyPrint already depends
on; the same input gives the same bytes. This module opens no file of the vault.
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 2560
MARGIN = 150
BACKGROUND = (42, 31, 74)       # the deep violet of the print headings' accents
ACCENT = (198, 176, 240)
INK = (255, 255, 255)
_FONT_FILES = {  # Debian's fonts-dejavu-core, found by fontconfig when installed elsewhere
    "bold": ("DejaVu Sans:bold", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    "regular": ("DejaVu Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
}


@dataclass(frozen=True)
class Cover:
    data: bytes
    suffix: str  # ".png" or ".jpg"


def drawn_cover(title: str, subtitle: str | None, authors: list[str]) -> Cover:
    """A typographic cover: title, a rule, subtitle; authors at the foot."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN
    y = 620
    title_font = _fitting_font("bold", title, text_width, draw, sizes=(140, 120, 104, 92, 80))
    for line in _wrap(title, title_font, text_width, draw):
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += int(title_font.size * 1.18)
    y += 50
    draw.rectangle((MARGIN, y, MARGIN + 260, y + 14), fill=ACCENT)
    y += 90
    if subtitle:
        subtitle_font = _font("regular", 64)
        for line in _wrap(subtitle, subtitle_font, text_width, draw):
            draw.text((MARGIN, y), line, font=subtitle_font, fill=ACCENT)
            y += int(subtitle_font.size * 1.3)
    if authors:
        author_font = _font("regular", 60)
        lines = _wrap(" · ".join(authors), author_font, text_width, draw)
        y = HEIGHT - MARGIN - len(lines) * int(author_font.size * 1.3)
        for line in lines:
            draw.text((MARGIN, y), line, font=author_font, fill=INK)
            y += int(author_font.size * 1.3)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return Cover(out.getvalue(), ".png")


@functools.lru_cache(maxsize=None)
def _font_file(style: str) -> str | None:
    pattern, debian_path = _FONT_FILES[style]
    if os.path.isfile(debian_path):
        return debian_path
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return found.stdout.strip() or None


def _font(style: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = _font_file(style)
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def _fitting_font(style: str, text: str, width: int, draw: ImageDraw.ImageDraw, sizes: tuple[int, ...]):
    """The largest size at which the title takes at most four lines and no word overflows."""
    for size in sizes:
        font = _font(style, size)
        lines = _wrap(text, font, width, draw)
        if len(lines) <= 4 and all(draw.textlength(line, font=font) <= width for line in lines):
            return font
    return _font(style, sizes[-1])


def _wrap(text: str, font, width: int, draw: ImageDraw.ImageDraw) -> list[str]:
    """Greedy line breaking on spaces; a word wider than the line is cut by characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while draw.textlength(current, font=font) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and draw.textlength(current[:cut], font=font) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines
