"""Analyse: each note's facts, read from its syntax tree, with their lines.

``note_facts(note, tree)`` lists what a note declares: its headings (the first H1 is its
title), block ids, links and embeds (wikilinks and Markdown links to files), inline
fields, citations, tags and code blocks. Nothing here depends on the rest of the vault:
facts are a pure function of the note, computed once (``FactStore``) and read by every
later stage: ``check`` and ``build`` (through ``links.check_links``), the templates'
relations, the manifest and the transform.
"""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass

from .model import Note
from .parse.walk import iter_nodes, plain_text


@dataclass(frozen=True, slots=True)
class HeadingFact:
    level: int
    text: str  # as written in the note (links name headings by this)
    line: int | None
    slug: str  # unique in the note; the heading's id is ``<note anchor>--<slug>``
    index: int  # its rank among the note's headings (``"heading"`` on its tree node)
    title: bool = False  # the note's title heading (the template prints it)
    key: str = ""  # ``heading_key(text)``: what links are compared with


@dataclass(frozen=True, slots=True)
class LinkFact:
    """A link or an embed: ``[[name#fragment|label]]``, ``![[…]]`` or ``[label](name.md#fragment)``."""

    name: str  # the note or file named ("" for the note itself)
    fragment: str  # "Heading", "A#B", "^block", or ""
    label: str | None
    embed: bool
    line: int | None
    written: str  # as written, for diagnostics
    markdown: bool = False  # a Markdown link (a note only when its name is a note's)


@dataclass(frozen=True, slots=True)
class FieldFact:
    key: str
    text: str  # the value as a reader sees it
    links: tuple[str, ...]  # the note names its wikilinks give
    line: int | None
    citations: tuple[str, ...] = ()  # the keys its citations give (``Source:: [@key]``)


@dataclass(frozen=True, slots=True)
class CitationFact:
    keys: tuple[str, ...]
    written: str
    line: int | None


@dataclass(frozen=True)
class NoteFacts:
    path: str
    headings: tuple[HeadingFact, ...]
    blocks: dict[str, int | None]  # block id -> the line its id is written on
    block_spans: dict[str, tuple[int | None, int | None]]  # block id -> (first line, last line)
    links: tuple[LinkFact, ...]
    fields: tuple[FieldFact, ...]
    citations: tuple[CitationFact, ...]
    tags: tuple[str, ...]
    code_blocks: tuple[tuple[str, int | None], ...]  # (language, line)

    @property
    def title_heading(self) -> HeadingFact | None:
        """The note's title: its first H1 (the one ``read.first_h1`` takes as the title)."""
        return next((h for h in self.headings if h.title), None)


_STRIPPED = re.compile(r"[!\"#$%&()*+,.:;<=>?@^`{|}~/\[\]\\\r\n]+")


def heading_key(text: str) -> str:
    """A heading, or a link's heading part, in the form Obsidian compares them (its
    ``stripHeading``: see ``links``)."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(_STRIPPED.sub(" ", text).split()).casefold()


def split_target(target: str) -> tuple[str, str]:
    """``Note#A#B`` -> ("Note", "A#B"); ``Note#^id`` -> ("Note", "^id")."""
    name, _, fragment = target.partition("#")
    return name.strip(), fragment.strip()


def _is_local(url: str) -> bool:
    """A Markdown link to a file of the vault: no scheme, not an anchor of the page."""
    if not url or url.startswith("#") or url.startswith("//"):
        return False
    head = url.split("/", 1)[0]
    return ":" not in head


def link_fact(node: dict) -> LinkFact | None:
    """The fact of a ``WikiLink`` node, or of a ``Link`` to a local file."""
    if node.get("t") == "WikiLink":
        name, fragment = split_target(node["target"])
        return LinkFact(name, fragment, node.get("label"), bool(node.get("embed")), node.get("line"), node["written"])
    if node.get("t") == "Image":  # ![description](figure.png): an embed of a vault file
        url = node["c"][2][0]
        if not _is_local(url) or url.startswith("/"):
            return None
        # "figure.png#interface": the fragment is a display hint of Obsidian's themes
        path = urllib.parse.unquote(url).split("#", 1)[0]
        alt = plain_text(node["c"][1]).strip()
        return LinkFact(path, "", alt or None, True, node.get("line"), f"![{alt}]({url})", markdown=True)
    if node.get("t") == "Link" and not node.get("autolink"):
        url = node["c"][2][0]
        if not _is_local(url):
            return None
        path = urllib.parse.unquote(url)
        name, _, fragment = path.partition("#")
        label = plain_text(node["c"][1]).strip() or None
        return LinkFact(name.strip(), fragment.strip(), label, False, node.get("line"),
                        f"[{label or ''}]({url})", markdown=True)
    return None


