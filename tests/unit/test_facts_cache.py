"""The facts cache: what a note declares, kept beside its tree, read back equal.

A build after an edit reads the facts of every note it renders from the cache, and never
loads those notes' trees: the facts it reads must be the very facts parsing would give
(links, headings, fields, citations, block ids, code blocks, the diagnostics of reading).
"""

from __future__ import annotations

import os

import pytest

from miena_book import analyse, parse
from miena_book.analyse import FactStore, facts_from_json, facts_to_json
from miena_book.cache import Cache
from miena_book.pipeline import load_vault

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(REPO, "tests", "golden")
VAULTS = [os.path.join(REPO, "examples", "miena-vault")] + sorted(
    os.path.join(GOLDEN, case, "vault") for case in os.listdir(GOLDEN) if os.path.isdir(os.path.join(GOLDEN, case, "vault")))


@pytest.mark.parametrize("vault_dir", VAULTS, ids=lambda path: os.path.basename(os.path.dirname(path)))
def test_facts_from_the_cache_are_the_facts_parsing_gives(vault_dir, tmp_path, monkeypatch):
    notes = load_vault(vault_dir).notes
    assert notes
    cache = Cache(str(tmp_path / "cache"))
    first = FactStore(cache)
    computed = {note.path: (first.facts(note), first.diagnostics(note)) for note in notes}
    monkeypatch.setattr(parse, "parse_note", lambda note: pytest.fail(f"{note.path} parsed again"))
    loads = []
    original = analyse.FactStore._parse
    monkeypatch.setattr(analyse.FactStore, "_parse", lambda self, note: loads.append(note) or original(self, note))
    again = FactStore(cache)
    for note in notes:
        assert again.facts(note) == computed[note.path][0], note.path
        assert again.diagnostics(note) == computed[note.path][1], note.path
    assert loads == []  # no tree loaded, from the cache or otherwise
    assert all(facts_from_json(facts_to_json(facts)) == facts for facts, _ in computed.values())


def test_the_example_vault_declares_every_kind_of_fact():
    """So that the round trip above is tried on links, fields, headings and tags alike."""
    store = FactStore()
    facts = [store.facts(note) for note in load_vault(VAULTS[0]).notes]
    for kind in ("headings", "links", "fields", "tags", "blocks", "code_blocks"):
        assert any(getattr(fact, kind) for fact in facts), kind


def test_a_corrupt_facts_entry_is_computed_again(tmp_path):
    from miena_book.model import Note

    note = Note("n.md", "N", "# N\n\nVoir [[Autre#Titre|là]], Régulation:: [[MOD_ X]] ^bloc\n", 1)
    cache = Cache(str(tmp_path / "cache"))
    expected = FactStore(cache).facts(note)
    for folder, _, files in os.walk(os.path.join(cache.folder, "facts")):
        for name in files:
            with open(os.path.join(folder, name), "r+b") as entry:
                entry.seek(-3, os.SEEK_END)
                entry.write(b"xyz")
    fresh = Cache(cache.folder)
    assert FactStore(fresh).facts(note) == expected
    assert [d.code for d in fresh.diagnostics] == ["cache.corrupt"]
