"""Callouts: ``> [!type]± Title`` blockquotes to styled blocks (pandoc fenced divs).

Every Obsidian type and alias is known, with its icon; an unknown type is kept as a
custom callout in the neutral style. Foldable callouts (``+``/``-``) are printed open.
Callouts nest (``> > [!tip]``) and may sit in a list item: the block keeps its
indentation. The output is::

    ::: {.callout .callout-warning data-callout="attention"}
    ::: callout-title
    ⚠️ Title
    :::

    body

    :::
"""

from __future__ import annotations

import re

from ..slugs import ascii_slug

OPENING = re.compile(r"^(?P<indent>[ \t]*)>[ \t]?\[!(?P<type>[^\]\n]+)\](?P<fold>[+-]?)[ \t]*(?P<title>.*)$")

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


def convert(text: str) -> str:
    """Every callout of ``text`` (prose, no code) as a fenced div; other lines unchanged."""
    return "\n".join(_convert_lines(text.split("\n")))


def _convert_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        opening = OPENING.match(lines[i])
        if not opening:
            out.append(lines[i])
            i += 1
            continue
        indent = opening.group("indent")
        quoted = re.compile(r"^" + re.escape(indent) + r">[ \t]?")
        body = []
        i += 1
        while i < len(lines) and quoted.match(lines[i]):
            body.append(quoted.sub("", lines[i], count=1))
            i += 1
        out.extend(_callout(opening, indent, _convert_lines(body)))
    return out


def _callout(opening: re.Match[str], indent: str, body: list[str]) -> list[str]:
    written = opening.group("type").strip()
    kind = canonical_type(written)
    icon = TYPES[kind][0] if kind else TYPES["note"][0]
    classes = f".callout .callout-{kind}" if kind else f".callout .callout-custom .callout-{ascii_slug(written)}"
    title = opening.group("title").strip() or written[:1].upper() + written[1:].lower()
    fold = {"+": " data-fold=\"open\"", "-": " data-fold=\"closed\""}.get(opening.group("fold"), "")
    written_attr = written.replace('"', "")
    lines = ["", f"::: {{{classes} data-callout=\"{written_attr}\"{fold}}}", "::: callout-title",
             f"{icon} {title}", ":::", "", *body, "", ":::", ""]
    return [indent + line if line else line for line in lines]
