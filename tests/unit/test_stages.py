"""Stages stay in their rooms: which package may import which, read from the import statements.

The exporters take the finished AST, the book's metadata and bytes, and write formats: they
import nothing that reads the vault (``vault``, ``bibliography``) or turns notes into the
AST (``parse``, ``rules``), and are never handed the vault's folder. The readers use the
engines' runners (``engines``), never the exporters. Assembly fills templates and knows
nothing of the note transform. The engines' runners know nothing of the book at all.
Every ``import`` counts, at module level or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

SRC = REPO / "src"
PACKAGE = SRC / "miena_book"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, as absolute dotted names (``from a import b`` gives both
    ``a`` and ``a.b``, since ``b`` may be a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                base_name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                base_name = node.module or ""
            found.add(base_name)
            found.update(f"{base_name}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def _modules(*where: str) -> list[Path]:
    paths: list[Path] = []
    for name in where:
        target = PACKAGE / name
        paths.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target.with_suffix(".py")])
    assert paths, f"no module found under {where}"
    return paths


def _breaches(modules: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{_module_name(path)} imports {name}" for path in modules for name in _imports(path)
                  if any(name == bad or name.startswith(bad + ".") for bad in forbidden))


RULES = [
    ("export", ("miena_book.vault", "miena_book.bibliography", "miena_book.rules", "miena_book.parse")),
    ("bibliography", ("miena_book.export",)),
    ("assemble", ("miena_book.transform", "miena_book.rules")),
    ("engines", ("miena_book.vault", "miena_book.bibliography", "miena_book.export", "miena_book.rules",
                 "miena_book.parse", "miena_book.assemble", "miena_book.transform", "miena_book.pipeline")),
]


@pytest.mark.parametrize(("where", "forbidden"), RULES, ids=[where for where, _ in RULES])
def test_stage_imports_nothing_of_the_stages_it_must_not_know(where, forbidden):
    assert _breaches(_modules(where), forbidden) == []


def test_the_import_reader_sees_relative_absolute_and_function_level_imports():
    # so that the rules above cannot pass by reading nothing
    assert "miena_book.export.cover" in _imports(PACKAGE / "export" / "epub.py")           # from .cover import …
    assert "miena_book.engines.pandoc" in _imports(PACKAGE / "bibliography" / "files.py")  # from ..engines import pandoc
    assert "miena_book.export.workers" in _imports(PACKAGE / "pipeline.py")              # inside a function
    assert "json" in _imports(PACKAGE / "bibliography" / "files.py")                      # import json


def test_exporters_are_never_given_the_vault_folder():
    takes_vault = []
    for path in _modules("export"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                takes_vault += [f"{_module_name(path)}.{node.name}({a.arg})" for a in arguments
                                if a.arg in ("vault", "vault_dir", "vault_root")]
    assert takes_vault == []
