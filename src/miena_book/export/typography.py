"""Typography: French spacing and apostrophes, set in the finished AST and in generated text.

``typeset(ast, language)`` takes the book's pandoc JSON AST and returns it with French
typography applied to its text, when the book's language is French (``fr``, ``fr-CA``,
``fr-FR``, any ``fr-*``); any other language gets the AST back untouched. ``french_spacing
(text)`` applies the same rules to a plain string (the book's title, labels, the words
the templates print) and ``typeset_text(text, language)`` does so for a French book only.
The rules, the same for both:

* a narrow no-break space (U+202F) before ``;`` ``!`` ``?`` and ``»``, and after ``«``;
* a no-break space (U+00A0) before ``:`` and ``%``, and between a number and its unit
  (``10 km``, ``5 $``, ``3 h``: a closed list of symbols, so a word is never taken for one);
* a narrow no-break space between the groups of digits of a number (``10 000``);
* the typographic apostrophe (’) for ``'`` between two letters (``l'école``).

What is replaced is the white space the author typed there: ordinary spaces, line ends,
no-break or thin spaces, however many, become exactly one space of the right kind, so a
space is never doubled where the author already typed one. Where the author typed none,
a French typographer adds it only where it is certainly wanted:

* before ``;`` ``!`` ``?`` after a word (a letter, a digit, a closing bracket or quote,
  code or a footnote call), when the mark ends the clause: followed by a space, the end
  of the text or other punctuation. ``mot;`` gets it; ``x?y`` and ``a;b`` (a query
  string, a list of values) do not. A mark that follows another mark takes none:
  ``?!`` and ``…?`` are one compound mark, spaced before its first sign only;
* after ``«`` and before ``»`` unless the other side is white space or the other
  guillemet (``«mot»`` gets both);
* before ``:`` after a word only when a space or the end of the text follows
  (``Exemple: voici``); a colon followed by anything else is a time, a ratio, a URL or a
  name (``10:30``, ``2:1``, ``https://x``, ``std::map``) and is left as written, and so
  is a colon ending a word that holds one already (``:smile:``, ``a:b:``);
* before ``%`` after a digit (``50%``). A ``%`` followed by a letter or a digit is not
  a percent sign (``%20``, ``%d``): no space is set or replaced before it.

Never touched: code (``Code``, ``CodeBlock``), math, raw HTML, images (their alt text is
an attribute), link targets and every attribute (only ``Str``, ``Space`` and
``SoftBreak`` nodes are rewritten), and any word that is a URL (``https://…``,
``www.…``), whose ``?``, ``;`` and ``%`` are its own. A run of text is read across the
inline containers (``**mot** :`` is ``mot :``), so a space before a mark is found
whatever formatting separates them; a footnote's blocks are runs of their own.

Québec usage: the Office québécois de la langue française (OQLF, *Le français au
bureau* and its table of spacing) puts a space before ``:`` and ``%`` and inside « », and
no space before ``;`` ``!`` ``?``; but it states that this absence stands for the *fine*
space that word processors cannot set, composed text (éditique) keeping the fine. A book
is composed text, set with U+202F, so ``fr-CA`` follows the same rules as ``fr-FR``.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

from .ast import INLINE_KINDS

NARROW = "\u202f"  # espace fine insécable
NO_BREAK = "\u00a0"  # espace insécable (mot)
APOSTROPHE = "\u2019"

_OPAQUE = "\ufffc"  # code, math, an image, a footnote call: a word whose text is not ours
_LINE = "\u2028"  # a hard line break: nothing is added or replaced next to it
_SPACES = " \t\n\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006"
_SPACING = {";": NARROW, "!": NARROW, "?": NARROW, "»": NARROW, ":": NO_BREAK, "%": NO_BREAK}
# after these, a mark is part of a compound (``?!``, ``…?``) or opens something: no space
_NOT_A_WORD = set(_SPACES) | set(".,;:!?…«([{“‘'\"-‐–—/\\") | {_LINE}
_MARKS = re.compile(r"[;!?:»%«']")
_WORD_BEFORE = re.compile(r"[^\s\ufffc\u2028]*\Z")
_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[^\s\u00a0\u202f\ufffc\u2028]+")
_UNITS = ("km", "m", "cm", "mm", "µm", "nm", "km²", "m²", "m³", "cm²", "cm³", "ha", "kg", "g", "mg", "µg",
          "L", "l", "ml", "mL", "cl", "cL", "dl", "dL", "h", "min", "s", "ms", "µs", "ns", "Hz", "kHz", "MHz",
          "GHz", "ko", "Ko", "Mo", "Go", "To", "kB", "KB", "MB", "GB", "TB", "kb", "Mb", "Gb", "px", "pt",
          "W", "kW", "MW", "kWh", "mA", "dB", "km/h", "m/s", "°C", "°F", "€", "$", "£", "¥", "‰")
_UNIT = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?([ \t\n\u00a0\u202f\u2009]+)(?:"
                   + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True)) + r")(?![\w°²³/])")
_GROUPS = re.compile(r"(?<![\w.,\u00a0\u202f])\d{1,3}(?:[ \n\u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?(?!\w)")


def is_french(language: str) -> bool:
    return language.split("-")[0].strip().lower() == "fr"


# --- the rules, on a run of text -----------------------------------------------------------

@dataclass
class _Edits:
    """What to do to a run's characters: replace one, delete one, or add a space beside one."""

    replace: dict[int, str] = field(default_factory=dict)
    delete: set[int] = field(default_factory=set)
    before: dict[int, str] = field(default_factory=dict)
    after: dict[int, str] = field(default_factory=dict)

    def space_run(self, start: int, end: int, space: str) -> None:
        """The white space from ``start`` to ``end`` (excluded) becomes one ``space``."""
        if start in self.replace or start in self.delete:
            return  # another rule set it already
        self.replace[start] = space
        self.delete.update(range(start + 1, end))


