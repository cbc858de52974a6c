#!/usr/bin/env python3
"""Benchmark `miena-book build` on generated vaults, beside the engines' floor, in one run.

For each vault size (200 and 1000 notes by default) and each run, side by side:

  (a) one plain WeasyPrint layout of the book's final print HTML and stylesheets (the page
      numbers written in), in a fresh process: the floor every ratio is measured against;
  (b) the route of Quarto and Jupyter Book: pandoc -> Typst -> `typst compile` (PyPI
      `typst`, the `bench` extra) on the notes' Markdown;
  (c) miena-book from a cold cache: the PDF alone, then all three formats;
  (d) all three formats after editing one note's text (the cache of (c) warm);
  (e) all three formats again with nothing changed.

Then the PDF's size: the book merged from its units beside one layout of the same HTML
written as the units are (tagged, to the book's PDF standard); the target: at most 1.3×.

Each runs in a fresh interpreter; the times are the `build()` call's (the PDF's worker
processes included), the median over the runs, each run's beside it. Peak RSS is given
for the build's own process and for its largest child (a WeasyPrint worker, the merge, or a pandoc run), each
process's own (Linux's VmHWM; children read every 100 ms while they run): ru_maxrss would
count the size of the process that started it, when that was larger. The targets of
the ratios to (a): cold PDF <= 1.0, all three cold <= 1.1, one-note edit <= 0.15, no
change <= 0.05.

With ``--html-memory N`` it measures instead the memory of ``build --format html`` on a
generated vault of N notes, cold then after a one-note edit (the target: every process
<= 2 GB at 10,000 notes; ``make bench-memory``).

Usage: scripts/bench_build.py [--sizes 200 1000] [--runs 3] | --html-memory 10000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_vault import generate  # noqa: E402

from miena_book.config import load_config  # noqa: E402
from miena_book.engines.pandoc import pandoc_path  # noqa: E402
from miena_book.export import layout as layout_stage, pandoc  # noqa: E402
from miena_book.pipeline import FORMATS, build, check_vault  # noqa: E402

TARGETS = {"pdf cold": 1.0, "all cold": 1.1, "one-note edit": 0.15, "no change": 0.05}
HTML_MEMORY_TARGET_MB = 2048


def peak_rss_mb(usage: resource.struct_rusage) -> float:
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS. On Linux it also carries the
    # size of the process that started this one, when that was larger: self_peak_mb and
    # ChildPeaks measure each process's own memory instead.
    return usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _high_water_mb(pid: str = "self") -> float | None:
    """A process's own peak resident memory (Linux's VmHWM), or None where unreadable."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _command_line(pid: str) -> bytes | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as command:
            return command.read()
    except OSError:
        return None


def self_peak_mb() -> float:
    found = _high_water_mb()
    return found if found is not None else peak_rss_mb(resource.getrusage(resource.RUSAGE_SELF))


class ChildPeaks:
    """The largest peak memory of any process this one starts, directly or not (pandoc,
    WeasyPrint's workers, the merge), read from each one's VmHWM every 100 ms while it runs.
    Where /proc cannot be read (not Linux), RUSAGE_CHILDREN's figure, an upper bound."""

    def __init__(self):
        import threading

        self.peak = 0.0
        self.readable = os.path.isdir("/proc/self")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        if not self.readable:
            self.peak = peak_rss_mb(resource.getrusage(resource.RUSAGE_CHILDREN))

    def _sample(self) -> None:
        # the processes under this one, from each thread's list of children (cheap: no scan
        # of every process on the machine, which would take a core's share from the build)
        while not self._stop.wait(0.1) and self.readable:
            stack, seen = [str(os.getpid())], set()
            while stack:
                pid = stack.pop()
                try:
                    threads = os.listdir(f"/proc/{pid}/task")
                except OSError:
                    continue
                for thread in threads:
                    try:
                        with open(f"/proc/{pid}/task/{thread}/children", encoding="ascii") as children:
                            found = children.read().split()
                    except OSError:
                        continue
                    for child in found:
                        if child not in seen:
                            seen.add(child)
                            stack.append(child)
            own = _command_line(str(os.getpid()))
            for pid in seen:
                # a child between fork and exec still maps its parent's pages (shared, not
                # copied) and reports their size: it is measured once it runs its own program
                if _command_line(pid) != own:
                    self.peak = max(self.peak, _high_water_mb(pid) or 0.0)


# --- workers: each prints one JSON line ------------------------------------------------

def build_worker(vault: str, out_dir: str, cache_dir: str, formats: str) -> None:
    config, warnings = load_config(vault)
    with ChildPeaks() as children:
        start = time.perf_counter()
        result = build(vault, config, out_dir, tuple(formats.split(",")), tuple(warnings), cache_dir=cache_dir)
        seconds = time.perf_counter() - start
    units = result.units
    print(json.dumps({
        "seconds": seconds,
        "self_mb": self_peak_mb(),
        "child_mb": children.peak,
        "units": None if units is None else {"units": units.units, "laid_out": len(units.laid_out),
                                             "layouts": units.layouts, "worker_mb": units.worker_peak_mb,
                                             "merge_mb": units.merge_peak_mb},
        "from_cache": result.from_cache,
    }))


