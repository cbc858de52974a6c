"""Tree: markdown-it's token stream as a syntax tree in pandoc's own shapes, with source lines.

Every node is a dict of pandoc's JSON AST (``{"t": "Para", "c": [...]}``), so that the
finished tree goes to pandoc as it is; a block node (and each Obsidian node) also carries
``"line"``, its line in the note's file (pandoc ignores keys it does not know). Obsidian's
forms that need the book to be resolved stay as nodes of their own until a rule replaces
them, each with the text as written (``"written"``) for diagnostics:

* ``{"t": "WikiLink", "target", "label", "embed", "written", "line"}``
* ``{"t": "Citation", "items", "written", "line"}``
* ``{"t": "InlineField", "key", "paren", "c": inlines, "line"}``

Highlights and tags need nothing from the book and are made here (``.mark`` and ``.tag``
spans). Footnotes become pandoc ``Note`` elements where they are called: a note's
footnotes are its own, whatever else the book holds.

Containers (lists, quotes, callouts) deeper than ``MAX_DEPTH`` are not nested further:
their content joins the container at that depth, every word kept, with one
``structure.depth`` warning per note (a 400-deep list took the layout 400 s).
The conversion uses an explicit stack, never recursion, so any depth converts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from ..diagnostics import Diagnostic, warning
from .walk import copy_tree

# lists, quotes and callouts nested deeper are printed at this depth: each level indents the
# text, and past ten the column of a printed page is too narrow for words
MAX_DEPTH = 10

_CONTAINERS = {"blockquote_open", "bullet_list_open", "ordered_list_open"}
_EMPTY_ATTR = ("", [], [])


def attr(identifier: str = "", classes: list[str] | None = None, pairs: list[list[str]] | None = None) -> list:
    return [identifier, list(classes or []), list(pairs or [])]


def smart_text(text: str) -> str:
    """Dashes and ellipses as pandoc's "smart" reading writes them."""
    if "--" in text:
        text = text.replace("---", "\u2014").replace("--", "\u2013")
    return text.replace("...", "\u2026") if "..." in text else text


_WHITESPACE = re.compile(r"([ \t]*\n[ \t]*|[ \t]+)")


def text_inlines(text: str) -> list[dict]:
    """Plain text as pandoc inlines: words (``Str``), the spaces and line breaks between them."""
    out: list[dict] = []
    for index, part in enumerate(_WHITESPACE.split(text)):
        if index % 2 == 0:
            if part:
                out.append({"t": "Str", "c": part})
        elif "\n" in part:
            out.append({"t": "SoftBreak"})
        else:
            out.append({"t": "Space"})
    return out


@dataclass
class _Frame:
    kind: str  # the open token's type, or "root"
    token: Token | None
    blocks: list = field(default_factory=list)
    items: list = field(default_factory=list)  # a list's items
    transparent: bool = False  # too deep: its content goes to the frame below
    source: str = ""  # a heading's text as written (links name headings by it)


@dataclass
class ParsedTree:
    blocks: list[dict]
    diagnostics: list[Diagnostic]


