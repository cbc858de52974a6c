"""Inline fields (Dataview): ``Key:: value`` lines, and the fields the parser found inside text.

Three forms, as Dataview reads them:

* ``Key:: value`` filling a line (of a paragraph, a list item, a quote); the key may be
  bold (``**Key**:: value``); ``std::vector`` is no field (a space or the line's end must
  follow the ``::``);
* ``[Key:: value]`` inside text, shown as « Key : value »;
* ``(Key:: value)`` inside text, shown as the value only.

The last two are the parser's (``parse.syntax.inline_field``). This rule finds the first:
each such line becomes an ``InlineField`` node, its value parsed Markdown (a wikilink, a
quoted wikilink, text). The book rule ``fields_shown`` prints them; analysis reads each
field's links as typed relations of the note.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..parse.walk import iter_nodes, plain_text, replace_blocks

_KEY = re.compile(r"^[^\s:*_\[\]()`>|#][^:\[\]()`|]*$")
_KEY_PARTS = {"Str", "Space", "Strong", "Emph"}


def _lines(inlines: list) -> tuple[list[list], list[dict]]:
    """The inlines line by line, and the break ending each line but the last."""
    lines: list[list] = [[]]
    breaks: list[dict] = []
    for node in inlines:
        if node.get("t") in ("SoftBreak", "LineBreak"):
            lines.append([])
            breaks.append(node)
        else:
            lines[-1].append(node)
    return lines, breaks


def _field(line: list, number: int | None) -> list | None:
    """The line as ``[task box?, InlineField]``, or None when it is no field."""
    lead = []
    if line and line[0].get("t") == "Span" and "task" in line[0]["c"][0][1]:
        lead, line = line[:2], line[2:]
    for index, node in enumerate(line):
        kind = node.get("t")
        if kind == "Str" and "::" in node["c"]:
            before, _, after = node["c"].partition("::")
            if after and not after.startswith(":") and after.strip():
                return None  # "std::vector": no space after the colons
            if after.startswith(":"):
                return None  # ":::" fences
            key = (plain_text(line[:index]) + before).strip()
            bare = key.strip("*_").strip()
            if not bare or not _KEY.match(bare) or any(n.get("t") not in _KEY_PARTS for n in line[:index]):
                return None
            value = line[index + 1:]
            while value and value[0].get("t") == "Space":
                value = value[1:]
            return [*lead, {"t": "InlineField", "key": bare, "paren": False, "c": value,
                            "line": number}]
        if kind not in _KEY_PARTS:
            return None
    return None


_QUOTES = "\"'“”‘’«»\u00a0 "


def unquote_links(value: list) -> None:
    """``"[[X]]"`` -> ``[[X]]`` (in place): a quoted wikilink in a field, as YAML-minded
    authors write it, is still a link, and its quotes are not text."""
    for index, node in enumerate(value):
        if node.get("t") != "WikiLink":
            continue
        if index > 0 and value[index - 1].get("t") == "Str":
            value[index - 1]["c"] = value[index - 1]["c"].rstrip(_QUOTES)
        if index + 1 < len(value) and value[index + 1].get("t") == "Str":
            value[index + 1]["c"] = value[index + 1]["c"].lstrip(_QUOTES)
    value[:] = [node for node in value if not (node.get("t") == "Str" and node["c"] == "")]


def line_fields(tree: list, context) -> tuple[list, list[Diagnostic]]:
    def replace(node: dict):
        if node.get("t") not in ("Para", "Plain"):
            return None
        inlines = node["c"]
        if not any(n.get("t") == "Str" and "::" in n["c"] for n in inlines):
            return None
        out: list = []
        changed = False
        line = node.get("line")
        lines, breaks = _lines(inlines)
        for offset, text in enumerate(lines):
            made = _field(text, None if line is None else line + offset)
            if offset:
                out.append(breaks[offset - 1])
            out.extend(made if made is not None else text)
            changed = changed or made is not None
        if changed:
            node["c"] = out
        return None

    replace_blocks(tree, replace)
    for node in iter_nodes(tree):
        if node.get("t") == "InlineField":
            unquote_links(node["c"])
    return tree, []
