"""Frontmatter: a split that keeps file lines, and a YAML loader that refuses what is dangerous."""

import datetime as dt

import pytest

from miena_book.vault import frontmatter

ALIAS_BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""


def parse(text):
    return frontmatter.parse(text, 2, "n.md")


def test_split_keeps_the_file_line_of_the_body():
    parts = frontmatter.split("---\ntitle: x\ntags: [a]\n---\n# Titre\ntexte", "n.md")
    assert parts.yaml_text == "title: x\ntags: [a]\n"
    assert parts.yaml_line == 2
    assert parts.body == "# Titre\ntexte"
    assert parts.body_line == 5


def test_split_accepts_dots_as_closing_and_trailing_spaces():
    parts = frontmatter.split("---  \na: 1\n...\nbody")
    assert parts.yaml_text == "a: 1\n" and parts.body == "body" and parts.body_line == 4


def test_no_frontmatter_means_the_whole_text_is_body():
    parts = frontmatter.split("# Titre\n---\nnot yaml")
    assert parts.yaml_text is None and parts.body_line == 1


def test_unclosed_frontmatter_is_reported_and_read_as_text():
    parts = frontmatter.split("---\ntitle: x\n# Titre\n", "n.md")
    assert parts.yaml_text is None
    assert parts.body.startswith("---")
    assert [d.code for d in parts.diagnostics] == ["frontmatter.unclosed"]


def test_frontmatter_at_end_of_file_without_body():
    parts = frontmatter.split("---\na: 1\n---")
    assert parts.yaml_text == "a: 1\n" and parts.body == "" and parts.body_line == 3


def test_invalid_yaml_names_the_line_in_the_file():
    parsed = parse("title: ok\nparent: [[Unclosed\nother: x\n")
    (d,) = parsed.diagnostics
    assert d.code == "frontmatter.invalid" and d.level.value == "error"
    assert d.line in (3, 4)  # the YAML error line, counted from the file's first line
    assert parsed.data == {}


def test_alias_bomb_is_refused_before_it_expands():
    parsed = parse(ALIAS_BOMB)
    assert parsed.data == {}
    assert [d.code for d in parsed.diagnostics] == ["frontmatter.refused"]
    assert parsed.diagnostics[0].line == 2


def test_a_single_alias_is_refused_too():
    parsed = parse("a: &x 1\nb: *x\n")
    assert parsed.diagnostics[0].code == "frontmatter.refused"


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!custom x"])
def test_unsafe_and_unknown_tags_are_errors(tag):
    parsed = parse(f"a: {tag}\n")
    assert parsed.data == {} and parsed.diagnostics[0].code == "frontmatter.invalid"


@pytest.mark.parametrize("document, kind", [("- a\n- b\n", "a list"), ("juste du texte\n", "a single value")])
def test_non_mapping_documents_are_errors(document, kind):
    parsed = parse(document)
    assert parsed.data == {}
    assert parsed.diagnostics[0].code == "frontmatter.not-a-mapping" and kind in parsed.diagnostics[0].message


def test_blocks_over_64_kib_are_refused():
    parsed = parse("a: " + "x" * (65 * 1024) + "\n")
    assert parsed.diagnostics[0].code == "frontmatter.too-large"


@pytest.mark.parametrize("document", ["a: " + "[" * 30000 + "]" * 30000, "a:\n" + "- " * 30000 + "x"])
def test_deep_nesting_is_refused_without_crashing(document):
    parsed = parse(document)
    # libyaml's own flow-level limit may speak first; either way an error, not a crash.
    assert parsed.data == {}
    assert parsed.diagnostics[0].code in ("frontmatter.refused", "frontmatter.invalid")
    assert "nest" in parsed.diagnostics[0].message


def test_yaml_1_2_core_schema_keeps_norway_octal_and_on_as_text():
    parsed = parse("pays: NO\non: oui\nzip: 0123\nflag: yes\nvrai: true\nn: 12\nf: 1.5\nvide:\n")
    assert parsed.data == {"pays": "NO", "on": "oui", "zip": "0123", "flag": "yes", "vrai": True,
                           "n": 12, "f": 1.5, "vide": None}


def test_dates_are_dates_and_impossible_dates_stay_text_with_a_warning():
    parsed = parse("created: 2025-08-11\nupdated: 2025-02-30\n")
    assert parsed.data["created"] == dt.date(2025, 8, 11)
    assert parsed.data["updated"] == "2025-02-30"
    (d,) = parsed.diagnostics
    assert d.code == "frontmatter.bad-date" and d.line == 3


def test_duplicate_keys_warn_and_keep_the_last():
    parsed = parse("type: Enjeu\ntitle: x\ntype: Modèle\n")
    assert parsed.data["type"] == "Modèle"
    (d,) = parsed.diagnostics
    assert d.code == "frontmatter.duplicate-key" and d.line == 4


def test_key_lines_are_file_lines():
    parsed = parse("type: Enjeu\n\nparent: '[[A]]'\nchild:\n  - x\n")
    assert parsed.key_lines == {"type": 2, "parent": 4, "child": 5}


def test_non_text_keys_are_read_as_text():
    parsed = parse("1: un\ntrue: vrai\n2025-01-01: date\n")
    assert parsed.data == {"1": "un", "true": "vrai", "2025-01-01": "date"}
