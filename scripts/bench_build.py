#!/usr/bin/env python3
"""Benchmark `miena-book build` on generated vaults, beside plain pandoc and plain WeasyPrint.

For each vault size (200 and 1000 notes by default) the three formats are built in a fresh
process, several times. The script reports the median time of each stage of
`pipeline.build` and the total, the peak memory (max RSS) of the build's Python process and
of its largest child (a pandoc run, or the WeasyPrint layout, which runs in a child process
of its own), and the PDF's page count. Beside the engine stages it times the engines
alone: the pandoc binary run straight on the notes' Markdown (once per format) and
WeasyPrint on the same print HTML and stylesheets, each in a fresh process too, and the route
of Quarto and Jupyter Book (pandoc -> Typst -> the `typst` compiler) on the same Markdown. "overhead" is the miena-book time minus the plain engine time: what the
project adds around the engines.

Usage: scripts/bench_build.py [--sizes 200 1000] [--runs 3]
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
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pypandoc

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_vault import generate  # noqa: E402

from miena_book.config import BookConfig, load_config  # noqa: E402
from miena_book.engines.pandoc import pandoc_path  # noqa: E402
from miena_book.export import pandoc, pdf as pdf_export  # noqa: E402
from miena_book.pipeline import FORMATS, build, check_vault  # noqa: E402

# The build stages that hand the book to an engine, and the engine that does the work.
ENGINE_OF_STAGE = {"html": "pandoc", "epub": "pandoc", "pdf": "WeasyPrint"}
PLAIN_PANDOC_TARGETS = {"html": ["-t", "html5", "--standalone"], "epub": ["-t", "epub3"]}


def peak_rss_mb(usage: resource.struct_rusage) -> float:
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    return usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


# --- the two worker processes ----------------------------------------------------------
# Each measurement runs in a fresh interpreter so that its peak RSS is its own, not the
# high-water mark of an earlier build. A worker prints one JSON line on stdout.

def build_worker(vault: str, out_dir: str) -> None:
    """Build the three formats as `miena-book build` does; report stage times and peak RSS."""
    config, config_warnings = load_config(vault)
    result = build(vault, config, out_dir, FORMATS, tuple(config_warnings))
    print(json.dumps({
        "stages": result.timings,
        "pdf": next(path for path in result.written if path.endswith(".pdf")),
        "python_peak_mb": peak_rss_mb(resource.getrusage(resource.RUSAGE_SELF)),
        # For RUSAGE_CHILDREN, ru_maxrss is the peak of the largest child: a pandoc run or the
        # WeasyPrint layout, which the build runs in a child process bounded in time and memory.
        "pandoc_peak_mb": peak_rss_mb(resource.getrusage(resource.RUSAGE_CHILDREN)),
    }))


def weasyprint_worker(html_path: str, pdf_path: str, *css_paths: str) -> None:
    """Lay out the print HTML with stock WeasyPrint; report the layout time and peak RSS."""
    from weasyprint import CSS, HTML

    html = Path(html_path).read_text(encoding="utf-8")
    css_texts = [Path(path).read_text(encoding="utf-8") for path in css_paths]
    # Timed from parsing, like the build's pdf stage; the import is left out, as it is there.
    start = time.perf_counter()
    HTML(string=html).write_pdf(pdf_path, stylesheets=[CSS(string=text) for text in css_texts])
    print(json.dumps({
        "seconds": time.perf_counter() - start,
        "peak_mb": peak_rss_mb(resource.getrusage(resource.RUSAGE_SELF)),
    }))


def typst_worker(markdown_path: str, pdf_path: str) -> None:
    """The route of Quarto and Jupyter Book: pandoc writes Typst from the same Markdown, the
    `typst` compiler (PyPI) makes the PDF; both timed, and the compiler's peak RSS."""
    import typst

    folder = Path(pdf_path).parent
    source = folder / "book.typ"
    start = time.perf_counter()
    subprocess.run([pandoc_path(), "-f", pandoc.READER, "-t", "typst", "--standalone", markdown_path,
                    "-o", str(source)], check=True, capture_output=True)
    typst.compile(str(source), output=pdf_path)
    print(json.dumps({
        "seconds": time.perf_counter() - start,
        "peak_mb": peak_rss_mb(resource.getrusage(resource.RUSAGE_SELF)),
    }))


WORKERS = {"build-worker": build_worker, "weasyprint-worker": weasyprint_worker, "typst-worker": typst_worker}


