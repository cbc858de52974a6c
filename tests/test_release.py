"""CI and release files: the workflow, the reusable workflow, the action and the pre-commit hook."""

import yaml
from conftest import EXAMPLE_VAULT, REPO, note


def load(path: str):
    return yaml.safe_load((REPO / path).read_text(encoding="utf-8"))


def test_workflow_builds_on_every_push_and_releases_tags_with_checksums():
    workflow = load(".github/workflows/handbook.yml")
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert triggers["push"]["tags"] == ["v*"] and "pull_request" in triggers
    jobs = workflow["jobs"]
    assert any(step.get("run") == "bash .ci/run" for step in jobs["test"]["steps"])
    build_step = next(step for step in jobs["handbook"]["steps"] if step.get("uses") == "./")
    assert build_step["with"]["vault"] == "examples/miena-vault"
    release = jobs["release"]
    assert release["if"] == "startswith(github.ref, 'refs/tags/v')".replace("startswith", "startsWith")
    assert release["needs"] == ["test", "handbook"] and release["permissions"] == {"contents": "write"}
    script = release["steps"][-1]["run"]
    assert "sha256sum --check SHA256SUMS" in script and "gh release create" in script and "SHA256SUMS" in script


def test_reusable_workflow_and_action_check_then_build_with_annotations():
    reusable = load(".github/workflows/vault-handbook.yml")
    assert set(reusable[True]["workflow_call"]["inputs"]) >= {"vault", "formats", "strict"}
    action = load("action.yml")
    assert action["runs"]["using"] == "composite"
    scripts = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "miena-book\" check" in scripts and "--format github" in scripts
    assert "miena-book\" build" in scripts and "SHA256SUMS" in scripts
    assert "scripts/bootstrap" in scripts


def test_pre_commit_hook_runs_check(cli):
    hooks = load(".pre-commit-hooks.yaml")
    hook = next(h for h in hooks if h["id"] == "miena-book-check")
    assert hook["entry"] == "miena-book check" and hook["pass_filenames"] is False
    result = cli(*hook["entry"].split()[1:], EXAMPLE_VAULT)
    assert result.exit_code == 0


def test_strict_build_fails_on_a_warning(vault, cli, tmp_path):
    root = vault({"book.yml": "title: Strict\n", "A.md": note("# A\n\nVoir [[Nulle part]].\n")})
    relaxed = cli("build", root, "-o", tmp_path / "out", "--format", "html")
    strict = cli("build", root, "-o", tmp_path / "out", "--format", "html", "--strict")
    assert relaxed.exit_code == 0 and strict.exit_code == 1
    assert "[link.unresolved]" in strict.stderr


def test_silenced_codes_are_not_reported(vault, cli, tmp_path):
    root = vault({"book.yml": "title: Calme\nsilence: [link.unresolved]\n", "A.md": "# A\n\nVoir [[Nulle part]].\n"})
    result = cli("build", root, "-o", tmp_path / "out", "--format", "html", "--strict")
    assert result.exit_code == 0 and "link.unresolved" not in result.stderr