class _Converter:
    def __init__(self, tokens: list[Token], path: str, first_line: int):
        self.tokens = tokens
        self.path = path
        self.first_line = first_line  # the file line of the body's first line
        self.diagnostics: list[Diagnostic] = []
        self.footnotes: dict[int, list[dict]] = {}
        self.too_deep_reported = False
        self._inside_note: int | None = None  # the footnote whose definition is being read
        self._inner_calls: dict[int, list[int]] = {}  # footnote -> footnotes it calls
        self._labels: dict[int, str] = {}

    def line_of(self, token: Token | None) -> int | None:
        if token is None or not token.map:
            return None
        return self.first_line + token.map[0]

    # --- blocks ------------------------------------------------------------------------

    def convert(self) -> list[dict]:
        body, notes = self._split_footnote_block()
        # a footnote called inside another one is a mark there (pandoc has no note in a note);
        # its text follows the outer note's when the body does not call it itself
        called = {child.meta["id"] for token in body if token.type == "inline"
                  for child in token.children or [] if child.type == "footnote_ref"}
        for note_id, tokens in notes.items():
            self._inside_note = note_id
            self.footnotes[note_id] = self._blocks(tokens)
        self._inside_note = None
        for outer, inner_ids in self._inner_calls.items():
            for inner in dict.fromkeys(inner_ids):
                if inner not in called and inner != outer and self.footnotes.get(inner):
                    self.footnotes[outer] = [*self.footnotes[outer], *_marked(self.footnotes[inner],
                                                                              self._labels[inner])]
        return self._blocks(body)

    def _split_footnote_block(self) -> tuple[list[Token], dict[int, list[Token]]]:
        """The body's tokens, and each footnote definition's tokens by id (the footnote
        plugin gathers the definitions in one block at the end)."""
        body: list[Token] = []
        notes: dict[int, list[Token]] = {}
        current: list[Token] | None = None
        for token in self.tokens:
            kind = token.type
            if kind in ("footnote_block_open", "footnote_block_close", "footnote_anchor"):
                continue
            if kind == "footnote_open":
                current = notes.setdefault(token.meta["id"], [])
                continue
            if kind == "footnote_close":
                current = None
                continue
            (current if current is not None else body).append(token)
        return body, notes

    def _blocks(self, tokens: list[Token]) -> list[dict]:
        stack = [_Frame("root", None)]
        depth = 0  # containers open (quotes and lists), transparent ones excluded
        for token in tokens:
            kind = token.type
            top = stack[-1]
            if kind.endswith("_open"):
                if kind in _CONTAINERS:
                    if depth >= MAX_DEPTH:
                        self._report_depth(token)
                        stack.append(_Frame(kind, token, transparent=True))
                        continue
                    depth += 1
                if kind == "list_item_open" and top.transparent:
                    stack.append(_Frame(kind, token, transparent=True))
                    continue
                stack.append(_Frame(kind, token))
                continue
            if kind.endswith("_close"):
                frame = stack.pop()
                if frame.transparent:
                    # each flattened item keeps a line of its own (a tight list's text is Plain)
                    blocks = [{**b, "t": "Para"} if b.get("t") == "Plain" else b for b in frame.blocks]
                    self._deliver(stack[-1], blocks)
                    continue
                if frame.kind in _CONTAINERS:
                    depth -= 1
                node = self._close(frame, token)
                if node is None:
                    continue
                target = stack[-1]
                if frame.kind == "list_item_open":
                    target.items.append(node)
                else:
                    self._deliver(target, [node])
                continue
            node = self._leaf(token, top)
            if node is not None:
                self._deliver(top, [node])
        return stack[0].blocks

    @staticmethod
    def _deliver(frame: _Frame, nodes: list) -> None:
        if frame.kind in ("bullet_list_open", "ordered_list_open") and not frame.transparent:
            # content of a flattened item lands in the list as an item of its own
            if nodes:
                frame.items.append(nodes)
            return
        frame.blocks.extend(nodes)

    def _report_depth(self, token: Token) -> None:
        if self.too_deep_reported:
            return
        self.too_deep_reported = True
        self.diagnostics.append(warning(
            "structure.depth", f"lists, quotes and callouts nest more than {MAX_DEPTH} deep here; "
            f"what lies deeper is printed at depth {MAX_DEPTH}", self.path, self.line_of(token)))

    def _close(self, frame: _Frame, closing: Token) -> dict | list | None:
        token = frame.token
        line = self.line_of(token)
        kind = frame.kind
        if kind == "paragraph_open":
            inlines = frame.blocks
            return {"t": "Plain" if token.hidden else "Para", "c": inlines, "line": line}
        if kind == "heading_open":
            return {"t": "Header", "c": [int(token.tag[1]), attr(), frame.blocks], "line": line,
                    "source": frame.source, "atx": token.markup.startswith("#")}
        if kind == "blockquote_open":
            return {"t": "BlockQuote", "c": frame.blocks, "line": line}
        if kind == "bullet_list_open":
            return {"t": "BulletList", "c": frame.items, "line": line}
        if kind == "ordered_list_open":
            start = int(token.attrGet("start") or 1)
            delimiter = "OneParen" if token.markup == ")" else "Period"
            return {"t": "OrderedList", "c": [[start, {"t": "Decimal"}, {"t": delimiter}], frame.items],
                    "line": line}
        if kind == "list_item_open":
            return _ListItem(frame.blocks, line)
        if kind == "table_open":
            return self._table(frame, line)
        if kind in ("thead_open", "tbody_open", "tr_open", "th_open", "td_open"):
            return _TablePart(kind, frame.blocks, token)
        return {"t": "Div", "c": [attr(), frame.blocks], "line": line}

    def _leaf(self, token: Token, top: _Frame) -> dict | None:
        kind = token.type
        line = self.line_of(token)
        if kind == "inline":
            top.source = token.content
            top.blocks.extend(self._inlines(token.children or [], line))
            return None
        if kind == "fence":
            language = token.info.strip().split(None, 1)[0] if token.info.strip() else ""
            return {"t": "CodeBlock", "c": [attr("", [language] if language else []), _code_text(token.content)],
                    "line": line}
        if kind == "code_block":
            return {"t": "CodeBlock", "c": [attr(), _code_text(token.content)], "line": line}
        if kind == "hr":
            return {"t": "HorizontalRule", "line": line}
        if kind == "html_block":
            return {"t": "RawBlock", "c": ["html", token.content], "line": line}
        if kind == "math_block":
            return {"t": "Para", "c": [{"t": "Math", "c": [{"t": "DisplayMath"}, token.content.strip()]}],
                    "line": line}
        return None  # a comment block (``obsidian_comment``) shows nothing

    def _table(self, frame: _Frame, line: int | None) -> dict:
        head_rows: list = []
        body_rows: list = []
        alignments: list = []
        for part in frame.blocks:
            if not isinstance(part, _TablePart):
                continue
            rows = [row for row in part.blocks if isinstance(row, _TablePart)]
            for row in rows:
                cells = []
                for cell in row.blocks:
                    if not isinstance(cell, _TablePart):
                        continue
                    align = _alignment(cell.token)
                    if part.kind == "thead_open":
                        alignments.append(align)
                    content = [{"t": "Plain", "c": cell.blocks}] if cell.blocks else []
                    cells.append([attr(), {"t": align}, 1, 1, content])
                (head_rows if part.kind == "thead_open" else body_rows).append([attr(), cells])
        columns = max([len(alignments)] + [len(row[1]) for row in body_rows])
        alignments += ["AlignDefault"] * (columns - len(alignments))
        colspecs = [[{"t": align}, {"t": "ColWidthDefault"}] for align in alignments]
        return {"t": "Table", "c": [attr(), [None, []], colspecs, [attr(), head_rows],
                                    [[attr(), 0, [], body_rows]], [attr(), []]], "line": line}

    # --- inlines -----------------------------------------------------------------------

    def _inlines(self, children: list[Token], line: int | None) -> list[dict]:
        stack: list[tuple[str, list, Token | None]] = [("root", [], None)]
        pending_text: list[str] = []

        def flush() -> None:
            if pending_text:
                words = text_inlines("".join(pending_text))
                target = stack[-1][1]
                if words and words[0]["t"] == "Space" and (not target or target[-1]["t"] in ("Space", "SoftBreak")):
                    words = words[1:]
                target.extend(words)
                pending_text.clear()

        for token in children:
            kind = token.type
            if kind == "text":
                pending_text.append(smart_text(token.content))
                continue
            if kind == "text_special":  # an escaped character or an entity: as written
                pending_text.append(token.content)
                continue
            flush()
            out = stack[-1][1]
            if kind == "softbreak":
                out.append({"t": "SoftBreak"})
                line = None if line is None else line + 1
            elif kind == "hardbreak":
                out.append({"t": "LineBreak"})
                line = None if line is None else line + 1
            elif kind == "code_inline":
                out.append({"t": "Code", "c": [attr(), token.content]})
            elif kind == "html_inline":
                out.append({"t": "RawInline", "c": ["html", token.content]})
            elif kind == "math_inline":
                out.append({"t": "Math", "c": [{"t": "InlineMath"}, token.content]})
            elif kind == "math_inline_double":
                out.append({"t": "Math", "c": [{"t": "DisplayMath"}, token.content]})
            elif kind == "image":
                alt = self._inlines(token.children or [], line)
                target = [token.attrGet("src") or "", token.attrGet("title") or ""]
                out.append({"t": "Image", "c": [attr(), alt, target],
                            "line": line})
            elif kind == "footnote_ref":
                note_id = token.meta["id"]
                self._labels[note_id] = str(token.meta.get("label") or note_id + 1)
                if self._inside_note is not None:
                    self._inner_calls.setdefault(self._inside_note, []).append(note_id)
                    out.append({"t": "Superscript", "c": [{"t": "Str", "c": self._labels[note_id]}]})
                else:
                    out.append({"t": "Note", "c": copy_tree(self.footnotes.get(note_id, [])), "line": line})
            elif kind == "wikilink":
                out.append({"t": "WikiLink", **token.meta, "line": line})
            elif kind == "citation":
                out.append({"t": "Citation", **token.meta, "line": line})
            elif kind == "tag":
                out.append({"t": "Span", "c": [attr("", ["tag"]), [{"t": "Str", "c": "#" + token.meta["name"]}]],
                            "tag": token.meta["name"], "line": line})
            elif kind.endswith("_open"):
                stack.append((kind, [], token))
            elif kind.endswith("_close"):
                opened, content, opening = stack.pop()
                node = self._inline_container(opened, content, opening, line)
                if node is not None:
                    stack[-1][1].append(node)
        flush()
        while len(stack) > 1:  # an unclosed container (should not happen): keep its content
            _, content, _ = stack.pop()
            stack[-1][1].extend(content)
        return stack[0][1]

    @staticmethod
    def _inline_container(kind: str, content: list, token: Token, line: int | None) -> dict | None:
        if kind == "em_open":
            return {"t": "Emph", "c": content}
        if kind == "strong_open":
            return {"t": "Strong", "c": content}
        if kind == "s_open":
            return {"t": "Strikeout", "c": content}
        if kind == "mark_open":
            return {"t": "Span", "c": [attr("", ["mark"]), content]}
        if kind == "link_open":
            return {"t": "Link", "c": [attr(), content, [token.attrGet("href") or "", token.attrGet("title") or ""]],
                    "line": line, "autolink": token.markup in ("autolink", "linkify")}
        if kind == "field_open":
            return {"t": "InlineField", "key": token.meta["key"], "paren": token.meta["paren"], "c": content,
                    "line": line}
        return {"t": "Span", "c": [attr(), content]}


