"""Units: the print book cut into parts that are laid out apart, and each part's page.

WeasyPrint lays a document out on one core, in time that grows faster than its length. The
book is therefore cut into **units** (the front matter, then each top-level chapter, and a
long chapter cut again between its sections), laid out in parallel by ``export.layout`` and
merged into one PDF by ``export.merge``.

The cut is made on pandoc's AST: a marker (an HTML comment, pandoc keeps raw HTML as it is)
goes before the first block of each unit, and the HTML fragment pandoc writes is split at
the markers. Every unit is a run of whole top-level blocks, so each piece is balanced HTML.

A unit laid out on its own must look as it would in the whole book; its page (`page_of`)
therefore carries what the units before it would have set:

- its first page's side (``html { break-before: left|right }``): left pages and right pages
  have their own margins and running heads;
- its first page's printed number (``@page :first { counter-reset: page N }``);
- the footnotes numbered before it (``counter-reset: footnote N``);
- the running heads' strings (the book's title, and the chapter a unit of sections is in);
- a blank verso first, when the unit must begin on a right page and would not.

Links to a place in another unit are written as ``export.merge.unit_link`` and become
links inside the merged PDF.
"""

from __future__ import annotations

import html as html_text
import re
from dataclasses import dataclass

from .merge import unit_link

UNIT_MARK = "<!--miena-book:unit-->"
BODY_MARK = "<!--miena-book:body-->"
# A chapter longer than this (characters of text, about 25 printed pages) is cut between its
# sections: more units balance the cores, and no process holds a long chapter's pages.
# Shorter chapters go together, a unit holding at least GROUP_CHARACTERS (about 7 pages):
# each unit costs a layout's fixed cost and its own copy of the fonts
UNIT_CHARACTERS = 45_000
GROUP_CHARACTERS = 12_000
CHARACTERS_PER_PAGE = 1750  # of text, measured on the example handbook (Letter, with its headings)


@dataclass(frozen=True)
class Unit:
    """A part of the book laid out on its own."""

    name: str  # "front", "1", "2", "2.1"…: stable while the book's chapters are
    fragment: str  # its HTML (the front matter's: the title page and the contents)
    front: bool  # the front matter: numbered i, ii, …
    level: int  # the level of its first heading (1 a chapter, 2 a chapter's sections), 0 the front
    chapter: str  # the running head of the chapter it is in, for a unit of sections
    recto: bool  # it must begin on a right page
    footnotes_before: int  # footnotes in the units before it
    anchors: frozenset[str]  # the ids it holds
    characters: int  # of text: an estimate of its length


def marked_blocks(blocks: list) -> list:
    """The book's top-level blocks with a unit marker before each unit: short chapters (a
    level-1 heading and what follows) go together, a long one is a unit of its own, cut
    again before groups of its sections (level-2 headings)."""
    out: list = []
    size = 0
    for chapter in split_at_headings(blocks, 1):
        length = _text_length(chapter)
        if out and (length > UNIT_CHARACTERS or size > UNIT_CHARACTERS or
                    size >= GROUP_CHARACTERS and (size + length > UNIT_CHARACTERS or _cut_before(chapter))):
            out.append(_mark())
            size = 0
        out.extend(_cut_sections(chapter) if length > UNIT_CHARACTERS else chapter)
        size += length
    return out


def _cut_before(chapter: list) -> bool:
    """Whether a unit may begin at this chapter, by its heading's id: where units begin then
    depends on the chapters themselves more than on their lengths, so that an edit that
    makes one chapter longer moves the cut between units near it only."""
    import zlib

    identifier = chapter[0]["c"][1][0] if _heading_level(chapter[0]) else ""
    return zlib.crc32(identifier.encode("utf-8")) % 3 == 0


def split_at_headings(blocks: list, deepest: int) -> list[list]:
    """``blocks`` in runs, each beginning at a heading of level ``deepest`` or above (the
    first run wherever the blocks begin)."""
    runs: list[list] = []
    for block in blocks:
        if not runs or (_heading_level(block) or deepest + 1) <= deepest:
            runs.append([])
        runs[-1].append(block)
    return runs


def _cut_sections(chapter: list) -> list:
    out: list = []
    size = 0
    for section in split_at_headings(chapter, 2):
        length = _text_length(section)
        if out and size + length > UNIT_CHARACTERS and _heading_level(section[0]) == 2:
            out.append(_mark())
            size = 0
        out.extend(section)
        size += length
    return out


