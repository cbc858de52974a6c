"""Links: what each link and embed of a note points at, decided once for ``check`` and ``build``.

A `Resolver` knows the vault's names, every note's facts, which notes are in the book and
the bibliography's keys. ``link(note, fact)`` and ``embed(note, fact)`` say where a link
goes (a cross-reference, a citation, plain text) and what an embed brings (a note's text,
a section, a block, an image, a file's name), each with the diagnostics that decision
deserves. The transform asks the same questions and prints the answers; ``check_links``
asks them for every note whose text reaches the book and keeps only the diagnostics. So
``check`` reports exactly what ``build`` does, with the same file and line.

Headings are matched as Obsidian matches them (``stripHeading`` in its API, obsidian.d.ts,
which both the link and the heading go through): every character of
``!"#$%&()*+,.:;<=>?@^`{|}~/[]\\`` and line breaks count as a space, runs of spaces as one,
case is ignored; ``[[Note#A#B]]`` is a heading B inside the section of the first heading A.
So ``[[Note#Étape 1 : plan]]``, ``[[Note#étape 1  plan]]`` and ``[[Note#Le `move` final]]``
all reach their heading.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .analyse import HeadingFact, LinkFact, NoteFacts, heading_key
from .diagnostics import Diagnostic, info, warning
from .model import Note
from .names import NameIndex, ambiguity_warning
from .slugs import ascii_slug

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")
UNRENDERED_LANGUAGES = ("mermaid", "dataview", "dataviewjs", "tasks", "query")


def note_anchor(note: Note) -> str:
    """A stable id for a note's section: ASCII, unique per path."""
    return f"{ascii_slug(note.stem, 48, 'note')}-{hashlib.sha1(note.path.encode()).hexdigest()[:6]}"


def folder_anchor(folder: str) -> str:
    """The id of a folder's section (a folder without a note of its own): unique per path,
    as two folders may slug alike (``Formations doctorales`` and ``Formations_doctorales``)."""
    return f"folder-{ascii_slug(folder, 48, 'folder')}-{hashlib.sha1(folder.encode()).hexdigest()[:6]}"


def heading_anchor(note: Note, slug: str) -> str:
    """The id of a heading of ``note`` (``slug``: ``HeadingFact.slug``, unique in the note)."""
    return f"{note_anchor(note)}--{slug}"


def block_anchor(note: Note, block_id: str) -> str:
    """Ids are letters, digits and dashes, and ``^Abc`` is not ``^abc``: kept as written."""
    return f"{note_anchor(note)}--block-{block_id[:60]}"


def find_heading(facts: NoteFacts, fragment: str) -> HeadingFact | None:
    """The heading ``A#B`` names: the first A, then the first B after it inside A's section."""
    wanted = [heading_key(part) for part in fragment.split("#") if heading_key(part)]
    if not wanted:
        return None
    headings = facts.headings
    start, floor, found = 0, 0, None
    for part in wanted:
        found = None
        for position in range(start, len(headings)):
            heading = headings[position]
            if floor and heading.level <= floor:
                break  # past the section of the part before
            if heading.key == part:
                found, start, floor = heading, position + 1, heading.level
                break
        if found is None:
            return None
    return found


def file_suffix(name: str) -> str:
    """``.png`` for ``img/figure.png``; "" for a note's name (no suffix, or ``.md``)."""
    base = name.rsplit("/", 1)[-1]
    suffix = "." + base.lower().rsplit(".", 1)[-1] if "." in base else ""
    return "" if suffix == ".md" else suffix


@dataclass(frozen=True)
class LinkTarget:
    """Where a link goes. ``kind``: ``xref`` (a place of the book, ``anchor``), ``citation``
    (of ``key``), ``outside`` (a note not in the book, shown as text), ``text`` (no note)."""

    kind: str
    note: Note | None = None
    anchor: str | None = None
    key: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class EmbedTarget:
    """What an embed brings. ``kind``: ``note`` (the whole note, or its ``heading``'s section,
    or its block ``block_id``), ``image`` or ``file`` (``attachment``), ``missing`` (shown as
    its name)."""

    kind: str
    note: Note | None = None
    heading: HeadingFact | None = None
    block_id: str | None = None
    attachment: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass
