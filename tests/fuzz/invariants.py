"""What must hold for every generated vault, read from what `check` and `build` printed and wrote.

Each function takes a run's outputs and returns the violations it sees, as sentences that
name the note, the word or the file; none means the invariant holds. The invariants:

1. **No crash.** No traceback; exit status 0 or 1; every diagnostic has a code, a file
   of the vault and a line inside it (only findings about the whole vault, `VAULT_WIDE`,
   name no file).
2. **Nothing lost.** Every Markdown file is in the manifest, in the book or left out with a
   reason; every note the generator built to be in the book is in it; every sentinel of a
   note in the book reaches its own chapter of the HTML and the EPUB (a footnote's, the
   book), and the PDF's text when it is built.
3. **Nothing leaked.** No sentinel a comment hid shows anywhere.
4. **Code is never altered.** Each code block's text is the text of a ``<pre>`` of the
   HTML and of the EPUB, byte for byte (trailing blank lines apart: the book drops them,
   the same in every format); each code span's is the text of a ``<code>``.
5. **No trace of the machinery.** No private marker (the slots notes are poured into), no
   raw ``[[``/``]]`` and no escaped ``\\@`` or ``\\[`` in any text a reader sees, code apart;
   every XHTML page of the EPUB well-formed.
6. **`check` is `build`.** They report the same link, embed and citation diagnostics.
7. **Reproducible.** The same vault gives the same bytes, and so does the same vault with
   its folders listed in another order (checked on a sample: a build costs a second).
"""

from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

from miena_book.links import note_anchor

from .vaults import GeneratedNote, GeneratedVault

PRIVATE_MARKERS = ("note-body", "data-note=")
AUDITED_CODES = ("link.", "embed.", "cite.")
TEXT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<level>error|warning|info): (?P<message>.*) "
                       r"\[(?P<code>[a-z0-9-]+(?:\.[a-z0-9-]+)+)\]$")
TEXT_VAULT_LINE = re.compile(r"^(?:(?P<path>.+?): )?(?P<level>error|warning|info): (?P<message>.*) "
                             r"\[(?P<code>[a-z0-9-]+(?:\.[a-z0-9-]+)+)\]$")
DIAGNOSTIC_START = re.compile(r"(?:^|: )(error|warning|info): ")


@dataclass(frozen=True)
class Found:
    """One diagnostic as printed: its code, file and line (None when vault-wide)."""

    code: str
    path: str | None
    line: int | None
    message: str


# --- reading what a reader sees ------------------------------------------------------------

