"""PDF: the print HTML (``templates/print.html.j2``) laid out by WeasyPrint with ``styles/print.css``.

The body is pandoc's ``html5`` fragment of the finished AST; the template adds the title
page and the table of contents (page numbers and leaders come from the stylesheet). The
trim size, bleed, printer's marks and where chapters start come from the config, as a
small stylesheet of their own (``page_css``); so does the output intent of a PDF/X book
(an ICC profile, given to WeasyPrint as a ``data:`` URL).

The book is cut into units (``export.units``), laid out by WeasyPrint workers bounded in
time and memory (``export.workers``, ``export.weasy``) with a URL fetcher that accepts only
``data:`` URLs, and merged (``export.layout``, ``export.merge``). WeasyPrint's warnings are
reported here: a character no
installed font can draw as ``pdf.glyph`` with the note and line where it is written,
an image printed below 300 dpi as ``pdf.resolution``, anything else (a stylesheet rule it
ignores) as ``pdf.layout``.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, replace

from .. import paper
from ..diagnostics import Diagnostic, warning
from ..model import Book
from .ast import has_class, rewrite
from .fragments import write_pieces
from .math import math_pictures
from .typography import typeset_text
from .units import (BODY_MARK, CHARACTERS_PER_PAGE, UNIT_MARK, PrintPage, Unit, cut_page, marked_blocks,
                    placeholder_for, split_units, with_page_numbers)
from .workers import LayoutError  # noqa: F401  (the pipeline catches it from here)

MARKS_ROOM_MM = 10.0  # paper beyond the bleed for the printer's marks


def trim(config) -> tuple[float, float]:
    """The trimmed page in millimetres; 'auto' is Letter where Letter is the paper in use."""
    if config.trim == "auto":
        return paper.NAMED_TRIMS["letter" if config.language in ("fr-CA", "en-US") else "a4"]
    return paper.trim_size(config.trim)


def page_css(config, output_profile: bytes | None = None) -> str:
    """The stylesheet of the config's page: size, bleed, marks, chapter starts, output intent."""
    width, height = trim(config)
    bleed = paper.bleed_size(config.bleed)
    rules = [f"size: {paper.css_length(width)} {paper.css_length(height)};"]
    if bleed or config.marks:
        # WeasyPrint draws the marks from the sheet's edge over half of its CSS bleed; room
        # beyond the bleed keeps them clear of it (the BleedBox is set to the bleed itself,
        # export/weasy.py)
        room = MARKS_ROOM_MM if config.marks else 0
        rules.append(f"bleed: {paper.css_length(bleed + room)};")
    if config.marks:
        rules.append(f"marks: {' '.join(config.marks)};")
    css = "@page { " + " ".join(rules) + " }\n"
    # the numbering the PDF's page labels and every page reference assume (export/layout.py):
    # front matter i, ii, …, the body from 1, on a right page; each unit sets its first folio
    css += (".toc { page: front; } main { page: body; }\n"
            "@page front { @top-center { content: none; } @bottom-center { content: counter(page, lower-roman); } }\n")
    if config.chapter_start == "right":
        css += ".toc, h1.note { break-before: right; }\n"
    if output_profile is not None:
        encoded = base64.b64encode(output_profile).decode("ascii")
        css += (f"@color-profile device-cmyk {{ src: url(data:application/vnd.iccprofile;base64,{encoded}); "
                "components: cyan magenta yellow black; }\n")
    return css


@dataclass(frozen=True)
class PrintDocument:
    """The print book cut into units (``export.units``), with what laying them out needs."""

    units: list[Unit]
    page: PrintPage  # the print template, cut where the units go
    page_css: str
    variant: str  # the PDF standard, as WeasyPrint names it
    bleed_mm: float
    book_title: str  # for the running heads of the units after the title page
    placeholder: str  # a page number as wide as most real ones
    unit_names: dict[str, str]  # unit name -> the unit and its notes, as an error names them
    characters_per_page: int = CHARACTERS_PER_PAGE

    def whole_html(self, pages: dict[str, str]) -> str:
        """The book as one HTML document, page numbers written in (for a plain layout to
        compare with: the benchmark's)."""
        body = "\n".join(unit.fragment for unit in self.units if not unit.front)
        return (self.page.head + with_page_numbers(self.page.front, pages, self.placeholder) + self.page.main_open
                + with_page_numbers(body, pages, self.placeholder) + self.page.tail)


