"""Random but plausible vaults: the generators of the fuzz run (Hypothesis strategies).

`vaults()` draws a whole vault: a root note and a few notes under it, linked by their
``parent`` fields (or by a parent's ``child`` list), spread over folders, with names that
hold accents (written NFC or NFD on disk), spaces, ``@``, ``#``, dots, apostrophes and
emoji. Each note's frontmatter carries the fields of the MIENA vaults (type, aliases,
tags, status, sibling, source, summary, order, typed relations), sometimes with the wrong
type, and some notes are damaged: bytes that are not UTF-8, a BOM, CRLF line ends, a NUL
byte, an unclosed frontmatter, a parent that does not exist.

A body is drawn block by block, the containers nested in each other (lists, quotes,
callouts of every kind and fold, to a few levels), with every form the book supports:
headings (emoji, numbered), paragraphs, fenced/tilde/indented code, tables, footnotes,
math, wikilinks and embeds of every shape (headings, blocks, aliases, labels, paths,
other cases, missing targets), inline fields, tags, highlights, comments, citations,
Markdown links, autolinks and raw HTML.

What a reader must see is recorded as it is drawn, in `GeneratedNote`: every piece of
prose, heading, cell, footnote, label and callout title holds a *sentinel*, a word found
nowhere else (``zq03012w``: note 3, word 12); what a comment hides holds a *hidden*
sentinel, which no output may show; and each code block's text is kept as written.
"""

from __future__ import annotations

import base64
import unicodedata
from dataclasses import dataclass, field

from hypothesis import strategies as st

ROOT_NAME = "Manuel MIENA"
BIBLIOGRAPHY = """@book{dupont2020,
  title = {Concevoir un cours en ligne},
  author = {Dupont, Marie},
  year = {2020},
  publisher = {Presses de l'Université}
}

@article{martin2019,
  title = {L'ingénierie pédagogique},
  author = {Martin, Louis and Roy, Anne},
  year = {2019},
  journal = {Revue des sciences de l'éducation},
  volume = {45}
}
"""
BIB_KEYS = ("dupont2020", "martin2019", "lemieux2018")  # the last: a literature note's, when drawn
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")

# --- names --------------------------------------------------------------------------------

NAME_WORDS = ("Modèle", "Étape", "évaluation", "Scénario", "Principe", "Savoir", "Compétence", "Activité",
              "Cours", "Plan", "Ressource", "Enjeu", "Démarche", "Trame", "Œuvre", "Noël", "Cæsura", "Ça")
NAME_DECORATIONS = ("", "", "", " 2", " (MOD)", " @ distance", " v1.2", "'s", " – bis", " #3", " 📌", "📚 ",
                    " d'ensemble", " _brouillon", " & co")
FOLDERS = ("", "", "", "Modèles", "Savoirs/Profond", "Été 2024", "📁 Annexes", "a b")
NOTE_TYPES = ("Modèle", "Principe", "Savoir", "Compétence", "Énoncé", "Concept", "", "Chapitre", "Glossaire")


def name_key(name: str) -> str:
    """How names compare: Obsidian ignores case, and NFC and NFD spell the same name."""
    return unicodedata.normalize("NFC", name).casefold()


def linkable(name: str) -> bool:
    """A name a wikilink can reach: ``#``, ``|``, ``^`` and brackets end a link's target."""
    return not any(mark in name for mark in "#|^[]")


@st.composite
def note_names(draw) -> str:
    word = draw(st.sampled_from(NAME_WORDS))
    second = draw(st.sampled_from(("",) + NAME_WORDS)).lower()
    decoration = draw(st.sampled_from(NAME_DECORATIONS))
    name = f"{word} {second}".strip() if second else word
    return f"{decoration}{name}" if decoration.endswith(" ") else name + decoration


def chance(draw, p: float) -> bool:
    """True with probability ``p`` (in twentieths). Hypothesis draws floats and integers
    near their bounds far more often than in between, which would make every damage
    common; one of twenty equal choices is drawn evenly, and shrinks to False."""
    yes = round(p * 20)
    return draw(st.sampled_from((False,) * (20 - yes) + (True,) * yes))


