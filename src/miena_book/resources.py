"""Where templates and stylesheets come from: the vault's override folder first, then ours.

A file of the same name in ``<vault>/<overrides>/templates/`` or ``<vault>/<overrides>/styles/``
replaces the shipped one, file by file. The shipped files are the repository's top-level
``templates/`` and ``styles/``; an installed wheel carries them as ``miena_book.templates``
and ``miena_book.styles``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import jinja2

_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def shipped_dir(kind: str) -> Path:
    """The shipped ``templates`` or ``styles`` folder."""
    spec = importlib.util.find_spec(f"miena_book.{kind}")
    if spec and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return _SOURCE_ROOT / kind


def template_loader(vault_dir: str, overrides: str) -> jinja2.BaseLoader:
    return jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(os.path.join(vault_dir, overrides, "templates")),
        jinja2.FileSystemLoader(str(shipped_dir("templates"))),
    ])


def stylesheet(vault_dir: str, overrides: str, name: str) -> str:
    own = Path(vault_dir, overrides, "styles", name)
    path = own if own.is_file() else shipped_dir("styles") / name
    return path.read_text(encoding="utf-8")


def stylesheets(vault_dir: str, overrides: str, name: str) -> str:
    """The shared ``blocks.css`` (callouts, fields, relations...), then the format's own sheet."""
    return stylesheet(vault_dir, overrides, "blocks.css") + "\n" + stylesheet(vault_dir, overrides, name)
