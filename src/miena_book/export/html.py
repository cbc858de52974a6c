"""HTML: the handbook as one standalone page, its stylesheet and images inside it.

Written by pandoc's ``html5`` writer from the finished AST, in the sandbox: the only files
it reads are the style header and the page template named on its command line, and every
image is already a ``data:`` URI. The table of contents sits at the top; ``styles/screen.css`` makes the
page readable from a phone to a desk.

For readers of assistive technologies (checked with axe-core by the tests): the page is
``templates/page.html5`` (always the shipped one), pandoc's own template with the notes
in a ``main`` landmark after the title block and the table of contents; code blocks and
tables, which scroll sideways on a narrow screen, can be reached and scrolled from the
keyboard.
"""

from __future__ import annotations

import os
import tempfile

from ..model import Book
from . import pandoc
from .ast import for_screen, rewrite
from .typography import typeset_text


def write_html(ast: dict, book: Book, stylesheet_text: str, template_text: str) -> bytes:
    document = pandoc.with_metadata(with_focusable_scrollers(for_screen(ast)), {
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
        template = os.path.join(tmp, "page.html5")
        with open(template, "w", encoding="utf-8") as handle:
            handle.write(template_text)
        return pandoc.write(document, "html5", ["--standalone", "--template", template, "--toc", "--toc-depth=3",
                                                "--mathml", "-H", header])


def with_focusable_scrollers(ast: dict) -> dict:
    """The AST with every code block and table focusable (``tabindex="0"``): they scroll
    sideways when wider than the screen, and a region that scrolls must be reachable from
    the keyboard to be scrolled with it."""
    def focusable(node: dict):
        kind = node.get("t")
        if kind == "CodeBlock":
            return {**node, "c": [_with_tabindex(node["c"][0]), *node["c"][1:]]}
        if kind == "Table":  # its cells may hold code blocks and tables of their own
            return {**node, "c": [_with_tabindex(node["c"][0]), *rewrite(node["c"][1:], focusable)]}
        return None

    return {**ast, "blocks": rewrite(ast["blocks"], focusable)}


def _with_tabindex(attr: list) -> list:
    """``[id, classes, attributes]`` with ``tabindex="0"`` (kept when already there)."""
    identifier, classes, attributes = attr
    if any(key == "tabindex" for key, _ in attributes):
        return attr
    return [identifier, classes, [*attributes, ["tabindex", "0"]]]
