"""Assemble: the outline and the transformed notes, through Jinja, into one Markdown book.

Takes the outline, the transformer and the template loader; returns the book's Markdown
and diagnostics. Each note is rendered by the partial of its ``type`` (``notes/<type>.md.j2``,
matched without case or accents: ``Modèle`` uses ``notes/modele.md.j2``), or by
``notes/default.md.j2``. Note text reaches a template only as a value: Jinja never
evaluates it, so ``{{ 7*7 }}`` in a note prints as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jinja2

from .diagnostics import Diagnostic
from .model import Node, Outline
from .slugs import ascii_slug
from .transform import LinkTarget, NoteTransformer, note_anchor
from .vault.read import DATE_FIELDS


def type_key(note_type: str | None) -> str:
    """``Modèle`` -> ``modele``: the file name of a type's partial."""
    return ascii_slug(note_type or "", fallback="default")


def escape_markdown_text(text: str) -> str:
    """A title or label as literal text in Markdown."""
    return re.sub(r"([\\`*_\[\]{}<>#|~^$])", r"\\\1", text)


@dataclass(frozen=True)
class Chapter:
    """One place in the book, as the templates see it."""

    title: str
    anchor: str
    level: int
    type: str | None
    type_class: str
    summary: str | None
    status: str | None
    tags: tuple[str, ...]
    aliases: tuple[str, ...]
    body: str
    path: str | None
    dates: dict[str, str] = field(default_factory=dict)  # created, updated, date: as written (YYYY-MM-DD)


def link_targets(outline: Outline) -> dict[str, LinkTarget]:
    return {node.note.path: LinkTarget(node.note, note_anchor(node.note))
            for _, node in outline.walk() if node.note is not None}


def chapters(outline: Outline, transformer: NoteTransformer) -> tuple[list[Chapter], list[Diagnostic]]:
    result, diagnostics = [], []
    for depth, node in outline.walk():
        if depth == 0 and node.note is None:
            continue  # a book without a root note: its title is on the title page only
        level = min(max(depth, 1), 6)
        result.append(_chapter(node, level, transformer, diagnostics))
    return result, diagnostics


def _chapter(node: Node, level: int, transformer: NoteTransformer, diagnostics: list[Diagnostic]) -> Chapter:
    note = node.note
    if note is None:  # a folder without a note of its own
        anchor = "folder-" + ascii_slug(node.folder or "")
        return Chapter(node.title, anchor, level, None, "folder", None, None, (), (), "", None)
    body, found = transformer.transform(note, level)
    diagnostics.extend(found)
    summary = note.meta.get("summary")
    status = note.meta.get("status")
    return Chapter(
        title=note.title, anchor=note_anchor(note), level=level, type=note.type, type_class=type_key(note.type),
        summary=str(summary) if isinstance(summary, (str, int, float)) else None,
        status=str(status) if isinstance(status, (str, int, float)) else None,
        tags=note.tags, aliases=note.aliases, body=body, path=note.path,
        dates={key: str(note.meta[key]) for key in DATE_FIELDS if note.meta.get(key) not in (None, "")})


def make_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=loader,
        # print.html.j2 and any *.html.j2 override are HTML: escape every value put in them
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xhtml", "html.j2", "xhtml.j2"),
                                            default_for_string=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["md_text"] = escape_markdown_text
    return env


def render_markdown(env: jinja2.Environment, book: dict, items: list[Chapter]) -> str:
    parts = []
    for chapter in items:
        try:
            template = env.get_template(f"notes/{chapter.type_class}.md.j2")
        except jinja2.TemplateNotFound:
            template = env.get_template("notes/default.md.j2")
        parts.append(template.render(note=chapter, book=book))
    return env.get_template("book.md.j2").render(book=book, sections=parts)
