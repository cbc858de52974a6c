"""Syntax: the Markdown parser, with Obsidian's forms taught to it as parser rules.

The parser is markdown-it-py (CommonMark, linear time) with the GFM tables, strikethrough
and autolinks, mdit-py-plugins' footnotes (``[^1]`` and inline ``^[…]``) and dollar math
(``$x$``, ``$$x$$``, with pandoc's rules: no space inside the dollars, no digit after the
closing one). Obsidian's own forms are recognised where markdown-it recognises its own,
in its rule chains, so they are never looked for inside code, and nesting is the parser's:

======================  =============  ==================================================
form                    rule           token
======================  =============  ==================================================
``[[Note#H|label]]``    ``wikilink``   ``wikilink`` (meta: target, label, embed=False)
``![[Note]]``           ``wikilink``   ``wikilink`` (meta: embed=True)
``==text==``            ``highlight``  ``mark_open`` … ``mark_close``
``%%comment%%``         ``comment``    nothing (inline); ``obsidian_comment`` (block)
``#tag``                ``tag``        ``tag`` (meta: name)
``[@key, p. 2; @b]``    ``citation``   ``citation`` (meta: items, written)
``[Key:: value]``       ``field``      ``field_open`` … ``field_close`` (meta: key)
``(Key:: value)``       ``field``      same, meta ``paren`` True (the value alone shows)
======================  =============  ==================================================

Each rule is added beside the markdown-it rule it must run before, and says why there.
Forms that are a reading of an ordinary CommonMark tree (callouts are block quotes, block
ids and ``Key:: value`` lines are text at a block's end or start, task boxes are text at
an item's start) are rules over the tree instead (``rules``).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

# markdown-it stops reading a container's content past this depth and drops it; the tree
# stage bounds nesting itself, with a warning (``parse.tree.MAX_DEPTH``), so the parser's
# own bound is set far beyond any real note for blocks. Inline, the bound is markdown-it's
# usual one: past it brackets and emphasis marks are read as text (nothing is lost), and
# 3,000 nested "[" cost linear time instead of a 3,000-deep search.
_PARSER_MAX_NESTING = 100_000
_INLINE_MAX_NESTING = 50

# A citation key, as pandoc reads it: a letter, digit or _ first, then key punctuation.
CITATION_KEY = r"[A-Za-z0-9_][\w:.#$%&\-+?<>~/]*"
_KEY_TRAILING = ".:?#$%&-+<>~/"
_CITATION_ITEM = re.compile(r"^(?P<prefix>(?:.*?\s)?)(?P<suppress>-)?@(?P<key>" + CITATION_KEY + r")(?P<suffix>.*)$",
                            re.DOTALL)
# An inline field's key: no markup characters, no colon; Dataview's rule.
_FIELD_KEY = re.compile(r"([^\s:*_\[\]()`>|#][^:\[\]()`|\n]*?)::")
# a field's value runs to its closing bracket; wikilinks, citations and code spans inside
_FIELD_VALUE = {"[": re.compile(r"(?:\[\[[^\[\]\n]*\]\]|\[[^\[\]\n]*\]|`[^`\n]*`|[^\[\]\n])*?\]"),
                "(": re.compile(r"(?:\[\[[^\[\]\n]*\]\]|`[^`\n]*`|[^()\n])*?\)")}
_TAG_BODY = re.compile(r"[\w/-]+")
# how far a rule looks for the end of its form: a wikilink, a citation or a bracketed
# field is short and on one line; looking further would make "[[[[…" cost the square
_WINDOW = 2000
_TAG_AFTER = frozenset(" \t\n([{\"'«“")


def split_citation_key(raw: str) -> tuple[str, str]:
    """A key never ends with punctuation: ``smith2020.`` is the key smith2020 and a full stop."""
    key = raw.rstrip(_KEY_TRAILING)
    return key, raw[len(key):]


def _line_end(state: StateInline, start: int) -> int:
    """Where the line holding ``start`` ends, within the window and the inline's end."""
    end = min(state.posMax, start + _WINDOW)
    newline = state.src.find("\n", start, end)
    return newline if newline >= 0 else end


# --- wikilinks and embeds ----------------------------------------------------------------

def wikilink(state: StateInline, silent: bool) -> bool:
    """``[[target|label]]`` and ``![[target|label]]``, on one line, holding no bracket.

    In a table, ``\\|`` separates target and label (the pipe alone would end the cell)."""
    pos, src = state.pos, state.src
    embed = src.startswith("![[", pos)
    if not embed and not src.startswith("[[", pos):
        return False
    start = pos + (3 if embed else 2)
    end = src.find("]]", start, _line_end(state, start))
    if end < 0:
        return False
    inner = src[start:end]
    if "\n" in inner or "[" in inner or "]" in inner:
        return False
    if not inner.replace("\\|", "|").partition("|")[0].strip(" #^"):
        return False  # "[[]]", "[[|x]]", "[[#]]": no target, text as Obsidian shows it
    if not silent:
        target, has_label, label = inner.replace("\\|", "|").partition("|")
        token = state.push("wikilink", "", 0)
        token.meta = {"target": target, "label": label.strip() if has_label else None, "embed": embed,
                      "written": src[pos:end + 2]}
        token.content = inner
    state.pos = end + 2
    return True