def run_worker(name: str, *args: str) -> tuple[dict, float]:
    """Run a worker in a fresh interpreter; its JSON report and the process's wall time."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, name, *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{name} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


# --- the plain engines' input: the build's own final documents ----------------------------

@dataclass(frozen=True)
class FinalDocuments:
    markdown: str  # the book's notes, their Markdown as written, in book order
    print_html: str  # the book as `build` hands it to WeasyPrint
    print_css: list[str]  # and the stylesheets that go with it


def final_documents(vault: str, config: BookConfig, out_dir: str) -> FinalDocuments:
    """What a plain engine gets: for pandoc, the notes' own Markdown joined in book order
    (what running pandoc on the vault would read: miena-book parses each note itself and
    hands pandoc only the templates' text); for WeasyPrint, the print HTML exactly as `build`
    hands it over. A PDF-only build runs with that hand-over recorded and the layout
    skipped, so there is no copy of the pipeline's code here to drift from it.
    """
    handed = {}
    checked = check_vault(vault, config)
    handed["markdown"] = "\n\n".join(note.body for _, note in checked.analysis.in_book)

    class RecordingLayout:
        """Stands for `pdf.Layout`: keeps what the build hands WeasyPrint, lays nothing out."""

        def __init__(self, html: str, stylesheets: list[str], target: str, *args, **kwargs):
            handed["html"], handed["css"] = html, list(stylesheets)

        def report(self):
            return pdf_export.LayoutReport([], [], [], [], 0, 0, {})  # WeasyPrint had nothing to say

        def cancel(self) -> None:
            pass

    with mock.patch.object(pdf_export, "Layout", RecordingLayout):
        build(vault, config, out_dir, ("pdf",))
    return FinalDocuments(handed["markdown"], handed["html"], handed["css"])


def write_inputs(documents: FinalDocuments, folder: Path) -> tuple[Path, Path, list[Path]]:
    """The final documents as files, for the pandoc binary and the WeasyPrint worker."""
    markdown = folder / "book.md"
    markdown.write_text(documents.markdown, encoding="utf-8")
    html = folder / "print.html"
    html.write_text(documents.print_html, encoding="utf-8")
    css = []
    for number, text in enumerate(documents.print_css):
        css.append(folder / f"print-{number}.css")
        css[-1].write_text(text, encoding="utf-8")
    return markdown, html, css


def run_plain_pandoc(markdown: Path, target: list[str], output: Path) -> tuple[float, float]:
    """Run the pandoc binary once, bare; its wall time and its own peak RSS."""
    # The build's reader and extensions, so that both sides parse the same document.
    command = [pandoc_path(), "-f", pandoc.READER, *target, str(markdown), "-o", str(output)]
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors)
        # wait4 gives the rusage of this one process, not the high-water mark of all children.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            sys.exit(f"plain pandoc failed ({process.returncode}):\n{errors.read().decode('utf-8', 'replace')}")
    return seconds, peak_rss_mb(usage)


def page_count(pdf: str) -> str:
    if shutil.which("pdfinfo") is None:
        return "n/a (no pdfinfo)"
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Pages:")), "?")


# --- one size: measure, then summarize --------------------------------------------------

@dataclass(frozen=True)
class Run:
    stages: dict[str, float]  # miena-book's stage times, in build order
    build_process_seconds: float  # the whole build process, start-up and imports included
    python_peak_mb: float
    pandoc_peak_mb: float
    plain: dict[str, float]  # stage name -> time of the plain engine on the same document
    plain_pandoc_peak_mb: float
    plain_weasyprint_peak_mb: float
    pdf_pages: str
    plain_pdf_pages: str
    typst_seconds: float | None  # pandoc -> Typst -> typst compile on the same Markdown
    typst_peak_mb: float | None
    typst_pages: str


def measure_once(vault: str, work: Path, markdown: Path, html: Path, css: list[Path]) -> Run:
    # Builds and plain runs alternate, so that a slow spell of the machine touches both sides.
    report, wall = run_worker("build-worker", vault, str(work / "build"))
    plain, pandoc_peaks = {}, []
    for stage, target in PLAIN_PANDOC_TARGETS.items():
        plain[stage], peak = run_plain_pandoc(markdown, target, work / f"plain.{stage}")
        pandoc_peaks.append(peak)
    plain_pdf = work / "plain.pdf"
    weasy, _ = run_worker("weasyprint-worker", str(html), str(plain_pdf), *map(str, css))
    plain["pdf"] = weasy["seconds"]
    typst_seconds = typst_peak = None
    typst_pdf = work / "typst.pdf"
    if importlib.util.find_spec("typst") is not None:
        typst_report, _ = run_worker("typst-worker", str(markdown), str(typst_pdf))
        typst_seconds, typst_peak = typst_report["seconds"], typst_report["peak_mb"]
    return Run(dict(report["stages"]), wall, report["python_peak_mb"], report["pandoc_peak_mb"], plain,
               max(pandoc_peaks), weasy["peak_mb"], page_count(report["pdf"]), page_count(str(plain_pdf)),
               typst_seconds, typst_peak, page_count(str(typst_pdf)) if typst_seconds is not None else "–")


def measure_size(notes: int, runs: int) -> list[Run]:
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        vault = str(work / "vault")
        generate(Path(vault), notes)
        config, _ = load_config(vault)
        markdown, html, css = write_inputs(final_documents(vault, config, str(work / "documents")), work)
        measured = []
        for number in range(1, runs + 1):
            print(f"{notes} notes: run {number}/{runs}…", file=sys.stderr, flush=True)
            measured.append(measure_once(vault, work, markdown, html, css))
        return measured


def median(values) -> float:
    return statistics.median(list(values))


def report(notes: int, measured: list[Run]) -> str:
    """One size as a Markdown table of median times, then peak memory and page counts."""
    stages = list(measured[0].stages)
    lines = [f"### {notes} notes (median of {len(measured)} run{'s' * (len(measured) > 1)})", "",
             "| stage | miena-book (s) | plain engine (s) | overhead (s) |", "|---|--:|--:|--:|"]
    for stage in stages:
        ours = median(run.stages[stage] for run in measured)
        if stage in ENGINE_OF_STAGE:
            plain = median(run.plain[stage] for run in measured)
            lines.append(f"| {stage} ({ENGINE_OF_STAGE[stage]}) | {ours:.2f} | {plain:.2f} | {ours - plain:+.2f} |")
        else:
            lines.append(f"| {stage} | {ours:.2f} | – | – |")
    total = median(sum(run.stages.values()) for run in measured)
    plain_total = median(sum(run.plain.values()) for run in measured)
    lines.append(f"| **sum of stages** | **{total:.2f}** | **{plain_total:.2f}** | **{total - plain_total:+.2f}** |")
    process = median(run.build_process_seconds for run in measured)
    lines += [
        "",
        f"- whole build process: {process:.2f} s wall (the stages plus interpreter start-up and imports)",
        f"- peak RSS, build: Python process {max(r.python_peak_mb for r in measured):.0f} MB, "
        f"largest child (pandoc, or the WeasyPrint layout) {max(r.pandoc_peak_mb for r in measured):.0f} MB",
        f"- peak RSS, plain: WeasyPrint process {max(r.plain_weasyprint_peak_mb for r in measured):.0f} MB, "
        f"largest pandoc run {max(r.plain_pandoc_peak_mb for r in measured):.0f} MB",
        f"- PDF pages: {measured[-1].pdf_pages} (plain WeasyPrint: {measured[-1].plain_pdf_pages})",
    ]
    if measured[0].typst_seconds is not None:
        lines.append(f"- pandoc → Typst → typst compile, same Markdown: {median(r.typst_seconds for r in measured):.2f} s, "
                     f"peak RSS {max(r.typst_peak_mb for r in measured):.0f} MB, {measured[-1].typst_pages} pages")
    else:
        lines.append("- pandoc → Typst: not measured (pip install -e '.[bench]' brings the typst compiler)")
    return "\n".join(lines)


def engine_versions() -> str:
    from importlib.metadata import version

    return (f"pandoc {pypandoc.get_pandoc_version()}, WeasyPrint {version('weasyprint')}, "
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")


NOTES = """\
Plain pandoc reads the notes' Markdown, as written, in each of its runs; miena-book parses
each note once itself ("read"), renders it ("assemble"), has pandoc read only the
templates' text ("pandoc read") and writes each format from the JSON AST; so the html and
epub rows may show a negative overhead, and the sum of the stages is the fair comparison (the PDF's
layout runs in its own process while the HTML and the EPUB are written: the build's wall time,
"whole build process", is less than that sum). Plain WeasyPrint lays out the
same print HTML with the same stylesheets, once; miena-book lays it out until the page
numbers of cross-references and the contents settle (usually three times), which costs less
than WeasyPrint's own target-counter() on long books. Making that HTML (pandoc's html5
fragment and the print template) is miena-book's work, counted in its stages. Peak RSS is
the highest of the runs."""


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in WORKERS:
        WORKERS[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000], help="notes per generated vault")
    parser.add_argument("--runs", type=int, default=3, help="builds per size; times are the median")
    args = parser.parse_args()
    reports = [report(notes, measure_size(notes, args.runs)) for notes in args.sizes]
    print(f"## miena-book build ({engine_versions()})\n")
    print("\n\n".join(reports))
    print("\n" + NOTES)


if __name__ == "__main__":
    main()
