"""PDF: the print HTML laid out by WeasyPrint with ``styles/print.css``.

WeasyPrint is given a URL fetcher that accepts only ``data:`` URLs: every image was inlined
from inside the vault by the assets stage, and stylesheets are passed as strings, so the
layout never reads a file or touches the network whatever a note says.
"""

from __future__ import annotations

import logging

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher


class DataOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False)


def write_pdf(html: str, stylesheets: list[str], target: str, missing_glyphs: list[str] | None = None) -> None:
    """Lay out ``html`` with the given CSS texts and write the PDF to ``target``."""
    fetcher = DataOnlyFetcher()
    handler = _GlyphWarnings(missing_glyphs) if missing_glyphs is not None else None
    logger = logging.getLogger("weasyprint")
    if handler:
        logger.addHandler(handler)
    try:
        document = HTML(string=html, url_fetcher=fetcher, base_url="data:,")
        css = [CSS(string=text, url_fetcher=fetcher) for text in stylesheets]
        document.write_pdf(target, stylesheets=css, pdf_variant=None, uncompressed_pdf=False,
                           custom_metadata=True)
    finally:
        if handler:
            logger.removeHandler(handler)


class _GlyphWarnings(logging.Handler):
    """Collects WeasyPrint's messages about characters no installed font can draw."""

    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "glyph" in message.lower():
            self.sink.append(message)