def note_facts(note: Note, tree: list) -> NoteFacts:
    headings, links, fields, citations, tags, code = [], [], [], [], [], []
    blocks: dict[str, int | None] = {}
    spans: dict[str, tuple[int | None, int | None]] = {}
    for node in iter_nodes(tree):
        kind = node.get("t")
        if "blockid" in node and node["blockid"] not in blocks:
            blocks[node["blockid"]] = node.get("blockid_line", node.get("line"))
            spans[node["blockid"]] = (node.get("line"), blocks[node["blockid"]])
        if kind == "Header" and "heading" in node:
            headings.append(HeadingFact(node["c"][0], node["source"], node.get("line"), node["slug"], node["heading"],
                                        bool(node.get("title")), heading_key(node["source"])))
        elif kind in ("WikiLink", "Link", "Image"):
            fact = link_fact(node)
            if fact is not None:
                links.append(fact)
        elif kind == "InlineField":
            names = tuple(split_target(child["target"])[0] for child in iter_nodes(node["c"])
                          if child.get("t") == "WikiLink" and split_target(child["target"])[0])
            keys = tuple(item["key"] for child in iter_nodes(node["c"]) if child.get("t") == "Citation"
                         for item in child["items"])
            fields.append(FieldFact(node["key"], plain_text(node["c"]).strip(), names, node.get("line"), keys))
        elif kind == "Citation":
            citations.append(CitationFact(tuple(item["key"] for item in node["items"]), node["written"],
                                          node.get("line")))
        elif kind == "Span" and "tag" in node:
            tags.append(node["tag"])
        elif kind == "CodeBlock":
            classes = node["c"][0][1]
            code.append((classes[0] if classes else "", node.get("line")))
    # a footnote called twice is copied twice: its links are one fact
    unique_links = tuple(dict.fromkeys(links))
    return NoteFacts(note.path, tuple(headings), blocks, spans, unique_links, tuple(dict.fromkeys(fields)),
                     tuple(dict.fromkeys(citations)), tuple(dict.fromkeys(tags)), tuple(code))


# A note's tree takes about thirty times its text in memory: the trees of the notes read
# first are held while their texts come to this many characters (a book of a few hundred
# notes, all of them); past it, a note's tree goes once its facts are read, and the
# transform reads it again from the cache (or parses it again). 10,000 notes' trees would
# take gigabytes.
TREES_HELD_CHARACTERS = 4_000_000


