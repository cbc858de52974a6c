"""Frontmatter: split a note's text into its YAML block and its body, and parse the YAML.

The split is done here rather than by a general-purpose library so that line numbers stay
true: every diagnostic names the line *in the file*, and the body keeps the number of the
file line it starts on.

The YAML is untrusted input, so it is parsed with a loader of this module's own:

* safe constructors only (``!!python/...`` tags are errors);
* no anchors or aliases: a few hundred bytes of nested aliases expand into gigabytes;
* at most 64 KiB, nested at most 64 levels (libyaml's composer recurses in C);
* the YAML 1.2 core schema, as Obsidian reads properties: ``NO``, ``on`` and ``0123`` stay
  text instead of YAML 1.1's false, true and 83;
* duplicate keys and impossible dates are reported, not silently resolved;
* the document must be a mapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..diagnostics import Diagnostic, error, warning

MAX_FRONTMATTER_BYTES = 64 * 1024
MAX_NESTING = 64

_OPENING = re.compile(r"---[ \t]*\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Frontmatter:
    """The parsed block: its data, the file line of each top-level key, and findings."""

    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class SplitText:
    yaml_text: str | None  # None: the note has no frontmatter
    yaml_line: int  # file line of the YAML's first line
    body: str
    body_line: int  # file line the body starts on
    diagnostics: tuple[Diagnostic, ...] = ()


def split(text: str, path: str | None = None) -> SplitText:
    """Separate the ``---`` block at the very top of the file from the body."""
    opening = _OPENING.match(text)
    if not opening:
        return SplitText(None, 1, text, 1)
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        return SplitText(None, 1, text, 1, (warning(
            "frontmatter.unclosed",
            "frontmatter opened on line 1 is never closed with '---'; the whole file is read as text",
            path, 1),))
    yaml_text = text[opening.end():closing.start()]
    body_start = closing.end() + 1 if closing.end() < len(text) else len(text)
    body_line = text.count("\n", 0, body_start) + 1
    return SplitText(yaml_text, 2, text[body_start:], body_line)


# --- the loader ---------------------------------------------------------------------------

class _StrictLoader(_BaseLoader):
    """Safe loader with the YAML 1.2 core schema and duplicate-key / bad-date reporting."""

    yaml_implicit_resolvers: dict = {}

    def __init__(self, stream):
        super().__init__(stream)
        self.findings: list[tuple[str, str, int]] = []  # (code, message, 0-based line)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be plain text, not a list or mapping", key_node.start_mark)
            key = key_node.value
            if key in mapping:
                self.findings.append(("duplicate-key",
                                      f"key '{key}' is given twice; the last value is kept",
                                      key_node.start_mark.line))
            mapping[key] = self.construct_object(value_node, deep=True)
        return mapping

    def construct_yaml_map(self, node):
        yield self.construct_mapping(node)

    def construct_timestamp_or_text(self, node):
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            self.findings.append(("bad-date",
                                  f"'{node.value}' is not a real date; kept as text", node.start_mark.line))
            return node.value


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_yaml_map)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_timestamp_or_text)

for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
    ("tag:yaml.org,2002:timestamp",
     r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]*)?)?"
     r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?$", "0123456789"),
):
    _StrictLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _refuse_dangerous_structure(yaml_text: str) -> tuple[str, int] | None:
    """Scan the event stream (cheap, iterative) for aliases, anchors and deep nesting."""
    depth = 0
    for event in yaml.parse(yaml_text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            return f"YAML aliases (*{event.anchor}) are not allowed in frontmatter", event.start_mark.line
        if getattr(event, "anchor", None):
            return f"YAML anchors (&{event.anchor}) are not allowed in frontmatter", event.start_mark.line
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_NESTING:
                return f"frontmatter is nested more than {MAX_NESTING} levels deep", event.start_mark.line
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def _yaml_error(exc: yaml.YAMLError, first_line: int) -> tuple[str, int | None]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{context}: {problem}" if context and problem else problem
    return message, (mark.line + first_line if mark is not None else None)


def parse(yaml_text: str, first_line: int = 2, path: str | None = None, what: str = "frontmatter",
          max_bytes: int = MAX_FRONTMATTER_BYTES) -> Frontmatter:
    """Parse a YAML block whose first line is ``first_line`` of the file at ``path``.

    A broken block gives an error and empty data; the caller keeps the body.
    """
    size = len(yaml_text.encode("utf-8"))
    if size > max_bytes:
        return Frontmatter(diagnostics=(error(
            f"{what}.too-large", f"{what} is {size // 1024} KiB, over the {max_bytes // 1024} KiB limit; ignored",
            path, first_line),))
    try:
        refused = _refuse_dangerous_structure(yaml_text)
        if refused:
            message, line = refused
            return Frontmatter(diagnostics=(error(f"{what}.refused", message + "; block ignored",
                                                  path, line + first_line),))
        loader = _StrictLoader(yaml_text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        message, line = _yaml_error(exc, first_line)
        if "maximum nesting depth" in message:  # libyaml's own limit, met before ours while scanning
            return Frontmatter(diagnostics=(error(f"{what}.refused", f"{what} is nested more than {MAX_NESTING} "
                                                  "levels deep; block ignored", path, line),))
        return Frontmatter(diagnostics=(error(f"{what}.invalid", f"invalid YAML: {message}; block ignored",
                                              path, line),))
    findings = tuple(warning(f"{what}.{code}", message, path, line + first_line)
                     for code, message, line in loader.findings)
    if data is None:
        return Frontmatter(diagnostics=findings)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        return Frontmatter(diagnostics=findings + (error(
            f"{what}.not-a-mapping", f"{what} must be a set of 'key: value' lines, not {kind}; block ignored",
            path, first_line),))
    key_lines = {key_node.value: key_node.start_mark.line + first_line for key_node, _ in root.value}
    return Frontmatter(data, key_lines, findings)
