"""The pipeline: the stages of a run, one after another, top to bottom.

``load_vault`` reads a folder into notes (scan, read); ``check_vault`` adds the name index
and the outline. Each stage returns plain data and diagnostics; this module only chains
them, so what a run does can be read here in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .config import BookConfig
from .diagnostics import Diagnostic, without_silenced
from .model import Attachment, Outline, Vault
from .names import NameIndex
from .outline import build_outline
from .vault.read import read_note
from .vault.scan import scan


@dataclass(frozen=True)
class CheckResult:
    vault: Vault
    index: NameIndex
    outline: Outline
    diagnostics: tuple[Diagnostic, ...]


def load_vault(vault_dir: str, config: BookConfig | None = None) -> Vault:
    """Steps 1 and 2: find the files, then read and check every note."""
    config = config or BookConfig()
    found = scan(vault_dir, config.ignore)
    diagnostics = list(found.diagnostics)
    notes = []
    for path in found.notes:
        note, findings = read_note(vault_dir, path)
        diagnostics.extend(findings)
        if note is not None:
            notes.append(note)
    attachments = tuple(Attachment(p) for p in found.attachments)
    return Vault(os.path.abspath(vault_dir), tuple(notes), attachments, tuple(diagnostics))


def check_vault(vault_dir: str, config: BookConfig | None = None,
                config_diagnostics: tuple[Diagnostic, ...] = ()) -> CheckResult:
    """Steps 1 to 4: read the vault, index its names and lay out the book."""
    config = config or BookConfig()
    vault = load_vault(vault_dir, config)
    index = NameIndex(vault.notes)
    folder_name = os.path.basename(os.path.abspath(vault_dir))
    outline = build_outline(vault.notes, index, config, folder_name)
    diagnostics = without_silenced(config_diagnostics + vault.diagnostics + outline.diagnostics, config.silence)
    return CheckResult(vault, index, outline, tuple(diagnostics))
