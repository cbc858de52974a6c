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
from .fragments import write_pieces
from .typography import typeset_text


def write_html(ast: dict, book: Book, stylesheet_text: str, template_text: str, cache=None) -> bytes:
    """The page: its chapters' HTML (``export.fragments``, each cached under a key of its
    blocks, so that an edit writes one chapter again) inside the page pandoc writes from the
    template, the book's metadata and the contents."""
    blocks = with_footnotes_per_chapter(with_code_ids(with_focusable_scrollers(for_screen(ast))["blocks"]))
    chapters = _chapters(blocks)
    body = "\n".join(write_pieces(ast.get("pandoc-api-version"), chapters, ["--mathml"], "screen html", cache))
    if template_text.count("$body$") != 1:
        raise ValueError("the page template must hold $body$ once")
    document = pandoc.with_metadata({**ast, "blocks": _page_shapers(blocks)}, {
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
            handle.write(template_text.replace("$body$", _BODY_MARK))
        page = pandoc.write(document, "html5", ["--standalone", "--template", template, "--toc", "--toc-depth=3",
                                                "--mathml", "-H", header]).decode("utf-8")
    before, marked, after = page.partition(_BODY_MARK)
    if not marked:
        raise ValueError("the page template's body was not written")
    return (before + body + after).encode("utf-8")


# where the chapters go in the page pandoc writes from the template (a template variable's
# place, never a note's text: the chapters are put in after)
_BODY_MARK = "<!--miena-book:page-body-->"


def _chapters(blocks: list) -> list[list]:
    """The blocks cut before each top-level heading: the pieces written and cached apart."""
    chapters: list[list] = [[]]
    for block in blocks:
        if block.get("t") == "Header" and block["c"][0] == 1 and chapters[-1]:
            chapters.append([])
        chapters[-1].append(block)
    return chapters


def _page_shapers(blocks: list) -> list:
    """What pandoc writes the page's frame from: the headings (its contents), and a sample
    of what makes it add styles to the page: a code block of each language (highlighting),
    a display formula, the bibliography's frame (its entries left out)."""
    samples: dict = {}

    def visit(node: dict):
        kind = node.get("t")
        if kind == "CodeBlock" and node["c"][0][1]:
            samples.setdefault(("code", tuple(node["c"][0][1])), node)
        elif kind == "Math" and node["c"][0]["t"] == "DisplayMath":
            samples.setdefault(("math",), {"t": "Para", "c": [node]})
        elif kind == "Div" and "csl-bib-body" in node["c"][0][1]:
            samples.setdefault(("bibliography",), {"t": "Div", "c": [node["c"][0], []]})
        return None

    rewrite(blocks, visit)
    return [block for block in blocks if block.get("t") == "Header"] + list(samples.values())


def with_code_ids(blocks: list) -> list:
    """Every code block with a language and without an id given one from its note and its
    rank in it: pandoc would number them (cb1, cb2…, for their lines' anchors) in each
    chapter it writes, ids that would clash in the page."""
    place = {"note": "", "code": 0}

    def name(node: dict):
        kind = node.get("t")
        if kind == "Header" and "note" in node["c"][1][1]:
            place["note"], place["code"] = node["c"][1][0], 0
            return None
        if kind == "CodeBlock" and not node["c"][0][0] and node["c"][0][1]:
            place["code"] += 1
            (_, classes, pairs), text = node["c"]
            return {"t": "CodeBlock", "c": [[f"{place['note']}--code-{place['code']}", classes, pairs], text]}
        return None

    return rewrite(blocks, name)


def with_footnotes_per_chapter(blocks: list) -> list:
    """Each footnote numbered through the book as pandoc numbers them (``fn1``, ``fnref1``),
    and written at the end of its chapter rather than of the page: a chapter's HTML is then
    its own, written apart from the others. A chapter's blocks carry the numbers, so a
    footnote added shifts the later chapters' notes."""
    number = 0
    out: list = []
    for chapter in _chapters(blocks):
        notes: list[tuple[int, list]] = []

        def note(node: dict):
            nonlocal number
            if node.get("t") != "Note":
                return None
            number += 1
            own = number
            notes.append((own, rewrite(node["c"], note)))
            return {"t": "Link", "c": [[f"fnref{own}", ["footnote-ref"], [["role", "doc-noteref"]]],
                                       [{"t": "Superscript", "c": [{"t": "Str", "c": str(own)}]}], [f"#fn{own}", ""]]}

        out.extend(rewrite(chapter, note))
        if notes:
            items = [[{"t": "Div", "c": [[f"fn{own}", [], []], _with_back_link(content, own)]}]
                     for own, content in notes]
            out.append({"t": "Div", "c": [["", ["footnotes", "footnotes-end-of-document"], [["role", "doc-endnotes"]]],
                                          [{"t": "HorizontalRule"},
                                           {"t": "OrderedList", "c": [[notes[0][0], {"t": "Decimal"},
                                                                       {"t": "Period"}], items]}]]})
    return out


def _with_back_link(content: list, number: int) -> list:
    """A footnote's blocks ending with the link back to where it is called."""
    back = {"t": "Link", "c": [["", ["footnote-back"], [["role", "doc-backlink"]]], [{"t": "Str", "c": "\u21a9\ufe0e"}],
                               [f"#fnref{number}", ""]]}
    if content and content[-1].get("t") in ("Para", "Plain"):
        last = content[-1]
        return [*content[:-1], {"t": last["t"], "c": [*last["c"], back]}]
    return [*content, {"t": "Plain", "c": [back]}]


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
