"""The plain data passed from one stage to the next.

Every stage takes and returns these frozen values, so a stage can be tested alone and the
data followed from the vault on disk to the book without hidden state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A reference to another note written in a frontmatter field (``parent: "[[X]]"``)."""

    target: str  # the note name, without ``[[ ]]``, ``#heading`` or ``|label``
    line: int | None  # file line of the field


@dataclass(frozen=True)
class Note:
    """One Markdown note, decoded, with its frontmatter read and checked."""

    path: str  # vault-relative POSIX path, e.g. "Enjeux/ENJEU_ Autonomie.md"
    title: str  # display title: frontmatter title, else the first H1, else the file name
    body: str
    body_line: int  # file line on which ``body`` starts
    meta: dict[str, Any] = field(default_factory=dict)  # the frontmatter, as parsed
    field_lines: dict[str, int] = field(default_factory=dict)  # file line of each key
    type: str | None = None
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    parents: tuple[NoteRef, ...] = ()  # normally one; several is reported by the outline
    children: tuple[NoteRef, ...] = ()
    order: float | None = None

    @property
    def stem(self) -> str:
        """The file name without folder and ``.md``: Obsidian's name for the note."""
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".md") else name

    @property
    def folder(self) -> str:
        """The vault-relative folder ('' at the top)."""
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""


@dataclass(frozen=True)
class Attachment:
    """A non-note file that notes may embed (image, PDF, audio...)."""

    path: str  # vault-relative POSIX path

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Vault:
    """Everything read from disk: the notes, the attachments and what reading them found."""

    root: str  # absolute path of the vault folder
    notes: tuple[Note, ...]
    attachments: tuple[Attachment, ...]
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Node:
    """A place in the book: a note, or a folder that has no note of its own."""

    title: str
    note: Note | None
    children: tuple[Node, ...] = ()
    folder: str | None = None  # set for a node made from a folder (folder fallback)


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A note that is not in the book, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Outline:
    """The book's tree. ``root.note`` is None when the book has no single root note."""

    root: Node
    mode: str  # "hierarchy" (parent/child fields) or "folders" (the folder tree)
    excluded: tuple[Exclusion, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    def walk(self):
        """Yield ``(depth, node)`` in book order; the root is depth 0. Iterative: no depth limit."""
        stack = [(0, self.root)]
        while stack:
            depth, node = stack.pop()
            yield depth, node
            stack.extend((depth + 1, child) for child in reversed(node.children))

    def numbered(self):
        """Yield ``(number, node)`` in book order, numbered like the book's sections
        (``""`` for the root, then ``1``, ``1.1``, ``2``…). Iterative: no depth limit."""
        stack: list[tuple[str, Node]] = [("", self.root)]
        while stack:
            number, node = stack.pop()
            yield number, node
            prefix = f"{number}." if number else ""
            stack.extend((f"{prefix}{i}", child) for i, child in reversed(list(enumerate(node.children, 1))))


@dataclass(frozen=True)
class Words:
    """The book's own words, in its language (titles of its parts, the field colon)."""

    contents: str
    edition: str
    colon: str  # between a key and its value: a no-break space before it in French
    relations: str
    source: str
    references: str
    outside_note: str  # the footnote of a link to a note not in the book; {title} is its title


@dataclass(frozen=True)
class Book:
    """What templates and writers know of the book as a whole."""

    title: str
    subtitle: str | None
    authors: tuple[str, ...]
    language: str
    date: str
    edition: str | None
    version: str  # miena-book's
    keywords: tuple[str, ...]
    identifier: str | None
    words: Words
    bibliography: bool = False  # whether citations are formatted and a References chapter ends it
