"""Conformance cases ported from public test suites of other Obsidian tools.

Each case takes the idea and the input of a case of another project's suite, rewritten in
our own words (mostly in French) against our shared notes (``cases.TARGETS``) or the few
notes of ``PORTED_TARGETS`` below; what a reader must see is stated the way ``cases.py``
states it. A comment above each case names the file it comes from.

Attribution
===========

Cases marked [OE] are adapted from the test data of obsidian-export
(https://github.com/zoni/obsidian-export, folder ``tests/testdata``, read at commit
ba5beecf4278f38b54e732d8a86ff2615af87b48), under the BSD-2-Clause-Patent licence:

    Copyright (c) Nick Groenen <nick@groenen.me>

    Redistribution and use in source and binary forms, with or without
    modification, are permitted provided that the following conditions are met:

        1. Redistributions of source code must retain the above copyright notice,
           this list of conditions and the following disclaimer.
        2. Redistributions in binary form must reproduce the above copyright
           notice, this list of conditions and the following disclaimer in the
           documentation and/or other materials provided with the distribution.

    Subject to the terms and conditions of this license, each copyright holder and
    contributor hereby grants to those receiving rights under this license a
    perpetual, worldwide, non-exclusive, no-charge, royalty-free, irrevocable
    (except for failure to satisfy the conditions of this license) patent license
    to make, have made, use, offer to sell, sell, import, and otherwise transfer
    this software, where such license applies only to those patent claims, already
    acquired or hereafter acquired, licensable by such copyright holder or
    contributor that are necessarily infringed by:

        (a) their Contribution(s) (the licensed copyrights of copyright holders and
            non-copyrightable additions of contributors, in source or binary form)
            alone; or
        (b) combination of their Contribution(s) with the work of authorship to
            which such Contribution(s) was added by such copyright holder or
            contributor, if, at the time the Contribution is added, such addition
            causes such combination to be necessarily infringed. The patent license
            shall not apply to any other combinations which include the Contribution.

    Except as expressly stated above, no rights or licenses from any copyright
    holder or contributor is granted under this license, whether expressly, by
    implication, estoppel or otherwise.

    DISCLAIMER

    THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
    ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
    WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
    DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDERS OR CONTRIBUTORS BE LIABLE
    FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
    DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
    SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
    CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
    OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
    OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.

Cases marked [DG] are adapted from the test vault ``src/dg-testVault`` of
obsidian-digital-garden and its expected snapshot ``src/test/snapshot/snapshot.md``
(and one from ``src/compiler/createBlockIDs.test.ts``)
(https://github.com/oleeskild/obsidian-digital-garden, read at commit
f2e525796d3c108224e2fd3d1fa361f07349c8c1), under the MIT licence:

    MIT License

    Copyright (c) 2022 Ole Eskild Steensen

    Permission is hereby granted, free of charge, to any person obtaining a copy
    of this software and associated documentation files (the "Software"), to deal
    in the Software without restriction, including without limitation the rights
    to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
    copies of the Software, and to permit persons to whom the Software is
    furnished to do so, subject to the following conditions:

    The above copyright notice and this permission notice shall be included in all
    copies or substantial portions of the Software.

    THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
    IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
    FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
    AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
    LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
    OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
    SOFTWARE.

Cases marked [CO] are adapted from the tests (``test/callout.test.ts``,
``test/admonition.test.ts``, ``test/options.test.ts``) of markdown-it-obsidian-callouts
(https://github.com/ebullient/markdown-it-obsidian-callouts, read at commit
522b26bdb732004db11ce9a16eb1815118700c72), Copyright (c) Erin Schnabel (ebullient),
licensed under the Apache License, Version 2.0 (not MIT, as its repository's LICENSE file
shows); a copy of the licence is at https://www.apache.org/licenses/LICENSE-2.0.
Changes: only the inputs' ideas were kept; the notes are rewritten, and the expectations
restated as what miena-book's reader sees (not that plugin's HTML structure).
"""

from __future__ import annotations

from cases import Case

_IN_BOOK = '---\nparent: "[[Conformité]]"\norder: 0\n---\n'

_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">'
    '<circle cx="12" cy="10" r="6" fill="#fc0"/><rect x="9" y="17" width="6" height="4" fill="#888"/></svg>\n'
)

