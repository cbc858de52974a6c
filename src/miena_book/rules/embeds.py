"""Embeds: ``![[Note]]``, ``![[Note#Heading]]``, ``![[Note#^block]]``, ``![[image.png|300]]``, ``![[file.pdf]]``.

A note's text (the whole note less its title, a heading's section, a named block) comes
in where the embed stands, as a ``.embed`` div: rendered by the embedded note's own rules
(its links resolved from it, its headings below the heading the embed lands under, no
ids), within ``embed_depth`` and never through a cycle (``links.embed_refusal``). An
embed that is a paragraph's only content replaces the paragraph; one inside text splits
it. An image is read from the vault as a data URI (``|300`` or ``|300x200`` sets its size,
other text its description); any other file is printed as its name; what cannot be
embedded is printed as its name or label. ``check`` reports each of these cases from the
same answers (``links.Resolver.embed``).
"""

from __future__ import annotations

from ..analyse import link_fact
from ..diagnostics import Diagnostic
from ..links import embed_key, embed_refusal, image_option
from ..parse.tree import attr, text_inlines
from ..parse.walk import child_lists, copy_tree, iter_nodes
from .context import RenderState, RuleContext



def _top_level(blocks: list) -> int:
    return min((node["c"][0] for node in blocks if node.get("t") == "Header"), default=1)


def fragment_blocks(tree: list, target) -> list:
    """The blocks an embed shows of ``tree`` (a copy of the embedded note's tree)."""
    if target.block_id is not None:
        return _named_block(tree, target.block_id)
    if target.heading is not None:
        return _section(tree, target.heading.index)
    return [node for node in tree if not (node.get("t") == "Header" and node.get("title"))]


def _section(tree: list, heading: int) -> list:
    """A heading's section: the heading and what follows it in the same list of blocks (the
    note's, or a callout's, a list item's, a quote's) up to a heading as high or higher."""
    lists = [tree]
    while lists:
        blocks = lists.pop()
        for position, node in enumerate(blocks):
            if node.get("t") == "Header" and node.get("heading") == heading:
                end = position + 1
                while end < len(blocks) and not (blocks[end].get("t") == "Header"
                                                 and blocks[end]["c"][0] <= node["c"][0]):
                    end += 1
                return blocks[position:end]
            lists.extend(children for kind, children in child_lists(node) if kind == "blocks")
    return []


def _named_block(tree: list, block_id: str) -> list:
    for node in iter_nodes(tree):
        if node.get("t") in ("BulletList", "OrderedList"):
            items = node["c"] if node["t"] == "BulletList" else node["c"][1]
            for number, item in enumerate(items):
                if item and item[0].get("blockid") == block_id and item[0].get("blockid_item"):
                    if node["t"] == "BulletList":
                        return [{"t": "BulletList", "c": [item]}]
                    start, style, delimiter = node["c"][0]  # the item keeps its number
                    return [{"t": "OrderedList", "c": [[start + number, style, delimiter], [item]]}]
        if node.get("blockid") == block_id and not node.get("blockid_item"):
            return [node]
    return []


