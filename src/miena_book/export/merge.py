"""Merge: the PDFs of a book's units, laid out apart, into one tagged PDF.

A unit (a chapter, the front matter…) is laid out by WeasyPrint on its own, in a process
of its own, and written as a tagged PDF. This module puts the units' pages one after the
other into one document and keeps what makes it one book:

- one structure tree: each unit's ``Document`` element's children go, in order, under the
  first unit's, and the parent tree that maps marked content and annotations to their
  elements is renumbered (pages' ``/StructParents``, annotations' ``/StructParent``);
- links across units: a unit links to a place of another as ``UNIT_LINK#anchor`` (an
  external link WeasyPrint keeps as it is); here every such link becomes a link to the
  named destination, and the units' named destinations become one name tree;
- bookmarks: each unit's outline is appended to the book's;
- the catalog of the first unit (language, title display, mark info, metadata, output
  intent) is the book's; page labels are the caller's, for the whole book.

Takes the units' PDF paths in book order and writes the book's PDF (pikepdf, a binding of
qpdf). Returns the page where each unit begins.
"""

from __future__ import annotations

UNIT_LINK = "https://unit.invalid/"  # the stand-in base of a link to another unit's anchor


def unit_link(anchor: str) -> str:
    """The href a unit writes for a place laid out in another unit."""
    return f"{UNIT_LINK}#{anchor}"


def merge_units(paths: list[str], target: str, page_labels: int | None = None,
                outline_levels: list[int] | None = None) -> list[int]:
    """Write the book's PDF to ``target`` from the unit PDFs at ``paths``. With
    ``page_labels``, the pages before that index are numbered i, ii, … and the rest 1, 2, …
    (the PDF's /PageLabels). ``outline_levels[i]``: the depth unit i's bookmarks go at (0,
    the top; 1, under the last top-level bookmark before them: a unit of a chapter's sections)."""
    merge = BookMerge()
    try:
        for index, path in enumerate(paths):
            merge.add(path, outline_levels[index] if outline_levels else 0)
        merge.write(target, page_labels)
    finally:
        merge.close()
    return merge.starts


class BookMerge:
    """The book merged unit after unit, in book order (``add``), then written (``write``):
    the units laid out first are merged while the others are laid out."""

    def __init__(self):
        self.book = None
        self.starts: list[int] = []
        self._names: dict[str, object] = {}
        self._next_key = 0
        self._outlines: list[tuple[int, list]] = []
        self._preloaded: dict[str, object] = {}  # path -> the unit read ahead

    def preload(self, path: str) -> None:
        """Unit ``path`` read ahead of its turn (``add`` takes it from here): a merge waiting
        for a unit still laid out reads those after it meanwhile."""
        import pikepdf

        if path not in self._preloaded:
            try:
                self._preloaded[path] = _read_whole(path)
            except (pikepdf.PdfError, OSError):  # read again when its turn comes, and reported then
                pass

    def forget(self, path: str) -> None:
        """A unit read ahead that will not be added after all (it is laid out again)."""
        unit = self._preloaded.pop(path, None)
        if unit is not None:
            unit.close()

    def add(self, path: str, level: int = 0) -> None:
        """The next unit's PDF; ``level``: the depth its bookmarks go at."""
        unit = self._preloaded.pop(path, None) or _read_whole(path)
        if self.book is None:
            self.book = unit
            self.starts.append(0)
            self._names = _named_destinations(self.book)
            self._next_key = _next_parent_key(self.book)
            _links_across_units(self.book, 0)
            return
        self.starts.append(len(self.book.pages))
        with unit:  # closed once its objects are the book's: not all held at once
            self._next_key = _append_unit(self.book, unit, self._names, self._next_key, self._outlines, level)
            _own_stream_data(self.book, self.starts[-1])
        _links_across_units(self.book, self.starts[-1])  # now, not once the last unit is in

    def write(self, target: str, page_labels: int | None = None) -> None:
        import pikepdf

        book = self.book
        _append_outlines(book, self._outlines)
        _shared_streams(book)
        _write_names(book, self._names)
        if page_labels is not None:
            numbers = [0, pikepdf.Dictionary(S=pikepdf.Name.r)] if page_labels else []
            numbers += [page_labels, pikepdf.Dictionary(S=pikepdf.Name.D)]
            book.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(numbers))
        book.save(target, deterministic_id=True, compress_streams=True,
                  object_stream_mode=pikepdf.ObjectStreamMode.generate)

    def close(self) -> None:
        for path in list(self._preloaded):
            self.forget(path)
        if self.book is not None:
            self.book.close()


