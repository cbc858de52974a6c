"""Pandoc's writer side: the book's Markdown in, a safe JSON AST out, each format written from it.

The whole book is read once from Markdown (``commonmark_x``: linear time on any input,
unlike pandoc's ``markdown`` reader, which is exponential on nested brackets) into
pandoc's JSON AST (``read_markdown``: Markdown text in, AST dict out). The AST is finished
here in Python (``made_safe``: AST in, AST out; raw HTML from notes is shown as text,
images that are not ``data:`` URIs become their description), given the book's metadata
(``with_metadata``) and each format is written from that JSON (``write``: AST and format
in, the format's bytes out): one pandoc run per format, never one per note. The runs go
through the bounded runner of ``engines.pandoc`` (time and memory limits growing with the
input); the reader and the HTML writers also run with ``--sandbox``; the EPUB writer
cannot (it must read our stylesheet), and needs not: after the clean-up the AST names no
file and no URL that pandoc would fetch. This module opens no file.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence

from ..engines.pandoc import PandocError, run_pandoc
from .ast import each_node, rewrite

__all__ = ["READER", "PandocError", "made_safe", "read_markdown", "run_pandoc", "safe_target", "with_metadata",
           "write"]

# commonmark_x, less what Obsidian does not do: a "---" block inside a note is not metadata,
# ":smile:" stays text, and "[Heading]" is not a link.
READER = "commonmark_x-yaml_metadata_block-emoji-implicit_header_references"

# Inline HTML tags an author may use for typography; they carry no attributes, so no
# script, style or URL can ride on them. Any other raw HTML is shown as text.
_HARMLESS_TAGS = frozenset(f"<{c}{t}>" for t in ("br", "br/", "br /", "sup", "sub", "u", "mark", "kbd", "small",
                                                 "b", "i", "em", "strong", "s", "del", "ins", "span")
                           for c in ("", "/"))


def read_markdown(markdown: str, object_hook=None) -> dict:
    """The templates' Markdown to pandoc's JSON AST (made safe later, with the notes in it);
    ``object_hook`` is given to the JSON decoder (``ast.SharedLeaves.hook``)."""
    return json.loads(_read_json(markdown), object_hook=object_hook)


def _read_json(markdown: str) -> bytes:
    return run_pandoc(["-f", READER, "-t", "json"], markdown.encode("utf-8"))


def batches(sizes: list[int], most: int) -> list[list[int]]:
    """Positions of ``sizes`` in order, in batches of at most ``most`` (a larger item alone),
    and at least two batches when there are two items: two pandoc processes work at once."""
    limit = min(most, max(1, sum(sizes) // 2 + 1)) if len(sizes) > 1 else most
    out: list[list[int]] = []
    held = 0
    for position, size in enumerate(sizes):
        if not out or (held + size > limit and out[-1]):
            out.append([])
            held = 0
        out[-1].append(position)
        held += size
    return out


# Between two sections read in one pandoc run: a raw HTML block of its own, which no
# section can swallow unless it leaves a block open (then its sections are read one by one)
SECTION_MARK = "<!--miena-book:section-->"
# Markdown per pandoc run: the reader holds about two hundred times its input, and the
# templates' Markdown of a 10,000-note book is megabytes
READ_BATCH_CHARACTERS = 1_000_000


def read_sections(sections: list[str], cache=None, object_hook=None) -> list[list]:
    """Each section's Markdown (the templates' text of one note) to its blocks, as if the
    sections were read one after another in one document: they are read in batches (a few
    sections joined by ``SECTION_MARK``, at most ``READ_BATCH_CHARACTERS``), two pandoc
    processes at once, and the headings' generated ids are kept unique across batches as
    pandoc keeps them in one document (``unique_header_ids``, the caller's). With a
    ``cache``, each batch's JSON is kept under a key of its text: an edit of a note's body,
    which leaves the sections as they were, reads none again. ``object_hook`` is given to
    the JSON decoder (``ast.SharedLeaves.hook``)."""
    from concurrent.futures import ThreadPoolExecutor

    from ..cache import key_of

    grouped = batches([len(section) for section in sections], READ_BATCH_CHARACTERS)
    texts = [f"\n\n{SECTION_MARK}\n\n".join(sections[index] for index in batch) for batch in grouped]
    keys = [key_of("sections read", READER, text) for text in texts] if cache else []
    read_json: list[bytes | None] = [None] * len(grouped)
    for number, key in enumerate(keys):  # the cache is read and written here, in one thread
        found = cache.get("read", key)
        if found is not None:
            read_json[number] = found[1]
    missing = [number for number, found in enumerate(read_json) if found is None]
    if missing:
        with ThreadPoolExecutor(min(2, len(missing))) as pool:
            for number, written in zip(missing, pool.map(lambda number: _read_json(texts[number]), missing)):
                read_json[number] = written
                if cache:
                    cache.put("read", keys[number], {}, written)
    parts: list[list] = []
    for batch, written in zip(grouped, read_json):
        own: list[list] = [[]]
        for block in json.loads(written, object_hook=object_hook)["blocks"]:
            if block.get("t") == "RawBlock" and block["c"][0] == "html" and block["c"][1].strip() == SECTION_MARK:
                own.append([])
            else:
                own[-1].append(block)
        if len(own) != len(batch):  # a section left a block open, or holds the mark itself
            own = [read_markdown(sections[index], object_hook)["blocks"] for index in batch]
        parts.extend(own)
    return parts


def unique_header_ids(blocks: list) -> None:
    """The headings' ids made unique in document order, as pandoc's reader makes them in
    one document: a heading whose id was taken before becomes ``id-1`` (``id-2``…, the first
    one free). In place (the blocks were just read)."""
    used: set[str] = set()
    headers: list[dict] = []
    each_node(blocks, lambda node: headers.append(node) if node.get("t") == "Header" else None)
    for header in headers:
        identifier = header["c"][1][0]
        if not identifier:
            continue
        if identifier in used:
            number = 1
            while f"{identifier}-{number}" in used:
                number += 1
            identifier = f"{identifier}-{number}"
            header["c"][1] = [identifier, *header["c"][1][1:]]
        used.add(identifier)


def made_safe(ast: dict) -> dict:
    """The book's AST with raw HTML made harmless, only safe links and attributes, and no
    node of the parser's own left (a rule that missed one prints it as it was written).

    One walk does it all (a large book's AST is millions of nodes); the runs of text are
    searched for kept tags only when the walk kept one."""
    kept: list[bool] = []

    def defuse(node: dict):
        replaced = _defuse(node, defuse)
        if replaced is not None and replaced.get("t") == "RawInline":
            kept.append(True)
        return replaced

    ast = {**ast, "blocks": rewrite(ast["blocks"], defuse)}
    if kept:
        for run in _runs_with_kept_tags(ast["blocks"]):
            _balance_kept_tags(run)
    return ast


# Link targets a reader may follow: the web, mail, the book's own anchors. Anything else
# (javascript:, vbscript:, data:, file:, a relative path to a file the book does not carry)
# is shown as the link's text.
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "ftp:")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
# Attributes an author's Markdown may set ({width=300px}); ours are data-*. Never style,
# event handlers (onclick=…) or rel=attachment (which would attach a file to the PDF).
_SAFE_ATTRIBUTES = re.compile(r"^(?:width|height|data-[a-z0-9-]+)$")
_ATTRIBUTE_POSITION = {"Link": 0, "Image": 0, "Span": 0, "Div": 0, "Code": 0, "CodeBlock": 0, "Table": 0,
                       "Figure": 0, "Header": 1}


def safe_target(url: str) -> bool:
    squeezed = _CONTROL.sub("", html.unescape(url)).lower()
    return squeezed.startswith("#") or squeezed.startswith(_SAFE_SCHEMES)


def _safe_pairs(pairs: list) -> list:
    """Key-value attributes without those outside the allowed few."""
    return [[key, value] for key, value in pairs if _SAFE_ATTRIBUTES.match(key.lower())
            and not (key.lower() in ("width", "height") and not re.fullmatch(r"[\d.]+(?:px|em|%|pt|cm|mm|in)?",
                                                                             value.strip()))]


_LEFT_AS_WRITTEN = {"WikiLink", "Citation"}


def _defuse(node: dict, walk):
    """Raw HTML (or any raw format) becomes visible text unless harmless; an image that is
    not a data URI becomes its description; attributes keep only the allowed few. ``walk``
    is the walk's own replacement function, for the content of a node made here."""
    kind = node.get("t")
    if kind in _LEFT_AS_WRITTEN:
        return {"t": "Str", "c": node.get("written", "")}
    if kind == "InlineField":
        return {"t": "Span", "c": [["", ["field"], []], rewrite(node["c"], walk)]}
    if kind in ("RawInline", "RawBlock"):
        fmt, text = node["c"]
        # HTML comments: Obsidian hides them, so does the book; what follows one on its
        # line ("<!-- note --> suite", a block for CommonMark) is shown
        text = without_html_comments(text) if fmt == "html" else text
        if not text.strip():
            return {"t": "Str", "c": ""} if kind == "RawInline" else {"t": "Plain", "c": []}
        if kind == "RawBlock":
            return {"t": "Para", "c": [{"t": "Str", "c": text.strip()}]}
        if fmt == "html" and text.strip().lower() in _HARMLESS_TAGS:
            return {"t": "RawInline", "c": [fmt, text]}
        return {"t": "Str", "c": text}
    if kind == "Image" and not node["c"][2][0].startswith("data:image/"):
        # Only the assets stage may bring a file into the book, as a data URI.
        return {"t": "Span", "c": [["", ["image-refused"], []], rewrite(node["c"][1], walk)]}
    if kind == "Link" and not safe_target(node["c"][2][0]):
        return {"t": "Span", "c": [["", ["link-refused"], []], rewrite(node["c"][1], walk)]}
    position = _ATTRIBUTE_POSITION.get(kind)
    if position is not None and node["c"][position][2]:
        content = list(node["c"])
        identifier, classes, pairs = content[position]
        content[position] = [identifier, classes, _safe_pairs(pairs)]
        return {**node, "c": rewrite(content, walk)}
    return None


# An HTML comment as an HTML tokenizer reads it: "<!--" then the first "-->" or "--!>",
# "<!-->" and "<!--->" (empty), or the rest of the text when it is never closed. One
# left-to-right scan: a text of many comments costs its length, not its length squared.
_HTML_COMMENT = re.compile(r"<!--(?:-?>|.*?--!?>|.*\Z)", re.DOTALL)


def without_html_comments(html_text: str) -> str:
    """Raw HTML with its comments taken out."""
    return _HTML_COMMENT.sub("", html_text)


def _runs_with_kept_tags(tree) -> list[list]:
    """Every list of inlines (the run a paragraph, an emphasis, a link… holds) in which a
    kept HTML tag stands; found without recursion, at any depth."""
    runs, stack = [], [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            if any(isinstance(x, dict) and x.get("t") == "RawInline" for x in item):
                runs.append(item)
            stack.extend(item)
        elif isinstance(item, dict) and "c" in item:
            stack.append(item["c"])
    return runs


def _balance_kept_tags(inlines: list) -> None:
    """The harmless tags kept as HTML (``<sup>``…``</sup>``) only in pairs, opened and
    closed in the same run of inlines: an unclosed ``<u>`` would underline the rest of the
    HTML page and make an EPUB chapter malformed XML. A tag without its pair is text, as
    written."""
    open_tags: list[tuple[str, int]] = []
    unpaired: list[int] = []
    written: dict[int, str] = {}
    for position, item in enumerate(inlines):
        if item.get("t") != "RawInline" or item["c"][0] != "html":
            continue
        written[position] = item["c"][1]
        tag = item["c"][1].strip().lower()
        name = tag.strip("</> ")
        # written as XHTML wants it ("<BR>" is not XML): the EPUB's chapters are XHTML
        item["c"][1] = "<br />" if name == "br" else f"</{name}>" if tag.startswith("</") else f"<{name}>"
        if name == "br":
            continue
        if tag.startswith("</"):
            if open_tags and open_tags[-1][0] == name:
                open_tags.pop()
            else:
                unpaired.append(position)
        else:
            open_tags.append((name, position))
    for position in unpaired + [position for _, position in open_tags]:
        inlines[position] = {"t": "Str", "c": written[position]}


def write(ast: dict, to: str, extra_args: Sequence[str] = (), sandbox: bool = True) -> bytes:
    return run_pandoc(["-f", "json", "-t", to, *extra_args], json.dumps(ast).encode("utf-8"), sandbox)


def with_metadata(ast: dict, values: dict) -> dict:
    """The AST with the book's metadata set, every value a literal string (``MetaString``):
    never read as Markdown nor as YAML, so a title such as ``*true*`` prints as written.
    Empty values are left out; lists become ``MetaList``. Notes' own frontmatter is never
    passed here, so a note's ``css:`` or ``header-includes:`` does nothing."""
    meta = {}
    for key, value in values.items():
        if isinstance(value, (list, tuple)):
            items = [{"t": "MetaString", "c": str(item)} for item in value if item not in (None, "")]
            if items:
                meta[key] = {"t": "MetaList", "c": items}
        elif value not in (None, ""):
            meta[key] = {"t": "MetaString", "c": str(value)}
    return {**ast, "meta": meta}
