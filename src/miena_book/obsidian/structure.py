"""Structure: the headings and block ids of a note, the targets of ``[[note#…]]`` links and embeds.

Obsidian links to a heading by its text (``[[Note#📌 Description]]``, ``[[Note#Parent#Child]]``)
and to a block by an id written at the end of it (``^id``). This module finds both in a
note's prose (never in code), with their lines, and cuts out the text an embed shows: a
heading's section runs to the next heading of the same or a higher level; a block is the
paragraph, list item or whole block (list, table, callout) its id marks.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass

from ..fences import segments
from ..slugs import ascii_slug

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
# "text ^id" at a line's end, or "^id" alone on its line; ids are letters, digits and dashes
BLOCK_ID = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)[ \t]*$")
_LINK_UNSAFE = re.compile(r"[#^|:\[\]\\%]+")
LIST_OR_QUOTE = re.compile(r"^[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|>)")


def heading_key(text: str) -> str:
    """How a heading is compared with the text of a link: Obsidian drops the characters a
    link cannot hold (``# ^ | : [ ]``), so "Étape 1 : plan" is linked as "Étape 1  plan"."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(_LINK_UNSAFE.sub(" ", text).split()).casefold()


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line_index: int  # index in the body's lines
    slug: str  # unique within the note


def block_extent(lines: list[str], marker: int, alone: bool) -> tuple[int, int]:
    """The lines (first, last) a block id on line ``marker`` marks: the paragraph it ends, or,
    when it stands alone, the block just above it (back to a blank line or a heading).
    ``last`` is -1 when nothing stands above a lone id."""
    last = marker
    if alone:
        last = marker - 1
        while last >= 0 and not lines[last].strip():
            last -= 1
    first = last
    while first > 0 and lines[first - 1].strip() and not HEADING.match(lines[first - 1]):
        first -= 1
    return first, last


@dataclass(frozen=True)
class Block:
    block_id: str
    first: int  # line indexes of the block, inclusive
    last: int


class NoteStructure:
    """Headings and blocks of one note's body."""

    def __init__(self, body: str):
        self.lines = body.split("\n")
        self._line_starts = list(itertools.accumulate((len(line) + 1 for line in self.lines[:-1]), initial=0))
        self.headings: list[Heading] = []
        self.blocks: dict[str, Block] = {}
        used: dict[str, int] = {}
        index = 0
        for is_code, text in segments(body):
            count = text.count("\n") + 1
            if not is_code:
                self._scan(index, count, used)
            index += count

    def _scan(self, start: int, count: int, used: dict[str, int]) -> None:
        for i in range(start, start + count):
            line = self.lines[i]
            match = HEADING.match(line)
            if match:
                slug = ascii_slug(match.group(2), 60, "section")
                used[slug] = used.get(slug, 0) + 1
                if used[slug] > 1:
                    slug = f"{slug}-{used[slug]}"
                self.headings.append(Heading(len(match.group(1)), match.group(2), i, slug))
                continue
            found = BLOCK_ID.search(line)
            if found and found.group(1) not in self.blocks:
                self.blocks[found.group(1)] = self._block(found.group(1), i, line[:found.start()].strip() == "")

    def _block(self, block_id: str, marker: int, alone: bool) -> Block:
        if not alone and LIST_OR_QUOTE.match(self.lines[marker]):
            return Block(block_id, marker, marker)  # a list item or quoted line
        first, last = block_extent(self.lines, marker, alone)
        return Block(block_id, max(first, 0), max(last, 0))

    @property
    def title_heading(self) -> Heading | None:
        """The note's title heading: its first H1 outside code, the one ``read.first_h1``
        takes as the title (the book prints it above the note, not inside it)."""
        return next((heading for heading in self.headings if heading.level == 1), None)

    def line_index(self, position: int) -> int:
        """The index of the line holding character ``position`` of the body."""
        return bisect.bisect_right(self._line_starts, position) - 1

    def find_heading(self, path: list[str]) -> Heading | None:
        """The heading a link's ``#A#B`` names: B, under A when A is given."""
        wanted = [heading_key(part) for part in path if part.strip()]
        if not wanted:
            return None
        candidates = [h for h in self.headings if heading_key(h.text) == wanted[-1]]
        for heading in candidates:
            if self._has_ancestors(heading, wanted[:-1]):
                return heading
        return None

    def _has_ancestors(self, heading: Heading, ancestors: list[str]) -> bool:
        level, position = heading.level, self.headings.index(heading)
        remaining = list(ancestors)
        for earlier in reversed(self.headings[:position]):
            if not remaining:
                break
            if earlier.level < level:
                level = earlier.level
                if heading_key(earlier.text) == remaining[-1]:
                    remaining.pop()
        return not remaining

    def section_lines(self, heading: Heading) -> tuple[int, int]:
        """Line range (inclusive, exclusive) of a heading's section, its heading included."""
        position = self.headings.index(heading)
        end = len(self.lines)
        for later in self.headings[position + 1:]:
            if later.level <= heading.level:
                end = later.line_index
                break
        return heading.line_index, end
