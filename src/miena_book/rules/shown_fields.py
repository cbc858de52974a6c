"""Inline fields shown as Dataview shows them: « Key : value » (``(Key:: v)``: the value alone).

A ``.field`` span holding a ``.field-key`` span, the book's colon (a no-break space before
it in French) and the value. The relations the fields declare are facts
(``analyse``), printed by the templates; here the fields are only shown.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..parse.tree import attr, text_inlines
from ..parse.walk import replace_inlines


def show_fields(tree: list, context) -> tuple[list, list[Diagnostic]]:
    colon = context.book.colon

    def replace(node: dict):
        if node.get("t") != "InlineField":
            return None
        value = node["c"]
        replace_inlines([{"t": "Plain", "c": value}], replace)
        if node.get("paren"):
            return [{"t": "Span", "c": [attr("", ["field"]), value]}]
        shown = [{"t": "Span", "c": [attr("", ["field-key"]), text_inlines(node["key"])]}, {"t": "Str", "c": colon}]
        if value:
            shown += [{"t": "Space"}, *value]
        return [{"t": "Span", "c": [attr("", ["field"]), shown]}]

    replace_inlines(tree, replace)
    return tree, []
