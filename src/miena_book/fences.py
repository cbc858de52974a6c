"""Fenced code blocks: where a note's Markdown is prose and where it is code.

Several stages must leave code exactly as written (no title taken from it, no link
resolved in it); they all split a body the same way, here.
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


_INLINE_CODE = re.compile(r"(`+).*?(?<!`)\1(?!`)")


def without_comments(lines: list[str]) -> list[str]:
    """Obsidian's ``%%comments%%`` blanked out, inline or over several lines, fences inside a
    comment included. Code (fenced blocks, inline spans) is not searched for ``%%``. A removed
    line stays as an empty one, so that line numbers keep their meaning."""
    out: list[str] = []
    fence = None
    in_comment = False
    for line in lines:
        if fence and not in_comment:
            out.append(line)
            opener = _FENCE.match(line)
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence) \
                    and not line.strip()[len(opener.group(1)):].strip():
                fence = None
            continue
        kept, position = [], 0
        markers = _comment_markers(line)
        for marker in markers:
            if not in_comment:
                kept.append(line[position:marker])
            in_comment = not in_comment
            position = marker + 2
        if not in_comment:
            kept.append(line[position:])
        text = "".join(kept)
        if not markers and not in_comment:
            opener = _FENCE.match(line)
            if opener:
                fence = opener.group(1)
        out.append(text)
    return out


def _comment_markers(line: str) -> list[int]:
    """Positions of ``%%`` on a line, outside inline code."""
    masked = _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
    return [m.start() for m in re.finditer("%%", masked)]
