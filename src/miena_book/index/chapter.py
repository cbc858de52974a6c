"""The index chapter: every indexed term that occurs in the book, in French order, by letter.

Takes the terms (with their occurrences) and the chapters' titles; returns the chapter's
blocks: a level-1 heading (``#book-index``, last in the book), then a level-2 heading per
letter (``.unlisted``: not in the tables of contents) and a list of entries. « é » sorts
with « e », « œ » as « oe », case last (``collation.french_sort_key``); an entry that does
not begin with a letter goes in a first group of symbols and figures.

An entry is its label and, in a ``.index-locators`` span whose ``data-targets`` names every
occurrence's id, one link per chapter where the term occurs, labelled with the chapter's
title and going to the first use in it: an e-book has no pages, and a chapter's name says
where a link leads before it is followed. For print, ``export.pdf`` empties the span and
the layout fills it with the occurrences' pages, ranges merged (``export.weasy``).
"""

from __future__ import annotations

import unicodedata

from ..collation import french_sort_key
from .occurrences import Term

INDEX_ANCHOR = "book-index"
_WORDS = {"fr": ("Index", "Symboles et chiffres"), "en": ("Index", "Symbols and figures")}


def group_of(label: str) -> str:
    """The letter an entry is filed under: its first letter without accent, in capitals."""
    first = french_sort_key(label)[0][:1]
    base = unicodedata.normalize("NFD", first)[:1]
    return base.upper() if base.isalpha() else ""


def index_chapter(terms: list[Term], chapters: dict[str, str], language: str) -> list:
    title, symbols = _WORDS.get(language.split("-")[0].lower(), _WORDS["en"])
    listed = sorted((t for t in terms if t.indexed and t.found), key=lambda t: french_sort_key(t.label))
    if not listed:
        return []
    blocks: list = [{"t": "Header", "c": [1, [INDEX_ANCHOR, ["unnumbered", "note", "index"], []],
                                          [{"t": "Str", "c": title}]]}]
    groups: dict[str, list[Term]] = {}
    for term in listed:
        groups.setdefault(group_of(term.label), []).append(term)
    items = []
    for letter, members in groups.items():
        heading = letter or symbols
        slug = f"{INDEX_ANCHOR}-{letter.lower()}" if letter else f"{INDEX_ANCHOR}-0"
        items.append({"t": "Header", "c": [2, [slug, ["unnumbered", "unlisted", "index-letter"], []],
                                           [{"t": "Str", "c": heading}]]})
        items.append({"t": "BulletList", "c": [[{"t": "Plain", "c": _entry(term, chapters)}] for term in members]})
    blocks.append({"t": "Div", "c": [["", ["index"], []], items]})
    return blocks


def _entry(term: Term, chapters: dict[str, str]) -> list:
    first_in: dict[str, str] = {}  # chapter anchor -> its first occurrence's id
    for identifier, chapter in term.found:
        first_in.setdefault(chapter, identifier)
    links: list = []
    for chapter, identifier in first_in.items():
        if links:
            links += [{"t": "Str", "c": ","}, {"t": "Space"}]
        label = chapters.get(chapter) or term.label
        links.append({"t": "Link", "c": [["", ["index-link"], []], _text(label), ["#" + identifier, ""]]})
    targets = " ".join(identifier for identifier, _ in term.found)
    return [{"t": "Span", "c": [["", ["index-label"], []], _text(term.label)]}, {"t": "Str", "c": ","},
            {"t": "Space"}, {"t": "Span", "c": [["", ["index-locators"], [["data-targets", targets]]], links]}]


def _text(text: str) -> list:
    out: list = []
    for n, word in enumerate(text.split()):
        if n:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out
