"""The pandoc AST (its JSON form), rewritten node by node.

Several stages finish the AST in Python: raw HTML defused, math drawn, footnotes moved,
citations marked. They share one walk: ``rewrite(tree, replace)`` visits every node in
document order; where ``replace(node)`` returns a value, that value takes the node's place
(and is not walked again), else the walk goes on into the node's content.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def rewrite(node: Any, replace: Callable[[dict], Any | None]) -> Any:
    if isinstance(node, list):
        return [rewrite(item, replace) for item in node]
    if not isinstance(node, dict):
        return node
    replaced = replace(node)
    if replaced is not None:
        return replaced
    if "c" in node:
        return {**node, "c": rewrite(node["c"], replace)}
    return node


def has_class(node: dict, kind: str, css_class: str) -> bool:
    """Whether ``node`` is a ``kind`` (Span, Div…) carrying ``css_class``."""
    return node.get("t") == kind and css_class in node["c"][0][1]