@dataclass(frozen=True)
class LayoutReport:
    """What laying the book out found (``export.weasy``)."""

    missing: list[str]  # characters drawn as a box, in order of first use
    messages: list[str]  # WeasyPrint's other warnings
    images: list[dict]  # {file, dpi, page}: images printed below 300 dpi
    headings_at_page_end: list[int]
    pages: int
    front_matter: int  # pages numbered in roman figures
    fonts: dict[str, int]  # family -> how many different characters it draws


def _inlines_of(blocks: list) -> list:
    """A footnote's blocks as one run of inlines (it is set as a span where it is called)."""
    out: list = []
    for block in blocks:
        if block.get("t") in ("Para", "Plain"):
            out += ([{"t": "Space"}] if out else []) + block["c"]
        elif block.get("t") in ("BulletList", "OrderedList"):
            items = block["c"] if block["t"] == "BulletList" else block["c"][1]
            for item in items:
                out += ([{"t": "Space"}] if out else []) + _inlines_of(item)
        elif block.get("t") in ("BlockQuote", "Div"):
            out += ([{"t": "Space"}] if out else []) + _inlines_of(block["c"] if block["t"] == "BlockQuote"
                                                                  else block["c"][1])
        elif block.get("t") == "CodeBlock":
            out += ([{"t": "Space"}] if out else []) + [{"t": "Code", "c": block["c"]}]
    return out


def for_print(ast: dict, also=None) -> dict:
    """The AST as the print book sets it, in one pass over it (``also``, another
    replacement function, in the same pass: the formulas' pictures):

    - each footnote as a span where it is called, for CSS ``float: footnote``: WeasyPrint
      then sets it at the foot of that page (pandoc's HTML would gather them at the end);
    - the index's entries: each list of chapter links (``.index-locators``, made by the
      ``index`` stage) becomes an empty ``.index-pages`` span naming the same occurrences,
      which the layout fills with their pages (``export.units.with_page_numbers``);
    - each code block given an id of its own note's (``note-anchor--code-2``);
    - code blocks whose lines hold a long run without a space, printed without colours.
      WeasyPrint cannot break such a run where it crosses the boundary of an inline
      element (its issue #1614), and highlighted code is one element per token: the line
      would run off the page. Without highlighting the block is one run of text, which wraps.
    """
    place = {"note": "book", "code": 0}

    def replace(node: dict):
        if also is not None:
            made = also(node)
            if made is not None:
                return made
        kind = node.get("t")
        if kind == "Header" and "note" in node["c"][1][1]:
            place["note"], place["code"] = node["c"][1][0], 0
            return None
        if kind == "CodeBlock" and not node["c"][0][0]:
            # pandoc would number the book's code blocks (cb1, cb2…) when it writes them: ids
            # that depend on every block before, and that clash between units written apart
            place["code"] += 1
            (_, classes, pairs), text = node["c"]
            node = {"t": "CodeBlock", "c": [[f"{place['note']}--code-{place['code']}", classes, pairs], text]}
            return replace(node) or node
        if kind == "Note":
            return {"t": "Span", "c": [["", ["footnote"], []], rewrite(_inlines_of(node["c"]), replace)]}
        if kind == "Span" and has_class(node, "Span", "index-locators"):
            return {"t": "Span", "c": [["", ["index-pages"], node["c"][0][2]], []]}
        if kind == "CodeBlock":
            (identifier, classes, pairs), text = node["c"]
            if classes and max((len(run) for run in text.split()), default=0) > LONGEST_UNBROKEN_CODE:
                return {"t": "CodeBlock", "c": [[identifier, [], pairs], text]}
        return None

    return {**ast, "blocks": rewrite(ast["blocks"], replace)}


def closing_chapters(ast: dict) -> list[tuple[str, str]]:
    """(anchor, title) of the chapters the build adds after the notes and the references:
    the index, whose heading is ``#book-index``."""
    return [(block["c"][1][0], " ".join(node["c"] for node in block["c"][2] if node.get("t") == "Str"))
            for block in ast["blocks"] if block.get("t") == "Header" and block["c"][1][0] == "book-index"]


def glyph_warnings(characters: list[str], notes) -> list[Diagnostic]:
    """A ``pdf.glyph`` warning per character WeasyPrint drew as a box, naming the first
    note and line where it is written."""
    found = []
    for character in characters:
        where, line = first_use(character, notes)
        found.append(warning("pdf.glyph", f"no installed font can draw '{character}' (U+{ord(character):04X}); "
                                          "the PDF shows a box instead", where, line))
    return found


