"""Conformance cases of Obsidian Markdown nested in other Markdown.

Code blocks inside callouts, list items and footnotes; links and embeds inside headings,
table cells, footnotes and callout titles; block ids after tables, lists and embeds;
setext headings, escapes, comments, and nesting deeper than the book allows. Each case
says what a reader sees, the way ``cases.py`` does.

Code is checked byte for byte: the code line ``CODE`` below carries a link to no note,
a highlight, a comment, a tag and a block id, none of which may act inside code (the
broken link would otherwise be reported); the prose after the block carries a link to
``Cible`` that must be a cross-reference.
"""

from __future__ import annotations

from cases import Case

_IN_BOOK = '---\nparent: "[[Conformité]]"\norder: 0\n'

PORTED_TARGETS: dict[str, str | bytes] = {
    # a note whose name holds a dot, as "PD5.1 Notes" or "Drawing.excalidraw.md"
    "Portés/Version 5.1 pointée.md": "# Version 5.1 pointée\n\nTexte de la version pointée.\n",
    # one name in two folders: the case notes (in Cas/) mean the one beside them
    "A/Homonyme.md": _IN_BOOK + "---\n# Homonyme\n\nL'autre, sans section Ici.\n",
    "Cas/Homonyme.md": _IN_BOOK + "---\n# Homonyme\n\n## Ici\n\nLe voisin.\n",
    # a heading holding a code span
    "Portés/Titre à code.md": _IN_BOOK + "---\n# Titre à code\n\n## Le `move` final\n\nTexte du move.\n",
    # a literature note, named after its citation key
    "Portés/@Halimi2020.md": _IN_BOOK + 'auteurs: "Halimi, Gisèle"\ntitre: "La cause des femmes"\n'
                             "Année de publication: 2020\n---\n# @Halimi2020\n\nNotes de lecture.\n",
}

CODE = "[[Absente]] ==y== %%z%% #etiq ^code-id"
AFTER = "Après le code, [[Cible]]."

_FENCES = {
    "fenced block": f"```\n{CODE}\n```",
    "tilde block": f"~~~\n{CODE}\n~~~",
    "longer fence holding ```": f"````\n```\n{CODE}\n```\n````",
}
# what the code of each kind shows, flattened: the inner fence of the longer one is code too
_SHOWN = {
    "fenced block": CODE,
    "tilde block": CODE,
    "longer fence holding ```": f"``` {CODE} ```",
    "indented block": CODE,
}
_NOT_IN_CODE = ("<mark>", 'class="tag"', "block-code-id", "[[Cible]]")
_NO_MARKERS = ("&gt; [[Absente", "&gt; Après", "&gt; &gt;", "&gt;&gt;")  # quote markers left in the code


def _quoted(text: str, depth: int) -> str:
    prefix = "> " * depth
    return "\n".join((prefix + line).rstrip() for line in text.split("\n"))


def _indented(text: str, by: int) -> str:
    return "\n".join((" " * by + line) if line else "" for line in text.split("\n"))


