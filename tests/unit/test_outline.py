"""Outline: the book's tree from parent/child fields, and the folder fallback."""

from conftest import note

from miena_book.config import BookConfig
from miena_book.pipeline import check_vault
from miena_book.report import format_tree


def outline_of(vault_dir, **config):
    result = check_vault(str(vault_dir), BookConfig(**config))
    return result.outline, result.diagnostics


def titles(outline):
    return [("  " * depth) + node.title for depth, node in outline.walk()]


def codes(diagnostics):
    return sorted(d.code for d in diagnostics)


def test_parent_field_or_child_list_is_enough_and_child_list_orders(vault):
    root = vault({
        "Racine.md": note("# Racine", child=["[[Deux]]", "[[Un]]"]),
        "Un.md": note("# Un", parent="[[Racine]]"),
        "Deux.md": "# Deux\n",  # only listed by the root
        "Trois.md": note("# Trois", parent="[[Racine]]"),  # not listed: after the listed ones
        "Sous.md": note("# Sous", parent="[[Un]]"),
    })
    outline, diagnostics = outline_of(root)
    assert titles(outline) == ["Racine", "  Deux", "  Un", "    Sous", "  Trois"]
    assert outline.excluded == () and diagnostics == ()


def test_unlisted_children_by_order_then_french_collation(vault):
    files = {"R.md": note("# R")}
    for title in ["Zèbre", "école", "Éducation", "Ecole", "abeille", "Œuvre", "Oasis"]:
        files[f"{title}.md"] = note(f"# {title}", parent="[[R]]")
    files["Dernier.md"] = "---\nparent: '[[R]]'\norder: 2\n---\n# Dernier\n"
    files["Premier.md"] = "---\nparent: '[[R]]'\norder: 1\n---\n# Premier\n"
    outline, _ = outline_of(vault(files))
    assert [n.title for n in outline.root.children] == [
        "Premier", "Dernier", "abeille", "Ecole", "école", "Éducation", "Oasis", "Œuvre", "Zèbre"]


def test_parent_field_wins_over_a_disagreeing_child_list(vault):
    root = vault({
        "R.md": note("# R", child=["[[A]]", "[[B]]"]),
        "A.md": note("# A"),
        "B.md": note("# B", parent="[[A]]"),
    })
    outline, diagnostics = outline_of(root)
    assert titles(outline) == ["R", "  A", "    B"]
    assert codes(diagnostics) == ["outline.parent-mismatch"]


def test_several_parents_first_is_used_and_reported(vault):
    root = vault({
        "R.md": note("# R", child=["[[A]]", "[[B]]"]),
        "A.md": note("# A", child=["[[C]]"]),
        "B.md": note("# B", child=["[[C]]"]),
        "C.md": "# C\n",
    })
    outline, diagnostics = outline_of(root)
    assert titles(outline) == ["R", "  A", "    C", "  B"]
    assert codes(diagnostics) == ["outline.multiple-parents"]


def test_cycles_self_parents_and_unknown_parents_are_reported_and_left_out(vault):
    root = vault({
        "R.md": note("# R"),
        "A.md": note("# A", parent="[[R]]"),
        "X.md": note("# X", parent="[[Y]]"),
        "Y.md": note("# Y", parent="[[X]]"),
        "Moi.md": note("# Moi", parent="[[Moi]]"),
        "Perdu.md": note("# Perdu", parent="[[Inexistant]]"),
        "Enfant de X.md": note("# Enfant de X", parent="[[X]]"),
    })
    outline, diagnostics = outline_of(root)
    assert titles(outline) == ["R", "  A"]
    reasons = {e.path: e.reason for e in outline.excluded}
    assert "parent cycle (X -> Y -> X)" in reasons["X.md"] or "parent cycle (Y -> X -> Y)" in reasons["X.md"]
    assert "no parent" in reasons["Moi.md"]
    assert "[[Inexistant]] matches no note" in reasons["Perdu.md"]
    assert reasons["Enfant de X.md"] == "its parent 'X' is not in the book"
    assert codes(diagnostics) == ["outline.cycle", "outline.self-parent", "outline.unknown-parent"] + [
        "outline.unreachable"] * 5


