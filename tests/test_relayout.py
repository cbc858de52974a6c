"""A unit laid out again from the boxes of its first layout (export.relayout) gives the
bytes of a layout from scratch, and the pool sends it where those boxes are."""

import hashlib
import re

import pytest
from conftest import write_vault
from test_units import book, build, one_unit_per_chapter  # noqa: F401  (a fixture: one unit per chapter)

from miena_book.export import relayout, weasy
from miena_book.export.workers import Job, WorkerPool

pytestmark = pytest.mark.skipif(not relayout.available(), reason="this WeasyPrint lays out otherwise")


@pytest.fixture
def payloads(tmp_path, monkeypatch):
    """The jobs a cold build of the four-chapter book gives its workers, by unit, in order."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    seen: dict[str, list[dict]] = {}
    original = WorkerPool._run_on

    def record(self, worker, job):
        seen.setdefault(job.name, []).append(dict(job.payload))
        return original(self, worker, job)

    monkeypatch.setattr(WorkerPool, "_run_on", record)
    result = build(write_vault(tmp_path / "vault", book()), tmp_path / "out", "--no-cache", "--format", "pdf")
    assert "from their first layout's boxes" in result.stderr
    return seen


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def answer_facts(answer: dict) -> dict:
    return {key: value for key, value in answer.items() if key not in ("kept", "relaid")}


def lay_out_twice(first: dict, second: dict, tmp_path, key: str) -> tuple[dict, dict]:
    """``second`` laid out from the kept boxes of ``first``, and from scratch; both written."""
    weasy.lay_out_unit({**first, "target": None, "keep": key})
    again = weasy.lay_out_unit({**second, "target": str(tmp_path / "again.pdf"), "from": key})
    fresh = weasy.lay_out_unit({**second, "target": str(tmp_path / "fresh.pdf")})
    return again, fresh


def test_every_unit_laid_out_again_from_its_boxes_is_the_layout_from_scratch(payloads, tmp_path):
    relaid = 0
    printed_apart = 0  # units whose moved numbers print otherwise: the patch is seen
    for name, jobs in payloads.items():
        assert len(jobs) == 2, name  # counted, then written
        first, second = jobs
        # as the build gave it, and with every number moved (a digit more: lines break anew)
        made = []
        for variant, written in (("as built", second), ("moved", {**second, "html": _moved(second["html"])})):
            again, fresh = lay_out_twice(first, written, tmp_path, f"{name} {variant}")
            assert digest(tmp_path / "again.pdf") == digest(tmp_path / "fresh.pdf"), (name, variant)
            assert answer_facts(again) == answer_facts(fresh), (name, variant)
            relaid += again["relaid"]
            made.append(digest(tmp_path / "again.pdf"))
        printed_apart += made[0] != made[1]
    assert printed_apart >= 3, printed_apart
    # the index's pages are text of their own, not numbers after links: it may go from scratch
    assert relaid >= 2 * (len(payloads) - 1), relaid


def test_a_unit_that_moves_to_the_other_side_and_page_is_laid_out_again_the_same(payloads, tmp_path):
    name = next(name for name in payloads if "Deux" in name)
    first, second = payloads[name]
    flipped = {**second, "stylesheets": [*second["stylesheets"][:-1], _other_side(second["stylesheets"][-1])],
               "html": _moved(second["html"])}
    again, fresh = lay_out_twice(first, flipped, tmp_path, "flipped")
    assert again["relaid"]
    assert digest(tmp_path / "again.pdf") == digest(tmp_path / "fresh.pdf")


def test_a_unit_whose_text_changed_is_laid_out_from_scratch(payloads, tmp_path):
    name = next(name for name in payloads if "Deux" in name)
    first, second = payloads[name]
    edited = {**second, "html": second["html"].replace("Une phrase", "Deux phrases", 1)}
    again, fresh = lay_out_twice(first, edited, tmp_path, "edited")
    assert not again["relaid"]
    assert digest(tmp_path / "again.pdf") == digest(tmp_path / "fresh.pdf")
    # nor does a stylesheet that changed in more than the first page's number and side
    restyled = {**second, "stylesheets": [*second["stylesheets"][:-1], second["stylesheets"][-1] + "p { color: red; }"]}
    again, _ = lay_out_twice(first, restyled, tmp_path, "restyled")
    assert not again["relaid"]


def test_the_pool_sends_a_units_next_layout_to_the_worker_that_kept_it(payloads):
    pairs = [jobs for jobs in payloads.values() if "Deux" in jobs[0]["html"]][:1] + \
        [jobs for jobs in payloads.values() if "Trois" in jobs[0]["html"]][:1]
    pool = WorkerPool(2)
    try:
        counted = pool.run([Job(f"unit {index}", {**first, "target": None, "keep": str(index)}, 10 - index)
                            for index, (first, _) in enumerate(pairs)])
        assert all("kept" not in answer for answer in counted)  # the pool's own business
        again = pool.run([Job(f"unit {index}", {**first, "target": None, "from": str(index)}, index)
                          for index, (first, _) in enumerate(pairs)])
        assert [answer["relaid"] for answer in again] == [True, True]
        # taken: a third layout has nothing kept to start from
        third = pool.run([Job("unit 0", {**pairs[0][0], "target": None, "from": "0"}, 1)])
        assert third[0]["relaid"] is False
    finally:
        pool.close()


def test_kept_layouts_are_bounded_the_oldest_let_go_first():
    kept = relayout.KeptLayouts(characters=25)

    def layout(size: int):
        return relayout.KeptLayout("x" * size, [], [], None, None, None, [], None, None, {})

    kept.keep("a", layout(10))
    kept.keep("b", layout(10))
    kept.keep("c", layout(10))
    assert kept.keys() == ["b", "c"]
    assert kept.take("b") is not None and kept.take("b") is None
    kept.keep("huge", layout(30))  # larger than the bound: nothing kept
    assert kept.keys() == []


def _other_side(sheet: str) -> str:
    side = re.search(r"break-before: (right|left);", sheet).group(1)
    sheet = sheet.replace(f"break-before: {side};", f"break-before: {'left' if side == 'right' else 'right'};")
    return re.sub(r"counter-reset: page (\d+);", lambda m: f"counter-reset: page {int(m.group(1)) + 1};", sheet)


def _moved(html: str) -> str:
    return re.sub(r'data-page="(\d+)"', lambda m: f'data-page="{int(m.group(1)) + 97}"', html)


def test_numbers_used_elsewhere_than_in_generated_text_are_laid_out_from_scratch(payloads, tmp_path):
    shipped = payloads[next(iter(payloads))][0]["stylesheets"]
    assert relayout.numbers_only_after_links(tuple(shipped))
    for rule in ('a[data-page="12"] { color: red; }', "a { string-set: folio attr(data-page); }",
                 '@media print { a::after { content: attr(data-page); } }'):
        assert not relayout.numbers_only_after_links((*shipped, rule)), rule
    name = next(name for name in payloads if "Deux" in name)
    first, second = payloads[name]
    styled = [*first["stylesheets"][:-2], first["stylesheets"][-2] + 'a[data-page="1"] { color: red; }',
              first["stylesheets"][-1]]
    again, fresh = lay_out_twice({**first, "stylesheets": styled},
                                 {**second, "stylesheets": [*styled[:-1], second["stylesheets"][-1]],
                                  "html": _moved(second["html"])}, tmp_path, "styled")
    assert not again["relaid"]
    assert digest(tmp_path / "again.pdf") == digest(tmp_path / "fresh.pdf")


def test_a_link_whose_number_the_stylesheet_does_not_print_is_patched_in_its_attribute(payloads, tmp_path):
    name = next(name for name in payloads if "Deux" in name)
    first, second = payloads[name]

    def with_plain_link(job: dict, page: str) -> dict:  # a link the stylesheet gives no number
        return {**job, "html": job["html"].replace("<p>", f'<p><a data-page="{page}" href="#un">Un</a> ', 1)}

    again, fresh = lay_out_twice(with_plain_link(first, "5"), with_plain_link(second, "6"), tmp_path, "plain")
    assert again["relaid"]
    assert digest(tmp_path / "again.pdf") == digest(tmp_path / "fresh.pdf")
