"""Occurrences: every use of an index term in the book's AST, marked where it is.

Takes the book's blocks and the terms (``Term``); returns the blocks with each occurrence of
an indexed term wrapped in a ``Span`` with its own id (``ix-1``, ``ix-2``… in book order,
class ``index-term``), the first use of each glossary term outside its definition's chapter
wrapped in a link to the definition (class ``glossary-term``), and, per term, where its
occurrences are (id and chapter).

Words are looked for in runs of ``Str``, ``Space`` and ``SoftBreak`` inside any inline
container (a paragraph, an emphasis, a link's label, a footnote); a term is not found across
two containers (« modèle *pédagogique* »). Never in code, math, raw HTML, a link's target,
an image, a citation, a heading (a heading is in the table of contents: an id in it would be
copied there), the relations and source lines the templates add, the bibliography, or the
glossary's own terms. At each word the longest term wins: « modèle pédagogique » over
« modèle ».

A ``Str`` is cut only where an occurrence begins or ends (« (compétences) » becomes « ( »,
the marked word, « ) »): no character is dropped, added or changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..export.ast import INLINE_KINDS
from .terms import WORD, Pattern, matches_word, separator_key, singular_keys, word_key

_LEFT_ALONE = frozenset(("CodeBlock", "RawBlock", "Header", "Code", "Math", "RawInline", "Cite", "Image"))
# what the templates add around a note's text (its type, relations, source line), the
# bibliography, the index itself and the glossary's terms: no occurrence there
SKIPPED_CLASSES = frozenset(("note-type", "relations", "source-line", "references", "source-ref", "index",
                             "glossary-entry"))
_RUN = frozenset(("Str", "Space", "SoftBreak"))


@dataclass
class Term:
    """One entry: its label in the index, the spellings looked for, and its definition."""

    label: str
    patterns: list[Pattern]
    indexed: bool  # whether its occurrences are marked and listed in the index
    definition: str | None = None  # the anchor of its glossary definition
    home: str | None = None  # the chapter of the definition: its first use is looked for elsewhere
    found: list[tuple[str, str]] = field(default_factory=list)  # (occurrence id, chapter anchor)
    linked: bool = False  # its first use links to its definition already


class Finder:
    """One walk over the book, in reading order."""

    def __init__(self, terms: list[Term]):
        self.by_first: dict[str, list[tuple[Pattern, Term]]] = {}
        for term in terms:
            for pattern in term.patterns:
                self.by_first.setdefault(word_key(pattern.words[0]), []).append((pattern, term))
        for candidates in self.by_first.values():  # the longest first: it wins
            candidates.sort(key=lambda pair: -len(pair[0].words))
        self.chapter = ""
        self.chapters: dict[str, str] = {}  # chapter anchor -> its title
        self.count = 0
        self.in_link = 0
        self.link_attributes: list[list] = []  # the links the walk is inside, innermost last

    def book(self, blocks: list) -> list:
        """The top-level blocks: each note's heading (``.note``) opens its chapter."""
        out = []
        for block in blocks:
            if block.get("t") == "Header" and "note" in block["c"][1][1]:
                self.chapter = block["c"][1][0]
                self.chapters[self.chapter] = plain(block["c"][2])
            out.append(self.walk(block))
        return out

    def walk(self, node):
        if isinstance(node, list):
            if node and isinstance(node[0], dict) and node[0].get("t") in INLINE_KINDS:
                return self.inlines(node)
            return [self.walk(item) for item in node]
        if not isinstance(node, dict) or "c" not in node:
            return node
        kind = node.get("t")
        if kind in _LEFT_ALONE:
            return node
        if kind in ("Div", "Span"):
            identifier, classes, _ = node["c"][0]
            if identifier == "refs" or SKIPPED_CLASSES.intersection(classes):
                return node
        if kind == "Link":  # the label only; a first use inside a link is not linked again
            self.in_link += 1
            identifier, classes, pairs = node["c"][0]
            attributes = [identifier, list(classes), list(pairs)]  # a copy: the input is not changed
            self.link_attributes.append(attributes)
            try:
                return {**node, "c": [attributes, self.inlines(node["c"][1]), node["c"][2]]}
            finally:
                self.in_link -= 1
                self.link_attributes.pop()
        return {**node, "c": self.walk(node["c"])}

    def inlines(self, nodes: list) -> list:
        out: list = []
        run: list = []
        for node in nodes:
            if isinstance(node, dict) and node.get("t") in _RUN:
                run.append(node)
                continue
            if run:
                out.extend(self.run(run))
                run = []
            out.append(self.walk(node))
        if run:
            out.extend(self.run(run))
        return out

    def run(self, nodes: list) -> list:
        """One run of words and spaces, with its occurrences marked."""
        segments: list[tuple[str, str, int]] = []  # (kind, text, index of the node it comes from)
        for position, node in enumerate(nodes):
            if node["t"] != "Str":
                segments.append(("space", " ", position))
                continue
            text, at = node["c"], 0
            for word in WORD.finditer(text):
                if word.start() > at:
                    segments.append(("sep", text[at:word.start()], position))
                segments.append(("word", word.group(0), position))
                at = word.end()
            if at < len(text):
                segments.append(("sep", text[at:], position))
        words = [i for i, segment in enumerate(segments) if segment[0] == "word"]
        matches: list[tuple[int, int, Term]] = []  # first and last segment, term
        p = 0
        while p < len(words):
            found = self._match(segments, words, p)
            if found is None:
                p += 1
                continue
            length, term = found
            matches.append((words[p], words[p + length - 1], term))
            p += length
        if not matches:
            return nodes
        out: list = []
        at = 0
        for first, last, term in matches:
            out.extend(_rebuilt(segments[at:first], nodes))
            out.extend(self.occurrence(term, _rebuilt(segments[first:last + 1], nodes)))
            at = last + 1
        out.extend(_rebuilt(segments[at:], nodes))
        return out

    def _match(self, segments, words: list[int], p: int) -> tuple[int, Term] | None:
        text = segments[words[p]][1]
        seen: set[int] = set()
        candidates = []
        for key in singular_keys(text):
            for pair in self.by_first.get(key, ()):
                if id(pair) not in seen:
                    seen.add(id(pair))
                    candidates.append(pair)
        candidates.sort(key=lambda pair: -len(pair[0].words))
        for pattern, term in candidates:
            size = len(pattern.words)
            if p + size > len(words):
                continue
            if all(matches_word(segments[words[p + k]][1], pattern.words[k]) for k in range(size)) and all(
                    separator_key("".join(s[1] for s in segments[words[p + k] + 1:words[p + k + 1]]))
                    == pattern.separators[k] for k in range(size - 1)):
                return size, term
        return None

    def occurrence(self, term: Term, nodes: list) -> list:
        inner = nodes
        if term.definition and not term.linked and not self.in_link and self.chapter != term.home:
            term.linked = True
            inner = [{"t": "Link", "c": [["", ["glossary-term"], []], inner, ["#" + term.definition, ""]]}]
        if not term.indexed:
            return inner
        if self.link_attributes:
            # inside a link, the link itself is the place: an element with an id inside an
            # <a> becomes a link of its own in the PDF, outside the tagged Link element
            attributes = self.link_attributes[-1]
            if not attributes[0]:
                self.count += 1
                attributes[0] = f"ix-{self.count}"
            term.found.append((attributes[0], self.chapter))
            return inner
        self.count += 1
        identifier = f"ix-{self.count}"
        term.found.append((identifier, self.chapter))
        return [{"t": "Span", "c": [[identifier, ["index-term"], []], inner]}]


def _rebuilt(segments: list[tuple[str, str, int]], nodes: list) -> list:
    """Segments back into nodes: the spaces as they were, the text of one ``Str`` together."""
    out: list = []
    previous = None  # the node the last segment came from
    for kind, text, position in segments:
        if kind == "space":
            out.append(nodes[position])
        elif previous == position:
            out[-1] = {"t": "Str", "c": out[-1]["c"] + text}
        else:
            out.append({"t": "Str", "c": text})
        previous = position
    return out


def plain(inlines) -> str:
    """What a reader sees of inlines, as text."""
    from ..parse.walk import plain_text

    return plain_text(inlines)
