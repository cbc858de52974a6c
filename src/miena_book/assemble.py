"""Assemble: the outline and the transformed notes, through Jinja, into one Markdown book.

Takes the outline, the transformer and the template loader; returns the book's Markdown
and diagnostics. Each note is rendered by the partial of its ``type`` (``notes/<type>.md.j2``,
matched without case or accents: ``Modèle`` uses ``notes/modele.md.j2``), or by
``notes/default.md.j2``. Note text reaches a template only as a value: Jinja never
evaluates it, so ``{{ 7*7 }}`` in a note prints as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .diagnostics import Diagnostic, warning
from .model import Note, Outline
from .obsidian.fields import FRONTMATTER_RELATIONS, key_form, labels_for
from .slugs import ascii_slug
from .transform import LinkTarget, NoteTransformer, Relation, escape_label, note_anchor
from .vault.read import DATE_FIELDS, NOTE_FIELDS, WIKILINK, note_names_in


def type_key(note_type: str | None) -> str:
    """``Modèle`` -> ``modele``: the file name of a type's partial."""
    return ascii_slug(note_type or "", fallback="default")


def escape_markdown_text(text: str) -> str:
    """A title or label as literal text in Markdown (the templates' ``md_text`` filter)."""
    return escape_label(text)




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
    relations: tuple["RelationGroup", ...] = ()  # what this note declares: « Régule : X »
    incoming: tuple["RelationGroup", ...] = ()  # what other notes declare towards it: « Est régulé par : Y »
    sources: tuple[str, ...] = ()  # Markdown of each work in the note's `source` field


@dataclass(frozen=True)
class RelationGroup:
    """The targets of one relation of a note, as its template prints them: « Régule : X, Y »."""

    key: str  # as written in the vault: "Régulation", "sibling"
    label: str  # "Régule" (or, for incoming relations, "Est régulé par")
    links: tuple[str, ...]  # Markdown: a cross-reference to a note in the book, else its name as text


def link_targets(outline: Outline) -> dict[str, LinkTarget]:
    return {node.note.path: LinkTarget(node.note, note_anchor(node.note))
            for _, node in outline.walk() if node.note is not None}


def chapters(outline: Outline, transformer: NoteTransformer, language: str = "fr-CA",
             relation_labels: dict[str, str] | None = None) -> tuple[list[Chapter], list[Diagnostic]]:
    """Every place of the book, in order, with its note transformed and its relations both ways."""
    labels = relation_labels or {}
    places, diagnostics = [], []
    outgoing: dict[str, list[Relation]] = {}
    for depth, node in outline.walk():
        if depth == 0 and node.note is None:
            continue  # a book without a root note: its title is on the title page only
        level = min(max(depth, 1), 6)
        if node.note is None:
            places.append((node, level, None))
            continue
        done = transformer.transform(node.note, level)
        diagnostics.extend(done.diagnostics)
        relations = [*frontmatter_relations(node.note, transformer, diagnostics), *done.relations]
        outgoing[node.note.path] = relations
        places.append((node, level, done.body))
    incoming = _incoming(outgoing, outline)
    result = []
    for node, level, body in places:
        if node.note is None:  # a folder without a note of its own
            anchor = "folder-" + ascii_slug(node.folder or "")
            result.append(Chapter(node.title, anchor, level, None, "folder", None, None, (), (), "", None))
            continue
        # the note's sources get their own « Source » line, with the formatted reference
        out_groups = _groups([r for r in outgoing[node.note.path] if key_form(r.key) != "source"],
                             transformer, language, labels, inverse=False)
        in_groups = _groups(incoming.get(node.note.path, []), transformer, language, labels, inverse=True)
        out_groups, in_groups = _merge_symmetric(out_groups, in_groups)
        sources = tuple(dict.fromkeys(_source_reference(r, transformer) for r in outgoing[node.note.path]
                                      if key_form(r.key) == "source"))
        result.append(_chapter(node.note, level, body, out_groups, in_groups, sources))
    return result, diagnostics


def frontmatter_relations(note: Note, transformer: NoteTransformer, diagnostics: list[Diagnostic]) -> list[Relation]:
    """Links written in the frontmatter: ``sibling``, ``related``, ``source``, ``domain`` (a
    wikilink or a plain name), and any other field holding wikilinks (``Régulation: "[[X]]"``),
    except the fields that place the note in the book (``parent``, ``child``)."""
    found = []
    for key, values in note.meta.items():
        if key in NOTE_FIELDS:
            continue
        line = note.field_lines.get(key)
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str) or not value.strip():
                continue
            linked = bool(WIKILINK.search(value))
            if key not in FRONTMATTER_RELATIONS and not linked:
                continue  # an ordinary field: only its [[links]] are relations
            for name in note_names_in(value):
                target = transformer.index.resolve(name, note.path).note
                if target is None and linked:  # a plain value that names no note is just text
                    diagnostics.append(warning("link.unresolved", f"{key}: [[{name}]] matches no note; "
                                               "shown as text", note.path, line))
                found.append(Relation(key, target, name, line))
    return found


