"""The handbook as readers of assistive technologies get it: DAISY Ace on the EPUB, axe-core
on the HTML (desktop and phone widths), both in the system's headless Chromium.

A violation of impact critical or serious fails the test; the moderate and minor ones are
printed (``pytest -s`` or ``-rA`` shows them). The checkers are installed by
scripts/bootstrap into ``VENV/node`` from tests/accessibility/package-lock.json. Missing,
they fail the test under CI (the bootstrap should have installed them) and skip it
elsewhere, saying how to install them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO, note, write_vault

from miena_book.cli import main

NODE_DIR = Path(sys.prefix) / "node"
ACE = NODE_DIR / "node_modules" / ".bin" / "ace-puppeteer"
AXE_RUNNER = REPO / "tests" / "accessibility" / "axe-html.mjs"
BLOCKING = ("critical", "serious")
VIEWPORTS = {"desktop": "1280x900", "phone": "390x844"}


def _chromium() -> str | None:
    return os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")


def _require(*tools: tuple[str, bool]) -> None:
    """Skip (or, under CI, fail) when a checker is missing, naming the way to install it."""
    missing = [name for name, present in tools if not present]
    if not missing:
        return
    reason = (f"{', '.join(missing)} not installed: scripts/bootstrap installs them "
              f"(Debian's chromium, then npm ci into {NODE_DIR})")
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _node_tools() -> tuple[tuple[str, bool], ...]:
    return (("chromium", _chromium() is not None), ("node", shutil.which("node") is not None),
            ("axe-core", (NODE_DIR / "node_modules" / "axe-core").is_dir()))


# session-scoped, like `handbook`, and named before it: checked before the example is built
@pytest.fixture(scope="session")
def ace():
    """``run_ace``, once Ace and Chromium are known to be there (before any build)."""
    _require(*_node_tools(), ("DAISY Ace", ACE.exists()))
    return run_ace


@pytest.fixture(scope="session")
def axe():
    """``run_axe``, once axe-core, puppeteer and Chromium are known to be there."""
    _require(*_node_tools(), ("puppeteer", (NODE_DIR / "node_modules" / "puppeteer").is_dir()))
    return run_axe


def run_ace(epub: Path, out: Path) -> list[dict]:
    """Ace's findings on ``epub``: one dict (impact, rule, file, description) each."""
    # Ace ends with status 1 and no word when the Chromium it drives fails to start (seen once
    # on a loaded CI machine): a second run, verbose, says why if it is not that
    for verbosity in ("--silent", "--verbose"):
        done = subprocess.run([str(ACE), "--force", verbosity, "--outdir", str(out), str(epub)],
                              capture_output=True, text=True, timeout=600,
                              env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": _chromium()})
        if done.returncode == 0 and (out / "report.json").exists():
            break
    assert done.returncode == 0 and (out / "report.json").exists(), done.stdout[-4000:] + done.stderr[-4000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["earl:testSubject"]["metadata"], "Ace read no package metadata"
    findings = []
    for document in report["assertions"]:
        for assertion in document.get("assertions", []):
            test = assertion["earl:test"]
            findings.append({"impact": test["earl:impact"], "rule": test["dct:title"],
                             "where": document["earl:testSubject"]["url"],
                             "what": assertion["earl:result"]["dct:description"]})
    return findings


def run_axe(html: Path, viewport: str) -> list[dict]:
    """axe-core's violations on ``html`` at ``viewport`` (WIDTHxHEIGHT), one dict a node."""
    done = subprocess.run(["node", str(AXE_RUNNER), str(html), viewport], capture_output=True, text=True,
                          timeout=600, env={**os.environ, "NODE_PATH": str(NODE_DIR / "node_modules"),
                                            "PUPPETEER_EXECUTABLE_PATH": _chromium()})
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results["passes"] > 10, results  # axe did run its rules on a real page
    return [{"impact": violation["impact"], "rule": violation["id"], "where": " ".join(node["target"]),
             "what": node["failureSummary"]}
            for violation in results["violations"] for node in violation["nodes"]]


def summary(findings: list[dict]) -> str:
    """Counts by impact, then by rule: ``serious 2 (color-contrast 2); moderate 0``."""
    by_impact = Counter(f["impact"] for f in findings)
    parts = []
    for impact in ("critical", "serious", "moderate", "minor"):
        rules = Counter(f["rule"] for f in findings if f["impact"] == impact)
        detail = ", ".join(f"{rule} {count}" for rule, count in sorted(rules.items()))
        parts.append(f"{impact} {by_impact[impact]}" + (f" ({detail})" if detail else ""))
    return "; ".join(parts)


def blocking(findings: list[dict]) -> list[str]:
    return [f"{f['impact']} {f['rule']} in {f['where']}: {' '.join(f['what'].split())}"
            for f in findings if f["impact"] in BLOCKING]


def test_example_epub_passes_ace(ace, handbook, tmp_path):
    findings = ace(Path(str(handbook[1]) + ".epub"), tmp_path / "ace")
    print(f"\nAce on the example EPUB: {summary(findings)}")
    assert blocking(findings) == []


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_example_html_passes_axe(axe, handbook, viewport):
    findings = axe(Path(str(handbook[1]) + ".html"), VIEWPORTS[viewport])
    print(f"\naxe-core on the example HTML ({viewport}): {summary(findings)}")
    assert blocking(findings) == []


# --- the checks can fail: a vault's own stylesheet with pale colours ------------------------

PALE = """
.callout { border-left: 4px solid #aaa; background-color: #eeeeee; }
.callout-title { color: #9e9e9e; font-weight: bold; }
code span.kw { color: #a0a0ff; }
"""


@pytest.fixture(scope="module")
def pale_book(tmp_path_factory):
    from click.testing import CliRunner

    root = write_vault(tmp_path_factory.mktemp("pale") / "vault", {
        "book.yml": "title: Guide pâle\n",
        "Racine.md": note("# Guide pâle\n\nIntroduction.\n", child=["[[Astuce]]"]),
        "Astuce.md": note("# Astuce\n\n> [!tip] Un conseil\n> Relire la note.\n\n"
                          "```python\nfor note in notes:\n    print(note)\n```\n", parent="[[Racine]]"),
        "_book/styles/blocks.css": PALE,
    })
    out = root.parent / "out"
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(out), "--format", "epub,html"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "guide-pale"


def test_ace_finds_pale_colours(ace, pale_book, tmp_path):
    found = blocking(ace(Path(str(pale_book) + ".epub"), tmp_path / "ace"))
    assert any(line.startswith("serious color-contrast") and "#9e9e9e" in line for line in found), found
    assert any("#a0a0ff" in line for line in found), found


def test_axe_finds_pale_colours(axe, pale_book):
    found = blocking(axe(Path(str(pale_book) + ".html"), VIEWPORTS["desktop"]))
    assert any(line.startswith("serious color-contrast") and "#9e9e9e" in line for line in found), found
    assert any("#a0a0ff" in line for line in found), found


# --- the page template -----------------------------------------------------------------------

def test_page_template_is_pandocs_own_with_a_main_landmark():
    """templates/page.html5 is the html5 template of the pandoc the build runs, plus the
    <main> around the body: a new pandoc's template changes show here, to be taken over."""
    import pypandoc

    default = subprocess.run([pypandoc.get_pandoc_path(), "-D", "html5"], capture_output=True, text=True,
                             check=True).stdout
    ours = (REPO / "templates" / "page.html5").read_text(encoding="utf-8").splitlines()
    assert ours.index("<main>") + 2 == ours.index("</main>") and ours[ours.index("<main>") + 1] == "$body$"
    kept = [line for line in ours if not line.startswith("$--") and line not in ("<main>", "</main>")]
    assert kept == default.splitlines()
