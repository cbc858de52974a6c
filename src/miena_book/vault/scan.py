"""Scan: find the notes and attachments of a vault.

Takes the vault folder and the ignore globs of the config; returns vault-relative POSIX
paths of every ``*.md`` note and every attachment (images, PDFs, audio, video) in a stable
order. Skipped: Obsidian's ``.obsidian/`` and ``.trash/``, every hidden file or folder,
and whatever the globs name. Symbolic links are followed only while their real path stays
inside the vault, and each real folder is entered once, so link loops end.

Glob syntax: ``*`` and ``?`` within one path segment, ``**`` across segments, ``[abc]``.
A pattern without ``/`` matches a file or folder name anywhere (``Templates``,
``*.excalidraw.md``); one with ``/`` matches the vault-relative path (``Archives/**``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, warning
from .paths import is_inside

NOTE_SUFFIX = ".md"
# what Obsidian embeds besides notes: images, PDFs, audio, video, canvases and bases
ATTACHMENT_SUFFIXES = frozenset(
    (".png .jpg .jpeg .gif .svg .webp .bmp .avif .pdf .mp3 .wav .m4a .ogg .flac .3gp .webm .mp4 .mov .mkv .ogv "
     ".canvas .base").split()
)


@dataclass(frozen=True)
class ScanResult:
    notes: tuple[str, ...]
    attachments: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)


def _glob_to_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                out.append("[" + pattern[i + 1:end].replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out) + r"\Z", re.IGNORECASE)


class IgnoreRules:
    """The configured globs, matched against a vault-relative path and its name."""

    def __init__(self, patterns: Iterable[str]):
        self._by_name, self._by_path = [], []
        for pattern in patterns:
            pattern = pattern.strip().strip("/") if pattern.strip() != "/" else ""
            if not pattern:
                continue
            (self._by_path if "/" in pattern else self._by_name).append(_glob_to_regex(pattern))

    def ignores(self, rel_path: str) -> bool:
        name = rel_path.rsplit("/", 1)[-1]
        return any(r.match(name) for r in self._by_name) or any(r.match(rel_path) for r in self._by_path)


def _is_hidden(name: str) -> bool:
    # covers .obsidian, .trash, .git and editors' dot files
    return name.startswith(".")


def _symlink_finding(link_path: str, rel: str, vault_real: str) -> Diagnostic:
    """Why a symbolic link is not followed.

    A link outside the vault could pull any file of the machine into the book; a link inside
    it would read the same notes twice (or loop), and they are read at their real place.
    """
    real = os.path.realpath(link_path)
    if not os.path.exists(real):
        return warning("scan.broken-symlink", "symbolic link points nowhere; skipped", rel)
    if not is_inside(real, vault_real):
        return warning("scan.symlink-outside", "symbolic link leads outside the vault; not followed", rel)
    target = os.path.relpath(real, vault_real).replace(os.sep, "/")
    if is_inside(os.path.realpath(os.path.dirname(link_path)), real):
        return warning("scan.symlink-loop", f"symbolic link leads back to its own folder ('{target}'); "
                       "not followed", rel)
    return warning("scan.symlink-inside", f"symbolic link to '{target}', which is read at its own place; "
                   "not followed", rel)


def scan(vault_dir: str, ignore: Iterable[str] = ()) -> ScanResult:
    """Walk the vault iteratively (no recursion limit) and sort what it finds."""
    rules = IgnoreRules(ignore)
    vault_real = os.path.realpath(vault_dir)
    notes: list[str] = []
    attachments: list[str] = []
    diagnostics: list[Diagnostic] = []
    pending = [(vault_dir, "")]
    while pending:
        folder, rel_folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            diagnostics.append(warning("scan.unreadable", f"folder cannot be read ({exc.strerror}); skipped",
                                       rel_folder or "."))
            continue
        subfolders = []
        for entry in entries:
            rel = f"{rel_folder}/{entry.name}" if rel_folder else entry.name
            if _is_hidden(entry.name) or rules.ignores(rel):
                continue
            if entry.is_symlink():
                diagnostics.append(_symlink_finding(entry.path, rel, vault_real))
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                subfolders.append((entry.path, rel))
                continue
            suffix = os.path.splitext(entry.name)[1].lower()
            if suffix == NOTE_SUFFIX:
                notes.append(rel)
            elif suffix in ATTACHMENT_SUFFIXES:
                attachments.append(rel)
        pending.extend(reversed(subfolders))
    return ScanResult(tuple(sorted(notes)), tuple(sorted(attachments)), tuple(diagnostics))
