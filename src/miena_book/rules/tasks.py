"""Task boxes: a list item opening with ``[ ]``, ``[x]`` or ``[-]`` (or any ``[c]``) shows its box.

☐ open, ☑ done, ☒ cancelled; any other state character is printed in its brackets, as
Obsidian's themes show it. The box is a ``.task`` span (``.task-open``, ``.task-done``,
``.task-other``) at the start of the item's first paragraph.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..parse.tree import attr
from ..parse.walk import replace_blocks

_BOXES = {" ": "☐", "x": "☑", "X": "☑", "-": "☒"}
_BOX = re.compile(r"^\[(.)\]$")


def _status(inlines: list) -> tuple[str, int] | None:
    """The task's state character and how many inlines its box takes."""
    if len(inlines) >= 4 and [n.get("t") for n in inlines[:4]] == ["Str", "Space", "Str", "Space"] \
            and inlines[0]["c"] == "[" and inlines[2]["c"] == "]":
        return " ", 3
    if len(inlines) >= 2 and inlines[0].get("t") == "Str" and inlines[1].get("t") == "Space":
        found = _BOX.match(inlines[0]["c"])
        if found:
            return found.group(1), 1
    return None


def box(status: str) -> dict:
    shown = _BOXES.get(status, f"[{status}]")
    state = "done" if status in "xX" else "open" if status == " " else "other"
    return {"t": "Span", "c": [attr("", ["task", f"task-{state}"]), [{"t": "Str", "c": shown}]]}


def tasks(tree: list, context) -> tuple[list, list[Diagnostic]]:
    def replace(node: dict):
        if node.get("t") not in ("BulletList", "OrderedList"):
            return None
        items = node["c"] if node["t"] == "BulletList" else node["c"][1]
        for item in items:
            if item and item[0].get("t") in ("Plain", "Para"):
                found = _status(item[0]["c"])
                if found:
                    status, used = found
                    item[0]["c"][:used] = [box(status)]
        return None

    replace_blocks(tree, replace)
    return tree, []