class _Text(HTMLParser):
    """The text of a page: outside code (what the prose checks read), and each ``<pre>``'s
    and ``<code>``'s text on its own (what the code checks compare)."""

    SKIPPED = {"script", "style", "annotation", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.prose: list[str] = []
        self.everything: list[str] = []
        self.pre: list[str] = []
        self.code: list[str] = []
        self._open: list[list[str]] = []  # the texts of the pre/code elements being read
        self._depth = {"pre": 0, "code": 0}
        self._skipped = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipped += 1
        if tag in self._depth:
            self._depth[tag] += 1
            self._open.append([tag, ""])
        if tag in ("br", "p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.prose.append(" ")
            self.everything.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self._skipped = max(0, self._skipped - 1)
        if tag in self._depth and self._depth[tag]:
            self._depth[tag] -= 1
            for index in range(len(self._open) - 1, -1, -1):
                if self._open[index][0] == tag:
                    kind, text = self._open.pop(index)
                    (self.pre if kind == "pre" else self.code).append(text)
                    break
        if tag in ("p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.prose.append(" ")

    def handle_data(self, data):
        for entry in self._open:
            entry[1] += data
        if self._skipped:
            return
        self.everything.append(data)
        if not (self._depth["pre"] or self._depth["code"]):
            self.prose.append(data)


@dataclass
class PageText:
    prose: str  # every text outside code, math sources and scripts
    everything: str  # the prose and the code
    pre: list[str]
    code: list[str]
    markup: str  # the page's source


def page_text(markup: str) -> PageText:
    reader = _Text()
    reader.feed(markup)
    reader.close()
    return PageText("".join(reader.prose), "".join(reader.everything), reader.pre, reader.code, markup)


def epub_pages(path: Path) -> tuple[list[PageText], list[str]]:
    """The EPUB's XHTML pages, and why any of them is not well-formed XML (a reading
    system may refuse to open such a chapter)."""
    pages, malformed = [], []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if not name.endswith(".xhtml"):
                continue
            data = archive.read(name)
            try:
                ElementTree.fromstring(data)
            except ElementTree.ParseError as problem:
                line = data.decode("utf-8", "replace").splitlines()[problem.position[0] - 1]
                malformed.append(f"the EPUB's {name} is not well-formed XML ({problem}): {line.strip()[:200]}")
            pages.append(page_text(data.decode("utf-8")))
    return pages, malformed


def squeezed(text: str, hyphenated: bool = True) -> str:
    """Text with every space and line break gone, and (``hyphenated``) words hyphenated at
    a line end joined again: how a word is looked for in a PDF's extracted text. Code is
    looked for with its hyphens kept: code must never be hyphenated."""
    if hyphenated:
        text = re.sub("\u00ad|[-\u2010]\n", "", text)
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


# --- the diagnostics ------------------------------------------------------------------------

def parse_text_diagnostics(output: str, source: str) -> tuple[list[Found], list[str]]:
    """The diagnostics of `build`'s text output, and the lines that look like one but do not parse."""
    found, bad = [], []
    for line in output.splitlines():
        if not DIAGNOSTIC_START.search(line) or line.startswith("miena-book:"):
            continue
        match = TEXT_LINE.match(line)
        if match:
            found.append(Found(match["code"], match["path"], int(match["line"]), match["message"]))
            continue
        match = TEXT_VAULT_LINE.match(line)
        if match:
            found.append(Found(match["code"], match["path"], None, match["message"]))
        else:
            bad.append(f"{source}: a diagnostic without a code: {line!r}")
    return found, bad


def parse_json_diagnostics(output: str) -> tuple[list[Found], list[str]]:
    try:
        payload = json.loads(output)
    except json.JSONDecodeError as problem:
        return [], [f"check --format json printed no JSON ({problem}): {output[:300]!r}"]
    found = [Found(d["code"], d["path"], d["line"], d["message"]) for d in payload["diagnostics"]]
    bad = [f"check: a diagnostic without a code: {d!r}" for d in payload["diagnostics"] if not d.get("code")]
    return found, bad


def line_counts(vault: GeneratedVault) -> dict[str, int]:
    """Each file's number of lines, by its NFC path (how diagnostics may spell it)."""
    counts = {}
    for path, data in vault.files.items():
        text = data.decode("utf-8", "replace").replace("\r\n", "\n")
        counts[unicodedata.normalize("NFC", path)] = text.count("\n") + (not text.endswith("\n"))
    return counts


# Findings about the vault as a whole: no one file (or line) is where they are
VAULT_WIDE = frozenset({"outline.no-root", "outline.multiple-roots", "vault.empty"})


def diagnostics_problems(found: list[Found], lines: dict[str, int], source: str) -> list[str]:
    """``lines``: `line_counts` of the vault."""
    problems = []
    for item in found:
        if item.path is None:
            if item.code not in VAULT_WIDE:
                problems.append(f"{source}: [{item.code}] names no file: {item.message}")
            continue
        if item.line is None:
            problems.append(f"{source}: [{item.code}] names {item.path} but no line: {item.message}")
            continue
        path = unicodedata.normalize("NFC", item.path)
        if path == "book.yml" or path not in lines:
            if path != "book.yml":
                problems.append(f"{source}: [{item.code}] names {item.path!r}, not a file of the vault")
            continue
        if item.line is not None and not 1 <= item.line <= max(lines[path], 1):
            problems.append(f"{source}: [{item.code}] {item.path}:{item.line} is past the file's "
                            f"{lines[path]} lines: {item.message}")
    return problems


def audited(found: list[Found]) -> Counter:
    """The link, embed and citation diagnostics, each as many times as it was printed."""
    return Counter((f.code, unicodedata.normalize("NFC", f.path or ""), f.line, f.message) for f in found
                   if f.code.startswith(AUDITED_CODES))


# --- the invariants -------------------------------------------------------------------------

@dataclass
class Outputs:
    """One build's artifacts, read back."""

    manifest: dict | None = None
    html: PageText | None = None
    epub: list[PageText] = field(default_factory=list)
    epub_malformed: list[str] = field(default_factory=list)
    pdf_text: str | None = None
    digests: dict[str, str] = field(default_factory=dict)


def manifest_problems(vault: GeneratedVault, outputs: Outputs) -> tuple[list[str], set[str]]:
    """Problems with what the manifest says, and the NFC paths of the notes in the book."""
    if outputs.manifest is None:
        return ["build wrote no manifest"], set()
    listed = {unicodedata.normalize("NFC", n["path"]): n for n in outputs.manifest["notes"]}
    problems = []
    for note in vault.notes:
        path = unicodedata.normalize("NFC", note.path)
        entry = listed.get(path)
        if entry is None:
            problems.append(f"{note.path}: in no list of the manifest (neither in the book nor left out)")
        elif not entry["in_book"] and not str(entry.get("reason", "")).strip():
            problems.append(f"{note.path}: left out without a reason")
        elif note.expected and not entry["in_book"]:
            problems.append(f"{note.path}: left out ({entry.get('reason')}) though its parent names it")
    in_book = {path for path, entry in listed.items() if entry["in_book"]}
    return problems, in_book


# a note's title heading (templates/notes/*.md.j2 give it the class "note")
NOTE_HEADING = re.compile(r'<h[1-6][^>]*\bclass="(?:[^"]*\s)?note(?:\s[^"]*)?"')


def own_chapter(markup: str, note: GeneratedNote) -> str | None:
    """The text of a note's own chapter: from its title heading to the next note's (its
    children's chapters and the footnotes are elsewhere), or None when it has no heading."""
    anchor = note_anchor(SimpleNamespace(path=note.path, stem=note.path[:-3].rsplit("/", 1)[-1]))
    position = markup.find(f'id="{anchor}"')
    if position < 0:
        return None
    start = markup.rfind("<", 0, position)  # the HTML's heading has the id; the EPUB's section
    if not markup.startswith("<h", start):
        own = NOTE_HEADING.search(markup, position)
        position = own.end() if own else position
    following = NOTE_HEADING.search(markup, position)
    return page_text(markup[start:following.start() if following else len(markup)]).everything


def lost_words(vault: GeneratedVault, in_book: set[str], outputs: Outputs) -> list[str]:
    """Each word of a note in the book in its own chapter (an embedded copy elsewhere does
    not count), those of its footnotes in the book; in the PDF, anywhere in its text."""
    problems = []
    books = []
    if outputs.html:
        books.append(("HTML", outputs.html.markup, outputs.html.everything))
    if outputs.epub:
        books.append(("EPUB", "".join(page.markup for page in outputs.epub),
                      "".join(page.everything for page in outputs.epub)))
    pdf = squeezed(outputs.pdf_text) if outputs.pdf_text is not None else None
    for note in vault.notes:
        if unicodedata.normalize("NFC", note.path) not in in_book:
            continue
        for name, markup, whole in books:
            chapter = own_chapter(markup, note)
            if chapter is None:
                problems.append(f"{note.path}: in the book, but no chapter of the {name} is its")
                continue
            for word in note.shown:
                if word not in (whole if word in note.in_footnotes else chapter):
                    where = "" if word in whole else " (nor anywhere in the book)"
                    problems.append(f"{note.path}: {word} is missing from its chapter of the {name}{where}")
        for word in note.shown if pdf is not None else ():
            if word not in pdf:
                problems.append(f"{note.path}: {word} is missing from the PDF")
    return problems


def leaked_words(vault: GeneratedVault, outputs: Outputs) -> list[str]:
    problems = []
    # the PDF's text squeezed: a hidden word wrapped or hyphenated at a line end is still one
    sources = [("HTML", outputs.html.markup if outputs.html else ""),
               ("EPUB", "".join(page.markup for page in outputs.epub)), ("PDF", squeezed(outputs.pdf_text or ""))]
    for note in vault.notes:
        for word in note.hidden:
            for name, text in sources:
                if word in text:
                    problems.append(f"{note.path}: {word}, inside a comment, shows in the {name}")
    return problems


def altered_code(vault: GeneratedVault, in_book: set[str], outputs: Outputs) -> list[str]:
    problems = []
    pages = [("HTML", [outputs.html] if outputs.html else []), ("EPUB", outputs.epub)]
    pdf = squeezed(outputs.pdf_text, hyphenated=False) if outputs.pdf_text is not None else None
    for note in vault.notes:
        if unicodedata.normalize("NFC", note.path) not in in_book:
            continue
        for name, found in pages:
            if not found:
                continue
            pre = {text for page in found for text in page.pre}
            code = {text for page in found for text in page.code}
            for block in note.code_blocks:
                # byte for byte but for trailing blank lines, which the book drops on purpose
                # (parse.tree._code_text): a block that ends in one is compared without it
                if block.rstrip("\n") not in pre:
                    near = [t for t in pre
                            if block.split("\n")[0] in t or any(w in t for w in note.shown if w in block)]
                    problems.append(f"{note.path}: a code block is not in the {name} as written:\n"
                                    f"    written: {block!r}\n    shown:   {near[:1]!r}")
            for span in note.code_spans:
                if span not in code:
                    problems.append(f"{note.path}: code span {span!r} is not in the {name} as written")
        if pdf is not None:
            # line by line: a page break puts the page's number and the next running head
            # inside a long block's text
            for block in note.code_blocks + note.code_spans:
                for line in block.split("\n"):
                    if squeezed(line, hyphenated=False) not in pdf:
                        problems.append(f"{note.path}: code line {line!r} is not in the PDF's text (or hyphenated)")
    return problems


RAW_MARKS = ("[[", "]]", "\\@", "\\[")


def machinery(outputs: Outputs, vault: GeneratedVault) -> list[str]:
    problems = list(outputs.epub_malformed)
    pages = ([("HTML", outputs.html)] if outputs.html else []) + [("EPUB", page) for page in outputs.epub]
    for name, page in pages:
        for marker in PRIVATE_MARKERS:
            if marker in page.markup:
                problems.append(f"the {name} holds the private marker {marker!r}")
        for mark in RAW_MARKS:
            position = page.prose.find(mark)
            if position >= 0:
                around = page.prose[max(0, position - 60):position + 60]
                problems.append(f"the {name}'s text shows {mark!r}: …{around}…")
    if outputs.pdf_text is not None:
        text = squeezed(outputs.pdf_text)
        for note in vault.notes:  # code out first, line by line (a page break may split a block)
            for block in note.code_blocks + note.code_spans:
                for line in block.split("\n"):
                    if line.strip():
                        text = text.replace(squeezed(line), "")
        for mark in RAW_MARKS:
            position = text.find(mark)
            if position >= 0:
                problems.append(f"the PDF's text shows {mark!r}: …{text[max(0, position - 60):position + 60]}…")
    return problems
