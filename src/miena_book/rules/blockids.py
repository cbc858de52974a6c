"""Block ids: ``^id`` at the end of a block names it, for ``[[Note#^id]]`` and ``![[Note#^id]]``.

Obsidian's rules, read on the tree:

* ``text ^id`` ending a paragraph names the paragraph; ending a list item's text, the item;
* ``^id`` alone (a paragraph of its own) names the block just before it: a list, a table,
  a quote, a callout, a paragraph;
* ``^id`` on the last line of a quote or callout (a lazy line of its last paragraph) names
  the whole quote or callout;
* ``![[figure.png]]^id``, an id right after an embed, names the paragraph holding the embed.

The id leaves the text; the named node gets ``"blockid"`` (and the line the id is written
on, ``"blockid_line"``). A list item's id is kept on the item's first paragraph with
``"blockid_item"``, since pandoc's list items are bare lists. Ids are letters, digits and
dashes, as Obsidian writes them.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..parse.walk import child_lists

_ID = re.compile(r"^\^([A-Za-z0-9-]+)$")


def _trailing_id(inlines: list) -> tuple[str, int, bool] | None:
    """``(id, index where the marker starts, alone on its line)`` when inlines end with ``^id``."""
    if not inlines or inlines[-1].get("t") != "Str":
        return None
    found = _ID.match(inlines[-1]["c"])
    if not found:
        return None
    start = len(inlines) - 1
    if start == 0:
        return found.group(1), 0, True
    before = inlines[start - 1]
    kind = before.get("t")
    if kind == "Space":
        return found.group(1), start - 1, start - 1 == 0 or inlines[start - 2].get("t") == "SoftBreak"
    if kind in ("SoftBreak", "LineBreak"):
        return found.group(1), start - 1, True
    if kind == "WikiLink" and before.get("embed") or kind == "Image":
        return found.group(1), start, False
    return None


def _line_of_end(block: dict) -> int | None:
    line = block.get("line")
    if line is None:
        return None
    return line + sum(1 for node in block["c"] if node.get("t") in ("SoftBreak", "LineBreak"))


def _mark_blocks(blocks: list, in_item: bool) -> None:
    i = 0
    while i < len(blocks):
        block = blocks[i]
        kind = block.get("t")
        if kind == "BlockQuote" and block["c"]:
            last = block["c"][-1]
            if last.get("t") in ("Para", "Plain"):
                found = _trailing_id(last["c"])
                if found and found[2] and found[1] > 0:  # a lazy last line: the quote is named
                    block["blockid"], block["blockid_line"] = found[0], _line_of_end(last)
                    del last["c"][found[1]:]
        if kind in ("Para", "Plain"):
            found = _trailing_id(block["c"])
            if found:
                block_id, start, alone = found
                line = _line_of_end(block)
                if start == 0 and alone:  # "^id" alone: the block before is named
                    del blocks[i]
                    if i > 0 and "blockid" not in blocks[i - 1]:
                        blocks[i - 1]["blockid"], blocks[i - 1]["blockid_line"] = block_id, line
                    continue
                del block["c"][start:]
                block["blockid"], block["blockid_line"] = block_id, line
                if in_item:
                    block["blockid_item"] = True
        for child_kind, children in child_lists(block):
            if child_kind == "blocks":
                _mark_blocks(children, kind in ("BulletList", "OrderedList"))
        i += 1


def block_ids(tree: list, context) -> tuple[list, list[Diagnostic]]:
    _mark_blocks(tree, False)
    return tree, []