class Resolver:
    index: NameIndex
    facts_of: Callable[[Note], NoteFacts]
    in_book: dict[str, str]  # note path -> its anchor in the book
    find_attachment: Callable[[str, str], str | None]  # (name, from path) -> vault path
    attachment_refusal: Callable[[str], str | None] = lambda path: None  # why a file cannot be read
    source_keys: dict[str, str] = field(default_factory=dict)  # source note path -> citation key
    source_links: str = "citation"
    citation_keys: frozenset[str] | None = frozenset()  # None: citations are not formatted
    outside_footnote: str | None = None  # text of the footnote a link out of the book gets

    def _note(self, name: str, from_note: Note, line: int | None, written: str,
              code: str) -> tuple[Note | None, list[Diagnostic]]:
        if not name:
            return from_note, []
        found = self.index.resolve(name, from_note.path)
        if found.note is None:
            return None, [warning(code, f"{written} matches no note; shown as text", from_note.path, line)]
        if found.ambiguous:
            return found.note, [ambiguity_warning(name, found, from_note.path, line)]
        return found.note, []

    def is_note_link(self, fact: LinkFact, from_note: Note) -> bool:
        """A Markdown link is a link to a note when it names one, or names a ``.md`` file."""
        if not fact.markdown:
            return True
        if not fact.name:
            return False
        return fact.name.lower().endswith(".md") or self.index.resolve(fact.name, from_note.path).note is not None

    def link(self, from_note: Note, fact: LinkFact) -> LinkTarget:
        written = fact.written
        if self._is_attachment(fact, from_note):  # [[figure.png|the figure]]: its label
            return LinkTarget("text")
        note, problems = self._note(fact.name, from_note, fact.line, written if not fact.markdown else
                                    f"[{fact.label or ''}]({fact.name})", "link.unresolved")
        key = fact.name[1:] if fact.name.startswith("@") and not fact.fragment else None
        if key and self.citation_known(key) and (note is None or self.source_keys.get(note.path) != key):
            # [[@key]]: the convention of Zotero's plugins; a work of a .bib file needs no note,
            # and the key written is the work cited (another case of it is another work)
            return LinkTarget("citation", key=key)
        if note is None:
            return LinkTarget("text", diagnostics=tuple(problems))
        if self.source_links == "citation" and note.path in self.source_keys and not fact.fragment:
            return LinkTarget("citation", note, key=self.source_keys[note.path], diagnostics=tuple(problems))
        anchor = self._fragment_anchor(from_note, note, fact, problems)
        destination = self.in_book.get(note.path)
        if destination is None:
            suffix = " with a footnote" if self.outside_footnote is not None else ""
            problems.append(warning("link.outside-book", f"{written} points to '{note.path}', which is not in "
                                    f"the book; shown as text{suffix}", from_note.path, fact.line))
            return LinkTarget("outside", note, diagnostics=tuple(problems))
        return LinkTarget("xref", note, anchor=anchor or destination, diagnostics=tuple(problems))

    def _is_attachment(self, fact: LinkFact, from_note: Note) -> bool:
        return bool(file_suffix(fact.name)) and self.find_attachment(fact.name, from_note.path) is not None

    def _fragment_anchor(self, from_note: Note, note: Note, fact: LinkFact, problems: list) -> str | None:
        fragment = fact.fragment
        if not fragment:
            return None
        facts = self.facts_of(note)
        if fragment.startswith("^"):
            block_id = fragment[1:].strip()
            if block_id in facts.blocks:
                return block_anchor(note, block_id)
            problems.append(warning("link.block", f"{fact.written}: no block '^{block_id}' in '{note.path}'; "
                                    "the link goes to the note", from_note.path, fact.line))
            return None
        heading = find_heading(facts, fragment)
        if heading is None:
            problems.append(warning("link.heading", f"{fact.written}: no heading '{fragment}' in '{note.path}'; "
                                    "the link goes to the note", from_note.path, fact.line))
            return None
        if heading == facts.title_heading:
            return None  # the note's title: the note's own anchor
        return heading_anchor(note, heading.slug)

    def embed(self, from_note: Note, fact: LinkFact) -> EmbedTarget:
        name = fact.name
        suffix = file_suffix(name)
        attachment = self.find_attachment(name, from_note.path) if suffix else None
        if attachment is not None and suffix in IMAGE_SUFFIXES:
            why_not = self.attachment_refusal(attachment)
            if why_not is not None:
                return EmbedTarget("missing", diagnostics=(warning(
                    "embed.missing", f"embedded file '{name}' {why_not}; its name is printed instead",
                    from_note.path, fact.line),))
            return EmbedTarget("image", attachment=attachment)
        if attachment is not None:
            return EmbedTarget("file", attachment=attachment, diagnostics=(info(
                "embed.file", f"'{name}' cannot be shown in a book; its name is printed instead",
                from_note.path, fact.line),))
        # no such file: a note, if one is named so ("PD5.1 Notes", "Drawing.excalidraw")
        if suffix and self.index.resolve(name, from_note.path).note is None:
            return EmbedTarget("missing", diagnostics=(warning(
                "embed.missing", f"embedded file '{name}' is not in the vault", from_note.path, fact.line),))
        note, problems = self._note(name, from_note, fact.line, f"![[{name}]]", "embed.missing")
        if note is None:
            return EmbedTarget("missing", diagnostics=tuple(problems))
        facts = self.facts_of(note)
        fragment = fact.fragment
        if fragment.startswith("^"):
            block_id = fragment[1:].strip()
            if block_id not in facts.blocks:
                problems.append(warning("embed.block", f"{fact.written}: no block '^{block_id}' in '{note.path}'",
                                        from_note.path, fact.line))
                return EmbedTarget("missing", diagnostics=tuple(problems))
            return EmbedTarget("note", note, block_id=block_id, diagnostics=tuple(problems))
        if fragment:
            heading = find_heading(facts, fragment)
            if heading is None:
                problems.append(warning("embed.heading", f"{fact.written}: no heading '{fragment}' in "
                                        f"'{note.path}'", from_note.path, fact.line))
                return EmbedTarget("missing", diagnostics=tuple(problems))
            return EmbedTarget("note", note, heading=heading, diagnostics=tuple(problems))
        return EmbedTarget("note", note, diagnostics=tuple(problems))

    def citation_known(self, key: str) -> bool:
        return self.citation_keys is not None and key in self.citation_keys