# --- sentinels and what a note records ----------------------------------------------------

@dataclass
class GeneratedNote:
    """One note as drawn, and what a reader of the book must (and must not) find of it."""

    index: int
    name: str
    folder: str
    nfd: bool = False  # its file name written in NFD, as macOS does
    front: str | None = None  # frontmatter text without the --- lines
    body: str = ""
    encoding: str = "utf-8"  # utf-8, utf-8-sig, crlf, cp1252-line, nul, unclosed
    expected: bool = True  # in the book unless the outline can tell why not
    parent_form: str = ""  # how its frontmatter names its parent (see `frontmatter`)
    listed: bool = False  # named in its parent's child: list
    yaml_broken: bool = False  # its frontmatter does not parse
    shown: list[str] = field(default_factory=list)
    in_footnotes: set[str] = field(default_factory=set)  # shown words that stand in footnotes
    hidden: list[str] = field(default_factory=list)
    code_blocks: list[str] = field(default_factory=list)
    code_spans: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)  # plain headings a link may name
    blocks: list[str] = field(default_factory=list)  # block ids a link may name
    aliases: list[str] = field(default_factory=list)
    words: int = 0

    @property
    def path(self) -> str:
        name = unicodedata.normalize("NFD", self.name) if self.nfd else self.name
        return f"{self.folder}/{name}.md" if self.folder else f"{name}.md"

    def sentinel(self, hidden: bool = False) -> str:
        self.words += 1
        word = f"zq{self.index:02d}{self.words:03d}w"
        (self.hidden if hidden else self.shown).append(word)
        return word

    def text(self) -> str:
        front = f"---\n{self.front}---\n" if self.front is not None else ""
        if self.encoding == "unclosed" and self.front is not None:
            front = f"---\n{self.front}\n"
        return front + self.body

    def data(self) -> bytes:
        text = self.text()
        if self.encoding == "utf-8-sig":
            return b"\xef\xbb\xbf" + text.encode("utf-8")
        if self.encoding == "crlf":
            return text.replace("\n", "\r\n").encode("utf-8")
        if self.encoding == "nul":
            return text.encode("utf-8") + b"\x00\x00"
        if self.encoding == "cp1252-line":  # one line of prose typed in Windows-1252
            return text.encode("utf-8") + "\nUne ligne écrite à côté, déjà vue.\n".encode("cp1252")
        return text.encode("utf-8")


@dataclass
class GeneratedVault:
    notes: list[GeneratedNote]
    files: dict[str, bytes]  # everything written, notes included

    def describe(self) -> str:
        """The vault as a reader of a failure report needs it: every file, in full."""
        parts = []
        for path, data in sorted(self.files.items()):
            text = data.decode("utf-8", "backslashreplace")
            parts.append(f"----- {path} ({len(data)} bytes)\n{text}")
        return "\n".join(parts)


# --- inline content -----------------------------------------------------------------------

WORDS = ("l'apprenant", "conçoit", "le", "scénario", "pédagogique", "et", "évalue", "la", "compétence", "«", "»",
         "déjà", "—", "œuvre", "MOD_X", "à", "côté", "été", "voilà !", "pourquoi ?", "ainsi ;", "note :",
         "3,5 %", "1/2", "C++", "std::vector", "a == b", "x_y", "T’as", "1er", "n°2", "prof@univ.ca")
CODE_LINES = ("x = 1", "    indenté = True", "[[pas un lien]]", "![[pas une image]]", "%% pas un commentaire %%",
              "$x$ et $$y$$", "#pas-un-tag", "<b>gras</b> & <script>", "{{ 7*7 }} {% raw %}", "Clé:: valeur",
              "==pas surligné==", "\tune tabulation", "[^1] [@dupont2020] @martin2019", "ligne  ",
              "> [!note] pas un encadré", "- pas une liste", "éèà ç œ 📌", "\\[échappé\\] \\@", "* * *", "")
