"""Assets: attachments a note embeds, read from inside the vault only, as ``data:`` URIs.

Inlining the bytes here is what confines the engines: pandoc and WeasyPrint then never
need to open a file or a URL themselves, so both run with every fetch refused. A file is
read only when its real path is inside the vault, it is a regular file and it is smaller
than the cap; anything else is refused with a diagnostic.
"""

from __future__ import annotations

import base64
import mimetypes
import os

from .model import Vault
from .names import AttachmentIndex
from .vault.paths import vault_file

MAX_ASSET_BYTES = 20 * 1024 * 1024


class AssetStore:
    def __init__(self, vault: Vault):
        self.vault_real = os.path.realpath(vault.root)
        self.index = AttachmentIndex(vault.attachments)
        self._cache: dict[str, str | None] = {}

    def find(self, name: str, from_path: str) -> str | None:
        """The vault path of the attachment a note names (relative to the note, else by name)."""
        folder = from_path.rsplit("/", 1)[0] if "/" in from_path else ""
        attachment = self.index.find(f"{folder}/{name}" if folder else name) or self.index.find(name)
        return attachment.path if attachment else None

    def refusal(self, path: str) -> str | None:
        """Why the attachment at vault path ``path`` cannot be read into the book (outside
        the vault through a link, not a file, too large), in words that follow its name; None
        when it can."""
        return vault_file(self.vault_real, path, MAX_ASSET_BYTES)[1]

    def uri_of(self, path: str) -> str | None:
        """The attachment at vault path ``path`` as a data URI, or None when it is not allowed."""
        if path not in self._cache:
            self._cache[path] = self._read(path)
        return self._cache[path]

    def _read(self, rel_path: str) -> str | None:
        full, _ = vault_file(self.vault_real, rel_path, MAX_ASSET_BYTES)
        if full is None:
            return None
        with open(full, "rb") as handle:
            data = handle.read()
        mime = mimetypes.guess_type(full)[0] or "application/octet-stream"
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
