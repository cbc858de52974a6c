"""Layout: the book's units laid out in parallel until their page numbers settle, then merged.

The print book is cut into units (``export.units``). Each is laid out by a WeasyPrint
worker (``export.workers``), as many at once as cores, and what it found (where each of its
anchors landed, its page count) sets the page numbers the others print: cross-references,
the contents, the index, each unit's first folio and side.

A unit is laid out with the best numbers known: those of the last build of this vault (the
cache's hint) or, on a first build, numbers as wide as the final ones on estimated pages;
the answers give every anchor's page, and only the units whose input then differs (a
number that moved, a first page that moved) are laid out again, until none does. A unit is
written as PDF only when its numbers are known from a layout; on a first build that is
its second layout, after an edit usually its first. Every unit's input is a key of the
cache (``cache``): a unit whose input is unchanged is never laid out again, and a build
after editing one note lays out that note's unit, and any unit whose numbers it moved.

The units' PDFs are merged into the book (``export.merge``): one structure tree, links
across units, bookmarks, the page labels of the whole book. The merge runs beside the
layout (``_MergeAsLaidOut``), given each unit in book order once its PDF is written.
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass, field, replace

from .units import Unit, page_label, page_of, with_page_numbers
from .workers import Job, LayoutError, WorkerPool, limit_memory

MAX_PASSES = 4


@dataclass(frozen=True)
class UnitPlan:
    """A unit's input for one layout: what its key is computed from."""

    html: str
    css: str
    first_page: int  # its first page's place in the book, from 0
    pad: bool  # it begins with a blank verso


@dataclass
class UnitsReport:
    """How the PDF's units were made, for the summary and the manifest."""

    units: int = 0
    from_cache: int = 0
    layouts: int = 0  # WeasyPrint runs, a unit laid out twice counting twice
    relaid: int = 0  # of which started from the boxes of the unit's last layout (export.relayout)
    laid_out: dict[str, str] = field(default_factory=dict)  # unit name -> why it was laid out
    passes: int = 0
    worker_peak_mb: int = 0  # the largest peak resident memory of a WeasyPrint worker
    merge_peak_mb: int = 0  # and of the process that merged the units


def positions(units: list[Unit], counts: dict[str, int]) -> tuple[list[tuple[int, bool]], int]:
    """Where each unit's first page falls in the book (from 0) and whether a blank verso
    comes first, given each unit's own page count; and the index of the body's page 1."""
    physical = 0
    body_start = None
    starts: list[tuple[int, bool]] = []
    for unit in units:
        pad = unit.recto and physical % 2 == 1  # the book's first page is a right page
        if not unit.front and body_start is None:
            body_start = physical + pad
        starts.append((physical, pad))
        physical += pad + max(1, counts.get(unit.name, 1))
    return starts, physical if body_start is None else body_start


def plan_units(units: list[Unit], counts: dict[str, int], pages: dict[str, str], page, book_title: str,
               placeholder: str) -> tuple[list[UnitPlan], int]:
    """Each unit's input given the page counts and anchors' pages known, and the index of
    the body's first page (page 1) in the book."""
    starts, body_start = positions(units, counts)
    plans = []
    for unit, (first, pad) in zip(units, starts):
        number = 1 if unit.front else first - body_start + 1
        html = with_page_numbers(unit.fragment, pages, placeholder, unit.anchors)
        document, css = page_of(unit, page, html, first % 2 == 0, number, book_title,
                                first_body=not unit.front and first + pad == body_start)
        plans.append(UnitPlan(document, css, first, pad))
    return plans, body_start


