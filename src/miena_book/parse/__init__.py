"""Parse: each note's body read once into a syntax tree whose nodes carry their source line.

``parse_note(note)`` returns a `ParsedNote`: the tree (pandoc's JSON shapes, see
``parse.tree``) after the syntax rules that need nothing but the note itself
(``rules.SYNTAX_RULES``: block ids, callouts, task boxes, inline fields, heading numbers),
and the diagnostics of reading it. The result depends on the note alone, so it is
computed once per note and shared by the analysis, ``check`` and the transform.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..model import Note
from .syntax import parser
from .tree import to_tree


@dataclass(frozen=True)
class ParsedNote:
    blocks: list  # never changed after parsing: a rendering works on a copy
    diagnostics: tuple[Diagnostic, ...]


def parse_note(note: Note) -> ParsedNote:
    from ..rules import SYNTAX_RULES

    tokens = parser().parse(note.body)
    parsed = to_tree(tokens, note.path, note.body_line)
    tree, diagnostics = parsed.blocks, list(parsed.diagnostics)
    for rule in SYNTAX_RULES:
        tree, found = rule.apply(tree, note)
        diagnostics.extend(found)
    return ParsedNote(tree, tuple(diagnostics))
