"""Inline Obsidian marks: highlights, tags, task checkboxes and footnotes.

* ``==text==`` becomes a ``.mark`` span (pandoc writes ``<mark>``);
* ``#tag`` (at least one letter; not ``#123``, not an anchor in a URL) becomes a ``.tag`` span;
* ``- [ ]``, ``- [x]``, ``- [-]`` become ☐ ☑ ☒ (pandoc's ``commonmark_x`` reader leaves the
  brackets as text);
* footnote labels get a prefix, so that two notes' ``[^1]`` stay two footnotes in one book,
  and ``^[inline notes]`` become regular footnotes (``commonmark_x`` has no inline notes).
"""

from __future__ import annotations

import re
from collections.abc import Callable

HIGHLIGHT = re.compile(r"(?<![=\\])==(?=\S)(.+?)(?<=\S)==(?!=)")
TAG = re.compile(r"(?<![\w/&#\\\[({])#([\w/-]*[^\W\d][\w/-]*)")
TASK = re.compile(r"^([ \t]*(?:>[ \t]?)*(?:[-*+]|\d+[.)])[ \t]+)\[(.)\](?=[ \t])", re.MULTILINE)
_FOOTNOTE_LABEL = re.compile(r"\[\^([^\]\s]+)\]")
_TASK_BOXES = {" ": "☐", "x": "☑", "X": "☑", "-": "☒"}


def highlights(text: str) -> str:
    return HIGHLIGHT.sub(lambda m: f"[{m.group(1)}]{{.mark}}", text)


def tags(text: str, keep: Callable[[str], str]) -> str:
    return TAG.sub(lambda m: keep(f"[\\#{m.group(1)}]{{.tag}}"), text)


def tasks(text: str, keep: Callable[[str], str]) -> str:
    return TASK.sub(lambda m: m.group(1) + keep(_task_box(m.group(2))), text)


def _task_box(status: str) -> str:
    box = _TASK_BOXES.get(status, f"\\[{status}\\]")
    state = "done" if status in "xX" else "open" if status == " " else "other"
    return f"[{box}]{{.task .task-{state}}}"


def footnotes(text: str, prefix: str, new_label: Callable[[], str]) -> tuple[str, list[str]]:
    """``text`` with its footnote labels prefixed and its inline notes taken out; returns the
    definitions of the inline notes, to be placed after the note's text."""
    text = _FOOTNOTE_LABEL.sub(lambda m: f"[^{prefix}{m.group(1)}]", text)
    definitions, out, position = [], [], 0
    while True:
        start = text.find("^[", position)
        if start < 0:
            break
        end = closing_bracket(text, start + 1)
        if end < 0:
            break
        label = f"[^{new_label()}]"
        definitions.append(f"{label}: {text[start + 2:end]}")
        out.append(text[position:start] + label)
        position = end + 1
    out.append(text[position:])
    return "".join(out), definitions


def closing_bracket(text: str, opening: int) -> int:
    """Index of the ``]`` closing the ``[`` at ``opening`` (nested pairs and ``\\]`` skipped),
    or -1 when it does not close before the paragraph ends."""
    depth, i = 0, opening
    while i < len(text):
        character = text[i]
        if character == "\\":
            i += 2
            continue
        if character == "[":
            depth += 1
        elif character == "]":
            depth -= 1
            if depth == 0:
                return i
        elif character == "\n" and text.startswith("\n", i + 1):
            return -1  # a footnote does not cross a paragraph
        i += 1
    return -1
