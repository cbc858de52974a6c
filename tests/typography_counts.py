"""French spacing as a reader meets it in a page of HTML or XHTML: what the tests count.

``reader_text(markup)`` is the text of a page outside code, preformatted text, math,
scripts and attribute values, with inline tags dissolved (``<em>mot</em> :`` is
``mot :``) and every block boundary a paragraph separator (U+2029): white space next
to one is not rendered, so it is never counted. ``spacing_faults(text)`` counts, per
mark, the breakable spaces a French line could break at: an ordinary space or line end
immediately before ``; ! ? : » %`` or after ``«``, and the doubled spaces (two
no-break spaces in a row, or one beside an ordinary space).
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

_HIDDEN = {"code", "pre", "math", "script", "style", "svg"}
_BLOCKS = {"address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div", "dl",
           "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr",
           "html", "li", "main", "nav", "ol", "p", "section", "summary", "table", "tbody", "td", "tfoot", "th",
           "thead", "title", "tr", "ul"}
BOUNDARY = "\u2029"
HIDDEN = "\ufffc"  # where code, math… stood: a word the counts see, never its text


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            if self.hidden == 0:
                self.parts.append(HIDDEN)
            self.hidden += 1
        elif tag in _BLOCKS and not self.hidden:
            self.parts.append(BOUNDARY)

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCKS and not self.hidden:
            self.parts.append(BOUNDARY)

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS and not self.hidden:
            self.parts.append(BOUNDARY)

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def reader_text(markup: str) -> str:
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return "".join(reader.parts)


# an ordinary space (or line end, or tab) that follows something rendered
_BREAKABLE = r"(?<=[^\s\u2029])[ \t\r\n]+"
_FAULTS = {
    **{f"space before {mark}": re.compile(_BREAKABLE + re.escape(mark)) for mark in ";!?:»%"},
    "space after «": re.compile(r"«[ \t\r\n]+(?=[^\s\u2029])"),
    "doubled space": re.compile(r"[\u00a0\u202f][\u00a0\u202f]|[\u00a0\u202f] |(?<=[^\s\u2029]) [\u00a0\u202f]"),
}


def spacing_faults(text: str) -> Counter:
    """How many times each fault occurs in ``text`` (only the faults found are keys)."""
    found = Counter()
    for name, pattern in _FAULTS.items():
        count = len(pattern.findall(text))
        if count:
            found[name] = count
    return found


def no_break_before(text: str, mark: str) -> int:
    """How many ``mark`` are held to the word before them by a no-break space."""
    return len(re.findall("[\u00a0\u202f]" + re.escape(mark), text))
