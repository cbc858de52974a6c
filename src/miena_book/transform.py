"""Transform: one note's syntax tree to its text in the book, by the book rules in their order.

``transform_note(note, level, book)`` renders the note at its own place, its title at
heading level ``level``, and returns a `NoteOutput`: the pandoc blocks of its body and
its content key. The output is a pure function of the note, the answers the resolver
gives about what it links to or embeds (recorded while rendering, ``RenderState.seen``),
and the config: no counter or store is shared between notes (footnotes are pandoc
``Note`` elements, numbered by the writers), so notes can be rendered in any order, in
parallel, or taken from a cache by their key.

``transform_notes`` does it for the book's notes through the cache: a note's blocks are
kept under a key of the note itself (its whole record, text and frontmatter) and of the
world it is rendered in (``world_of``: every note's names and headings, the book's
anchors, the attachments, the library, the config), and taken from there when the notes
it embeds have the same text. An edit of a note's text, which leaves every heading and
title in place, renders that note again, and the notes that embed it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace

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


def transform_note(note: Note, level: int, book: BookContext, settings: tuple = (), seen: list | None = None
                   ) -> NoteOutput:
    """The note at its own place. ``settings``: the config values the rules depend on, for the
    key; ``seen``, when given, receives what the rendering read from outside the note."""
    state = RenderState(note, floor=level, shift=level - 1, with_ids=True, chain=(f"{note.path}#",),
                        seen=seen if seen is not None else [])
    blocks = render_blocks(copy_tree(book.tree_of(note)), book, state)
    digest = hashlib.sha256()
    for part in (__version__, note.path, note.body, level, settings, state.seen):
        digest.update(json.dumps(part, ensure_ascii=False, default=str).encode("utf-8"))
        digest.update(b"\x1e")
    return NoteOutput(note.path, blocks, digest.hexdigest())


def world_of(notes, facts_of, root: str, attachments, resolver, book: BookContext, settings: tuple) -> str:
    """A digest of everything outside a note that its rendering may read (the resolver's
    answers, the attachments' data, the config): each note's record without its text, its
    headings and block ids (without their lines: an edit above them moves them, and the
    book never prints a line), the book's anchors, each attachment's size and time, the
    library's keys and the config's choices."""
    digest = hashlib.sha256()

    def add(*parts) -> None:
        digest.update(json.dumps(parts, ensure_ascii=False, default=repr).encode("utf-8"))
        digest.update(b"\x1e")

    add(__version__, settings, book.colon, book.embed_depth, book.link_text, book.type_prefixes)
    for note in sorted(notes, key=lambda note: note.path):
        facts = facts_of(note)
        add(repr(replace(note, body="")), sorted(facts.blocks),
            [(h.level, h.text, h.slug, h.index, h.title, h.key) for h in facts.headings])
    add(sorted(resolver.in_book.items()), sorted(resolver.source_keys.items()), resolver.source_links,
        None if resolver.citation_keys is None else sorted(resolver.citation_keys), resolver.outside_footnote)
    for attachment in sorted(attachments, key=lambda attachment: attachment.path):
        try:
            facts = os.stat(os.path.join(root, attachment.path))
            add(attachment.path, facts.st_size, facts.st_mtime_ns)
        except OSError:
            add(attachment.path, None)
    return digest.hexdigest()


def transform_notes(placed, book: BookContext, settings: tuple, cache=None, world: str = "",
                    body_of=lambda path: None, done_with=lambda note: None, leaves=None,
                    finish=None) -> list[NoteOutput]:
    """Each ``(depth, note)`` of ``placed`` rendered at its place (``transform_note``), from
    the cache when the note, the ``world`` and the text of every note it embeds
    (``body_of(path)``) are those it was rendered with. ``done_with(note)`` is called once a
    note is rendered or found: its parsed tree may go (a large book's trees and its rendered
    blocks would otherwise be held at once).

    ``finish(blocks)``, when given, is what the build does to each note's blocks before they
    go into the book (the pipeline's: made safe, ``export.pandoc.made_safe``); they are kept
    in the cache finished, so a note found there costs no walk at all. It must depend on the
    blocks alone: it is named in the key, not its inputs."""
    from .cache import key_of

    outputs = []
    finished_by = f"{finish.__module__}.{finish.__qualname__}" if finish else ""
    for depth, note in placed:
        level = min(max(depth, 1), 6)
        key = key_of("transform", world, repr(note), level, finished_by) if cache and world else None
        found = cache.get("note", key) if key else None
        if found is not None:
            try:
                kept = json.loads(found[1], object_hook=leaves.hook)
                if all(_digest(body_of(path)) == wanted for path, wanted in kept["embedded"]):
                    outputs.append(NoteOutput(note.path, kept["blocks"], kept["key"]))
                    done_with(note)
                    continue
            except (ValueError, KeyError, TypeError):  # not this version's shape: rendered again
                pass
        output, embedded = _transform_with_embeds(note, level, book, settings)
        if finish is not None:
            output = replace(output, blocks=finish(output.blocks))
        leaves.share(output.blocks)
        outputs.append(output)
        done_with(note)
        if key:
            kept = {"blocks": output.blocks, "key": output.key,
                    "embedded": [[path, _digest(body)] for path, body in embedded]}
            cache.put("note", key, {}, json.dumps(kept, ensure_ascii=False).encode("utf-8"))
    return outputs


def _transform_with_embeds(note: Note, level: int, book: BookContext, settings: tuple) -> tuple[NoteOutput, list]:
    """``transform_note``, and the (path, text) of each note its rendering embedded."""
    seen: list = []
    output = transform_note(note, level, book, settings, seen)
    return output, [(parts[1], parts[2]) for parts in seen if parts and parts[0] == "embedded text"]


def _digest(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()