TEX = ("x^2 + y_i", "\\frac{a}{b}", "\\sqrt{2}", "\\sum_{i=1}^{n} i", "E = mc^2", "\\alpha \\leq \\beta")
CALLOUT_TYPES = ("note", "tip", "warning", "example", "quote", "info", "abstract", "todo", "danger", "miena",
                 "NOTE", "faq")
LANGUAGES = ("", "python", "yaml", "js", "text", "markdown", "bash", "inconnu-xyz")
FIELD_KEYS = ("Régulation", "Durée", "Intrant", "Produit", "**Précédence**", "Note")


class Body:
    """Draws one note's body; `vault` gives what the note may link to."""

    def __init__(self, draw, note: GeneratedNote, others: list[GeneratedNote], citations: bool):
        self.draw = draw
        self.note = note
        self.others = others
        self.citations = citations
        self.footnotes: list[str] = []

    def pick(self, options):
        return self.draw(st.sampled_from(options))

    def chance(self, p: float = 0.5) -> bool:
        return chance(self.draw, p)

    # -- what links aim at --

    def target(self) -> tuple[str, GeneratedNote | None]:
        """How a link names a note (name, other case, path, alias, NFD), or a missing one."""
        choices = [n for n in self.others if linkable(n.name)]
        if not choices or self.chance(0.1):
            return self.pick(("Note absente", "Cours inexistant", "modele-perdu")), None
        other = self.pick(choices)
        way = self.pick(("name", "name", "lower", "path", "alias", "nfd", "suffix"))
        if way == "lower":
            return other.name.lower(), other
        if way == "path" and other.folder:
            return f"{other.folder}/{other.name}", other
        if way == "alias" and other.aliases:
            return self.pick(other.aliases), other
        if way == "nfd":
            return unicodedata.normalize("NFD", other.name), other
        if way == "suffix":
            return other.name + ".md", other
        return other.name, other

    def subpath(self, other: GeneratedNote | None) -> str:
        if other is None or self.chance(0.5):
            return ""
        options = [f"#{h}" for h in other.headings] + [f"#^{b}" for b in other.blocks] + ["#Titre absent", "#^absent"]
        return self.pick(options)

    def wikilink(self, in_table: bool = False) -> str:
        if self.chance(0.1) and self.note.headings:
            return f"[[#{self.pick(self.note.headings)}]]"
        name, other = self.target()
        sub = self.subpath(other)
        pipe = "\\|" if in_table else "|"
        if self.chance(0.5):
            return f"[[{name}{sub}{pipe}{self.label()}]]"
        return f"[[{name}{sub}]]"

    def label(self) -> str:
        return f"{self.pick(('voir', 'le modèle', 'ici', 'cf.'))} {self.note.sentinel()}"

    def embed(self) -> str:
        if self.chance(0.05):  # a note embedding itself: a cycle, reported and cut
            return f"![[{self.note.name}]]" if linkable(self.note.name) else "![[figure.png]]"
        if self.chance(0.2):
            return self.pick(("![[figure.png]]", "![[figure.png|120]]", "![[absente.png]]", "![[schéma.pdf]]"))
        name, other = self.target()
        if other is not None and other.blocks and self.chance(0.3):  # a block: rarer to draw by chance
            return f"![[{name}#^{self.pick(other.blocks)}]]"
        return f"![[{name}{self.subpath(other)}]]"

    def citation(self) -> str:
        key = self.pick(BIB_KEYS + ("inconnu1999",))
        form = self.pick(("[@{k}]", "[@{k}, p. 12]", "@{k}", "[voir @{k}; @{o}]", "[-@{k}]"))
        return form.format(k=key, o=self.pick(BIB_KEYS))

    def code_span(self, in_table: bool = False) -> str:
        # a pipe ends a table cell even inside a code span (GFM): not in a cell
        spans = ("[[lien]]", "%%x%%", "x == y", "#tag", "<i>", "$x$", "MOD_X")
        text = self.pick(spans + (() if in_table else ("a|b",)))
        text += self.note.sentinel()
        self.note.code_spans.append(text)
        return f"`{text}`"

    def footnote(self) -> str:
        # what a footnote says is printed at the end of the book (HTML) or the chapter (EPUB),
        # outside the note's own chapter: its words are looked for in the whole book
        before = len(self.note.shown)
        if self.chance(0.3):
            mark = f"^[{self.pick(('note en ligne', 'précision'))} {self.note.sentinel()}]"
        else:
            number = len(self.footnotes) + 1
            self.footnotes.append("")  # the number is taken before the text, which may cite a footnote too
            text = self.inline(2)
            if self.chance(0.2):  # a second paragraph, indented under the first
                text += f"\n\n    Suite de la note {self.note.sentinel()}."
            self.footnotes[number - 1] = f"[^{number}]: {text}"
            mark = f"[^{number}]"
        self.note.in_footnotes.update(self.note.shown[before:])
        return mark

    def piece(self, in_table: bool = False, one_line: bool = False) -> str:
        """One inline form; ``one_line``: nothing that breaks the line or holds a block
        (a heading); ``in_table``: a table cell besides (pipes escaped in links)."""
        one_line = one_line or in_table
        kind = self.pick(("words", "words", "words", "sentinel", "strong", "emph", "highlight", "strike", "code",
                          "wikilink", "wikilink", "embed", "mdlink", "autolink", "tag", "comment", "math", "html",
                          "footnote", "field", "citation", "break", "money", "entity", "escape"))
        if kind == "words":
            return " ".join(self.pick(WORDS) for _ in range(self.draw(st.integers(1, 4))))
        if kind == "sentinel":
            return self.note.sentinel()
        if kind == "strong":
            return f"**{self.note.sentinel()} gras**"
        if kind == "emph":
            return f"*{self.note.sentinel()}*"
        if kind == "highlight":
            return f"=={self.note.sentinel()} surligné=="
        if kind == "strike":
            return f"~~{self.note.sentinel()}~~"
        if kind == "code":
            return self.code_span(in_table)
        if kind == "wikilink":
            return self.wikilink(in_table)
        if kind == "embed":
            return self.embed() if not one_line else self.wikilink(in_table)
        if kind == "mdlink":
            name, other = self.target()
            target = self.pick((f"<{name}.md>", "https://example.org/page#ancre", f"{name.replace(' ', '%20')}.md",
                                "mailto:prof@univ.ca"))
            return f"[{self.note.sentinel()}]({target})"
        if kind == "autolink":
            return self.pick(("<https://example.org>", "https://example.org/a_b", "www.example.org"))
        if kind == "tag":
            tag = self.pick(("#pédagogie", "#miena/modèle", "#{w}", "#123"))
            return tag.format(w=self.note.sentinel()) if "{w}" in tag else tag
        if kind == "comment":
            return f"%%{self.note.sentinel(hidden=True)} caché%%"
        if kind == "math":
            return f"${self.pick(TEX)}$"
        if kind == "html":
            # never first on a line: "<!--" there opens an HTML block, and what follows on
            # the line is raw HTML (shown as text, code spans and links included)
            markup = self.pick(("<span>{w}</span>", "<b>{w}</b>", "<kbd>{w}</kbd>", "{w}<br>", "<sup>{w}</sup>",
                                "avant <!-- {h} -->", "<SUP>{w}</SUP>", "un <u>{w} jamais fermé", "{w}</kbd> seul",
                                "<i>{w} *x</i>*", "{w}<BR>", '<span class="x">{w}</span>'))
            if "{h}" in markup:
                return markup.format(h=self.note.sentinel(hidden=True))
            return markup.format(w=self.note.sentinel())
        if kind == "footnote":
            return self.footnote() if not one_line else self.note.sentinel()
        if kind == "field":
            form = self.pick(("[{k}:: {v}]", "({k}:: {v})"))
            value = self.wikilink(in_table) if self.chance(0.5) else self.note.sentinel()
            return form.format(k=self.pick(FIELD_KEYS), v=value)
        if kind == "citation":
            return self.citation() if self.citations else self.note.sentinel()
        if kind == "money":  # dollars with spaces inside are prices, not math (as in Obsidian)
            return f"coûte 5 $ {self.note.sentinel()} et 10 $"
        if kind == "entity":
            return f"&eacute;t&eacute; &amp; {self.note.sentinel()}&nbsp;!"
        if kind == "escape":
            escaped = self.pick(("\\*pas gras\\*", "\\#pas-un-tag", "\\_x\\_", "1\\. pas une liste"))
            return f"{escaped} {self.note.sentinel()}"
        return self.note.sentinel() + ("\n" if not one_line else "")

    def inline(self, most: int = 6, in_table: bool = False, one_line: bool = False) -> str:
        """A line or two of prose; always one sentinel at least."""
        pieces = [self.piece(in_table, one_line) for _ in range(self.draw(st.integers(1, most)))]
        text = " ".join(pieces + [self.note.sentinel()])
        return text.replace("\n ", "\n")

    # -- blocks --

    def heading(self, level: int | None = None) -> str:
        level = level or self.draw(st.integers(2, 6))
        if self.chance(0.2):
            return "#" * level + " " + self.inline(3, one_line=True)
        if self.chance(0.1):  # setext: underlined
            plain = f"Titre souligné {self.note.sentinel()}"
            self.note.headings.append(plain)
            return f"{plain}\n{self.pick(('===', '---'))}"
        plain = " ".join([self.pick(("", "📌", "1.", "Étape 2 :", "🎯", "Vue")),
                          self.pick(("Plan", "Objectifs", "Démarche")), self.note.sentinel()]).strip()
        self.note.headings.append(plain)
        return "#" * level + " " + plain

    def paragraph(self) -> str:
        text = self.inline()
        if self.chance(0.25):
            block = f"bloc{self.note.index}x{len(self.note.blocks)}"
            self.note.blocks.append(block)
            text += f" ^{block}"
        return text

    def code(self, indented_allowed: bool) -> str:
        lines = [self.pick(CODE_LINES) for _ in range(self.draw(st.integers(1, 5)))]
        lines.insert(self.draw(st.integers(0, len(lines))), f"code {self.note.sentinel()}")
        style = self.pick(("backtick", "tilde", "indented") if indented_allowed else ("backtick", "tilde"))
        if style == "indented":
            lines = [line for line in lines if line.strip()] or ["x"]
            # an indented block ends at a line of its own indent's content only; tabs stay tabs
            self.note.code_blocks.append("\n".join(lines))
            return "\n".join("    " + line for line in lines)
        text = "\n".join(lines)
        self.note.code_blocks.append(text)
        fence = "````" if style == "backtick" else "~~~"
        return f"{fence}{self.pick(LANGUAGES)}\n{text}\n{fence}"

    def table(self) -> str:
        columns = self.draw(st.integers(1, 3))
        head = "| " + " | ".join(f"Col {self.note.sentinel()}" for _ in range(columns)) + " |"
        rule = "|" + "|".join(self.pick((" --- ", ":--", "--:", ":-:")) for _ in range(columns)) + "|"
        rows = ["| " + " | ".join(self.inline(2, in_table=True) for _ in range(columns)) + " |"
                for _ in range(self.draw(st.integers(1, 3)))]
        return "\n".join([head, rule, *rows])

    def field_line(self) -> str:
        value = self.wikilink() if self.chance(0.6) else self.note.sentinel()
        prefix = self.pick(("", "- "))
        return f"{prefix}{self.pick(FIELD_KEYS)}:: {value}"

    def block(self, depth: int, top: bool) -> str:
        kinds = ["paragraph", "paragraph", "heading", "code", "table", "field", "math", "embed", "comment",
                 "html", "rule"]
        if depth < 3:
            kinds += ["list", "list", "quote", "callout", "callout"]
        kind = self.pick(kinds)
        if kind == "paragraph":
            return self.paragraph()
        if kind == "heading":
            return self.heading()
        if kind == "code":
            code = self.code(indented_allowed=top)
            # an indented block must not continue a list: open it with a paragraph
            return f"{self.paragraph()}\n\n{code}" if code.startswith("    ") else code
        if kind == "table":
            return self.table()
        if kind == "field":
            return self.field_line()
        if kind == "math":
            return f"$$\n{self.pick(TEX)}\n$$"
        if kind == "embed":
            return self.embed()
        if kind == "comment":
            return f"%%\n{self.note.sentinel(hidden=True)} bloc caché\n%%"
        if kind == "html":
            return f"<div>\n{self.note.sentinel()} dans un div\n</div>"
        if kind == "rule":
            return "***"
        if kind == "list":
            return self.list_block(depth)
        if kind == "quote":
            return self.quoted(self.blocks(depth + 1, most=2), "")
        title = f" Titre {self.note.sentinel()}" if self.chance(0.5) else ""
        if title and self.chance(0.3):
            title += " " + self.wikilink()
        head = f"[!{self.pick(CALLOUT_TYPES)}]{self.pick(('', '-', '+'))}{title}"
        return self.quoted(self.blocks(depth + 1, most=3), head)

    def quoted(self, inner: str, head: str) -> str:
        lines = ([head] if head else []) + inner.split("\n")
        return "\n".join(("> " + line) if line else ">" for line in lines)

    def list_block(self, depth: int) -> str:
        ordered = self.chance(0.4)
        items = []
        for number in range(1, self.draw(st.integers(1, 3)) + 1):
            marker = f"{number}. " if ordered else self.pick(("- ", "* ", "+ "))
            task = self.pick(("", "", "[ ] ", "[x] ", "[?] ")) if not ordered else ""
            first = self.inline(3)
            rest = self.blocks(depth + 1, most=2) if self.chance(0.4) else ""
            indent = " " * len(marker)  # a task's box is the item's content: it adds no indent
            lines = [marker + task + first.replace("\n", "\n" + indent)]
            if rest:
                lines.append("")
                lines.extend(indent + line if line else "" for line in rest.split("\n"))
            items.append("\n".join(lines))
        return "\n".join(items)

    def blocks(self, depth: int, most: int) -> str:
        return "\n\n".join(self.block(depth, top=False) for _ in range(self.draw(st.integers(1, most))))

    def whole(self) -> str:
        parts = []
        if self.chance(0.5):
            parts.append(f"# {self.note.name}")
        parts += [self.block(0, top=True) for _ in range(self.draw(st.integers(1, 6)))]
        parts += self.footnotes
        return "\n\n".join(parts) + "\n"


