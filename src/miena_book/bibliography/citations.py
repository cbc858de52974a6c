"""Citations in a note's text: pandoc's syntax, marked up for the citeproc stage.

``[@key]``, ``[@key, p. 12]``, ``[see @a; @b, chap. 2]``, ``[-@key]`` (year only) and
``@key`` in running text (author in the sentence, optionally ``@key [p. 12]``) are read as
pandoc reads them. The book's Markdown reader (``commonmark_x``) has no citations, so each
citation is written as nested spans that ``export.citeproc`` turns back into pandoc
``Cite`` elements::

    [[[see]{.cite-prefix}[key]{.cite-id}[, p. 12]{.cite-suffix}]{.cite-item .normal}]{.citation}

A bracketed citation of an unknown key is left as written, with a warning; a bare ``@word``
that is no key (an e-mail handle, a mention) is plain text and says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

KEY = r"[A-Za-z0-9_][\w:.#$%&\-+?<>~/]*"
_TRAILING = ".:?#$%&-+<>~/"
_BRACKETED = re.compile(r"\[(?P<body>[^\[\]\n]*?-?@" + KEY + r"[^\[\]\n]*?)\](?![\[({])")
_ITEM = re.compile(r"^(?P<prefix>.*?)(?P<suppress>-)?@(?P<key>" + KEY + r")(?P<suffix>.*)$", re.DOTALL)
_IN_TEXT = re.compile(r"(?<![\w@\\\[-])@(?P<key>" + KEY + r")(?:[ \t]+\[(?P<locator>[^\[\]\n@]*)\])?")


def citation_markdown(items: list[tuple[str, str, str, str]]) -> str:
    """Spans for ``[(prefix, key, suffix, mode)]``; mode is normal, suppress-author or in-text."""
    parts = []
    for prefix, key, suffix, mode in items:
        escaped_key = re.sub(r"([\\\[\]*_`<>~#$%&])", r"\\\1", key)
        parts.append(f"[[{prefix}]{{.cite-prefix}}[{escaped_key}]{{.cite-id}}[{suffix}]{{.cite-suffix}}]"
                     f"{{.cite-item .{mode}}}")
    return "[" + "".join(parts) + "]{.citation}"


def _split_key(raw: str) -> tuple[str, str]:
    """A key never ends with punctuation: "smith2020." is the key smith2020 and a full stop."""
    key = raw.rstrip(_TRAILING)
    return key, raw[len(key):]


def mark_citations(text: str, known: set[str], keep: Callable[[str], str],
                   unknown: Callable[[str, str], None]) -> str:
    """``text`` with every citation of a known key replaced by a kept token."""
    def bracketed(match: re.Match[str]) -> str:
        items = []
        for part in match.group("body").split(";"):
            found = _ITEM.match(part.strip())
            if not found:
                return match.group(0)  # "[see the appendix; @x]": not a citation list
            key, rest = _split_key(found.group("key"))
            if key not in known:
                unknown(key, match.group(0))
                return match.group(0).replace("@", "\\@")
            mode = "suppress-author" if found.group("suppress") else "normal"
            items.append((found.group("prefix").strip(), key, (rest + found.group("suffix")).rstrip(), mode))
        return keep(citation_markdown(items))

    def in_text(match: re.Match[str]) -> str:
        key, rest = _split_key(match.group("key"))
        if key not in known:
            return match.group(0)
        locator = match.group("locator")
        suffix = f", {locator.strip()}" if locator and not locator.strip().startswith(",") else (locator or "")
        return keep(citation_markdown([("", key, suffix, "in-text")])) + rest

    text = _BRACKETED.sub(bracketed, text)
    return _IN_TEXT.sub(in_text, text)
