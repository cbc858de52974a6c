"""WeasyPrint, run in worker processes: a unit of the book laid out and written as PDF.

``export.workers`` starts this module as ``python -m miena_book.export.weasy``, bounded in
memory, and hands it jobs (``serve``): a JSON file with a unit's HTML, its stylesheets, the
PDF standard and, when its page numbers are final, the path its PDF goes to. Each answer
says where the unit's anchors landed and what the layout found: the characters drawn as a
box (no font has them), WeasyPrint's other warnings, the images printed below 300 dpi, the
pages a heading ends and the characters each font draws.

The PDF is tagged (a structure tree in reading order, for screen readers) whatever the
standard; running heads and page numbers are marked as artifacts, outside that tree.
``export.layout`` sets the units' page numbers and merges them into the book.

WeasyPrint is given a URL fetcher that accepts only ``data:`` URLs: every image was inlined
from inside the vault by the assets stage, and stylesheets are passed as strings, so the
layout never reads a file or touches the network whatever a note says.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from contextlib import contextmanager, nullcontext

from . import relayout
from .tagging import accessible_tagging, descendants, list_items_with_bodies


def data_only_fetcher():
    """WeasyPrint's URL fetcher, refusing everything but ``data:`` URLs."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False)


PRINT_DPI = 300  # what a press asks of a picture at its printed size


def faces_used(document) -> dict[str, list[str]]:
    """Each font family the PDF carries, with the characters it draws (the units' are merged)."""
    characters: dict[str, set[str]] = {}
    for font in document.fonts.values():
        family = font.family.decode("utf-8", "replace") if isinstance(font.family, bytes) else str(font.family)
        characters.setdefault(family, set()).update(text for text in font.to_unicode.values() if text)
    return {family: sorted(drawn) for family, drawn in sorted(characters.items())}


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


def low_resolution_images(document) -> list[dict]:
    """Each raster image printed below ``PRINT_DPI``: its file (``data-file``), its
    resolution at the printed size and its page (from 0), once per image at its lowest."""
    from weasyprint.formatting_structure import boxes

    found: dict[str, dict] = {}
    for number, page in enumerate(document.pages):
        for box in descendants(page._page_box):
            image = getattr(box, "replacement", None) if isinstance(box, boxes.ReplacedBox) else None
            if image is None or not hasattr(image, "mode") or not box.width:  # a raster, not an SVG
                continue
            dpi = image.width / (box.width / 96)  # CSS pixels are 1/96 in
            name = box.element.get("data-file") or box.element.get("alt") or "image"
            if dpi < PRINT_DPI and (name not in found or dpi < found[name]["dpi"]):
                found[name] = {"file": name, "dpi": round(dpi), "page": number,
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
    """The pages (their index, from 0) whose last line is a heading's: its section begins overleaf."""
    pages = []
    for number, page in enumerate(document.pages):
        last = None
        for last in _lines(page._page_box):
            pass
        if last is not None and any(box.element_tag in _HEADINGS for box in last[1]):
            pages.append(number)
    return pages


# The stylesheets every unit shares (the book's, the page's), parsed once per worker, and the
# colour profiles they name: an @color-profile of the page's is the PDF/X output intent
_PARSED: dict[str, object] = {}
_COLOR_PROFILES: dict = {}
_KEPT = relayout.KeptLayouts()  # this worker's counting layouts, for their unit's next layout


def _stylesheet(text: str, fetcher):
    from weasyprint import CSS

    if text in _PARSED:
        return _PARSED[text]
    parsed = CSS(string=text, url_fetcher=fetcher, color_profiles=_COLOR_PROFILES)
    if len(text) > 2000:  # a unit's own small sheet is parsed each time
        _PARSED[text] = parsed
    return parsed


@contextmanager
def _pages_only():
    """A layout that is only counted (where the pages break, where each anchor lands), not
    written: WeasyPrint lays out each page's margin boxes (running heads, folios) and its
    backgrounds after the page's content, where they cannot move a break, and skipping
    them saves about a seventh of a unit's layout. Where this WeasyPrint lays pages out
    otherwise, the layout is whole."""
    import weasyprint.layout as engine

    saved = getattr(engine, "make_margin_boxes", None), getattr(engine, "layout_backgrounds", None)
    if None in saved:
        yield
        return
    engine.make_margin_boxes = lambda context, page, state: []
    engine.layout_backgrounds = lambda page, get_image_from_uri: None
    try:
        yield
    finally:
        engine.make_margin_boxes, engine.layout_backgrounds = saved


def _laid_out(job: dict, fetcher, variant: str):
    """The unit's Document, and whether it was laid out from the boxes of its last layout.

    A unit laid out before in this build, and kept (``export.relayout``), starts from its
    boxes when only its numbers changed; a counting layout is kept for the next one."""
    from weasyprint import HTML

    available = relayout.available()
    keep = job.get("keep") if available and not job.get("target") else None
    with nullcontext() if job.get("target") else _pages_only():
        kept = _KEPT.take(job.get("from")) if available else None
        if kept is not None:
            document = relayout.lay_out_again(kept, job["html"], job["stylesheets"],
                                              lambda text: _stylesheet(text, fetcher), _COLOR_PROFILES)
            if document is not None:
                return document, True
        css = [_stylesheet(text, fetcher) for text in job["stylesheets"]]
        if keep:
            document, kept = relayout.lay_out(job["html"], job["stylesheets"], css, fetcher, variant, _COLOR_PROFILES)
            _KEPT.keep(keep, kept)
            return document, False
        # presentational hints: the width an author gives an image (![[x.png|300]]) is an
        # HTML attribute, which WeasyPrint otherwise ignores
        return HTML(string=job["html"], url_fetcher=fetcher, base_url="data:,").render(
            stylesheets=css, presentational_hints=True, color_profiles=_COLOR_PROFILES, pdf_variant=variant,
            pdf_tags=True), False


def lay_out_unit(job: dict) -> dict:
    """Lay out one unit (``export.units``) and, when ``job["target"]`` is set, write its PDF
    there, tagged, to the PDF standard ``job["variant"]`` (``pdf/ua-1``, ``pdf/x-4``, … as
    WeasyPrint names them). Without a target the unit is only laid out: its page numbers
    are not final yet, and only where its anchors fall is wanted.

    Returns what the layout found, pages counted from 0 within the unit: the page of every
    anchor, the page count, the characters drawn as a box (no font has them) in order of
    first use, WeasyPrint's other messages, the images printed below 300 dpi, the pages a
    heading ends and the characters each font family draws."""
    fetcher = data_only_fetcher()
    collected = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collected)
    variant = job.get("variant", "pdf/ua-1")
    try:
        document, relaid = _laid_out(job, fetcher, variant)
        found = {"pages": len(document.pages),
                 "anchors": {anchor: index for index, page in enumerate(document.pages) for anchor in page.anchors},
                 "headings_at_page_end": headings_at_page_end(document),
                 "images": low_resolution_images(document)}
        if job.get("target"):
            bleed_mm = job.get("bleed_mm", 0.0)

            def finish(_document, pdf) -> None:
                list_items_with_bodies(pdf)
                set_bleed_boxes(pdf, bleed_mm)

            # tagged whatever the variant: a print edition (PDF/X) keeps its structure tree
            with accessible_tagging(document):
                document.write_pdf(job["target"], custom_metadata=True, pdf_variant=variant, pdf_tags=True,
                                   finisher=finish)
            found["fonts"] = faces_used(document)
    finally:
        logger.removeHandler(collected)
    found["kept"] = _KEPT.keys()  # the pool sends a unit's next layout where its boxes are
    found["relaid"] = relaid
    found["missing"] = list(dict.fromkeys(collected.missing))
    found["messages"] = list(dict.fromkeys(collected.messages))
    return found


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


