"""Units laid out apart and merged into one tagged PDF (export.merge).

Three small units are laid out by WeasyPrint as PDF/UA-1, one of them linking into
another, then merged: one structure tree in order, a parent tree whose keys match the
pages' and annotations' numbers and whose elements sit on the book's own pages, links
across units as named destinations, the units' bookmarks in order, and veraPDF's verdict.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pikepdf = pytest.importorskip("pikepdf", reason="pikepdf is a dependency of the PDF's merge")

import pdfua  # noqa: E402  (tests/pdfua: the veraPDF launcher)

from miena_book.export.merge import merge_units, unit_link  # noqa: E402

UNITS = {
    "un": f"""<h1 id="un">Un</h1><p>Voir <a href="{unit_link('deux-b')}">le second point</a>.</p>
<ul><li>premier</li><li>second</li></ul><h2 id="un-b">Un, second point</h2><p>Retour <a href="#un">ici</a>.</p>""",
    "deux": f"""<h1 id="deux">Deux</h1><p>Vers <a href="{unit_link('un-b')}">le premier</a>.</p>
<h2 id="deux-b">Deux, second point</h2><table><thead><tr><th>Colonne</th></tr></thead>
<tbody><tr><td>valeur</td></tr></tbody></table>""",
    "trois": """<h1 id="trois">Trois</h1><p>Un paragraphe.</p><p style="break-before: page">Une autre page.</p>""",
}


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    from weasyprint import CSS, HTML

    folder = tmp_path_factory.mktemp("merge")
    css = CSS(string="@page { size: A6; @bottom-center { content: counter(page); } } "
                     "h1 { bookmark-level: 1; } h2 { bookmark-level: 2; }")
    paths = []
    for name, body in UNITS.items():
        html = f"<html lang='fr'><head><title>Livre</title></head><body><main>{body}</main></body></html>"
        path = folder / f"{name}.pdf"
        HTML(string=html).write_pdf(path, stylesheets=[css], pdf_variant="pdf/ua-1", pdf_tags=True)
        paths.append(str(path))
    target = folder / "livre.pdf"
    starts = merge_units(paths, str(target))
    return target, starts, pikepdf.open(target)


def _elements(pdf):
    out = []

    def walk(element):
        if isinstance(element, pikepdf.Dictionary):
            if "/S" in element:
                out.append(element)
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return out


def test_pages_follow_each_other_and_each_unit_starts_where_it_says(merged):
    _, starts, pdf = merged
    assert starts == [0, 1, 2] and len(pdf.pages) == 4


def test_one_structure_tree_in_reading_order(merged):
    _, _, pdf = merged
    elements = _elements(pdf)
    assert [str(e.S) for e in elements].count("/Document") == 1
    headings = [str(e.S) for e in elements if str(e.S) in ("/H1", "/H2")]
    assert headings == ["/H1", "/H2", "/H1", "/H2", "/H1"]
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    assert all(e.Pg.objgen in pages for e in elements if "/Pg" in e), "an element on a page of another file"
    order = [pages[e.Pg.objgen] for e in elements if str(e.S) in ("/H1", "/H2")]
    assert order == sorted(order)


def test_parent_tree_keys_match_pages_and_annotations(merged):
    _, _, pdf = merged
    numbers = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    keys = [int(key) for key in numbers[0::2]]
    assert keys == sorted(set(keys))
    used = [int(page.StructParents) for page in pdf.pages if "/StructParents" in page.obj]
    used += [int(a.StructParent) for page in pdf.pages for a in page.obj.get("/Annots", []) if "/StructParent" in a]
    assert sorted(used) == keys
    assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == max(keys) + 1


def test_links_across_units_go_to_named_places_of_the_book(merged):
    _, _, pdf = merged
    names = list(pdf.Root.Names.Dests.Names)
    destinations = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
    assert set(destinations) == {"un", "un-b", "deux", "deux-b", "trois"}
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    links = {(index, str(a.get("/Dest"))) for index, page in enumerate(pdf.pages) for a in page.obj.get("/Annots", [])}
    assert (0, "deux-b") in links and (1, "un-b") in links and (0, "un") in links
    assert pages[destinations["deux-b"][0].objgen] == 1 and pages[destinations["un-b"][0].objgen] == 0
    assert not any("/A" in a for page in pdf.pages for a in page.obj.get("/Annots", []))


def test_bookmarks_of_every_unit_in_order(merged):
    _, _, pdf = merged
    with pdf.open_outline() as outline:
        titles = [(item.title, [child.title for child in item.children]) for item in outline.root]
    assert titles == [("Un", ["Un, second point"]), ("Deux", ["Deux, second point"]), ("Trois", [])]


def test_the_merged_book_is_pdf_ua_1(merged, tmp_path):
    why = pdfua.unavailable()
    if why:
        pytest.skip(f"veraPDF cannot run: {why}")
    verdict = pdfua.VeraPDF(tmp_path).validate(Path(merged[0]))
    assert verdict.compliant, "\n".join(verdict.failures[:20])


def test_a_merge_fed_as_units_are_laid_out_writes_the_same_book_even_when_a_unit_is_laid_out_again(merged, tmp_path):
    from miena_book.export.layout import _MergeAsLaidOut

    target, _, _ = merged
    paths = [str(target.parent / f"{name}.pdf") for name in UNITS]
    merging = _MergeAsLaidOut([0, 0, 0], memory_mb=2048, timeout=120)
    try:
        merging.offer(2, paths[2])  # ready first, fed last: the book is merged in order
        merging.offer(0, paths[0])
        merging.offer(1, paths[1])
        merging.withdraw(1)  # laid out again after it was fed: this merge ends, another begins
        merging.offer(1, paths[1])
        merging.finish(str(tmp_path / "fed.pdf"), None)
    finally:
        merging.stop()
    assert (tmp_path / "fed.pdf").read_bytes() == target.read_bytes()


def test_a_merge_that_fails_says_so_and_writes_nothing(merged, tmp_path):
    from miena_book.export.layout import _MergeAsLaidOut
    from miena_book.export.workers import LayoutError

    target, _, _ = merged
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot a PDF at all\n")
    merging = _MergeAsLaidOut([0, 0], memory_mb=2048, timeout=120)
    try:
        merging.offer(0, str(target.parent / "un.pdf"))
        merging.offer(1, str(broken))
        with pytest.raises(LayoutError, match="merging the units failed"):
            merging.finish(str(tmp_path / "book.pdf"), None)
    finally:
        merging.stop()
    assert not (tmp_path / "book.pdf").exists()


def test_units_read_ahead_of_their_turn_and_one_withdrawn_after_its_read_still_give_the_same_book(
        merged, tmp_path, monkeypatch):
    """While the first unit is still laid out, those after it are read ahead; a unit read
    ahead and then laid out again is forgotten and its new file merged in its place."""
    import json
    import shutil
    import threading

    from miena_book.export import merge as merge_module

    target, _, _ = merged
    paths = [str(target.parent / f"{name}.pdf") for name in UNITS]
    # the third unit's second pass, in a file of its own, and with other pages (those of the
    # first unit), so that merging its first pass read ahead would show
    again = tmp_path / "trois.2.pdf"
    shutil.copyfile(paths[0], again)
    expected = tmp_path / "expected.pdf"
    merge_module.merge_units([paths[0], paths[1], str(again)], str(expected))
    preloaded, forgotten = [], []
    both_read = threading.Event()
    preload, forget = merge_module.BookMerge.preload, merge_module.BookMerge.forget

    def recording_preload(self, path):
        preload(self, path)
        preloaded.append(path)
        if len(preloaded) == 2:
            both_read.set()

    def recording_forget(self, path):
        forgotten.append(path)
        forget(self, path)

    monkeypatch.setattr(merge_module.BookMerge, "preload", recording_preload)
    monkeypatch.setattr(merge_module.BookMerge, "forget", recording_forget)

    def layout():
        yield json.dumps({"unit": paths[2], "index": 2, "level": 0})
        yield json.dumps({"unit": paths[1], "index": 1, "level": 0})
        assert both_read.wait(30), "the units offered after a gap were not read ahead"
        yield json.dumps({"withdraw": 2})
        yield json.dumps({"unit": str(again), "index": 2, "level": 0})
        yield json.dumps({"unit": paths[0], "index": 0, "level": 0})
        yield json.dumps({"target": str(tmp_path / "fed.pdf"), "page_labels": None})

    assert merge_module.merge_as_offered(layout())
    assert sorted(preloaded) == sorted(paths[1:])
    assert forgotten == [paths[2]]
    assert (tmp_path / "fed.pdf").read_bytes() == expected.read_bytes()


def test_a_merge_whose_orders_end_before_the_target_writes_nothing(merged, tmp_path):
    import json

    from miena_book.export.merge import merge_as_offered

    target, _, _ = merged
    lines = [json.dumps({"unit": str(target.parent / "un.pdf"), "index": 0, "level": 0})]
    assert merge_as_offered(iter(lines)) is False
    assert list(tmp_path.iterdir()) == []


@pytest.mark.xfail(strict=True, reason="each unit embeds its own subset of every font: the example's five units "
                   "give 240 KB of font programs against 73 KB in one layout (1.31x); the 200-note book is 1.22x")
def test_the_book_merged_from_units_is_at_most_1_3_times_one_layout_of_it(tmp_path):
    """Each unit embeds its own subsets of the fonts: merged, the book may be larger than one
    layout of the same HTML written the same way (tagged, to the book's standard), by at
    most 1.3 times."""
    from unittest import mock

    from weasyprint import CSS, HTML

    from conftest import EXAMPLE_VAULT
    from miena_book.config import load_config
    from miena_book.export import layout as layout_stage
    from miena_book.pipeline import build

    recorded = {}

    class Recording(layout_stage.BookLayout):
        def _save_hint(self, units, counts, pages, *rest):
            recorded.update(html=self.document.whole_html(pages), css=list(self.stylesheets),
                            variant=self.document.variant, units=len(units))
            super()._save_hint(units, counts, pages, *rest)

    config, _ = load_config(str(EXAMPLE_VAULT))
    with mock.patch.object(layout_stage, "BookLayout", Recording):
        result = build(str(EXAMPLE_VAULT), config, str(tmp_path / "out"), ("pdf",), use_cache=False)
    merged = next(path for path in result.written if path.endswith(".pdf"))
    assert recorded["units"] > 2
    single = tmp_path / "single.pdf"
    HTML(string=recorded["html"]).write_pdf(single, stylesheets=[CSS(string=text) for text in recorded["css"]],
                                            pdf_variant=recorded["variant"], pdf_tags=True, custom_metadata=True)
    with pikepdf.open(merged) as book, pikepdf.open(single) as one:
        assert len(book.pages) == len(one.pages)
    assert Path(merged).stat().st_size <= 1.3 * single.stat().st_size
