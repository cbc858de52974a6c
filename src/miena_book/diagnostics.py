"""Diagnostics: what the build has to say about the vault, and how it is printed.

Every stage returns its findings as `Diagnostic` values instead of printing or raising,
so that a run reports all problems at once and the CLI decides how to show them:

* ``text``: ``path:line: level: message [code]`` (the form compilers and editors read),
* ``json``: ``{"diagnostics": [{"level", "code", "message", "path", "line"}, ...]}``,
* ``github``: ``::warning file=...,line=...::...`` workflow annotations.

Paths are vault-relative POSIX paths; the printers may re-base them (for instance on the
current directory, so that a terminal or a CI annotation points at the real file).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import Enum


class Level(str, Enum):
    """How serious a diagnostic is. Errors fail the run; warnings fail it under --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_LEVEL_RANK = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    level: Level
    code: str
    message: str
    path: str | None = None
    line: int | None = None

    def sort_key(self) -> tuple:
        return (self.path is not None, self.path or "", self.line or 0, _LEVEL_RANK[self.level], self.code)


def error(code: str, message: str, path: str | None = None, line: int | None = None) -> Diagnostic:
    return Diagnostic(Level.ERROR, code, message, path, line)


def warning(code: str, message: str, path: str | None = None, line: int | None = None) -> Diagnostic:
    return Diagnostic(Level.WARNING, code, message, path, line)


def info(code: str, message: str, path: str | None = None, line: int | None = None) -> Diagnostic:
    return Diagnostic(Level.INFO, code, message, path, line)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Order for display: vault-wide findings first, then by file and line."""
    return sorted(diagnostics, key=Diagnostic.sort_key)


def without_silenced(diagnostics: Iterable[Diagnostic], silenced: Iterable[str]) -> list[Diagnostic]:
    """Drop the warnings and notices whose code the config silences (errors always show)."""
    silenced = frozenset(silenced)
    return [d for d in diagnostics if d.level is Level.ERROR or d.code not in silenced]


class Sink:
    """Where a run's diagnostics go. Stages return theirs (or, for the writers that find
    them while they work, append them to the sink they are handed); the pipeline reports
    them all here, and reads them once at the end, the codes the config silences left out
    (errors always show)."""

    def __init__(self, silenced: Iterable[str] = ()):
        self._found: list[Diagnostic] = []
        self._silenced = frozenset(silenced)

    def append(self, diagnostic: Diagnostic) -> None:
        self._found.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._found.extend(diagnostics)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(without_silenced(self._found, self._silenced))


def count(diagnostics: Iterable[Diagnostic], level: Level) -> int:
    return sum(1 for d in diagnostics if d.level is level)


def exit_status(diagnostics: Sequence[Diagnostic], strict: bool = False) -> int:
    """0 when the vault is fine, 1 on any error (or any warning when strict)."""
    if count(diagnostics, Level.ERROR):
        return 1
    if strict and count(diagnostics, Level.WARNING):
        return 1
    return 0


PathMapper = Callable[[str], str]


def _identity(path: str) -> str:
    return path


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _printable(text: str) -> str:
    """Control characters as escapes: a file named "a\nb.md" cannot start a line of its own
    (and forge a diagnostic), nor send escape sequences to the terminal."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def format_text(diagnostics: Iterable[Diagnostic], path_of: PathMapper = _identity) -> str:
    lines = []
    for d in sorted_diagnostics(diagnostics):
        where = ""
        if d.path is not None:
            where = _printable(path_of(d.path)) + (f":{d.line}" if d.line else "") + ": "
        lines.append(f"{where}{d.level.value}: {_printable(d.message)} [{d.code}]")
    return "\n".join(lines)


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    ordered = sorted_diagnostics(diagnostics)
    payload = {
        "diagnostics": [
            {**asdict(d), "level": d.level.value} for d in ordered
        ],
        "summary": {
            "errors": count(ordered, Level.ERROR),
            "warnings": count(ordered, Level.WARNING),
            "infos": count(ordered, Level.INFO),
        },
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _escape_github_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _printable(escaped)


def _escape_github_property(text: str) -> str:
    return _escape_github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Iterable[Diagnostic], path_of: PathMapper = _identity) -> str:
    """GitHub Actions workflow commands; info-level findings become ``::notice``."""
    command = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}
    lines = []
    for d in sorted_diagnostics(diagnostics):
        props = []
        if d.path is not None:
            props.append("file=" + _escape_github_property(path_of(d.path)))
            if d.line:
                props.append(f"line={d.line}")
        props.append("title=" + _escape_github_property(d.code))
        lines.append(f"::{command[d.level]} {','.join(props)}::{_escape_github_data(d.message)}")
    return "\n".join(lines)


def summary_line(diagnostics: Sequence[Diagnostic]) -> str:
    errors, warnings = count(diagnostics, Level.ERROR), count(diagnostics, Level.WARNING)
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