class FactStore:
    """Every note's parsed tree and facts, each computed once, when first asked for.

    With a ``cache`` (``cache.Cache``), a tree is kept there under a key of the note's path
    and text (all it depends on: ``parse.parse_note``), as JSON, and its facts beside it:
    a build after an edit parses the edited note only, and loads no other note's tree
    unless it renders that note again. The trees held in memory are bounded
    (``TREES_HELD_CHARACTERS``); facts and the diagnostics of reading are always kept."""

    def __init__(self, cache=None, trees_held_characters: int = TREES_HELD_CHARACTERS):
        from .parse import ParsedNote

        self._parsed: dict[str, ParsedNote] = {}
        self._facts: dict[str, NoteFacts] = {}
        self._diagnostics: dict[str, tuple] = {}  # of the notes whose tree went
        self._cache = cache
        self._room = trees_held_characters

    def parsed(self, note: Note):
        found = self._parsed.get(note.path)
        if found is None:
            found = self._parsed[note.path] = self._parse(note)
        return found

    def _key(self, note: Note) -> str | None:
        """The note's key in the cache, for its tree and its facts alike: its path and text
        are all either depends on."""
        from .cache import key_of

        return key_of("parse", note.path, note.body, note.body_line) if self._cache else None

    def _parse(self, note: Note):
        from .parse import ParsedNote, parse_note

        key = self._key(note)
        hit = self._cache.get("parse", key) if key else None
        if hit is not None:
            try:
                kept = json.loads(hit[1])
                return ParsedNote(kept["blocks"], _diagnostics_from_json(kept["diagnostics"]))
            except (ValueError, KeyError, TypeError):  # not this version's shape: parsed again
                pass
        parsed = parse_note(note)
        if key:
            kept = {"blocks": parsed.blocks, "diagnostics": _diagnostics_to_json(parsed.diagnostics)}
            self._cache.put("parse", key, {}, json.dumps(kept, ensure_ascii=False).encode("utf-8"))
        return parsed

    def tree(self, note: Note) -> list:
        return self.parsed(note).blocks

    def diagnostics(self, note: Note) -> tuple:
        """What reading the note found (its tree is not parsed again for them)."""
        kept = self._diagnostics.get(note.path)
        return kept if kept is not None else self.parsed(note).diagnostics

    def forget_tree(self, note: Note) -> None:
        """Let one note's tree go (asked for again, it is parsed again, or read from the cache)."""
        self._parsed.pop(note.path, None)

    def forget_trees(self) -> None:
        """Let the parsed trees go (the transform is done with them); facts are kept, and a
        tree asked for again is parsed again. A large book's trees are much of its memory."""
        self._parsed.clear()

    def facts(self, note: Note) -> NoteFacts:
        """The note's facts: computed once, and kept in the cache with the diagnostics of
        reading it, so that a build after an edit neither loads nor parses the tree of a
        note whose rendering it takes from the cache."""
        found = self._facts.get(note.path)
        if found is None:
            key = self._key(note)
            kept = self._kept_facts(key) if key else None
            if kept is not None:
                found, self._diagnostics[note.path] = kept
                self._facts[note.path] = found
                return found
            parsed = self.parsed(note)
            found = self._facts[note.path] = note_facts(note, parsed.blocks)
            if key:
                self._cache.put("facts", key, {}, json.dumps(
                    {"facts": facts_to_json(found), "diagnostics": _diagnostics_to_json(parsed.diagnostics)},
                    ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            self._room -= len(note.body)
            if self._room < 0:  # past the trees' room: this one goes, what it found stays
                self._diagnostics[note.path] = parsed.diagnostics
                self._parsed.pop(note.path, None)
        return found

    def _kept_facts(self, key: str) -> tuple[NoteFacts, tuple] | None:
        hit = self._cache.get("facts", key)
        if hit is None:
            return None
        try:
            kept = json.loads(hit[1])
            return facts_from_json(kept["facts"]), _diagnostics_from_json(kept["diagnostics"])
        except (ValueError, KeyError, TypeError):  # not this version's shape: computed again
            return None


def _diagnostics_to_json(diagnostics) -> list:
    return [[d.level.value, d.code, d.message, d.path, d.line] for d in diagnostics]


def _diagnostics_from_json(kept: list) -> tuple:
    from .diagnostics import Diagnostic, Level

    return tuple(Diagnostic(Level(level), *rest) for level, *rest in kept)


def facts_to_json(facts: NoteFacts) -> dict:
    """``facts`` as JSON-able data (``facts_from_json`` reads it back, equal)."""
    return {
        "path": facts.path,
        "headings": [[h.level, h.text, h.line, h.slug, h.index, h.title, h.key] for h in facts.headings],
        "blocks": facts.blocks,
        "block_spans": {name: list(span) for name, span in facts.block_spans.items()},
        "links": [[f.name, f.fragment, f.label, f.embed, f.line, f.written, f.markdown] for f in facts.links],
        "fields": [[f.key, f.text, list(f.links), f.line, list(f.citations)] for f in facts.fields],
        "citations": [[list(c.keys), c.written, c.line] for c in facts.citations],
        "tags": list(facts.tags),
        "code_blocks": [list(code) for code in facts.code_blocks],
    }


def facts_from_json(data: dict) -> NoteFacts:
    return NoteFacts(
        data["path"],
        tuple(HeadingFact(*heading) for heading in data["headings"]),
        dict(data["blocks"]),
        {name: tuple(span) for name, span in data["block_spans"].items()},
        tuple(LinkFact(*link) for link in data["links"]),
        tuple(FieldFact(key, text, tuple(links), line, tuple(citations))
              for key, text, links, line, citations in data["fields"]),
        tuple(CitationFact(tuple(keys), written, line) for keys, written, line in data["citations"]),
        tuple(data["tags"]),
        tuple((language, line) for language, line in data["code_blocks"]),
    )
