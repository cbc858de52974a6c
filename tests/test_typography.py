"""French typography in the built book: a small French vault of tricky cases, built with the
real engines, read back as a reader meets it (the HTML, each XHTML file of the EPUB, the
PDF's text), and the same vault in English, which gets none of it."""

from __future__ import annotations

import html as html_module
import re
import shutil
import subprocess
import zipfile

import pytest
from conftest import note, write_vault
from typography_counts import reader_text, spacing_faults

from miena_book.cli import main

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"),
                                   reason="poppler-utils not installed (scripts/bootstrap installs it)")

CODE_BLOCK = "if (a) { b ; c ? d : e } « f » 50 % l'x"
CODE_SPAN = "a ; b : c ? « d »"
URL = "https://exemple.org/a?b=1;c=d!e:f"
# a paragraph where a breakable space before a mark would, somewhere, end a printed line
CHAIN = " ".join(f"Le mot {i} : un autre ; encore ? oui ! « cité » et {i} %." for i in range(40))

BIBLIOGRAPHY = """@book{dupont2020,
  title = {Concevoir un cours : pourquoi ? comment !},
  author = {Dupont, Marie},
  year = {2020},
  publisher = {Presses de l'Université}
}

@article{martin2019,
  title = {Connectivism: A Learning Theory},
  author = {Martin, Louis},
  year = {2019},
  journal = {Revue ; savoirs},
  volume = {45}
}
"""

GUIDE = f"""# Guide

Avec espaces : deux-points ; point-virgule ! exclamation ? question « guillemets » et 50 %.
Sans espace: ici; là! quoi?! vraiment…? «serrés» et 30%.
Il court 10 km en 2 h ; une foule de 10 000 personnes.
Il est 10:30, ratio 2:1 ; voir {URL} et <https://exemple.org/x?y=1;z>.
L'école d'aujourd'hui ; **gras** : *italique* ; [lien externe](https://exemple.org/?q=1;r) ? [[Note B]] : renvoi.
Du code `{CODE_SPAN}` et des maths $x : y ; z$ ; fin. Une note[^1] : suite.

{CHAIN}

[^1]: Texte de la note ; avec « citation » !

> [!note] Titre de l'encadré : vraiment ?
> Contenu ; de l'encadré !

| Colonne : un | Colonne ; deux |
|---|---|
| cellule ? | « cellule » |

Régulation:: [[Note B]]
Exemple :: une valeur ; avec « guillemets »

Une citation [@dupont2020] : et une autre [@martin2019, p. 12] ; fin.

```
{CODE_BLOCK}
```
"""

VAULT = {
    "Guide.md": note(GUIDE, summary="Un résumé : vraiment ?", type="Chapitre"),
    "Note B.md": note("# Note B\n\nUne note ; liée : oui !\n", parent="[[Guide]]", sibling="[[Guide]]",
                      type="Modèle"),
    "references.bib": BIBLIOGRAPHY,
}


