"""Source notes: the vault's notes that describe a work, as bibliography entries (CSL-JSON).

A source note is a note of a source type (``Document``), a note named with a source prefix
(``DOC_ …``), or a *literature note* as Zotero's Obsidian plugins (Zotero Integration,
Citations, ZotLit) write them: a note named ``@citekey`` (``references/@Halimi2020.md``),
whose key is the name after ``@``. With ``literature_folder`` set, the literature notes are
every note of that folder (and only those); by default, the ``@citekey`` notes of any folder.

A source note describes a work in its frontmatter. Field names compare without case,
accents, spaces, ``-`` or ``_`` (``Année de publication`` = ``annee_de_publication``); the
names read are those of CSL, of Zotero and of its plugins' templates, in English or French:

=================================  ========================================================
``authors``/``author``/``auteurs``  a list, or one text: "Family, Given" joined with " and ",
                                    ";" or "&", or "Given Family, Given Family" as the
                                    plugins write them
``editors``/``editor``              same shape
``year``/``année``/``Année de publication``/``issued``; ``date`` in a literature note
``title``/``titre``                 the work's title (also the note's display title)
``container-title``/``publication``/``revue``/``journal``/``Paru dans``  the book, journal
                                    or site the work is part of
``publisher``, ``publisher-place`` (or ``place``), ``edition``, ``pages``, ``volume``,
``issue``, ``chapter``, ``DOI``, ``URL`` (not a ``zotero://`` link), ``ISBN``, ``ISSN``, ``abstract``
``language``                       the work's language (en, fr…): English titles are sentence-cased by APA
``kind``/``csl-type``/``type``      a CSL type (book, chapter, article-journal…) or Zotero's
                                    (journalArticle, bookSection, thesis, webpage…)
``citekey``                         the key citations use; else the ``@citekey`` of the file
                                    name, else one derived, stable from build to build
=================================  ========================================================

A literature note without frontmatter whose first lines are ``name: value`` lines (as some
plugin templates write them, ``auteurs: Serge Halimi, ``) is read from those lines.
A field of the wrong shape (a mapping for a title, a list for a year) is reported and left out.

A note that gives no author, year or title of its own gets what its file name says:
``DOC_ Paquette et al 2022_Chap14_Architecture…`` is by Paquette and others, 2022,
chapter 14, titled "Architecture…"; ``@Halimi2020`` is of 2020; the entry is then reported
as incomplete.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, warning
from ..model import Note


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


def _field_name(name: str) -> str:
    """A field name as compared: no case, accents, spaces, '-' or '_' (itemType = item-type)."""
    return re.sub(r"[\s_-]+", "", _fold(str(name)))


_FIELD_NAMES = {
    "author": ("authors", "author", "auteurs", "auteur", "creators"),
    "editor": ("editors", "editor", "directeurs", "direction", "éditeurs scientifiques"),
    "title": ("title", "titre"),
    "container-title": ("container-title", "container", "publication", "publication title", "journal", "revue",
                        "paru dans", "booktitle", "ouvrage", "website title", "site"),
    "publisher": ("publisher", "éditeur", "editeur", "maison d'édition"),
    "publisher-place": ("publisher-place", "place", "lieu", "address"),
    "edition": ("edition", "édition"),
    "page": ("pages", "page", "p."),
    "volume": ("volume",),
    "issue": ("issue", "number", "numéro", "numero"),
    "chapter-number": ("chapter", "chapitre"),
    "DOI": ("doi",),
    "URL": ("url", "lien", "link", "accès"),
    "ISBN": ("isbn",),
    "ISSN": ("issn",),
    "abstract": ("abstract", "résumé", "abstract note"),
    "language": ("language", "langue", "langid"),
}
_FIELD_NAMES = {csl: tuple(_field_name(n) for n in names) for csl, names in _FIELD_NAMES.items()}
_YEAR_NAMES = tuple(_field_name(n) for n in ("year", "année de publication", "année", "date de publication",
                                              "issued"))
_DATE = _field_name("date")  # the work's date in a literature note; elsewhere it may be the note's own
_KIND_NAMES = tuple(_field_name(n) for n in ("kind", "csl-type", "item-type", "item type", "type"))
_KEY_NAMES = tuple(_field_name(n) for n in ("citekey", "citation key"))
# A container given under these names is a periodical (Zotero's publicationTitle), not a book.
_PERIODICAL_NAMES = tuple(_field_name(n) for n in ("publication", "publication title", "journal", "revue"))
_KNOWN = {n for names in _FIELD_NAMES.values() for n in names} | {*_YEAR_NAMES, _DATE, *_KIND_NAMES, *_KEY_NAMES}
# Checked by the note reader already (it warns about their shape): not warned about twice.
_READER_CHECKED = {"title", "type", "date"}
_KINDS = {"article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast",
          "chapter", "classic", "collection", "dataset", "document", "entry", "entry-dictionary",
          "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview", "legal_case", "legislation",
          "manuscript", "map", "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent",
          "performance", "periodical", "personal_communication", "post", "post-weblog", "regulation", "report",
          "review", "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage"}
# Zotero's item types (the ``type``/``itemType`` of its plugins' notes) -> CSL, as Zotero maps them.
_ZOTERO_KINDS = {_field_name(zotero): csl for zotero, csl in {
    "journalArticle": "article-journal", "magazineArticle": "article-magazine",
    "newspaperArticle": "article-newspaper", "book": "book", "bookSection": "chapter", "thesis": "thesis",
    "webpage": "webpage", "blogPost": "post-weblog", "forumPost": "post", "report": "report",
    "conferencePaper": "paper-conference", "encyclopediaArticle": "entry-encyclopedia",
    "dictionaryEntry": "entry-dictionary", "presentation": "speech", "film": "motion_picture",
    "videoRecording": "motion_picture", "audioRecording": "song", "podcast": "song", "radioBroadcast": "broadcast",
    "tvBroadcast": "broadcast", "interview": "interview", "letter": "personal_communication",
    "email": "personal_communication", "instantMessage": "personal_communication", "manuscript": "manuscript",
    "patent": "patent", "statute": "legislation", "bill": "bill", "case": "legal_case", "hearing": "hearing",
    "map": "map", "artwork": "graphic", "computerProgram": "software", "dataset": "dataset",
    "standard": "standard", "preprint": "article", "document": "document"}.items()}
_FILE_NAME = re.compile(r"^(?P<authors>.+?)\s+(?P<year>\d{4}[a-z]?)(?:[_ ]+(?P<rest>.*))?$")
_CHAPTER = re.compile(r"^(?:chap(?:itre|ter)?\.?\s*)(\d+)$", re.IGNORECASE)
# ``@key``: a citation key as pandoc reads one (letters, digits, _ and inner : . # $ % & - + ? < > ~ /)
_AT_KEY = re.compile(r"^@(\w(?:[\w:.#$%&+?<>~/-]*\w)?)$")
_KEY_YEAR = re.compile(r"(\d{4})[a-z]?$")
_HEADER_LINE = re.compile(r"^(?:(?P<name>[^:\n]{1,40}?)[ \t]*:|(?P<page>p\.))[ \t]*(?P<value>.*?)[ \t]*$")
_ENTITY = re.compile(r"&(?:#x?[0-9a-fA-F]+|amp|lt|gt|quot|apos|nbsp);")
# a wikilink in a frontmatter text (a YAML string, not Markdown): its label, else its name
_FIELD_LINK = re.compile(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
_NO_VALUE = {"", "nan", "none", "null", "undefined"}  # what templates print for an empty Zotero field


@dataclass(frozen=True)
class SourceEntry:
    note: Note
    key: str
    item: dict  # CSL-JSON


def at_key(note: Note) -> str | None:
    """The citation key of a note named ``@key`` (Zotero's plugins), else None."""
    found = _AT_KEY.match(note.stem)
    return found.group(1) if found else None


def is_literature_note(note: Note, literature_folder: str = "") -> bool:
    """A note of the literature folder when one is set; else a note named ``@key``, in any folder."""
    folder = literature_folder.strip().strip("/").casefold()
    if folder:
        return note.path.casefold().startswith(folder + "/")
    return at_key(note) is not None


def is_source_note(note: Note, types: list[str], prefixes: list[str], literature_folder: str = "") -> bool:
    kind = _fold(note.type or "")
    return (kind in {_fold(t) for t in types} or any(note.stem.startswith(p) for p in prefixes)
            or is_literature_note(note, literature_folder))


def source_entries(notes: list[Note], types: list[str], prefixes: list[str],
                   literature_folder: str = "") -> tuple[list[SourceEntry], list[Diagnostic]]:
    """Every source note as an entry, with unique keys (a derived key that collides gets a, b…)."""
    entries, diagnostics, used = [], [], {}
    for note in sorted(notes, key=lambda n: n.path):
        if not is_source_note(note, types, prefixes, literature_folder):
            continue
        literature = is_literature_note(note, literature_folder)
        fields = _Fields(note, literature)
        item, missing = _item(note, types, prefixes, fields, literature)
        diagnostics.extend(fields.diagnostics)
        citekey = fields.text("citekey", _KEY_NAMES)
        named = citekey or (at_key(note) if literature else None)
        key = named or str(fields.scalar(_field_name("id")) or "").strip() or _derived_key(item)
        if key in used:
            if named:
                diagnostics.append(warning("bib.duplicate-key", f"citekey '{key}' is also the key of "
                                           f"'{used[key]}'; this note's entry is left out", note.path,
                                           fields.line_of(_KEY_NAMES) if citekey else 1))
                continue
            key = next(f"{key}{suffix}" for suffix in "bcdefghijklmnopqrstuvwxyz" if f"{key}{suffix}" not in used)
        used[key] = note.path
        item["id"] = key
        if missing:
            diagnostics.append(warning("bib.incomplete", f"source note without {', '.join(missing)} in its "
                                       "frontmatter; the entry takes what the file name says", note.path, 1))
        entries.append(SourceEntry(note, key, item))
    return entries, diagnostics


class _Fields:
    """A note's fields by compared name, with their file lines and the shape problems found."""

    def __init__(self, note: Note, literature: bool):
        self.path = note.path
        self.values: dict[str, tuple[str, Any, int | None]] = {}  # compared name -> (written name, value, line)
        for name, value in note.meta.items():
            self._add(str(name), value, note.field_lines.get(name))
        if literature and not _KNOWN & self.values.keys():
            for name, value, line in _header_fields(note):
                self._add(name, value, line)
        self.diagnostics: list[Diagnostic] = []

    def _add(self, name: str, value: Any, line: int | None) -> None:
        compared = _field_name(name)
        if compared not in self.values or _empty(self.values[compared][1]):
            self.values[compared] = (name, value, line)

    def find(self, names: tuple[str, ...]) -> tuple[str, Any, int | None] | None:
        return next((self.values[n] for n in names if n in self.values and not _empty(self.values[n][1])), None)

    def line_of(self, names: tuple[str, ...]) -> int | None:
        found = self.find(names)
        return found[2] if found else None

    def scalar(self, name: str) -> Any:
        found = self.find((name,))
        return found[1] if found and not isinstance(found[1], (list, dict)) else None

    def bad(self, found: tuple[str, Any, int | None], expected: str) -> None:
        name, value, line = found
        if name not in _READER_CHECKED:
            what = "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else repr(value)
            self.diagnostics.append(warning("bib.field", f"'{name}' should be {expected}, not {what}; left out "
                                            "of the bibliography entry", self.path, line))

    def text(self, what: str, names: tuple[str, ...]) -> str | None:
        found = self.find(names)
        if found is None:
            return None
        value = found[1]
        if isinstance(value, list) and len(value) == 1 and not isinstance(value[0], (list, dict)):
            value = value[0]  # an Obsidian list property holding one value
        if isinstance(value, (list, dict)) or isinstance(value, bool):
            self.bad(found, "text")
            return None
        return _clean(value)


def _header_fields(note: Note) -> list[tuple[str, str, int]]:
    """The ``name: value`` lines that open a note without frontmatter, as far as they are fields."""
    found = []
    for number, line in enumerate(note.body.split("\n")[:40]):
        match = _HEADER_LINE.match(line)
        if not match:
            break
        name = match.group("name") or match.group("page")
        if _field_name(name) not in _KNOWN:
            break
        found.append((name.strip(), match.group("value"), note.body_line + number))
    return found


def _item(note: Note, types: list[str], prefixes: list[str], fields: _Fields,
          literature: bool) -> tuple[dict, list[str]]:
    item: dict = {"type": "book"}
    for csl, names in _FIELD_NAMES.items():
        if csl in ("author", "editor"):
            people = _people(fields, names, literature)
            if people:
                item[csl] = people
            continue
        value = fields.text(csl, names)
        if value and csl == "URL" and value.lower().startswith("zotero:"):
            continue  # the plugins' link back to the Zotero item: no use in a book
        if value:
            item[csl] = value
    issued = _issued(fields, _YEAR_NAMES + ((_DATE,) if literature else ()))
    if issued is not None:
        item["issued"] = issued
    kind = fields.text("type", _KIND_NAMES)
    if kind and _fold(kind) in {_fold(t) for t in types}:
        kind = None  # type: Document says the note is a source, not which kind of work
    kind = kind if kind in _KINDS else _ZOTERO_KINDS.get(_field_name(kind or ""))
    container = fields.find(_FIELD_NAMES["container-title"])
    periodical = container is not None and _field_name(container[0]) in _PERIODICAL_NAMES
    item["type"] = kind or _guess_kind(item, periodical)
    missing = [name for name, present in (("authors", "author" in item or "editor" in item),
                                          ("year", "issued" in item), ("title", "title" in item)) if not present]
    if missing:
        _from_file_name(note, prefixes, item, literature)
    return item, missing


def _people(fields: _Fields, names: tuple[str, ...], literature: bool) -> list[dict]:
    found = fields.find(names)
    if found is None:
        return []
    value = found[1]
    if isinstance(value, dict) and _person(value) is None or isinstance(value, bool):
        fields.bad(found, "a list of names or one text")
        return []
    people = []
    for one in (value if isinstance(value, list) else [value]):
        if isinstance(one, dict):
            person = _person(one)
            if person is None:
                fields.bad(found, "a list of names or one text")
                return []
            people.append(person)
        elif isinstance(one, list):
            fields.bad(found, "a list of names (is a [[link]] missing its quotes?)")
            return []
        elif isinstance(value, list):
            text = _clean(one)
            if text:
                people.append(_name(text, literature))
        else:
            people.extend(_name(text, literature) for text in _name_list(_clean(one) or ""))
    return people


def _person(mapping: dict) -> dict | None:
    """A name written as a mapping: CSL's family/given/literal, or Zotero's lastName/firstName/name."""
    family = mapping.get("family", mapping.get("lastName"))
    given = mapping.get("given", mapping.get("firstName"))
    literal = mapping.get("literal", mapping.get("name"))
    if any(isinstance(v, (list, dict)) for v in (family, given, literal)):
        return None
    if family:
        return {"family": str(family).strip(), **({"given": str(given).strip()} if given else {})}
    return {"literal": str(literal).strip()} if literal else None


def _issued(fields: _Fields, names: tuple[str, ...]) -> dict | None:
    found = fields.find(names)
    if found is None:
        return None
    value = found[1]
    if isinstance(value, (dt.date, dt.datetime)):
        return _date_parts(value)
    if isinstance(value, (list, dict, bool)):
        fields.bad(found, "a year or a date")
        return None
    text = _clean(value)
    return _date_parts(text) if text else None


def _from_file_name(note: Note, prefixes: list[str], item: dict, literature: bool) -> None:
    stem = note.stem
    key = at_key(note) if literature else None
    if key:  # Halimi2020: the year, if the key ends with one; the key as the title, to be found again
        year = _KEY_YEAR.search(key)
        if year and "issued" not in item:
            item["issued"] = {"date-parts": [[int(year.group(1))]]}
        item.setdefault("title", key)
        return
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


def _guess_kind(item: dict, periodical: bool = False) -> str:
    if "container-title" in item:
        if "volume" in item or "issue" in item or periodical:
            return "article-journal"
        return "chapter"
    return "book"


def _name_list(text: str) -> list[str]:
    """One text of names: split on ' and ', ';', '&' or ' et '; else on commas, when they part
    names written "Given Family" (``Gérald Bronner, Étienne Géhin``) rather than one
    "Family, Given" (``Gagné, Robert M.``)."""
    parts = [part.strip() for part in re.split(r"\s+and\s+|\s+et\s+|;|\s&\s", text) if part.strip()]
    if len(parts) == 1 and "," in text:
        pieces = [piece.strip() for piece in text.split(",") if piece.strip()]
        if len(pieces) > 2 or (len(pieces) == 2 and all(" " in piece for piece in pieces)):
            return pieces
    return parts


def _name(text: str, literature: bool = False) -> dict:
    """'Paquette, Gilbert' -> family and given; a name without comma is taken as written, except
    in a literature note, whose plugins write "Given Family": 'Serge Halimi' -> Halimi, Serge."""
    text = re.sub(r"^\[\[|\]\]$", "", text.strip())
    if "," in text:
        family, given = (part.strip() for part in text.split(",", 1))
        return {"family": family, "given": given} if given else {"family": family}
    words = text.split()
    if literature and 2 <= len(words) <= 4 and all(word[:1].isupper() for word in words):
        return {"family": words[-1], "given": " ".join(words[:-1])}
    return {"literal": text}  # one word, an organisation ("Quadrature du Net"), a particle…


def _date_parts(value) -> dict:
    if isinstance(value, (dt.date, dt.datetime)):
        return {"date-parts": [[value.year, value.month, value.day]]}
    text = str(value).strip()
    found = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
    if found:
        return {"date-parts": [[int(part) for part in found.groups() if part]]}
    year = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", text)  # "May 3, 2020", "03/05/2020"
    if year and len(text) <= 40:
        return {"date-parts": [[int(year.group(1))]]}
    return {"literal": text}  # "s.d.", "sous presse"


def _clean(value) -> str | None:
    """A value as text: trimmed of the ", " templates leave after it, entities decoded, a
    wikilink shown as Obsidian shows it (``Sur le [[glyphosate]]`` -> ``Sur le glyphosate``)."""
    text = str(value).strip().rstrip(",;").strip()
    if _ENTITY.search(text):
        text = html.unescape(text)
    if "[[" in text:
        text = _FIELD_LINK.sub(lambda m: m.group(2) if m.group(2) else m.group(1).split("#")[0], text)
    return None if _fold(text) in _NO_VALUE else text


def _empty(value) -> bool:
    return value is None or value == [] or (isinstance(value, str) and _clean(value) is None)


def _derived_key(item: dict) -> str:
    """family name + year + first long title word, ASCII lower case: paquette2022architecture."""
    people = item.get("author") or item.get("editor") or [{}]
    first = people[0].get("family") or people[0].get("literal") or "anon"
    year = str(item.get("issued", {}).get("date-parts", [[""]])[0][0])
    words = [w for w in re.findall(r"\w+", _fold(item.get("title", ""))) if len(w) > 3]
    return re.sub(r"[^a-z0-9]", "", _fold(first.split()[-1])) + year + (words[0] if words else "")

