"""The real note from the user's vault (in ../shared/seeds/ when present) comes out repaired."""

import pytest
from conftest import SEEDS

from miena_book.vault.decode import decode_bytes
from miena_book.vault.read import parse_note

SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.mark.skipif(not SEED_FILES, reason="no ../shared/seeds folder beside the checkout")
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name)
def test_seed_is_repaired(seed):
    raw = seed.read_bytes()
    assert "√©".encode() in raw  # the damage is really there
    decoded = decode_bytes(raw, seed.name)
    assert [d.code for d in decoded.diagnostics] == ["encoding.mojibake"]
    text = decoded.text
    for garbled in ("√©", "√†", "üìå", "\uf8ff"):
        assert garbled not in text
    note = parse_note(text, "ENJEU_ Apprentissage autonome à grande échelle.md")
    assert note.meta["status"] == "🌱 Seed"
    assert note.meta["domain"] == "[[Ingénierie Pédagogique]]"
    assert note.title == "ENJEU : Apprentissage autonome à grande échelle"
    assert [r.target for r in note.parents] == ["Répertoire des connaissances de la méthode MIENA"]
    assert "## 📌 Description" in note.body
    assert "Régulation:: [[MOD_ Modèles éducatifs CLOM]]" in note.body
    assert note.aliases == ("Enjeu de l'apprentissage autonome", "Enjeu des CLOM/MOOC")


def test_seed_test_does_not_silently_skip_in_this_checkout():
    """When the shared folder is there, the seed test above must have run on something."""
    if SEEDS.is_dir():
        assert SEED_FILES
