"""French typography: each rule and each exception, on small ASTs read and written by pandoc.

A paragraph of Markdown is read by pandoc, typeset, and written back as an HTML fragment:
what the book's writers would print. ``·`` in an expected string stands for the narrow
no-break space (U+202F), ``~`` for the no-break space (U+00A0).
"""

from __future__ import annotations

import pytest

from miena_book.export import pandoc
from miena_book.export.typography import french_spacing, is_french, typeset, typeset_text

NARROW, NO_BREAK = "\u202f", "\u00a0"


def shown(expected: str) -> str:
    return expected.replace("·", NARROW).replace("~", NO_BREAK)


def typeset_html(markdown: str, language: str = "fr-FR") -> str:
    ast = typeset(pandoc.read_markdown(markdown), language)
    return pandoc.write(ast, "html5", ["--wrap=none"]).decode("utf-8").strip().removeprefix("<p>").removesuffix("</p>")


# --- the rules, where the author typed a space ----------------------------------------------

@pytest.mark.parametrize(("written", "expected"), [
    ("Vraiment ; oui", "Vraiment·; oui"),
    ("Vraiment ! oui", "Vraiment·! oui"),
    ("Vraiment ? oui", "Vraiment·? oui"),
    ("Exemple : voici", "Exemple~: voici"),
    ("« Bonjour »", "«·Bonjour·»"),
    ("Un taux de 50 %.", "Un taux de 50~%."),
    ("Il court 10 km en 2 h pour 5 $.", "Il court 10~km en 2~h pour 5~$."),
    ("Une foule de 10 000 personnes, 1 234 567,5 euros.", "Une foule de 10·000 personnes, 1·234·567,5 euros."),
    ("Un budget de 1\u202f000 000 $", "Un budget de 1·000·000~$"),  # half typed with a narrow space
    ("L'école et aujourd'hui", "L’école et aujourd’hui"),
], ids=["semicolon", "exclamation", "question", "colon", "guillemets", "percent", "units", "digit-groups",
        "digit-groups-half-typed", "apostrophe"])
def test_each_rule_where_a_space_was_typed(written, expected):
    assert typeset_html(written) == shown(expected)


@pytest.mark.parametrize(("written", "expected"), [
    ("Vraiment; oui", "Vraiment·; oui"),
    ("Vraiment!", "Vraiment·!"),
    ("Quoi?!", "Quoi·?!"),  # a compound mark is spaced before its first sign
    ("Quoi…?", "Quoi…?"),  # …? is one compound mark: no space between its signs
    ("«Bonjour»", "«·Bonjour·»"),
    ("«Quoi?»", "«·Quoi·?·»"),
    ("Exemple: voici", "Exemple~: voici"),
    ("Exemple:", "Exemple~:"),
    ("Il est 10:30, ratio 2:1", "Il est 10:30, ratio 2:1"),  # a colon followed by text is not punctuation
    ("x?y et a;b", "x?y et a;b"),  # a mark followed by a letter does not end a clause
    ("Un taux de 50%.", "Un taux de 50~%."),
    ("Le code %20 reste", "Le code %20 reste"),
    ("10km", "10km"),  # no space is ever added between a number and a unit (4G, A4, mp3)
], ids=["semicolon", "exclamation", "compound", "ellipsis", "guillemets", "guillemets-question", "colon",
        "colon-at-end", "time-ratio", "inside-words", "percent", "percent-code", "unit-unspaced"])
def test_where_no_space_was_typed(written, expected):
    assert typeset_html(written) == shown(expected)


def test_a_space_already_typed_is_never_doubled():
    written = "Mot\u00a0: un\u202f; deux \u00a0? trois\u2009! «\u00a0quatre »\n\ncinq\u00a0\u00a0%"
    ast = typeset(pandoc.read_markdown(written), "fr")
    html = pandoc.write(ast, "html5", ["--wrap=none"]).decode("utf-8")
    assert shown("Mot~: un·; deux·? trois·! «·quatre·»") in html and shown("cinq~%") in html


def test_a_line_end_before_a_mark_becomes_the_no_break_space():
    assert typeset_html("Il dit\n; oui, puis\n? non") == shown("Il dit·; oui, puis·? non")


def test_a_space_is_found_across_inline_containers():
    written = "**Note** : *vraiment* ; [le lien](#x) ? « **gras** » et ~~barré~~ !"
    assert typeset_html(written) == shown(
        '<strong>Note</strong>~: <em>vraiment</em>·; <a href="#x">le lien</a>·? «·<strong>gras</strong>·» '
        "et <del>barré</del>·!")


def test_a_mark_after_code_math_or_a_footnote_call_is_spaced():
    html = typeset_html("La commande `ls` : fin ; $x$ ? et une note[^1] ! \n\n[^1]: Texte ; suite.")
    assert shown("<code>ls</code>~: fin·; <span") in html
    assert shown("</span>·? et une note") in html
    assert shown("</a>·!") in html or shown("</sup></a>·!") in html
    assert shown("Texte·; suite.") in html  # the footnote's own text


# --- the exceptions -------------------------------------------------------------------------

