"""The index and the glossary on a small vault of edge cases, built with the real engines:
what a reader finds in the HTML, the EPUB and the PDF."""

import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import note, write_vault

from miena_book.cli import main

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"),
                                   reason="poppler-utils not installed (scripts/bootstrap installs it)")

VAULT = {
    "Guide.md": note("# Guide\n\nUn modèle pédagogique décrit les activités.\n",
                     child=["[[Chapitre]]", "[[Glossaire]]"]),
    "Chapitre.md": note(
        "# Chapitre\n\n"
        "## Le modèle en titre\n\n"
        "Le `modèle` en code n'est pas un terme, ni $modèle$ en maths.\n\n"
        "Voir [[Guide|le modèle pédagogique du guide]] : un lien.\n\n"
        "Les modèles pédagogiques, puis un modèle seul, puis (modèles), l'œuvre, une Odyssée, l'ordre.\n\n"
        "Le mot MOT : le MOT est un langage ; une taxonomie, des taxonomies et l'Éducation.\n",
        parent="[[Guide]]", index=["modèle", "modèle pédagogique", "œuvre", "Odyssée", "ordre", "Éducation"]),
    "Glossaire.md": note("# Glossaire\n\n- **MOT** : modélisation par objets typés.\n"
                         "- **Langage** : ce que le MOT est.\n- **Activité** : ce que l'on fait. **Acte** : un geste.\n",
                         parent="[[Guide]]", type="Glossaire"),
    "Taxonomie.md": note("# Taxonomie\n\nUn classement des connaissances.\n", parent="[[Glossaire]]",
                         type="Définition", aliases=["classification"]),
}


def run_build(root, out, *extra):
    from click.testing import CliRunner

    return CliRunner().invoke(main, ["build", str(root), "-o", str(out), *extra], catch_exceptions=False)