# --- highlights ----------------------------------------------------------------------------

def highlight(state: StateInline, silent: bool) -> bool:
    """``==text==``: no space just inside the marks; the text is parsed as inline Markdown."""
    pos, src = state.pos, state.src
    if not src.startswith("==", pos) or src.startswith("===", pos):
        return False
    if pos > 0 and src[pos - 1] in "=\\":
        return False
    start = pos + 2
    if start >= state.posMax or src[start].isspace():
        return False
    # a search that found no closing marks from an earlier opener finds none from a later one
    failed = state.env.get("_highlight_failed")
    if failed and failed[0] is src and failed[1] == state.posMax and pos >= failed[2]:
        return False
    close = _find_closing_marks(src, start, state.posMax)
    if close < 0:
        state.env["_highlight_failed"] = (src, state.posMax, pos)
        return False
    if not silent:
        _enclose(state, "mark", start, close, {})
    state.pos = close + 2
    return True


def _enclose(state: StateInline, name: str, start: int, end: int, meta: dict) -> None:
    """``name_open``, the inline Markdown of ``src[start:end]`` parsed, ``name_close``."""
    state.push(f"{name}_open", name if name == "mark" else "", 1).meta = meta
    old_max = state.posMax
    state.pos, state.posMax = start, end
    state.md.inline.tokenize(state)
    state.posMax = old_max
    state.push(f"{name}_close", name if name == "mark" else "", -1)


def _find_closing_marks(src: str, start: int, end: int) -> int:
    i = start
    while i < end - 1:
        character = src[i]
        if character == "\\":
            i += 2
            continue
        if character == "`":
            run = len(src[i:end]) - len(src[i:end].lstrip("`"))
            close = src.find("`" * run, i + run, end)
            i = close + run if close >= 0 else i + run
            continue
        if character == "\n" and src.startswith("\n", i + 1):
            return -1
        if src.startswith("==", i) and not src[i - 1].isspace() and not src.startswith("===", i):
            return i
        i += 1
    return -1


# --- comments ----------------------------------------------------------------------------

def inline_comment(state: StateInline, silent: bool) -> bool:
    """``%%hidden%%`` inside a paragraph vanishes; an unclosed one hides the paragraph's rest."""
    pos, src = state.pos, state.src
    if not src.startswith("%%", pos):
        return False
    close = src.find("%%", pos + 2, state.posMax)
    state.pos = close + 2 if close >= 0 else state.posMax
    return True


