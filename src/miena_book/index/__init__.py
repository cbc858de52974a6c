"""Index and glossary: the book's AST, after citeproc, with its terms found and listed.

Takes the finished AST, the notes of the book in order, their anchors and the config;
returns the AST with

1. the glossary notes' term lists sorted, each term with an anchor (``glossary``),
2. every occurrence of an index term marked with an id, and the first use of each glossary
   term outside its definition's chapter linked to the definition (``occurrences``),
3. the index chapter at the end of the book (``chapter``), when ``index`` is on and any
   term occurs.

Its findings (a frontmatter field of the wrong type) are reported by ``check``, through
``index_problems``, so that the pre-commit hook sees them; the build reads the same fields
again and has nothing more to say.

The terms are the values of each note's ``index_key`` field, and the glossary's terms when
``index_glossary`` is on (a glossary term always links its first use to its definition,
listed in the index or not). Two spellings of one term (« Compétence », « compétence »)
are one entry, labelled as the glossary writes it, else as first declared.
"""

from __future__ import annotations

from ..config import BookConfig
from ..diagnostics import Diagnostic
from ..model import Note
from ..slugs import ascii_slug
from .chapter import index_chapter
from .glossary import GlossaryNote, glossary
from .occurrences import Finder, Term
from .terms import frontmatter_terms, pattern_of


def is_glossary_note(note: Note, config: BookConfig) -> bool:
    """A note of one of the glossary types, compared without case or accents."""
    wanted = {ascii_slug(kind) for kind in config.glossary_types}
    return note.type is not None and ascii_slug(note.type) in wanted


def index_problems(notes, config: BookConfig) -> list[Diagnostic]:
    """What is wrong with the notes' index terms (a field of the wrong type), for ``check``."""
    return frontmatter_terms(notes, config.index_key)[1] if config.index else []


def index_book(ast: dict, notes: list[Note], anchors: dict[str, str],
               config: BookConfig) -> dict:
    glossary_notes = [GlossaryNote(anchors[n.path], n.title, n.aliases) for n in notes if is_glossary_note(n, config)]
    blocks, entries = glossary(ast["blocks"], glossary_notes)
    terms: list[Term] = []
    by_key: dict[tuple, Term] = {}

    def add(label: str, spellings, indexed: bool, definition: str | None = None, home: str | None = None):
        patterns = [p for p in (pattern_of(s) for s in spellings) if p is not None]
        if not patterns:
            return  # a one-letter term: in the glossary, never looked for
        term = next((by_key[p.key] for p in patterns if p.key in by_key), None)
        if term is None:
            term = Term(label, [], indexed, definition, home)
            terms.append(term)
        term.indexed = term.indexed or indexed
        if definition and not term.definition:  # the glossary's spelling labels the entry
            term.label, term.definition, term.home = label, definition, home
        for pattern in patterns:
            if pattern.key not in by_key:
                by_key[pattern.key] = term
                term.patterns.append(pattern)

    for entry in entries:
        add(entry.label, entry.spellings, config.index and config.index_glossary, entry.anchor, entry.home)
    if config.index:
        for declared in frontmatter_terms(notes, config.index_key)[0]:
            add(declared.label, [declared.label], True)
    if not terms:
        return {**ast, "blocks": blocks}
    finder = Finder(terms)
    blocks = finder.book(blocks)
    if config.index:
        blocks += index_chapter(terms, finder.chapters, config.language)
    return {**ast, "blocks": blocks}

