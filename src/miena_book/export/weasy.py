"""WeasyPrint, run in a child process: the print HTML laid out and written as PDF.

``export.pdf.write_pdf`` starts this module as ``python -m miena_book.export.weasy JOB``,
bounded in time and memory; JOB is a JSON file with the HTML, the stylesheets and the
target path. It prints one JSON line: the characters drawn as a box (no font has them)
and WeasyPrint's other warnings.

WeasyPrint is given a URL fetcher that accepts only ``data:`` URLs: every image was inlined
from inside the vault by the assets stage, and stylesheets are passed as strings, so the
layout never reads a file or touches the network whatever a note says.
"""

from __future__ import annotations

import json
import logging
import re
import sys


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


def with_page_numbers(html: str, pages: dict[str, int], placeholder: str = "000") -> str:
    """Every internal link carries its target's page as ``data-page`` (read by the stylesheet),
    and every entry of the index lists its occurrences' pages."""
    html = _INDEX_PAGES.sub(lambda m: page_list(m.group(1).split(), pages, placeholder), html)
    return _INTERNAL_LINK.sub(
        lambda m: f'<a data-page="{pages.get(m.group(1), placeholder)}" href="#{m.group(1)}"', html)


# an index entry's place for its pages, as export.pdf.index_pages leaves it
_INDEX_PAGES = re.compile(r'<span class="index-pages" data-targets="([^"]*)"></span>')


def page_list(targets: list[str], pages: dict[str, int], placeholder: str) -> str:
    """The pages of an index entry's occurrences, in order, each run of following pages
    merged (« 3, 12–14, 20 »), each number a link to the entry's first use on that page.
    Before the first layout, a placeholder per occurrence (at most five) holds their room."""
    first_on: dict[int, str] = {}
    for target in targets:
        if target in pages:
            first_on.setdefault(pages[target], target)
    if not first_on:
        return '<span class="index-pages">' + ", ".join([placeholder] * min(len(targets), 5)) + "</span>"
    runs: list[list[int]] = []
    for number in sorted(first_on):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    shown = [f'<a class="index-page" href="#{first_on[run[0]]}">'
             + (str(run[0]) if len(run) == 1 else f"{run[0]}\u2013{run[-1]}") + "</a>" for run in runs]
    return '<span class="index-pages">' + ", ".join(shown) + "</span>"


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
        placeholder = placeholder_page(html)
        for _ in range(MAX_LAYOUTS):
            collected.reset()  # each layout says it all again: keep the last one's warnings
            # presentational hints: the width an author gives an image (![[x.png|300]]) is an
            # HTML attribute, which WeasyPrint otherwise ignores
            document = HTML(string=with_page_numbers(html, pages, placeholder), url_fetcher=fetcher,
                            base_url="data:,").render(stylesheets=css, presentational_hints=True)
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


def main(job_path: str) -> None:
    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    from .ast import with_deep_recursion

    # WeasyPrint lays boxes out recursively: a deeply nested note needs a deep stack
    missing, messages = with_deep_recursion(lambda: write_pdf(job["html"], job["stylesheets"], job["target"]))
    print(json.dumps({"missing": missing, "messages": messages}))


if __name__ == "__main__":
    main(sys.argv[1])