def block_comment(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A comment opened at the start of a block runs to the line holding the closing ``%%``,
    over blank lines and code fences (Obsidian hides all of it)."""
    begin = state.bMarks[start_line] + state.tShift[start_line]
    finish = state.eMarks[start_line]
    if state.sCount[start_line] - state.blkIndent >= 4 or not state.src.startswith("%%", begin):
        return False
    first_line = state.src[begin + 2:finish]
    closes_here = "%%" in first_line
    if closes_here and first_line[first_line.find("%%") + 2:].strip():
        return False  # "%%a%% text": an inline comment in a paragraph
    if silent:
        return True
    line = start_line
    if not closes_here:
        line += 1
        while line < end_line:
            text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
            if "%%" in text:
                break
            line += 1
    state.line = min(line + 1, end_line)
    token = state.push("obsidian_comment", "", 0)
    token.map = [start_line, state.line]
    token.hidden = True
    return True


# --- tags ------------------------------------------------------------------------------

def tag(state: StateInline, silent: bool) -> bool:
    """``#tag``: after a space or an opening bracket (not inside a word or a URL), letters,
    digits, ``_``, ``-`` and ``/``, at least one of them not a digit."""
    pos, src = state.pos, state.src
    if src[pos] != "#" or (pos > 0 and src[pos - 1] not in _TAG_AFTER):
        return False
    found = _TAG_BODY.match(src, pos + 1, state.posMax)
    if not found or not any(not c.isdigit() for c in found.group(0)) or found.group(0).strip("/-_") == "":
        return False
    if not silent:
        token = state.push("tag", "", 0)
        token.meta = {"name": found.group(0)}
    state.pos = found.end()
    return True


# --- citations ---------------------------------------------------------------------------

def citation(state: StateInline, silent: bool) -> bool:
    """``[@key]``, ``[see @a, p. 2; -@b]``: pandoc's bracketed citation; the keys are checked
    later (an unknown key is shown as written)."""
    pos, src = state.pos, state.src
    if src[pos] != "[":
        return False
    end = _line_end(state, pos)
    close = src.find("]", pos + 1, end)
    if close < 0 or "@" not in src[pos:close]:
        return False
    body = src[pos + 1:close]
    if "[" in body or "\n\n" in body or (close + 1 < len(src) and src[close + 1] in "[({"):
        return False
    items = []
    for part in body.split(";"):
        found = _CITATION_ITEM.match(part.strip())
        if not found:
            return False
        key, rest = split_citation_key(found.group("key"))
        items.append({"prefix": found.group("prefix").strip(), "key": key,
                      "suffix": (rest + found.group("suffix")).rstrip(),
                      "mode": "suppress-author" if found.group("suppress") else "normal"})
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": items, "written": src[pos:close + 1]}
    state.pos = close + 1
    return True


# --- inline fields ---------------------------------------------------------------------

def inline_field(state: StateInline, silent: bool) -> bool:
    """``[Key:: value]`` (shown as « Key : value ») and ``(Key:: value)`` (the value alone)."""
    pos, src = state.pos, state.src
    opener = src[pos]
    if opener not in "[(":
        return False
    end = _line_end(state, pos)
    key = _FIELD_KEY.match(src, pos + 1, end)
    if not key:
        return False
    value = _FIELD_VALUE[opener].match(src, key.end(), end)
    if not value:
        return False
    close = value.end() - 1
    value_start = key.end()
    while value_start < close and src[value_start] in " \t":
        value_start += 1
    if not silent:
        _enclose(state, "field", value_start, close, {"key": key.group(1).strip(), "paren": opener == "("})
    state.pos = close + 1
    return True


def make_parser() -> MarkdownIt:
    """The parser every note is read with."""
    # typographer: curly quotes, as pandoc's "smart" reading gives them (dashes and
    # ellipses: parse.tree, since markdown-it's replacements would also turn "(c)" into ©)
    md = MarkdownIt("commonmark", {"maxNesting": _PARSER_MAX_NESTING, "typographer": True})
    md.enable(["table", "strikethrough", "smartquotes"])
    footnote_plugin(md)
    # pandoc's tex_math_dollars: "$5 and $6" is money, not math
    dollarmath_plugin(md, allow_labels=False, allow_space=False, allow_digits=False, allow_blank_lines=False,
                      double_inline=True)
    gfm_autolink_plugin(md)
    _bound_autolink_protocol(md)
    # "[[" must be read before "[" can open a link (and "![[" before "![" an image)
    md.inline.ruler.before("link", "wikilink", wikilink)
    md.inline.ruler.before("image", "wikilink_embed", wikilink)
    # "[Key:: v]" and "[@key]" are not links either; fields first: "[Source:: @key]" is a field
    md.inline.ruler.before("link", "inline_field", inline_field)
    md.inline.ruler.before("link", "citation", citation)
    md.inline.ruler.after("strikethrough", "highlight", highlight)
    md.inline.ruler.before("backticks", "comment", inline_comment)
    md.inline.ruler.push("tag", tag)
    # "(" so that "(Key:: value)" reaches its rule; ")" so that the text rule, reading the
    # value, stops at its end (it stops only at such characters, not at the end it is given)
    md.inline.add_terminator_char("(")
    md.inline.add_terminator_char(")")
    # a comment line may interrupt a paragraph, a list or a quote, as in Obsidian
    md.block.ruler.before("fence", "obsidian_comment", block_comment,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.core.ruler.before("inline", "inline_nesting", lambda state: _set_nesting(state, _INLINE_MAX_NESTING))
    md.core.ruler.after("inline", "block_nesting", lambda state: _set_nesting(state, _PARSER_MAX_NESTING))
    return md


_PROTOCOLS = ("http", "https", "mailto", "xmpp")


def _bound_autolink_protocol(md: MarkdownIt) -> None:
    """The GFM autolink rule for "http:" copies the rest of the paragraph at every colon and
    searches the text before it: the square of a long line full of colons. It is asked only
    where the text before the colon ends with a protocol's name, which is what it looks for."""
    rules = {rule.name: rule.fn for rule in md.inline.ruler.__rules__}
    protocol = rules["gfm_autolink_protocol"]

    def bounded(state: StateInline, silent: bool) -> bool:
        if not state.pending.endswith(_PROTOCOLS):
            return False
        return protocol(state, silent)

    md.inline.ruler.at("gfm_autolink_protocol", bounded)


def _set_nesting(state, bound: int) -> None:
    state.md.options["maxNesting"] = bound


_PARSER: MarkdownIt | None = None


def parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        _PARSER = make_parser()
    return _PARSER