def _mark() -> dict:
    return {"t": "RawBlock", "c": ["html", UNIT_MARK]}


def _heading_level(block: dict) -> int | None:
    return block["c"][0] if block.get("t") == "Header" else None


def _text_length(blocks) -> int:
    """Characters of text in an AST piece (its strings), cheaply."""
    total = 0
    stack = list(blocks)
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        kind = type(node)
        if kind is dict:
            content = node.get("c")
            if type(content) is str:
                if node.get("t") == "Str":
                    total += len(content) + 1
            elif type(content) is list:
                extend(content)
        elif kind is list:
            extend(node)
    return total


_ID = re.compile(r'\sid="([^"]+)"')
_TAG = re.compile(r"<[^>]*>")
_DATA = re.compile(r'data:[^"\s]*')
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_H2 = re.compile(r"<h2\b")
_FOOTNOTE = re.compile(r'<span class="footnote"')


def text_of(html: str) -> str:
    return html_text.unescape(_TAG.sub("", _DATA.sub("", html)))


def split_units(front: str, body: str, chapter_start: str) -> list[Unit]:
    """The front matter and the body's pieces (cut at the markers) as units, in book order."""
    units = [Unit("front", front, True, 0, "", False, 0, frozenset(_ID.findall(front)),
                  len(text_of(front)))]
    footnotes = 0
    chapter_number = 0
    section_number = 0
    chapter_title = ""
    for piece in body.split(UNIT_MARK):
        headings = _H1.findall(piece)
        first = _H1.search(piece)
        starts_chapter = first is not None and not piece[:first.start()].strip()
        if starts_chapter or chapter_number == 0:
            name = str(chapter_number + 1)  # the number of its first chapter
            section_number = 0
            level = 1 if starts_chapter else 2
        else:
            section_number += 1
            name = f"{chapter_number}.{section_number}"
            level = 2
        chapter = "" if starts_chapter else chapter_title
        chapter_number += len(headings) or (chapter_number == 0)
        if headings:  # the last chapter it holds goes on in the next unit, if it is cut
            chapter_title = " ".join(text_of(headings[-1]).split())
        first_body = len(units) == 1
        units.append(Unit(name, piece, False, level, chapter,
                          first_body or (chapter_start == "right" and starts_chapter), footnotes,
                          frozenset(_ID.findall(piece)), len(text_of(piece))))
        footnotes += len(_FOOTNOTE.findall(piece))
    return units


@dataclass(frozen=True)
class PrintPage:
    """The print template rendered around a marker, cut where the units go."""

    head: str  # from the start to the <body> tag, included
    front: str  # the title page and the contents
    main_open: str  # the <main …> tag the body goes in ("" when the template has none)
    tail: str  # </main>, </body>, </html>


_BODY_TAG = re.compile(r"<body\b[^>]*>")
_MAIN_TAG = re.compile(r"<main\b[^>]*>")


def cut_page(rendered: str) -> PrintPage:
    """``rendered``: ``print.html.j2`` rendered with BODY_MARK as the body."""
    before, _, after = rendered.partition(BODY_MARK)
    body_tag = _BODY_TAG.search(before)
    head_end = body_tag.end() if body_tag else 0
    mains = list(_MAIN_TAG.finditer(before, head_end))
    if mains:
        main = mains[-1]
        return PrintPage(before[:head_end], before[head_end:main.start()], main.group(0), after)
    return PrintPage(before[:head_end], before[head_end:], "", after)


def css_string(text: str) -> str:
    """``text`` as a CSS string."""
    return '"' + "".join(ch if ch.isalnum() or ch in " .,;:!?'()-–—«»’" else f"\\{ord(ch):x} " for ch in text) + '"'


PAD_PAGE = "unit-verso"  # the named page of a blank verso put before a unit