def _code_cases() -> list[Case]:
    cases = []
    kinds = {**_FENCES, "indented block": "    " + CODE}
    for kind, block in kinds.items():
        shown = _SHOWN[kind]
        indented = kind == "indented block"
        gap = "\n\n" if indented else "\n"  # an indented block cannot interrupt a paragraph
        # in a callout
        body = "> [!warning] Attention\n" + _quoted(f"Avant le code.{gap}{block}{gap}{AFTER}", 1)
        cases.append(Case("nested code", f"{kind} in a callout", body,
                          html=('class="callout callout-warning"', "<pre", shown,
                                'Après le code, <a href="#', 'class="xref">Cible</a>'),
                          absent=_NOT_IN_CODE + _NO_MARKERS, pdf=(CODE, "Après le code, Cible")))
        # in a callout nested in a callout
        body = ("> [!note] Dehors\n> Texte du dehors.\n> > [!tip] Dedans\n"
                + _quoted(f"Avant le code.{gap}{block}{gap}{AFTER}", 2))
        cases.append(Case("nested code", f"{kind} in a nested callout", body,
                          html=('class="callout callout-note"', 'class="callout callout-tip"', "<pre", shown,
                                'Après le code, <a href="#', 'class="xref">Cible</a>'),
                          absent=_NOT_IN_CODE + _NO_MARKERS, pdf=(CODE, "Après le code, Cible")))
        # in a list item
        body = "- Un élément avec du code :\n\n" + _indented(f"{block}\n\n{AFTER}", 2) + "\n- Élément suivant."
        cases.append(Case("nested code", f"{kind} in a list item", body,
                          html=("<li", "<pre", shown, 'Après le code, <a href="#', 'class="xref">Cible</a>',
                                "Élément suivant."),
                          absent=_NOT_IN_CODE, pdf=(CODE, "Après le code, Cible")))
        # in a footnote definition (footnotes are printed at the end of the HTML: the PDF shows them)
        body = ("Une phrase annotée[^code].\n\n[^code]: Une note avec du code :\n\n"
                + _indented(f"{block}\n\n{AFTER}", 4))
        cases.append(Case("nested code", f"{kind} in a footnote", body,
                          html=('class="footnote-ref"',), absent=("[^code]",),
                          pdf=(CODE, "Après le code, Cible")))
    return cases


def _deep_list(levels: int) -> str:
    return "\n".join("  " * k + f"- mot{k + 1:02d}" for k in range(levels))


def _deep_quote(levels: int) -> str:
    return "\n".join("> " * (k + 1) + f"mot{k + 1:02d}" for k in range(levels))


_WORDS = tuple(f"mot{k:02d}" for k in range(1, 31))