def first_use(text: str, notes) -> tuple[str | None, int | None]:
    """The first note (and line) where ``text`` is written, in book order."""
    for note in notes:
        position = note.body.find(text)
        if position >= 0:
            return note.path, note.body_line + note.body.count("\n", 0, position)
        if text in note.title:
            return note.path, None
    return None, None


def layout_warnings(messages: list[str]) -> list[Diagnostic]:
    """WeasyPrint's other messages, with the data URIs it quotes cut short. An image without
    alternative text is the audit's ``a11y.alt``, with its note and line: not said twice."""
    return [warning("pdf.layout", _DATA_URI.sub(lambda m: m.group(1) + "…", message)[:300]) for message in messages
            if "has no required alt description" not in message]


def resolution_warnings(images: list[dict], notes) -> list[Diagnostic]:
    """A ``pdf.resolution`` warning per image printed below 300 dpi, at its first embed."""
    found = []
    for image in images:
        where, _, line = image.get("embed", "").rpartition(":")
        if not where or not line.isdigit():  # an image whose embed said nowhere: its first mention
            where, line = first_use(image["file"].rsplit("/", 1)[-1], notes)
        else:
            line = int(line)
        found.append(warning("pdf.resolution", f"'{image['file']}' prints at {image['dpi']} dpi (page "
                             f"{image['page']}); a press asks for 300: use a larger picture or print it smaller",
                             where, line))
    return found


_DATA_URI = re.compile(r"(data:[\w/+.-]+[;,])[^\s'\")]*")


# A run of code without a space longer than this may not fit a printed line (about 90
# characters of 8.5 pt mono fit the text width of a 6 x 9 in page)
LONGEST_UNBROKEN_CODE = 60


def print_document(ast: dict, book: Book, items, env, config, diagnostics: list[Diagnostic],
                   notes=(), profile: bytes | None = None, anchors: dict[str, str] | None = None,
                   cache=None) -> PrintDocument:
    prepared = for_print(ast, also=math_pictures(diagnostics, lambda text: first_use(text, notes)))
    fragment = html_fragment(prepared, marked_blocks(prepared["blocks"]), cache)
    # the title page and the contents are written here, not by pandoc: typeset like the body
    shown = replace(book, title=typeset_text(book.title, book.language),
                    subtitle=typeset_text(book.subtitle, book.language))
    toc = [{"title": typeset_text(c.title, book.language), "anchor": c.anchor, "level": c.level}
           for c in items if c.level <= 3]
    if book.bibliography:
        toc.append({"title": book.words.references, "anchor": "references", "level": 1})
    toc.extend({"title": typeset_text(title, book.language), "anchor": anchor, "level": 1}
               for anchor, title in closing_chapters(ast))
    page = cut_page(env.get_template("print.html.j2").render(book=shown, toc=toc, body=BODY_MARK))
    units = split_units(page.front, fragment, config.chapter_start)
    placeholder = placeholder_for(sum(unit.characters for unit in units))
    return PrintDocument(units, page, page_css(config, profile), config.pdf_standard, paper.bleed_size(config.bleed),
                         shown.title, placeholder, unit_names(units, notes, anchors or {}))


def html_fragment(ast: dict, blocks: list, cache=None) -> str:
    """pandoc's HTML of the book's blocks, unit by unit (``blocks`` holds the units' markers),
    each unit's from the cache when its blocks were written before (``export.fragments``)."""
    units: list[list] = [[]]
    for block in blocks:
        if block.get("t") == "RawBlock" and block["c"][1] == UNIT_MARK:
            units.append([])
        else:
            units[-1].append(block)
    # --wrap=none: WeasyPrint keeps a source line break inside a footnote as a break
    written = write_pieces(ast.get("pandoc-api-version"), units, ["--wrap=none"], "print html", cache)
    return ("\n" + UNIT_MARK + "\n").join(written) + "\n"


def unit_names(units: list[Unit], notes, anchors: dict[str, str]) -> dict[str, str]:
    """Each unit as an error names it: its number and the notes it holds (a few of them)."""
    path_of = {anchor: path for path, anchor in anchors.items()}
    names = {}
    for unit in units:
        if unit.front:
            names[unit.name] = "the front matter (title page, contents)"
            continue
        held = sorted(path_of[anchor] for anchor in unit.anchors if anchor in path_of)
        shown = ", ".join(held[:3]) + (f" and {len(held) - 3} more" if len(held) > 3 else "")
        names[unit.name] = f"unit {unit.name} ({'notes ' + shown if held else 'no note'})"
    return names
