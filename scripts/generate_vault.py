#!/usr/bin/env python3
"""Generate a synthetic MIENA-style vault of N notes, for benchmarks and load tests.

The vault looks like a real one: a root note, one category note per type, notes three
levels deep with parent fields, child lists, aliases, siblings, Dataview inline fields,
emoji headings, about 400 words of French prose per note, and one note in fifty stored
with Mac Roman damage (so the repair path is measured too).

Usage: scripts/generate_vault.py OUT_DIR [--notes 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

TYPES = [("ENJEU_", "Enjeu", "Enjeux"), ("MOD_", "Modèle", "Modèles"), ("SMC_", "Savoir", "Savoirs"),
         ("CS_", "Compétence", "Compétences"), ("PRINC_", "Principe", "Principes")]
WORDS = ("apprenant conception scénario compétence évaluation environnement numérique autonomie "
         "modèle connaissance activité ressource médiatique diffusion régulation tutorat pédagogique "
         "ingénierie méthode réseau collaboration rétroaction engagement persévérance à où être déjà "
         "élève démarche itérative validation objet référentiel habileté générique spécialisation").split()
RELATIONS = ["Régulation", "Application", "Produit", "Intrant", "Composition", "Spécialisation"]


def prose(rng: random.Random, words: int) -> str:
    sentences, count = [], 0
    while count < words:
        length = rng.randint(8, 22)
        sentence = " ".join(rng.choice(WORDS) for _ in range(length))
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
        count += length
    return " ".join(sentences)


def note_text(name: str, kind: str, parent: str, children: list[str], others: list[str], rng) -> str:
    link = lambda target: f'"[[{target}]]"'  # noqa: E731 - local shorthand
    lines = ["---", "aliases:", f"  - {name.split('_', 1)[-1].strip()} (alias)", "tags:", "  - miena",
             f"type: {kind}", "status: 🌱 Seed", "created: 2025-08-11", f"parent: {link(parent)}"]
    lines += ["child:"] + [f"  - {link(c)}" for c in children] if children else ["child: []"]
    lines += ["sibling:"] + [f"  - {link(o)}" for o in others[:2]]
    lines += [f"summary: {prose(rng, 20)}", "---", "", f"# {name.replace('_', ' :', 1)}", "",
              "## 📌 Description", prose(rng, 200), "", "## 🔗 Connaissances mobilisées et liens"]
    for relation, target in zip(RELATIONS, others):
        lines.append(f"- **{relation}** : voir [[{target}]].")
        lines.append(f"    - {relation}:: [[{target}]]")
    lines += ["", "## 🧭 Dimensions", prose(rng, 180), ""]
    return "\n".join(lines)


def generate(out: Path, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    root_name = "Répertoire des connaissances"
    categories = {prefix: f"Catégorie {folder}" for prefix, _, folder in TYPES}
    notes: list[tuple[str, str, str, str]] = []  # (folder, name, kind, parent)
    leaves = max(len(TYPES), count - 1 - len(TYPES))  # besides the root and the category notes
    for position, (prefix, kind, folder) in enumerate(TYPES):
        level_one: list[str] = []
        for i in range(leaves // len(TYPES) + (position < leaves % len(TYPES))):
            name = f"{prefix} {kind} {i:04d}"
            # a third of the notes hang under an earlier note of their type: depth 3 and more
            parent = rng.choice(level_one) if level_one and i % 3 == 2 else categories[prefix]
            if parent == categories[prefix]:
                level_one.append(name)
            notes.append((folder, name, kind, parent))
    children: dict[str, list[str]] = {}
    for _, name, _, parent in notes:
        children.setdefault(parent, []).append(name)
    names = [n for _, n, _, _ in notes]
    out.mkdir(parents=True, exist_ok=True)
    (out / "book.yml").write_text(f"title: {root_name}\nlanguage: fr-CA\n", encoding="utf-8")
    root_children = "\n".join(f'  - "[[{c}]]"' for c in categories.values())
    (out / f"{root_name}.md").write_text(
        f"---\ntype: Répertoire\nchild:\n{root_children}\n---\n# {root_name}\n\n{prose(rng, 150)}\n", encoding="utf-8")
    for prefix, _, folder in TYPES:
        (out / folder).mkdir(exist_ok=True)
        (out / folder / f"{categories[prefix]}.md").write_text(
            f"---\ntype: Catégorie\nparent: \"[[{root_name}]]\"\n---\n# {categories[prefix]}\n\n{prose(rng, 80)}\n",
            encoding="utf-8")
    for number, (folder, name, kind, parent) in enumerate(notes):
        others = rng.sample(names, k=min(6, len(names)))
        text = note_text(name, kind, parent, children.get(name, []), others, rng)
        data = text.encode("utf-8")
        if number % 50 == 7:
            data = text.encode("utf-8").decode("mac_roman").encode("utf-8")
        (out / folder / f"{name}.md").write_bytes(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.notes, args.seed)
    print(f"wrote a vault of {args.notes} notes to {args.out}")


if __name__ == "__main__":
    main()
