"""Manifest: what the build did with every note, written as JSON beside the artifacts.

Nothing is lost silently: each note of the vault is listed either in the book, with its
place (the section number, as ``miena-book tree`` prints it), what it holds (its facts:
headings, links, embeds, fields, citations, tags) and its content key, or left out, with the
reason; a Markdown file that could not be read at all is listed with the diagnostic that
says why. The artifacts are listed with their size and SHA-256, and the diagnostics are
counted by code, so a CI job can compare two builds or check a release.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter

from .diagnostics import Diagnostic, Level
from .model import Book


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _facts_summary(facts) -> dict:
    """What a note holds, from its facts: how many headings, links, embeds, fields, citations."""
    return {"headings": len(facts.headings), "links": sum(not f.embed for f in facts.links),
            "embeds": sum(f.embed for f in facts.links), "fields": len(facts.fields),
            "citations": len(facts.citations), "tags": list(facts.tags)}


def manifest(checked, book: Book, written: list[str], diagnostics: list[Diagnostic], epoch: int | None,
             keys: dict[str, str] | None = None, pdf: dict | None = None) -> dict:
    """``keys``: each note's content key (``transform.NoteOutput.key``), by path; ``pdf``:
    the PDF's pages, standard and the faces it is set in."""
    notes = []
    placed = set()
    store = checked.analysis.store if checked.analysis is not None else None
    for number, node in checked.outline.numbered():
        if node.note is None:
            continue
        placed.add(node.note.path)
        entry = {"path": node.note.path, "title": node.note.title, "in_book": True,
                 "place": number or "root", "depth": number.count(".") + 1 if number else 0}
        if store is not None:
            entry["content"] = _facts_summary(store.facts(node.note))
        if keys and node.note.path in keys:
            entry["key"] = keys[node.note.path]
        notes.append(entry)
    for exclusion in checked.outline.excluded:
        notes.append({"path": exclusion.path, "in_book": False, "reason": exclusion.reason})
        placed.add(exclusion.path)
    read = {n.path for n in checked.vault.notes}
    for found in diagnostics:  # .md files that never became notes (binary, unreadable, too large)
        if (found.level is Level.ERROR and found.path and found.path.lower().endswith(".md")
                and found.path not in placed and found.path not in read):
            notes.append({"path": found.path, "in_book": False, "reason": found.message})
            placed.add(found.path)
    counts = Counter(d.code for d in diagnostics)
    record = {
        "book": {"title": book.title, "language": book.language, "date": book.date,
                 "source_date_epoch": epoch},
        "artifacts": [{"file": os.path.basename(path), "bytes": os.path.getsize(path), "sha256": _sha256(path)}
                      for path in written],
        "notes": notes,
        "summary": {"notes": len(notes), "in_book": sum(n["in_book"] for n in notes),
                    "left_out": sum(not n["in_book"] for n in notes),
                    "errors": sum(d.level is Level.ERROR for d in diagnostics),
                    "warnings": sum(d.level is Level.WARNING for d in diagnostics)},
        "diagnostics_by_code": dict(sorted(counts.items())),
    }
    if pdf is not None:
        record["pdf"] = pdf
    return record


def manifest_bytes(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
