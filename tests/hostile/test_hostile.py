"""The hostile corpus through the real command line: `check`, then `build`, on each case.

Each case of corpus.py is written into its own temporary folder: the vault, and beside it
the secrets of ``OUTSIDE_FILES`` and a TCP listener on 127.0.0.1 (the case's ``@REMOTE@``).
``miena-book check .`` and ``miena-book build . -o ../out --format …`` run once per case,
in the vault, as subprocesses (so a crash shows as the traceback a user would see, and a
hang is cut by a timeout). Four tests then read what they did:

* ``check``: the exit status, no traceback, each expected diagnostic with its file and line;
* ``build``: the same for `build`, plus the artifacts of each format and the text the HTML shows;
* ``confinement``: no secret in any artifact, EPUB member, PDF text or printed line; no
  connection to the listener; no file written outside the output folder, none changed in
  the vault; no file attached to the PDF and no image from outside drawn in it;
* ``markup``: nothing in the HTML or the EPUB that runs a script or fetches a resource
  when opened, and every XML document of the EPUB well-formed.

A case's ``known_bugs`` makes the matching test a strict xfail. The 10,000-note vault is a
test of its own, marked ``slow``.
"""

from __future__ import annotations

import base64
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cli_run import CLI, Run, run_command

from .corpus import ANY, CASES, MARKER, OUTSIDE, OUTSIDE_FILES, REMOTE, SECRET_PNG, SECRET_PNG_SIZE, Case, Finding
from .outputs import (XML_MEMBERS, BuildOutputs, active_markup, pdf_attachment_count, pdf_image_sizes,
                      poppler_available, read_outputs, xml_problem)

REPO = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_SECONDS = 180
ASPECTS = ("check", "build", "confinement", "markup")


# --- running the command line --------------------------------------------------------------

def run_cli(*args: str, cwd: Path, timeout: float = RUN_TIMEOUT_SECONDS) -> Run:
    return run_command(CLI, *args, cwd=cwd, timeout=timeout)


class Listener:
    """A TCP server on 127.0.0.1 that accepts and counts connections; it must count none."""

    def __init__(self):
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.1)
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            connection.close()

    def close(self) -> int:
        self._stop.set()
        self._thread.join()
        self._socket.close()
        return self.connections


# --- one workspace per case -----------------------------------------------------------------

def snapshot(folder: Path, skip: tuple[Path, ...] = ()) -> dict[str, tuple[int, int]]:
    """Path -> (size, mtime) of every entry under ``folder`` (links not followed)."""
    found = {}
    for where, folders, files in os.walk(folder):
        here = Path(where)
        folders[:] = [name for name in folders if here / name not in skip]
        for name in folders + files:
            try:
                info = os.lstat(here / name)
            except OSError:  # a path longer than PATH_MAX: only its presence is recorded
                info = os.stat_result((0,) * 10)
            found[str((here / name).relative_to(folder))] = (info.st_size, info.st_mtime_ns)
    return found


def fill(text: str | bytes, root: Path, remote: str) -> str | bytes:
    if isinstance(text, bytes):
        return text.replace(OUTSIDE.encode(), str(root).encode()).replace(REMOTE.encode(), remote.encode())
    return text.replace(OUTSIDE, str(root)).replace(REMOTE, remote)


def write_files(folder: Path, files, root: Path, remote: str) -> None:
    for rel, content in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        content = fill(content, root, remote)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


@dataclass
class Workspace:
    case: Case
    root: Path  # holds the vault, the output folder and the secrets
    check: Run
    build: Run
    connections: int
    outside_before: dict
    outside_after: dict
    vault_before: dict
    vault_after: dict
    outputs: BuildOutputs = field(default_factory=BuildOutputs)

    @property
    def out(self) -> Path:
        return self.root / "out"


