"""Golden tests: each folder of tests/golden/ is a small vault with what `tree` and `check` say.

``tests/golden/<scenario>/vault/`` is the input; ``expected/tree.txt`` is the outline as
``miena-book tree --paths`` prints it and ``expected/diagnostics.txt`` the diagnostics as
``miena-book check`` prints them (paths relative to the vault), then the exit status.

After a deliberate change of behaviour, regenerate with
``MIENA_BOOK_REGENERATE=1 make test`` and review the diff of ``tests/golden`` like code.
"""

import os
from pathlib import Path

import pytest

from miena_book.config import ConfigError, load_config
from miena_book.diagnostics import exit_status, format_text
from miena_book.pipeline import check_vault
from miena_book.report import format_tree

GOLDEN = Path(__file__).parent / "golden"
SCENARIOS = sorted(p.name for p in GOLDEN.iterdir() if (p / "vault").is_dir())
REGENERATE = os.environ.get("MIENA_BOOK_REGENERATE") == "1"


def run_scenario(vault: Path) -> dict[str, str]:
    try:
        config, warnings = load_config(str(vault))
    except ConfigError as problem:
        return {"diagnostics.txt": format_text(problem.diagnostics) + "\nexit status: 2\n"}
    result = check_vault(str(vault), config, tuple(warnings))
    status = exit_status(result.diagnostics)
    listing = format_text(result.diagnostics)
    return {
        "tree.txt": format_tree(result.outline, show_paths=True) + "\n",
        "diagnostics.txt": (listing + "\n" if listing else "") + f"exit status: {status}\n",
    }


def test_there_are_scenarios():
    assert len(SCENARIOS) >= 10


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_golden(scenario):
    folder = GOLDEN / scenario
    produced = run_scenario(folder / "vault")
    expected_dir = folder / "expected"
    if REGENERATE:
        expected_dir.mkdir(exist_ok=True)
        for stale in expected_dir.iterdir():
            stale.unlink()
        for name, text in produced.items():
            (expected_dir / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(expected_dir.iterdir())}
    assert produced == expected
