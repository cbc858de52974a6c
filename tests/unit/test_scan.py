"""Scan: which files are notes, which are attachments, what is skipped."""

import os

from miena_book.vault.scan import IgnoreRules, scan


def test_finds_notes_recursively_and_skips_obsidian_trash_and_hidden(vault):
    root = vault({
        "A.md": "", "Dossier/B.md": "", "Dossier/Sous/C.MD": "",
        ".obsidian/app.json": "{}", ".obsidian/x.md": "", ".trash/Old.md": "", ".cache/D.md": "",
        "Dossier/.hidden.md": "", "notes.txt": "", "Images/fig.png": b"\x89PNG", "Docs/a.pdf": b"%PDF",
    })
    found = scan(str(root))
    assert found.notes == ("A.md", "Dossier/B.md", "Dossier/Sous/C.MD")
    assert found.attachments == ("Docs/a.pdf", "Images/fig.png")
    assert found.diagnostics == ()


def test_configured_globs_skip_files_and_folders(vault):
    root = vault({"A.md": "", "Templates/T.md": "", "Archives/2020/X.md": "", "Dessin.excalidraw.md": "",
                  "Projets/Archives/Y.md": ""})
    found = scan(str(root), ["Templates", "/Archives/**", "*.excalidraw.md"])
    # a pattern with a slash is anchored at the vault root: Projets/Archives stays
    assert found.notes == ("A.md", "Projets/Archives/Y.md")


def test_glob_rules():
    rules = IgnoreRules(["Archives/**", "*.tmp.md", "Brouillon?", "dossier/[ab].md"])
    assert rules.ignores("Archives/x/y.md")
    assert rules.ignores("sous/n.tmp.md")
    assert rules.ignores("Brouillon1") and not rules.ignores("Brouillon12")
    assert rules.ignores("dossier/a.md") and not rules.ignores("dossier/c.md")
    assert not rules.ignores("Autres/Archives.md")


def test_symlink_out_of_the_vault_is_not_followed(vault, tmp_path):
    outside = tmp_path / "outside"
    (outside / "secret").mkdir(parents=True)
    (outside / "secret" / "Secret.md").write_text("secret")
    (outside / "passwd.md").write_text("root:x")
    root = vault({"A.md": ""})
    os.symlink(outside / "secret", root / "lien")
    os.symlink(outside / "passwd.md", root / "passwd.md")
    found = scan(str(root))
    assert found.notes == ("A.md",)
    assert sorted((d.code, d.path) for d in found.diagnostics) == [
        ("scan.symlink-outside", "lien"), ("scan.symlink-outside", "passwd.md")]


def test_symlink_loops_end(vault):
    root = vault({"Dossier/A.md": ""})
    os.symlink(root, root / "Dossier" / "boucle")
    os.symlink(root / "Dossier", root / "Dossier" / "moi")
    os.symlink(root / "nulle-part", root / "cassé.md")
    found = scan(str(root))
    assert found.notes == ("Dossier/A.md",)
    assert sorted((d.code, d.path) for d in found.diagnostics) == [
        ("scan.broken-symlink", "cassé.md"), ("scan.symlink-loop", "Dossier/boucle"),
        ("scan.symlink-loop", "Dossier/moi")]


def test_symlink_to_another_note_of_the_vault_is_not_read_twice(vault):
    root = vault({"A.md": "", "Dossier/B.md": ""})
    os.symlink(root / "Dossier" / "B.md", root / "Copie.md")
    found = scan(str(root))
    assert found.notes == ("A.md", "Dossier/B.md")
    assert [d.code for d in found.diagnostics] == ["scan.symlink-inside"]