def _read_whole(path: str):
    """A unit's PDF opened, every object in it read at once: qpdf reads an object from the
    file when it is first used, and copying a unit object by object, each read as the copy
    reaches it, took half again as long as reading them all first and then copying."""
    import pikepdf

    unit = pikepdf.open(path)
    for _ in unit.objects:
        pass
    return unit


def _copy(book, value, unit=None):
    """``value`` of a unit's PDF as an object of ``book``: an indirect object is copied once
    (qpdf remembers it, so a page copied before is the same page); a direct array or
    dictionary is made an object of the unit first, so that qpdf copies it whole."""
    import pikepdf

    if isinstance(value, (pikepdf.Array, pikepdf.Dictionary)) and not value.is_indirect:
        if unit is not None:
            return book.copy_foreign(unit.make_indirect(value))
        if isinstance(value, pikepdf.Array):
            return pikepdf.Array([_copy(book, item) for item in value])
        return pikepdf.Dictionary({key: _copy(book, item) for key, item in value.items()})
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return book.copy_foreign(value)
    return value


def _next_parent_key(pdf) -> int:
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None or "/ParentTree" not in tree:
        return 0
    keys = [int(key) for key in list(tree.ParentTree.Nums)[0::2]]
    return max(keys, default=-1) + 1


def _named_destinations(pdf) -> dict[str, object]:
    """The flat name tree WeasyPrint writes, as a dict."""
    dests = pdf.Root.get("/Names", {}).get("/Dests") if "/Names" in pdf.Root else None
    if dests is None:
        return {}
    entries = list(dests.get("/Names", []))
    return {str(entries[i]): entries[i + 1] for i in range(0, len(entries), 2)}


def _append_unit(book, unit, names: dict, next_key: int, outlines: list, level: int = 0) -> int:
    """The unit's pages, structure, names and bookmarks added to ``book``; returns the next
    free key of the parent tree."""
    import pikepdf

    import warnings

    first_page = len(book.pages)
    with warnings.catch_warnings():  # the named destinations are merged here (_write_names)
        warnings.simplefilter("ignore", pikepdf.PageCopyWarning if hasattr(pikepdf, "PageCopyWarning") else Warning)
        book.pages.extend(unit.pages)
    copied_pages = [book.pages[first_page + index] for index in range(len(unit.pages))]
    # the parent tree: each key moves up by the keys the book already uses
    tree = unit.Root.get("/StructTreeRoot")
    offset = next_key
    if tree is not None:
        book_tree = book.Root.StructTreeRoot
        numbers = list(tree.ParentTree.Nums) if "/ParentTree" in tree else []
        book_numbers = book_tree.ParentTree.Nums
        # the values copied in one go (each copied apart costs a call into qpdf)
        values = _copy(book, pikepdf.Array(numbers[1::2]), unit)
        for index, value in zip(range(0, len(numbers), 2), values):
            book_numbers.append(int(numbers[index]) + offset)
            book_numbers.append(value)
        for page in copied_pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        document = book_tree.K[0] if isinstance(book_tree.K, pikepdf.Array) else book_tree.K
        unit_document = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
        for copied in _copy(book, pikepdf.Array(list(unit_document.get("/K", []))), unit):
            if isinstance(copied, pikepdf.Dictionary):
                copied.P = document
            document.K.append(copied)
        keys = [int(key) for key in numbers[0::2]]
        next_key = offset + max(keys, default=-1) + 1
        book_tree.ParentTreeNextKey = next_key
    destinations = _named_destinations(unit)
    for name, destination in zip(destinations, _copy(book, pikepdf.Array(list(destinations.values())), unit)):
        names[name] = destination
    outlines.append((level, _unit_outline(unit, first_page)))
    return next_key


def _unit_outline(unit, first_page: int) -> list:
    """The unit's bookmarks, as items pointing into the book (its pages from ``first_page``)."""
    import pikepdf

    with unit.open_outline() as unit_outline:
        unit_pages = {page.objgen: index for index, page in enumerate(unit.pages)}

        def copied(item):
            page = None
            destination = item.destination
            if isinstance(destination, pikepdf.Array) and len(destination):
                page = unit_pages.get(destination[0].objgen)
            top = float(destination[3]) if isinstance(destination, pikepdf.Array) and len(destination) > 3 else None
            new = pikepdf.OutlineItem(item.title, first_page + (page or 0), "XYZ", left=0, top=top)
            new.children.extend(copied(child) for child in item.children)
            return new

        return [copied(item) for item in unit_outline.root]


