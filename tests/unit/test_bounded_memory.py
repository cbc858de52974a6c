"""What keeps a large book's memory bounded, each part giving the same book as before:

- ``export.ast.SharedLeaves``: every distinct word and space of the AST held once, and the
  stages after it (French typography) changing a word by a new node in its place;
- ``export.pandoc.read_sections`` and ``assemble.with_sections``: the templates' Markdown
  read in batches, the notes' sections apart from the book's frame, the headings' ids as
  pandoc makes them in one document;
- ``analyse.FactStore``: trees past their room let go once their facts are read;
- ``export.fragments.write_walked_pieces``: ready pieces written while the walk goes on.
"""

from __future__ import annotations

import json

from miena_book.analyse import FactStore
from miena_book.assemble import section_place, with_sections
from miena_book.cache import Cache
from miena_book.export import fragments, pandoc
from miena_book.export.ast import SharedLeaves
from miena_book.export.typography import typeset
from miena_book.model import Note


def test_leaves_are_shared_and_the_json_is_the_same():
    text = json.dumps(pandoc.read_markdown("Un mot, un mot : *un mot*.\n\nUn mot."))
    leaves = SharedLeaves()
    hooked = json.loads(text, object_hook=leaves.hook)
    walked = leaves.share(json.loads(text))
    assert json.dumps(hooked) == json.dumps(walked) == text
    first, second = hooked["blocks"][0]["c"], hooked["blocks"][1]["c"]
    assert first[0] is second[0]  # "Un", one dict in both paragraphs
    assert first[1] is second[1]  # the spaces too
    assert first[0] is walked["blocks"][0]["c"][0]  # one table for both ways in


def test_french_typography_changes_one_place_of_a_shared_space_not_the_others():
    leaves = SharedLeaves()
    ast = leaves.share(pandoc.read_markdown("Exemple : voici\n\nExemple voici\n\nExemple : voilà"))
    spaces = [inline for block in ast["blocks"] for inline in block["c"] if inline["t"] == "Space"]
    assert all(space is spaces[0] for space in spaces)  # one shared Space in all three
    html = pandoc.write(typeset(ast, "fr-FR", in_place=True), "html5", ["--wrap=none"]).decode("utf-8")
    assert html.strip().split("\n") == ["<p>Exemple\u00a0: voici</p>", "<p>Exemple voici</p>", "<p>Exemple\u00a0: voilà</p>"]
    assert spaces[0] == {"t": "Space"}  # the shared node itself is untouched


def test_sections_read_in_batches_are_the_book_read_whole(monkeypatch):
    sections = [f"## Voir aussi\n\nNote {n} : *texte*.\n\n::: relations\n- [Lien](#n{n})\n:::\n" for n in range(6)]
    whole = pandoc.read_markdown("\n".join(sections))["blocks"]
    monkeypatch.setattr(pandoc, "READ_BATCH_CHARACTERS", 120)  # two or so sections a batch
    parts = pandoc.read_sections(sections)
    assert len(parts) == 6
    frame = pandoc.read_markdown("# Livre {#livre}\n\n::: book\n" + "\n".join(
        section_place(n) for n in range(6)) + "\n:::\n")["blocks"]
    blocks = with_sections(frame, parts)
    pandoc.unique_header_ids(blocks)
    assert blocks[0]["c"][1][0] == "livre"
    assert blocks[1]["c"][1] == whole  # inside the frame's div, as the book read whole has it
    ids = [block["c"][1][0] for block in blocks[1]["c"][1] if block["t"] == "Header"]
    assert ids == ["voir-aussi", "voir-aussi-1", "voir-aussi-2", "voir-aussi-3", "voir-aussi-4", "voir-aussi-5"]


def test_a_section_that_leaves_a_div_open_is_read_on_its_own(monkeypatch):
    sections = ["Un\n\n::: ouvert\nDeux\n", "Trois\n"]  # the div would swallow the mark
    monkeypatch.setattr(pandoc, "READ_BATCH_CHARACTERS", 10_000)
    parts = pandoc.read_sections(sections)
    assert [block["t"] for block in parts[0]] == ["Para", "Div"]
    assert parts[1] == [{"t": "Para", "c": [{"t": "Str", "c": "Trois"}]}]


def test_a_frame_that_does_not_hold_its_sections_as_blocks_is_refused():
    parts = [[{"t": "Para", "c": [{"t": "Str", "c": "Un"}]}], [{"t": "Para", "c": [{"t": "Str", "c": "Deux"}]}]]
    inline = pandoc.read_markdown(f"Texte {section_place(0)} {section_place(1)}")["blocks"]
    assert with_sections(inline, parts) is None  # written inside a paragraph
    missing = pandoc.read_markdown(section_place(0))["blocks"]
    assert with_sections(missing, parts) is None  # one left out
    twice = pandoc.read_markdown(f"{section_place(0)}\n\n{section_place(0)}\n\n{section_place(1)}\n")["blocks"]
    assert with_sections(twice, parts) is None
    both = pandoc.read_markdown(f"{section_place(0)}\n\n{section_place(1)}\n")["blocks"]
    assert with_sections(both, parts) == parts[0] + parts[1]


def test_trees_past_their_room_go_once_read_and_come_back_from_the_cache(tmp_path, monkeypatch):
    notes = [Note(f"n{n}.md", f"Note {n}", f"# Note {n}\n\nTexte [[n{(n + 1) % 3}]] <u>ouvert\n", 1)
             for n in range(3)]
    cache = Cache(str(tmp_path / "cache"))
    store = FactStore(cache, trees_held_characters=len(notes[0].body))  # room for the first one
    facts = [store.facts(note) for note in notes]
    assert [fact.links[0].name for fact in facts] == ["n1", "n2", "n0"]
    assert set(store._parsed) == {"n0.md"}  # the others went, their findings stayed
    found = [store.diagnostics(note) for note in notes]
    assert all(len(findings) == len(found[0]) for findings in found)
    expected = FactStore().tree(notes[2])
    from miena_book import parse

    monkeypatch.setattr(parse, "parse_note", lambda note: 1 / 0)  # from the cache now
    assert store.tree(notes[2]) == expected


def test_pieces_made_ready_while_earlier_ones_are_written_are_the_same(tmp_path, monkeypatch):
    api = pandoc.read_markdown("x")["pandoc-api-version"]
    pieces = [[{"t": "Para", "c": [{"t": "Str", "c": f"Morceau {n}"}, {"t": "Note", "c": [
        {"t": "Para", "c": [{"t": "Str", "c": f"note {n}"}]}]}]}] for n in range(9)]

    class Walk(fragments.PieceWalk):
        def ready(self, piece, samples):
            self.footnotes += 1
            return [{"t": "Para", "c": [piece[0]["c"][0], {"t": "Str", "c": f"[{self.footnotes}]"}]}]

    def written(cache=None):
        walk = Walk()
        return fragments.write_walked_pieces(api, pieces, walk, walk.ready, [], "test", cache)

    whole = written()
    assert whole[0] == [f"<p>Morceau {n}[{n + 1}]</p>".encode() for n in range(9)]
    monkeypatch.setattr(fragments, "BATCH_BYTES", 150)  # a batch or two of pieces at a time
    calls = []
    write = fragments._write_batch
    monkeypatch.setattr(fragments, "_write_batch", lambda *args: calls.append(len(args[1])) or write(*args))
    cache = Cache(str(tmp_path / "cache"))
    assert written(cache) == whole
    assert len(calls) > 2 and sum(calls) == 9
    calls.clear()
    assert written(cache) == whole
    assert calls == []  # all from the cache