class Reader(HTMLParser):
    """Every id, every internal link, and the text of each index-term span and glossary link."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (href, class)
        self.stack: list[tuple[str, dict]] = []
        self.terms: list[tuple[str, bool]] = []  # (text, inside a link)
        self.first_uses: list[tuple[str, str]] = []  # (text, href)
        self.in_code = 0
        self.code_terms = 0
        self.headings_with_terms = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href", "").startswith(("#", "ch")):
            self.links.append((attrs["href"], attrs.get("class") or ""))
        self.stack.append((tag, {**attrs, "text": ""}))

    def handle_endtag(self, tag):
        while self.stack:
            name, attrs = self.stack.pop()
            classes = (attrs.get("class") or "").split()
            if "index-term" in classes:
                inside_link = any(n == "a" and "glossary-term" not in (a.get("class") or "") for n, a in self.stack)
                self.terms.append((attrs["text"], inside_link))
                if any(n in ("code", "h1", "h2", "h3") for n, _ in self.stack):
                    self.code_terms += 1
            if name == "a" and "glossary-term" in classes:
                self.first_uses.append((attrs["text"], attrs["href"]))
            if name == tag:
                break

    def handle_data(self, data):
        for _, attrs in self.stack:
            attrs["text"] += data


def read(markup: str) -> Reader:
    reader = Reader()
    reader.feed(markup)
    return reader


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_vault(tmp_path_factory.mktemp("v") / "vault", VAULT)
    out = root.parent / "out"
    result = run_build(root, out)
    assert result.exit_code == 0, result.output
    return result, out / "guide"


def _flat(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def test_terms_are_found_where_a_reader_reads_them_and_nowhere_else(built):
    html = (built[1].parent / "guide.html").read_text(encoding="utf-8")
    reader = read(html)
    texts = [_flat(text) for text, _ in reader.terms]
    # longest wins: « modèle pédagogique » is one term, plurals included (its use inside a link below)
    assert texts.count("modèle pédagogique") == 1 and texts.count("modèles pédagogiques") == 1
    assert "modèle" in texts and "modèles" in texts  # the word alone, and in parentheses
    # never in code, math or a heading; in a link's label, yes
    assert reader.code_terms == 0
    assert "<code>modèle</code>" in html
    # inside a link, the link itself is the occurrence's place (an id on the <a>)
    assert any("modèle pédagogique" in _flat(re.sub(r"<[^>]+>", "", label))
               for label in re.findall(r'<a [^>]*id="ix-\d+"[^>]*>(.*?)</a>', html, re.S))
    # a sigle keeps its case: « mot » is a word, « MOT » the term
    assert texts.count("MOT") == 3 and "mot" not in texts
    assert {"œuvre", "Odyssée", "ordre", "Éducation", "taxonomie", "taxonomies"} <= set(texts)
    # one-letter terms and words inside other words are not terms
    assert "l'œuvre" not in texts and "(modèles)" not in texts


def test_wrapping_keeps_every_word_of_the_note(built):
    html = (built[1].parent / "guide.html").read_text(encoding="utf-8")
    text = _flat(re.sub(r"<[^>]+>", "", html))
    for sentence in ("Les modèles pédagogiques, puis un modèle seul, puis (modèles), l'œuvre, une Odyssée, l'ordre.",
                     "Le mot MOT : le MOT est un langage ; une taxonomie, des taxonomies et l'Éducation."):
        assert sentence in text


def test_glossary_is_sorted_with_anchors_and_first_uses_link_to_them(built):
    html = (built[1].parent / "guide.html").read_text(encoding="utf-8")
    reader = read(html)
    glossary = html[html.index('<div class="glossary">'):]
    glossary = glossary[:glossary.index("</dl>")]
    terms = re.findall(r'<dt><span id="([^"]+)"\s+class="glossary-entry">([^<]+)</span></dt>', glossary)
    assert [label for _, label in terms] == ["Acte", "Activité", "Langage", "MOT"]  # French order, case last
    assert all(anchor in reader.ids for anchor, _ in terms)
    # each term's first use outside the glossary links to its definition, once, not inside another link
    used = {_flat(text): href for text, href in reader.first_uses}
    mot = next(anchor for anchor, label in terms if label == "MOT")
    assert used["MOT"] == "#" + mot
    assert [href for _, href in reader.first_uses].count("#" + mot) == 1
    # one note per term: its title and aliases are the term, its heading the definition
    taxonomy = re.search(r'<h\d[^>]*id="(taxonomie-[^"]+)"', html).group(1)
    assert used["taxonomie"] == "#" + taxonomy
    # « activités », the plural of a glossary term, first used in the guide's opening
    assert used["activités"].endswith("--def-activite")


def test_index_lists_every_term_in_french_order_by_letter_with_working_links(built):
    html = (built[1].parent / "guide.html").read_text(encoding="utf-8")
    reader = read(html)
    index = html[html.index('id="book-index"'):]
    letters = re.findall(r'index-letter"[^>]*>([^<]+)<', index)
    labels = re.findall(r'class="index-label">([^<]+)<', index)
    assert letters == sorted(letters) and {"E", "M", "O", "T"} <= set(letters)
    o_group = [label for label in labels if label[0] in "oOœ"]
    assert o_group == ["Odyssée", "œuvre", "ordre"]  # œ sorts as « oe »
    m_group = [label for label in labels if label[0] in "mM"]
    assert m_group == ["modèle", "modèle pédagogique", "MOT"]
    assert "Éducation" in labels and letters.index("E") < letters.index("M")
    links = re.findall(r'<a\s+href="#([^"]+)"\s+class="index-link">', index)
    assert links and all(target in reader.ids for target in links)
    assert '<h1 class="unnumbered note index" id="book-index">Index</h1>' in html


def test_epub_index_links_resolve_to_ids_of_its_chapters(built):
    with zipfile.ZipFile(str(built[1]) + ".epub") as epub:
        pages = {name.rsplit("/", 1)[-1]: epub.read(name).decode("utf-8") for name in epub.namelist()
                 if name.endswith(".xhtml")}
    index_page = next(text for text in pages.values() if 'id="book-index"' in text)
    targets = re.findall(r'<a href="([^"#]+)#([^"]+)" class="index-link">', index_page)
    assert targets
    for page, identifier in targets:
        assert f'id="{identifier}"' in pages[page], (page, identifier)


@needs_poppler
def test_pdf_index_lists_the_pages_of_the_occurrences(built):
    pdf = str(built[1]) + ".pdf"
    pages = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    index_page = next(n for n, page in enumerate(pages) if page.lstrip().startswith("Index")
                      or "\nIndex\n" in page[:200])
    text = " ".join(pages[index_page].split())
    entry = re.search(r"Odyssée, (\d+)", text)
    assert entry, text
    # printed numbers: page 1 is the body's first, after the front matter (i, ii, …)
    front = json.loads(Path(str(built[1]) + ".manifest.json").read_text(encoding="utf-8"))["pdf"]["front_matter_pages"]
    assert "Odyssée" in pages[front + int(entry.group(1)) - 1]
    toc = " ".join(pages[1].split())
    listed = re.search(r"\bIndex (?:\. ?){5,} ?(\d+)", toc)
    assert listed and listed.group(1) == str(index_page + 1 - front), toc


def test_index_off_gives_no_index_and_keeps_the_glossary(tmp_path):
    root = write_vault(tmp_path / "vault", {**VAULT, "book.yml": "index: false\n"})
    result = run_build(root, tmp_path / "out", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "guide.html").read_text(encoding="utf-8")
    assert 'id="book-index"' not in html and 'class="index-term"' not in html
    assert '<div class="glossary">' in html and 'class="glossary-term"' in html


def test_index_key_of_the_wrong_type_warns_with_file_and_line(tmp_path, cli):
    root = write_vault(tmp_path / "vault", {
        "Guide.md": "---\ntitle: Guide\nindex:\n  terme: autre\n---\nUn terme.\n",
        "Autre.md": "---\nparent: '[[Guide]]'\nmots:\n  - [liste, dans, liste]\n---\nTexte.\n",
        "book.yml": "index_key: mots\n",
    })
    result = cli("check", root)
    assert "Autre.md:3: warning: 'mots' (index terms) should be a list of text or one text" in result.stdout
    assert "Guide.md" not in result.stdout  # 'index' is not the configured key: an ordinary field
    built = run_build(root, tmp_path / "out", "--format", "html")
    assert built.exit_code == 0 and "Autre.md:3: warning:" in built.stderr
