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
    # the book's passes walk millions of nodes: strings are neither called on nor copied,
    # and a node whose content is a string (Str) is shared, as one without content (Space) is
    kind = type(node)
    if kind is list:
        return [rewrite(item, replace) if type(item) in _CONTAINERS else item for item in node]
    if kind is not dict:
        return node
    replaced = replace(node)
    if replaced is not None:
        return replaced
    content = node.get("c")
    if type(content) in _CONTAINERS:
        return {**node, "c": rewrite(content, replace)}
    return node


_CONTAINERS = (list, dict)


def has_class(node: dict, kind: str, css_class: str) -> bool:
    """Whether ``node`` is a ``kind`` (Span, Div…) carrying ``css_class``."""
    return node.get("t") == kind and css_class in node["c"][0][1]


def each_node(tree: Any, visit: Callable[[dict], None]) -> None:
    """Call ``visit`` on every node, in place and without recursion (any depth)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            visit(node)
            if "c" in node:
                stack.append(node["c"])


def with_deep_recursion(function: Callable[[], Any]) -> Any:
    """Run ``function`` in a thread with a large stack and recursion limit.

    Pandoc's AST of a deeply nested note (lists or quotes hundreds deep) is deep JSON; the
    JSON decoder and the recursive walks would stop at Python's default limit of 1000
    frames. The large stack keeps the higher limit safe."""
    import sys
    import threading

    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = function()
        except BaseException as failure:  # handed back to the caller's thread
            outcome["error"] = failure

    previous_limit = sys.getrecursionlimit()
    previous_stack = threading.stack_size(512 * 1024 * 1024)
    sys.setrecursionlimit(max(previous_limit, 100_000))
    try:
        worker = threading.Thread(target=run, name="miena-book-build")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(previous_stack)
        sys.setrecursionlimit(previous_limit)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


# pandoc's inline elements: a list whose first item is one of these is a list of inlines
INLINE_KINDS = frozenset(("Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
                          "Quoted", "Cite", "Code", "Space", "SoftBreak", "LineBreak", "Math", "RawInline", "Link",
                          "Image", "Note", "Span"))


# Attributes the transform sets for the PDF's own checks (an image's file and where it is
# embedded, named in a pdf.resolution warning): not published in the EPUB and the HTML.
PRINT_ONLY_ATTRIBUTES = frozenset({"data-file", "data-embed"})


def for_screen(ast: dict) -> dict:
    """The book's AST without the attributes only the PDF's layout reads."""
    def clean(node: dict):
        if node.get("t") != "Image":
            return None
        (identifier, classes, pairs), alt, target = node["c"]
        if not any(key in PRINT_ONLY_ATTRIBUTES for key, _ in pairs):
            return None
        kept = [pair for pair in pairs if pair[0] not in PRINT_ONLY_ATTRIBUTES]
        return {"t": "Image", "c": [[identifier, classes, kept], alt, target]}

    return {**ast, "blocks": rewrite(ast["blocks"], clean)}

