"""Transform: one note's syntax tree to its text in the book, by the book rules in their order.

``transform_note(note, level, book)`` renders the note at its own place, its title at
heading level ``level``, and returns a `NoteOutput`: the pandoc blocks of its body and
its content key. The output is a pure function of the note, the answers the resolver
gives about what it links to or embeds (recorded while rendering, ``RenderState.seen``),
and the config: no counter or store is shared between notes (footnotes are pandoc
``Note`` elements, numbered by the writers), so notes can be rendered in any order, in
parallel, or taken from a cache by their key.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from . import __version__
from .model import Note
from .parse.walk import copy_tree
from .rules import BOOK_RULES
from .rules.context import BookContext, RenderState, RuleContext


@dataclass(frozen=True)
class NoteOutput:
    path: str
    blocks: list  # pandoc blocks of the note's body (its title is the template's)
    key: str  # sha-256 of everything the blocks were made from


def render_blocks(blocks: list, book: BookContext, state: RenderState) -> list:
    """``blocks`` (owned by the caller: they are changed) through every book rule."""
    context = RuleContext(book, state)
    for rule in BOOK_RULES:
        blocks, _ = rule.apply(blocks, context)
    return blocks


def transform_note(note: Note, level: int, book: BookContext, settings: tuple = ()) -> NoteOutput:
    """The note at its own place. ``settings``: the config values the rules depend on, for the key."""
    state = RenderState(note, floor=level, shift=level - 1, with_ids=True, chain=(f"{note.path}#",))
    blocks = render_blocks(copy_tree(book.tree_of(note)), book, state)
    digest = hashlib.sha256()
    for part in (__version__, note.path, note.body, level, settings, state.seen):
        digest.update(json.dumps(part, ensure_ascii=False, default=str).encode("utf-8"))
        digest.update(b"\x1e")
    return NoteOutput(note.path, blocks, digest.hexdigest())
