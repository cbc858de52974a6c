"""Audit: every link, embed, citation and code block of the text that reaches the book, checked once.

The notes of the book, and what they embed (followed as the transform follows it: within
``embed_depth``, never through a cycle), are read through their facts and the same
`links.Resolver` the transform uses, so ``check`` reports exactly the ``link.*``,
``embed.*``, ``cite.*`` and ``code.*`` diagnostics ``build`` would, at the same lines, and
the pre-commit hook and ``check --format github`` see every broken link.
"""

from __future__ import annotations

from .analyse import FactStore, LinkFact
from .diagnostics import Diagnostic, info, warning
from .links import UNRENDERED_LANGUAGES, Resolver, embed_key, embed_refusal
from .model import Note
from .names import NameIndex
from .relations import frontmatter_relations


def audit_book(in_book: list[Note], store: FactStore, resolver: Resolver, index: NameIndex,
               embed_depth: int) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    done: set[str] = set()
    refusals: set[tuple] = set()

    def note_findings(note: Note) -> None:
        if note.path in done:
            return
        done.add(note.path)
        facts = store.facts(note)
        found.extend(store.parsed(note).diagnostics)
        for fact in facts.links:
            if fact.embed:
                found.extend(resolver.embed(note, fact).diagnostics)
            elif resolver.is_note_link(fact, note):
                found.extend(resolver.link(note, fact).diagnostics)
        if resolver.citation_keys is not None:
            for citation in facts.citations:
                for key in citation.keys:
                    if key not in resolver.citation_keys:
                        found.append(warning("cite.unknown", f"{citation.written}: no source note or bibliography "
                                             f"entry has the key '{key}'; shown as written", note.path,
                                             citation.line))
                        break
        for language, line in facts.code_blocks:
            if language.lower() in UNRENDERED_LANGUAGES:
                found.append(info("code.unrendered", f"a '{language}' block is printed as code: the book has no "
                                  f"{language.lower()} engine", note.path, line))

    def follow(note: Note, chain: tuple[str, ...], embeds: list[LinkFact]) -> None:
        for fact in embeds:
            target = resolver.embed(note, fact)
            if target.kind != "note":
                continue
            refusal = embed_refusal(target, fact, note, chain, embed_depth)
            if refusal is not None:
                if (refusal.code, refusal.path, refusal.line, refusal.message) not in refusals:
                    refusals.add((refusal.code, refusal.path, refusal.line, refusal.message))
                    found.append(refusal)
                continue
            note_findings(target.note)
            follow(target.note, (*chain, embed_key(target)), _embeds_shown(store, target))

    for note in in_book:
        note_findings(note)
        found.extend(frontmatter_relations(note, index)[1])
        follow(note, (f"{note.path}#",), [fact for fact in store.facts(note).links if fact.embed])
    return found


def _embeds_shown(store: FactStore, target) -> list[LinkFact]:
    """The embeds inside what an embed shows of its note: all of them, those of a heading's
    section, or those on a named block's line."""
    facts = store.facts(target.note)
    embeds = [fact for fact in facts.links if fact.embed]
    if target.heading is not None:
        first = target.heading.line
        later = [h.line for h in facts.headings[target.heading.index + 1:]
                 if h.level <= target.heading.level and h.line is not None]
        last = later[0] if later else None
        return [f for f in embeds if f.line is not None and first is not None and f.line >= first
                and (last is None or f.line < last)]
    if target.block_id is not None:
        line = facts.blocks.get(target.block_id)
        return [f for f in embeds if f.line == line]
    title = facts.title_heading
    return [f for f in embeds if not (title is not None and f.line == title.line)]
