"""Bibliography files: BibTeX/BibLaTeX, CSL-JSON and CSL-YAML, read into CSL-JSON entries.

The files are those the config names (``bibliography``), else every ``*.bib``, ``*.json``
(CSL-JSON) and ``*.yaml``/``*.yml`` with a ``references`` list at the vault's root. They
are read only from inside the vault. BibTeX as Zotero and Better BibTeX export it
(accents, ``{\\'e}`` escapes, braces protecting capitals) is converted by pandoc's own
BibTeX reader, which knows LaTeX's escapes; it is fed the file's text on its standard
input, in the sandbox, through the bounded runner of ``engines.pandoc`` (never through the
exporters).

``bibliography_files`` takes the vault and the configured names and returns the
vault-relative paths to read; ``read_bibliography`` takes one of them and returns its
entries (CSL-JSON items) and the diagnostics of reading it.
"""

from __future__ import annotations

import json
import os

from ..diagnostics import Diagnostic, Level, error, warning
from ..engines import pandoc
from ..vault import frontmatter
from ..vault.paths import vault_file

MAX_BIBLIOGRAPHY_BYTES = 32 * 1024 * 1024
SUFFIXES = (".bib", ".bibtex", ".json", ".yaml", ".yml")


def bibliography_files(vault_dir: str, configured: list[str]) -> list[str]:
    """Vault-relative paths of the bibliography files to read."""
    if configured:
        return list(configured)
    found = []
    for name in sorted(os.listdir(vault_dir)):
        full = os.path.join(vault_dir, name)
        if name.startswith(".") or not os.path.isfile(full) or not name.lower().endswith(SUFFIXES):
            continue
        if name.lower().endswith((".yaml", ".yml")) and not _is_csl_yaml(full):
            continue
        if name.lower().endswith(".json") and not _is_csl_json(full):
            continue
        found.append(name)
    return found


def read_bibliography(vault_dir: str, rel_path: str, configured: bool = True) -> tuple[list[dict], list[Diagnostic]]:
    """The entries of one file, as CSL-JSON items with an ``id``. ``configured``: named by the
    config (problems are then reported on book.yml), else found at the vault's root."""
    where = "book.yml" if configured else rel_path
    full, why_not = vault_file(vault_dir, rel_path, MAX_BIBLIOGRAPHY_BYTES)
    if full is None:
        code = {"is outside the vault": "bib.outside", "is not a file in the vault": "bib.missing"}.get(
            why_not, "bib.too-large")
        return [], [error(code, f"bibliography '{rel_path}' {why_not}; not read", where)]
    try:
        with open(full, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        return [], [error("bib.unreadable", f"cannot read '{rel_path}' as UTF-8 text: {exc}", rel_path)]
    suffix = os.path.splitext(full)[1].lower()
    try:
        if suffix in (".bib", ".bibtex"):
            items = json.loads(pandoc.run_pandoc(["-f", "biblatex", "-t", "csljson"], text.encode("utf-8")))
        elif suffix == ".json":
            items = json.loads(text)
        else:
            # the frontmatter's own safe reader: no aliases (no alias bombs), no Python tags
            parsed = frontmatter.parse(text, 1, rel_path, what="bib", max_bytes=MAX_BIBLIOGRAPHY_BYTES)
            refused = [d for d in parsed.diagnostics if d.level is Level.ERROR]
            if refused:
                return [], [error("bib.invalid", f"cannot read '{rel_path}': {refused[0].message}", rel_path,
                                  refused[0].line)]
            items = parsed.data.get("references")
    except (pandoc.PandocError, json.JSONDecodeError) as exc:
        return [], [error("bib.invalid", f"cannot read '{rel_path}': {_first_line(exc)}", rel_path,
                          _error_line(exc))]
    if not isinstance(items, list):
        return [], [error("bib.invalid", f"'{rel_path}' holds no list of references", rel_path)]
    entries, problems = [], []
    for position, item in enumerate(items, 1):
        if not isinstance(item, dict) or not str(item.get("id", "")).strip():
            problems.append(warning("bib.invalid", f"entry {position} of '{rel_path}' has no id; left out", rel_path))
            continue
        wrong = next((key for key, value in item.items() if not _well_formed(key, value)), None)
        if wrong is not None:
            problems.append(warning("bib.invalid", f"entry '{item['id']}' of '{rel_path}': field '{wrong}' is not "
                                    "of the CSL shape (text, a list of names or a date); entry left out", rel_path))
            continue
        entries.append({**item, "id": str(item["id"]).strip()})
    return entries, problems


_NAME_FIELDS = {"author", "editor", "translator", "container-author", "collection-editor", "composer", "director",
                "editorial-director", "interviewer", "illustrator", "original-author", "recipient", "reviewed-author",
                "chair", "compiler", "contributor", "curator", "executive-producer", "guest", "host", "narrator",
                "organizer", "performer", "producer", "script-writer", "series-creator"}
_DATE_FIELDS = {"issued", "accessed", "original-date", "submitted", "event-date", "available-date"}
_SCALAR = (str, int, float)


def _well_formed(key: str, value) -> bool:
    """Whether a CSL-JSON field has the shape pandoc's citeproc reads (else it stops the run)."""
    if key in _NAME_FIELDS:
        return isinstance(value, list) and all(
            isinstance(name, dict) and all(isinstance(v, (*_SCALAR, bool)) for v in name.values()) for name in value)
    if key in _DATE_FIELDS:
        if isinstance(value, _SCALAR):
            return True
        if not isinstance(value, dict):
            return False
        parts = value.get("date-parts", [])
        return isinstance(parts, list) and all(isinstance(p, list) and all(isinstance(x, _SCALAR) for x in p)
                                               for p in parts) and all(
            isinstance(v, _SCALAR) for k, v in value.items() if k != "date-parts")
    if key == "custom":
        return isinstance(value, dict)
    return isinstance(value, (*_SCALAR, bool)) or value is None


def _is_csl_yaml(path: str) -> bool:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            head = handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return head.lstrip().startswith(("references:", "---\nreferences:"))


def _is_csl_json(path: str) -> bool:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            head = handle.read(512).lstrip()
    except (OSError, UnicodeDecodeError):
        return False
    return head.startswith("[") and '"id"' in head


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _error_line(exc: Exception) -> int | None:
    if isinstance(exc, json.JSONDecodeError):
        return exc.lineno
    return None
