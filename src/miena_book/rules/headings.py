"""Headings: placed below the note's title, never skipping a level, with the ids links reach.

The note's own title (its first H1) is dropped where the note stands at its own place:
the template prints the title. Every other heading moves under the title (or under the
heading an embed lands below), at most one level deeper than the heading before it, never
past h6, and gets the id ``<note anchor>--<slug>`` that ``[[Note#Heading]]`` reaches.
In an embedded copy headings get no id (the original has it) and are ``.unlisted
.embedded``: no entry in the table of contents, no bookmark.

Syntax part (``number_headings``, at parse time): each heading is numbered and given its
slug, unique in the note, so that facts and the rendered tree name the same heading; the
note's title heading is marked (``"title"``): its first H1 written with ``#`` at the top of
the note's blocks, the one ``read.first_h1`` takes as the note's title.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..links import heading_anchor
from ..parse.walk import iter_nodes, plain_text
from ..slugs import ascii_slug


def number_headings(tree: list, context) -> tuple[list, list[Diagnostic]]:
    title = next((node for node in tree if node.get("t") == "Header" and node["c"][0] == 1 and node.get("atx")),
                 None)
    if title is not None:
        title["title"] = True
    used: set[str] = set()
    number = 0
    for node in iter_nodes(tree):
        if node.get("t") != "Header":
            continue
        # from what a reader sees of it: a comment in a heading stays out of its id
        base = ascii_slug(plain_text(node["c"][2]), 60, "section")
        slug, count = base, 1
        while slug in used:  # "Plan", "Plan", "Plan 2": plan, plan-2, then plan-2-2
            count += 1
            slug = f"{base}-{count}"
        used.add(slug)
        node["heading"], node["slug"] = number, slug
        number += 1
    return tree, []


def place_headings(tree: list, context) -> tuple[list, list[Diagnostic]]:
    state = context.state
    previous = state.floor
    kept = []
    for node in tree:
        if node.get("t") == "Header":
            if state.with_ids and node.get("title"):
                continue
            level = node["c"][0]
            wanted = min(max(level + state.shift, state.floor + 1), previous + 1, 6)
            previous = wanted
            node["c"][0] = wanted
            if state.with_ids and "heading" in node:
                node["c"][1] = [heading_anchor(state.note, node["slug"]), [], []]
            else:
                node["c"][1] = ["", ["unlisted", "embedded"], []]
        kept.append(node)
    tree[:] = kept
    # headings inside quotes, callouts and lists stay where they are, shifted alike, out of
    # the table of contents; links reach them all the same
    top = {id(node) for node in kept}
    for node in iter_nodes(tree):
        if node.get("t") == "Header" and id(node) not in top:
            node["c"][0] = min(max(node["c"][0] + state.shift, state.floor + 1), 6)
            anchor = heading_anchor(state.note, node["slug"]) if state.with_ids and "slug" in node else ""
            node["c"][1] = [anchor, ["unlisted"] if state.with_ids else ["unlisted", "embedded"], []]
    return tree, []
