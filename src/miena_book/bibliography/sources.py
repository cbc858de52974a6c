"""Source notes: the vault's ``DOC_`` notes (type Document) as bibliography entries (CSL-JSON).

A source note describes a work in its frontmatter; the fields read are those of CSL and
of Zotero's exports, with a few French names authors use:

=====================  ==========================================================
``authors``/``author``  "Family, Given" (a list, or one text joined with " and " or ";")
``editors``/``editor``  same shape
``year``/``issued``     a year or a date; ``date`` when it is not the note's own date
``title``               the work's title (also the note's display title)
``container-title``     the book, journal or site the work is part of
``publisher``, ``publisher-place`` (or ``place``), ``edition``, ``pages``, ``volume``,
``issue``, ``chapter``, ``DOI``, ``URL``, ``ISBN``, ``ISSN``, ``abstract``
``language``           the work's language (en, fr…): English titles are sentence-cased by APA
``kind``/``csl-type``   book, chapter, article-journal, report, thesis, webpage…
``citekey``             the key citations use; else one is derived, stable from build to build
=====================  ==========================================================

A note that gives no author, year or title of its own gets what its file name says:
``DOC_ Paquette et al 2022_Chap14_Architecture…`` is by Paquette and others, 2022,
chapter 14, titled "Architecture…"; the entry is then reported as incomplete.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from ..diagnostics import Diagnostic, warning
from ..model import Note

_FIELD_NAMES = {
    "author": ("authors", "author", "auteurs", "auteur"),
    "editor": ("editors", "editor", "directeurs", "direction"),
    "title": ("title", "titre"),
    "container-title": ("container-title", "container", "journal", "revue", "booktitle", "ouvrage"),
    "publisher": ("publisher", "éditeur", "editeur", "maison d'édition"),
    "publisher-place": ("publisher-place", "place", "lieu", "address"),
    "edition": ("edition", "édition"),
    "page": ("pages", "page"),
    "volume": ("volume",),
    "issue": ("issue", "number", "numéro", "numero"),
    "chapter-number": ("chapter", "chapitre"),
    "DOI": ("doi", "DOI"),
    "URL": ("url", "URL"),
    "ISBN": ("isbn", "ISBN"),
    "ISSN": ("issn", "ISSN"),
    "abstract": ("abstract", "résumé"),
    "language": ("language", "langue", "langid"),
}
_KINDS = {"book", "chapter", "article-journal", "article-magazine", "article-newspaper", "report", "thesis",
          "webpage", "paper-conference", "dataset", "software", "entry-encyclopedia", "motion_picture", "speech",
          "manuscript", "post", "post-weblog", "standard", "article"}
_FILE_NAME = re.compile(r"^(?P<authors>.+?)\s+(?P<year>\d{4}[a-z]?)(?:[_ ]+(?P<rest>.*))?$")
_CHAPTER = re.compile(r"^(?:chap(?:itre|ter)?\.?\s*)(\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class SourceEntry:
    note: Note
    key: str
    item: dict  # CSL-JSON


def is_source_note(note: Note, types: list[str], prefixes: list[str]) -> bool:
    kind = _fold(note.type or "")
    return kind in {_fold(t) for t in types} or any(note.stem.startswith(p) for p in prefixes)


def source_entries(notes: list[Note], types: list[str],
                   prefixes: list[str]) -> tuple[list[SourceEntry], list[Diagnostic]]:
    """Every source note as an entry, with unique keys (a derived key that collides gets a, b…)."""
    entries, diagnostics, used = [], [], {}
    for note in sorted(notes, key=lambda n: n.path):
        if not is_source_note(note, types, prefixes):
            continue
        item, missing = _item(note, prefixes)
        key = str(note.meta.get("citekey") or note.meta.get("id") or "").strip() or _derived_key(item)
        if key in used:
            if note.meta.get("citekey"):
                diagnostics.append(warning("bib.duplicate-key", f"citekey '{key}' is also the key of "
                                           f"'{used[key]}'; this note's entry is left out", note.path,
                                           note.field_lines.get("citekey")))
                continue
            key = next(f"{key}{suffix}" for suffix in "bcdefghijklmnopqrstuvwxyz" if f"{key}{suffix}" not in used)
        used[key] = note.path
        item["id"] = key
        if missing:
            diagnostics.append(warning("bib.incomplete", f"source note without {', '.join(missing)} in its "
                                       "frontmatter; the entry takes what the file name says", note.path, 1))
        entries.append(SourceEntry(note, key, item))
    return entries, diagnostics


def _item(note: Note, prefixes: list[str]) -> tuple[dict, list[str]]:
    meta = note.meta
    item: dict = {"type": "book"}
    for csl, names in _FIELD_NAMES.items():
        value = next((meta[n] for n in names if meta.get(n) not in (None, "", [])), None)
        if value is None:
            continue
        if csl in ("author", "editor"):
            item[csl] = [_name(n) for n in _name_list(value)]
        else:
            item[csl] = str(value).strip()
    issued = next((meta[k] for k in ("year", "année", "annee", "issued") if meta.get(k) not in (None, "")), None)
    if issued is not None:
        item["issued"] = _date_parts(issued)
    kind = next((str(meta[k]).strip() for k in ("kind", "csl-type", "item-type") if meta.get(k)), None)
    item["type"] = kind if kind in _KINDS else _guess_kind(item)
    missing = [name for name, present in (("authors", "author" in item or "editor" in item),
                                          ("year", "issued" in item), ("title", "title" in item)) if not present]
    if missing:
        _from_file_name(note, prefixes, item)
    return item, missing


def _from_file_name(note: Note, prefixes: list[str], item: dict) -> None:
    stem = note.stem
    for prefix in prefixes:
        if stem.startswith(prefix):
            stem = stem[len(prefix):].strip()
            break
    found = _FILE_NAME.match(stem)
    if not found:
        item.setdefault("title", stem)
        return
    authors = re.sub(r"\s+et\s+al\.?$|\s+et\s+coll?\.?$", "", found.group("authors").strip(), flags=re.IGNORECASE)
    if "author" not in item and "editor" not in item:
        item["author"] = [{"family": part.strip()} for part in re.split(r"\s*(?:,|&|\bet\b|\band\b)\s*", authors)
                          if part.strip()]
    if "issued" not in item:
        item["issued"] = {"date-parts": [[int(found.group("year")[:4])]]}
    parts = [part.strip() for part in (found.group("rest") or "").split("_")]
    if parts and _CHAPTER.match(parts[0]):
        item.setdefault("chapter-number", _CHAPTER.match(parts[0]).group(1))
        item["type"] = "chapter"
        parts = parts[1:]
    title = ": ".join(part for part in parts if part)  # Obsidian file names cannot hold ":"
    if title and "title" not in item:
        item["title"] = title


def _guess_kind(item: dict) -> str:
    if "container-title" in item:
        if "volume" in item or "issue" in item:
            return "article-journal"
        return "chapter"
    return "book"


def _name_list(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in re.split(r"\s+and\s+|;", str(value)) if part.strip()]


def _name(text: str) -> dict:
    """'Paquette, Gilbert' -> family and given; a name without comma is taken as written."""
    text = re.sub(r"^\[\[|\]\]$", "", text.strip())
    if "," in text:
        family, given = (part.strip() for part in text.split(",", 1))
        return {"family": family, "given": given} if given else {"family": family}
    return {"literal": text}


def _date_parts(value) -> dict:
    if isinstance(value, (dt.date, dt.datetime)):
        return {"date-parts": [[value.year, value.month, value.day]]}
    text = str(value).strip()
    found = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
    if not found:
        return {"literal": text}
    return {"date-parts": [[int(part) for part in found.groups() if part]]}


def _derived_key(item: dict) -> str:
    """family name + year + first long title word, ASCII lower case: paquette2022architecture."""
    people = item.get("author") or item.get("editor") or [{}]
    first = people[0].get("family") or people[0].get("literal") or "anon"
    year = str(item.get("issued", {}).get("date-parts", [[""]])[0][0])
    words = [w for w in re.findall(r"\w+", _fold(item.get("title", ""))) if len(w) > 3]
    return re.sub(r"[^a-z0-9]", "", _fold(first.split()[-1])) + year + (words[0] if words else "")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()
