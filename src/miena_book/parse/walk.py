"""Walk: where a node of the tree keeps its children, and walks that replace nodes.

Pandoc's JSON keeps children at a different place in each kind of node (a header's
inlines are its third field, a table's cells lie four levels down). ``child_lists(node)``
says where, once, for every kind the tree holds; the walks below are built on it:

* ``replace_inlines(blocks, replace)``: every inline, in document order; where
  ``replace(node)`` returns a list, those nodes take its place (and are not walked);
* ``replace_blocks(blocks, replace)``: the same for blocks, at every depth;
* ``inlines_of(node)`` / ``iter_nodes(blocks)``: reading walks.

Both replacing walks change the lists in place; callers own the tree they walk (a note's
tree is copied before a transform touches it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

_INLINE_CONTAINERS = {"Emph", "Strong", "Strikeout", "Underline", "SmallCaps", "Superscript", "Subscript",
                      "InlineField"}
_SECOND_INLINES = {"Span", "Link", "Image", "Quoted", "Cite"}
# nodes that hold no children: the walks step over them without asking
LEAVES = frozenset({"Str", "Space", "SoftBreak", "LineBreak", "Code", "Math", "RawInline", "WikiLink", "Citation",
                    "CodeBlock", "RawBlock", "HorizontalRule"})


def child_lists(node: dict) -> list[tuple[str, list]]:
    """``[(kind, list)]``: the node's lists of children, each ``"blocks"`` or ``"inlines"``."""
    kind = node.get("t")
    content = node.get("c")
    if kind in ("Para", "Plain"):
        return [("inlines", content)]
    if kind == "Header":
        return [("inlines", content[2])]
    if kind in ("BlockQuote", "Note"):
        return [("blocks", content)]
    if kind == "BulletList":
        return [("blocks", item) for item in content]
    if kind == "OrderedList":
        return [("blocks", item) for item in content[1]]
    if kind == "Div":
        return [("blocks", content[1])]
    if kind in _INLINE_CONTAINERS:
        return [("inlines", content)]
    if kind in _SECOND_INLINES:
        return [("inlines", content[1])]
    if kind == "Table":
        lists: list[tuple[str, list]] = []
        if content[1][1]:
            lists.append(("blocks", content[1][1]))
        rows = list(content[3][1])
        for body in content[4]:
            rows += body[2] + body[3]
        rows += content[5][1]
        for row in rows:
            lists.extend(("blocks", cell[4]) for cell in row[1])
        return lists
    if kind == "Figure":
        return [("blocks", content[1][1]), ("blocks", content[2])]
    if kind == "LineBlock":
        return [("inlines", line) for line in content]
    return []


def replace_inlines(blocks: list, replace: Callable[[dict], list | None]) -> list:
    """Walk every inline under ``blocks``; a returned list replaces the node."""
    _walk(blocks, "blocks", None, replace)
    return blocks


def replace_blocks(blocks: list, replace: Callable[[dict], list | None]) -> list:
    """Walk every block under ``blocks`` (at any depth); a returned list replaces the block."""
    _walk(blocks, "blocks", replace, None)
    return blocks


def _walk(items: list, kind: str, on_block, on_inline) -> None:
    replace = on_block if kind == "blocks" else on_inline
    i = 0
    while i < len(items):
        node = items[i]
        if not isinstance(node, dict):
            i += 1
            continue
        if replace is not None:
            replaced = replace(node)
            if replaced is not None:
                items[i:i + 1] = replaced
                i += len(replaced)
                continue
        if node.get("t") in LEAVES:
            i += 1
            continue
        for child_kind, children in child_lists(node):
            if child_kind == "inlines" and on_inline is None and on_block is not None:
                # a block walk has nothing to find in inlines, except footnotes' blocks
                _footnote_blocks(children, on_block)
                continue
            _walk(children, child_kind, on_block, on_inline)
        i += 1


def _footnote_blocks(inlines: list, on_block) -> None:
    for node in inlines:
        if not isinstance(node, dict) or node.get("t") in LEAVES:
            continue
        if node.get("t") == "Note":
            _walk(node["c"], "blocks", on_block, None)
        else:
            for child_kind, children in child_lists(node):
                if child_kind == "inlines":
                    _footnote_blocks(children, on_block)


def iter_nodes(items: list) -> Iterator[dict]:
    """Every node under ``items``, blocks and inlines, in document order (no recursion)."""
    stack = [iter(items)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        if not isinstance(node, dict):
            continue
        yield node
        if node.get("t") in LEAVES:
            continue
        lists = child_lists(node)
        for _, children in reversed(lists):
            stack.append(iter(children))


def plain_text(inlines: list) -> str:
    """What a reader sees of inlines, as text (links by their label, code by its text)."""
    out: list[str] = []
    for node in iter_nodes(inlines):
        kind = node.get("t")
        if kind == "Str":
            out.append(node["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Code", "Math"):
            out.append(node["c"][1])
        elif kind == "WikiLink":
            out.append(node.get("label") or node["target"].split("#")[0])
        elif kind == "Citation":
            out.append(node["written"])
    return "".join(out)


def copy_tree(node):
    """A deep copy of a tree (faster than ``copy.deepcopy`` on plain JSON shapes)."""
    if isinstance(node, list):
        return [copy_tree(item) for item in node]
    if isinstance(node, dict):
        return {key: copy_tree(value) for key, value in node.items()}
    return node
