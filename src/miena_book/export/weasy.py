"""WeasyPrint, run in a child process: the print HTML laid out and written as PDF.

``export.pdf.write_pdf`` starts this module as ``python -m miena_book.export.weasy JOB``,
bounded in time and memory; JOB is a JSON file with the HTML, the stylesheets and the
target path, the PDF standard and the front matter's anchor. It prints one JSON line: the
characters drawn as a box (no font has them), WeasyPrint's other warnings, the images
printed below 300 dpi and the pages a heading ends.

The PDF is tagged (a structure tree in reading order, for screen readers) whatever the
standard; running heads and page numbers are marked as artifacts, outside that tree.
Pages before the body (title page, contents) are numbered in roman figures and the PDF's
page labels say so, so that a viewer's "go to page 12" lands on printed page 12.

WeasyPrint is given a URL fetcher that accepts only ``data:`` URLs: every image was inlined
from inside the vault by the assets stage, and stylesheets are passed as strings, so the
layout never reads a file or touches the network whatever a note says.
"""

from __future__ import annotations

import json
import logging
import re
import sys

from .tagging import accessible_tagging, descendants, list_items_with_bodies


def data_only_fetcher():
    """WeasyPrint's URL fetcher, refusing everything but ``data:`` URLs."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False)


_INTERNAL_LINK = re.compile(r'<a href="#([^"]+)"')
_TAG_OR_DATA = re.compile(r'<[^>]*>|data:[^"\s]*')
CHARACTERS_PER_PAGE = 1750  # of text, measured on the example handbook (Letter, with its headings)
MAX_LAYOUTS = 4


def placeholder_page(html: str) -> str:
    """A stand-in page number as wide as most real ones will be (as many digits as the
    book's estimated page count), so that the first layout breaks pages where the last will."""
    estimate = max(1, len(_TAG_OR_DATA.sub("", html)) // CHARACTERS_PER_PAGE)
    return "0" * len(str(estimate))


BODY_ANCHOR = "book-body"  # the <main> of templates/print.html.j2: where page 1 is
PRINT_DPI = 300  # what a press asks of a picture at its printed size


def with_page_numbers(html: str, pages: dict[str, str], placeholder: str = "000") -> str:
    """Every internal link carries its target's page as ``data-page`` (read by the stylesheet),
    and every entry of the index lists its occurrences' pages."""
    html = _INDEX_PAGES.sub(lambda m: page_list(m.group(1).split(), pages, placeholder), html)
    return _INTERNAL_LINK.sub(
        lambda m: f'<a data-page="{pages.get(m.group(1), placeholder)}" href="#{m.group(1)}"', html)


def roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, number = divmod(number, value)
        out += letters * count
    return out


# an index entry's place for its pages, as export.pdf.index_pages leaves it
_INDEX_PAGES = re.compile(r'<span class="index-pages" data-targets="([^"]*)"></span>')


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


def front_matter_pages(document) -> int:
    """How many pages come before the body (title page, contents): numbered i, ii, …"""
    for index, page in enumerate(document.pages):
        if BODY_ANCHOR in page.anchors:
            return index
    return 0


def printed_pages(document) -> dict[str, str]:
    """Each anchor's page as printed: roman in the front matter, 1, 2, … from the body on."""
    front = front_matter_pages(document)
    return {anchor: page_label(index + 1, front) for index, page in enumerate(document.pages) for anchor in page.anchors}


def page_label(number: int, front: int) -> str:
    """The printed number of the ``number``-th page (from 1): roman in the front matter."""
    return str(number - front) if number > front else roman(number)


def page_labels(front: int):
    """The PDF's /PageLabels: lower-case roman for the front matter, then decimal from 1."""
    import pydyf

    numbers = [0, pydyf.Dictionary({"S": "/r"})] if front else []
    numbers += [front, pydyf.Dictionary({"S": "/D"})]
    return pydyf.Dictionary({"Nums": pydyf.Array(numbers)})


def faces_used(document) -> dict[str, int]:
    """Each font family the PDF carries, with how many different characters it draws, most first."""
    characters: dict[str, set[str]] = {}
    for font in document.fonts.values():
        family = font.family.decode("utf-8", "replace") if isinstance(font.family, bytes) else str(font.family)
        characters.setdefault(family, set()).update(text for text in font.to_unicode.values() if text)
    return dict(sorted(((family, len(drawn)) for family, drawn in characters.items()), key=lambda x: (-x[1], x[0])))


def set_bleed_boxes(pdf, bleed_mm: float) -> None:
    """Each page's BleedBox: its TrimBox grown by the bleed asked for (by nothing when there
    is none). WeasyPrint puts it up to 10 pt out of the trim whatever was asked: with
    printer's marks and no bleed, a bleed nobody wants."""
    import pydyf

    bleed = bleed_mm * 72 / 25.4
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("Type") == "/Page" and "TrimBox" in item:
            left, bottom, right, top = item["TrimBox"]
            item["BleedBox"] = pydyf.Array([left - bleed, bottom - bleed, right + bleed, top + bleed])


def low_resolution_images(document, front: int) -> list[dict]:
    """Each raster image printed below ``PRINT_DPI``: its file (``data-file``), its
    resolution at the printed size and its printed page, once per image at its lowest."""
    from weasyprint.formatting_structure import boxes

    found: dict[str, dict] = {}
    for number, page in enumerate(document.pages, 1):
        for box in descendants(page._page_box):
            image = getattr(box, "replacement", None) if isinstance(box, boxes.ReplacedBox) else None
            if image is None or not hasattr(image, "mode") or not box.width:  # a raster, not an SVG
                continue
            dpi = image.width / (box.width / 96)  # CSS pixels are 1/96 in
            name = box.element.get("data-file") or box.element.get("alt") or "image"
            if dpi < PRINT_DPI and (name not in found or dpi < found[name]["dpi"]):
                found[name] = {"file": name, "dpi": round(dpi), "page": page_label(number, front),
                               "embed": box.element.get("data-embed") or ""}
    return list(found.values())


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _lines(box, ancestors=()):
    """Each line of the page's flow (not its margins, not its footnotes) with the boxes it is in."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
        return
    if isinstance(box, boxes.LineBox):
        yield box, ancestors
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child, (*ancestors, box))


def headings_at_page_end(document) -> list[int]:
    """The pages (their index, from 1) whose last line is a heading's: its section begins overleaf."""
    pages = []
    for number, page in enumerate(document.pages, 1):
        last = None
        for last in _lines(page._page_box):
            pass
        if last is not None and any(box.element_tag in _HEADINGS for box in last[1]):
            pages.append(number)
    return pages


def write_pdf(html: str, stylesheets: list[str], target: str, variant: str | None = "pdf/ua-1",
              bleed_mm: float = 0.0) -> dict:
    """Lay out ``html`` with the given CSS texts and write the PDF to ``target``, tagged, to
    the PDF standard ``variant`` (``pdf/ua-1``, ``pdf/x-4``, … as WeasyPrint names them).

    Cross-references and the table of contents show their target's page. CSS
    ``target-counter()`` does this, but WeasyPrint's cost for it grows with the square of the
    book's length (4x the plain layout at 400 pages, and more beyond); so the book is laid
    out with placeholder numbers, the pages of every anchor are read, the numbers written
    in, and the book laid out again, until no page moves (in practice twice).

    Returns what the layout found: the characters drawn as a box (no font has them), in
    order of first use, WeasyPrint's other messages, the images printed below 300 dpi, the
    pages a heading ends, and the page count."""
    from weasyprint import CSS, HTML

    fetcher = data_only_fetcher()
    collected = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collected)
    try:
        # shared with the layout: an @color-profile of the stylesheets is the PDF/X output intent
        color_profiles: dict = {}
        css = [CSS(string=text, url_fetcher=fetcher, color_profiles=color_profiles) for text in stylesheets]
        pages: dict[str, str] = {}
        placeholder = placeholder_page(html)
        for _ in range(MAX_LAYOUTS):
            collected.reset()  # each layout says it all again: keep the last one's warnings
            # presentational hints: the width an author gives an image (![[x.png|300]]) is an
            # HTML attribute, which WeasyPrint otherwise ignores
            document = HTML(string=with_page_numbers(html, pages, placeholder), url_fetcher=fetcher,
                            base_url="data:,").render(stylesheets=css, presentational_hints=True, color_profiles=color_profiles,
                                                      pdf_variant=variant, pdf_tags=True)
            found = printed_pages(document)
            if found == pages:
                break
            pages = found
        front = front_matter_pages(document)
        accessible_tagging(document)

        def finish(_document, pdf) -> None:
            pdf.catalog["PageLabels"] = page_labels(front)
            list_items_with_bodies(pdf)
            set_bleed_boxes(pdf, bleed_mm)

        # tagged whatever the variant: a print edition (PDF/X) keeps its structure tree
        document.write_pdf(target, custom_metadata=True, pdf_variant=variant, pdf_tags=True, finisher=finish)
    finally:
        logger.removeHandler(collected)
    return {"missing": list(dict.fromkeys(collected.missing)), "messages": list(dict.fromkeys(collected.messages)),
            "fonts": faces_used(document),
            "images": low_resolution_images(document, front), "headings_at_page_end": headings_at_page_end(document),
            "pages": len(document.pages), "front_matter": front}


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


def main(job_path: str) -> None:
    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    from .ast import with_deep_recursion

    # WeasyPrint lays boxes out recursively: a deeply nested note needs a deep stack
    report = with_deep_recursion(lambda: write_pdf(job["html"], job["stylesheets"], job["target"],
                                                   job.get("variant", "pdf/ua-1"), job.get("bleed_mm", 0.0)))
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