# --- frontmatter --------------------------------------------------------------------------

def quoted_link(name: str) -> str:
    return '"[[' + name.replace('"', '\\"') + ']]"'


def frontmatter(draw, note: GeneratedNote, parent: GeneratedNote | None, children: list[GeneratedNote],
                notes: list[GeneratedNote]) -> str:
    """The note's YAML, and whether it still names its parent in a way the book can follow."""
    lines = []
    if parent is not None:
        form = note.parent_form
        if form == "quoted":
            lines.append(f"parent: {quoted_link(parent.name)}")
        elif form == "list":
            lines.append(f"parent:\n  - {quoted_link(parent.name)}")
        elif form == "alias":
            lines.append(f'parent: "[[{parent.name}|le parent]]"')
        elif form == "nested":  # parent: [[X]] unquoted is a list in a list for YAML: refused, reported
            lines.append(f"parent: [[{parent.name}]]")
            note.expected = False
        elif form == "damaged":
            # an unclosed frontmatter is read as text: "[[]]" there would be text, not a link
            empty_link = () if note.encoding == "unclosed" else ("parent: [[]]",)
            lines.append(draw(st.sampled_from(("parent: 42", "parent: {a: 1}", 'parent: "[[Parent absent]]"',
                                               "parent:") + empty_link)))
            note.expected = False
        # "child-list": the parent's child: list names this note (written below, on the parent)
    if children:
        # a name with "#" or "|" cannot be written in a link: [[Plan #3]] names the note Plan
        listed = [c for c in children if c.listed and linkable(c.name)]
        if listed:
            lines.append("child:\n" + "\n".join(f"  - {quoted_link(c.name)}" for c in listed))
    keys = ("type", "aliases", "tags", "status", "sibling", "source", "summary", "order", "relation", "date",
            "cssclass", "index")
    if parent is not None:  # a root whose YAML breaks takes the whole book with it: too often
        keys += ("wrong",)
    for key in draw(st.lists(st.sampled_from(keys), unique=True, max_size=6)):
        lines.append(frontmatter_field(draw, key, note, notes))
    return "\n".join(lines) + "\n" if lines else ""


