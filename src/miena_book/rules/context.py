"""What the book rules know while they turn one note (or one embedded part of one) into book text.

`BookContext` is shared by every note of a build and holds only data that does not change
while notes are rendered: the resolver, the parsed trees, the assets, the config's
choices. `RenderState` is one rendering: the note, where its headings go, whether it
stands at its own place (ids) or inside an embed, the chain of embeds around it, and
``seen``, every answer read from outside the note, from which its content key is made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..links import Resolver
from ..model import Note


@dataclass(frozen=True)
class BookContext:
    resolver: Resolver
    tree_of: Callable[[Note], list]  # the note's parsed tree (shared: copy before changing)
    image_uri: Callable[[str], str | None]  # vault path of an image -> data URI, None if unreadable
    colon: str = "\u00a0:"  # between a field's key and value, in the book's language
    embed_depth: int = 10
    link_text: str = "title"  # a link without a label: the target's display title, or as 'written'
    type_prefixes: tuple[str, ...] = ()  # left out of a file name shown as a title


@dataclass
class RenderState:
    note: Note
    floor: int  # headings go below this level: the note's title, or where an embed lands
    shift: int  # added to a heading's written level
    with_ids: bool  # False inside an embed: the note's own place has the ids
    chain: tuple[str, ...]  # embeds being expanded, outermost first
    seen: list = field(default_factory=list)

    def note_input(self, *parts) -> None:
        """Record something read from outside the note: it is part of the content key."""
        self.seen.append(parts)


@dataclass(frozen=True)
class RuleContext:
    book: BookContext
    state: RenderState

    @property
    def note(self) -> Note:
        return self.state.note
