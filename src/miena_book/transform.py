"""Transform: a note's Obsidian Markdown to the Markdown pandoc reads (``commonmark_x``).

Takes a note, the name index, the set of notes in the book and the heading offset of the
note's place in the book; returns the new body and diagnostics. Code (fenced blocks and
inline spans) is left exactly as written. Outside code:

* ``%%comments%%`` vanish;
* ``[[Note]]``, ``[[Note|label]]``, ``[[Note#Heading]]`` to a note in the book become a
  cross-reference ``[label](#id){.xref}``; to a note outside the book, plain text (with a
  footnote naming the note, when configured) and a warning; to no note at all, plain text
  and a ``link.unresolved`` warning;
* ``![[image.png]]`` becomes an image (resolved by the assets stage), other embeds a link;
* headings move down so they sit below the note's own title, never skipping a level, and
  the note's first H1 (its title) is dropped: the template prints the title.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from .diagnostics import Diagnostic, warning
from .fences import segments
from .model import Note
from .names import NameIndex, ambiguity_warning
from .slugs import ascii_slug

_COMMENT = re.compile(r"%%.*?%%", re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]*?)\]\]")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")


@dataclass(frozen=True)
class LinkTarget:
    note: Note
    anchor: str  # the id of the note's section in the book


def note_anchor(note: Note) -> str:
    """A stable id for a note's section: ASCII, unique per path."""
    return f"{ascii_slug(note.stem, 48, 'note')}-{hashlib.sha1(note.path.encode()).hexdigest()[:6]}"


def _outside_code_spans(text: str, change: Callable[[str], str]) -> str:
    out, last = [], 0
    for span in _CODE_SPAN.finditer(text):
        out.append(change(text[last:span.start()]))
        out.append(span.group(0))
        last = span.end()
    out.append(change(text[last:]))
    return "".join(out)


def _escape_label(label: str) -> str:
    return re.sub(r"([\[\]\\*_`<>])", r"\\\1", label)


class NoteTransformer:
    """Rewrites one note at a time; shares the index and the book's set of notes."""

    def __init__(self, index: NameIndex, in_book: dict[str, LinkTarget], embed_image: Callable[[str, str], str | None],
                 outside_footnote: str | None = None):
        """``outside_footnote``: when set, a link to a note that is not in the book gets a
        footnote with this text (``{title}`` is replaced by the note's title)."""
        self.index = index
        self.in_book = in_book
        self.embed_image = embed_image
        self.outside_footnote = outside_footnote

    def transform(self, note: Note, depth: int) -> tuple[str, list[Diagnostic]]:
        diagnostics: list[Diagnostic] = []
        state = {"title_dropped": False, "previous": depth}
        line_of = _LineCounter(note)
        footnotes: list[str] = []
        pieces = []
        for is_code, text in segments(note.body):
            if is_code:
                pieces.append(text)
                continue
            text = _COMMENT.sub("", text)
            text = _outside_code_spans(text, lambda t: self._links(t, note, line_of, diagnostics, footnotes))
            pieces.append(self._headings(text, depth, state))
        body = "\n".join(pieces)
        if footnotes:
            body += "\n\n" + "\n\n".join(footnotes) + "\n"
        return body, diagnostics

    def _headings(self, text: str, depth: int, state: dict) -> str:
        lines = []
        for line in text.split("\n"):
            match = _HEADING.match(line)
            if match:
                level = len(match.group(1))
                if level == 1 and not state["title_dropped"]:
                    state["title_dropped"] = True
                    continue
                # below the note's title, and at most one level deeper than the heading before
                wanted = min(depth + level - (1 if state["title_dropped"] else 0), state["previous"] + 1, 6)
                wanted = max(wanted, depth + 1) if depth < 6 else 6
                state["previous"] = wanted
                line = "#" * wanted + " " + match.group(2)
            lines.append(line)
        return "\n".join(lines)

    def _links(self, text: str, note: Note, line_of: "_LineCounter", diagnostics: list[Diagnostic],
               footnotes: list[str]) -> str:
        def replace(match: re.Match[str]) -> str:
            is_embed, inner = match.group(1) == "!", match.group(2).replace("\\|", "|")
            target, _, label = inner.partition("|")
            name, _, heading = target.partition("#")
            line = line_of.line_of(match.group(0))
            if is_embed and name.lower().endswith(IMAGE_SUFFIXES):
                image = self.embed_image(name.strip(), note.path)
                if image is None:
                    diagnostics.append(warning("embed.missing", f"embedded file '{name.strip()}' is not in the vault",
                                               note.path, line))
                    return _escape_label(name)
                return f"![{_escape_label(name.strip())}]({image})"
            shown = label.strip() or (heading.strip().lstrip("^") if not name.strip() else name.strip())
            if not name.strip():  # [[#Heading]]: a link inside the same note
                return _escape_label(shown)
            found = self.index.resolve(name, note.path)
            if found.note is None:
                diagnostics.append(warning("link.unresolved", f"[[{target}]] matches no note; shown as text",
                                           note.path, line))
                return _escape_label(shown)
            if found.ambiguous:
                diagnostics.append(ambiguity_warning(name, found, note.path, line))
            destination = self.in_book.get(found.note.path)
            if destination is None:
                if self.outside_footnote is None:
                    diagnostics.append(warning("link.outside-book", f"[[{target}]] points to '{found.note.path}', "
                                               "which is not in the book; shown as text", note.path, line))
                    return _escape_label(shown)
                diagnostics.append(warning("link.outside-book", f"[[{target}]] points to '{found.note.path}', "
                                           "which is not in the book; shown as text with a footnote",
                                           note.path, line))
                label = f"[^outside-{note_anchor(note)}-{len(footnotes) + 1}]"
                footnotes.append(f"{label}: " + _escape_label(self.outside_footnote.format(title=found.note.title)))
                return _escape_label(shown) + label
            return f"[{_escape_label(shown)}](#{destination.anchor}){{.xref}}"

        return _WIKILINK.sub(replace, text)


class _LineCounter:
    """Finds the file line of a link, for diagnostics (first occurrence after the last one asked)."""

    def __init__(self, note: Note):
        self.note = note
        self.cursor = 0

    def line_of(self, snippet: str) -> int:
        position = self.note.body.find(snippet, self.cursor)
        if position < 0:
            position = self.note.body.find(snippet)
        if position < 0:
            return self.note.body_line
        self.cursor = position + len(snippet)
        return self.note.body_line + self.note.body.count("\n", 0, position)
