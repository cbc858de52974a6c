"""Manifest: what the build did with every note, written as JSON beside the artifacts.

Nothing is lost silently: each note of the vault is listed either in the book, with its
place (the section number, as ``miena-book tree`` prints it), or left out, with the
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


def manifest(checked, book: Book, written: list[str], diagnostics: list[Diagnostic], epoch: int | None) -> dict:
    notes = []
    placed = set()
    for number, node in checked.outline.numbered():
        if node.note is None:
            continue
        placed.add(node.note.path)
        notes.append({"path": node.note.path, "title": node.note.title, "in_book": True,
                      "place": number or "root", "depth": number.count(".") + 1 if number else 0})
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
    return {
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


def manifest_bytes(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
