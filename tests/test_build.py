"""`build` with the real engines: what a reader finds in the HTML, the EPUB and the PDF."""

import shutil
import subprocess
import zipfile

import pytest
from conftest import note

VAULT = {
    "book.yml": "title: Petit guide\nauthors: [Une Autrice]\n",
    "Racine.md": note("# Petit guide\n\nIntroduction du guide.\n", child=["[[Modèle CLOM]]", "[[Enjeu]]"]),
    "Modèle CLOM.md": note("# Modèle CLOM\n\n## Description\nUn modèle pour {{ 7*7 }} apprenants.\n",
                           parent="[[Racine]]", type="Modèle", summary="Le modèle des CLOM."),
    "Enjeu.md": note("# Enjeu\n\nVoir [[Modèle CLOM|le modèle]] et [[Absente]].\n\n<script>alert(1)</script>\n",
                     parent="[[Racine]]", type="Enjeu"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from click.testing import CliRunner

    from conftest import write_vault
    from miena_book.cli import main

    root = write_vault(tmp_path_factory.mktemp("v") / "vault", VAULT)
    out = root.parent / "out"
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(out)], catch_exceptions=False)
    return result, out


def test_build_writes_three_artifacts_and_reports_unresolved_links(built):
    result, out = built
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["petit-guide.epub", "petit-guide.html", "petit-guide.pdf"]
    assert "Enjeu.md:7: warning: [[Absente]] matches no note; shown as text [link.unresolved]" in result.stderr


def test_html_has_cross_reference_and_note_text_as_data(built):
    html = (built[1] / "petit-guide.html").read_text(encoding="utf-8")
    assert 'class="xref"' in html and ">le modèle</a>" in html
    assert "{{ 7*7 }} apprenants" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html


def test_epub_has_a_chapter_per_note_and_working_links(built):
    with zipfile.ZipFile(built[1] / "petit-guide.epub") as epub:
        chapters = [n for n in epub.namelist() if n.endswith(".xhtml") and "ch" in n]
        text = "".join(epub.read(n).decode("utf-8") for n in chapters)
    assert len(chapters) >= 3
    assert "Un modèle pour {{ 7*7 }} apprenants." in text
    assert "le modèle</a>" in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (scripts/bootstrap installs it)")
def test_pdf_text_has_title_toc_and_page_numbers_in_cross_references(built):
    text = subprocess.run(["pdftotext", "-layout", str(built[1] / "petit-guide.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Petit guide" in text and "Une Autrice" in text
    assert "Table des matières" in text
    assert "le modèle (p. " in text
    assert "Un modèle pour {{ 7*7 }} apprenants." in text