def peak_memory_mb() -> int:
    """This process's peak resident memory so far, in MB (for the build's report).

    On Linux, the high-water mark of its own memory (``VmHWM``): ``ru_maxrss`` would give
    the size of the process that started it, when that was larger (the kernel keeps the
    larger of the two across the start of a program), and the build's process is large."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024)
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # not POSIX: not measured
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024))


def warm_up() -> None:
    """A line laid out before the first job: WeasyPrint imported and fontconfig's caches
    loaded while the build is still reading the vault."""
    from weasyprint import HTML

    HTML(string="<p>miena-book</p>", url_fetcher=data_only_fetcher(), base_url="data:,").render()


def serve() -> None:
    """Lay out units until standard input closes: each line is a job file's path; the answer
    (one JSON object) goes to the path with ``.result`` added, then a line on standard output
    says it is there. WeasyPrint is imported once per worker, not once per unit."""
    from .ast import with_deep_recursion

    warm_up()
    for line in sys.stdin:
        job_path = line.strip()
        if not job_path:
            continue
        with open(job_path, encoding="utf-8") as handle:
            job = json.load(handle)
        began = time.perf_counter()
        # WeasyPrint lays boxes out recursively: a deeply nested note needs a deep stack
        found = with_deep_recursion(lambda: lay_out_unit(job))
        found["peak_mb"] = peak_memory_mb()
        found["milliseconds"] = round((time.perf_counter() - began) * 1000)  # its cost, to order the next pass
        partial = job_path + ".result.partial"
        with open(partial, "w", encoding="utf-8") as handle:
            json.dump(found, handle)
        os.replace(partial, job_path + ".result")
        sys.stdout.write(job_path + "\n")
        sys.stdout.flush()
        _KEPT.after_job()  # once the answer is out: the build need not wait for it
    # the build waits for its workers to end: without freeing a heap of laid-out pages object
    # by object (a third of a second), which nothing needs
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    serve()
