"""A note's output is a pure function of the note, what it links to, and the config.

The example vault's notes are rendered in book order and in shuffled orders, each time
with a fresh store of parsed notes: every note's blocks and content key come out the same. A change to a note changes its key, and the key of the
notes that embed it, and no other.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from miena_book.assets import AssetStore
from miena_book.config import load_config
from miena_book.pipeline import check_vault
from miena_book.rules.context import BookContext
from miena_book.transform import transform_note

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "miena-vault"


def render(vault: str, order_seed: int | None):
    config, _ = load_config(vault)
    checked = check_vault(vault, config)
    analysis = checked.analysis
    context = BookContext(analysis.resolver, analysis.store.tree, AssetStore(checked.vault).uri_of)
    places = list(analysis.in_book)
    if order_seed is not None:
        random.Random(order_seed).shuffle(places)
    return {note.path: transform_note(note, min(max(depth, 1), 6), context) for depth, note in places}


def test_notes_render_the_same_in_any_order():
    reference = render(str(EXAMPLE), None)
    assert len(reference) > 30
    for seed in (1, 2, 3):
        shuffled = render(str(EXAMPLE), seed)
        assert shuffled.keys() == reference.keys()
        for path, output in reference.items():
            assert json.dumps(shuffled[path].blocks, sort_keys=True) == json.dumps(output.blocks, sort_keys=True), path
            assert shuffled[path].key == output.key, path


def test_content_keys_follow_what_a_note_is_made_of(tmp_path):
    from conftest import write_vault

    files = {
        "Livre.md": "# Livre\n\nIntroduction.\n",
        "A.md": '---\nparent: "[[Livre]]"\n---\n# A\n\n![[B#Partie]]\n',
        "B.md": '---\nparent: "[[Livre]]"\n---\n# B\n\n## Partie\n\nTexte de B.\n',
        "C.md": '---\nparent: "[[Livre]]"\n---\n# C\n\nSans lien.\n',
    }
    root = write_vault(tmp_path / "v", files)
    before = {path: output.key for path, output in render(str(root), None).items()}
    (root / "B.md").write_text(files["B.md"].replace("Texte de B.", "Texte changé."), encoding="utf-8")
    after = {path: output.key for path, output in render(str(root), None).items()}
    changed = {path for path in before if before[path] != after[path]}
    assert changed == {"A.md", "B.md"}
