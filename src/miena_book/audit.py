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
from .links import UNRENDERED_LANGUAGES, Resolver, embed_key, embed_refusal, image_option
from .model import Note
from .names import NameIndex
from .relations import frontmatter_relations


def audit_book(in_book: list[Note], store: FactStore, resolver: Resolver, index: NameIndex,
               embed_depth: int) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    reported: set[tuple] = set()

    def report(note: Note, shown: tuple[int | None, int | None] | None) -> None:
        """The findings of what reaches the book of ``note``: all of it (``shown`` None), or
        the lines ``shown`` (first, last; inclusive) an embed brings. Each fact is looked at
        once, however many embeds bring it."""
        facts = store.facts(note)

        def first_time(item, line: int | None) -> bool:
            if not _inside(line, shown) or (note.path, item) in reported:
                return False
            reported.add((note.path, item))
            return True

        found.extend(d for d in store.diagnostics(note) if first_time(d, d.line))
        for fact in facts.links:
            if not first_time(fact, fact.line):
                continue
            if fact.embed:
                target = resolver.embed(note, fact)
                found.extend(target.diagnostics)
                if target.kind == "image" and not _description(fact):
                    found.append(warning(
                        "a11y.alt", f"{fact.written}: the image has no description, so a screen reader says "
                        f"its file name; write one: " + ("![description](…)" if fact.markdown else
                                                          f"![[{fact.name}|description]]"), note.path, fact.line))
            elif resolver.is_note_link(fact, note):
                found.extend(resolver.link(note, fact).diagnostics)
        if resolver.citation_keys is not None:
            for citation in facts.citations:
                unknown = next((key for key in citation.keys if key not in resolver.citation_keys), None)
                if unknown is not None and first_time(citation, citation.line):
                    found.append(warning(
                        "cite.unknown", f"{citation.written}: no source note or bibliography entry has the key "
                        f"'{unknown}'; shown as written", note.path, citation.line))
        for language, line in facts.code_blocks:
            if language.lower() in UNRENDERED_LANGUAGES and first_time(("code", line), line):
                found.append(info("code.unrendered", f"a '{language}' block is printed as code: the book has no "
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
                if (refusal.code, refusal.path, refusal.line) not in reported:  # once per place
                    reported.add((refusal.code, refusal.path, refusal.line))
                    found.append(refusal)
                continue
            part = _shown_lines(store, target)
            report(target.note, part)
            follow(target.note, (*chain, embed_key(target)), part)

    for note in in_book:
        report(note, None)
        found.extend(frontmatter_relations(note, index, resolver.find_attachment)[1])
        follow(note, (f"{note.path}#",), None)
    return found


def _description(fact) -> str:
    """The alternative text an image embed gives: a Markdown image's, or ``![[x.png|text]]``."""
    if fact.markdown:
        return fact.label or ""
    return image_option(fact.label or "")[0]


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
