"""Citations: pandoc's syntax, ``[@key, p. 12]``, ``[see @a; -@b]``, ``@key`` and ``@key [p. 12]``.

A bracketed citation (the parser's ``Citation`` node) of known keys becomes a pandoc
``Cite`` that the citeproc stage formats; of an unknown key, the text as written (the
analysis warns, ``cite.unknown``). ``@key`` in running text is a citation with the author
in the sentence when ``key`` is known, and plain text otherwise (an e-mail handle, a
mention). Without a citation style nothing is formatted and everything stays as written.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..parse.syntax import CITATION_KEY, split_citation_key
from ..parse.tree import text_inlines
from ..parse.walk import child_lists, replace_inlines
from .xrefs import cite, citation_item

_IN_TEXT = re.compile(r"(?<![\w@\\-])@(?P<key>" + CITATION_KEY + r")")


def _bracketed(node: dict, known) -> list:
    if not all(known(item["key"]) for item in node["items"]):
        return text_inlines(node["written"])
    citations = [citation_item(item["key"], item["mode"], text_inlines(item["prefix"]), text_inlines(item["suffix"]))
                 for item in node["items"]]
    return [{"t": "Cite", "c": [citations, text_inlines(node["written"])]}]


def _in_text(inlines: list, index: int, known) -> tuple[list, int] | None:
    """``@key`` (and a ``[locator]`` after it) in the Str at ``index``: the new inlines and
    how many inlines they replace."""
    text = inlines[index]["c"]
    found = _IN_TEXT.search(text)
    if not found:
        return None
    key, rest = split_citation_key(found.group("key"))
    if not known(key):
        return None
    before, after = text[:found.start()], rest + text[found.end():]
    used, suffix = 1, []
    if not after and index + 2 < len(inlines) and inlines[index + 1].get("t") == "Space" \
            and inlines[index + 2].get("t") == "Str" and inlines[index + 2]["c"].startswith("["):
        for end in range(index + 2, min(len(inlines), index + 12)):
            node = inlines[end]
            if node.get("t") not in ("Str", "Space"):
                break
            if node.get("t") == "Str" and node["c"].endswith("]"):
                words = "".join(n["c"] if n["t"] == "Str" else " " for n in inlines[index + 2:end + 1])[1:-1]
                if "@" not in words and "[" not in words:
                    locator = words.strip()
                    suffix = text_inlines(locator if locator.startswith(",") else f", {locator}")
                    used = end - index + 1
                break
    out = ([{"t": "Str", "c": before}] if before else []) + [cite(key, "in-text", suffix=suffix,
                                                                  written=f"@{key}")]
    if after:
        out.append({"t": "Str", "c": after})
    return out, used


def citations(tree: list, context) -> tuple[list, list[Diagnostic]]:
    resolver, state = context.book.resolver, context.state
    known = resolver.citation_known

    def replace(node: dict):
        if node.get("embedded"):
            return [node]
        if node.get("t") == "Citation":
            state.note_input("cite", node["written"], tuple(known(item["key"]) for item in node["items"]))
            return _bracketed(node, known)
        return None

    replace_inlines(tree, replace)
    if resolver.citation_keys:
        _bare_keys(tree, known, state)
    return tree, []


def _bare_keys(tree: list, known, state) -> None:
    """``@key`` in the text's words; never inside a citation, a link's label or a code span."""
    stack = [("blocks", tree)]
    while stack:
        kind, children = stack.pop()
        if kind == "inlines" and any(c.get("t") == "Str" and "@" in c["c"] for c in children):
            i = 0
            while i < len(children):
                child = children[i]
                if child.get("t") == "Str" and "@" in child["c"]:
                    made = _in_text(children, i, known)
                    if made is not None:
                        state.note_input("cite-in-text", child["c"])
                        children[i:i + made[1]] = made[0]
                        i += len(made[0])
                        continue
                i += 1
        for child in children:
            if isinstance(child, dict) and not child.get("embedded") and child.get("t") not in _OPAQUE:
                stack.extend(child_lists(child))


_OPAQUE = {"Cite", "Link", "Code", "CodeBlock", "Math", "RawInline", "RawBlock"}