def test_several_roots_is_an_error_that_still_lays_out_every_tree(vault):
    root = vault({
        "A.md": note("# A"), "A1.md": note("# A1", parent="[[A]]"),
        "B.md": note("# B"), "B1.md": note("# B1", parent="[[B]]"),
    })
    outline, diagnostics = outline_of(root)
    assert outline.root.note is None
    assert titles(outline)[1:] == ["  A", "    A1", "  B", "    B1"]
    assert [d.code for d in diagnostics if d.level.value == "error"] == ["outline.multiple-roots"]
    assert "'A', 'B'" in diagnostics[0].message


def test_configured_root_chooses_among_several(vault):
    root = vault({
        "A.md": note("# A"), "A1.md": note("# A1", parent="[[A]]"),
        "B.md": note("# B"), "B1.md": note("# B1", parent="[[B]]"),
    })
    outline, diagnostics = outline_of(root, root="B")
    assert titles(outline) == ["B", "  B1"]
    assert sorted(e.path for e in outline.excluded) == ["A.md", "A1.md"]


def test_unknown_configured_root_is_an_error(vault):
    root = vault({"A.md": note("# A"), "A1.md": note("# A1", parent="[[A]]")})
    _, diagnostics = outline_of(root, root="Nulle part")
    assert "outline.unknown-root" in codes(diagnostics)


def test_only_cycles_means_no_root(vault):
    root = vault({"X.md": note("# X", parent="[[Y]]"), "Y.md": note("# Y", parent="[[X]]")})
    outline, diagnostics = outline_of(root)
    assert "outline.no-root" in codes(diagnostics)
    assert len(outline.excluded) == 2


def test_deep_hierarchy_needs_no_recursion(vault):
    files = {"N0.md": "# N0\n"}
    for i in range(1, 3000):
        files[f"N{i}.md"] = f"---\nparent: '[[N{i - 1}]]'\n---\n# N{i}\n"
    outline, diagnostics = outline_of(vault(files))
    depths = [depth for depth, _ in outline.walk()]
    assert max(depths) == 2999 and diagnostics == ()
    assert format_tree(outline).count("\n") == 2999


def test_folder_fallback_when_no_note_declares_a_hierarchy(vault):
    root = vault({
        "index.md": "# Accueil\n",
        "Zoo.md": "# Zoo\n",
        "Chapitre B/Chapitre B.md": "# Le chapitre B\n",
        "Chapitre B/Note 2.md": "# Note 2\n",
        "Chapitre B/Note 1.md": "# Note 1\n",
        "Annexe/README.md": "# Annexe lisez-moi\n",
        "Annexe/Détail/X.md": "# X\n",
        "Sans note/Y.md": "# Y\n",
    })
    outline, diagnostics = outline_of(root, title="Mon livre")
    assert outline.mode == "folders" and diagnostics == ()
    assert outline.root.note.path == "index.md"
    assert titles(outline) == [
        "Accueil", "  Annexe lisez-moi", "    Détail", "      X", "  Le chapitre B", "    Note 1", "    Note 2",
        "  Sans note", "    Y", "  Zoo"]
    assert outline.excluded == ()


def test_source_notes_outside_the_tree_are_bibliography_entries_not_warnings(vault):
    root = vault({
        "Racine.md": note("# Racine\n\nVoir [[DOC_Guide]] et [[@roy2018]]."),
        "Un.md": note("# Un", parent="[[Racine]]"),
        "DOC_Guide.md": note("Notes.", type="Document", title="Guide"),
        "Sources/@roy2018.md": "# @roy2018\n\nNotes de lecture.\n",
        "Isolée.md": "# Isolée\n",  # not a source note: still a warning
        "DOC_Orphelin.md": note("Texte.", parent="[[Absente]]"),  # a source note whose parent is wrong
    })
    outline, diagnostics = outline_of(root)
    reasons = dict((e.path, e.reason) for e in outline.excluded)
    assert reasons["DOC_Guide.md"] == reasons["Sources/@roy2018.md"] == "a source note: an entry of the " \
                                                                        "bibliography, not a chapter"
    assert [(d.code, d.path) for d in diagnostics if d.code == "outline.unreachable"] == [
        ("outline.unreachable", "DOC_Orphelin.md"), ("outline.unreachable", "Isolée.md")]