def _edits(text: str, editable) -> _Edits:
    """The French spacing of ``text``: ``editable(position)`` says whether a character may
    be replaced (the quotation marks pandoc writes for a ``Quoted`` may not)."""
    edits = _Edits()
    frozen_starts, frozen_ends = [], []
    for url in _URL.finditer(text):
        end = url.end()
        while end > url.start() and text[end - 1] in ".,;:!?»)]":
            end -= 1  # the sentence's punctuation after a URL is not the URL's
        frozen_starts.append(url.start())
        frozen_ends.append(end)

    def frozen(position: int) -> bool:
        index = bisect.bisect_right(frozen_starts, position) - 1
        return index >= 0 and position < frozen_ends[index]

    def spaces_before(position: int) -> int:
        start = position
        while start > 0 and text[start - 1] in _SPACES and editable(start - 1):
            start -= 1
        return start

    def spaces_after(position: int) -> int:
        end = position
        while end < len(text) and text[end] in _SPACES and editable(end):
            end += 1
        return end

    size = len(text)
    for found in _MARKS.finditer(text):
        position, mark = found.start(), found.group()
        if frozen(position) or not editable(position):
            continue
        previous = text[position - 1] if position else ""
        following = text[position + 1] if position + 1 < size else ""
        if mark == "'":
            if previous.isalpha() and following.isalpha():
                edits.replace[position] = APOSTROPHE
            continue
        if mark == "«":
            end = spaces_after(position + 1)
            if end > position + 1:
                if end < size and text[end] not in (_LINE, "»"):
                    edits.space_run(position + 1, end, NARROW)
            elif following and following not in (_LINE, "»"):
                edits.after[position] = NARROW
            continue
        space = _SPACING[mark]
        if mark == "%" and following.isalnum():
            continue  # not a percent sign: a code (%20), a format (%d)
        start = spaces_before(position)
        if start < position:
            # white space at the start of the text or of a line is not rendered: left alone
            if start > 0 and text[start - 1] != _LINE:
                edits.space_run(start, position, space)
            continue
        if not previous or previous == _LINE:
            continue
        if mark == "»":
            if previous != "«":
                edits.before[position] = space
        elif mark == ":":
            word = _WORD_BEFORE.search(text, max(0, position - 100), position).group()
            if previous not in _NOT_A_WORD and (not following or following in _SPACES or following == _LINE) \
                    and ":" not in word:  # the end of ``:smile:``, ``12:30:``: part of the word
                edits.before[position] = space
        elif mark == "%":
            if previous.isdigit():
                edits.before[position] = space
        elif previous not in _NOT_A_WORD and not following.isalnum():
            edits.before[position] = space
    for number in _UNIT.finditer(text):
        if not frozen(number.start()):
            edits.space_run(number.start(1), number.end(1), NO_BREAK)
    for number in _GROUPS.finditer(text):
        if frozen(number.start()):
            continue
        for offset, character in enumerate(number.group()):
            if character in _SPACES:
                edits.space_run(number.start() + offset, number.start() + offset + 1, NARROW)
    return edits


def _apply(text: str, edits: _Edits, offset: int = 0) -> str:
    """``text`` (the part of a run from ``offset``) with the edits that fall in it made."""
    out = []
    for index, character in enumerate(text, offset):
        out.append(edits.before.get(index, ""))
        if index not in edits.delete:
            out.append(edits.replace.get(index, character))
        out.append(edits.after.get(index, ""))
    return "".join(out)


def french_spacing(text: str) -> str:
    """``text`` with the French rules applied (the title, a label, a template's words)."""
    if not text:
        return text
    edits = _edits(text, lambda position: True)
    if not (edits.replace or edits.delete or edits.before or edits.after):
        return text
    return _apply(text, edits)


def typeset_text(text: str | None, language: str) -> str | None:
    """``text`` as the book prints it: French rules for a French book, else as given."""
    return french_spacing(text) if text and is_french(language) else text


