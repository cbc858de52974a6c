"""Block ids: ``^id`` turned into anchors that ``[[Note#^id]]`` reaches, and taken out of the text.

An id at the end of a list item or a quoted line marks that line: an empty span carries the
anchor there. An id at the end of a paragraph marks the paragraph, and an id alone on its
line marks the block just above it (a list, a table, a callout): the block is wrapped in a
fenced div carrying the anchor. Inside an embed (``with_ids`` false) the ids only vanish:
the anchor belongs to the note's own place in the book.
"""

from __future__ import annotations

from collections.abc import Callable

from .structure import BLOCK_ID, HEADING, LIST_OR_QUOTE, block_extent


def mark_block_ids(text: str, anchor_of: Callable[[str], str], with_ids: bool) -> str:
    lines = text.split("\n")
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for i, line in enumerate(lines):
        found = BLOCK_ID.search(line)
        if not found or HEADING.match(line):
            continue
        anchor = anchor_of(found.group(1))
        before = line[:found.start()]
        if before.strip() and LIST_OR_QUOTE.match(line):
            lines[i] = before + (f" []{{#{anchor}}}" if with_ids else "")
            continue
        alone = not before.strip()  # else it ends a paragraph: the paragraph is the block
        lines[i] = "" if alone else before
        first, last = block_extent(lines, i, alone)
        if last < 0:
            continue
        if with_ids:
            opens.setdefault(first, []).append(f"\n::: {{#{anchor} .block}}")
            closes.setdefault(last, []).append(":::\n")
    if not opens:
        return "\n".join(lines)
    out = []
    for i, line in enumerate(lines):
        out.extend(opens.get(i, []))
        out.append(line)
        out.extend(closes.get(i, []))
    return "\n".join(out)