class _Embedder:
    def __init__(self, context: RuleContext):
        self.context = context
        self.state = context.state
        self.resolver = context.book.resolver
        self.landing = self.state.floor

    def blocks(self, blocks: list) -> None:
        i = 0
        while i < len(blocks):
            node = blocks[i]
            kind = node.get("t")
            if kind == "Header":
                self.landing = node["c"][0]
            if kind in ("Para", "Plain") and any(n.get("t") in ("WikiLink", "Image") for n in node["c"]):
                made = self.paragraph(node)
                blocks[i:i + 1] = made
                i += len(made)
                continue
            if not node.get("embedded"):
                for child_kind, children in child_lists(node):
                    if child_kind == "blocks":
                        self.blocks(children)
                    else:
                        self.inlines(children)
            i += 1

    def markdown_image(self, node: dict) -> None:
        """``![description](img/figure.png)``: an image of the vault, read like an embed's."""
        fact = link_fact(node)
        if fact is None:
            return  # a URL: refused by the exporter, as any fetch
        path = self.resolver.find_attachment(fact.name, self.state.note.path)
        uri = self.context.book.image_uri(path) if path else None
        self.state.note_input("image", fact.written, path)
        if uri is not None:
            node["c"][2][0] = uri
            # named in the PDF's pdf.resolution warning (export.ast.for_screen leaves them out elsewhere)
            node["c"][0][2].extend([["data-file", path], ["data-embed", _place(self.state.note, fact.line)]])

    def inlines(self, inlines: list) -> None:
        """Embeds inside headings, table cells, links: shown inline (images, names)."""
        for index, node in enumerate(inlines):
            if node.get("t") == "Image":
                self.markdown_image(node)
            if node.get("t") == "WikiLink" and node.get("embed"):
                made = self.embed(node, inline=True)
                inlines[index:index + 1] = made if isinstance(made, list) else text_inlines(node["written"])
            elif node.get("t") == "Note":
                self.blocks(node["c"])
            else:
                for child_kind, children in child_lists(node):
                    (self.blocks if child_kind == "blocks" else self.inlines)(children)

    def paragraph(self, node: dict) -> list:
        """A paragraph holding embeds: note embeds become blocks of their own, in order."""
        out: list = []
        current: list = []
        for inline in node["c"]:
            if inline.get("t") == "WikiLink" and inline.get("embed"):
                made = self.embed(inline, inline=False)
                if isinstance(made, dict):  # a block: the paragraph is cut around it
                    if _visible(current):
                        out.append({**node, "c": _trimmed(current)})
                    current = []
                    out.append(made)
                    continue
                current.extend(made)
                continue
            if inline.get("t") == "Image":
                self.markdown_image(inline)
            for child_kind, children in child_lists(inline):
                (self.blocks if child_kind == "blocks" else self.inlines)(children)
            current.append(inline)
        if _visible(current):
            rest = {key: value for key, value in node.items() if key != "c"} if not out else \
                {"t": node["t"], "line": node.get("line")}
            out.append({**rest, "c": _trimmed(current)})
        elif out and "blockid" in node:  # "![[Note]] ^id": the id names what the embed shows
            out[-1]["blockid"] = node["blockid"]
        return out

    def embed(self, node: dict, inline: bool) -> list | dict:
        fact = link_fact(node)
        target = self.resolver.embed(self.state.note, fact)
        option = (fact.label or "").strip()
        self.state.note_input("embed", fact.written, target.kind, target.attachment,
                              target.note.path if target.note else None)
        if target.kind == "image":
            return [self.image(target.attachment, fact.name, option, _place(self.state.note, fact.line))]
        if target.kind == "file":
            name = fact.name.rsplit("/", 1)[-1]
            return [{"t": "Span", "c": [attr("", ["attachment"]), text_inlines(f"📎 {name}")]}]
        if target.kind != "note":
            return text_inlines(option or node["target"] or fact.written)
        if embed_refusal(target, fact, self.state.note, self.state.chain, self.context.book.embed_depth) or inline:
            return text_inlines(option or node["target"])
        return self.note_text(target)

    def image(self, path: str, name: str, option: str, place: str = "") -> dict:
        uri = self.context.book.image_uri(path)
        if uri is None:
            return {"t": "Str", "c": name}
        description, size = image_option(option)
        # no description: the file's name, the least a screen reader can say (audit warns: a11y.alt)
        alt = description or name.rsplit("/", 1)[-1]
        # named in the PDF's pdf.resolution warning (export.ast.for_screen leaves them out elsewhere)
        pairs = [["data-file", path], ["data-embed", place]]
        if size:
            pairs.append(["width", f"{size[0]}px"])
            if size[1]:
                pairs.append(["height", f"{size[1]}px"])
        return {"t": "Image", "c": [attr("", [], pairs), text_inlines(alt), [uri, ""]]}

    def note_text(self, target) -> dict:
        from ..transform import render_blocks  # the transform runs these rules: imported when used

        note = target.note
        tree = copy_tree(self.context.book.tree_of(note))
        blocks = fragment_blocks(tree, target)
        self.state.note_input("embedded text", note.path, note.body)
        state = RenderState(note, floor=self.landing, shift=self.landing + 1 - _top_level(blocks),
                            with_ids=False, chain=(*self.state.chain, embed_key(target)), seen=self.state.seen)
        body = render_blocks(blocks, self.context.book, state)
        return {"t": "Div", "c": [attr("", ["embed"], [["data-source", note.title]]), body], "embedded": True,
                "line": None}


def _visible(inlines: list) -> bool:
    return any(node.get("t") not in ("Space", "SoftBreak", "LineBreak") for node in inlines)


def _trimmed(inlines: list) -> list:
    start, end = 0, len(inlines)
    while start < end and inlines[start].get("t") in ("Space", "SoftBreak", "LineBreak"):
        start += 1
    while end > start and inlines[end - 1].get("t") in ("Space", "SoftBreak", "LineBreak"):
        end -= 1
    return inlines[start:end]


def embeds(tree: list, context: RuleContext) -> tuple[list, list[Diagnostic]]:
    _Embedder(context).blocks(tree)
    return tree, []


def _place(note, line: int | None) -> str:
    """Where an embed is written, ``path:line``, for a diagnostic of the PDF's layout."""
    return f"{note.path}:{line}" if line else note.path