def _append_outlines(book, outlines: list[tuple[int, list]]) -> None:
    """Each unit's bookmarks after the book's (its first unit's), in one pass over the
    book's outline: at the top, or ``level`` deep under the last bookmarks there."""
    with book.open_outline() as book_outline:
        for level, items in outlines:
            parent = book_outline.root
            for _ in range(level):
                if not parent:
                    break
                parent = parent[-1].children
            parent.extend(items)


def _own_stream_data(book, first_page: int) -> None:
    """The data of every stream the pages from ``first_page`` use, read now from their unit
    (qpdf would read it from there when the book is written, keeping every unit open)."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    stack = [book.pages[index].obj for index in range(first_page, len(book.pages))]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Object) and item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Stream):
            item.write(item.read_raw_bytes(), filter=item.get("/Filter"), decode_parms=item.get("/DecodeParms"))
            stack.extend(value for key, value in item.items() if key not in _NO_STREAM_UNDER)
        elif isinstance(item, pikepdf.Dictionary):
            if item.get("/Subtype") == "/Link" and "/AP" not in item:
                continue  # a link's annotation (thousands in a book) draws nothing of its own
            stack.extend(value for key, value in item.items() if key not in _NO_STREAM_UNDER)
        elif isinstance(item, pikepdf.Array):
            stack.extend(item)


# Keys whose values hold no stream of the unit: numbers, names, boxes, widths (a font's
# widths are thousands of numbers), and the links back up (parent, page, structure)
_NO_STREAM_UNDER = frozenset((
    "/Length", "/Filter", "/DecodeParms", "/Parent", "/StructParents", "/StructParent", "/P", "/Type", "/Subtype",
    "/W", "/W2", "/Widths", "/FirstChar", "/LastChar", "/FontBBox", "/BBox", "/Matrix", "/Rect", "/MediaBox",
    "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate"))


def _shared_streams(book) -> None:
    """Each image and font program the units hold alike kept once: a picture or an emoji
    on pages of several units, and a font whose subsets came out the same, were embedded
    by each unit's layout."""
    import hashlib

    import pikepdf

    canonical: dict[tuple, object] = {}
    seen: set[tuple] = set()

    def shared(stream):
        try:
            raw = stream.read_raw_bytes()
        except (pikepdf.PdfError, AttributeError):
            return stream
        facts = tuple(sorted((str(key), repr(value)) for key, value in stream.items() if key != "/Length"))
        return canonical.setdefault((hashlib.sha256(raw).digest(), facts), stream)

    def visit(resources) -> None:
        if not isinstance(resources, pikepdf.Dictionary) or resources.objgen in seen and resources.is_indirect:
            return
        if resources.is_indirect:
            seen.add(resources.objgen)
        xobjects = resources.get("/XObject")
        if isinstance(xobjects, pikepdf.Dictionary):
            for name in list(xobjects.keys()):
                xobject = xobjects[name]
                if isinstance(xobject, pikepdf.Stream):
                    xobjects[name] = shared(xobject)
                    visit(xobjects[name].get("/Resources"))
        fonts = resources.get("/Font")
        if isinstance(fonts, pikepdf.Dictionary):
            for name in list(fonts.keys()):
                font = fonts[name]
                for descendant in (font.get("/DescendantFonts") or [font]):
                    descriptor = descendant.get("/FontDescriptor") if isinstance(descendant, pikepdf.Dictionary) else None
                    if not isinstance(descriptor, pikepdf.Dictionary):
                        continue
                    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                        if isinstance(descriptor.get(key), pikepdf.Stream):
                            descriptor[key] = shared(descriptor[key])
                if isinstance(font.get("/Resources"), pikepdf.Dictionary):  # a Type 3 font's glyphs
                    visit(font.Resources)

    for page in book.pages:
        visit(page.obj.get("/Resources"))