def frontmatter_field(draw, key: str, note: GeneratedNote, notes: list[GeneratedNote]) -> str:
    others = [n for n in notes if n is not note and linkable(n.name)]
    if key == "type":
        return f'type: {draw(st.sampled_from(NOTE_TYPES + ("[Modèle, Principe]", "12")))}'
    if key == "aliases":
        form = draw(st.sampled_from(("list", "string", "number", "null")))
        if form == "list":
            alias = f"Alias {note.index} {draw(st.sampled_from(('é', 'MOD', '📌')))}"
            note.aliases.append(alias)
            return f'aliases:\n  - "{alias}"'
        return {"string": f'aliases: "Autre {note.index}"', "number": "aliases: 7", "null": "aliases:"}[form]
    if key == "tags":
        return draw(st.sampled_from(("tags: [miena, modèle]", "tags: pédagogie, cours", "tags: 5",
                                     "tags:\n  - miena/principe", "tags: '#avec-dièse'")))
    if key == "status":
        return draw(st.sampled_from(("status: brouillon", "status: [a, b]", "status: 🟢 terminé")))
    if key in ("sibling", "relation") and others:
        other = draw(st.sampled_from(others))
        field_name = "sibling" if key == "sibling" else draw(st.sampled_from(("Régulation", "Intrant", "Composition")))
        return f"{field_name}: {quoted_link(other.name)}"
    if key == "source":
        return draw(st.sampled_from(('source: "[[@dupont2020]]"', "source: https://example.org/article",
                                     'source: "[[DOC_Absent]]"')))
    if key == "summary":
        return draw(st.sampled_from(("summary: Un résumé d'une ligne.", 'summary: "Deux : points"',
                                     "summary: |\n  Sur deux\n  lignes.")))
    if key == "order":
        return draw(st.sampled_from(("order: 2", "order: 1.5", "order: deux", "order: -3")))
    if key == "date":
        return draw(st.sampled_from(("date: 2024-03-01", "date: hier", "date: 2024-13-45")))
    if key == "cssclass":
        return "cssclasses: [large]"
    if key == "index":  # index terms: words of the prose, and values of the wrong type
        return draw(st.sampled_from(('index: [compétence, "scénario pédagogique"]', "index: œuvre", "index: {a: 1}",
                                     "index: [[l'apprenant]]", "index: [côté, MOD_X, C++, déjà]")))
    line = draw(st.sampled_from(BROKEN_YAML + ("clé avec espace: valeur", "'quoted key': 1", "vide:", "liste: []",
                                               "nombre: 1e3", "booléen: yes")))
    note.yaml_broken = note.yaml_broken or line in BROKEN_YAML
    return line