def _lay_out_once(html_path: str, pdf_path: str, css_paths, **options) -> float:
    """The print HTML laid out once by stock WeasyPrint; the seconds it took from parsing."""
    from weasyprint import CSS, HTML

    html = Path(html_path).read_text(encoding="utf-8")
    css = [Path(path).read_text(encoding="utf-8") for path in css_paths]
    start = time.perf_counter()
    HTML(string=html).write_pdf(pdf_path, stylesheets=[CSS(string=text) for text in css], **options)
    return time.perf_counter() - start


def weasyprint_worker(html_path: str, pdf_path: str, *css_paths: str) -> None:
    """(a): the print HTML laid out once, as stock WeasyPrint writes it."""
    seconds = _lay_out_once(html_path, pdf_path, css_paths)
    print(json.dumps({"seconds": seconds, "self_mb": self_peak_mb(), "child_mb": 0}))


def tagged_worker(html_path: str, pdf_path: str, variant: str, *css_paths: str) -> None:
    """The print HTML laid out once and written as the build writes its units (tagged, to
    the book's PDF standard): the size the merged book is compared with."""
    _lay_out_once(html_path, pdf_path, css_paths, pdf_variant=variant, pdf_tags=True, custom_metadata=True)
    print(json.dumps({"bytes": os.path.getsize(pdf_path)}))


def typst_worker(markdown_path: str, pdf_path: str) -> None:
    import typst

    source = Path(pdf_path).with_suffix(".typ")
    with ChildPeaks() as children:
        start = time.perf_counter()
        subprocess.run([pandoc_path(), "-f", pandoc.READER, "-t", "typst", "--standalone", markdown_path,
                        "-o", str(source)], check=True, capture_output=True)
        typst.compile(str(source), output=pdf_path)
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "self_mb": self_peak_mb(), "child_mb": children.peak}))


WORKERS = {"build-worker": build_worker, "weasyprint-worker": weasyprint_worker, "typst-worker": typst_worker,
           "tagged-worker": tagged_worker}
SIZE_TARGET = 1.3  # the merged PDF's size, at most this times one tagged layout's


