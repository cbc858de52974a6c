"""Fenced code blocks: where a note's Markdown is prose and where it is code, line by line.

Only the read stage uses this, to find a note's title (its first ``# H1`` outside code)
before any note is parsed: the outline needs every title, the parser only the notes of
the book. Everything after reading works on the parsed tree (``parse``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


def segments(body: str) -> Iterator[tuple[bool, str]]:
    """Split ``body`` into ``(is_code, text)`` runs; joined with newlines they give it back."""
    prose: list[str] = []
    code: list[str] = []
    fence = None
    for line in body.split("\n"):
        opener = _FENCE.match(line)
        if fence:
            code.append(line)
            # a closing fence: same character, at least as long, nothing after it
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence) \
                    and not line.strip()[len(opener.group(1)):].strip():
                yield True, "\n".join(code)
                code, fence = [], None
            continue
        if opener:
            if prose:
                yield False, "\n".join(prose)
                prose = []
            fence = opener.group(1)
            code.append(line)
            continue
        prose.append(line)
    if code:
        yield True, "\n".join(code)
    if prose:
        yield False, "\n".join(prose)