def test_code_math_and_code_blocks_keep_their_text():
    written = "Voir `a ; b : c ? « d »` et $x : y ; z$\n\n```\nif (a) { b ; c ? d : e } « f »\n```\n"
    ast = typeset(pandoc.read_markdown(written), "fr-CA")
    para, block = ast["blocks"]
    assert para["c"][2] == {"t": "Code", "c": [["", [], []], "a ; b : c ? « d »"]}
    assert para["c"][-1] == {"t": "Math", "c": [{"t": "InlineMath"}, "x : y ; z"]}
    assert block["c"][1] == "if (a) { b ; c ? d : e } « f »"


def test_urls_in_text_and_link_targets_are_left_as_written():
    written = "Voir <https://x.org/a?b=1;c=%20d> et www.exemple.org/?q=1;r, [ici](https://y.org/?q=1;r) !"
    ast = typeset(pandoc.read_markdown(written), "fr")
    html = pandoc.write(ast, "html5", ["--wrap=none"]).decode("utf-8")
    assert '<a href="https://x.org/a?b=1;c=%20d">https://x.org/a?b=1;c=%20d</a>' in html
    assert "www.exemple.org/?q=1;r," in html
    assert shown('<a href="https://y.org/?q=1;r">ici</a>·!') in html


def test_attributes_raw_html_and_image_descriptions_are_left_as_written():
    ast = pandoc.read_markdown("[Quoi ?]{#a .b data-x=\"Oui ? non : 10 %\"} et ![Image : vue ?](data:image/png;"
                               "base64,AA \"Titre : x ?\") <sup>e</sup> : fin")
    typeset_ast = typeset(ast, "fr")
    span, image = typeset_ast["blocks"][0]["c"][0], typeset_ast["blocks"][0]["c"][4]
    assert span["c"][0] == ["a", ["b"], [["data-x", "Oui ? non : 10 %"]]]
    assert [node.get("c") for node in span["c"][1]] == ["Quoi", shown("·"), "?"]
    assert image == ast["blocks"][0]["c"][4]  # alt text and title are attributes in HTML
    html = pandoc.write(typeset_ast, "html5", ["--wrap=none"]).decode("utf-8")
    assert shown("<sup>e</sup>~: fin") in html  # a kept tag is formatting: the rule sees through it


def test_citations_are_typeset_in_their_formatted_text():
    cite = {"t": "Cite", "c": [[{"citationId": "k", "citationPrefix": [], "citationSuffix": [],
                                 "citationMode": {"t": "NormalCitation"}, "citationNoteNum": 1,
                                 "citationHash": 0}],
                               [{"t": "Str", "c": "(Bloom,"}, {"t": "Space"}, {"t": "Str", "c": "1985;"},
                                {"t": "Space"}, {"t": "Str", "c": "Gagné)"}]]}
    ast = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [{"t": "Para", "c": [cite]}]}
    assert typeset(ast, "fr")["blocks"][0]["c"][0]["c"][1][2] == {"t": "Str", "c": shown("1985·;")}


def test_quotes_pandoc_writes_do_not_stop_the_rules():
    assert typeset_html('Il dit "oui" ; puis "non" : fin') == shown("Il dit “oui”·; puis “non”~: fin")


@pytest.mark.parametrize("line_break", [{"t": "LineBreak"}, {"t": "RawInline", "c": ["html", "<br />"]}])
def test_nothing_is_set_at_the_start_of_a_line(line_break):
    # white space after a line break is not rendered: a no-break space there would indent the line
    inlines = [{"t": "Str", "c": "Ligne"}, line_break, {"t": "Space"}, {"t": "Str", "c": "?"}, line_break,
               {"t": "Str", "c": "«"}, {"t": "Space"}, line_break, {"t": "Str", "c": ":"}]
    ast = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [{"t": "Para", "c": inlines}]}
    assert typeset(ast, "fr")["blocks"][0]["c"] == inlines


def test_the_ast_given_is_not_changed():
    ast = pandoc.read_markdown("Mot ; mot")
    before = repr(ast)
    typeset(ast, "fr")
    assert repr(ast) == before


# --- languages ------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["fr", "fr-CA", "fr-FR", "FR-be", "fr-CH"])
def test_every_french_variant_gets_the_rules(language):
    assert is_french(language)
    assert typeset_html("Quoi ? « Oui » : non ; 10 %", language) == shown("Quoi·? «·Oui·»~: non·; 10~%")


@pytest.mark.parametrize("language", ["en", "en-US", "de-DE", "frr", "es"])
def test_other_languages_get_none(language):
    ast = pandoc.read_markdown("Quoi ? « Oui » : non ; 10 %")
    assert typeset(ast, language) is ast
    assert typeset_text("Quoi ? l'été", language) == "Quoi ? l'été"


# --- plain text -----------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "expected"), [
    ("« {title} » : note du répertoire", "«·{title}·»~: note du répertoire"),
    ("Guide de conception d'un ENA : quoi ?", "Guide de conception d’un ENA~: quoi·?"),
    ("~:", "~:"),  # the field colon, already set
    ("Voir https://x.org/?a=1;b", "Voir https://x.org/?a=1;b"),
    ("", ""),
])
def test_plain_text_gets_the_same_rules(written, expected):
    assert french_spacing(shown(written)) == shown(expected)
