"""The printed handbook as a screen reader, a viewer and a print shop read it.

The example's PDF is walked with pikepdf: its structure tree (headings in order and never
skipping a level, lists, tables with header cells, figures with their description, links
with their text), its language and title, its artifacts (running heads and page numbers
are not read aloud) and its page labels (roman front matter, then 1, 2, … as printed).
veraPDF validates it against PDF/UA-1. Small vaults then show the print production
settings (trim, bleed, marks, PDF/X-4 and its output intent, right-hand chapter starts),
tables sized by their content, images' descriptions and resolution, the display title of
links, and every script a vault writes drawn by some installed face.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import note, write_vault

pikepdf = pytest.importorskip("pikepdf", reason="pikepdf is a test dependency (pip install -e '.[test]')")

import pdfua  # noqa: E402  (tests/pdfua: the veraPDF launcher)

IN_CI = bool(os.environ.get("CI"))
POINTS_PER_MM = 72 / 25.4


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def structure(pdf) -> list[tuple[str, object, int]]:
    """Every structure element in reading order: (tag, element, depth)."""
    out = []

    def walk(element, depth: int) -> None:
        if not isinstance(element, pikepdf.Dictionary):
            return
        tag = element.get("/S")
        if tag is not None:
            out.append((str(tag)[1:], element, depth))
        for kid in _kids(element):
            walk(kid, depth + 1)

    walk(pdf.Root.StructTreeRoot, 0)
    return out


def page_index(pdf, element) -> int | None:
    page = element.get("/Pg")
    if page is None:
        return None
    for index, candidate in enumerate(pdf.pages):
        if candidate.objgen == page.objgen:
            return index
    return None


def text_operators(page) -> Counter:
    """How many text-showing operators a page draws inside each kind of marked content."""
    found: Counter = Counter()
    stack: list[str] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            stack.append(str(operands[0]))
        elif name == "EMC" and stack:
            stack.pop()
        elif name in ("Tj", "TJ", "'", '"'):
            found["/Artifact" if "/Artifact" in stack else "content" if stack else "unmarked"] += 1
    return found


def pdf_text(pdf_path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(["pdftotext", "-layout", *pages, str(pdf_path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def example_pdf(handbook):
    path = Path(str(handbook[1]) + ".pdf")
    with pikepdf.open(path) as pdf:
        yield path, pdf, structure(pdf)


# --- the example, as a screen reader and a viewer read it -------------------------------------

def test_example_pdf_is_tagged_with_language_and_title(example_pdf):
    path, pdf, _ = example_pdf
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert str(pdf.Root.Lang) == "fr-CA"
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True  # the title bar shows the title
    assert str(pdf.docinfo.Title) == "Répertoire des connaissances de la méthode MIENA"
    with pdf.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"


def test_example_headings_are_in_reading_order_and_never_skip_a_level(example_pdf, handbook):
    _, pdf, elements = example_pdf
    headings = [(int(tag[1]), element) for tag, element, _ in elements if re.fullmatch(r"H[1-6]", tag)]
    levels = [level for level, _ in headings]
    assert levels[0] == 1
    skips = [(before, after) for before, after in zip(levels, levels[1:]) if after > before + 1]
    assert skips == []
    manifest = json.loads(Path(str(handbook[1]) + ".manifest.json").read_text(encoding="utf-8"))
    in_book = [entry for entry in manifest["notes"] if entry["in_book"]]
    assert len(headings) >= len(in_book)  # every note's title, and the headings inside them
    pages = [page_index(pdf, element) for _, element in headings]
    assert None not in pages and pages == sorted(pages)  # the tree reads the book front to back


def test_example_lists_tables_figures_and_links_are_structured(example_pdf):
    _, pdf, elements = example_pdf
    tags = Counter(tag for tag, _, _ in elements)
    assert tags["L"] > 20 and tags["LI"] >= tags["L"] and tags["LBody"] == tags["LI"]
    for tag, element, _ in elements:
        if tag == "L":
            assert {str(kid.get("/S")) for kid in _kids(element) if isinstance(kid, pikepdf.Dictionary)} <= \
                {"/LI", "/L"}
    tables = [element for tag, element, _ in elements if tag == "Table"]
    assert tables
    for table in tables:
        cells = [tag for tag, _, _ in structure_of(table)]
        assert "TH" in cells and "TD" in cells  # header cells, then data cells
    figures = [element for tag, element, _ in elements if tag == "Figure"]
    alts = [str(figure.get("/Alt", "")) for figure in figures]
    assert figures and all(alt.strip() for alt in alts), alts
    assert "Schéma MOT : un concept (rectangle) relié par un lien typé à une procédure (ovale)" in alts
    links = [element for tag, element, _ in elements if tag == "Link"]
    assert len(links) > 100
    for link in links:
        kids = _kids(link)
        annotations = [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"]
        assert annotations, "a link is its annotation and its text"
        annotation = annotations[0].Obj
        assert "/StructParent" in annotation
        # described by its words, not by its target's id
        assert str(annotation.Contents).strip() and str(annotation.Contents) != str(annotation.get("/Dest"))
    described = Counter(str(kid.Obj.Contents) for link in links for kid in _kids(link)
                        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR")
    assert described["Langage MOT"] >= 1, described.most_common(10)


def structure_of(element) -> list[tuple[str, object, int]]:
    out = []

    def walk(node, depth):
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/S") is not None:
                out.append((str(node.S)[1:], node, depth))
            for kid in _kids(node):
                walk(kid, depth + 1)

    walk(element, 0)
    return out


def test_example_running_heads_and_page_numbers_are_artifacts(example_pdf):
    path, pdf, _ = example_pdf
    for index in (1, 5, 20):
        drawn = text_operators(pdf.pages[index])
        assert drawn["/Artifact"] >= 1 and drawn["unmarked"] == 0, (index, drawn)
    # the margins' text is not in the structure tree: the heads are read once, not on every page
    head = "Répertoire des connaissances de la méthode MIENA"
    assert pdf_text(path, 20, 20).count(head) == 1


def test_example_front_matter_is_roman_and_page_labels_match_printed_numbers(example_pdf, handbook):
    path, pdf, _ = example_pdf
    labels = [page.label for page in pdf.pages]
    manifest = json.loads(Path(str(handbook[1]) + ".manifest.json").read_text(encoding="utf-8"))
    front = manifest["pdf"]["front_matter_pages"]
    assert front >= 2
    assert labels[:front] == ["i", "ii", "iii", "iv", "v"][:front]
    assert labels[front:front + 3] == ["1", "2", "3"]
    for index in (front + 1, front + 10, len(labels) - 1):  # the number printed at the foot
        foot = [line.strip() for line in pdf_text(path, index + 1, index + 1).splitlines() if line.strip()][-1]
        assert foot == labels[index], (index, foot)
    # the contents give printed numbers: the first chapter is on page 1
    contents = " ".join(pdf_text(path, 2, front).split())
    assert re.search(r"Répertoire des connaissances de la méthode MIENA (?:\. ?)+ ?1\b", contents), contents[:300]


def test_example_no_heading_ends_a_page_and_the_faces_are_named(handbook):
    manifest = json.loads(Path(str(handbook[1]) + ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["pdf"]["headings_at_page_end"] == []
    fonts = manifest["pdf"]["fonts"]
    assert next(iter(fonts)) == "TeX Gyre Pagella", fonts  # the text face draws the most characters
    assert {"Noto Sans", "DejaVu Sans Mono"} <= set(fonts), fonts
    assert "set in TeX Gyre Pagella" in handbook[0].stderr


def test_example_pdf_passes_verapdf_pdf_ua_1(example_pdf, tmp_path_factory):
    why = pdfua.unavailable()
    if why:
        if IN_CI:
            pytest.fail(f"veraPDF cannot run in CI: {why} (scripts/bootstrap installs it)")
        pytest.skip(f"veraPDF cannot run: {why} (scripts/bootstrap installs it)")
    verapdf = pdfua.VeraPDF(tmp_path_factory.mktemp("verapdf"))
    verdict = verapdf.validate(example_pdf[0])
    assert verdict.compliant, "\n".join(verdict.failures[:20])


def test_verapdf_finds_an_untagged_pdf_wanting(tmp_path):
    """The validator can fail: a PDF without a structure tree is not PDF/UA."""
    why = pdfua.unavailable()
    if why:
        pytest.skip(f"veraPDF cannot run: {why}")
    from weasyprint import HTML

    plain = tmp_path / "plain.pdf"
    HTML(string="<html lang='fr'><title>T</title><p>Un <a href='https://example.org'>lien</a>.</p>").write_pdf(plain)
    verdict = pdfua.VeraPDF(tmp_path).validate(plain)
    assert not verdict.compliant and any(line.startswith("7.1-") for line in verdict.failures)


# --- print production -------------------------------------------------------------------------

def _build(cli, root: Path, formats: str = "pdf"):
    out = root.parent / "out"
    result = cli("build", root, "-o", out, "--format", formats)
    return result, out


def _boxes(page) -> dict[str, list[float]]:
    return {name: [round(float(v), 2) for v in page.obj[name]] for name in ("/MediaBox", "/BleedBox", "/TrimBox")}


def _trim_box(width_mm: float, height_mm: float) -> list[float]:
    return [0.0, 0.0, round(width_mm * POINTS_PER_MM, 2), round(height_mm * POINTS_PER_MM, 2)]


def _small_png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _press_vault(tmp_path: Path, settings: str) -> Path:
    return write_vault(tmp_path / "vault", {
        "book.yml": "title: Épreuve\nlanguage: fr-FR\n" + settings,
        "Racine.md": note("# Racine\n\nIntroduction.\n", child=["[[Un]]", "[[Deux]]"]),
        "Un.md": note("# Un\n\nPremier chapitre.\n\n![[vignette.png|Une vignette rouge|400]]\n", parent="[[Racine]]"),
        "Deux.md": note("# Deux\n\nSecond chapitre.\n", parent="[[Racine]]"),
        "vignette.png": _small_png(60, 40),
    })


def test_six_by_nine_with_bleed_marks_and_pdf_x4(cli, tmp_path):
    vault = _press_vault(tmp_path, "trim: 6x9in\nbleed: 3mm\nmarks: [crop, cross]\npdf_standard: pdf/x-4\n"
                                   "chapter_start: right\n")
    result, out = _build(cli, vault)
    assert result.exit_code == 0, result.stderr
    with pikepdf.open(out / "epreuve.pdf") as pdf:
        boxes = _boxes(pdf.pages[-1])
        bleed = round(3 * POINTS_PER_MM, 2)
        assert boxes["/TrimBox"] == [0.0, 0.0, 432.0, 648.0]  # 6 x 9 in
        assert boxes["/BleedBox"] == [-bleed, -bleed, 432 + bleed, 648 + bleed]
        media = boxes["/MediaBox"]
        assert media[0] < -bleed - 10 and media[2] > 432 + bleed + 10  # room for the marks beyond the bleed
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and str(intents[0].S) == "/GTS_PDFX"
        assert len(intents[0].DestOutputProfile.read_bytes()) > 1000
        with pdf.open_metadata() as xmp:
            assert "PDF/X-4" in str(dict(xmp))
        assert "/StructTreeRoot" in pdf.Root  # a print edition keeps its structure tree
        labels = [page.label for page in pdf.pages]
    # chapters on the right: every chapter's first page is odd (a right-hand page), and the
    # blank pages left before them carry neither running head nor number
    texts = [pdf_text(out / "epreuve.pdf", n, n) for n in range(1, len(labels) + 1)]
    for title in ("Racine", "Un", "Deux"):
        page = next(i for i, text in enumerate(texts) if re.search(rf"^\s*{title}\s*$", text, re.M)
                    and "Table des matières" not in text)
        assert page % 2 == 0, (title, page + 1)  # index 0, 2, 4 … are right-hand pages
    blanks = [i for i, text in enumerate(texts) if not text.strip()]
    assert blanks, "an odd number of pages before a chapter leaves a blank page"
    # an image below 300 dpi at its printed size: 60 px over 400 CSS px (4.17 in) is 14 dpi
    assert re.search(r"Un\.md:\d+: warning: 'vignette\.png' prints at 14 dpi .*\[pdf\.resolution\]", result.stderr), \
        result.stderr


def test_custom_trim_without_bleed_is_a_plain_page_and_no_resolution_warning(cli, tmp_path):
    vault = _press_vault(tmp_path, "trim: 150mm x 220mm\n")
    result, out = _build(cli, vault)
    assert result.exit_code == 0, result.stderr
    with pikepdf.open(out / "epreuve.pdf") as pdf:
        boxes = _boxes(pdf.pages[0])
        assert boxes["/MediaBox"] == boxes["/TrimBox"] == _trim_box(150, 220)
        assert "/OutputIntents" not in pdf.Root
    assert "pdf.resolution" not in result.stderr  # a book for the screen is not held to a press's 300 dpi


@pytest.mark.parametrize("setting, message", [
    ("trim: huge\n", "'trim': 'huge' is not a page size"),
    ("trim: 10mm x 20mm\n", "'trim': '10mm x 20mm': each side must be between 50 and 600 mm"),
    ("bleed: 3\n", "'bleed': '3' is not a bleed"),
    ("marks: [crop, star]\n", "'marks' must be a list of crop, cross"),
    ("pdf_standard: pdf/x-1a\n", "'pdf_standard' must be one of pdf/ua-1, pdf/ua-2, pdf/x-4"),
])
def test_print_settings_that_cannot_be_used_are_errors_naming_the_line(cli, tmp_path, setting, message):
    vault = _press_vault(tmp_path, "version: '1'\n" + setting)
    result = cli("check", vault)
    assert result.exit_code == 2
    assert f"book.yml:4: error: {message}" in result.stderr, result.stderr


def test_page_size_is_read_as_trim_with_a_warning(cli, tmp_path):
    vault = _press_vault(tmp_path, "page_size: a5\n")
    result, out = _build(cli, vault)
    assert "book.yml:3: warning: 'page_size' is now called 'trim'" in result.stderr
    with pikepdf.open(out / "epreuve.pdf") as pdf:
        assert _boxes(pdf.pages[0])["/TrimBox"] == _trim_box(148, 210)


def test_pdf_x4_with_a_profile_that_is_not_one_is_reported_and_no_pdf_written(cli, tmp_path):
    vault = _press_vault(tmp_path, "pdf_standard: pdf/x-4\noutput_profile: faux.icc\n")
    (vault / "faux.icc").write_bytes(b"not a profile" * 10)
    checked = cli("check", vault)
    assert "book.yml: error: output_profile 'faux.icc' is not an ICC profile; no PDF is written [pdf.profile]" \
        in checked.stdout, checked.stdout
    result, out = _build(cli, vault, "pdf,html")
    assert result.exit_code == 1
    assert "[pdf.profile]" in result.stderr
    assert (out / "epreuve.html").exists() and not (out / "epreuve.pdf").exists()
    manifest = json.loads((out / "epreuve.manifest.json").read_text(encoding="utf-8"))
    assert manifest["diagnostics_by_code"]["pdf.profile"] == 1


def test_pdf_x4_refuses_a_screen_profile_and_a_reading_book_says_its_profile_is_unused(cli, tmp_path):
    from weasyprint.pdf import __file__ as weasy_pdf

    srgb = Path(weasy_pdf).with_name("sRGB2014.icc")  # a monitor's profile, in RGB
    vault = _press_vault(tmp_path, "pdf_standard: pdf/x-4\noutput_profile: ecran.icc\n")
    shutil.copy(srgb, vault / "ecran.icc")
    checked = cli("check", vault)
    assert "output_profile 'ecran.icc' describes a 'mntr' device in RGB" in checked.stdout, checked.stdout
    (vault / "book.yml").write_text("title: Épreuve\noutput_profile: ecran.icc\n", encoding="utf-8")
    checked = cli("check", vault)
    assert "book.yml: warning: output_profile is used by a pdf/x-4 book only" in checked.stdout


def test_marks_without_bleed_keep_the_bleed_box_on_the_trim(cli, tmp_path):
    vault = _press_vault(tmp_path, "trim: a5\nmarks: [crop]\n")
    result, out = _build(cli, vault)
    assert result.exit_code == 0, result.stderr
    with pikepdf.open(out / "epreuve.pdf") as pdf:
        boxes = _boxes(pdf.pages[0])
    assert boxes["/BleedBox"] == boxes["/TrimBox"] == _trim_box(148, 210)
    assert boxes["/MediaBox"][0] < -20  # the sheet carries the marks beyond the trim


def test_an_overriding_print_stylesheet_keeps_the_numbers_and_the_labels_in_step(cli, tmp_path):
    """A vault's own print.css (one written before the front matter had roman numbers, say)
    still gets pages whose printed number is the PDF's label and the contents' number."""
    vault = _press_vault(tmp_path, "")
    write_vault(vault, {"_book/styles/print.css":
                        "@page { size: A5; margin: 20mm; @bottom-right { content: counter(page); } }\n"
                        "h1 { break-before: page; }\n"})
    result, out = _build(cli, vault)
    assert result.exit_code == 0, result.stderr
    with pikepdf.open(out / "epreuve.pdf") as pdf:
        labels = [page.label for page in pdf.pages]
    texts = [pdf_text(out / "epreuve.pdf", n, n) for n in range(1, len(labels) + 1)]
    for label, text in zip(labels, texts):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines and label.isdigit():
            assert lines[-1].endswith(label), (label, lines[-1])
    body = next(i for i, text in enumerate(texts) if re.search(r"^\s*Racine\s*$", text, re.M)
                and "Table des matières" not in text)
    assert labels[body] == "1"
# --- what the page shows -------------------------------------------------------------------------

def _words_with_boxes(pdf_path: Path) -> list[tuple[str, float, float]]:
    done = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True, check=True)
    return [(m.group(3), float(m.group(1)), float(m.group(2))) for m in
            re.finditer(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                        done.stdout)]


def test_tables_take_column_widths_from_their_content_and_long_code_wraps(cli, tmp_path):
    sentence = "une phrase assez longue pour remplir presque toute la largeur de la page imprimée"
    code = "x = " + "+".join(f"valeur{i}" for i in range(60))
    vault = write_vault(tmp_path / "vault", {
        "book.yml": "title: Livre\n",
        "Livre.md": note(f"# Livre\n\n| C | Description |\n| --- | --- |\n| A | {sentence} |\n\n"
                         f"```python\n{code}\n```\n"),
    })
    result, out = _build(cli, vault)
    assert result.exit_code == 0, result.stderr
    words = _words_with_boxes(out / "livre.pdf")
    letter = next(x_min for text, x_min, _ in words if text == "A")
    description = next(x_min for text, x_min, _ in words if text == "une")
    with pikepdf.open(out / "livre.pdf") as pdf:
        page_width = float(pdf.pages[0].MediaBox[2])
    assert description - letter < page_width * 0.15, "the one-letter column stays narrow"
    assert max(x_max for _, _, x_max in words) < page_width - 40, "nothing runs into the margin"
    squeezed = "".join(pdf_text(out / "livre.pdf").split())
    assert code.replace(" ", "") in squeezed  # the long line wraps, whole


def test_image_without_description_is_reported_and_described_one_reaches_the_pdf(cli, tmp_path):
    vault = write_vault(tmp_path / "vault", {
        "book.yml": "title: Livre\n",
        "Livre.md": note("# Livre\n\n![[sans.png]]\n\n![[avec.png|Un carré rouge|100]]\n\n![](sans.png)\n"),
        "sans.png": _small_png(300, 300), "avec.png": _small_png(300, 300),
    })
    result = cli("check", vault)
    assert "Livre.md:3: warning: ![[sans.png]]: the image has no description" in result.stdout, result.stdout
    assert "Livre.md:7: warning: ![](sans.png): the image has no description" in result.stdout
    assert "avec.png" not in result.stdout
    built, out = _build(cli, vault)
    with pikepdf.open(out / "livre.pdf") as pdf:
        alts = [str(element.get("/Alt")) for tag, element, _ in structure(pdf) if tag == "Figure"]
    assert "Un carré rouge" in alts and all(alts), alts
    assert "pdf.layout" not in built.stderr  # said once, as a11y.alt, not again by WeasyPrint


def test_every_script_a_vault_writes_is_drawn(cli, tmp_path):
    """French and Québécois letters, Greek, Cyrillic, Chinese, Japanese, Korean, Vietnamese,
    mathematical symbols, emoji: no character printed as a box."""
    text = ("Œuvre, cœur, Ÿ, ç, « guillemets », Ç’a, l’Île-d’Orléans, 1 ½ tasse. Grec : ἀρετή, Ω. "
            "Cyrillique : Привет, Ёж. 中文学习环境。日本語のテキスト。한국어 문장. Tiếng Việt. "
            "Maths : ∀x ∈ ℝ, ∑ ≤ ≠ → ∞ ⊂ ∅ ∇. Flèches ⇒ ↔. Emoji : 📌 🌱 ✅.")
    vault = write_vault(tmp_path / "vault", {"book.yml": "title: Livre\n",
                                             "Livre.md": note(f"# Livre\n\n{text}\n\n*{text}*\n\n`{text}`\n")})
    result, out = _build(cli, vault, "pdf")
    assert result.exit_code == 0
    assert "pdf.glyph" not in result.stderr, result.stderr
    manifest = json.loads((out / "livre.manifest.json").read_text(encoding="utf-8"))
    assert {"TeX Gyre Pagella", "Noto Serif CJK SC"} <= set(manifest["pdf"]["fonts"]), manifest["pdf"]["fonts"]


# --- link text --------------------------------------------------------------------------------

def _link_vault(tmp_path: Path, setting: str = "") -> Path:
    return write_vault(tmp_path / "vault", {
        "book.yml": setting,
        "Racine.md": note("# Racine\n\nVoir [[MOD_ Modèle pédagogique]], [[ENJEU_ Adaptation]], "
                          "[[SMC_ Titre donné]], [[Autre nom]], [[MOD_ Modèle pédagogique|le modèle]] "
                          "et [[CS_Modélisation_Construire un modèle]].\n",
                          child=["[[MOD_ Modèle pédagogique]]", "[[ENJEU_ Adaptation]]", "[[SMC_ Titre donné]]",
                                 "[[CS_Modélisation_Construire un modèle]]"]),
        "MOD_ Modèle pédagogique.md": note("Sans titre de niveau 1.\n", parent="[[Racine]]"),
        "ENJEU_ Adaptation.md": note("# ENJEU : Adaptation culturelle\n\nTexte.\n", parent="[[Racine]]",
                                     aliases=["Autre nom"]),
        "SMC_ Titre donné.md": note("Texte.\n", parent="[[Racine]]", title="Un titre choisi"),
        "CS_Modélisation_Construire un modèle.md": note("Texte.\n", parent="[[Racine]]"),
    })


def _xref_labels(html: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", "", label).split())
            for label in re.findall(r'class="xref"[^>]*>(.*?)</a>', html, re.S)]


def test_links_show_the_display_title_by_default(cli, tmp_path):
    result, out = _build(cli, _link_vault(tmp_path), "html")
    assert result.exit_code == 0, result.stderr
    html = " ".join((out / "racine.html").read_text(encoding="utf-8").split())
    labels = _xref_labels(html.split('id="racine', 1)[1].split("</p>", 1)[0])
    assert labels[:6] == ["Modèle pédagogique", "ENJEU : Adaptation culturelle", "Un titre choisi", "Autre nom",
                          "le modèle", "Construire un modèle"], labels
    assert ">Modèle pédagogique</h1>" in html  # the chapter a note without a heading opens


def test_links_show_the_name_as_written_with_link_text_written(cli, tmp_path):
    result, out = _build(cli, _link_vault(tmp_path, "link_text: written\ntype_prefixes: ['MOD_']\n"), "html")
    assert result.exit_code == 0, result.stderr
    html = " ".join((out / "racine.html").read_text(encoding="utf-8").split())
    labels = _xref_labels(html.split('id="racine', 1)[1].split("</p>", 1)[0])
    assert labels[:6] == ["MOD_ Modèle pédagogique", "ENJEU_ Adaptation", "SMC_ Titre donné", "Autre nom",
                          "le modèle", "CS_Modélisation_Construire un modèle"], labels
    # the configured prefixes only: CS_… keeps its name as a chapter title, MOD_ loses its prefix
    assert ">Modèle pédagogique</h1>" in html and ">CS_Modélisation_Construire un modèle</h1>" in html


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils not installed")
def test_pdf_ua_2_is_available(cli, tmp_path):
    vault = _press_vault(tmp_path, "pdf_standard: pdf/ua-2\n")
    result, out = _build(cli, vault)
    assert result.exit_code == 0, result.stderr
    info = subprocess.run(["pdfinfo", str(out / "epreuve.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^PDF version:\s+2\.0$", info, re.M) and re.search(r"^Tagged:\s+yes$", info, re.M)
    with pikepdf.open(out / "epreuve.pdf") as pdf, pdf.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "2"
