"""The Obsidian conformance cases: a small note each, and what a reader sees of it.

Every case is a note of one fixture vault, built once with the real engines. A case
names what its chunk of the HTML must contain (``html``) or must not (``absent``), what
the PDF's text must show (``pdf``), and the diagnostic codes its note must produce, all
of them and no other (``codes``). Strings are compared with runs of whitespace made one
space; ``{self}`` in a body is the case note's own name. The vault's shared notes (``TARGETS``) are what the cases link to and embed.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


@dataclass(frozen=True)
class Case:
    category: str
    name: str
    body: str
    html: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    pdf: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    front: str = ""  # extra frontmatter lines of the case's note


TARGETS = {
    "Cible.md": """---
parent: "[[Conformité]]"
order: 0
aliases: [Autre nom]
---
# Cible

Paragraphe d'ouverture de la cible. ^intro

## 📌 Première partie
Texte de la première partie.

### Sous-partie
Texte de la sous-partie. ^sous-bloc

## Étape 1 : plan
Texte de l'étape.

- élément un
- élément deux

^liste

| col A | col B |
| --- | --- |
| 1 | 2 |

^tableau

## Deuxième partie
Fin de la cible avec [[Dossier/Profond]].
""",
    "Dossier/Profond.md": '---\nparent: "[[Conformité]]"\norder: 0\n---\n# Profond\n\nTexte profond.\n',
    "Espace nom.md": '---\nparent: "[[Conformité]]"\norder: 0\n---\n# Espace nom\n\nTexte.\n',
    "Cafe\u0301.md": '---\nparent: "[[Conformité]]"\norder: 0\n---\n# Café\n\nNote au nom décomposé (NFD).\n',
    "Hors livre.md": "# Hors livre\n\nCette note n'est pas dans le livre.\n",
    "Boucle A.md": '---\nparent: "[[Conformité]]"\norder: 0\n---\n# Boucle A\n\nA dit bonjour.\n\n![[Boucle B]]\n',
    "Boucle B.md": '---\nparent: "[[Conformité]]"\norder: 0\n---\n# Boucle B\n\nB répond.\n\n![[Boucle A]]\n',
    "Imbrique 1.md": "# Imbrique 1\n\nNiveau un.\n\n![[Imbrique 2]]\n",
    "Imbrique 2.md": "# Imbrique 2\n\nNiveau deux.\n\n![[Imbrique 3]]\n",
    "Imbrique 3.md": "# Imbrique 3\n\nNiveau trois, le plus profond.\n",
    "Annexes/img/pixel.png": PNG,
    "Annexes/guide.pdf": b"%PDF-1.4\n%fake\n",
}

CASES = [
    # --- links ---------------------------------------------------------------------------
    Case("links", "plain", "Voir [[Cible]].", html=('class="xref">Cible</a>',), pdf=("Voir Cible (p.",)),
    Case("links", "label", "Voir [[Cible|la cible]].", html=('class="xref">la cible</a>',)),
    Case("links", "empty label", "Voir [[Cible|]].", html=('class="xref">Cible</a>',)),
    Case("links", "heading", "Voir [[Cible#📌 Première partie]].",
         html=('--premiere-partie" class="xref">Cible &gt; 📌 Première partie</a>',)),
    Case("links", "heading with colon written as Obsidian writes it", "Voir [[Cible#Étape 1  plan]].",
         html=('--etape-1-plan" class="xref">',)),
    Case("links", "heading case-insensitive", "Voir [[Cible#deuxième PARTIE]].",
         html=('--deuxieme-partie" class="xref">',)),
    Case("links", "nested heading", "Voir [[Cible#📌 Première partie#Sous-partie|la sous-partie]].",
         html=('--sous-partie" class="xref">la sous-partie</a>',)),
    Case("links", "nested heading with wrong parent", "Voir [[Cible#Deuxième partie#Sous-partie]].",
         html=('class="xref">',), codes=("link.heading",)),
    Case("links", "unknown heading", "Voir [[Cible#Nulle part]].", html=('class="xref">Cible &gt; Nulle part</a>',),
         codes=("link.heading",)),
    Case("links", "same-note heading", "## Ici\n\nTexte.\n\nRetour à [[#Ici]].",
         html=('--ici" class="xref">Ici</a>',)),
    Case("links", "block", "Voir [[Cible#^sous-bloc|ce bloc]].", html=('--block-sous-bloc" class="xref">ce bloc</a>',)),
    Case("links", "unknown block", "Voir [[Cible#^absent]].", html=('class="xref">Cible &gt; ^absent</a>',),
         codes=("link.block",)),
    Case("links", "folder path", "Voir [[Dossier/Profond]].", html=('class="xref">Profond</a>',)),
    Case("links", "with .md", "Voir [[Cible.md|cible]].", html=('class="xref">cible</a>',)),
    Case("links", "alias", "Voir [[Autre nom]].", html=('class="xref">Autre nom</a>',)),
    Case("links", "case-insensitive name", "Voir [[cible]].", html=('class="xref">Cible</a>',)),
    Case("links", "NFD file name, NFC link", "Voir [[Café]].", html=('class="xref">Café</a>',)),
    Case("links", "trailing spaces in target", "Voir [[Cible  |  la cible  ]].", html=('class="xref">la cible</a>',)),
    Case("links", "the same unresolved link on several lines", "Un [[Absente]].\n\nDeux [[Absente]].",
         codes=("link.unresolved",)),
    Case("links", "unresolved", "Voir [[Inexistante]].", html=("Voir Inexistante.",), absent=('class="xref"',),
         codes=("link.unresolved",)),
    Case("links", "outside the book", "Voir [[Hors livre]].", html=("Voir Hors livre.",), absent=('class="xref"',),
         codes=("link.outside-book",)),
    Case("links", "markdown link to a note", "Voir [la cible](Cible.md).", html=('class="xref">la cible</a>',)),
    Case("links", "markdown link with %20 and heading", "Voir [ici](Espace%20nom.md#Espace%20nom).",
         html=('class="xref">ici</a>',)),
    Case("links", "markdown link in angle brackets", "Voir [ici](<Espace nom.md>).", html=('class="xref">ici</a>',)),
    Case("links", "external URL untouched", "Voir [le site](https://example.org/a#b).",
         html=('<a href="https://example.org/a#b">le site</a>',)),
    Case("links", "escaped pipe in a table", "| lien | n |\n| --- | --- |\n| [[Cible\\|la cible]] | 1 |",
         html=('<td><a href="#', 'class="xref">la cible</a></td>')),
    Case("links", "link inside inline code untouched", "Le code `[[Cible]]` reste.", html=("<code>[[Cible]]</code>",),
         absent=('class="xref"',)),
    Case("links", "link inside a code block untouched", "```\n[[Cible]] et #tag\n```",
         html=("[[Cible]] et #tag",), absent=('class="xref"',)),
    Case("links", "unclosed brackets", "Texte [[Cible sans fin.", html=("Texte [[Cible sans fin.",)),
    Case("links", "nested brackets", "Texte [[[Cible]]] fin.", html=('class="xref">Cible</a>',)),
    Case("links", "heading with emoji in the label", "[[Cible#📌 Première partie|📌 partie]]",
         html=('class="xref">📌 partie</a>',)),
    Case("links", "attribute syntax in an unresolved name stays text", "Voir [[Nulle{.callout .callout-danger}]].",
         html=("Nulle{.callout .callout-danger}",), absent=('class="callout',), codes=("link.unresolved",)),
    Case("links", "markup characters in a label stay text", "[[Cible|*pas* d'italique_ ici]]",
         html=("*pas* d’italique_ ici</a>",)),

    # --- embeds --------------------------------------------------------------------------
    Case("embeds", "whole note", "Avant.\n\n![[Dossier/Profond]]\n\nAprès.", html=('class="embed"', "Texte profond.")),
    Case("embeds", "section", "![[Cible#📌 Première partie]]",
         html=("Texte de la première partie.", "Texte de la sous-partie."), absent=("Texte de l’étape.",)),
    Case("embeds", "section headings shifted below the landing point", "## Point\n\n![[Cible#📌 Première partie]]",
         html=("📌 Première partie</h3>", "Sous-partie</h4>", 'class="unlisted embedded"')),
    Case("embeds", "nested section", "![[Cible#📌 Première partie#Sous-partie]]", html=("Texte de la sous-partie.",),
         absent=("Texte de la première partie.",)),
    Case("embeds", "block paragraph", "![[Cible#^intro]]", html=("Paragraphe d’ouverture de la cible.",),
         absent=("^intro",)),
    Case("embeds", "block list", "![[Cible#^liste]]", html=("<li>élément un</li>",), absent=("Texte de l’étape",)),
    Case("embeds", "block table", "![[Cible#^tableau]]", html=("<th>col A</th>",)),
    Case("embeds", "unknown heading", "![[Cible#Rien]]", html=("Cible#Rien",), codes=("embed.heading",)),
    Case("embeds", "unknown block", "![[Cible#^rien]]", html=("Cible#^rien",), codes=("embed.block",)),
    Case("embeds", "missing note", "![[Personne]]", html=("Personne",), codes=("embed.missing",)),
    Case("embeds", "itself", "Moi.\n\n![[{self}]]", html=("Moi.",), codes=("embed.cycle",)),
    Case("embeds", "embeds of embeds", "![[Imbrique 1]]",
         html=("Niveau un.", "Niveau deux.", "Niveau trois, le plus profond.")),
    Case("embeds", "embedded text keeps its links", "![[Cible#Deuxième partie]]",
         html=('class="xref">Profond</a>',)),
    Case("embeds", "image by name", "![[pixel.png]]", html=('<img src="data:image/png;base64,',), codes=("a11y.alt",)),
    Case("embeds", "image with width", "![[pixel.png|300]]", html=('width="300"',), codes=("a11y.alt",)),
    Case("embeds", "image with width and height", "![[pixel.png|300x200]]", html=('width="300"', 'height="200"'), codes=("a11y.alt",)),
    Case("embeds", "image by relative path", "![[Annexes/img/pixel.png]]", html=('<img src="data:image/png;base64,',), codes=("a11y.alt",)),
    Case("embeds", "image with alt text", "![[pixel.png|un pixel rouge]]", html=('alt="un pixel rouge"',)),
    Case("embeds", "missing image", "![[absente.png]]", html=("absente.png",), absent=("<img",),
         codes=("embed.missing",)),
    Case("embeds", "pdf file", "![[guide.pdf]]", html=("📎 guide.pdf",), codes=("embed.file",)),
    Case("embeds", "inside a list item", "- premier\n- ![[Dossier/Profond]]\n- troisième",
         html=("<li>premier</li>", "Texte profond.", "<li>troisième</li>")),
    Case("embeds", "inside a quote", "> Citation :\n> ![[Dossier/Profond]]", html=("<blockquote>", "Texte profond.")),

    # --- block ids -----------------------------------------------------------------------
    Case("blocks", "end of paragraph", "Un paragraphe marqué. ^marque", html=("Un paragraphe marqué.",),
         absent=("^marque",)),
    Case("blocks", "own line after a list", "- a\n- b\n\n^apres-liste", html=("<li>a</li>",),
         absent=("^apres-liste",)),
    Case("blocks", "list item", "- un ^item-un\n- deux", html=('<span id="', "un"), absent=("^item-un",)),
    Case("blocks", "own line after a callout marks the callout", "> [!note] T\n> corps\n\n^apres-encadre\n\n"
         "Voir [[#^apres-encadre|l'encadré]].",
         html=('--block-apres-encadre" class="block"> <div class="callout callout-note"',
               '--block-apres-encadre" class="xref">l’encadré</a>'), absent=("^apres-encadre",)),
    Case("blocks", "anchor reached by a link", "Un bloc. ^ancre\n\nVoir [[#^ancre|plus haut]].",
         html=('--block-ancre" class="xref">plus haut</a>', '--block-ancre" class="block"')),

    # --- inline fields -------------------------------------------------------------------
    Case("fields", "line field with a link", "Régulation:: [[Cible]]",
         html=('class="field-key">Régulation</span>', 'class="xref">Cible</a>'), pdf=("Régule : Cible",)),
    Case("fields", "list item field, quoted link (as in the seed)", '- Produit:: "[[Cible]]"',
         html=('class="field-key">Produit</span>', 'class="xref">Cible</a>'), absent=("&quot;",),
         pdf=("A pour produit : Cible",)),
    Case("fields", "bracketed field", "Ce modèle [Application:: [[Cible]]] sert.",
         html=('class="field-key">Application</span>',), pdf=("S’applique à : Cible",)),
    Case("fields", "parenthesised field shows the value only", "Ce modèle (Intrant:: [[Cible]]) sert.",
         html=('class="xref">Cible</a></span>',), absent=("Intrant",), pdf=("A pour intrant : Cible",)),
    Case("fields", "text value", "Durée:: 3 semaines", html=('class="field-key">Durée</span>', "3 semaines")),
    Case("fields", "several links", "Composition:: [[Cible]], [[Dossier/Profond]]",
         pdf=("Se compose de : Cible",)),
    Case("fields", "bold key", "**Précédence**:: [[Cible]]", html=('class="field-key">Précédence</span>',),
         pdf=("Précède : Cible",)),
    Case("fields", "not a field: URL and C++", "Voir http://example.org et std::vector.",
         absent=("field-key",)),
    Case("fields", "frontmatter relation", "Texte.", pdf=("Voir aussi : Cible",), front='sibling: ["[[Cible]]"]'),
    Case("fields", "link in any frontmatter field is a relation", "Texte.", pdf=("Régule : Cible",),
         front='Régulation: "[[Cible]]"'),
    Case("fields", "frontmatter link to no note", "Texte.", codes=("link.unresolved",),
         front='related: "[[Personne]]"'),
    Case("fields", "incoming relation shown on the target", "Spécialisation:: [[Dossier/Profond]]",
         pdf=("Est une sorte de : Profond",)),

    # --- callouts ------------------------------------------------------------------------
    Case("callouts", "note with title", "> [!note] À retenir\n> Le contenu.",
         html=('class="callout callout-note"', "✏️ À retenir", "Le contenu."), absent=("[!note]",)),
    Case("callouts", "alias type", "> [!caution] Prudence\n> Texte.", html=('class="callout callout-warning"',
                                                                           'data-callout="caution"')),
    Case("callouts", "no title", "> [!tip]\n> Astuce.", html=("🔥 Tip", "Astuce.")),
    Case("callouts", "foldable closed is printed open", "> [!faq]- Question ?\n> Réponse cachée.",
         html=('class="callout callout-question"', "Réponse cachée."), pdf=("Réponse cachée.",)),
    Case("callouts", "custom type", "> [!recette] Cuisine\n> Des œufs.",
         html=('class="callout callout-custom callout-recette"', "Cuisine")),
    Case("callouts", "nested", "> [!info] Dehors\n> Texte.\n> > [!danger] Dedans\n> > Attention.",
         html=('callout-info', 'callout-danger', "Attention.")),
    Case("callouts", "with a link and a list", "> [!example] Exemple\n> - voir [[Cible]]\n> - deux",
         html=('class="xref">Cible</a>', "<li>deux</li>")),
    Case("callouts", "plain quote stays a quote", "> Une citation simple.", html=("<blockquote>",),
         absent=("callout",)),
    Case("callouts", "every Obsidian type is known",
         "\n\n".join(f"> [!{t}] T\n> x" for t in ("abstract", "summary", "tldr", "info", "todo", "hint", "important",
                                                   "success", "check", "done", "help", "warning", "attention",
                                                   "failure", "fail", "missing", "error", "bug", "example",
                                                   "quote", "cite")),
         absent=("callout-custom",)),

    # --- the rest ------------------------------------------------------------------------
    Case("comments", "inline comment", "Visible %%caché%% visible.", html=("Visible visible.",),
         absent=("caché",), pdf=("Visible visible.",)),
    Case("comments", "block comment", "Avant.\n\n%%\nBloc caché.\n%%\n\nAprès.", html=("Après.",),
         absent=("Bloc caché",)),
    Case("comments", "HTML comment hidden, as in Obsidian", "Avant <!-- note cachée --> après.\n\n<!--\nbloc caché\n-->",
         html=("Avant après.",), absent=("cachée", "bloc caché", "&lt;!--")),
    Case("comments", "a comment around a code block hides the block", "Avant.\n\n%%\n```\nCODE_CACHÉ\n```\n%%\n\nAprès.",
         html=("Après.",), absent=("CODE_CACHÉ", "%%")),
    Case("comments", "comment markers inside code stay", "`%%code%%`", html=("<code>%%code%%</code>",)),
    Case("highlight", "highlight", "Un ==mot important== ici.", html=("<mark>mot important</mark>",)),
    Case("highlight", "not a highlight", "a == b et c==d", absent=('class="mark"',)),
    Case("tags", "tag", "Étiquette #pédagogie ici.", html=('<span class="tag">#pédagogie</span>',)),
    Case("tags", "nested tag", "Voir #miena/modèle.", html=('<span class="tag">#miena/modèle</span>',)),
    Case("tags", "number is not a tag", "Le numéro #123 reste.", html=("#123",), absent=('class="tag"',)),
    Case("tags", "tag at line start is not a heading", "#seul", html=('<span class="tag">#seul</span>',),
         absent=("<h",)),
    Case("tags", "anchor in a URL is not a tag", "[x](https://example.org/page#section)", absent=('class="tag"',)),
    Case("footnotes", "footnote", "Texte[^1].\n\n[^1]: La note.", html=('class="footnote-ref"',), pdf=("La note.",)),
    Case("footnotes", "same label in two notes", "Autre[^1].\n\n[^1]: Une autre note.",
         html=('class="footnote-ref"',), pdf=("Une autre note.",)),
    Case("footnotes", "inline footnote", "Texte^[note en ligne avec [[Cible]]] suite.",
         html=('class="footnote-ref"',), absent=("^[",), pdf=("note en ligne avec Cible",)),
    Case("tables", "table with links", "| a | b |\n| --- | --- |\n| [[Cible]] | ==x== |",
         html=('<table tabindex="0">', 'class="xref">Cible</a>', "<mark>x</mark>")),
    Case("tasks", "task list", "- [ ] à faire\n- [x] fait", html=('<span class="task task-open">☐</span> à faire', '<span class="task task-done">☑</span> fait'),
         pdf=("☐ à faire", "☑ fait")),
    Case("strikethrough", "strikethrough", "Un ~~mot barré~~.", html=("<del>mot barré</del>",)),
    Case("math", "inline math", "Soit $x^2 + 1$ ici.", html=('<math',), pdf=("Soit",)),
    Case("math", "display math", "$$\n\\frac{a}{b}\n$$", html=('display="block"',)),
    Case("math", "a dollar amount is not math", "Coût : 5 $ et 10 $.", absent=("<math",)),
    Case("code", "code block highlighted and exact", "```python\nx = {{ 7*7 }}  # [[Cible]] ==x==\n```",
         html=('class="sourceCode python"', 'class="co"># [[Cible]] ==x==</span>'), absent=('class="xref"',),
         pdf=("x = {{ 7*7 }} # [[Cible]] ==x==",)),
    Case("code", "mermaid kept as code with a notice", "```mermaid\ngraph TD; A-->B\n```",
         html=("graph TD; A--&gt;B",), codes=("code.unrendered",)),
    Case("headings", "headings never skip a level", "#### Trop profond\n\n###### Encore",
         html=("<h2", "<h3")),
    Case("headings", "a second H1 is a section, below the note's title", "Texte.\n\n# Seconde partie\n\nSuite.",
         html=("Seconde partie</h2>",)),
    Case("headings", "emoji heading", "## 💡 Idée", html=("💡 Idée</h2>",)),
    Case("typography", "no emoji shortcodes", "Un :smile: reste.", html=(":smile:",)),
]
