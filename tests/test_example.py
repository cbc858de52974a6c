"""The example vault shipped in examples/: what `make example` shows a new user."""

from collections import Counter

import pytest
from conftest import EXAMPLE_VAULT, REPO

from miena_book.config import load_config
from miena_book.pipeline import check_vault
from miena_book.vault.decode import decode_bytes

CLEAN_COPIES = REPO / "examples" / ".clean"


@pytest.fixture(scope="module")
def result():
    config, warnings = load_config(str(EXAMPLE_VAULT))
    return check_vault(str(EXAMPLE_VAULT), config, tuple(warnings))


def test_checks_without_errors_and_only_the_deliberate_warnings(result):
    found = Counter((d.level.value, d.code) for d in result.diagnostics)
    # examples/README.md lists them: three notes stored with mojibake on purpose
    assert found == {("warning", "encoding.mojibake"): 3}


def test_is_a_real_book(result):
    notes = result.vault.notes
    assert len(notes) >= 30
    assert len({n.type for n in notes}) >= 5
    assert result.outline.mode == "hierarchy" and result.outline.excluded == ()
    assert max(depth for depth, _ in result.outline.walk()) >= 3
    assert result.outline.root.note.title.startswith("Répertoire des connaissances")
    assert all(".trash" not in n.path for n in notes)


@pytest.mark.parametrize("clean", sorted(CLEAN_COPIES.rglob("*.md")), ids=lambda p: p.name)
def test_damaged_notes_come_out_as_their_clean_copies(clean):
    damaged = EXAMPLE_VAULT / clean.relative_to(CLEAN_COPIES)
    assert damaged.read_bytes() != clean.read_bytes()
    assert decode_bytes(damaged.read_bytes()).text == clean.read_text(encoding="utf-8")


def test_tree_command_on_the_example(cli):
    result = cli("tree", EXAMPLE_VAULT)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Répertoire des connaissances de la méthode MIENA")
    assert "Left out" not in result.stdout
