"""Anchors: the blocks ``^id`` named receive the ids that ``[[Note#^id]]`` links reach.

A named paragraph, list, table, quote or callout is wrapped in a ``.block`` div carrying
the anchor; a named list item gets an empty span with the anchor at the end of its text.
In an embedded copy the names only vanish: the anchor belongs to the note's own place.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..links import block_anchor
from ..parse.tree import attr
from ..parse.walk import child_lists, replace_blocks


def anchors(tree: list, context) -> tuple[list, list[Diagnostic]]:
    state = context.state

    def replace(node: dict):
        if "blockid" not in node:
            return [node] if node.get("embedded") else None
        block_id = node.pop("blockid")
        node.pop("blockid_line", None)
        in_item = node.pop("blockid_item", False)
        if not state.with_ids or node.pop("blockid_duplicate", False):
            return None
        anchor = block_anchor(state.note, block_id)
        if in_item and node.get("t") in ("Para", "Plain"):
            node["c"].append({"t": "Span", "c": [attr(anchor), []]})
            return None
        for kind, children in child_lists(node):  # ids inside the named block
            if kind == "blocks" and not node.get("embedded"):
                replace_blocks(children, replace)
        return [{"t": "Div", "c": [attr(anchor, ["block"]), [node]]}]

    replace_blocks(tree, replace)
    return tree, []
