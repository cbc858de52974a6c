"""Assemble: the outline, the finished notes and their relations, through Jinja, into one book.

Takes the outline, each note's rendered body (``transform.NoteOutput``) and relations
(``relations``), and the template loader; returns the book's Markdown skeleton and, once
pandoc has read it, the book's AST with every note's body in its place. Each note is
rendered by the partial of its ``type`` (``notes/<type>.md.j2``, matched without case or
accents: ``Modèle`` uses ``notes/modele.md.j2``), or by ``notes/default.md.j2``.

A note's body never passes through Markdown again: the partial places ``{{ note.body }}``,
an empty fenced div naming the note (``.note-body``), and ``fill_bodies`` puts the note's
blocks there in pandoc's AST. So Jinja never evaluates note text (``{{ 7*7 }}`` prints as
written) and no note text can be read as template or Markdown syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .export.typography import typeset_text
from .links import folder_anchor
from .model import Note, Outline
from .names import display_title
from .obsidian.fields import key_form, labels_for
from .relations import Relation
from .slugs import ascii_slug
from .vault.read import DATE_FIELDS


def escape_label(label: str) -> str:
    """Text shown as is in Markdown (a title, a label, a name in a template): every
    character that could start markup, attributes (``{.class}``) included, is escaped."""
    return re.sub(r"([\[\]\\*_`<>|$#=~^@{}])", r"\\\1", label)


def body_slot(anchor: str) -> str:
    """Where a partial puts a note's body: an empty div that ``fill_bodies`` fills."""
    return f"\n::: {{.note-body data-note=\"{anchor}\"}}\n:::\n"


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


def chapters(outline: Outline, anchors: dict[str, str], relations: dict[str, list[Relation]],
             source_keys: dict[str, str], language: str = "fr-CA",
             relation_labels: dict[str, str] | None = None, citations: bool = False,
             type_prefixes: tuple[str, ...] = ()) -> list[Chapter]:
    """Every place of the book, in order, with its relations both ways. ``anchors``: each
    note of the book's anchor; ``relations``: what each note declares; ``citations``:
    whether citations are formatted (a value citing a work then shows its entry)."""
    labels = relation_labels or {}
    links = _Links(anchors, source_keys, citations, type_prefixes)
    incoming = _incoming(relations, outline)
    result = []
    for depth, node in outline.walk():
        if depth == 0 and node.note is None:
            continue  # a book without a root note: its title is on the title page only
        level = min(max(depth, 1), 6)
        if node.note is None:  # a folder without a note of its own
            anchor = folder_anchor(node.folder or "")
            result.append(Chapter(node.title, anchor, level, None, "folder", None, None, (), (), "", None))
            continue
        outgoing = relations.get(node.note.path, [])
        # the note's sources get their own « Source » line, with the formatted reference
        out_groups = _groups([r for r in outgoing if key_form(r.key) != "source"], links, language, labels,
                             inverse=False)
        in_groups = _groups(incoming.get(node.note.path, []), links, language, labels, inverse=True)
        out_groups, in_groups = _merge_symmetric(out_groups, in_groups)
        sources = tuple(dict.fromkeys(links.source(r) for r in outgoing if key_form(r.key) == "source"))
        result.append(_chapter(node.note, anchors[node.note.path], level, out_groups, in_groups, sources,
                               display_title(node.note, type_prefixes)))
    return result


class _Links:
    """How a relation's target is printed: a cross-reference to its place in the book, else its name."""

    def __init__(self, anchors: dict[str, str], source_keys: dict[str, str], citations: bool = False,
                 type_prefixes: tuple[str, ...] = ()):
        self.anchors = anchors
        self.type_prefixes = type_prefixes
        self.source_keys = source_keys
        self.citations = citations

    def relation(self, relation: Relation) -> str:
        if relation.target is None and relation.cite and self.citations:
            return f"[{escape_label(relation.cite)}]{{.source-ref}}"  # the work's entry, after citeproc
        if relation.target is None:
            return escape_label(relation.text)
        destination = self.anchors.get(relation.target.path)
        title = display_title(relation.target, self.type_prefixes)
        if destination is None:
            return escape_label(title)
        return f"[{escape_label(title)}](#{destination}){{.xref}}"

    def source(self, relation: Relation) -> str:
        """A source as its « Source » line shows it: the formatted entry when the source note
        is in the library (filled in by the citeproc stage), else a cross-reference or its name."""
        if relation.target is not None and relation.target.path in self.source_keys:
            return f"[{escape_label(self.source_keys[relation.target.path])}]{{.source-ref}}"
        return self.relation(relation)


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


def _groups(relations: list[Relation], links: _Links, language: str, labels: dict[str, str],
            inverse: bool) -> tuple[RelationGroup, ...]:
    by_key: dict[str, list[str]] = {}
    written: dict[str, str] = {}
    for relation in relations:
        form = key_form(relation.key)
        written.setdefault(form, relation.key)
        link = links.relation(relation)
        if link not in by_key.setdefault(form, []):
            by_key[form].append(link)
    groups = []
    for form, links in by_key.items():
        names = labels_for(written[form], language, labels)
        label = typeset_text(names.inverse if inverse else names.forward, language)
        groups.append(RelationGroup(written[form], label, tuple(links)))
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