def _write_names(book, names: dict) -> None:
    import pikepdf

    flat = pikepdf.Array()
    for name in sorted(names):  # a name tree's keys are sorted
        flat.append(pikepdf.String(name))
        flat.append(names[name])
    if "/Names" not in book.Root:
        book.Root.Names = pikepdf.Dictionary()
    book.Root.Names.Dests = book.make_indirect(pikepdf.Dictionary(Names=flat))


def _links_across_units(book, first_page: int) -> None:
    """On the pages from ``first_page``, each ``UNIT_LINK#anchor`` action made a link to
    the named destination ``anchor``."""
    import pikepdf

    for index in range(first_page, len(book.pages)):
        page = book.pages[index]
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            if action is None or str(action.get("/S")) != "/URI":
                continue
            uri = str(action.get("/URI", ""))
            if uri.startswith(UNIT_LINK + "#"):
                del annotation["/A"]
                annotation.Dest = pikepdf.String(uri[len(UNIT_LINK) + 1:])


# How much of the units' PDFs a merge reads ahead of their turn: a unit's objects take
# about thirty times its file's size in memory
PRELOAD_BYTES = 8_000_000


def merge_as_offered(lines) -> bool:
    """The merge of a layout in progress, from JSON ``lines``: ``{"unit": path, "index": i,
    "level": n}`` as each unit's PDF is written, in any order; ``{"withdraw": i}`` when a
    unit offered is to be laid out again (never one merged already: the layout then starts
    another merge); ``{"target": path, "page_labels": n}`` once every unit is offered. The
    units are merged in book order, each as soon as those before it are in; while the next
    is still being laid out (after an edit, the edited unit), those offered after it are
    read ahead (``BookMerge.preload``), within ``PRELOAD_BYTES`` of files. False if the
    lines end before the target comes."""
    import json
    import os
    import queue
    import threading

    orders: queue.Queue = queue.Queue()

    def read() -> None:
        try:
            for line in lines:
                orders.put(json.loads(line))
        finally:  # the end of the lines, or one that is not JSON: the merge ends unwritten
            orders.put(None)

    threading.Thread(target=read, daemon=True).start()
    merge = BookMerge()
    offered: dict[int, tuple[str, int]] = {}
    read_ahead: dict[int, int] = {}  # index -> its file's size
    merged = 0
    while True:
        if merged in offered:
            path, level = offered.pop(merged)
            read_ahead.pop(merged, None)
            merge.add(path, level)
            merged += 1
            continue
        try:
            order = orders.get_nowait()
        except queue.Empty:
            ahead = [index for index in sorted(offered) if index not in read_ahead]
            if ahead and sum(read_ahead.values()) < PRELOAD_BYTES:
                path = offered[ahead[0]][0]
                read_ahead[ahead[0]] = os.path.getsize(path)
                merge.preload(path)
                continue
            order = orders.get()
        if order is None:
            return False
        if "unit" in order:
            offered[order["index"]] = (order["unit"], order.get("level", 0))
        elif "withdraw" in order:
            path, _ = offered.pop(order["withdraw"], (None, 0))
            if read_ahead.pop(order["withdraw"], None) is not None:
                merge.forget(path)
        else:
            if offered:
                raise ValueError(f"units {sorted(offered)} offered after a unit missing")
            merge.write(order["target"], order.get("page_labels"))
            return True


def main(job_path: str) -> None:
    """``python -m miena_book.export.merge JOB``: the merge in a process of its own (the
    build's holds the book's AST; this one holds the merged PDF), from a JSON job: the
    units' paths, the target, the page labels and the bookmarks' levels.

    With ``-`` for JOB, the job comes on standard input, a JSON line at a time, as the
    layout goes (``merge_as_offered``), and the book is written once the last order comes.
    The process is started before the first unit is ready (loading pikepdf takes a while)."""
    import json
    import os
    import sys

    if job_path == "-":
        if not merge_as_offered(sys.stdin):  # the layout let this merge go: nothing is written
            os._exit(3)
    else:
        with open(job_path, encoding="utf-8") as handle:
            job = json.load(handle)
        merge_units(job["paths"], job["target"], job.get("page_labels"), job.get("outline_levels"))
    from .weasy import peak_memory_mb

    print(json.dumps({"peak_mb": peak_memory_mb()}), flush=True)
    # the book is written and closed: freeing its million objects one by one would take a
    # second more, for nothing
    os._exit(0)


if __name__ == "__main__":
    import sys

    main(sys.argv[1])
