"""Index terms: where they come from, and how a term is compared with the words of the book.

Takes the notes of the book and the config's frontmatter key (``index`` by default); returns
each term as written and the problems found (a value that is not text: ``frontmatter.type``,
naming the file and the line of the key). The glossary's terms are read from the book itself
(``index.glossary``).

A term is a sequence of words and what separates them (a space, an apostrophe, a slash).
It matches the same sequence in the text, read as a French reader reads it:

* case does not count (« Compétence » at the start of a sentence is « compétence »), but a
  word written with a capital after its first letter is a sigle or a name and keeps its case
  (« MOT » is not the word « mot », « cMOOC » not « cmooc »);
* accents count (« côte » is not « cote », « où » not « ou »): French text is written with
  its accents, and folding them would join different words;
* the plural counts as the word (« compétences », « modèles pédagogiques », « niveaux de
  performance », « environnements » for « environnement », « -aux » for « -al »), each word
  of a term on its own; a sigle has no plural;
* a word with a hyphen is one word: « autorégulation » and « auto-régulation » are not
  « régulation ».

Terms shorter than two letters (the glossary's « C », « S », « A ») are too common to find
in the text: they stay in the glossary, out of the index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, warning
from ..model import Note

# a word: letters and digits, hyphens inside it; everything else separates words
WORD = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})
MIN_LETTERS = 2


def keeps_case(word: str) -> bool:
    """A capital after the first letter: a sigle (MOT, ENA) or a name (cMOOC), matched as written."""
    return any(c.isupper() for c in word[1:])


def word_key(word: str) -> str:
    """How a word of a term is compared: as written when it keeps its case, else case-folded."""
    word = unicodedata.normalize("NFC", word)
    return word if keeps_case(word) else word.casefold()


def separator_key(text: str) -> str:
    """What lies between two words, compared: any run of spaces is one space, ’ is '."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return re.sub(r"\s+", " ", text)


def singular_keys(word: str) -> set[str]:
    """The keys a word of the text may stand for: itself, and the singular its plural ending
    allows (compétences -> compétence, niveaux -> niveau, généraux -> général)."""
    word = unicodedata.normalize("NFC", word)
    keys = {word}
    folded = word.casefold()
    keys.add(folded)
    if len(folded) > 2 and folded[-1] in "sx":  # MODÈLES too: matches_word decides
        keys.add(folded[:-1])
        if folded.endswith("aux"):
            keys.add(folded[:-3] + "al")
    return keys


def matches_word(text_word: str, term_word: str) -> bool:
    """Whether a word of the text is this word of a term (its plural included)."""
    text_word = unicodedata.normalize("NFC", text_word)
    if keeps_case(term_word):
        return text_word == term_word
    folded, term = text_word.casefold(), term_word.casefold()
    if folded == term:
        return True
    if term[-1:] in ("s", "x", "z"):
        return False  # a word ending in s, x or z has the same plural
    if folded in (term + "s", term + "x"):
        return True
    return term.endswith("al") and folded == term[:-2] + "aux"


@dataclass(frozen=True)
class Pattern:
    """A term cut into its words and the separators between them."""

    words: tuple[str, ...]
    separators: tuple[str, ...]  # separator_key of what lies between words i and i+1

    @property
    def key(self) -> tuple[str, ...]:
        """The term's identity: two spellings with the same key are one entry."""
        return tuple(word_key(w) for w in self.words) + tuple(self.separators)


def pattern_of(text: str) -> Pattern | None:
    """A term as a pattern; None when it has no word, or fewer than two letters in all."""
    text = unicodedata.normalize("NFC", text.strip())
    found = list(WORD.finditer(text))
    if not found or sum(c.isalpha() for c in text) < MIN_LETTERS:
        return None
    words = tuple(m.group(0) for m in found)
    separators = tuple(separator_key(text[a.end():b.start()]) for a, b in zip(found, found[1:]))
    return Pattern(words, separators)


@dataclass(frozen=True)
class Declared:
    """A term a note declares in its frontmatter (``index: [connectivisme]``)."""

    label: str
    path: str
    line: int | None


def frontmatter_terms(notes: Iterable[Note], key: str) -> tuple[list[Declared], list[Diagnostic]]:
    """The terms the notes list under ``key``: a list of text, or one text. Anything else is
    reported with the note and the key's line, and left out."""
    found: list[Declared] = []
    problems: list[Diagnostic] = []
    for note in notes:
        if key not in note.meta or note.meta[key] is None:
            continue
        value = note.meta[key]
        line = note.field_lines.get(key)
        items = value if isinstance(value, list) else [value]
        if isinstance(value, (dict, bool)) or any(isinstance(item, (list, dict, bool)) for item in items):
            problems.append(warning("frontmatter.type", f"'{key}' (index terms) should be a list of text or one "
                                    f"text, not {_describe(value)}; ignored", note.path, line))
            continue
        for item in items:
            if item is None or not str(item).strip():
                continue
            label = str(item).strip()
            if pattern_of(label) is None:
                problems.append(warning("frontmatter.type", f"'{key}': '{label}' has no word of two letters or "
                                        "more to look for; ignored", note.path, line))
                continue
            found.append(Declared(label, note.path, line))
    return found, problems


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    return "a list that holds lists, mappings or booleans (is a [[link]] missing its quotes?)"