PORTED_TARGETS: dict[str, str | bytes] = {
    # [OE] input/main-samples/note-with-frontmatter.md
    "Portés/Avec entête.md": "---\nClé: valeur-cachée\n---\n\nNote avec entête.\n",
    # [OE] input/main-samples/note-with-headings.md
    "Portés/Titres.md": (
        "# Titre\n\nPremier paragraphe.\n\nSection\n\n"
        "Ne supprimez pas le paragraphe « Section » ci-dessus : seul un vrai titre compte.\n\n"
        "## Section\n\nDeuxième paragraphe.\n\n### Sous-section\n\n- Un\n- Deux\n- Trois\n\n"
        "## Section\n\nCette section porte aussi le nom Section.\n"
    ),
    # [OE] input/main-samples/bulb.svg
    "Portés/img/bulbe.svg": _SVG,
    # [OE] input/infinite-recursion/Note A.md, Note B.md, Note C.md
    "Portés/Cycle A.md": "Cette note (A) intègre B :\n\n![[Cycle B]]\n",
    "Portés/Cycle B.md": "Cette note (B) intègre C :\n\n![[Cycle C]]\n",
    "Portés/Cycle C.md": "Cette note (C) intègre A :\n\n![[Cycle A]]\n\nFin de la note C.\n",
    # [OE] input/non-ascii/Nöte with 'quotes'.md
    "Portés/Nöte avec 'apostrophes'.md": _IN_BOOK + "Cette note porte des apostrophes dans son nom.\n",
    # [OE] input/same-filename-different-directories/dir1/Note.md, dir2/Note.md
    "Portés/dir1/Homonyme.md": _IN_BOOK + "Homonyme du dossier 1.\n",
    "Portés/dir2/Homonyme.md": _IN_BOOK + "Homonyme du dossier 2.\n",
    # [DG] 0 QA hell/Empty file.md
    "Portés/Vide.md": "",
    # [DG] 0 QA hell/0 File with headers.md (it ends with a block id and no newline)
    "Portés/Entêtes.md": (
        "\n\nAu-dessus du titre\n## Titre\n\nCe texte est sous le titre\n\n## Autre titre\n\n"
        "Ce texte ne devrait pas être intégré avec le titre\n\n\n\nFromage ^897989"
    ),
    # [DG] 0 QA hell/1 File with bookmarked block.md
    "Portés/Bloc marqué.md": (
        "\n\nJe ne sais honnêtement pas ce que sont les blocs, mais voici du fromage : \n\nfromage ^c954d2"
    ),
    # [DG] 0 QA hell/File with code blocks.md
    "Portés/Blocs de code.md": (
        "\n```js\nconst asdf = 0\nasdf++\n```\n\n```json\n{\n\tgotta: \"love-dat-josn\"\n}\n```\n\n"
        "```\nceci est juste du texte\n```\n\n`bonus en une ligne`\n"
    ),
    # [DG] L Languages/Chinese.md (in Greek here: CJK glyphs depend on the fonts installed, pdf.glyph)
    "Portés/Grec.md": (
        "\nVoici un titre en grec seulement\n#  Λύση\n\nCeci doit être visible en intégrant le titre ci-dessus\n\n\n"
        "# Χρήση\nCeci ne doit pas être visible dans une intégration\n"
    ),
    # [DG] L Links/02 Header with special character.md
    "Portés/Deux-points.md": (
        "# Un titre: avec deux-points\nCorps sous le titre\n\n# Un autre titre\nHors de l'intégration\n"
    ),
}

_CODE = "```\nDans un bloc :\n[[Cible]]\n```"

