"""Callouts: a block quote opening with ``[!type]±`` becomes a styled block.

``> [!warning]- Titre`` is a callout of type warning, folded (printed open: a book cannot
fold), titled « Titre » (markup and links allowed); without a title the type is the
title. Every Obsidian type and alias is known with its icon; an unknown type is a custom
callout in the neutral style. Callouts nest, and hold anything a quote holds: a code
block inside one is the parser's, so it stays code. The result, in pandoc's shapes::

    Div .callout .callout-warning data-callout="attention" [data-fold]
      Div .callout-title [Para [icon, title…]]
      …the body's blocks
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..parse.tree import attr
from ..parse.walk import plain_text, replace_blocks
from ..slugs import ascii_slug

# canonical type -> (icon, aliases), in Obsidian's order
TYPES = {
    "note": ("✏️", ()),
    "abstract": ("📋", ("summary", "tldr")),
    "info": ("ℹ️", ()),
    "todo": ("☑️", ()),
    "tip": ("🔥", ("hint", "important")),
    "success": ("✅", ("check", "done")),
    "question": ("❓", ("help", "faq")),
    "warning": ("⚠️", ("caution", "attention")),
    "failure": ("❌", ("fail", "missing")),
    "danger": ("⚡", ("error",)),
    "bug": ("🐞", ()),
    "example": ("📑", ()),
    "quote": ("💬", ("cite",)),
}
_CANONICAL = {alias: name for name, (_, aliases) in TYPES.items() for alias in (name, *aliases)}


def canonical_type(written: str) -> str | None:
    return _CANONICAL.get(written.strip().lower())


def _opening(first: dict) -> tuple[str, str, list] | None:
    """``(type, fold, rest of the inlines)`` when a paragraph opens with ``[!type]``."""
    inlines = first["c"]
    if not inlines or inlines[0].get("t") != "Str" or not inlines[0]["c"].startswith("[!"):
        return None
    written: list[str] = []
    for index, node in enumerate(inlines):
        if node.get("t") == "SoftBreak" or node.get("t") not in ("Str", "Space"):
            return None
        text = node["c"] if node["t"] == "Str" else " "
        if "]" in text:
            cut = text.index("]")
            written.append(text[:cut])
            after = text[cut + 1:]
            fold = after[:1] if after[:1] in "+-" else ""
            after = after[len(fold):]
            rest = ([{"t": "Str", "c": after}] if after else []) + inlines[index + 1:]
            kind = "".join(written)[2:].split("|", 1)[0]  # "[!note|wide]": a theme's metadata
            return (kind, fold, rest) if kind.strip() else None
        written.append(text)
    return None


def _callout(quote: dict) -> list | None:
    blocks = quote["c"]
    if not blocks or blocks[0].get("t") not in ("Para", "Plain"):
        return None
    opened = _opening(blocks[0])
    if opened is None:
        return None
    written, fold, rest = opened
    while rest and rest[0].get("t") == "Space":
        rest = rest[1:]
    title, body_inlines = rest, []
    for index, node in enumerate(rest):
        if node.get("t") in ("SoftBreak", "LineBreak"):
            title, body_inlines = rest[:index], rest[index + 1:]
            break
    while title and title[-1].get("t") == "Space":
        title = title[:-1]
    kind = canonical_type(written)
    icon = TYPES[kind][0] if kind else TYPES["note"][0]
    classes = ["callout", f"callout-{kind}"] if kind else \
        ["callout", "callout-custom", f"callout-{ascii_slug(written)}"]
    if not plain_text(title).strip():
        title = [{"t": "Str", "c": written.strip()[:1].upper() + written.strip()[1:].lower()}]
    pairs = [["data-callout", written.strip().replace('"', "")]]
    if fold:
        pairs.append(["data-fold", "open" if fold == "+" else "closed"])
    heading = {"t": "Div", "c": [attr("", ["callout-title"]), [{"t": "Para", "c": [{"t": "Str", "c": icon},
                                                                                  {"t": "Space"}, *title]}]]}
    body = ([{"t": "Para", "c": body_inlines, "line": (blocks[0].get("line") or 0) + 1}] if body_inlines else [])
    node = {"t": "Div", "c": [attr("", classes, pairs), [heading, *body, *blocks[1:]]], "line": quote.get("line")}
    for key in ("blockid", "blockid_line"):  # an id written after the quote marks the callout
        if key in quote:
            node[key] = quote[key]
    return [node]


def callouts(tree: list, context) -> tuple[list, list[Diagnostic]]:
    # innermost first would need a second walk; a callout's body is walked after it is made
    def replace(node: dict):
        if node.get("t") != "BlockQuote":
            return None
        made = _callout(node)
        if made is None:
            return None
        replace_blocks(made[0]["c"][1], replace)
        return made

    replace_blocks(tree, replace)
    return tree, []