# --- the AST --------------------------------------------------------------------------------

# inline containers a run of text goes through: where their inlines are in ``c``
_CONTAINERS = {"Emph": None, "Underline": None, "Strong": None, "Strikeout": None, "Superscript": None,
               "Subscript": None, "SmallCaps": None, "Span": 1, "Link": 1, "Cite": 1}
_UNTOUCHED_BLOCKS = {"CodeBlock", "RawBlock"}
# the inline HTML tags pandoc.made_safe keeps: formatting around words, not words
_FORMATTING_TAG = re.compile(r"^</?(?:sup|sub|u|mark|kbd|small|b|i|em|strong|s|del|ins|span)>$", re.I)
_WORTH_READING = re.compile(r"[;!?:»%«'\d]")
_QUOTES = {"DoubleQuote": ("“", "”"), "SingleQuote": ("‘", "’")}


class _Run:
    """One run of text: the characters a paragraph (or heading, cell…) shows, and for each
    piece the node it came from."""

    def __init__(self):
        self.pieces: list[str] = []
        self.starts: list[int] = []
        # where each piece's node stands (its list, its index), None for a character the
        # writers make (a quote mark): a word is changed by putting a new node in its place,
        # never in the node itself, which may be shared (``ast.SharedLeaves``)
        self.places: list[tuple[list, int] | None] = []
        self.size = 0
        self.lists: list[list] = []  # the inline lists holding its nodes (to drop deleted ones)

    def add(self, text: str, place: tuple[list, int] | None = None) -> None:
        if text:
            self.pieces.append(text)
            self.starts.append(self.size)
            self.places.append(place)
            self.size += len(text)

    def piece_at(self, position: int) -> int:
        return bisect.bisect_right(self.starts, position) - 1


def _read_run(inlines: list, run: _Run, notes: list) -> None:
    run.lists.append(inlines)
    for index, node in enumerate(inlines):
        kind = node.get("t")
        if kind == "Str":
            run.add(node["c"], (inlines, index))
        elif kind == "Space":
            run.add(" ", (inlines, index))
        elif kind == "SoftBreak":
            run.add("\n", (inlines, index))
        elif kind == "LineBreak":
            run.add(_LINE)
        elif kind in _CONTAINERS:
            position = _CONTAINERS[kind]
            _read_run(node["c"] if position is None else node["c"][position], run, notes)
        elif kind == "Quoted":
            opening, closing = _QUOTES.get(node["c"][0].get("t"), ("“", "”"))
            run.add(opening)
            _read_run(node["c"][1], run, notes)
            run.add(closing)
        elif kind == "RawInline":
            written = node["c"][1].strip()
            if re.fullmatch(r"(?i)<br\s*/?>", written):
                run.add(_LINE)
            elif not (node["c"][0] == "html" and _FORMATTING_TAG.match(written)):
                run.add(_OPAQUE)
        else:  # Code, Math, Image, Note and anything unknown: a word of its own
            run.add(_OPAQUE)
            if kind == "Note":
                notes.append(node["c"])


def _typeset_run(inlines: list) -> None:
    run, notes = _Run(), []
    _read_run(inlines, run, notes)
    text = "".join(run.pieces)
    if _WORTH_READING.search(text):
        edits = _edits(text, lambda position: run.places[run.piece_at(position)] is not None)
        touched = set()
        for position in [*edits.replace, *edits.delete, *edits.before, *edits.after]:
            piece = run.piece_at(position)
            if run.places[piece] is not None:
                touched.add(piece)
        for piece in touched:
            inline_list, index = run.places[piece]
            node, start = inline_list[index], run.starts[piece]
            written = {"Space": " ", "SoftBreak": "\n"}.get(node["t"], node.get("c"))
            inline_list[index] = {"t": "Str", "c": _apply(written, edits, start)}
        if touched:
            for inline_list in run.lists:
                inline_list[:] = [n for n in inline_list if not (n.get("t") == "Str" and n.get("c") == "")]
    for blocks in notes:
        _typeset_tree(blocks)


def _typeset_tree(tree) -> None:
    """Every run of text under ``tree`` (blocks, or any part of a block), in place."""
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            if item and isinstance(item[0], dict) and item[0].get("t") in INLINE_KINDS:
                _typeset_run(item)
            else:
                stack.extend(item)
        elif isinstance(item, dict) and item.get("t") not in _UNTOUCHED_BLOCKS and "c" in item:
            stack.append(item["c"])


def typeset(ast: dict, language: str, in_place: bool = False) -> dict:
    """The book's AST with French typography in its text (a new AST: the one given is not
    changed, unless ``in_place``: the build's own AST, which nothing else holds, is not
    copied, a second or two for a large book); for a book in another language, the AST as
    given."""
    if not is_french(language):
        return ast
    blocks = ast["blocks"] if in_place else json.loads(json.dumps(ast["blocks"]))
    _typeset_tree(blocks)
    return {**ast, "blocks": blocks}