def estimated_pages(units: list[Unit], counts: dict[str, int]) -> dict[str, str]:
    """Each anchor's page as a first layout guesses it: the middle of its unit's estimated
    pages. Wrong, but of the right width mostly: a cross-reference then takes the room its
    final number will, and the second layout breaks lines and pages where the first did."""
    starts, body_start = positions(units, counts)
    pages = {}
    for unit, (first, pad) in zip(units, starts):
        guess = page_label(first + pad + max(1, counts.get(unit.name, 1)) // 2 + 1, body_start)
        pages.update(dict.fromkeys(unit.anchors, guess))
    return pages


def printed(units: list[Unit], plans: list[UnitPlan], answers: list[dict], counts: dict[str, int]) -> dict[str, str]:
    """Every anchor's page as printed, where the units' layouts put them (``plans``: the
    input they were laid out with) once each unit is placed after the others' ``counts``."""
    starts, body_start = positions(units, counts)
    pages: dict[str, str] = {}
    for plan, answer, (first, pad) in zip(plans, answers, starts):
        for anchor, index in answer["anchors"].items():
            pages[anchor] = page_label(first + pad + (index - plan.pad) + 1, body_start)
    return pages


def write_order(jobs: list[Job]) -> list[int]:
    """Weights that start a writing pass's jobs (given in book order, weighted by their
    expected cost) in book order: the merge takes the units in that order, and a unit
    written early but late in the book waits for those before it, leaving the merge all
    of them to do once the layout ends. A job that takes far longer than most (more than
    twice the median) starts first all the same, or it would end last with a core idle."""
    costs = sorted(job.weight for job in jobs)
    median = costs[len(costs) // 2] if costs else 0
    count = len(jobs)
    return [count + 1 + job.weight if job.weight > 2 * median else count - position
            for position, job in enumerate(jobs)]


class BookLayout:
    """The book's units laid out and merged into ``target``, in a thread started at once;
    `result` waits for it. The build writes the EPUB and the HTML meanwhile."""

    def __init__(self, document, stylesheets: list[str], target: str, pool: WorkerPool, cache=None,
                 hint_key: str | None = None, progress=lambda done, total, cached: None):
        """``pool``: the workers (started early by the build); closed when the layout ends."""
        self.document, self.stylesheets, self.target = document, stylesheets, target
        self.cache, self.hint_key, self.progress = cache, hint_key, progress
        self.pool = pool
        self.report = UnitsReport()
        self._outcome: tuple | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def result(self):
        """(what WeasyPrint found over the book, the units' report), or `LayoutError`."""
        self._thread.join()
        kind, value = self._outcome
        if kind == "error":
            raise value
        return value, self.report

    def cancel(self) -> None:
        self.pool.cancel()
        self._thread.join()

    def _run(self) -> None:
        try:
            self._outcome = ("ok", self._lay_out())
        except LayoutError as failure:
            self._outcome = ("error", failure)
        except Exception as failure:  # an engine's own bug must end as a failed stage, not a hang
            self._outcome = ("error", LayoutError(f"{type(failure).__name__}: {failure}"))
        finally:
            self.pool.close()

    def _lay_out(self):
        from ..cache import key_of

        doc = self.document
        units: list[Unit] = doc.units
        folder = tempfile.TemporaryDirectory(prefix="miena-units-")
        try:
            hint = self._hint()
            counts = hint.get("counts") or {u.name: max(1, u.characters // doc.characters_per_page) for u in units}
            pages = hint.get("pages") or estimated_pages(units, counts)
            known = bool(hint)
            previous_keys = hint.get("keys", {})
            previous_content = hint.get("content", {})
            self._styles = key_of("styles", self.stylesheets, doc.variant, doc.bleed_mm)
            styles_changed = bool(hint) and hint.get("styles") != self._styles
            content = {u.name: key_of("unit content", u.fragment) for u in units}
            self.report.units = len(units)
            answers: list[dict | None] = [None] * len(units)
            pdfs: list[str | None] = [None] * len(units)
            keys: list[str | None] = [None] * len(units)
            laid_out_once: set[int] = set()
            settled = False
            levels = [0 if unit.front else unit.level - 1 for unit in units]
            merging: _MergeAsLaidOut | None = None
            # what each unit's last layout took (ms), this build's or the last one's
            costs: dict[str, int] = dict(hint.get("costs", {}))

            def cost(unit: Unit) -> int:
                """A unit's expected layout time, for the pool to start the longest first (which
                balances the cores): what its last layout took, else its length in characters
                at the pace of the units measured (the contents and the index, dense with
                links and numbers, take longer than their length says)."""
                if unit.name in costs:
                    return costs[unit.name]
                measured = [u for u in units if u.name in costs]
                characters = sum(u.characters for u in measured)
                pace = sum(costs[u.name] for u in measured) / characters if characters else 1.0
                return round(unit.characters * pace)

            for number in range(1, MAX_PASSES + 1):
                self.report.passes = number
                plans, body_start = plan_units(units, counts, pages, doc.page, doc.book_title, doc.placeholder)
                write = known or number == MAX_PASSES
                jobs, waiting = [], []
                for index, (unit, plan) in enumerate(zip(units, plans)):
                    key = key_of("unit", plan.html, plan.css, self.stylesheets, doc.variant, doc.bleed_mm,
                                 os.environ.get("SOURCE_DATE_EPOCH"))
                    if key == keys[index] and (pdfs[index] or not write):
                        continue  # laid out already with this very input
                    keys[index] = key
                    if write and merging is None:  # started now: it loads pikepdf while units are laid out
                        merging = _MergeAsLaidOut(levels, self.pool.memory_mb, self.pool.timeout)
                    if merging is not None:
                        merging.withdraw(index)  # its PDF is about to change
                    cached = self.cache.get("unit", key) if self.cache else None
                    if cached and (cached[0].get("written") or not write):
                        answers[index], pdfs[index] = cached[0], None
                        if cached[0].get("written"):
                            pdfs[index] = os.path.join(folder.name, f"{index}.{number}.pdf")
                            with open(pdfs[index], "wb") as out:
                                out.write(cached[1])
                            if merging is not None:
                                merging.offer(index, pdfs[index])
                        continue
                    # a file of its own each pass: the merge may be reading the last one ahead
                    target = os.path.join(folder.name, f"{index}.{number}.pdf") if write else None
                    # its boxes, kept by the worker that counted it, are where its next layout
                    # starts (export.relayout): the same bytes for a quarter less work
                    boxes = {"from": str(index)} if index in laid_out_once else {}
                    if target is None:
                        boxes["keep"] = str(index)
                    if index not in laid_out_once:
                        self.report.laid_out[unit.name] = "the styles or the page changed" if styles_changed else \
                            self._why(unit, key, content, previous_keys, previous_content)
                        laid_out_once.add(index)
                    jobs.append(Job(doc.unit_names.get(unit.name, unit.name),
                                    {"html": plan.html, "stylesheets": [*self.stylesheets, plan.css],
                                     "target": target, "variant": doc.variant, "bleed_mm": doc.bleed_mm, **boxes},
                                    cost(unit)))
                    waiting.append((index, key, target))
                if write:
                    jobs = [replace(job, weight=weight) for job, weight in zip(jobs, write_order(jobs))]
                total = len(units)
                self.progress(total - len(jobs), total, total - len(jobs))
                done = [total - len(jobs)]

                def one_done(job, done=done, total=total, waiting=waiting):
                    done[0] += 1
                    self.progress(done[0], total, total - len(jobs))
                    index, _, target = waiting[job]
                    if target is not None and merging is not None:  # written: the merge may take it
                        merging.offer(index, target)

                for (index, key, target), answer in zip(waiting, self.pool.run(jobs, one_done)):
                    self.report.worker_peak_mb = max(self.report.worker_peak_mb, answer.pop("peak_mb", 0))
                    costs[units[index].name] = answer.pop("milliseconds", 0)
                    self.report.relaid += bool(answer.pop("relaid", False))
                    answer["written"] = target is not None
                    answers[index] = answer
                    pdfs[index] = target
                    if self.cache:
                        payload = b""
                        if target:
                            with open(target, "rb") as handle:
                                payload = handle.read()
                        self.cache.put("unit", key, answer, payload)
                self.report.layouts += len(jobs)
                # its own pages, without the blank verso it may have been given: that depends on
                # where it falls, not on what it holds
                counts = {unit.name: answer["pages"] - plan.pad for unit, plan, answer in zip(units, plans, answers)}
                pages = printed(units, plans, answers, counts)
                known = True
                again, _ = plan_units(units, counts, pages, doc.page, doc.book_title, doc.placeholder)
                if again == plans and all(pdfs):
                    settled = True
                    break
            self.report.from_cache = len(units) - len(self.report.laid_out)
            if merging is None:
                merging = _MergeAsLaidOut(levels, self.pool.memory_mb, self.pool.timeout)
            for index, path in enumerate(pdfs):
                merging.offer(index, path)
            self.report.merge_peak_mb = merging.finish(self.target, body_start)
            self._save_hint(units, counts, pages, keys, content, costs)
            found = self._found(plans, answers, body_start)
            if not settled:  # numbers that move a page back and forth: the last layout's are kept
                found.messages.append(f"page numbers did not settle after {MAX_PASSES} layouts: a cross-reference "
                                      "may point a page off")
            return found
        finally:
            if merging is not None:
                merging.stop()
            folder.cleanup()

    def _why(self, unit, key, content, previous_keys, previous_content) -> str:
        if not previous_content:
            return "first layout" if self.cache else "no cache"
        if unit.name not in previous_content:
            return "new unit"
        if previous_content[unit.name] != content[unit.name]:
            return "its text changed"
        if previous_keys.get(unit.name) != key:
            return "its page numbers moved"
        return "not in the cache"

    def _hint(self) -> dict:
        if not (self.cache and self.hint_key):
            return {}
        found = self.cache.get("hint", self.hint_key)
        return found[0] if found else {}

    def _save_hint(self, units, counts, pages, keys, content, costs) -> None:
        if self.cache and self.hint_key:
            self.cache.put("hint", self.hint_key, {
                "counts": counts, "pages": pages, "content": content, "styles": self._styles,
                "costs": {unit.name: costs[unit.name] for unit in units if unit.name in costs},
                "keys": {unit.name: key for unit, key in zip(units, keys)}})

    def _found(self, plans, answers, body_start):
        from .pdf import LayoutReport

        missing: dict[str, None] = {}
        messages: dict[str, None] = {}
        images: dict[str, dict] = {}
        headings: list[int] = []
        fonts: dict[str, set[str]] = {}
        for plan, answer in zip(plans, answers):
            missing.update(dict.fromkeys(answer["missing"]))
            messages.update(dict.fromkeys(answer["messages"]))
            for image in answer["images"]:
                shown = {**image, "page": page_label(plan.first_page + image["page"] + 1, body_start)}
                if image["file"] not in images or image["dpi"] < images[image["file"]]["dpi"]:
                    images[image["file"]] = shown
            headings.extend(plan.first_page + index + 1 for index in answer["headings_at_page_end"])
            for family, characters in answer.get("fonts", {}).items():
                fonts.setdefault(family, set()).update(characters)
        faces = dict(sorted(((family, len(drawn)) for family, drawn in fonts.items()), key=lambda x: (-x[1], x[0])))
        return LayoutReport(list(missing), list(messages), list(images.values()), headings,
                            sum(answer["pages"] for answer in answers), body_start, faces)


class _MergeAsLaidOut:
    """The merge (``export.merge``), in a process of its own, bounded in time and memory
    like the workers (the build's holds the book's AST), offered each unit as soon as its
    PDF is written for this pass: it merges them in book order, most of the book while its
    last units are laid out, and reads ahead those after a unit still being laid out (after
    an edit: the edited unit). A unit that is to be laid out again after it was merged (its
    numbers moved) ends this merge; another starts and is offered every unit again, so the
    book is merged as from a cold build, to the byte."""

    def __init__(self, levels: list[int], memory_mb: int, timeout: float):
        self.levels, self.memory_mb, self.timeout = levels, memory_mb, timeout
        self._ready: dict[int, str] = {}
        self._lock = threading.RLock()
        self._process = None
        self._stderr = None
        self._start()

    def _start(self) -> None:
        import subprocess
        import sys

        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "miena_book.export.merge", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._stderr, text=True,
            preexec_fn=limit_memory(self.memory_mb) if os.name == "posix" else None)

    def _merged(self) -> int:
        """How many units the merge may have merged: those offered with none missing before."""
        count = 0
        while count in self._ready:
            count += 1
        return count

    def offer(self, index: int, path: str | None) -> None:
        """Unit ``index``'s PDF, written at ``path``, final unless ``withdraw`` says otherwise."""
        with self._lock:
            if path is None or self._ready.get(index) == path:  # offered already
                return
            self.withdraw(index)
            self._ready[index] = path
            self._send({"unit": path, "index": index, "level": self.levels[index]})

    def withdraw(self, index: int) -> None:
        """Unit ``index``'s PDF is about to be written again: a merge that took it ends."""
        with self._lock:
            if index not in self._ready:
                return
            if index < self._merged():
                del self._ready[index]
                self._end()
                self._start()
                for other, path in sorted(self._ready.items()):
                    self._send({"unit": path, "index": other, "level": self.levels[other]})
            else:  # only read ahead, if at all
                del self._ready[index]
                self._send({"withdraw": index})

    def _send(self, order: dict) -> None:
        import json

        try:
            self._process.stdin.write(json.dumps(order) + "\n")
            self._process.stdin.flush()
        except (BrokenPipeError, OSError):  # it failed: finish() says why
            pass

    def finish(self, target: str, page_labels: int | None) -> int:
        """Every unit fed, the book written to ``target``; the merge's peak memory (MB), or
        `LayoutError`."""
        import json
        import subprocess

        with self._lock:
            if self._merged() != len(self.levels):
                raise LayoutError("merging the units: a unit's PDF is missing")
        try:
            output, _ = self._process.communicate(json.dumps({"target": target, "page_labels": page_labels}) + "\n",
                                                  timeout=self.timeout)
        except (BrokenPipeError, OSError):  # it ended before the last order: the return code says why
            self._process.wait()
            output = ""
        except subprocess.TimeoutExpired:
            self._end()
            raise LayoutError(f"merging the units took more than {self.timeout} s and was stopped") from None
        if self._process.returncode != 0:
            self._stderr.seek(0)
            stderr = self._stderr.read().decode("utf-8", "replace")
            tail = (stderr.strip().splitlines() or ["no message"])[-1]
            if "MemoryError" in stderr or self._process.returncode in (-9, 137):
                tail = f"it needed more than {self.memory_mb} MB of memory and was stopped"
            raise LayoutError(f"merging the units failed: {tail}")
        try:
            return json.loads(output.strip().splitlines()[-1])["peak_mb"]
        except (ValueError, IndexError, KeyError, TypeError):
            return 0

    def _end(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._process is not None and self._process.stdin and not self._process.stdin.closed:
            try:
                self._process.stdin.close()
            except OSError:
                pass
        if self._stderr is not None:
            self._stderr.close()

    def stop(self) -> None:
        """The merge ended, whether it wrote the book or not (a failed build)."""
        with self._lock:
            self._end()
