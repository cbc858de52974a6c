"""HTML: the handbook as one standalone page, its stylesheet and images inside it.

Written by pandoc's ``html5`` writer from the finished AST, in the sandbox: the only files
it reads are the style header and the page template named on its command line, and every
image is already a ``data:`` URI. The table of contents sits at the top; ``styles/screen.css`` makes the
page readable from a phone to a desk.

The page is written in pieces: the body cut before each heading of the two top levels
(a chapter, and each section of a chapter), each piece's HTML cached under a key of its
blocks (``export.fragments`` writes the missing ones, two pandoc processes at once), so an
edit writes one piece again; pandoc then writes only the page's frame (template, metadata,
contents) from the headings. Footnotes are numbered through the book and listed at the end
of their piece, where a reader of a long page finds them near their call.

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
from .ast import PRINT_ONLY_ATTRIBUTES, rewrite
from .fragments import PieceWalk, write_walked_pieces
from .typography import typeset_text
from .units import split_at_headings


def write_html(ast: dict, book: Book, stylesheet_text: str, template_text: str, cache=None) -> bytes:
    """The page: its chapters' HTML (each cached, ``_chapters_html``) inside the page pandoc
    writes from the template, the book's metadata and the contents."""
    if template_text.count("$body$") != 1:
        raise ValueError("the page template must hold $body$ once")
    htmls, samples = _chapters_html(ast, cache)
    headings = [block for block in ast["blocks"] if block.get("t") == "Header"]
    document = pandoc.with_metadata({**ast, "blocks": headings + list(samples.values())}, {
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
    parts = [before.encode("utf-8")]
    for number, html in enumerate(htmls):  # one join: the page is held once more, not twice
        parts += [b"\n", html] if number else [html]
    parts.append(after.encode("utf-8"))
    return b"".join(parts)


# where the chapters go in the page pandoc writes from the template (a template variable's
# place, never a note's text: the chapters are put in after)
_BODY_MARK = "<!--miena-book:page-body-->"
_OPTIONS = ["--mathml"]


def _chapters_html(ast: dict, cache) -> tuple[list[bytes], dict]:
    """Each piece's HTML (a chapter, or a section of one), and the samples
    that make pandoc add styles to the page (a code block of each language for highlighting,
    a display formula, the bibliography's frame, its entries left out): the headings and
    these are all pandoc needs to write the frame.

    A piece is keyed by its blocks as the book has them and by where the walk before it
    ended (the footnotes numbered, the note its code blocks are named after): a piece found
    in the cache is neither walked nor written again."""
    # a chapter of a large book holds hundreds of notes: its sections are pieces of their own
    chapters = split_at_headings(ast["blocks"], 2)
    walk = _ScreenWalk()
    htmls, samples_of = write_walked_pieces(ast.get("pandoc-api-version"), chapters, walk, walk.chapter, _OPTIONS,
                                            "screen html", cache)
    samples: dict = {}
    for own in samples_of:
        for name, sample in own:
            samples.setdefault(name, sample)
    return htmls, samples


class _ScreenWalk(PieceWalk):
    """The book's blocks made ready for the screen, chapter after chapter, in one walk:

    - the attributes only the PDF reads left out (``ast.for_screen``);
    - code blocks and tables focusable (``tabindex="0"``): they scroll sideways when wider
      than the screen, and a region that scrolls must be reachable from the keyboard;
    - each code block with a language named after its note (``fragments.PieceWalk``);
    - footnotes numbered through the book as pandoc numbers them (``fn1``, ``fnref1``) and
      written at the end of their piece rather than of the page, so that a piece's HTML is
      its own. A footnote added shifts the later pieces' numbers (they are written again).
    """

    def chapter(self, blocks: list, samples: dict) -> list:
        """The chapter ready to be written, its footnotes at its end; what it holds that
        shapes the page's styles is added to ``samples``."""
        notes: list[tuple[int, list]] = []

        def ready(node: dict):
            kind = node.get("t")
            if self.entered_note(node):
                return None
            if kind == "CodeBlock":
                return self.named_code(node, samples, _with_tabindex)
            if kind == "Table":  # its cells may hold code blocks and tables of their own
                return {**node, "c": [_with_tabindex(node["c"][0]), *rewrite(node["c"][1:], ready)]}
            if kind == "Image":
                (identifier, classes, pairs), alt, target = node["c"]
                kept = [pair for pair in pairs if pair[0] not in PRINT_ONLY_ATTRIBUTES]
                return {"t": "Image", "c": [[identifier, classes, kept], rewrite(alt, ready), target]}
            if kind == "Note":
                self.footnotes += 1
                own = self.footnotes
                notes.append((own, rewrite(node["c"], ready)))
                return {"t": "Link", "c": [[f"fnref{own}", ["footnote-ref"], [["role", "doc-noteref"]]],
                                           [{"t": "Superscript", "c": [{"t": "Str", "c": str(own)}]}],
                                           [f"#fn{own}", ""]]}
            if kind == "Math" and node["c"][0]["t"] == "DisplayMath":
                samples.setdefault("math", {"t": "Para", "c": [node]})
            elif kind == "Div" and "csl-bib-body" in node["c"][0][1]:
                samples.setdefault("bibliography", {"t": "Div", "c": [node["c"][0], []]})
            return None

        made = rewrite(blocks, ready)
        if notes:
            items = [[{"t": "Div", "c": [[f"fn{own}", [], []], _with_back_link(content, own)]}]
                     for own, content in notes]
            made.append({"t": "Div", "c": [["", ["footnotes", "footnotes-end-of-document"],
                                            [["role", "doc-endnotes"]]],
                                           [{"t": "HorizontalRule"},
                                            {"t": "OrderedList", "c": [[notes[0][0], {"t": "Decimal"},
                                                                        {"t": "Period"}], items]}]]})
        return made


def _with_back_link(content: list, number: int) -> list:
    """A footnote's blocks ending with the link back to where it is called."""
    back = {"t": "Link", "c": [["", ["footnote-back"], [["role", "doc-backlink"]]], [{"t": "Str", "c": "\u21a9\ufe0e"}],
                               [f"#fnref{number}", ""]]}
    if content and content[-1].get("t") in ("Para", "Plain"):
        last = content[-1]
        return [*content[:-1], {"t": last["t"], "c": [*last["c"], back]}]
    return [*content, {"t": "Plain", "c": [back]}]


def _with_tabindex(attr: list) -> list:
    """``[id, classes, attributes]`` with ``tabindex="0"`` (kept when already there)."""
    identifier, classes, attributes = attr
    if any(key == "tabindex" for key, _ in attributes):
        return attr
    return [identifier, classes, [*attributes, ["tabindex", "0"]]]
