"""Where templates and stylesheets come from: the vault's override folder first, then ours.

A file of the same name in ``<vault>/<overrides>/templates/`` or ``<vault>/<overrides>/styles/``
replaces the shipped one, file by file. An override is used only when its real path is a
regular file inside the vault: one that a symbolic link takes out of the vault is left
aside, with a warning, and the shipped file is used. The HTML page's pandoc template
(``templates/page.html5``) is always the shipped one (``shipped_text``). The shipped files are the
repository's top-level ``templates/`` and ``styles/``; an installed wheel carries them as
``miena_book.templates`` and ``miena_book.styles``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import jinja2

from .diagnostics import Diagnostic, warning
from .vault.paths import vault_file

_SOURCE_ROOT = Path(__file__).resolve().parents[2]
MAX_RESOURCE_BYTES = 4 * 1024 * 1024


def shipped_dir(kind: str) -> Path:
    """The shipped ``templates`` or ``styles`` folder."""
    spec = importlib.util.find_spec(f"miena_book.{kind}")
    if spec and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return _SOURCE_ROOT / kind


def shipped_text(kind: str, name: str) -> str:
    """A shipped file's text, never a vault's override: for the HTML page's pandoc template
    (``templates/page.html5``), since pandoc, not our confined loader, would look up the
    partials an override names."""
    return (shipped_dir(kind) / name).read_text(encoding="utf-8")


class Overrides:
    """The vault's own templates and styles, read only from inside the vault."""

    def __init__(self, vault_dir: str, folder: str):
        self.vault_real = os.path.realpath(vault_dir)
        self.folder = folder
        self.root = os.path.join(vault_dir, folder)
        self.refused: list[Diagnostic] = []

    def path(self, kind: str, name: str) -> str | None:
        """The override file for ``kind/name`` when there is one we may read."""
        candidate = os.path.join(self.root, kind, *name.split("/"))
        if not os.path.lexists(candidate):
            return None
        shown = f"{self.folder}/{kind}/{name}"
        real, why_not = vault_file(self.vault_real, shown, MAX_RESOURCE_BYTES)
        if real is None:
            self._refuse(shown, f"it {why_not}")
        return real

    def _refuse(self, shown: str, why: str) -> None:
        message = f"override '{shown}' is not used: {why}; the shipped file is used instead"
        if all(d.message != message for d in self.refused):
            self.refused.append(warning("overrides.refused", message))

    def loader(self) -> jinja2.BaseLoader:
        return jinja2.ChoiceLoader([_ConfinedLoader(self), jinja2.FileSystemLoader(str(shipped_dir("templates")))])

    def stylesheet(self, name: str) -> str:
        own = self.path("styles", name)
        path = own or str(shipped_dir("styles") / name)
        with open(path, encoding="utf-8") as handle:
            return handle.read()

    def stylesheets(self, name: str) -> str:
        """The shared ``blocks.css`` (callouts, fields, relations...), then the format's own sheet."""
        return self.stylesheet("blocks.css") + "\n" + self.stylesheet(name)


class _ConfinedLoader(jinja2.BaseLoader):
    """Jinja templates from the override folder, confined to the vault."""

    def __init__(self, overrides: Overrides):
        self.overrides = overrides

    def get_source(self, environment, template):
        if any(part in ("", ".", "..") for part in template.split("/")):
            raise jinja2.TemplateNotFound(template)
        path = self.overrides.path("templates", template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        stamp = os.path.getmtime(path)
        return source, path, lambda: os.path.exists(path) and os.path.getmtime(path) == stamp
