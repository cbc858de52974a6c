"""Cache: what a build computed, kept under a key of everything that shaped it.

These kinds of entries live here (``.miena-cache/`` in the vault by default):

- ``parse``: a note's syntax tree and the diagnostics of reading it (``analyse.FactStore``),
  under its path and text: all that ``parse.parse_note`` depends on.
- ``facts``: what a note declares (``analyse.NoteFacts``: headings, links, fields…) and
  the diagnostics of reading it, under its path and text: a build after an edit reads
  these, not the trees, of the notes it renders from the cache.
- ``note``: a note's rendered blocks, made safe (``transform.transform_notes``), under its whole
  record and a digest of the world it is rendered in (``transform.world_of``), with the
  text of each note it embeds, checked before the entry is taken.
- ``read``: pandoc's AST of the templates' Markdown: the book's frame (``book.md.j2`` with
  the sections' places) and each batch of the notes' sections (titles, relations, the
  bodies' places; ``export.pandoc.read_sections``), each under its Markdown.
- ``html``: a piece of the HTML page, of an EPUB chapter, or a print unit's HTML
  (``export.fragments``, ``export.html``, ``export.epub``), under its blocks and, for the
  screen's pieces, where the walk before it ended (footnotes numbered, current note).

- ``unit``: a unit of the print book laid out (``export.layout``): where its anchors
  landed, its page count, what WeasyPrint said, and its PDF. The key is a digest of the
  unit's whole input: its HTML with the page numbers written in (the notes' text, what
  they link to and embed, the templates), its stylesheets (the styles, the config's page),
  its place in the book (first page, side, footnotes before it), the PDF standard, the
  build date, and the versions of miena-book (its code's digest), pandoc, WeasyPrint and
  pikepdf, and when fontconfig last indexed the machine's fonts.
  An edit changes the key of exactly the units whose input it changes.
- ``build``: a whole build's artifacts and diagnostics, under a digest of every file of the
  vault (``vault_digest``), the config, the formats, the date and the same versions: a
  build with nothing changed writes the same bytes again without computing anything.

And one ``hint`` per vault: where every anchor landed last time, so that a unit laid out
after an edit is usually given its final page numbers at once. A hint is only a guess; a
wrong one costs a second layout, never a wrong page.

Each entry is one file: a header line (format, kind, the payload's size and SHA-256, the
entry's facts as JSON), then the payload. It is written to a temporary name and renamed,
so a killed build leaves no half entry, and two builds sharing the folder never see one:
the last rename wins, and both wrote the same thing. An entry whose header, size or digest
is wrong (a truncated file, a disk error, another version's format) is ignored and
rebuilt, with a ``cache.corrupt`` notice. The folder is bounded (``limit_mb``): the least
recently used entries go first. A folder that cannot be written (read-only, full) makes
the build go on uncached, with one ``cache.unwritable`` warning.

Everything kept here was derived from the vault's own files: the layout never reads
anything else (``export.weasy`` refuses every URL but ``data:``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache

from .diagnostics import Diagnostic, info, warning

FORMAT = "miena-cache 1"
DEFAULT_FOLDER = ".miena-cache"
DEFAULT_LIMIT_MB = 1024
_IGNORE = "# written by miena-book: its cache, rebuilt when needed\n*\n"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# miena-book's cache (https://bford.info/cachedir/)\n"


@lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    """What the cached results depend on besides their input: the versions of the engines,
    and a digest of miena-book's own code, templates and styles (a development copy changes
    without its version number)."""
    from importlib.metadata import version

    from . import __version__
    from .engines.pandoc import pandoc_path
    from .resources import shipped_dir

    digest = hashlib.sha256()
    package = os.path.dirname(os.path.abspath(__file__))
    for root in (package, str(shipped_dir("templates")), str(shipped_dir("styles"))):
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".j2", ".css", ".html5", ".lua", ".csl", ".xml")):
                    path = os.path.join(folder, name)
                    digest.update(os.path.relpath(path, root).encode("utf-8") + b"\0")
                    with open(path, "rb") as handle:
                        digest.update(hashlib.sha256(handle.read()).digest())
    return {"miena-book": __version__, "code": digest.hexdigest()[:16], "pandoc": _pandoc_version(pandoc_path()),
            "weasyprint": version("weasyprint"), "pikepdf": version("pikepdf"), "fonts": _fonts_state()}


def _fonts_state() -> list:
    """When fontconfig last indexed the machine's fonts: a font installed or removed changes
    how a unit is laid out, and fontconfig's cache folders change with it."""
    folders = ["/var/cache/fontconfig", os.path.expanduser("~/.cache/fontconfig")]
    if os.environ.get("XDG_CACHE_HOME"):
        folders.append(os.path.join(os.environ["XDG_CACHE_HOME"], "fontconfig"))
    state = []
    for folder in folders:
        try:
            state.append([folder, os.stat(folder).st_mtime_ns])
        except OSError:
            continue
    return state


