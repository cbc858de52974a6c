"""PDF: the print HTML (``templates/print.html.j2``) laid out by WeasyPrint with ``styles/print.css``.

The body is pandoc's ``html5`` fragment of the finished AST; the template adds the title
page and the table of contents (page numbers and leaders come from the stylesheet). The
page size and where chapters start come from the config, as a small stylesheet of their own.

WeasyPrint runs in a child process bounded in time and memory (``export.weasy``), with a
URL fetcher that accepts only ``data:`` URLs. Its warnings are reported: a character no
installed font can draw as ``pdf.glyph`` with the note and line where it is written,
anything else (a stylesheet rule it ignores) as ``pdf.layout``.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace

from ..diagnostics import Diagnostic, warning
from ..model import Book
from . import pandoc
from .ast import rewrite
from .math import formulas_as_svg
from .typography import typeset_text

PAGE_SIZES = {"letter": "letter", "a4": "A4", "a5": "A5", "6x9in": "6in 9in"}


def page_size(config) -> str:
    if config.page_size != "auto":
        return PAGE_SIZES[config.page_size]
    return "letter" if config.language in ("fr-CA", "en-US") else "A4"


@dataclass(frozen=True)
class PrintDocument:
    html: str
    page_css: str


def footnotes_in_place(ast: dict) -> dict:
    """Each footnote as a span where it is called, for CSS ``float: footnote``: WeasyPrint
    then sets it at the foot of that page (pandoc's HTML would gather them at the end)."""
    def inlines_of(blocks: list) -> list:
        out: list = []
        for block in blocks:
            if block.get("t") in ("Para", "Plain"):
                out += ([{"t": "Space"}] if out else []) + block["c"]
            elif block.get("t") in ("BulletList", "OrderedList"):
                items = block["c"] if block["t"] == "BulletList" else block["c"][1]
                for item in items:
                    out += ([{"t": "Space"}] if out else []) + inlines_of(item)
            elif block.get("t") in ("BlockQuote", "Div"):
                out += ([{"t": "Space"}] if out else []) + inlines_of(block["c"] if block["t"] == "BlockQuote"
                                                                     else block["c"][1])
            elif block.get("t") == "CodeBlock":
                out += ([{"t": "Space"}] if out else []) + [{"t": "Code", "c": block["c"]}]
        return out

    def in_place(node: dict):
        if node.get("t") != "Note":
            return None
        return {"t": "Span", "c": [["", ["footnote"], []], rewrite(inlines_of(node["c"]), in_place)]}

    return {**ast, "blocks": rewrite(ast["blocks"], in_place)}


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
    """WeasyPrint's other messages, with the data URIs it quotes cut short."""
    return [warning("pdf.layout", _DATA_URI.sub(lambda m: m.group(1) + "…", message)[:300]) for message in messages]


_DATA_URI = re.compile(r"(data:[\w/+.-]+[;,])[^\s'\")]*")


def print_document(ast: dict, book: Book, items, env, config, diagnostics: list[Diagnostic],
                   notes=()) -> PrintDocument:
    # --wrap=none: WeasyPrint keeps a source line break inside a footnote as a break
    pictured = formulas_as_svg(ast, diagnostics, lambda text: first_use(text, notes))
    fragment = pandoc.write(footnotes_in_place(pictured), "html5",
                            ["--wrap=none"]).decode("utf-8")
    # the title page and the contents are written here, not by pandoc: typeset like the body
    shown = replace(book, title=typeset_text(book.title, book.language),
                    subtitle=typeset_text(book.subtitle, book.language))
    toc = [{"title": typeset_text(c.title, book.language), "anchor": c.anchor, "level": c.level}
           for c in items if c.level <= 3]
    if book.bibliography:
        toc.append({"title": book.words.references, "anchor": "references", "level": 1})
    html = env.get_template("print.html.j2").render(book=shown, toc=toc, body=fragment)
    page_css = f"@page {{ size: {page_size(config)}; }}\n"
    if config.chapter_start == "right":
        page_css += ".toc, h1.note { break-before: right; }\n"
    return PrintDocument(html, page_css)


class LayoutError(Exception):
    """WeasyPrint failed, ran out of time or out of memory; the message says which."""


def write_pdf(html: str, stylesheets: list[str], target: str, timeout: int = 1800,
              memory_mb: int = 8192) -> tuple[list[str], list[str]]:
    """Lay the book out and write the PDF, in a child process bounded in time and memory.

    WeasyPrint runs in Python; a pathological book (a 50 MB note, nesting thousands deep)
    could otherwise hold the build forever or exhaust the machine. The child
    (``export.weasy``) gets its input through a private temporary folder and reports
    WeasyPrint's warnings as JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        job = os.path.join(tmp, "job.json")
        with open(job, "w", encoding="utf-8") as handle:
            json.dump({"html": html, "stylesheets": stylesheets, "target": os.path.abspath(target)}, handle)

        def limit_memory() -> None:  # runs in the child, before WeasyPrint is imported
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        try:
            done = subprocess.run([sys.executable, "-m", "miena_book.export.weasy", job], capture_output=True,
                                  text=True, timeout=timeout, preexec_fn=limit_memory)
        except subprocess.TimeoutExpired:
            raise LayoutError(f"WeasyPrint took more than {timeout} s and was stopped") from None
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        if "MemoryError" in done.stderr or done.returncode in (-9, 137):
            raise LayoutError(f"WeasyPrint needed more than {memory_mb} MB of memory and was stopped")
        raise LayoutError(f"WeasyPrint failed: {tail}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["missing"], report["messages"]
