"""HTML: the handbook as one standalone page, its stylesheet and images inside it.

Written by pandoc's ``html5`` writer from the finished AST, in the sandbox: the only file
it reads is the style header named on its command line, and every image is already a
``data:`` URI. The table of contents sits at the top; ``styles/screen.css`` makes the
page readable from a phone to a desk.
"""

from __future__ import annotations

import os
import tempfile

from ..model import Book
from . import pandoc
from .typography import typeset_text


def write_html(ast: dict, book: Book, stylesheet_text: str) -> bytes:
    document = pandoc.with_metadata(ast, {
        "lang": book.language, "title": typeset_text(book.title, book.language),
        "subtitle": typeset_text(book.subtitle, book.language),
        "author": book.authors, "date": book.date, "keywords": book.keywords,
        "toc-title": book.words.contents,
    })
    with tempfile.TemporaryDirectory() as tmp:
        header = os.path.join(tmp, "style.html")
        with open(header, "w", encoding="utf-8") as handle:
            # "</" cannot end the style element early, whoever wrote the stylesheet
            handle.write("<style>\n" + stylesheet_text.replace("</", "<\\/") + "\n</style>\n")
        return pandoc.write(document, "html5", ["--standalone", "--toc", "--toc-depth=3", "--mathml", "-H", header])