def run_build(root, out, *extra):
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["build", str(root), "-o", str(out), *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    book = {**VAULT, "book.yml": "title: 'Guide : typographie ?'\nsubtitle: \"Sous-titre ; l'essai\"\n"
                                 "language: fr-FR\n"}
    root = write_vault(tmp_path_factory.mktemp("fr") / "vault", book)
    run_build(root, root.parent / "out")
    return root.parent / "out" / "guide-typographie"


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    book = {**VAULT, "book.yml": "title: 'Guide : typographie ?'\nlanguage: en-US\n"}
    root = write_vault(tmp_path_factory.mktemp("en") / "vault", book)
    run_build(root, root.parent / "out", "--format", "html,epub")
    return root.parent / "out" / "guide-typographie"


def page_text(path) -> str:
    """The page's text, each run of ordinary white space (pandoc wraps its lines) one space."""
    return re.sub(r"[ \n]+", " ", reader_text(open(path, encoding="utf-8").read()))


def xhtml_files(stem) -> dict[str, str]:
    with zipfile.ZipFile(f"{stem}.epub") as epub:
        return {name: epub.read(name).decode("utf-8") for name in epub.namelist() if name.endswith(".xhtml")}


def test_no_breakable_or_doubled_space_beside_a_french_mark_in_html_or_epub(french):
    assert spacing_faults(reader_text(open(f"{french}.html", encoding="utf-8").read())) == {}
    assert {name: spacing_faults(reader_text(text)) for name, text in xhtml_files(french).items()
            if spacing_faults(reader_text(text))} == {}
    # and the rules were at work: every kind of mark is held to its word
    page = page_text(f"{french}.html")
    for held in ("espaces\u00a0: deux-points\u202f; point-virgule\u202f! exclamation\u202f? question "
                 "«\u202fguillemets\u202f» et 50\u00a0%", "Sans espace\u00a0: ici\u202f; là\u202f! quoi\u202f?! "
                 "vraiment…? «\u202fserrés\u202f» et 30\u00a0%", "10\u00a0km en 2\u00a0h\u202f;",
                 "10\u202f000 personnes", "Il est 10:30, ratio 2:1\u202f;", "L’école d’aujourd’hui\u202f;",
                 "Texte de la note\u202f; avec «\u202fcitation\u202f»\u202f!",
                 "Titre de l’encadré\u00a0: vraiment\u202f?", "Colonne\u00a0: un", "cellule\u202f?", "Un résumé\u00a0: vraiment\u202f?"):
        assert held in page, held


def test_generated_text_is_typeset_too(french):
    page = page_text(f"{french}.html")
    assert "Guide\u00a0: typographie\u202f?" in page  # the title: <title>, the title block, the TOC
    assert "Sous-titre\u202f; l’essai" in page
    assert "Concevoir un cours\u00a0: Pourquoi\u202f? Comment\u202f!" in page  # a formatted reference
    assert "Connectivism\u00a0: A learning theory" in page  # the style sets it in sentence case
    assert re.search("Voir aussi\u00a0: ", page)  # a relation's label and the field colon
    epub = xhtml_files(french)
    assert any("Guide\u00a0: typographie\u202f?" in reader_text(text) for text in epub.values())
    with zipfile.ZipFile(f"{french}.epub") as archive:
        package = next(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".opf"))
    assert "<dc:title id=\"epub-title-1\">Guide\u00a0: typographie\u202f?</dc:title>" in package


def test_code_keeps_its_bytes_and_urls_stay_whole(french):
    for name, markup in [("html", open(f"{french}.html", encoding="utf-8").read()),
                         *xhtml_files(french).items()]:
        codes = [html_module.unescape(code) for code in re.findall(r"<code[^>]*>(.*?)</code>", markup, re.S)]
        links = {(html_module.unescape(href), html_module.unescape(re.sub("<[^>]+>", "", text)))
                 for href, text in re.findall(r"<a\s+href=\"([^\"]*)\"[^>]*>(.*?)</a>", markup, re.S)}
        if name == "html" or CODE_BLOCK in codes:
            assert CODE_BLOCK in codes and CODE_SPAN in codes, name
            assert (URL, URL) in links and ("https://exemple.org/?q=1;r", "lien externe") in links, name


@needs_poppler
def test_the_printed_lines_never_start_with_a_mark(french):
    text = subprocess.run(["pdftotext", "-layout", f"{french}.pdf", "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Le mot 39 : un autre" in " ".join(text.split())  # the long paragraph, over many lines
    starts = [line for line in text.splitlines() if re.match(r"\s*[;!?:»%]", line) or re.search(r"«\s*$", line)]
    assert starts == []
    assert CODE_BLOCK in text  # the code block, printed as written


def without_bibliography(markup: str) -> str:
    # pandoc's citeproc itself sets U+202F before ? and ! in the titles of its CSL JSON
    # input, whatever the book's language: the entries are pandoc's, not ours
    return re.sub(r'<div id="ref-[^"]*" class="csl-entry".*?</div>', "", markup, flags=re.S)


def test_an_english_book_gets_no_french_spacing(english):
    page = open(f"{english}.html", encoding="utf-8").read()
    assert "\u202f" not in without_bibliography(page)
    assert "\u202f" not in without_bibliography("".join(xhtml_files(english).values()))
    assert "Avec espaces : deux-points ; point-virgule" in page_text(f"{english}.html")