def prepare(case: Case, root: Path) -> Workspace:
    """Write the case's vault into ``root`` and run `check` and `build` on it."""
    vault = root / "vault"
    vault.mkdir()
    listener = Listener()
    try:
        write_files(root, OUTSIDE_FILES, root, listener.url)
        write_files(vault, case.files, root, listener.url)
        for link, target in case.symlinks.items():
            (vault / link).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(fill(target, root, listener.url), vault / link)
        if case.setup:
            case.setup(vault)
        outside_before, vault_before = snapshot(root, skip=(vault, root / "out")), snapshot(vault)
        check = run_cli("check", ".", cwd=vault)
        build = run_cli("build", ".", "-o", "../out", "--format", case.formats, cwd=vault)
    finally:
        connections = listener.close()
    return Workspace(case, root, check, build, connections, outside_before,
                     snapshot(root, skip=(vault, root / "out")), vault_before, snapshot(vault),
                     read_outputs(root / "out"))


# Each case's runs are subprocesses that mostly wait on pandoc and WeasyPrint, so the
# selected cases are prepared a few at a time, in test order, as soon as the first test
# asks for one; each test then waits for its own case only.
WORKERS = min(4, os.cpu_count() or 1)
_PREPARED: dict[str, Future] = {}


@pytest.fixture(scope="session")
def prepared(request, tmp_path_factory):
    selected = {}
    for item in request.session.items:
        case = getattr(item, "callspec", None) and item.callspec.params.get("case")
        if isinstance(case, Case):
            selected.setdefault(case.name, case)
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="hostile") as pool:
        for name, case in selected.items():
            _PREPARED[name] = pool.submit(prepare, case, tmp_path_factory.mktemp(name))
        yield _PREPARED
        for future in _PREPARED.values():
            future.cancel()


def workspace(case: Case, prepared) -> Workspace:
    return prepared[case.name].result()  # a skip raised by the case's setup is raised here


def cases_for(aspect: str, cases=CASES) -> list:
    """The cases as pytest parameters; a known bug of this aspect is a strict xfail."""
    params = []
    for case in cases:
        marks = [pytest.mark.xfail(strict=True, reason=case.known_bugs[aspect])] if aspect in case.known_bugs else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


# --- what is expected of every run ------------------------------------------------------------

def accepted(status: int | tuple[int, ...]) -> tuple[int, ...]:
    return status if isinstance(status, tuple) else (status,)


def finding_pattern(finding: Finding) -> re.Pattern[str]:
    """``path:line: level: message [code]`` as the text format prints it, paths relative to the vault."""
    line = {ANY: r"(?::\d+)?", None: ""}.get(finding.line, f":{finding.line}")
    if finding.path is None:
        where = ""
    elif finding.path == ANY:  # any file, or none
        where = f"(?:.+?{line}: )?" if finding.line in (ANY, None) else f".+?{line}: "
    else:
        where = f"{re.escape(finding.path)}{line}: "
    return re.compile(rf"{where}(?:error|warning|info): .*\[{re.escape(finding.code)}\]")


def missing_findings(findings, run: Run) -> list[Finding]:
    lines = run.output.splitlines()
    return [f for f in findings if not any(finding_pattern(f).fullmatch(line) for line in lines)]


def assert_ran_cleanly(run: Run, expected_status) -> None:
    assert run.status is not None, f"did not finish: {run.describe()}"
    assert "Traceback" not in run.output, run.describe()
    assert run.status in accepted(expected_status), run.describe()


def flat(text: str) -> str:
    return " ".join(text.split())


def secret_needles() -> dict[str, bytes]:
    """What a leak would look like: the marker, the secret PNG, any secret file as base64."""
    needles = {"marker": MARKER.encode(), "secret.png bytes": SECRET_PNG}
    for name, content in OUTSIDE_FILES.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        needles[f"{name} as base64"] = base64.b64encode(data)
    return needles


def wrote_book(space: Workspace) -> bool:
    return any(space.outputs.of_kind(f".{fmt}") for fmt in space.case.formats.split(","))


# --- the tests ----------------------------------------------------------------------------------

