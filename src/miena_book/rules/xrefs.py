"""Links: ``[[Note]]``, ``[[Note#Heading|label]]``, ``[label](Note.md#Heading)`` as the book shows them.

A link to a place of the book becomes a cross-reference (a ``.xref`` link to the place's
anchor: « le modèle (p. 12) » in print); to a source note, a citation of its work (when
``source_links`` is ``citation``); to a note outside the book, its label as text, with a
footnote naming the note when the config asks for one; to no note, its label as text.
The label is the one written, else (``link_text: title``) the target note's display title
(its ``title``, its first heading, or its name without the type prefix), or the name as
written (``link_text: written``), and ``> Heading`` when the link names one. Where each link goes
is ``links.Resolver``'s answer, the one ``check`` reports on.
"""

from __future__ import annotations

from ..analyse import link_fact
from ..diagnostics import Diagnostic
from ..names import display_title, normalize_name
from ..parse.tree import attr, smart_text, text_inlines
from ..parse.walk import replace_inlines


def _label(fact, target=None, book=None) -> list:
    """What a link shows: its label; without one, the target note's display title (the
    ``title`` of ``link_text``) or the name as written, then ``> Heading`` when it names one."""
    if fact.label:
        return _typeset(fact.label)
    if not fact.name:
        return _typeset(fact.fragment.lstrip("^").replace("#", " > "))
    name = fact.name
    if target is not None and target.note is not None and book is not None and book.link_text == "title" \
            and not _names_an_alias(fact.name, target.note):  # an alias is words the author chose: kept
        name = display_title(target.note, book.type_prefixes)
    parts = [name, *[part.strip() for part in fact.fragment.split("#") if part.strip()]]
    return _typeset(" > ".join(parts))


def _names_an_alias(name: str, note) -> bool:
    written = normalize_name(name)
    return any(normalize_name(alias) == written for alias in note.aliases) and \
        written not in (normalize_name(note.path), normalize_name(note.path.rsplit("/", 1)[-1]))


def _typeset(text: str) -> list:
    """A label with the typography of the text around it: curly apostrophes, dashes."""
    return text_inlines(smart_text(text.replace("'", "\u2019")))


_MODES = {"normal": "NormalCitation", "suppress-author": "SuppressAuthor", "in-text": "AuthorInText"}


def citation_item(key: str, mode: str, prefix: list | None = None, suffix: list | None = None) -> dict:
    """One work cited, as pandoc's ``Citation`` (mode: normal, suppress-author, in-text)."""
    return {"citationId": key, "citationPrefix": prefix or [], "citationSuffix": suffix or [],
            "citationMode": {"t": _MODES[mode]}, "citationNoteNum": 0, "citationHash": 0}


def cite(key: str, mode: str, prefix: list | None = None, suffix: list | None = None, written: str = "") -> dict:
    """A pandoc ``Cite``; its inlines (the citation as written) show where citeproc does not run."""
    return {"t": "Cite", "c": [[citation_item(key, mode, prefix, suffix)], text_inlines(written or f"[@{key}]")]}


def links(tree: list, context) -> tuple[list, list[Diagnostic]]:
    resolver, state = context.book.resolver, context.state

    def replace(node: dict):
        if node.get("embedded"):
            return [node]
        kind = node.get("t")
        if kind not in ("WikiLink", "Link") or (kind == "WikiLink" and node.get("embed")):
            return None
        fact = link_fact(node)
        if fact is None or not resolver.is_note_link(fact, state.note):
            return None
        target = resolver.link(state.note, fact)
        state.note_input("link", fact.written, target.kind, target.anchor, target.key,
                         target.note.title if target.note else None)
        label = _label(fact, target, context.book) if kind == "WikiLink" else \
            (node["c"][1] or _label(fact, target, context.book))
        if target.kind == "xref":
            return [{"t": "Link", "c": [attr("", ["xref"]), label, [f"#{target.anchor}", ""]]}]
        if target.kind == "citation":
            if fact.label:  # [[DOC_ Merrill 2002|Merrill]]: "Merrill (2002)"
                return [*label, {"t": "Space"}, cite(target.key, "suppress-author", written=f"[-@{target.key}]")]
            return [cite(target.key, "normal")]
        if target.kind == "outside" and resolver.outside_footnote is not None:
            text = resolver.outside_footnote.format(title=target.note.title)
            return [*label, {"t": "Note", "c": [{"t": "Para", "c": text_inlines(text)}]}]
        return label

    replace_inlines(tree, replace)
    return tree, []