def _incoming(outgoing: dict[str, list[Relation]], outline: Outline) -> dict[str, list[Relation]]:
    """For each note, the relations other notes of the book declare towards it."""
    notes = {node.note.path: node.note for _, node in outline.walk() if node.note is not None}
    incoming: dict[str, list[Relation]] = {}
    for source_path, relations in outgoing.items():
        for relation in relations:
            if relation.target is not None and relation.target.path != source_path:
                incoming.setdefault(relation.target.path, []).append(
                    Relation(relation.key, notes[source_path], notes[source_path].stem, relation.line))
    return incoming


def _groups(relations: list[Relation], transformer: NoteTransformer, language: str, labels: dict[str, str],
            inverse: bool) -> tuple[RelationGroup, ...]:
    by_key: dict[str, list[str]] = {}
    written: dict[str, str] = {}
    for relation in relations:
        form = key_form(relation.key)
        written.setdefault(form, relation.key)
        link = _relation_link(relation, transformer)
        if link not in by_key.setdefault(form, []):
            by_key[form].append(link)
    groups = []
    for form, links in by_key.items():
        names = labels_for(written[form], language, labels)
        groups.append(RelationGroup(written[form], names.inverse if inverse else names.forward, tuple(links)))
    return tuple(groups)


def _merge_symmetric(out_groups: tuple[RelationGroup, ...], in_groups: tuple[RelationGroup, ...]):
    """A relation named the same both ways (« Voir aussi ») is printed once, both directions together."""
    merged = {group.label: group for group in out_groups}
    rest = []
    for group in in_groups:
        if group.label in merged and key_form(group.key) == key_form(merged[group.label].key):
            mine = merged[group.label]
            links = mine.links + tuple(link for link in group.links if link not in mine.links)
            merged[group.label] = RelationGroup(mine.key, mine.label, links)
        else:
            rest.append(group)
    return tuple(merged.values()), tuple(rest)


def _relation_link(relation: Relation, transformer: NoteTransformer) -> str:
    if relation.target is None:
        return escape_label(relation.text)
    destination = transformer.in_book.get(relation.target.path)
    if destination is None:
        return escape_label(relation.target.title)
    return f"[{escape_label(relation.target.title)}](#{destination.anchor}){{.xref}}"


def _source_reference(relation: Relation, transformer: NoteTransformer) -> str:
    """A source as its « Source » line shows it: the formatted entry when the source note is
    in the library (filled in by the citeproc stage), else a cross-reference or its name."""
    if relation.target is not None and relation.target.path in transformer.source_keys:
        return f"[{escape_label(transformer.source_keys[relation.target.path])}]{{.source-ref}}"
    return _relation_link(relation, transformer)


def _chapter(note: Note, level: int, body: str, relations: tuple[RelationGroup, ...],
             incoming: tuple[RelationGroup, ...], sources: tuple[str, ...] = ()) -> Chapter:
    summary = note.meta.get("summary")
    status = note.meta.get("status")
    return Chapter(
        title=note.title, anchor=note_anchor(note), level=level, type=note.type, type_class=type_key(note.type),
        summary=str(summary) if isinstance(summary, (str, int, float)) else None,
        status=str(status) if isinstance(status, (str, int, float)) else None,
        tags=note.tags, aliases=note.aliases, body=body, path=note.path,
        dates={key: str(note.meta[key]) for key in DATE_FIELDS if note.meta.get(key) not in (None, "")},
        relations=relations, incoming=incoming, sources=sources)


def make_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    # Sandboxed: a vault's own templates may print the book's data, never reach Python's
    # internals (no __globals__, no os.popen through a cycler).
    env = ImmutableSandboxedEnvironment(
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
    partials: dict[str, jinja2.Template] = {}
    for chapter in items:
        if chapter.type_class not in partials:
            try:
                partials[chapter.type_class] = env.get_template(f"notes/{chapter.type_class}.md.j2")
            except jinja2.TemplateNotFound:
                partials[chapter.type_class] = env.get_template("notes/default.md.j2")
        parts.append(partials[chapter.type_class].render(note=chapter, book=book))
    return env.get_template("book.md.j2").render(book=book, sections=parts)