def run_worker(name: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, name, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{name} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the plain engines' input ------------------------------------------------------------

def final_documents(vault: str, work: Path) -> tuple[Path, Path, list[Path]]:
    """The notes' Markdown in book order (for Typst) and the print HTML with its final page
    numbers and the stylesheets, recorded from a PDF-only build (no copy of the pipeline's
    code here to drift from it)."""
    config, _ = load_config(vault)
    checked = check_vault(vault, config)
    markdown = work / "book.md"
    markdown.write_text("\n\n".join(note.body for _, note in checked.analysis.in_book), encoding="utf-8")
    recorded = {}

    class Recording(layout_stage.BookLayout):
        def _save_hint(self, units, counts, pages, *rest):
            recorded["html"] = self.document.whole_html(pages)
            recorded["css"] = list(self.stylesheets)
            super()._save_hint(units, counts, pages, *rest)

    with mock.patch.object(layout_stage, "BookLayout", Recording):
        build(vault, config, str(work / "documents"), ("pdf",), use_cache=False)
    html = work / "print.html"
    html.write_text(recorded["html"], encoding="utf-8")
    css = []
    for number, text in enumerate(recorded["css"]):
        css.append(work / f"print-{number}.css")
        css[-1].write_text(text, encoding="utf-8")
    return markdown, html, css


def edit_one_note(vault: Path, run: int) -> None:
    """One sentence more in one note, as an author's save."""
    target = sorted(vault.rglob("*.md"))[len(list(vault.rglob("*.md"))) // 2]
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(f"\n\nUne phrase ajoutée pour la mesure {run}.\n")


def measure_size(notes: int, runs: int) -> tuple[dict[str, list[dict]], dict]:
    columns: dict[str, list[dict]] = {name: [] for name in
                                      ("plain WeasyPrint", "pandoc → Typst", *TARGETS)}
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        vault = work / "vault"
        generate(vault, notes)
        markdown, html, css = final_documents(str(vault), work)
        for run in range(1, runs + 1):
            print(f"{notes} notes: run {run}/{runs}…", file=sys.stderr, flush=True)
            columns["plain WeasyPrint"].append(run_worker("weasyprint-worker", str(html), str(work / "plain.pdf"),
                                                          *map(str, css)))
            if importlib.util.find_spec("typst") is not None:
                columns["pandoc → Typst"].append(run_worker("typst-worker", str(markdown), str(work / "typst.pdf")))
            for cache in ("cache-pdf", "cache-all"):
                shutil.rmtree(work / cache, ignore_errors=True)
            columns["pdf cold"].append(run_worker("build-worker", str(vault), str(work / "out-pdf"),
                                                  str(work / "cache-pdf"), "pdf"))
            everything = ",".join(FORMATS)
            columns["all cold"].append(run_worker("build-worker", str(vault), str(work / "out"),
                                                  str(work / "cache-all"), everything))
            edit_one_note(vault, run)
            columns["one-note edit"].append(run_worker("build-worker", str(vault), str(work / "out"),
                                                       str(work / "cache-all"), everything))
            columns["no change"].append(run_worker("build-worker", str(vault), str(work / "out"),
                                                   str(work / "cache-all"), everything))
        print(f"{notes} notes: one tagged layout, for the size…", file=sys.stderr, flush=True)
        config, _ = load_config(str(vault))
        single = run_worker("tagged-worker", str(html), str(work / "tagged.pdf"), config.pdf_standard,
                            *map(str, css))["bytes"]
        merged = next((work / "out-pdf").glob("*.pdf")).stat().st_size
    return columns, {"merged": merged, "single": single}


def report(notes: int, measured: tuple[dict[str, list[dict]], dict]) -> str:
    columns, sizes = measured
    runs = len(columns["plain WeasyPrint"])
    floor = statistics.median(entry["seconds"] for entry in columns["plain WeasyPrint"])
    lines = [f"### {notes} notes (median of {runs} run{'s' * (runs > 1)})", "",
             "| | seconds | ratio to (a) | target | peak RSS (MB): build / largest child / worker / merge "
             "| units laid out | each run (s) |",
             "|---|--:|--:|--:|--:|--:|--:|"]
    for letter, (name, entries) in zip("abccde", columns.items()):
        if not entries:
            lines.append(f"| ({letter}) {name} | not measured (pip install -e '.[bench]') | | | | | |")
            continue
        seconds = statistics.median(entry["seconds"] for entry in entries)
        target = TARGETS.get(name)
        ratio = seconds / floor
        mark = "" if target is None else (" ✓" if ratio <= target else " ✗")
        peak = f"{max(e['self_mb'] for e in entries):.0f} / {max(e['child_mb'] for e in entries):.0f}"
        if any(e.get("units") for e in entries):
            peak += (f" / {max((e['units'] or {}).get('worker_mb', 0) for e in entries)}"
                     f" / {max((e['units'] or {}).get('merge_mb', 0) for e in entries)}")
        units = entries[-1].get("units")
        laid = "all from the cache" if entries[-1].get("from_cache") else \
            (f"{units['laid_out']} of {units['units']} ({units['layouts']} layouts)" if units else "")
        # each run's time and units, so that a median never hides a run unlike the others
        # (an edit that makes its unit a page longer lays out every unit whose numbers move)
        each = " / ".join(f"{e['seconds']:.2f}" + (f" ({e['units']['laid_out']} laid out)" if e.get("units") else "")
                          for e in entries)
        lines.append(f"| ({letter}) {name} | {seconds:.2f} | {ratio:.2f}{mark} | "
                     f"{'' if target is None else f'≤ {target}'} | {peak} | {laid} | {each} |")
    ratio = sizes["merged"] / sizes["single"]
    lines += ["", f"PDF size: {sizes['merged'] / 1e6:.2f} MB merged from units, {sizes['single'] / 1e6:.2f} MB "
              f"from one tagged layout of the same HTML: {ratio:.2f}× "
              f"{'✓' if ratio <= SIZE_TARGET else '✗'} (≤ {SIZE_TARGET})"]
    return "\n".join(lines)


def measure_html_memory(notes: int) -> str:
    """The HTML build's peak memory, every process's own, cold and after a one-note edit."""
    lines = [f"### `build --format html`, {notes} notes", "",
             "| | seconds | peak RSS (MB): build / largest child | target |", "|---|--:|--:|--:|"]
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        work = Path(tmp)
        vault = work / "vault"
        generate(vault, notes)
        for name in ("cold", "one-note edit"):
            if name != "cold":
                edit_one_note(vault, 1)
            print(f"{notes} notes, HTML {name}…", file=sys.stderr, flush=True)
            entry = run_worker("build-worker", str(vault), str(work / "out"), str(work / "cache"), "html")
            peak = max(entry["self_mb"], entry["child_mb"])
            mark = "✓" if peak <= HTML_MEMORY_TARGET_MB else "✗"
            lines.append(f"| {name} | {entry['seconds']:.1f} | {entry['self_mb']:.0f} / {entry['child_mb']:.0f} | "
                         f"≤ {HTML_MEMORY_TARGET_MB} {mark} |")
    return "\n".join(lines)


def engine_versions() -> str:
    from importlib.metadata import version

    return (f"WeasyPrint {version('weasyprint')}, pikepdf {version('pikepdf')}, Python {sys.version.split()[0]}, "
            f"{len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()} CPUs")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in WORKERS:
        WORKERS[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000], help="notes per generated vault")
    parser.add_argument("--runs", type=int, default=3, help="runs per size; times are the median")
    parser.add_argument("--html-memory", type=int, metavar="NOTES",
                        help="measure the memory of an HTML build of this many notes instead")
    args = parser.parse_args()
    print(f"## miena-book build ({engine_versions()})\n")
    if args.html_memory:
        print(measure_html_memory(args.html_memory) + "\n", flush=True)
        return
    for notes in args.sizes:
        print(report(notes, measure_size(notes, args.runs)) + "\n", flush=True)


if __name__ == "__main__":
    main()
