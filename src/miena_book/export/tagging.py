"""Tagging: the refinements of WeasyPrint's structure tree that PDF/UA asks for.

WeasyPrint 70 tags the PDF (``pdf_tags``); three things in it are fixed here, in the worker
processes that lay the book's units out (``export.weasy``):

- what the page margins show (running heads, page numbers) is marked as artifacts, which a
  screen reader skips, rather than as content left out of the structure tree;
- a link's annotation is described by the link's words, not by its target's id;
- a loose list item's paragraphs are gathered into the ``LBody`` of the item.

The first two wrap WeasyPrint functions that are not part of its public interface
(``Stream.marked``, ``tags._build_box_tree``, ``pdf.add_links``); ``patched_names``
lists them and a unit test checks that the installed WeasyPrint still has them.
"""

from __future__ import annotations

from contextlib import contextmanager

PATCHED = (("weasyprint.pdf.stream", "Stream.marked"), ("weasyprint.pdf.tags", "_build_box_tree"),
           ("weasyprint.pdf", "add_links"))


def patched_names() -> list[str]:
    """The WeasyPrint names this module wraps that the installed version does not have."""
    import importlib

    missing = []
    for module_name, dotted in PATCHED:
        target = importlib.import_module(module_name)
        for part in dotted.split("."):
            target = getattr(target, part, None)
            if target is None:
                missing.append(f"{module_name}.{dotted}")
                break
    return missing


def descendants(box):
    """A laid-out box and every box inside it, in document order."""
    yield box
    for child in getattr(box, "children", ()):
        yield from descendants(child)



@contextmanager
def accessible_tagging(document):
    """Two refinements of WeasyPrint's tagging, for what a screen reader says, while
    ``document`` is written (``with accessible_tagging(document): document.write_pdf(…)``).

    What the page margins show (running heads, page numbers) is marked as artifacts:
    WeasyPrint tags a margin box's text as ordinary content left out of the structure tree,
    and PDF/UA asks for artifacts, which a reader skips. And a link's annotation describes
    it by its text (WeasyPrint writes its target there, ``#mod-modele-3f2a``). Its
    ``Stream.marked``, ``tags._build_box_tree`` and ``add_links`` are wrapped while this
    document is written, and put back after: a worker writes many units, one at a time.
    """
    if patched_names():  # another WeasyPrint than the one this was written for: its own tagging
        yield
        return
    import pydyf
    from weasyprint import pdf as weasy_pdf
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import stream as pdf_stream, tags as pdf_tags

    add_links = weasy_pdf.add_links

    def links_described_by_their_text(links_and_anchors, *args, **kwargs):
        add_links(links_and_anchors, *args, **kwargs)
        for _kind, _target, _rectangle, box in links_and_anchors[0]:
            annotation = getattr(box, "link_annotation", None)
            # the whole link's words, also for the part of it that runs onto the next line
            element = getattr(box, "element", None)
            words = element.itertext() if element is not None else \
                (getattr(part, "text", "") for part in descendants(box) if isinstance(part, boxes.TextBox))
            text = " ".join("".join(words).split())
            if annotation is not None and "Contents" in annotation and text:
                annotation["Contents"] = pydyf.String(text)

    weasy_pdf.add_links = links_described_by_their_text

    in_margins = {id(box) for page in document.pages for margin in page._page_box.children
                  if isinstance(margin, boxes.MarginBox) for box in descendants(margin)}
    marked, build_box_tree = pdf_stream.Stream.marked, pdf_tags._build_box_tree

    @contextmanager
    def marked_or_artifact(self, box, tag):
        with (self.artifact() if id(box) in in_margins else marked(self, box, tag)):
            yield

    def without_margins(box, *args):
        return iter(()) if isinstance(box, boxes.MarginBox) else build_box_tree(box, *args)

    pdf_stream.Stream.marked = marked_or_artifact
    pdf_tags._build_box_tree = without_margins
    try:
        yield
    finally:
        weasy_pdf.add_links = add_links
        pdf_stream.Stream.marked, pdf_tags._build_box_tree = marked, build_box_tree



def list_items_with_bodies(pdf) -> None:
    """Every list item of the structure tree as PDF/UA has it: a label and a body.

    WeasyPrint puts a loose list item's paragraphs (``<li><p>…</p></li>``) and what follows
    them straight under the item; they are gathered here into the ``LBody`` PDF/UA asks for."""
    import pydyf

    objects = {item.reference: item for item in pdf.objects if isinstance(item, pydyf.Dictionary)}
    for item in list(objects.values()):
        if item.get("Type") != "/StructElem" or item.get("S") != "/LI":
            continue
        kids = list(item["K"])
        loose = [kid for kid in kids if kid in objects and objects[kid].get("S") not in ("/Lbl", "/LBody")]
        if not loose:
            continue
        body = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(loose),
                                 "P": item.reference})
        if "Pg" in item:
            body["Pg"] = item["Pg"]
        pdf.add_object(body)
        for kid in loose:
            objects[kid]["P"] = body.reference
        first = kids.index(loose[0])
        item["K"] = pydyf.Array([kid for kid in kids[:first] if kid not in loose] + [body.reference]
                                + [kid for kid in kids[first:] if kid not in loose])
