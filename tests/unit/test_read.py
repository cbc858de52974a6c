"""Read: a note file to a Note, with its fields checked."""

from miena_book.vault.read import first_h1, note_names_in, parse_note, read_note


def test_title_from_field_then_h1_then_file_name():
    assert parse_note("---\ntitle: Titre donné\n---\n# Autre\n", "A.md").title == "Titre donné"
    assert parse_note("Intro\n\n# ENJEU : **Autonomie** et [[X|liens]]\n", "A.md").title == "ENJEU : Autonomie et liens"
    assert parse_note("Pas de titre\n", "Dossier/Ma note.md").title == "Ma note"


def test_h1_inside_code_is_not_a_title():
    body = "```md\n# pas un titre\n```\n~~~\n# non plus\n~~~\n# Le vrai titre #\n"
    assert first_h1(body) == "Le vrai titre"
    assert first_h1("#tag n'est pas un titre\n") is None


def test_link_fields_accept_wikilinks_plain_names_and_lists():
    assert note_names_in('[[Parent#Section|étiquette]]') == ["Parent"]
    assert note_names_in("[[A]], [[B]]") == ["A", "B"]
    assert note_names_in("Nom simple") == ["Nom simple"]
    note = parse_note('---\nparent: "[[P]]"\nchild:\n  - "[[A]]"\n  - B\nsibling: "[[S]]"\n---\n', "N.md")
    assert [r.target for r in note.parents] == ["P"] and note.parents[0].line == 2
    assert [r.target for r in note.children] == ["A", "B"] and note.children[0].line == 3


def test_list_fields_accept_a_single_string():
    note = parse_note("---\naliases: Un seul alias\ntags: '#enjeu'\n---\n", "N.md")
    assert note.aliases == ("Un seul alias",) and note.tags == ("enjeu",)


def test_bad_field_types_warn_with_their_line_and_are_ignored():
    text = "---\ntype: Enjeu\nchild:\n  a: b\norder: premier\ncreated: hier\ntitle: [a, b]\n---\n# T\n"
    diagnostics = []
    note = parse_note(text, "N.md", diagnostics)
    assert note.children == () and note.order is None and note.title == "T"
    found = sorted((d.code, d.line) for d in diagnostics)
    assert found == [("frontmatter.type", 3), ("frontmatter.type", 5), ("frontmatter.type", 6),
                     ("frontmatter.type", 7)]


def test_order_accepts_numbers_and_numeric_text():
    assert parse_note("---\norder: 2\n---\n", "N.md").order == 2.0
    assert parse_note("---\norder: '1,5'\n---\n", "N.md").order == 1.5


def test_broken_frontmatter_keeps_the_body_and_its_line():
    diagnostics = []
    note = parse_note("---\ntitle: [oops\n---\n# Titre\ncorps\n", "N.md", diagnostics)
    assert note.title == "Titre" and note.body == "# Titre\ncorps\n" and note.body_line == 4
    assert diagnostics[0].code == "frontmatter.invalid" and diagnostics[0].path == "N.md"


def test_read_note_skips_binary_and_too_large(vault):
    root = vault({"bin.md": b"abc\x00def", "ok.md": "# OK\n"})
    note, diagnostics = read_note(str(root), "bin.md")
    assert note is None and diagnostics[0].code == "read.binary"
    note, diagnostics = read_note(str(root), "ok.md")
    assert note.title == "OK" and diagnostics == []
