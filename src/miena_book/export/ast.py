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


class SharedLeaves:
    """One object for each distinct leaf of the book's AST: every ``{"t": "Space"}`` is the
    same dict, as is every ``{"t": "Str", "c": "compétence"}``.

    Words and the spaces between them are nine nodes in ten of a book, each a dict of its
    own as the JSON decoder or a rule makes it (about 240 bytes); text repeats its words
    (a French vault of 1,200 notes: 490,000 of them, 40,000 distinct), so the book's AST
    shared this way takes a fifth of the memory. A leaf is a node of ``"t"`` alone or of
    ``"t"`` and a string ``"c"``: nothing has a place in it to change. The stages after
    the transform never change a node in place where it could be shared (they build new
    nodes, as ``rewrite`` does, or put one in its list's slot, as ``typography`` does).
    """

    def __init__(self):
        self._leaves: dict = {}

    def hook(self, node: dict) -> dict:
        """A JSON decoder's ``object_hook``: ``json.loads(text, object_hook=leaves.hook)``."""
        size = len(node)
        if size == 1:
            kind = node.get("t")
            if kind is not None:
                return self._leaves.setdefault(kind, node)
        elif size == 2:
            content = node.get("c")
            if type(content) is str and "t" in node:
                return self._leaves.setdefault((node["t"], content), node)
        return node

    def share(self, tree: Any) -> Any:
        """``tree`` with each leaf replaced, in its list or dict, by the shared one (the lists
        and dicts are changed: the caller owns them)."""
        leaves = self._leaves
        stack = [tree]
        while stack:
            container = stack.pop()
            for place, item in (enumerate(container) if type(container) is list else container.items()):
                kind = type(item)
                if kind is dict:
                    size = len(item)
                    if size == 1 and "t" in item:
                        container[place] = leaves.setdefault(item["t"], item)
                        continue
                    if size == 2:
                        content = item.get("c")
                        if type(content) is str and "t" in item:
                            container[place] = leaves.setdefault((item["t"], content), item)
                            continue
                    stack.append(item)
                elif kind is list:
                    stack.append(item)
        return tree


# The stack of a thread that walks the AST (address space reserved, touched only as deep as
# the walk goes)
DEEP_STACK_BYTES = 512 * 1024 * 1024


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
    previous_stack = threading.stack_size(DEEP_STACK_BYTES)
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

