"""Read: one note file on disk to a `Note`.

Bytes are decoded and repaired (`decode`), the frontmatter is split and parsed
(`frontmatter`), then the fields the outline relies on are checked and normalised:

* ``parent``, ``child``, ``sibling``, ``related``: a wikilink (``"[[Name]]"``), a plain
  name, or a list of them;
* ``aliases``, ``tags``: a list of text, or a single text;
* ``order``: a number; ``created``, ``updated``, ``date``: a date;
* ``title``, ``type``, ``summary``, ``status``: text.

A field of the wrong shape is reported with its line and ignored; the note is kept.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

from ..diagnostics import Diagnostic, error, warning
from ..fences import segments
from ..model import Note, NoteRef
from . import frontmatter
from .decode import UnreadableFile, decode_bytes

MAX_NOTE_BYTES = 16 * 1024 * 1024

WIKILINK = re.compile(r"\[\[([^\[\]|#^]*)(?:[#^][^\[\]|]*)?(?:\|[^\[\]]*)?\]\]")
_H1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_DATE_SHAPED = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\b")

LINK_FIELDS = ("parent", "child", "sibling", "related")
TEXT_LIST_FIELDS = ("aliases", "tags")
TEXT_FIELDS = ("title", "type", "summary", "status")
DATE_FIELDS = ("created", "updated", "date")
# The fields that describe the note itself or place it in the book: never relations.
PLACE_FIELDS = ("parent", "child", "order", "cssclasses")
NOTE_FIELDS = frozenset((*PLACE_FIELDS, *TEXT_LIST_FIELDS, *TEXT_FIELDS, *DATE_FIELDS))


def note_names_in(value: str) -> list[str]:
    """The note names a field value points at: its wikilinks, else the text itself."""
    links = WIKILINK.findall(value)
    if links:
        return [name.strip() for name in links if name.strip()]
    value = value.strip()
    return [value] if value else []


def _display_text(markdown: str) -> str:
    """A heading as a reader sees it: link labels instead of brackets, no emphasis marks."""
    text = re.sub(r"\[\[([^\[\]|]*)\|([^\[\]]*)\]\]", r"\2", markdown)
    text = re.sub(r"\[\[([^\[\]]*)\]\]", lambda m: m.group(1).split("#")[0], text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    return text.strip()


def first_h1(body: str) -> str | None:
    """The first level-1 ATX heading outside fenced code."""
    for is_code, text in segments(body):
        if is_code:
            continue
        for line in text.split("\n"):
            heading = _H1.match(line)
            if heading:
                return _display_text(heading.group(1)) or None
    return None


class _FieldChecker:
    """Normalises the typed fields of one note, collecting a warning per bad field."""

    def __init__(self, meta: dict[str, Any], lines: dict[str, int], path: str):
        self.meta, self.lines, self.path = meta, lines, path
        self.diagnostics: list[Diagnostic] = []

    def _bad(self, key: str, expected: str, value: Any) -> None:
        self.diagnostics.append(warning(
            "frontmatter.type", f"'{key}' should be {expected}, not {_describe(value)}; ignored",
            self.path, self.lines.get(key)))

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.meta.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, (list, dict)) for item in items):
            self._bad(key, "a list of text or one text", value)
            return ()
        return tuple(str(item).strip() for item in items if item is not None and str(item).strip())

    def links(self, key: str) -> tuple[NoteRef, ...]:
        texts = self.texts(key)
        return tuple(NoteRef(name, self.lines.get(key)) for text in texts for name in note_names_in(text))

    def text(self, key: str) -> str | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, (list, dict)):
            self._bad(key, "text", value)
            return None
        return str(value).strip() or None

    def number(self, key: str) -> float | None:
        value = self.meta.get(key)
        if value is None or isinstance(value, bool):
            if isinstance(value, bool):
                self._bad(key, "a number", value)
            return None
        if isinstance(value, (int, float)):
            return float(value)
        try:
            return float(str(value).replace(",", "."))
        except ValueError:
            self._bad(key, "a number", value)
            return None

    def date(self, key: str) -> None:
        value = self.meta.get(key)
        if value is None or isinstance(value, (dt.date, dt.datetime)):
            return
        if isinstance(value, str):
            if _DATE_SHAPED.match(value):
                return  # a date-shaped impossible date: the YAML loader has reported it
            try:
                dt.date.fromisoformat(value.strip()[:10])
                return
            except ValueError:
                pass
        self._bad(key, "a date (YYYY-MM-DD)", value)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        if any(isinstance(item, (list, dict)) for item in value):
            return "a list that holds lists or mappings (is a [[link]] missing its quotes?)"
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    return f"'{value}'"


def parse_note(text: str, path: str, diagnostics: list[Diagnostic] | None = None) -> Note:
    """Build a `Note` from decoded text; findings are appended to ``diagnostics``."""
    found = diagnostics if diagnostics is not None else []
    parts = frontmatter.split(text, path)
    found.extend(parts.diagnostics)
    meta, lines = {}, {}
    if parts.yaml_text is not None:
        parsed = frontmatter.parse(parts.yaml_text, parts.yaml_line, path)
        meta, lines = parsed.data, parsed.key_lines
        found.extend(parsed.diagnostics)
    check = _FieldChecker(meta, lines, path)
    for key in DATE_FIELDS:
        check.date(key)
    stem = path.rsplit("/", 1)[-1][:-3]
    title = check.text("title") or first_h1(parts.body) or stem
    note = Note(
        path=path,
        title=title,
        body=parts.body,
        body_line=parts.body_line,
        meta=meta,
        field_lines=lines,
        type=check.text("type"),
        aliases=check.texts("aliases"),
        tags=tuple(tag.lstrip("#") for tag in check.texts("tags")),
        parents=check.links("parent"),
        children=check.links("child"),
        order=check.number("order"),
    )
    for key in ("sibling", "related"):
        check.links(key)
    for key in ("summary", "status"):
        check.text(key)
    found.extend(check.diagnostics)
    return note


def read_note(vault_dir: str, path: str) -> tuple[Note | None, list[Diagnostic]]:
    """Read the note at vault-relative ``path``; None when it cannot be read as text."""
    diagnostics: list[Diagnostic] = []
    full = os.path.join(vault_dir, *path.split("/"))
    try:
        size = os.path.getsize(full)
        if size > MAX_NOTE_BYTES:
            return None, [error("read.too-large", f"note is {size // (1024 * 1024)} MiB, over the "
                                f"{MAX_NOTE_BYTES // (1024 * 1024)} MiB limit; skipped", path)]
        with open(full, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return None, [error("read.unreadable", f"cannot be read ({exc.strerror}); skipped", path)]
    try:
        decoded = decode_bytes(data, path)
    except UnreadableFile as unreadable:
        return None, [unreadable.diagnostic]
    diagnostics.extend(decoded.diagnostics)
    return parse_note(decoded.text, path, diagnostics), diagnostics
