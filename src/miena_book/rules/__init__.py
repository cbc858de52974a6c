"""Rules: Obsidian's forms, one small module each, as passes over a note's syntax tree.

Every rule has one interface, ``rule(tree, context) -> (tree, diagnostics)``, and the
order of each list below is the order they run in, with the reason for it. Two lists:

* ``SYNTAX_RULES`` need nothing but the note itself: they run once, when the note is
  parsed (``parse.parse_note``), and what they find is read by the analysis (facts) and
  by ``check``;
* ``BOOK_RULES`` place the note in the book: they need the resolver, the assets and the
  config (``rules.context``) and run each time the note's text is rendered, at its own
  place or inside an embed (``transform``).

Forms the parser itself reads (wikilinks, embeds, highlights, comments, tags, bracketed
citations, inline fields in brackets) are markdown-it rules, in ``parse.syntax``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import anchors, blockids, callouts, citations, embeds, fields, headings, shown_fields, tasks, xrefs


@dataclass(frozen=True)
class Rule:
    name: str
    apply: Callable  # (tree, context) -> (tree, diagnostics)
    why_here: str


SYNTAX_RULES = (
    Rule("block ids", blockids.block_ids,
         "first: an id on a quote's last line names the quote, which must still be a quote"),
    Rule("callouts", callouts.callouts,
         "after block ids (the callout keeps the quote's id), before tasks and fields, which "
         "look inside the callout's body"),
    Rule("tasks", tasks.tasks,
         "before fields: '- [ ] Key:: value' is a task whose text is a field"),
    Rule("fields", fields.line_fields,
         "after tasks; before analysis, which reads the fields as relations"),
    Rule("heading numbers", headings.number_headings,
         "last: facts and every rendering name a heading by the same number and slug"),
)

BOOK_RULES = (
    Rule("headings", headings.place_headings,
         "first: an embed lands below the heading before it, at that heading's new level"),
    Rule("embeds", embeds.embeds,
         "after headings; before links and citations, which then leave the embedded text alone "
         "(it was rendered by its own note's rules)"),
    Rule("links", xrefs.links,
         "after embeds; an outside-book link's footnote is made here"),
    Rule("citations", citations.citations,
         "after links: a link to a source note is already a citation"),
    Rule("fields", shown_fields.show_fields,
         "after links and citations, whose results a field's value shows"),
    Rule("anchors", anchors.anchors,
         "last: a named block is wrapped once its content is final"),
)
