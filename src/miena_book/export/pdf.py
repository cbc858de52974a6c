"""PDF: the print HTML (``templates/print.html.j2``) laid out by WeasyPrint with ``styles/print.css``.

The body is pandoc's ``html5`` fragment of the finished AST; the template adds the title
page and the table of contents (page numbers and leaders come from the stylesheet). The
page size and where chapters start come from the config, as a small stylesheet of their own.

WeasyPrint is given a URL fetcher that accepts only ``data:`` URLs: every image was inlined
from inside the vault by the assets stage, and stylesheets are passed as strings, so the
layout never reads a file or touches the network whatever a note says. Its warnings are
reported: a character no installed font can draw as ``pdf.glyph`` with the note and line
where it is written, anything else (a stylesheet rule it ignores) as ``pdf.layout``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ..diagnostics import Diagnostic, warning
from . import pandoc
from .ast import rewrite
from .math import formulas_as_svg

PAGE_SIZES = {"letter": "letter", "a4": "A4", "a5": "A5", "6x9in": "6in 9in"}


def page_size(config) -> str:
    if config.page_size != "auto":
        return PAGE_SIZES[config.page_size]
    return "letter" if config.language in ("fr-CA", "en-US") else "A4"


@dataclass(frozen=True)
class PrintDocument:
    html: str
    page_css: str


def footnotes_in_place(ast: dict) -> dict:
    """Each footnote as a span where it is called, for CSS ``float: footnote``: WeasyPrint
    then sets it at the foot of that page (pandoc's HTML would gather them at the end)."""
    def inlines_of(blocks: list) -> list:
        out: list = []
        for block in blocks:
            if block.get("t") in ("Para", "Plain"):
                out += ([{"t": "Space"}] if out else []) + block["c"]
            elif block.get("t") in ("BulletList", "OrderedList"):
                items = block["c"] if block["t"] == "BulletList" else block["c"][1]
                for item in items:
                    out += ([{"t": "Space"}] if out else []) + inlines_of(item)
            elif block.get("t") in ("BlockQuote", "Div"):
                out += ([{"t": "Space"}] if out else []) + inlines_of(block["c"] if block["t"] == "BlockQuote"
                                                                     else block["c"][1])
            elif block.get("t") == "CodeBlock":
                out += ([{"t": "Space"}] if out else []) + [{"t": "Code", "c": block["c"]}]
        return out

    def in_place(node: dict):
        if node.get("t") != "Note":
            return None
        return {"t": "Span", "c": [["", ["footnote"], []], rewrite(inlines_of(node["c"]), in_place)]}

    return {**ast, "blocks": rewrite(ast["blocks"], in_place)}


def glyph_warnings(characters: list[str], notes) -> list[Diagnostic]:
    """A ``pdf.glyph`` warning per character WeasyPrint drew as a box, naming the first
    note and line where it is written."""
    found = []
    for character in characters:
        where, line = _first_use(character, notes)
        found.append(warning("pdf.glyph", f"no installed font can draw '{character}' (U+{ord(character):04X}); "
                                          "the PDF shows a box instead", where, line))
    return found


def _first_use(character: str, notes) -> tuple[str | None, int | None]:
    for note in notes:
        position = note.body.find(character)
        if position >= 0:
            return note.path, note.body_line + note.body.count("\n", 0, position)
        if character in note.title:
            return note.path, None
    return None, None


def print_document(ast: dict, book: dict, items, env, config, diagnostics: list[Diagnostic]) -> PrintDocument:
    # --wrap=none: WeasyPrint keeps a source line break inside a footnote as a break
    fragment = pandoc.write(footnotes_in_place(formulas_as_svg(ast, diagnostics)), "html5",
                            ["--wrap=none"]).decode("utf-8")
    toc = [{"title": c.title, "anchor": c.anchor, "level": c.level} for c in items if c.level <= 3]
    if book.get("bibliography"):
        toc.append({"title": book["words"]["references"], "anchor": "references", "level": 1})
    html = env.get_template("print.html.j2").render(book=book, toc=toc, body=fragment)
    page_css = f"@page {{ size: {page_size(config)}; }}\n"
    if config.chapter_start == "right":
        page_css += ".toc, h1.note { break-before: right; }\n"
    return PrintDocument(html, page_css)


def data_only_fetcher():
    """WeasyPrint's URL fetcher, refusing everything but ``data:`` URLs."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False)


_INTERNAL_LINK = re.compile(r'<a href="#([^"]+)"')
_PLACEHOLDER_PAGE = "000"  # as wide as most page numbers, so the first layout is close to the last
MAX_LAYOUTS = 4


def with_page_numbers(html: str, pages: dict[str, int]) -> str:
    """Every internal link carries its target's page as ``data-page`` (read by the stylesheet)."""
    return _INTERNAL_LINK.sub(
        lambda m: f'<a data-page="{pages.get(m.group(1), _PLACEHOLDER_PAGE)}" href="#{m.group(1)}"', html)


def anchor_pages(document) -> dict[str, int]:
    return {anchor: number for number, page in enumerate(document.pages, 1) for anchor in page.anchors}


def write_pdf(html: str, stylesheets: list[str], target: str) -> tuple[list[str], list[str]]:
    """Lay out ``html`` with the given CSS texts and write the PDF to ``target``.

    Cross-references and the table of contents show their target's page. CSS
    ``target-counter()`` does this, but WeasyPrint's cost for it grows with the square of the
    book's length (4x the plain layout at 400 pages, and more beyond); so the book is laid
    out with placeholder numbers, the pages of every anchor are read, the numbers written
    in, and the book laid out again, until no page moves (in practice twice).

    Returns WeasyPrint's warnings: the characters it drew as a box (no font has them), in
    order of first use, and its other messages."""
    from weasyprint import CSS, HTML

    fetcher = data_only_fetcher()
    collected = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collected)
    try:
        css = [CSS(string=text, url_fetcher=fetcher) for text in stylesheets]
        pages: dict[str, int] = {}
        for _ in range(MAX_LAYOUTS):
            collected.reset()  # each layout says it all again: keep the last one's warnings
            document = HTML(string=with_page_numbers(html, pages), url_fetcher=fetcher,
                            base_url="data:,").render(stylesheets=css)
            found = anchor_pages(document)
            if found == pages:
                break
            pages = found
        document.write_pdf(target, custom_metadata=True)
    finally:
        logger.removeHandler(collected)
    return list(dict.fromkeys(collected.missing)), list(dict.fromkeys(collected.messages))


class _Collector(logging.Handler):
    """Sorts WeasyPrint's warnings: missing glyphs apart (their arguments are the character
    and its code point), the rest as text."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.reset()

    def reset(self) -> None:
        self.missing: list[str] = []
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith(".notdef glyph") and record.args and isinstance(record.args[0], str):
            self.missing.append(record.args[0])
        else:
            self.messages.append(record.getMessage())