def page_of(unit: Unit, page: PrintPage, html: str, first_side_right: bool, first_number: int,
            book_title: str, first_body: bool) -> tuple[str, str]:
    """The unit's HTML document and its own stylesheet. ``html`` is its fragment with the
    page numbers written in; ``first_side_right`` and ``first_number`` say where its first
    page falls in the book (the blank verso included, when it gets one)."""
    pad = unit.recto and not first_side_right
    strings = [f"book-title {css_string(book_title)}"] if not unit.front else []
    if unit.chapter:
        strings.append(f"chapter {css_string(unit.chapter)}")
    rules = [f"break-before: {'right' if first_side_right else 'left'};"]
    if strings:
        rules.append(f"string-set: {', '.join(strings)};")
    if unit.footnotes_before:
        rules.append(f"counter-reset: footnote {unit.footnotes_before};")
    css = ("html { " + " ".join(rules) + " }\n"
           f"@page :first {{ counter-reset: page {first_number}; }}\n")
    if pad:
        margins = " ".join(f"@{box} {{ content: none; }}" for box in MARGIN_BOXES)
        css += (f".{PAD_PAGE} {{ page: {PAD_PAGE}; }}\n"
                f"@page {PAD_PAGE} {{ {margins} }}\n")
    padding = f'<div class="{PAD_PAGE}" aria-hidden="true"></div>\n' if pad else ""
    if unit.front:
        return page.head + html + _after_main(page.tail), css
    main = page.main_open if first_body else _MAIN_ID.sub("", page.main_open)
    return page.head + padding + main + "\n" + html + page.tail, css


MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner", "right-top",
                "right-middle", "right-bottom", "bottom-right-corner", "bottom-right", "bottom-center",
                "bottom-left", "bottom-left-corner", "left-bottom", "left-middle", "left-top")
_MAIN_ID = re.compile(r'\sid="[^"]*"')
_MAIN_CLOSE = re.compile(r"</main>")


def _after_main(tail: str) -> str:
    """The template's end without the closing </main> (the front matter has no main)."""
    return _MAIN_CLOSE.sub("", tail, count=1)


# --- page numbers -----------------------------------------------------------------------

_INTERNAL_LINK = re.compile(r'<a href="#([^"]+)"')
# an index entry's place for its pages, as export.pdf.index_pages leaves it
_INDEX_PAGES = re.compile(r'<span class="index-pages" data-targets="([^"]*)"></span>')


def with_page_numbers(html: str, pages: dict[str, str], placeholder: str, own: frozenset[str] | None = None) -> str:
    """Every internal link carries its target's page as ``data-page`` (read by the stylesheet),
    and every entry of the index lists its occurrences' pages. A link to an anchor outside
    ``own`` (another unit's) is written as a link across units."""
    html = _INDEX_PAGES.sub(lambda m: page_list(m.group(1).split(), pages, placeholder), html)

    def link(match) -> str:
        anchor = match.group(1)
        href = f"#{anchor}" if own is None or anchor in own else unit_link(anchor)
        return f'<a data-page="{pages.get(anchor, placeholder)}" href="{href}"'

    html = _INTERNAL_LINK.sub(link, html)
    if own is None:
        return html
    return _INDEX_LINK.sub(lambda m: m.group(0) if m.group(1) in own else
                           f'<a class="index-page" href="{unit_link(m.group(1))}"', html)


_INDEX_LINK = re.compile(r'<a class="index-page" href="#([^"]+)"')


def roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, number = divmod(number, value)
        out += letters * count
    return out


def page_label(number: int, front: int) -> str:
    """The printed number of the ``number``-th page (from 1): roman in the front matter."""
    return str(number - front) if number > front else roman(number)


def page_list(targets: list[str], pages: dict[str, str], placeholder: str) -> str:
    """The pages of an index entry's occurrences, in order, each run of following pages
    merged (« 3, 12–14, 20 »), each number a link to the entry's first use on that page.
    Before the first layout, a placeholder per occurrence (at most five) holds their room.
    Pages are as printed; a page of the front matter (roman) is never merged."""
    first_on: dict[str, str] = {}
    for target in targets:
        if target in pages:
            first_on.setdefault(pages[target], target)
    if not first_on:
        return '<span class="index-pages">' + ", ".join([placeholder] * min(len(targets), 5)) + "</span>"
    front = [page for page in first_on if not page.isdigit()]
    runs: list[list[str]] = [[page] for page in front]
    for number in sorted(int(page) for page in first_on if page.isdigit()):
        if runs and runs[-1][-1].isdigit() and number == int(runs[-1][-1]) + 1:
            runs[-1].append(str(number))
        else:
            runs.append([str(number)])
    shown = [f'<a class="index-page" href="#{first_on[run[0]]}">'
             + (run[0] if len(run) == 1 else f"{run[0]}\u2013{run[-1]}") + "</a>" for run in runs]
    return '<span class="index-pages">' + ", ".join(shown) + "</span>"


def placeholder_for(characters: int) -> str:
    """A stand-in page number as wide as most real ones will be (as many digits as the
    book's estimated page count), so that a first layout breaks pages where the last will."""
    return "0" * len(str(max(1, characters // CHARACTERS_PER_PAGE)))