def test_the_corpus_is_well_formed():
    names = [case.name for case in CASES]
    assert len(names) >= 40 and len(set(names)) == len(names)
    for case in CASES:
        assert set(case.known_bugs) <= set(ASPECTS), case.name
        assert set(case.formats.split(",")) <= {"pdf", "epub", "html"}, case.name


def test_the_detectors_see_what_they_look_for():
    """The instruments of these tests, on inputs they must flag: a test that can never fail proves nothing."""
    flagged = active_markup('<script>x</script><a href=" java\tscript:x">a</a><p onclick="x">p</p>'
                            '<img src="http://127.0.0.1:9/x.png"><span style="background:url(x.png)">s</span>'
                            '<link rel="attachment" href="x.txt"><iframe src="data:,x"></iframe>')
    assert len(flagged) == 7, flagged
    assert not active_markup('<a href="https://example.org/">web</a><img src="data:image/png;base64,AA==">'
                             '<img src="../media/file0.png"><span style="width:300px">s</span>')
    assert xml_problem(b"<p>\x01</p>") and not xml_problem(b"<p>ok</p>")
    listener = Listener()
    socket.create_connection(("127.0.0.1", listener.port), timeout=5).close()
    deadline = time.monotonic() + 5
    while listener.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.close() == 1
    line = "Note.md:3: warning: ![[x.png]] is missing [embed.missing]"
    assert finding_pattern(Finding("embed.missing", "Note.md", 3)).fullmatch(line)
    assert not finding_pattern(Finding("embed.missing", "Note.md", 4)).fullmatch(line)
    assert not finding_pattern(Finding("embed.missing", "Note.md")).fullmatch(line)
    assert finding_pattern(Finding("embed.missing", ANY, ANY)).fullmatch(line)


@pytest.mark.parametrize("case", cases_for("check"))
def test_check(case: Case, prepared):
    run = workspace(case, prepared).check
    assert_ran_cleanly(run, case.status)
    missing = missing_findings(case.check_findings, run)
    assert not missing, f"not printed: {missing}\n{run.describe()}"
    for text in case.forbidden:
        assert text not in run.output, f"{text!r} printed by check"


@pytest.mark.parametrize("case", cases_for("build"))
def test_build(case: Case, prepared):
    space = workspace(case, prepared)
    run = space.build
    assert_ran_cleanly(run, case.expected_build_status)
    missing = missing_findings(case.check_findings + case.build_findings, run)
    assert not missing, f"not printed: {missing}\n{run.describe()}"
    for text in case.forbidden:
        assert text not in run.output, f"{text!r} printed by build"
    formats = case.formats.split(",")
    if not case.writes_book or run.status == 2:
        assert not wrote_book(space), f"wrote {sorted(space.outputs.files)}"
        assert "build failed at" in run.stderr or "the config cannot be used" in run.stderr, run.describe()
        return
    assert "build failed at" not in run.output, run.describe()
    for fmt in formats:
        assert len(space.outputs.of_kind(f".{fmt}")) == 1, f"no .{fmt} written: {sorted(space.outputs.files)}"
    if "html" in formats:
        page = flat(html.unescape(next(iter(space.outputs.html_pages().values()))))
        for text in case.shown:
            assert flat(text) in page, f"{text!r} is not shown in the HTML"


_PRINTED = re.compile(r"^(?P<where>.*?): (?:error|warning|info): .*\[(?P<code>[a-z0-9-]+(?:\.[a-z0-9-]+)+)\]$")
ANALYSED = ("link.", "embed.", "cite.", "code.", "field.", "structure.")


def analysed(run: Run) -> set[tuple[str, str]]:
    """The link, embed, citation, code and nesting diagnostics a run printed, with their place."""
    found = set()
    for line in run.output.splitlines():
        match = _PRINTED.match(line)
        if match and match.group("code").startswith(ANALYSED):
            found.add((match.group("where"), match.group("code")))
    return found