def _pandoc_version(path: str) -> str:
    import subprocess

    try:
        return subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout.split("\n")[0]
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def key_of(*parts) -> str:
    """A digest of ``parts`` (JSON-able), with the engines' versions."""
    digest = hashlib.sha256(json.dumps([versions(), *parts], sort_keys=True, ensure_ascii=False,
                                       separators=(",", ":")).encode("utf-8"))
    return digest.hexdigest()


class Cache:
    """The cache folder. ``diagnostics`` collects what using it had to say."""

    def __init__(self, folder: str, limit_mb: int = DEFAULT_LIMIT_MB):
        self.folder = folder
        self.limit = limit_mb * 1024 * 1024
        self.diagnostics: list[Diagnostic] = []
        self.enabled = True
        self.hits = self.misses = 0

    def _path(self, kind: str, key: str) -> str:
        return os.path.join(self.folder, kind, key[:2], key)

    def get(self, kind: str, key: str) -> tuple[dict, bytes] | None:
        """The entry's facts and payload, or None (absent, or unusable: then rebuilt)."""
        if not self.enabled:
            return None
        path = self._path(kind, key)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as failure:
            self._unusable(path, f"cannot be read ({failure.strerror})")
            return None
        header, _, payload = data.partition(b"\n")
        try:
            meta = json.loads(header)
            valid = (meta.get("format") == FORMAT and meta.get("kind") == kind and meta.get("size") == len(payload)
                     and meta.get("sha256") == hashlib.sha256(payload).hexdigest())
        except (ValueError, AttributeError):
            valid = False
        if not valid:
            self._unusable(path, "is corrupt, truncated or from another version")
            return None
        try:
            os.utime(path)  # recently used: pruned last
        except OSError:
            pass
        self.hits += 1
        return meta["facts"], payload

    def _unusable(self, path: str, why: str) -> None:
        self.misses += 1
        self.diagnostics.append(info("cache.corrupt", f"cache entry {os.path.relpath(path, self.folder)} {why}: "
                                                      "it is rebuilt"))
        try:
            os.unlink(path)
        except OSError:
            pass

    def put(self, kind: str, key: str, facts: dict, payload: bytes = b"") -> None:
        if not self.enabled:
            return
        path = self._path(kind, key)
        header = json.dumps({"format": FORMAT, "kind": kind, "size": len(payload),
                             "sha256": hashlib.sha256(payload).hexdigest(), "facts": facts},
                            ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        temporary = None
        try:
            self._prepare()
            os.makedirs(os.path.dirname(path), exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".partial-", dir=os.path.dirname(path))
            with os.fdopen(handle, "wb") as out:  # in three writes: a large payload is not copied
                out.write(header)
                out.write(b"\n")
                out.write(payload)
            os.replace(temporary, path)
        except OSError as failure:
            if temporary and os.path.exists(temporary):
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
            self.enabled = False
            self.diagnostics.append(warning(
                "cache.unwritable", f"the cache folder {self.folder} cannot be written ({failure.strerror or failure}): "
                "this build goes on without it"))

    def _prepare(self) -> None:
        """The folder, marked as a cache for git (its own .gitignore) and for backup tools."""
        if os.path.exists(os.path.join(self.folder, ".gitignore")):
            return
        os.makedirs(self.folder, exist_ok=True)
        for name, text in ((".gitignore", _IGNORE), ("CACHEDIR.TAG", _TAG)):
            with open(os.path.join(self.folder, name), "w", encoding="utf-8") as handle:
                handle.write(text)

    def prune(self) -> None:
        """Least recently used entries removed until the folder is within its limit; a
        temporary file left by a killed build goes too once it is an hour old."""
        if not self.enabled or not os.path.isdir(self.folder):
            return
        import time

        entries = []
        now = time.time()
        for folder, _, files in os.walk(self.folder):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                if name.startswith(".partial-"):
                    if now - stat.st_mtime > 3600:
                        _remove(path)
                    continue
                if folder != self.folder:
                    entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.limit:
                break
            _remove(path)
            total -= size


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


_SKIPPED_FOLDERS = frozenset({".git", ".obsidian", ".trash", DEFAULT_FOLDER})


def vault_digest(vault_dir: str, skip: tuple[str, ...] = ()) -> str:
    """A digest of every file of the vault (its path and bytes), but Obsidian's and git's
    own folders, the cache and the folders in ``skip`` (the output, when it is inside)."""
    digest = hashlib.sha256()
    root = os.path.abspath(vault_dir)
    skipped = {os.path.abspath(path) for path in skip}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_FOLDERS and os.path.join(folder, d) not in skipped)
        for name in sorted(files):
            path = os.path.join(folder, name)
            digest.update(os.path.relpath(path, root).encode("utf-8", "surrogateescape") + b"\0")
            if os.path.islink(path):  # what it points to: the build reads the target if it is inside
                path = os.path.realpath(path)
                digest.update(b"link:" + path.encode("utf-8", "surrogateescape") + b"\0")
                if not path.startswith(root + os.sep):
                    continue
            if not os.path.isfile(path):
                continue
            try:
                with open(path, "rb") as handle:
                    digest.update(hashlib.sha256(handle.read()).digest())
            except OSError:
                digest.update(b"unreadable")
    return digest.hexdigest()