class _ListItem(list):
    """A list item's blocks, with the item's line (pandoc's list items are bare lists)."""

    def __init__(self, blocks: list, line: int | None):
        super().__init__(blocks)
        self.line = line


@dataclass
class _TablePart:
    kind: str
    blocks: list
    token: Token


def _alignment(token: Token) -> str:
    style = token.attrGet("style") or ""
    for name, value in (("left", "AlignLeft"), ("right", "AlignRight"), ("center", "AlignCenter")):
        if f"text-align:{name}" in style.replace(" ", ""):
            return value
    return "AlignDefault"


def _code_text(content: str) -> str:
    """A code block's text without its trailing blank lines: they show nothing, and pandoc
    keeps them in plain code but drops one in highlighted code, so keeping them would
    make the same block differ between a ```text fence and a ```python one."""
    return content.rstrip("\n")


def _marked(blocks: list, label: str) -> list:
    """A footnote's blocks, its first paragraph opening with its mark."""
    mark = [{"t": "Superscript", "c": [{"t": "Str", "c": label}]}, {"t": "Space"}]
    if blocks and blocks[0].get("t") in ("Para", "Plain"):
        return [{**blocks[0], "t": "Para", "c": mark + blocks[0]["c"]}, *blocks[1:]]
    return [{"t": "Para", "c": mark[:1]}, *blocks]


def to_tree(tokens: list[Token], path: str, first_line: int) -> ParsedTree:
    converter = _Converter(tokens, path, first_line)
    blocks = converter.convert()
    return ParsedTree(blocks, converter.diagnostics)
