"""Shared helpers: tiny vaults written into a temporary folder, the CLI runner, and the
example handbook built once for the session (tests/test_example.py, tests/test_accessibility.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from miena_book.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_VAULT = REPO / "examples" / "miena-vault"
SEEDS = REPO.parent / "shared" / "seeds"


def write_vault(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root``; text is written as UTF-8."""
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="\n")
    return root


def page_ids(html: str) -> tuple[list[str], list[str]]:
    """The ids an HTML page gives, in order, and the targets of its links within the page
    (``href="#…"``, without the ``#``)."""
    from html.parser import HTMLParser

    ids: list[str] = []
    targets: list[str] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if "id" in attributes:
                ids.append(attributes["id"])
            if (attributes.get("href") or "").startswith("#"):
                targets.append(attributes["href"][1:])

    Reader().feed(html)
    return ids, targets


def note(body: str = "", **fields) -> str:
    """A note with simple frontmatter: lists become YAML lists, strings are quoted."""
    if not fields:
        return body
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f'  - "{item}"' for item in value)
        else:
            lines.append(f'{key}: "{value}"')
    lines.append("---")
    return "\n".join(lines) + "\n" + body


@pytest.fixture(autouse=True, scope="session")
def _cache_for_the_session(tmp_path_factory):
    """Builds of the session (the example handbook's) keep their cache out of the checkout."""
    os.environ["MIENA_BOOK_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache-session"))


@pytest.fixture(autouse=True)
def _cache_per_test(tmp_path_factory, monkeypatch):
    """Each test builds from an empty cache of its own (the cache's tests share one on purpose)."""
    monkeypatch.setenv("MIENA_BOOK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def vault(tmp_path):
    """Factory: ``vault({"A.md": "..."})`` returns the folder of a new vault."""
    def make(files: dict[str, str | bytes]) -> Path:
        return write_vault(tmp_path / "vault", files)
    return make


@pytest.fixture
def cli():
    """Run ``miena-book ARGS`` in-process; returns the click Result (stdout and stderr apart)."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [os.fspath(a) for a in args], catch_exceptions=False)
    return run


@pytest.fixture(scope="session")
def handbook(tmp_path_factory):
    """The example vault built in every format: (the click Result, the artifacts' path
    without suffix: add ``.pdf``, ``.epub``, ``.html``)."""
    out = tmp_path_factory.mktemp("handbook")
    result = CliRunner().invoke(main, ["build", str(EXAMPLE_VAULT), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result, out / "repertoire-des-connaissances-de-la-methode-miena"
