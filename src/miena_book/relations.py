"""Relations: the typed links a note declares, from its inline fields and its frontmatter.

``Régulation:: [[MOD_ X]]`` in the text, ``sibling: "[[X]]"`` in the frontmatter: each is a
relation from the note to X, named by the key. Frontmatter fields that place the note in
the book (``parent``, ``child``) or describe it are not relations; ``sibling``, ``related``,
``source``, ``domain`` are, even holding a plain name; any other field is, for the
wikilinks it holds. Read from the note's facts; the templates print them both ways.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analyse import NoteFacts
from .diagnostics import Diagnostic, warning
from .model import Note
from .names import NameIndex
from .obsidian.fields import FRONTMATTER_RELATIONS
from .vault.read import NOTE_FIELDS, WIKILINK, note_names_in


@dataclass(frozen=True)
class Relation:
    """One typed relation a note declares: ``Régulation:: [[X]]`` or ``sibling: [[X]]``."""

    key: str
    target: Note | None  # None: the value is text (or a link to no note)
    text: str  # the value as written, without the brackets
    line: int | None
    cite: str | None = None  # the work a value such as ``[@key]`` cites

def frontmatter_relations(note: Note, index: NameIndex,
                          find_attachment=None) -> tuple[list[Relation], list[Diagnostic]]:
    """``find_attachment(name, from_path)``: the vault path of a file a field names
    (``cover: "[[travolta.png]]"`` is a file, not a note: no relation, no warning)."""
    found, problems = [], []
    for key, values in note.meta.items():
        if key in NOTE_FIELDS:
            continue
        line = note.field_lines.get(key)
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str) or not value.strip():
                continue
            linked = bool(WIKILINK.search(value))
            if key not in FRONTMATTER_RELATIONS and not linked:
                continue  # an ordinary field: only its [[links]] are relations
            for name in note_names_in(value):
                if find_attachment is not None and find_attachment(name, note.path) is not None:
                    continue
                target = index.resolve(name, note.path).note
                if target is None and linked:  # a plain value that names no note is just text
                    problems.append(warning("link.unresolved", f"{key}: [[{name}]] matches no note; shown as text",
                                            note.path, line))
                found.append(Relation(key, target, name, line))
    return found, problems


def field_relations(note: Note, facts: NoteFacts, index: NameIndex) -> list[Relation]:
    found = []
    for field in facts.fields:
        if not field.links and field.text:
            found.append(Relation(field.key, None, field.text, field.line, field.citations[0] if field.citations
                                  else None))
        for name in field.links:
            found.append(Relation(field.key, index.resolve(name, note.path).note, name, field.line))
    return found


def note_relations(note: Note, facts: NoteFacts, index: NameIndex,
                   find_attachment=None) -> tuple[list[Relation], list[Diagnostic]]:
    """Frontmatter relations first, then the text's, in the order written."""
    front, problems = frontmatter_relations(note, index, find_attachment)
    return [*front, *field_relations(note, facts, index)], problems
