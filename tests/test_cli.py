"""The command line as a user meets it: exit codes, output formats, help, init."""

import json

import pytest
from conftest import note

from miena_book import __version__

CLEAN = {
    "Racine.md": note("# Racine", child=["[[A]]"]),
    "A.md": note("# A", parent="[[Racine]]", type="Enjeu"),
}
WITH_WARNING = {**CLEAN, "Seul.md": "# Seul\n"}
WITH_ERROR = {**CLEAN, "Cassé.md": "---\ntitle: [oops\n---\n# Cassé\n"}


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", [[], ["check"], ["tree"], ["init"]])
def test_help_on_every_command(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_check_exit_codes(cli, vault, tmp_path):
    assert cli("check", vault(CLEAN)).exit_code == 0


def test_warnings_pass_unless_strict(cli, vault):
    root = vault(WITH_WARNING)
    result = cli("check", root)
    assert result.exit_code == 0
    assert "Seul.md:1: warning: not in the book: it has no parent" in result.output
    assert cli("check", "--strict", root).exit_code == 1


def test_errors_fail_with_file_and_line(cli, vault):
    result = cli("check", vault(WITH_ERROR))
    assert result.exit_code == 1
    assert "Cassé.md:3: error: invalid YAML" in result.output
    assert "[frontmatter.invalid]" in result.output
    assert "Traceback" not in result.output + result.stderr


def test_json_format(cli, vault):
    result = cli("check", "--format", "json", vault(WITH_ERROR))
    payload = json.loads(result.stdout)
    # the broken note lost its frontmatter, so it is also left out of the book
    assert [d["code"] for d in payload["diagnostics"]] == ["outline.unreachable", "frontmatter.invalid"]
    diagnostic = payload["diagnostics"][1]
    assert diagnostic == {"level": "error", "code": "frontmatter.invalid", "path": "Cassé.md", "line": 3,
                          "message": diagnostic["message"]}
    assert payload["summary"]["errors"] == 1


def test_json_line_is_null_when_unknown(cli, vault):
    files = {"A.md": note("# A"), "A1.md": note("# A1", parent="[[A]]"),
             "B.md": note("# B"), "B1.md": note("# B1", parent="[[B]]")}
    payload = json.loads(cli("check", "--format", "json", vault(files)).stdout)
    assert payload["diagnostics"][0]["path"] is None and payload["diagnostics"][0]["line"] is None


def test_github_format(cli, vault, monkeypatch):
    root = vault(WITH_ERROR)
    monkeypatch.chdir(root.parent)
    result = cli("check", "--format", "github", "vault")
    assert result.exit_code == 1
    assert "\n::error file=vault/Cassé.md,line=3,title=frontmatter.invalid::invalid YAML" in result.stdout


def test_bad_config_exits_2_listing_every_problem(cli, vault):
    root = vault({**CLEAN, "book.yml": "outline: oui\nlanguage: 12 34\n"})
    result = cli("check", root)
    assert result.exit_code == 2
    assert result.stderr.count("[config.type]") == 2


def test_explicit_config_file(cli, vault, tmp_path):
    root = vault(CLEAN)
    config = tmp_path / "autre.yml"
    config.write_text("title: Titre imposé\n", encoding="utf-8")
    result = cli("tree", "--config", config, root)
    assert result.exit_code == 0 and result.stdout.startswith("Racine")


def test_missing_vault_is_a_usage_error(cli, tmp_path):
    result = cli("check", tmp_path / "absent")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_tree_prints_outline_with_types_and_left_out(cli, vault):
    result = cli("tree", vault(WITH_WARNING))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Racine", "  1  A  (Enjeu)", "", "Left out of the book (1):",
        "  Seul.md: it has no parent, and no note lists it as a child"]


def test_tree_with_paths(cli, vault):
    assert "  1  A  (Enjeu)  [A.md]" in cli("tree", "--paths", vault(CLEAN)).stdout


def test_init_writes_a_config_that_loads_and_refuses_to_overwrite(cli, tmp_path):
    result = cli("init", tmp_path / "v")
    assert result.exit_code == 0
    text = (tmp_path / "v" / "book.yml").read_text(encoding="utf-8")
    assert "# language: fr-CA" in text
    checked = cli("check", tmp_path / "v")  # a config and no note yet: nothing to make a book of
    assert checked.exit_code == 1 and "[vault.empty]" in checked.output
    again = cli("init", tmp_path / "v")
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert cli("init", "--force", tmp_path / "v").exit_code == 0


def test_silenced_codes_are_not_reported(cli, vault):
    root = vault({**WITH_WARNING, "book.yml": "silence: [outline.unreachable]\n"})
    result = cli("check", "--strict", root)
    assert result.exit_code == 0 and "unreachable" not in result.output
