"""The glossary: the notes of a glossary type, their terms sorted and given an anchor each.

Takes the book's top-level blocks and the glossary notes of the book (their anchors, titles
and aliases); returns the blocks with each glossary note's term lists as sorted definition
lists, and the entries found (``Entry``: the term, its other spellings, its anchor, the
chapter it is defined in). A vault writes its glossary in one of two shapes:

* **one note, a list of terms**: each item of a bullet list begins with the term in bold,
  then a colon (or a dash) and the definition: ``- **Compétence** : association de…``. An
  item may hold several terms (``**C** : Composition. **S** : Spécialisation.``): each is an
  entry. The note stays in its place in the book, every word of it there; each such list
  becomes a definition list in French alphabetical order, each term with its own anchor.
  A list one of whose items does not begin so is left as written. A term written
  ``cMOOC / xMOOC`` is two terms, defined together.
* **one note per term**: a glossary note without such a list is one term, its title, with
  its aliases as other spellings; its body is the definition and its heading the anchor.
  Such notes are placed in the book like any note (``parent: "[[Glossaire]]"``); siblings
  are sorted by title, in French order, unless an ``order`` says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..collation import french_sort_key
from ..slugs import ascii_slug
from .occurrences import plain

_BETWEEN = (":", "\u2014", "\u2013")  # what separates a term from its definition: a colon, a dash


@dataclass(frozen=True)
class GlossaryNote:
    anchor: str
    title: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    label: str  # as the glossary prints it
    spellings: tuple[str, ...]  # what the text is searched for
    anchor: str  # the definition's
    home: str  # the chapter (note anchor) it is defined in


def glossary(blocks: list, notes: list[GlossaryNote]) -> tuple[list, list[Entry]]:
    by_anchor = {note.anchor: note for note in notes}
    out: list = []
    entries: list[Entry] = []
    current: GlossaryNote | None = None
    has_list: set[str] = set()
    used: set[str] = set()
    for block in blocks:
        if block.get("t") == "Header" and "note" in block["c"][1][1]:
            current = by_anchor.get(block["c"][1][0])
        if current is not None and block.get("t") == "BulletList":
            items = [_entries_of(item) for item in block["c"]]
            if items and all(items):
                has_list.add(current.anchor)
                pairs = sorted((pair for item in items for pair in item),
                               key=lambda pair: french_sort_key(plain(pair[0])))
                rows = []
                for term, definition in pairs:
                    label = " ".join(plain(term).split())
                    anchor = _unique(f"{current.anchor}--def-{ascii_slug(label, 40, 'terme')}", used)
                    for spelling in (s.strip() for s in label.split(" / ")):  # « cMOOC / xMOOC »: two
                        if spelling:
                            entries.append(Entry(spelling, (spelling,), anchor, current.anchor))
                    rows.append([[{"t": "Span", "c": [[anchor, ["glossary-entry"], []], term]}], [definition]])
                out.append({"t": "Div", "c": [["", ["glossary"], []], [{"t": "DefinitionList", "c": rows}]]})
                continue
        out.append(block)
    for note in notes:  # a glossary note without a list of terms is one term
        if note.anchor not in has_list:
            entries.append(Entry(note.title, (note.title, *note.aliases), note.anchor, note.anchor))
    return out, entries


def _unique(anchor: str, used: set[str]) -> str:
    candidate, n = anchor, 1
    while candidate in used:
        n += 1
        candidate = f"{anchor}-{n}"
    used.add(candidate)
    return candidate


def _entries_of(item: list) -> list[tuple[list, list]]:
    """The terms of one list item and the blocks of each one's definition; [] when the item
    does not begin with a term."""
    if not item or item[0].get("t") not in ("Plain", "Para"):
        return []
    inlines = item[0]["c"]
    starts = [i for i in range(len(inlines)) if _definition_start(inlines, i) is not None]
    if not starts or starts[0] != 0:
        return []
    found = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(inlines)
        term, rest = _split(inlines, start, end)
        blocks = [{"t": "Plain", "c": rest}]
        if n + 1 == len(starts):
            blocks += item[1:]  # the item's other paragraphs and lists: the last term's definition
        found.append((term, blocks))
    return found


def _definition_start(inlines: list, i: int) -> int | None:
    """Where the definition begins when a term (bold, then a colon) begins at ``i``; a term
    after the first one of an item follows the end of a sentence."""
    node = inlines[i]
    if node.get("t") != "Strong" or not node["c"]:
        return None
    if i > 0:
        before = inlines[i - 1:i] if inlines[i - 1].get("t") != "Space" else inlines[i - 2:i - 1]
        if not before or before[0].get("t") != "Str" or not before[0]["c"].endswith((".", ";", "!", "?")):
            return None
    last = node["c"][-1]
    if last.get("t") == "Str" and last["c"].rstrip().endswith(_BETWEEN):
        return i + 1  # « **Terme :** définition »
    j = i + 1
    if j < len(inlines) and inlines[j].get("t") == "Space":
        j += 1
    if j < len(inlines) and inlines[j].get("t") == "Str" and inlines[j]["c"].startswith(_BETWEEN):
        return j
    return None


def _split(inlines: list, start: int, end: int) -> tuple[list, list]:
    """A term's inlines (its bold text, the colon left out) and its definition's."""
    term = list(inlines[start]["c"])
    last = term[-1]
    if last.get("t") == "Str" and last["c"].rstrip().endswith(_BETWEEN):
        text = last["c"].rstrip()[:-1].rstrip()
        term = term[:-1] + ([{"t": "Str", "c": text}] if text else [])
        while term and term[-1].get("t") == "Space":
            term.pop()
        rest = inlines[start + 1:end]
    else:
        rest = list(inlines[start + 1:end])
        while rest and rest[0].get("t") == "Space":
            rest.pop(0)
        mark = rest[0]["c"]
        remainder = mark[1:]  # the colon out; a word glued to it stays
        rest = ([{"t": "Str", "c": remainder}] if remainder else []) + rest[1:]
    while rest and rest[0].get("t") in ("Space", "SoftBreak"):
        rest.pop(0)
    while rest and rest[-1].get("t") in ("Space", "SoftBreak"):
        rest.pop()
    return term, rest
