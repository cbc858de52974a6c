"""Audit: every link, embed, citation and code block of the text that reaches the book, checked once.

The notes of the book, and what they embed (followed as the transform follows it: within
``embed_depth``, never through a cycle), are read through their facts and the same
`links.Resolver` the transform uses, so ``check`` reports exactly the ``link.*``,
``embed.*``, ``cite.*`` and ``code.*`` diagnostics ``build`` would, at the same lines, and
the pre-commit hook and ``check --format github`` see every broken link.
"""

from __future__ import annotations

from .analyse import FactStore
from .diagnostics import Diagnostic, info, warning
from .links import UNRENDERED_LANGUAGES, Resolver, embed_key, embed_refusal
from .model import Note
from .names import NameIndex
from .relations import frontmatter_relations


def audit_book(in_book: list[Note], store: FactStore, resolver: Resolver, index: NameIndex,
               embed_depth: int) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    reported: set[tuple] = set()

    def report(note: Note, shown: tuple[int | None, int | None] | None) -> None:
        """The findings of what reaches the book of ``note``: all of it (``shown`` None), or
        the lines ``shown`` (first, last; inclusive) an embed brings."""
        facts = store.facts(note)
        for diagnostic in store.parsed(note).diagnostics:
            if _inside(diagnostic.line, shown):
                _once(found, reported, (note.path, "parse", diagnostic), diagnostic)
        for fact in facts.links:
            if not _inside(fact.line, shown):
                continue
            if fact.embed:
                problems = resolver.embed(note, fact).diagnostics
            elif resolver.is_note_link(fact, note):
                problems = resolver.link(note, fact).diagnostics
            else:
                continue
            for problem in problems:
                _once(found, reported, (note.path, fact, problem.code), problem)
        if resolver.citation_keys is not None:
            for citation in facts.citations:
                unknown = next((key for key in citation.keys if key not in resolver.citation_keys), None)
                if unknown is not None and _inside(citation.line, shown):
                    _once(found, reported, (note.path, citation), warning(
                        "cite.unknown", f"{citation.written}: no source note or bibliography entry has the key "
                        f"'{unknown}'; shown as written", note.path, citation.line))
        for language, line in facts.code_blocks:
            if language.lower() in UNRENDERED_LANGUAGES and _inside(line, shown):
                _once(found, reported, (note.path, "code", line), info(
                    "code.unrendered", f"a '{language}' block is printed as code: the book has no "
                    f"{language.lower()} engine", note.path, line))

    def follow(note: Note, chain: tuple[str, ...], shown) -> None:
        for fact in store.facts(note).links:
            if not fact.embed or not _inside(fact.line, shown):
                continue
            target = resolver.embed(note, fact)
            if target.kind != "note":
                continue
            refusal = embed_refusal(target, fact, note, chain, embed_depth)
            if refusal is not None:
                _once(found, reported, (refusal.code, refusal.path, refusal.line), refusal)  # once per place
                continue
            part = _shown_lines(store, target)
            report(target.note, part)
            follow(target.note, (*chain, embed_key(target)), part)

    for note in in_book:
        report(note, None)
        found.extend(frontmatter_relations(note, index, resolver.find_attachment)[1])
        follow(note, (f"{note.path}#",), None)
    return found


def _once(found: list[Diagnostic], reported: set, key, diagnostic: Diagnostic) -> None:
    if key not in reported:
        reported.add(key)
        found.append(diagnostic)


def _inside(line: int | None, shown: tuple[int | None, int | None] | None) -> bool:
    if shown is None:
        return True
    first, last = shown
    return line is not None and (first is None or line >= first) and (last is None or line <= last)


def _shown_lines(store: FactStore, target) -> tuple[int | None, int | None] | None:
    """The lines of its note an embed shows: a heading's section, a named block, or all (None)."""
    facts = store.facts(target.note)
    if target.heading is not None and not target.heading.title:
        later = [h.line for h in facts.headings[target.heading.index + 1:]
                 if h.level <= target.heading.level and h.line is not None]
        return target.heading.line, (later[0] - 1 if later else None)
    if target.block_id is not None:
        return facts.block_spans.get(target.block_id, (None, None))
    return None