# YAML that does not parse: the note's whole frontmatter is lost, its parent and child list with it
# (anchors are refused outright: aliases to them expand without bound)
BROKEN_YAML = ("wrong: [unclosed", "wrong: {x: [1, 2}", "wrong: !!python/object:os.system echo", "ancre: &a 1")


# --- the vault ----------------------------------------------------------------------------

@st.composite
def vaults(draw, most_notes: int = 6) -> GeneratedVault:
    """A root note and up to ``most_notes`` notes under it, with their attachments."""
    names = draw(st.lists(note_names(), min_size=1, max_size=most_notes, unique_by=name_key)
                 .filter(lambda found: all(name_key(n) != name_key(ROOT_NAME) for n in found)))
    notes = [GeneratedNote(0, ROOT_NAME, "")]
    for index, name in enumerate(names, 1):
        folder = draw(st.sampled_from(FOLDERS))
        accented = unicodedata.normalize("NFD", name) != name
        notes.append(GeneratedNote(index, name, folder, nfd=accented and draw(st.booleans())))
    parents: dict[int, GeneratedNote] = {}
    for note in notes[1:]:
        candidates = [n for n in notes[:note.index] if linkable(n.name)]
        parents[note.index] = draw(st.sampled_from(candidates))
    for note in notes[1:]:
        note.parent_form = draw(st.sampled_from(("quoted",) * 4 + ("list", "list", "alias", "child-list",
                                                                   "child-list", "nested", "damaged")))
        note.listed = chance(draw, 0.9 if note.parent_form == "child-list" else 0.2)
    citations = draw(st.booleans())
    for note in notes:
        parent = parents.get(note.index)
        children = [n for n in notes[1:] if parents[n.index] is note]
        if note.index:  # one note in five damaged, each damage alike (one draw: no pattern between two)
            note.encoding = draw(st.sampled_from(("utf-8",) * 20 + ("nul", "utf-8-sig", "crlf", "cp1252-line",
                                                                    "unclosed")))
            if note.encoding in ("nul", "unclosed"):
                note.expected = False
        note.front = frontmatter(draw, note, parent, children, notes)
        if note.index == 0 and chance(draw, 0.1):
            note.front = None  # a root without frontmatter: its child: list is gone
    for note in notes[1:]:
        parent = parents[note.index]
        named_by_field = (note.front is not None and note.front.startswith("parent") and note.expected
                          and not note.yaml_broken)
        named_by_list = (note.listed and parent.front is not None and parent.encoding != "unclosed"
                         and not parent.yaml_broken and linkable(note.name))
        if not (named_by_field or named_by_list):
            note.expected = False  # neither a parent field nor a child list: unreachable, reported
    # the root is the one note with children and no parent: without a child it is no root
    notes[0].expected = any(n.expected for n in notes[1:] if parents[n.index] is notes[0])
    # source notes: a DOC_ note and a literature note (@key), outside the tree, in the
    # bibliography; notes link to them and cite them
    sources = []
    if chance(draw, 0.3):
        sources.append(GeneratedNote(len(notes) + len(sources), "DOC_Guide de conception", "Sources",
                                     front="type: Document\ntitle: Guide de conception\nauthor: Roy, Anne\n"
                                           "year: 2021\n", expected=False))
    if chance(draw, 0.3):
        sources.append(GeneratedNote(len(notes) + len(sources), "@lemieux2018", "Sources",
                                     front='title: "Apprendre en ligne"\nauthors: "Lemieux, Paul"\nyear: 2018\n',
                                     expected=False))
    for source in sources:
        source.body = f"# {source.name}\n\nNotes de lecture {source.sentinel()}.\n"
    for note in notes:
        others = [n for n in notes + sources if n is not note]
        note.body = Body(draw, note, others, citations).whole()
    notes += sources
    # a note is expected only if its whole line up to the root is
    for note in notes[1:]:
        if note.index not in parents:  # a source note
            continue
        parent = parents[note.index]
        if not parent.expected:
            note.expected = False
    files = {note.path: note.data() for note in notes}
    files["figure.png"] = PNG
    if citations:
        files["references.bib"] = BIBLIOGRAPHY.encode("utf-8")
    return GeneratedVault(notes, files)