PORTED: list[Case] = [
    # --- obsidian-export [OE] --------------------------------------------------------------
    # [OE] input/main-samples/obsidian-wikilinks.md: the same note whatever the case of its name
    Case("links", "OE: the same target written in two cases", "Lien vers [[Cible]] et le même [[CIBLE]].",
         # both reach the same note and show its title (link_text: title)
         html=('class="xref">Cible</a> et le même <a',), absent=("[[", 'class="xref">CIBLE</a>')),
    # [OE] input/main-samples/obsidian-wikilinks.md: a heading link, its default label
    Case("links", "OE: heading link labelled 'note > heading'", "Lien vers [[Cible#Deuxième partie]].",
         html=('--deuxieme-partie" class="xref">Cible &gt; Deuxième partie</a>',)),
    # [OE] input/main-samples/obsidian-wikilinks.md: a heading link with a label
    Case("links", "OE: heading link with a label", "Lien vers [[Cible#Deuxième partie|la suite]].",
         html=('--deuxieme-partie" class="xref">la suite</a>',)),
    # [OE] input/main-samples/obsidian-wikilinks.md: links in backticks and in a code block stay
    Case("links", "OE: links in backticks and in a code block stay as written",
         "Lien en code : `[[Cible]]`\n\n" + _CODE,
         html=("<code>[[Cible]]</code>", "Dans un bloc : [[Cible]]"), absent=('class="xref"',)),
    # [OE] input/main-samples/obsidian-wikilinks.md: an unclosed link, then regular text
    Case("links", "OE: unclosed link then regular text", "[[lien non fermé\n\nTexte normal.",
         html=("[[lien non fermé", "<p>Texte normal.</p>"), absent=('class="xref"',)),
    # [OE] input/main-samples/issue-188-wikilinks-need-trimming.md: spaces around the target
    Case("links", "OE: spaces around the target are trimmed",
         "[[Cible]]\n[[ Cible]]\n[[Cible ]]\n[[    Cible    ]]",
         html=('class="xref">Cible</a>',), absent=("[[", 'xref"> Cible', "Cible </a>")),
    # [OE] input/main-samples/issue-188-wikilinks-need-trimming.md: spaces around a labelled target
    Case("links", "OE: spaces around a labelled target are trimmed",
         "[[Cible|cible]]\n[[ Cible|cible]]\n[[Cible |cible]]\n[[    Cible    |cible]]",
         html=('class="xref">cible</a>',), absent=("[[",)),
    # [OE] input/main-samples/issue-188-wikilinks-need-trimming.md: spaces around a block reference
    Case("links", "OE: spaces around a block reference are trimmed",
         "[[Cible#^intro]]\n[[Cible#^intro ]]\n[[Cible#^intro |Cible > ^intro]]\n[[ Cible#^intro ]]",
         html=('--block-intro" class="xref">Cible &gt; ^intro</a>',), absent=("[[",)),
    # [OE] input/main-samples/wikilinks-with-formatting-symbols.md: markup in a label
    Case("links", "OE: emphasis markers in a label are the label's text",
         "Ce lien a un libellé mis en forme : [[Cible|Exemple **gras**, *italique* ou ~~barré~~]]",
         html=('class="xref">Exemple **gras**, *italique* ou ~~barré~~</a>',), absent=("<strong>", "<del>")),
    # [OE] input/main-samples/section-ref-a.md: heading and block of the same note
    Case("links", "OE: same-note heading and block references",
         "[[#Ceci est un titre]]\n\n[[#^dda637|le bloc]]\n\n## Ceci est un titre\n\nCeci est un bloc ^dda637",
         html=('--ceci-est-un-titre" class="xref">Ceci est un titre</a>', '--block-dda637" class="xref">le bloc</a>',
               '--block-dda637" class="block"', "Ceci est un bloc</p>"),
         absent=("^dda637",)),
    # [OE] input/main-samples/section-ref-b.md: heading and block of another note, one paragraph
    Case("links", "OE: another note's heading and block on two lines",
         "[[Cible#Deuxième partie]]\n[[Cible#^intro]]",
         html=('class="xref">Cible &gt; Deuxième partie</a>', '--block-intro" class="xref">Cible &gt; ^intro</a>')),
    # [OE] input/non-ascii/Link.md and Embed.md: a file name with a diaeresis and apostrophes
    Case("links", "OE: link and embed of a name with ö and apostrophes",
         "Cette note renvoie à [[Nöte avec 'apostrophes']] :\n\n![[Nöte avec 'apostrophes']]",
         html=('class="xref">Nöte avec ', "Cette note porte des apostrophes dans son nom."), absent=("[[",)),
    # [OE] input/same-filename-different-directories/Note.md: two notes of the same name
    Case("links", "OE: same file name in two folders, told apart by path",
         "[[Portés/dir1/Homonyme|la note de dir1]] :\n\n![[Portés/dir1/Homonyme]]\n\n"
         "[[Portés/dir2/Homonyme|la note de dir2]] :\n\n![[Portés/dir2/Homonyme]]",
         html=('class="xref">la note de dir1</a>', "Homonyme du dossier 1.",
               'class="xref">la note de dir2</a>', "Homonyme du dossier 2.")),
    # [OE] input/main-samples/embeds.md: a whole note, its frontmatter left out
    Case("embeds", "OE: embedded note without its frontmatter", "Cette note en intègre une autre.\n\n![[Avec entête]]",
         html=("Note avec entête.",), absent=("valeur-cachée", "Clé")),
    # [OE] input/main-samples/embeds.md: an embed in a quote
    Case("embeds", "OE: embedded note in a quote", "> ![[Avec entête]]",
         html=("<blockquote>", "Note avec entête."), absent=("![[",)),
    # [OE] input/main-samples/embeds.md: an embed of no note
    Case("embeds", "OE: embed of a missing note", "![[note inexistante]]", codes=("embed.missing",)),
    # [OE] input/main-samples/embeds.md: an SVG image
    Case("embeds", "OE: SVG image", "Image :\n\n![[bulbe.svg]]", html=("<img",), absent=("![[",), codes=("a11y.alt",)),
    # [OE] input/main-samples/embeds.md: a PDF file
    Case("embeds", "OE: PDF file", "PDF :\n\n![[guide.pdf]]", html=("📎 guide.pdf",), codes=("embed.file",)),
    # [OE] input/main-samples/embeds.md: embed syntax in backticks and in a code block
    Case("embeds", "OE: embeds in backticks and in a code block stay as written",
         "Référence en code : `![[Avec entête]]`\n\n```\nEt dans un bloc :\n![[Avec entête]]\n```",
         html=("<code>![[Avec entête]]</code>", "Et dans un bloc : ![[Avec entête]]"),
         absent=("Note avec entête.",)),
    # [OE] input/main-samples/embeds.md: "![[Not a valid embed.]" is text
    Case("embeds", "OE: a single closing bracket is not an embed", "![[Pas un embed valide.]",
         html=("![[Pas un embed valide.]",)),
    # [OE] input/main-samples/partial-embed-at-EOF.md
    Case("embeds", "OE: unclosed embed at the end of the note", "![[Embed partiel",
         html=("![[Embed partiel",)),
    # [OE] input/main-samples/embeds.md: a Markdown image is an image, no embed
    Case("embeds", "OE: Markdown image with a vault path",
         "![une image, pas un embed](Annexes/img/pixel.png)",
         html=('<img src="data:image/png;base64,', 'alt="une image, pas un embed"'), absent=("![",)),
    # [OE] input/main-samples/embeds-partial-note.md + note-with-headings.md: the first real heading
    Case("embeds", "OE: section embed takes the first heading of that name, with its subsections",
         "![[Titres#Section]]",
         html=("Deuxième paragraphe.", "Sous-section", "<li>Deux</li>"),
         absent=("Premier paragraphe.", "Ne supprimez pas", "porte aussi le nom")),
    # [OE] input/infinite-recursion/Note A.md: A embeds B embeds C embeds A
    Case("embeds", "OE: a three-note embed cycle is cut once",
         "![[Cycle A]]",
         html=("Cette note (A) intègre B", "Cette note (B) intègre C", "Cette note (C) intègre A",
               "Fin de la note C.")),
    # [OE] input/main-samples/pure-markdown-examples.md: a quote of several paragraphs
    Case("quotes", "OE: quote of several paragraphs",
         "> Citation, ligne 1.\n>\n> Citation, ligne 2.\n> Citation, ligne 3.",
         html=("<blockquote>", "<p>Citation, ligne 1.</p>", "<p>Citation, ligne 2. Citation, ligne 3.</p>"),
         absent=("callout",)),
    # [OE] input/main-samples/pure-markdown-examples.md: an ordered list
    Case("lists", "OE: ordered list", "1. Un\n2. Deux\n3. Trois", html=("<ol", "<li>Un</li>", "<li>Trois</li>")),
    # [OE] input/main-samples/pure-markdown-examples.md: a table with an empty header cell
    Case("tables", "OE: table with an empty header cell",
         "| Tableau |     |\n| ----- | --- |\n| Foo   | Bar |",
         html=("<th>Tableau</th>", "<td>Foo</td>", "<td>Bar</td>"), absent=("| Foo",)),
    # [OE] input/main-samples/pure-markdown-examples.md: a footnote reference after a space
    Case("footnotes", "OE: footnote reference after a space",
         "Paragraphe avec du texte.\nEt une note [^fn1].\n\n[^fn1]: Note de bas de page",
         html=('class="footnote-ref"',), absent=("[^fn1]",), pdf=("Note de bas de page",)),
    # [OE] input/postprocessors/hard_linebreaks.md: code keeps its dashes and indentation
    Case("code", "OE: code keeps its double dashes",
         "Une autre citation :\n\n```\nCinemuck, n.:\n\tThe combination of popcorn, soda, and melted chocolate which\n"
         "\tcovers the floors of movie theaters.\n\t\t-- Rich Hall, Sniglets\n```",
         html=("<pre", "Cinemuck, n.:", "-- Rich Hall, Sniglets"), absent=("– Rich Hall",),
         pdf=("-- Rich Hall, Sniglets",)),
    # [OE] input/main-samples/math.md: inline and display math
    Case("math", "OE: inline math and one-line display math",
         "Des `$` pour des mathématiques en ligne : $\\sqrt{3x-1}+(1+x)^2$\n\n"
         "La même expression en bloc :\n$$\\sqrt{3x-1}+(1+x)^2$$",
         html=("<math", 'display="block"'), absent=("$$", "$\\sqrt")),
    # [OE] input/main-samples/math.md (issue 14): square brackets in math are no link
    Case("math", "OE: square brackets in math",
         "Avec des crochets (en ligne) : $[0, 2\\pi]$\n\nAvec des crochets (bloc) :\n$$[0, 2\\pi]$$",
         html=("<math", 'display="block"'), absent=("$[0", "$$", 'class="xref"')),
    # [OE] input/main-samples/math.md: an HTML comment holding a URL, a paragraph right below
    Case("comments", "OE: HTML comment with a URL, then a paragraph on the next line",
         "<!-- https://github.com/zoni/obsidian-export/issues/14 -->\nTexte juste en dessous.",
         html=("Texte juste en dessous.",), absent=("github.com", "&lt;!--", "issues/14")),
    # [OE] input/main-samples/alert.md: GitHub alerts, upper case
    Case("callouts", "OE: GitHub alerts in capitals",
         "> [!NOTE]\n> Note en citation\n\n> [!TIP]\n> Astuce en citation\n\n"
         "> [!IMPORTANT]\n> Important en citation\n\n> [!WARNING]\n> Avertissement en citation\n\n"
         "> [!CAUTION]\n> Prudence en citation",
         html=('class="callout callout-note"', "✏️ Note", 'class="callout callout-tip"', "🔥 Tip", "🔥 Important",
               'class="callout callout-warning"', "⚠️ Warning", "⚠️ Caution", "Prudence en citation"),
         absent=("[!", "callout-custom", "<blockquote")),

    # --- obsidian-digital-garden [DG] ------------------------------------------------------
    # [DG] 0 QA hell/Break links + transclusions.md: a space before the pipe
    Case("links", "DG: space before the label's pipe", "[[Cible | un libellé après une espace]]",
         html=('class="xref">un libellé après une espace</a>',), absent=("[[", "|")),
    # [DG] 001 Links.md: a label starting with a space
    Case("links", "DG: label starting with a space", "[[Cible| Lien aliasé vers la cible]]",
         html=('class="xref">Lien aliasé vers la cible</a>',), absent=("[[",)),
    # [DG] 0 QA hell/Break links + transclusions.md: an empty note embedded with an odd alias
    Case("embeds", "DG: empty note embedded with spaces and a second pipe in its alias",
         "Espaces et barre dans le nom :\n\n![[Vide|         espaces.   | quoi donc]]\n\nSuite.",
         html=("Suite.",), absent=("![[", "quoi donc", "espaces.")),
    # [DG] 0 QA hell/Break links + transclusions.md: hashes in an embed's alias make no heading nor tag
    Case("embeds", "DG: hashes in an embed's alias",
         "Des dièses dans le titre :\n\n![[Vide|## ## je pensais avoir réglé ça ## plus tôt #lol]]\n\nSuite.",
         html=("Suite.",), absent=("#lol", 'class="tag"', "réglé", "<h2", "<h3")),
    # [DG] 0 QA hell/Break links + transclusions.md: a heading that does not exist
    Case("embeds", "DG: embed of a heading that does not exist", "![[Entêtes#quidam]]",
         html=("Entêtes#quidam",), absent=("Au-dessus du titre", "Fromage"), codes=("embed.heading",)),
    # [DG] E Embeds/Transclusions/T4 Transcluded header.md: one heading and its text
    Case("embeds", "DG: embed of a heading and its text",
         "Ci-dessous, un titre et une ligne de texte :\n![[Entêtes#Titre]]",
         html=("Titre</h", "Ce texte est sous le titre"),
         absent=("Au-dessus du titre", "ne devrait pas être intégré", "Fromage")),
    # [DG] E Embeds/Transclusions/T3 Transcluded block.md: one block only
    Case("embeds", "DG: embed of one block", "Ci-dessous, seulement « fromage » :\n\n![[Bloc marqué#^c954d2]]",
         html=("fromage",), absent=("honnêtement", "^c954d2")),
    # [DG] 0 QA hell/0 File with headers.md: a whole note whose last line is a block id, no newline
    Case("embeds", "DG: embed of a note ending with a block id and no newline", "![[Entêtes]]",
         html=("Au-dessus du titre", "Ce texte est sous le titre", "Fromage"), absent=("^897989",)),
    # [DG] 009 Comments.md: a comment as the last thing of the note
    Case("comments", "DG: comment at the end of the note",
         "Seul contenu visible de cette page\n\n%% ILS NE ME TROUVERONT JAMAIS !!  %%",
         html=("Seul contenu visible de cette page",), absent=("TROUVERONT", "%%")),
    # [DG] 012 Callouts.md: a folded callout holding a callout
    Case("callouts", "DG: folded callout holding another callout",
         "> [!info]- celui-ci est replié par défaut\n> > [!success] et contient un autre encadré\n"
         "> > tout est possible :)",
         html=('class="callout callout-info"', 'class="callout callout-success"', "tout est possible"),
         absent=("[!",), pdf=("tout est possible",)),
    # [DG] 012 Callouts.md: a dataview query in a callout stays code, with a notice
    Case("callouts", "DG: dataview block in a callout",
         "> [!info] Celui-ci contient une requête\n> ```dataview\n> list\n> from \"012 Callouts\"\n> ```",
         html=('class="callout callout-info"', "<pre", "list from"), absent=("```", "&gt; list"),
         codes=("code.unrendered",)),
    # [DG] 012 Callouts.md: a note full of code blocks embedded in a callout
    Case("callouts", "DG: note with code blocks embedded in a callout",
         "> [!success] celui-ci intègre une note\n> ![[Blocs de code]]",
         html=('class="callout callout-success"', "ceci est juste du texte", "<code>bonus en une ligne</code>",
               "asdf"),
         absent=("![[", "```")),
    # [DG] 015 Code blocks.md: template code with ^ids at line ends is left alone
    Case("code", "DG: template code block unchanged",
         "Ces blocs ne doivent pas changer.\n\n```jinja2\n{{ highlight_text }}{% if highlight_location %} "
         "({{highlight_location}}){% endif %} ^rwhi{{highlight_id}}\n{% if highlight_note %}\n"
         "{{ highlight_note }} ^rwhi{{highlight_id}}-note\n{% endif %}\n```",
         html=("<pre",), absent=("block-rwhi",),
         pdf=("({{highlight_location}}){% endif %} ^rwhi{{highlight_id}}", "{{ highlight_note }} ^rwhi{{highlight_id}}-note")),
    # [DG] 015 Code blocks.md: a Markdown code block ending with a block id
    Case("code", "DG: Markdown code block ending with a block id",
         "```md\nUn florilège est un recueil d'extraits. "
         "([via](https://fr.wikipedia.org/wiki/Floril%C3%A8ge)) ^rwhi724352030\n```",
         html=("<pre", "^rwhi724352030"), absent=("block-rwhi724352030", 'class="xref"'),
         pdf=("^rwhi724352030",)),
    # [DG] 015 Code blocks.md: embed syntax in a code block; a block id outside
    Case("code", "DG: embed syntax in a code block, a block id after it",
         "```\nCe bloc contient une intégration.\nRegardez : ![[Dossier/Profond]]\n```\n\n"
         "Et hors du code, un identifiant de bloc : foobar ^test-123",
         html=("Regardez : ![[Dossier/Profond]]", "un identifiant de bloc : foobar</p>", '--block-test-123" class="block"'),
         absent=("Texte profond.", "^test-123")),
    # [DG] src/compiler/createBlockIDs.test.ts: ids in code stay, ids of paragraphs become anchors
    Case("blocks", "DG: block ids in code are not anchors",
         "```\nun bloc de code qui porte un identifiant :\nle voici : ^block-id-1234\n```\n\n"
         "Hors du code, par exemple ^block-id-9999\n\net ^block-id-0000",
         html=("le voici : ^block-id-1234", '--block-block-id-9999" class="block"',
               '--block-block-id-0000" class="block"'),
         absent=("--block-block-id-1234", "^block-id-9999", "^block-id-0000")),
    # [DG] E Embeds/Transclusions/T6 transclusion inside codeblock.md
    Case("embeds", "DG: embed syntax in inline code and in a fenced block",
         "`![[Dossier/Profond]]`\n\n```\n![[Dossier/Profond]]\n```",
         html=("<code>![[Dossier/Profond]]</code>", "![[Dossier/Profond]]</code></pre>"),
         absent=("Texte profond.", 'class="embed"')),
    # [DG] E Embeds/E07 Image with alt attributes.md: alt text then width
    Case("embeds", "DG: image with alt text and width",
         "Une image de 200 px, texte alternatif « center » :\n![[pixel.png|center|200]]\n\n"
         "Une image, texte alternatif « left » :\n![[pixel.png|left]]",
         html=('alt="center"', 'width="200"', 'alt="left"'), absent=("![[", "|")),
    # [DG] E Embeds/E08 Images in tables.md: the size after an escaped pipe in a table cell
    Case("tables", "DG: resized image in a table cell",
         "| Image | Nom |\n| ----- | ---- |\n| ![[pixel.png\\|100]] | redimensionnée |\n"
         "| ![[pixel.png]] | taille réelle |",
         html=('<table tabindex="0">', 'width="100"', "<td>redimensionnée</td>", "<td>taille réelle</td>"),
         absent=("![[", "\\|", "100]]"), codes=("a11y.alt",)),
    # [DG] L Languages/Transclude Headers.md + Chinese.md: a heading in another script, written "#  解决"
    Case("embeds", "DG: embed of a non-Latin heading written with two spaces", "![[Grec#Λύση]]",
         html=("Ceci doit être visible en intégrant le titre ci-dessus",),
         absent=("Ceci ne doit pas être visible", "Voici un titre en grec")),
    # [DG] L Links/01 Link to header.md: same-note heading, with and without a label
    Case("links", "DG: same-note heading link, with and without a label",
         "## Un titre\n\nLe lien vers ce titre doit être converti : [[#Un titre]]\n\n"
         "Avec un libellé : [[#Un titre|libellé choisi]]",
         html=('--un-titre" class="xref">Un titre</a>', '--un-titre" class="xref">libellé choisi</a>')),
    # [DG] L Links/01 Link to header.md: a heading with a colon, embedded by its link form
    Case("embeds", "DG: embed of a heading with a colon, written without it",
         "![[Deux-points#Un titre avec deux-points]]",
         html=("Corps sous le titre",), absent=("Hors de l", "Un autre titre"), codes=()),

    # --- markdown-it-obsidian-callouts [CO] ------------------------------------------------
    # [CO] test/callout.test.ts: "normal blockquote unchanged"
    Case("callouts", "CO: a plain quote stays a quote", "> Ceci est une citation normale",
         html=("<blockquote>", "Ceci est une citation normale"), absent=("callout",)),
    # [CO] test/callout.test.ts: "callout"
    Case("callouts", "CO: type only, default title", "> [!note]\n> Ceci est une note",
         html=('class="callout callout-note"', "✏️ Note", "Ceci est une note"), absent=("[!note]", "<blockquote")),
    # [CO] test/callout.test.ts: "callout with fold"
    Case("callouts", "CO: folded, no title", "> [!note]-\n> Ceci est une note repliée",
         html=('class="callout callout-note"', "✏️ Note", "Ceci est une note repliée"), absent=("[!note]", "✏️ -"),
         pdf=("Ceci est une note repliée",)),
    # [CO] test/callout.test.ts: "callout with fold and title"
    Case("callouts", "CO: unfolded with a title", "> [!note]+ Titre\n> Ceci est une note",
         html=('class="callout callout-note"', "✏️ Titre"), absent=("[!note]", "+ Titre")),
    # [CO] test/callout.test.ts: "callout with trailing whitespace"; test/options.test.ts: unknown type, note icon
    Case("callouts", "CO: unknown type with trailing spaces, note's icon",
         "> [!whitespace]   \n> Encadré suivi d'espaces",
         html=('callout-custom callout-whitespace', "✏️ Whitespace", "Encadré suivi d"), absent=("[!", "<br")),
    # [CO] test/callout.test.ts: "callout with title"; test/options.test.ts: warning icon
    Case("callouts", "CO: warning with a title", "> [!warning] Titre\n> Un encadré avec un titre",
         html=('class="callout callout-warning"', "⚠️ Titre"), absent=("[!warning]",)),
    # [CO] test/callout.test.ts: "callout with title and trailing whitespace"
    Case("callouts", "CO: title with trailing spaces",
         "> [!whitespace] Titre et espaces   \n> Un encadré dont le titre finit par des espaces",
         html=("✏️ Titre et espaces",), absent=("[!", "<br")),
    # [CO] test/callout.test.ts: "nested callout"
    Case("callouts", "CO: nested callout with emphasis",
         "> [!note] titre\n> Bonjour *le monde* !\n> > [!WARNING] un avertissement\n"
         "> > Voici un encadré **imbriqué**",
         html=('class="callout callout-note"', "✏️ titre", "Bonjour <em>le monde</em> !",
               'class="callout callout-warning"', "⚠️ un avertissement", "Voici un encadré <strong>imbriqué</strong>"),
         absent=("[!", "<blockquote")),
    # [CO] test/callout.test.ts: "nested callout with markdown" (markup in titles)
    Case("callouts", "CO: markup in titles",
         "> [!note] **un titre fort**\n> Bonjour *le monde* !\n> > [!WARNING] ***un avertissement fort et italique***\n"
         "> > Un encadré **imbriqué**",
         html=("<strong>un titre fort</strong>", "un avertissement fort et italique</", "<em>le monde</em>"),
         absent=("**", "[!")),
    # [CO] test/callout.test.ts: "nested callout with inner fold"
    Case("callouts", "CO: nested callout folded inside an open one",
         "> [!note] titre\n> Bonjour !\n> > [!WARNING]- un avertissement\n> > Un avertissement replié, imbriqué",
         html=('class="callout callout-note"', 'class="callout callout-warning"', "⚠️ un avertissement",
               "Un avertissement replié, imbriqué"),
         absent=("[!", "- un avertissement"), pdf=("Un avertissement replié, imbriqué",)),
    # [CO] test/callout.test.ts: "indented callout"
    Case("callouts", "CO: callouts indented in list items",
         "1. Voici une liste\n\n    > [!WARNING]\n    > Un avertissement en retrait\n\n"
         "    2. Voici une liste\n        > [!NOTE]\n        > Une note en retrait\n\n"
         "Plus de texte\n\n## Un intertitre\n\n> [!TIP]\n> Une astuce\n\nAutre texte",
         html=('class="callout callout-warning"', "⚠️ Warning", "Un avertissement en retrait",
               'class="callout callout-note"', "✏️ Note", "Une note en retrait",
               'class="callout callout-tip"', "🔥 Tip", "Une astuce", "<li"),
         absent=("[!", "<blockquote")),
    # [CO] test/callout.test.ts: "indented folded callout"
    Case("callouts", "CO: folded callouts indented in list items",
         "1. Voici une liste\n\n    > [!WARNING]-\n    > Un avertissement caché, en retrait\n\n"
         "    2. Voici une liste\n        > [!NOTE]+ En retrait\n        > Une note en retrait\n\n"
         "Plus de texte\n\n## Un intertitre\n\n> [!TIP]-\n> Une astuce cachée\n\nAutre texte",
         html=("⚠️ Warning", "Un avertissement caché, en retrait", "✏️ En retrait", "Une note en retrait",
               "🔥 Tip", "Une astuce cachée"),
         absent=("[!", "<blockquote"), pdf=("Un avertissement caché, en retrait", "Une astuce cachée")),
    # [CO] test/admonition.test.ts: "normal fenced block remains unchanged"
    Case("callouts", "CO: a fenced block is no callout",
         "```js\nconsole.log(\"Bonjour, le monde !\");\n```",
         html=("<pre", "console"), absent=("callout",)),
]