NESTED: list[Case] = [
    *_code_cases(),
    Case("nested code", "indented code keeps its brackets", "Paragraphe.\n\n    [[Cible]] et ==y==\n\nFin.",
         html=("<pre", "[[Cible]] et ==y==", "<p>Fin.</p>"), absent=('class="xref"', "<mark>")),

    # --- links and embeds inside other constructs ------------------------------------------
    Case("nested links", "link to a heading holding a code span",
         "Voir [[Titre à code#Le `move` final|move]].",
         html=('--le-move-final" class="xref">move</a>',), absent=("[[", "<code>move</code>")),
    Case("nested links", "link in a heading", "## Voir [[Cible]]\n\nTexte.",
         html=('class="xref">Cible</a></h2>',), absent=("[[",), pdf=("Voir Cible",)),
    Case("nested links", "image embed in a heading", "## Icône ![[pixel.png|16]]\n\nTexte.",
         html=("Icône <img", 'width="16"', "</h2>"), absent=("![[",), codes=("a11y.alt",)),
    Case("nested links", "links in table cells, escaped pipes",
         "| lien | section |\n| --- | --- |\n| [[Cible\\|la cible]] | [[Cible#Deuxième partie\\|la fin]] |",
         html=('class="xref">la cible</a></td>', '--deuxieme-partie" class="xref">la fin</a></td>'),
         absent=("[[", "\\|", "|")),
    Case("nested links", "image embed in a table cell, escaped pipe",
         "| image | légende |\n| --- | --- |\n| ![[pixel.png\\|20]] | un pixel |",
         html=("<td><img", 'width="20"', "<td>un pixel</td>"), absent=("![[", "\\|"), codes=("a11y.alt",)),
    Case("nested links", "link in a footnote",
         "Une phrase[^lien].\n\n[^lien]: La note renvoie à [[Cible]].",
         html=('class="footnote-ref"',), absent=("[^lien]",), pdf=("La note renvoie à Cible",)),
    Case("nested links", "image embed in a footnote",
         "Une phrase[^image].\n\n[^image]: Une image ![[pixel.png|8]] dans la note.",
         html=('class="footnote-ref"',), absent=("[^image]",), pdf=("Une image dans la note.",), codes=("a11y.alt",)),
    Case("nested links", "link in a callout title", "> [!note] Voir [[Cible]]\n> Corps de l'encadré.",
         html=('class="callout-title"', "✏️ Voir <a", 'class="xref">Cible</a>'), absent=("[[", "[!note]")),
    Case("nested links", "image embed in a callout title", "> [!tip] ![[pixel.png|16]] Astuce\n> Corps.",
         html=('class="callout-title"', "🔥 <img", 'width="16"', "Astuce"), absent=("![[", "[!tip]"), codes=("a11y.alt",)),

    # --- block ids after blocks, and links to them -----------------------------------------
    Case("nested blocks", "block id after a table",
         "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n^tab-1\n\nVoir [[{self}#^tab-1|le tableau]].",
         html=('<table tabindex="0">', '--block-tab-1" class="block"', '--block-tab-1" class="xref">le tableau</a>'),
         absent=("^tab-1",)),
    Case("nested blocks", "block id after a list",
         "- a\n- b\n\n^liste-1\n\nVoir [[{self}#^liste-1|la liste]].",
         html=("<li>a</li>", '--block-liste-1" class="block"', '--block-liste-1" class="xref">la liste</a>'),
         absent=("^liste-1",)),
    Case("nested blocks", "block id after an image embed, with a space",
         "![[pixel.png]] ^fig-1\n\nVoir [[{self}#^fig-1|la figure]].",
         html=("<img", '--block-fig-1" class="block"', '--block-fig-1" class="xref">la figure</a>'),
         absent=("^fig-1",), codes=("a11y.alt",)),
    Case("nested blocks", "block id right after an image embed",
         "![[pixel.png]]^fig-1\n\nVoir [[{self}#^fig-1|la figure]].",
         html=("<img", '--block-fig-1" class="block"', '--block-fig-1" class="xref">la figure</a>'),
         absent=("^fig-1",), codes=("a11y.alt",)),
    Case("nested blocks", "block id after an embedded note",
         "![[Dossier/Profond]] ^emb-1\n\nVoir [[{self}#^emb-1|le texte intégré]].",
         html=("Texte profond.", '--block-emb-1" class="block"', '--block-emb-1" class="xref">le texte intégré</a>'),
         absent=("^emb-1",)),

    # --- headings, escapes, comments -------------------------------------------------------
    Case("nested headings", "setext headings, one reached by a link",
         "Titre\n===\n\nTexte du titre.\n\nSous\n---\n\nTexte du sous-titre.\n\nVoir [[{self}#Sous]].",
         html=(">Titre</h2>", ">Sous</h", '--sous" class="xref">'), absent=("===", "<hr")),
    Case("nested escapes", "escaped brackets are text", "Ceci \\[\\[pas un lien\\]\\] reste du texte.",
         html=("Ceci [[pas un lien]] reste du texte.",), absent=('class="xref"', "\\[")),
    Case("nested comments", "HTML comment in a callout", "> [!note] T\n> Visible <!-- caché --> aussi.",
         html=("Visible aussi.",), absent=("caché", "&lt;!--", "<!--")),
    Case("nested comments", "HTML comment in a list item", "- un élément <!-- caché --> visible\n- deux",
         html=("un élément visible",), absent=("caché", "&lt;!--", "<!--")),
    Case("nested comments", "inline %% comment in a callout", "> [!note] T\n> Visible %%caché%% aussi.",
         html=("Visible aussi.",), absent=("caché", "%%")),
    Case("nested comments", "%% comment over several paragraphs",
         "Avant.\n\n%%Début caché.\n\nMilieu caché.\n\nFin cachée.%%\n\nAprès.",
         html=("<p>Avant.</p>", "<p>Après.</p>"), absent=("caché", "%%", "Début", "Milieu")),
    Case("nested comments", "%% comment over several paragraphs of a callout",
         "> [!note] T\n> Avant.\n>\n> %%caché\n>\n> toujours caché%%\n>\n> Après [[Cible]].",
         html=("Avant.", 'Après <a href="#', 'class="xref">Cible</a>'), absent=("caché", "%%")),

    # --- a literature note ---------------------------------------------------------------
    Case("nested links", "link to a literature note named @key", "Voir [[@Halimi2020]].",
         absent=("\\@", "[[")),

    # --- found on the Obsidian help vault ---------------------------------------------------
    Case("nested links", "an image's #fragment is a theme's hint, not part of its name",
         "![un pixel](pixel.png#interface)", html=('<img src="data:image/png;base64,', 'alt="un pixel"')),
    Case("nested links", "a link (not an embed) to an attachment prints its label",
         "Voir [[pixel.png|la capture]].", html=("Voir la capture.",), absent=("[[",)),
    Case("nested links", "a name two folders share: the linking note's own folder wins",
         "Voir [[Homonyme#Ici]].", html=('--ici" class="xref">Homonyme &gt; Ici</a>',)),

    # --- found in review: each of these once printed the wrong thing -----------------------
    Case("nested blocks", "an id ending a callout's body line names the callout",
         "> [!note] T\n> corps ^cb\n\nVoir [[{self}#^cb|l'encadré]].",
         html=('--block-cb" class="block"> <div class="callout callout-note"', '--block-cb" class="xref">l’encadré</a>'),
         absent=("^cb",)),
    Case("nested links", "a heading inside a callout is reached by its link",
         "> [!note] T\n> ## Dedans\n> texte\n\nVoir [[{self}#Dedans|dedans]].",
         html=('--dedans" class="xref">dedans</a>', '--dedans">Dedans</h2>')),
    Case("nested footnotes", "a footnote called in another footnote: a mark there, its text kept",
         "Un[^a].\n\n[^a]: A renvoie à [^b].\n[^b]: Texte de la note intérieure.",
         pdf=("Texte de la note intérieure.",)),
    Case("nested links", "a wikilink with no target is text", "Rien : [[]] et [[#]].", html=("Rien : [[]] et [[#]].",)),
    Case("nested blocks", "callout metadata after a pipe is not its type", "> [!note|wide] Large\n> corps",
         html=('class="callout callout-note"', "Large")),
    Case("nested blocks", "an embedded item of a numbered list keeps its number",
         "1. un\n2. deux ^ord\n\n![[{self}#^ord]]", html=('<ol start="2"', "deux")),
    Case("nested blocks", "one block id twice: reported, the first is the target",
         "Premier ^dup\n\nSecond ^dup\n\nVoir [[{self}#^dup|le premier]].",
         html=('--block-dup" class="xref">le premier</a>',), codes=("block.duplicate",)),
    Case("nested links", "a parenthesised field ends at its parenthesis, whatever follows",
         "Durée (Durée:: trois jours) puis la suite ==marquée==[^n].\n\n[^n]: Note.",
         html=('<span class="field">trois jours</span> puis la suite <mark>marquée</mark>',)),
    Case("nested links", "a note whose name holds a dot is embedded as a note", "![[Version 5.1 pointée]]",
         html=("Texte de la version pointée.",)),
    Case("nested links", "a file named in a frontmatter field is no broken link", "Texte.",
         front='cover: "[[pixel.png]]"'),
    Case("nested links", "a relative Markdown link to a note", "Voir [la cible](../Cible.md).",
         html=('class="xref">la cible</a>',)),

    # --- broken links inside other constructs, and in code ---------------------------------
    Case("nested broken", "broken link in a callout", "> [!note] T\n> Voir [[Absente dans un encadré]].",
         html=("Voir Absente dans un encadré.",), absent=("[[",), codes=("link.unresolved",)),
    Case("nested broken", "broken link in a table cell",
         "| a | b |\n| --- | --- |\n| [[Absente en cellule]] | 1 |",
         html=("<td>Absente en cellule</td>",), absent=("[[",), codes=("link.unresolved",)),
    Case("nested broken", "broken link in a footnote", "Texte[^x].\n\n[^x]: Voir [[Absente en note]].",
         pdf=("Voir Absente en note.",), codes=("link.unresolved",)),
    Case("nested broken", "broken link in a code block: no diagnostic", "```\n[[Absente en code]]\n```",
         html=("[[Absente en code]]",), absent=('class="xref"',)),

    # --- nesting deeper than the book allows ------------------------------------------------
    # (kept last, without ``absent``: the last case's HTML chunk runs to the end of the book, footnotes included)
    Case("nested depth", "a list 30 levels deep", _deep_list(30), html=_WORDS, codes=("structure.depth",)),
    Case("nested depth", "a quote 30 levels deep", _deep_quote(30), html=_WORDS, codes=("structure.depth",)),
]
