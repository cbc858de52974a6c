"""Block ids: ``^id`` at the end of a block names it, for ``[[Note#^id]]`` and ``![[Note#^id]]``.

Obsidian's rules, read on the tree:

* ``text ^id`` ending a paragraph names the paragraph; ending a list item's text, the item;
* ``^id`` alone (a paragraph of its own) names the block just before it: a list, a table,
  a quote, a callout, a paragraph;
* ``^id`` ending a quote's or a callout's last line (or on a lazy line after it) names the
  whole quote or callout;
* ``![[figure.png]]^id``, an id right after an embed, names the paragraph holding the embed.

The id leaves the text; the named node gets ``"blockid"`` (and the line the id is written
on, ``"blockid_line"``). A list item's id is kept on the item's first paragraph with
``"blockid_item"``, since pandoc's list items are bare lists. Ids are letters, digits and
dashes, as Obsidian writes them.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, warning
from ..parse.walk import child_lists, iter_nodes

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
                if found:  # "> text ^id" or a lazy "^id" line: the quote (or callout) is named
                    block["blockid"], block["blockid_line"] = found[0], _line_of_end(last)
                    del last["c"][found[1]:]
                    if not last["c"]:
                        block["c"].pop()
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


def block_ids(tree: list, note) -> tuple[list, list[Diagnostic]]:
    _mark_blocks(tree, False)
    # an id names one block: a second block of the same id is reported and keeps no anchor
    seen: set[str] = set()
    found = []
    for node in iter_nodes(tree):
        block_id = node.get("blockid")
        if block_id is None:
            continue
        if block_id in seen:
            found.append(warning("block.duplicate", f"^{block_id} names an earlier block of this note too; "
                                 "links go to the first", note.path, node.get("blockid_line")))
            node["blockid_duplicate"] = True
        seen.add(block_id)
    return tree, found