def _chapter(note: Note, anchor: str, level: int, relations: tuple[RelationGroup, ...],
             incoming: tuple[RelationGroup, ...], sources: tuple[str, ...] = (), title: str | None = None) -> Chapter:
    summary = note.meta.get("summary")
    status = note.meta.get("status")
    return Chapter(
        title=title or note.title, anchor=anchor, level=level, type=note.type, type_class=type_key(note.type),
        summary=str(summary) if isinstance(summary, (str, int, float)) else None,
        status=str(status) if isinstance(status, (str, int, float)) else None,
        tags=note.tags, aliases=note.aliases, body=body_slot(anchor), path=note.path,
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


def render_sections(env: jinja2.Environment, book: dict, items: list[Chapter]) -> list[str]:
    """Each note's section: its Markdown, through its type's template (``notes/<type>.md.j2``,
    else ``notes/default.md.j2``)."""
    parts = []
    partials: dict[str, jinja2.Template] = {}
    for chapter in items:
        if chapter.type_class not in partials:
            try:
                partials[chapter.type_class] = env.get_template(f"notes/{chapter.type_class}.md.j2")
            except jinja2.TemplateNotFound:
                partials[chapter.type_class] = env.get_template("notes/default.md.j2")
        parts.append(partials[chapter.type_class].render(note=chapter, book=book))
    return parts


def render_markdown(env: jinja2.Environment, book: dict, items: list[Chapter],
                    sections: list[str] | None = None) -> str:
    """The whole book's Markdown: ``book.md.j2`` around the notes' sections."""
    if sections is None:
        sections = render_sections(env, book, items)
    return env.get_template("book.md.j2").render(book=book, sections=sections)


SECTION_PLACE_CLASS = "miena-book-section"


def section_place(index: int) -> str:
    """What stands for section ``index`` in the book's frame (``render_frame``): an empty
    div, which is made safe with the frame (its class and its data attribute kept)."""
    return f'::: {{.{SECTION_PLACE_CLASS} data-section="{index}"}}\n:::'


def render_frame(env: jinja2.Environment, book: dict, count: int) -> str:
    """``book.md.j2`` with each of the ``count`` sections' place held by an empty div
    (``section_place``): the frame is read on its own and the sections in batches
    (``export.pandoc.read_sections``); a large book's Markdown is never read at once."""
    return env.get_template("book.md.j2").render(book=book, sections=[section_place(index) for index in range(count)])


_SECTION_PLACE = re.compile(r'::: \{\.' + SECTION_PLACE_CLASS + r' data-section="(\d+)"\}\n:::')


def frame_holds_sections(frame: str, sections: list[str], whole: str) -> bool:
    """Whether ``book.md.j2`` writes the sections as they are: the frame with each place
    replaced by its section is the whole book's Markdown (``whole``) to the character. A
    template that filters or changes them (``{{ section | replace(…) }}``) is read whole."""
    if frame.count(SECTION_PLACE_CLASS) != len(sections):
        return False
    return _SECTION_PLACE.sub(lambda place: sections[int(place.group(1))] if int(place.group(1)) < len(sections)
                              else place.group(0), frame) == whole


def with_sections(frame_blocks: list, sections: list[list]) -> list | None:
    """The frame's blocks with each section's place (at any depth: a template may wrap the
    sections in a div) taken by that section's blocks; None when the places are not each
    found once, in order, as blocks of their own (a template that changes the sections'
    text or writes them inside a paragraph: the book is then read whole)."""
    found: list[int] = []

    def place_of(item) -> int | None:
        if isinstance(item, dict) and item.get("t") == "Div" and SECTION_PLACE_CLASS in item["c"][0][1] \
                and not item["c"][1]:
            number = dict(item["c"][0][2]).get("data-section", "")
            return int(number) if number.isdigit() and int(number) < len(sections) else None
        return None

    def splice(items: list) -> list:
        out = []
        for item in items:
            index = place_of(item)
            if index is not None:
                found.append(index)
                out.extend(sections[index])
            elif isinstance(item, dict) and isinstance(item.get("c"), list):
                out.append({**item, "c": splice(item["c"])})
            elif isinstance(item, list):
                out.append(splice(item))
            else:
                out.append(item)
        return out

    blocks = splice(frame_blocks)
    return blocks if found == list(range(len(sections))) else None


def fill_bodies(ast: dict, bodies: dict[str, list]) -> dict:
    """The book's AST with each ``.note-body`` slot replaced by that note's blocks: among
    the blocks around it, where it stands in the book's blocks or a div's (the book's HTML
    has no trace of it), else as a div of its own. In place: the AST is the build's own,
    and a copy would hold a large book twice; the bodies are put in, never walked."""
    _fill(ast["blocks"], bodies, dissolve=True)
    return ast


def _fill(items: list, bodies: dict[str, list], dissolve: bool) -> None:
    at = 0
    while at < len(items):
        item = items[at]
        if type(item) is dict:
            content = item.get("c")
            if item.get("t") == "Div" and "note-body" in content[0][1]:
                body = bodies.get(dict(content[0][2]).get("data-note"), [])
                filled = body if dissolve else [{"t": "Div", "c": [["", ["note-body"], []], body]}]
                items[at:at + 1] = filled
                at += len(filled)
                continue
            if item.get("t") == "Div":
                _fill(content[1], bodies, dissolve=True)
            elif type(content) is list:
                _fill(content, bodies, dissolve=False)
        elif type(item) is list:
            _fill(item, bodies, dissolve=False)
        at += 1


