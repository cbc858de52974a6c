"""Index: note names to notes, as Obsidian resolves a ``[[link]]``.

A note answers to its file name without ``.md``, to its vault-relative path
(``Annexes/Glossaire``) and to each of its ``aliases``. Matching ignores case and Unicode
normalisation (a name typed on macOS in NFD finds a note saved in NFC).

When one name fits several notes (two ``Glossaire.md`` in different folders), the one
written with the same case wins, then the one in the linking note's own folder (as in
Obsidian; neither is ambiguous), else the one with the shortest path (fewest folders),
then the first in alphabetical order, and the caller reports the ambiguity with the
candidates. File names take precedence over aliases (which Obsidian itself does not
resolve; the book does, since MIENA vaults rely on them).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .diagnostics import Diagnostic, warning
from .model import Attachment, Note


def normalize_name(name: str) -> str:
    """The form names are compared in: NFC, case-folded, no ``.md``, no surrounding slashes."""
    name = unicodedata.normalize("NFC", name.strip()).strip("/")
    if name.lower().endswith(".md"):
        name = name[:-3]
    return name.casefold()


def _preference(note_path: str) -> tuple:
    return (note_path.count("/"), note_path.casefold())


@dataclass(frozen=True)
class Resolution:
    """What a name resolved to. ``note`` is None when nothing matched."""

    note: Note | None
    candidates: tuple[Note, ...] = ()  # every match, preferred first; more than one = ambiguous

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


class NameIndex:
    """Looks notes up by name, path or alias."""

    def __init__(self, notes: Iterable[Note]):
        self._by_path: dict[str, Note] = {}
        by_stem: dict[str, list[Note]] = defaultdict(list)
        by_alias: dict[str, list[Note]] = defaultdict(list)
        for note in notes:
            self._by_path[normalize_name(note.path)] = note
            by_stem[normalize_name(note.stem)].append(note)
            for alias in dict.fromkeys(normalize_name(a) for a in note.aliases):
                by_alias[alias].append(note)
        self._by_stem = {k: tuple(sorted(v, key=lambda n: _preference(n.path))) for k, v in by_stem.items()}
        self._by_alias = {k: tuple(sorted(v, key=lambda n: _preference(n.path))) for k, v in by_alias.items()}

    def resolve(self, name: str, from_path: str | None = None) -> Resolution:
        """Find the note ``name`` designates, seen from the note at ``from_path``."""
        key = normalize_name(name.split("|", 1)[0].split("#", 1)[0])
        if not key:
            return Resolution(None)
        if "/" in key:
            return self._resolve_path(key, from_path)
        for table in (self._by_stem, self._by_alias):
            candidates = table.get(key)
            if candidates:
                return Resolution(*self._preferred(candidates, name, from_path))
        return Resolution(None)

    @staticmethod
    def _preferred(candidates: tuple[Note, ...], name: str, from_path: str | None) -> tuple[Note, tuple[Note, ...]]:
        """Obsidian's choice among notes of one name: the one written with the same case
        (``@Smith2019`` and ``@smith2019`` are two works), then the one in the linking note's
        own folder (not ambiguous: that is the note meant), then the shortest path."""
        if len(candidates) == 1:
            return candidates[0], candidates
        written = unicodedata.normalize("NFC", name.strip()).removesuffix(".md")
        same_case = [n for n in candidates if unicodedata.normalize("NFC", n.stem) == written]
        if len(same_case) == 1:
            return same_case[0], (same_case[0],)
        if from_path is not None:
            folder = from_path.rsplit("/", 1)[0] if "/" in from_path else ""
            near = [n for n in candidates if n.folder == folder]
            if len(near) == 1:
                return near[0], (near[0],)
        return candidates[0], candidates

    def _resolve_path(self, key: str, from_path: str | None) -> Resolution:
        if from_path:
            folder = normalize_name(from_path).rsplit("/", 1)[0] if "/" in from_path else ""
            relative = posixpath.normpath(posixpath.join(folder, key))
            if relative in self._by_path:
                return Resolution(self._by_path[relative], (self._by_path[relative],))
        if key in self._by_path:
            return Resolution(self._by_path[key], (self._by_path[key],))
        suffix = "/" + key
        candidates = tuple(sorted((n for p, n in self._by_path.items() if p.endswith(suffix)),
                                  key=lambda n: _preference(n.path)))
        return Resolution(candidates[0] if candidates else None, candidates)


def ambiguity_warning(name: str, resolution: Resolution, path: str, line: int | None) -> Diagnostic:
    listed = ", ".join(f"'{n.path}'" for n in resolution.candidates)
    return warning("link.ambiguous", f"[[{name}]] fits {len(resolution.candidates)} notes ({listed}); "
                   f"'{resolution.note.path}' is used: write the folder too, as [[{resolution.note.path[:-3]}]]",
                   path, line)


class AttachmentIndex:
    """Attachments by file name (case-insensitive) and by vault-relative path."""

    def __init__(self, attachments: Iterable[Attachment]):
        self._by_name: dict[str, list[Attachment]] = defaultdict(list)
        self._by_path: dict[str, Attachment] = {}
        for attachment in attachments:
            self._by_name[unicodedata.normalize("NFC", attachment.name).casefold()].append(attachment)
            self._by_path[unicodedata.normalize("NFC", attachment.path).casefold()] = attachment

    def find(self, name: str) -> Attachment | None:
        key = unicodedata.normalize("NFC", name.strip().strip("/")).casefold()
        if key in self._by_path:
            return self._by_path[key]
        matches = sorted(self._by_name.get(key.rsplit("/", 1)[-1], ()), key=lambda a: _preference(a.path))
        return matches[0] if matches else None


# A type prefix of MIENA file names: capitals (MOD_, ENJEU_, SMC_, CS_), and for a
# competency its domain after it (CS_Modélisation_).
_AUTOMATIC_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{1,11}_(?:[^\s_]+_)?\s*")


def name_without_prefix(name: str, prefixes: Iterable[str] = ()) -> str:
    """A file name without the prefix that says its note's type: one of ``prefixes`` (``*``
    stands for one word: ``CS_*_``), or, when none is configured, capitals and ``_``."""
    prefixes = tuple(prefixes)
    if prefixes:
        for prefix in prefixes:
            pattern = "".join(r"[^\s_]+" if part == "*" else re.escape(part) for part in re.split(r"(\*)", prefix))
            match = re.match(pattern + r"\s*", name)
            if match and name[match.end():].strip():
                return name[match.end():].strip()
        return name
    match = _AUTOMATIC_PREFIX.match(name)
    rest = name[match.end():].strip() if match else ""
    return rest or name


def display_title(note: Note, prefixes: Iterable[str] = ()) -> str:
    """The title a reader is shown for a note: its ``title`` field, else its first heading,
    else its file name without the type prefix (``MOD_ Modèle pédagogique`` → ``Modèle
    pédagogique``): the words of the book, not of the author's filing."""
    stem = posixpath.basename(note.path)
    stem = stem[:-3] if stem.lower().endswith(".md") else stem
    if note.title != stem:
        return note.title
    return name_without_prefix(stem, prefixes)