def embed_key(target: EmbedTarget) -> str:
    """What an embed shows, as one string: a chain of these that repeats is a cycle."""
    heading = target.heading if target.heading is not None and not target.heading.title else None
    fragment = heading.text if heading else f"^{target.block_id}" if target.block_id else ""
    return f"{target.note.path}#{fragment}"


def embed_refusal(target: EmbedTarget, fact: LinkFact, from_note: Note, chain: tuple[str, ...],
                  depth_limit: int) -> Diagnostic | None:
    """Why an embed is not expanded where it stands in ``chain`` (the embeds around it,
    outermost first), or None when it is."""
    key = embed_key(target)
    if key in chain:
        return warning("embed.cycle", f"{fact.written} embeds itself through {' → '.join(chain)}; not expanded",
                       from_note.path, fact.line)
    if len(chain) > depth_limit:
        return warning("embed.depth", f"{fact.written} is more than {depth_limit} embeds deep; not expanded",
                       from_note.path, fact.line)
    return None



_IMAGE_SIZE = re.compile(r"^(\d+)(?:x(\d+))?$")


def image_option(option: str) -> tuple[str, tuple[str, str | None] | None]:
    """An image embed's ``|…``: its description and its size in pixels, either or both.

    ``|300``, ``|300x200``, ``|description``, ``|description|300`` (Digital Garden's form)."""
    description, _, last = option.rpartition("|")
    size = _IMAGE_SIZE.match(last.strip())
    if not size:
        return option.strip(), None
    return description.strip(), (size.group(1), size.group(2))
