"""Report: the outline as text, for ``miena-book tree`` and for reviewing golden files.

Each place in the book is one line, indented by depth and numbered like the book's
sections (``2.1.3``), with the display title and the note's type; the notes left out
follow under their own heading, each with its reason.
"""

from __future__ import annotations

from .model import Node, Outline


def _label(node: Node) -> str:
    if node.note is None:
        return f"{node.title}/" if node.folder else node.title
    return f"{node.title}  ({node.note.type})" if node.note.type else node.title


def format_tree(outline: Outline, show_paths: bool = False) -> str:
    lines = []
    for number, node in outline.numbered():
        depth = number.count(".") + 1 if number else 0
        text = _label(node)
        if show_paths and node.note is not None:
            text += f"  [{node.note.path}]"
        lines.append("  " * depth + (f"{number}  " if number else "") + text)
    if outline.excluded:
        lines += ["", f"Left out of the book ({len(outline.excluded)}):"]
        lines += [f"  {item.path}: {item.reason}" for item in outline.excluded]
    return "\n".join(lines)
