"""Bibliography files: BibTeX/BibLaTeX, CSL-JSON and CSL-YAML, read into CSL-JSON entries.

The files are those the config names (``bibliography``), else every ``*.bib``, ``*.json``
(CSL-JSON) and ``*.yaml``/``*.yml`` with a ``references`` list at the vault's root. They
are read only from inside the vault. BibTeX as Zotero and Better BibTeX export it
(accents, ``{\\'e}`` escapes, braces protecting capitals) is converted by pandoc's own
BibTeX reader, which knows LaTeX's escapes; it is fed the file's text on its standard
input, in the sandbox.
"""

from __future__ import annotations

import json
import os

import yaml

from ..diagnostics import Diagnostic, error, warning
from ..export import pandoc

MAX_BIBLIOGRAPHY_BYTES = 32 * 1024 * 1024
SUFFIXES = (".bib", ".bibtex", ".json", ".yaml", ".yml")


def bibliography_files(vault_dir: str, configured: list[str]) -> tuple[list[str], list[Diagnostic]]:
    """Vault-relative paths of the bibliography files to read."""
    if configured:
        return list(configured), []
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
    return found, []


def read_bibliography(vault_dir: str, rel_path: str) -> tuple[list[dict], list[Diagnostic]]:
    """The entries of one file, as CSL-JSON items with an ``id``."""
    vault_real = os.path.realpath(vault_dir)
    full = os.path.realpath(os.path.join(vault_real, rel_path))
    if not full.startswith(vault_real + os.sep):
        return [], [error("bib.outside", f"bibliography '{rel_path}' is outside the vault; not read", "book.yml")]
    if not os.path.isfile(full):
        return [], [error("bib.missing", f"bibliography '{rel_path}' is not a file in the vault", "book.yml")]
    if os.path.getsize(full) > MAX_BIBLIOGRAPHY_BYTES:
        return [], [error("bib.too-large", f"bibliography '{rel_path}' is larger than 32 MiB; not read", rel_path)]
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
            loaded = yaml.safe_load(text)
            items = loaded.get("references") if isinstance(loaded, dict) else loaded
    except (pandoc.PandocError, json.JSONDecodeError, yaml.YAMLError) as exc:
        return [], [error("bib.invalid", f"cannot read '{rel_path}': {_first_line(exc)}", rel_path,
                          _error_line(exc))]
    if not isinstance(items, list):
        return [], [error("bib.invalid", f"'{rel_path}' holds no list of references", rel_path)]
    entries, problems = [], []
    for position, item in enumerate(items, 1):
        if not isinstance(item, dict) or not str(item.get("id", "")).strip():
            problems.append(warning("bib.invalid", f"entry {position} of '{rel_path}' has no id; left out", rel_path))
            continue
        entries.append({**item, "id": str(item["id"]).strip()})
    return entries, problems


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
    mark = getattr(exc, "problem_mark", None)
    return mark.line + 1 if mark is not None else None