@pytest.mark.parametrize("case", [c for c in CASES if c.writes_book], ids=lambda c: c.name)
def test_check_reports_the_link_diagnostics_build_reports(case: Case, prepared):
    space = workspace(case, prepared)
    if space.build.status == 2 or space.check.status is None or space.build.status is None:
        pytest.skip("no book was built")
    assert analysed(space.check) == analysed(space.build), f"{space.check.describe()}\n{space.build.describe()}"


@pytest.mark.parametrize("case", cases_for("confinement"))
def test_confinement(case: Case, prepared):
    space = workspace(case, prepared)
    assert space.connections == 0, f"the build connected {space.connections} time(s) to {REMOTE}"
    assert space.outside_after == space.outside_before, "files were written or changed outside the vault"
    assert space.vault_after == space.vault_before, "the vault was changed"
    printed = (space.check.output + space.build.output).encode("utf-8")
    blobs = {**space.outputs.every_blob(), "what the CLI printed": printed}
    for what, needle in secret_needles().items():
        leaks = [name for name, blob in blobs.items() if needle in blob]
        assert not leaks, f"{what} found in {leaks}"
    for text in case.forbidden:  # what the CLI prints is the business of test_check and test_build
        leaks = [name for name, blob in space.outputs.every_blob().items() if text.encode("utf-8") in blob]
        assert not leaks, f"{text!r} found in {leaks}"
    pdfs = space.outputs.of_kind(".pdf")
    if pdfs and not poppler_available():
        pytest.skip("poppler-utils not installed (scripts/bootstrap installs it)")
    for name in pdfs:
        assert pdf_attachment_count(space.out / name) == 0, f"{name} carries attached files"
        assert SECRET_PNG_SIZE not in pdf_image_sizes(space.out / name), f"{name} draws the secret image"


@pytest.mark.parametrize("case", cases_for("markup"))
def test_markup(case: Case, prepared):
    space = workspace(case, prepared)
    if not wrote_book(space):
        pytest.skip("no book was written")
    problems = [f"{name}: {problem}" for name, markup in space.outputs.markup_documents().items()
                for problem in active_markup(markup)]
    problems += [f"{name}: not well-formed XML: {problem}" for name, data in space.outputs.epub_members.items()
                 if name.endswith(XML_MEMBERS) and (problem := xml_problem(data))]
    assert not problems, "\n".join(problems[:20])


# --- load ---------------------------------------------------------------------------------------

TEN_THOUSAND = 10_000


@pytest.mark.slow
def test_check_reads_a_vault_of_ten_thousand_notes(tmp_path):
    vault = tmp_path / "vault"
    try:
        subprocess.run([sys.executable, str(REPO / "scripts" / "generate_vault.py"), str(vault),
                        "--notes", str(TEN_THOUSAND)], check=True, capture_output=True, timeout=120)
        run = run_cli("check", ".", cwd=vault, timeout=120)
    finally:
        # 80 MB in 10,000 files: removed now rather than by pytest's clean-up of old runs
        shutil.rmtree(vault, ignore_errors=True)
    assert_ran_cleanly(run, 0)
    assert f"{TEN_THOUSAND} notes read, {TEN_THOUSAND} in the book" in run.stderr, run.describe()


# --- the table of outcomes ---------------------------------------------------------------------

def outcome_table() -> str:
    """One line per case run: the input, then each command's exit status and codes printed."""
    done = {name: future.result() for name, future in _PREPARED.items()
            if future.done() and not future.cancelled() and future.exception() is None}
    if not done:
        return ""
    width = max(len(name) for name in done)
    lines = []
    for name, space in done.items():
        check = f"check {space.check.status}: {', '.join(space.check.codes()) or '-'}"
        build = f"build {space.build.status} ({space.build.seconds:.1f} s): {', '.join(space.build.codes()) or '-'}"
        bugs = f"  [known bug: {', '.join(space.case.known_bugs)}]" if space.case.known_bugs else ""
        lines.append(f"{name:<{width}}  {space.case.about}\n{'':<{width}}  {check} | {build}{bugs}")
    return "\n".join(lines)
