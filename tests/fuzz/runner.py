"""Running generated vaults through the real command line, and the fuzz run itself.

`try_vault` writes one `GeneratedVault` into a temporary folder, runs ``miena-book check``
and ``miena-book build`` on it as subprocesses (as a user would; a hang is cut by a
timeout), reads the artifacts back and returns every violation of the invariants
(`invariants`). On a sample it also builds the PDF, and builds the vault a second time and
a third with every folder listed in reverse order (`reordered`), for the reproducibility
invariant.

`fuzz` drives Hypothesis: each job draws its share of the vaults in one run from a seed
of its own, until the share or the time budget is spent; a failure is shrunk by
Hypothesis to its smallest vault (within a time limit), which is written out (``vault/``
plus ``violations.txt``) to be turned into a conformance or hostile case. The same
options (seed, jobs, vaults, notes) draw the same vaults again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cli_run import CLI, Run, run_command
from hypothesis import HealthCheck, Phase, given, seed, settings

from . import invariants as inv
from .vaults import GeneratedVault, vaults

REORDERED = [sys.executable, str(Path(__file__).with_name("reordered.py"))]
TIMEOUT_SECONDS = 120
# the bound on one build of a generated vault: a few seconds alone, up to 25 s seen with
# the PDF and five processes at once on two cores; what it catches is a blow-up (a
# quadratic pass, a runaway layout), which the 120 s timeout would only cut
SECONDS_A_VAULT, SECONDS_A_NOTE = 60.0, 5.0
EPOCH = "1767225600"  # 2026-01-01: every build of a vault is dated the same


def run(command: list[str], *args: str, cwd: Path) -> Run:
    return run_command(command, *args, cwd=cwd, timeout=TIMEOUT_SECONDS, env={"SOURCE_DATE_EPOCH": EPOCH})


def write(vault: GeneratedVault, folder: Path) -> None:
    for rel, data in vault.files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def digests(out: Path) -> dict[str, str]:
    """Each artifact's SHA-256, by file name: all a rebuild is compared by."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in (sorted(out.glob("*")) if out.is_dir() else [])}


def read_outputs(out: Path) -> inv.Outputs:
    found = inv.Outputs(digests=digests(out))
    for path in sorted(out.glob("*")) if out.is_dir() else []:
        if path.name.endswith(".manifest.json"):
            found.manifest = json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".html":
            found.html = inv.page_text(path.read_text(encoding="utf-8"))
        elif path.suffix == ".epub":
            found.epub, found.epub_malformed = inv.epub_pages(path)
        elif path.suffix == ".pdf":
            found.pdf_text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                            text=True, check=True).stdout
    return found


def what_differs(first: Path, other: Path, first_digests: dict[str, str], other_digests: dict[str, str]) -> str:
    """Where two builds' artifacts part: for an EPUB, each member that differs; for a text
    file (or a member), its first differing line in each. A rebuild that gives other bytes
    is a race or an input the cache keys miss, and these lines are what names it."""
    lines = []
    for name in sorted(set(first_digests) | set(other_digests)):
        if first_digests.get(name) == other_digests.get(name):
            continue
        a, b = first / name, other / name
        if not (a.is_file() and b.is_file()):
            lines.append(f"  {name}: only in {'the first build' if a.is_file() else 'the rebuild'}")
            continue
        if name.endswith(".epub"):
            try:
                with zipfile.ZipFile(a) as left, zipfile.ZipFile(b) as right:
                    members_a = {info.filename: info for info in left.infolist()}
                    members_b = {info.filename: info for info in right.infolist()}
                    if list(members_a) != list(members_b):
                        lines.append(f"  {name}: members {list(members_a)} against {list(members_b)}")
                    for member in members_a.keys() & members_b.keys():
                        data_a, data_b = left.read(member), right.read(member)
                        info_a, info_b = members_a[member], members_b[member]
                        if data_a != data_b:
                            lines.append(f"  {name}/{member}: {_first_difference(data_a, data_b)}")
                        elif (info_a.date_time, info_a.compress_type, info_a.external_attr) != \
                                (info_b.date_time, info_b.compress_type, info_b.external_attr):
                            lines.append(f"  {name}/{member}: same data, other entry "
                                         f"{(info_a.date_time, info_a.compress_type, info_a.external_attr)} against "
                                         f"{(info_b.date_time, info_b.compress_type, info_b.external_attr)}")
            except zipfile.BadZipFile as failure:
                lines.append(f"  {name}: not a zip ({failure})")
        elif name.endswith(".pdf"):
            lines.append(f"  {name}: {a.stat().st_size} against {b.stat().st_size} bytes")
        else:
            lines.append(f"  {name}: {_first_difference(a.read_bytes(), b.read_bytes())}")
    return "\n".join(lines)


def _first_difference(a: bytes, b: bytes) -> str:
    left, right = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    for number, (line_a, line_b) in enumerate(zip(left, right), 1):
        if line_a != line_b:
            return f"line {number}: {line_a[:300]!r} against {line_b[:300]!r}"
    return f"{len(left)} lines against {len(right)} ({len(a)} against {len(b)} bytes)"


@dataclass
class Tried:
    """One vault's run: what was violated, and how long it took."""

    violations: list[str]
    notes: int
    seconds: float  # the plain build's, the PDF included when it was built
    pdf: bool
    repeated: bool


def try_vault(vault: GeneratedVault, pdf: bool = False, repeat: bool = False) -> Tried:
    formats = "html,epub,pdf" if pdf and shutil.which("pdftotext") else "html,epub"
    with tempfile.TemporaryDirectory(prefix="miena-fuzz-") as tmp:
        root = Path(tmp)
        write(vault, root / "vault")
        runs: dict[str, Run] = {}

        def start(name: str, command: list[str], *args: str, cwd: Path) -> threading.Thread:
            thread = threading.Thread(target=lambda: runs.__setitem__(name, run(command, *args, cwd=cwd)))
            thread.start()
            return thread

        threads = [start("check", CLI, "check", ".", "--format", "json", cwd=root / "vault"),
                   start("build", CLI, "build", ".", "-o", "../out", "--format", formats, cwd=root / "vault")]
        if repeat:
            for name in ("again", "reordered"):
                write(vault, root / name / "vault")
                threads.append(start(name, CLI if name == "again" else REORDERED, "build", ".", "-o", "../out",
                                     "--format", formats, cwd=root / name / "vault"))
        for thread in threads:
            thread.join()
        try:
            outputs = read_outputs(root / "out")
            again = {name: digests(root / name / "out") for name in ("again", "reordered") if repeat}
            # what differs, read now: the folders go with the temporary directory
            unlike = {name: what_differs(root / "out", root / name / "out", outputs.digests, again[name])
                      for name in again}
        except Exception:  # noqa: BLE001 - an artifact that cannot be read back is the build's failure
            return Tried([f"an artifact cannot be read back:\n{traceback.format_exc()}"], len(vault.notes),
                         runs["build"].seconds, "pdf" in formats, repeat)
        violations = judge(vault, runs, outputs, again, formats.split(","), unlike)
    return Tried(violations, len(vault.notes), runs["build"].seconds, "pdf" in formats, repeat)


def judge(vault: GeneratedVault, runs: dict[str, Run], outputs: inv.Outputs, again: dict[str, dict],
          formats: list[str], unlike: dict[str, str] | None = None) -> list[str]:
    problems = []
    for name, done in runs.items():
        if done.status is None:
            problems.append(f"{name}: {done.stderr}")
        elif "Traceback (most recent call last)" in done.output:
            problems.append(f"{name}: a traceback:\n{done.output[-3000:]}")
        elif done.status not in (0, 1):
            problems.append(f"{name}: exit status {done.status}:\n{done.output[-2000:]}")
    if problems:
        return problems
    budget = SECONDS_A_VAULT + SECONDS_A_NOTE * len(vault.notes)
    if runs["build"].seconds > budget:
        problems.append(f"build took {runs['build'].seconds:.1f} s for {len(vault.notes)} notes (bound {budget:.0f} s)")
    checked, bad = inv.parse_json_diagnostics(runs["check"].stdout)
    built, bad_build = inv.parse_text_diagnostics(runs["build"].output, "build")
    problems += bad + bad_build
    lines = inv.line_counts(vault)
    problems += inv.diagnostics_problems(checked, lines, "check") + inv.diagnostics_problems(built, lines, "build")
    by_check, by_build = inv.audited(checked), inv.audited(built)
    if by_check != by_build:
        only_check = sorted((by_check - by_build).elements(), key=str)
        only_build = sorted((by_build - by_check).elements(), key=str)
        problems.append(f"check and build disagree: only check {only_check}, only build {only_build}")
    manifest_problems, in_book = inv.manifest_problems(vault, outputs)
    problems += manifest_problems
    if in_book:  # a book with a note in it is written in every format asked for
        written = {"html": outputs.html is not None, "epub": bool(outputs.epub), "pdf": outputs.pdf_text is not None}
        problems += [f"build wrote no {name.upper()}" for name in formats if not written[name]]
    problems += inv.lost_words(vault, in_book, outputs)
    problems += inv.leaked_words(vault, outputs)
    problems += inv.altered_code(vault, in_book, outputs)
    problems += inv.machinery(outputs, vault)
    for name, digests in again.items():
        if digests != outputs.digests:
            changed = sorted(f for f in set(digests) | set(outputs.digests) if digests.get(f) != outputs.digests.get(f))
            what = "built again" if name == "again" else "listed in reverse order"
            problems.append(f"the same vault {what} gives other bytes: {', '.join(changed)}"
                            + (f"\n{unlike[name]}" if unlike and unlike.get(name) else ""))
    return problems


# --- the fuzz run ---------------------------------------------------------------------------

@dataclass
class Report:
    vaults: int = 0
    notes: int = 0
    pdf: int = 0
    repeated: int = 0
    seconds: float = 0.0
    slowest: tuple[float, int, str] = (0.0, 0, "")  # build seconds per note, notes, the vault
    replay: str = ""  # the options that draw the same vaults again
    failures: list[dict] = field(default_factory=list)

    def add(self, other: "Report") -> None:
        self.vaults += other.vaults
        self.notes += other.notes
        self.pdf += other.pdf
        self.repeated += other.repeated
        self.slowest = max(self.slowest, other.slowest)
        self.failures += other.failures


class Failed(AssertionError):
    """A generated vault broke an invariant (raised at one place, so Hypothesis sees one bug)."""


def run_seed(base_seed: int, job: int, run_number: int) -> int:
    """The seed of one Hypothesis run: a job's first run, or the one after its n-th failure."""
    return base_seed * 1000 + job * 100003 + run_number


def fuzz_job(job: int, base_seed: int, vaults_wanted: int, deadline: float, pdf_every: int, repeat_every: int,
             most_notes: int = 6, most_failures: int = 1, progress: bool = False,
             shrink_minutes: float = 3) -> Report:
    """One job's share of the vaults: one Hypothesis run over all of it (a run starts with
    its simplest vault; one run a job keeps the PDF and rebuild samples on real ones),
    then, after a failure, a run of the next seed for what is left, until
    ``most_failures`` were found or the deadline passed."""
    report = Report()
    run_number = 0
    while report.vaults < vaults_wanted and time.time() < deadline and len(report.failures) < most_failures:
        this_seed = run_seed(base_seed, job, run_number)
        run_number += 1
        last: dict = {}  # the smallest failing vault so far: once set, Hypothesis is shrinking

        def fail(vault: GeneratedVault, violations: list[str], pdf: bool, repeat: bool) -> None:
            last.setdefault("until", time.time() + shrink_minutes * 60)
            last.update(vault=vault, violations=violations, pdf=pdf, repeat=repeat)
            raise Failed("\n".join(violations))

        @seed(this_seed)
        @settings(max_examples=vaults_wanted - report.vaults, deadline=None, database=None,
                  report_multiple_bugs=False, suppress_health_check=list(HealthCheck),
                  phases=(Phase.generate, Phase.shrink))
        @given(vaults(most_notes=most_notes))
        def attempt(vault: GeneratedVault) -> None:
            if last:  # shrinking, with the failing vault's sample, so a PDF-only failure still fails
                if time.time() > last["until"]:
                    # out of shrinking time: only the smallest failure so far still fails,
                    # so Hypothesis stops there (each step is a build: a full shrink is long)
                    if vault.files == last["vault"].files:
                        fail(vault, last["violations"], last["pdf"], last["repeat"])
                    return
                tried = try_vault(vault, pdf=last["pdf"], repeat=last["repeat"])
                if tried.violations:
                    fail(vault, tried.violations, last["pdf"], last["repeat"])
                return
            if time.time() > deadline:
                return  # out of time: the run's remaining vaults are drawn but not tried
            index = report.vaults
            report.vaults += 1
            report.notes += len(vault.notes)
            pdf = pdf_every > 0 and index % pdf_every == 0
            repeat = repeat_every > 0 and index % repeat_every == 0
            tried = try_vault(vault, pdf=pdf, repeat=repeat)
            report.pdf += tried.pdf
            report.repeated += tried.repeated
            per_note = tried.seconds / max(tried.notes, 1)
            if per_note > report.slowest[0]:
                report.slowest = (per_note, tried.notes, vault.describe())
            if progress and report.vaults % 50 == 0:
                print(f"fuzz: job {job}: {report.vaults} vaults, {report.notes} notes, "
                      f"{len(report.failures)} failure(s)", file=sys.stderr, flush=True)
            if tried.violations:
                fail(vault, tried.violations, pdf, repeat)

        try:
            attempt()
        except BaseException as stopped:  # noqa: BLE001 - a Failed, or Hypothesis's own (Flaky…)
            if isinstance(stopped, KeyboardInterrupt):
                raise
            violations = last.get("violations") or []
            if not isinstance(stopped, Failed):  # the harness or Hypothesis: never hidden
                violations = violations + ["".join(traceback.format_exception(stopped))]
            vault = last.get("vault")
            report.failures.append({"seed": this_seed, "job": job, "run": run_number - 1, "violations": violations,
                                    "vault": vault.describe() if vault else "", "files": vault.files if vault else {}})
    return report


def fuzz(vaults_wanted: int, minutes: float, base_seed: int, jobs: int = 2, pdf_every: int = 10,
         repeat_every: int = 5, failures_dir: Path | None = None, most_notes: int = 6, most_failures: int = 1,
         progress: bool = False, shrink_minutes: float = 3) -> Report:
    started = time.time()
    deadline = started + minutes * 60
    shares = [vaults_wanted // jobs + (job < vaults_wanted % jobs) for job in range(jobs)]
    total = Report()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(fuzz_job, job, base_seed, share, deadline, pdf_every, repeat_every,
                               most_notes=most_notes, most_failures=most_failures, progress=progress,
                               shrink_minutes=shrink_minutes)
                   for job, share in enumerate(shares) if share]
        for future in futures:
            total.add(future.result())
    total.seconds = time.time() - started
    total.replay = f"SEED={base_seed} JOBS={jobs} VAULTS={vaults_wanted} NOTES={most_notes}"
    if failures_dir is not None:
        for number, failure in enumerate(total.failures, 1):
            where = failures_dir / f"failure-{failure['seed']}"
            if failure["files"]:
                write(GeneratedVault([], failure["files"]), where / "vault")
            where.mkdir(parents=True, exist_ok=True)
            found_by = f"found by: make fuzz {total.replay} (job {failure['job']}, run {failure['run']})"
            (where / "violations.txt").write_text(found_by + "\n\n" + "\n".join(failure["violations"]) + "\n",
                                                  encoding="utf-8")
    return total


def summary(report: Report) -> str:
    lines = [f"{report.vaults} vaults, {report.notes} notes in {report.seconds:.0f} s "
             f"({report.pdf} with the PDF, {report.repeated} built three times); "
             f"{len(report.failures)} failure(s)."]
    if report.vaults:
        per_note, notes, _ = report.slowest
        lines.append(f"slowest build: {per_note * notes:.1f} s for a vault of {notes} notes ({per_note:.2f} s a note)")
    lines.append(f"the same vaults again: make fuzz {report.replay}")
    for failure in report.failures:
        lines.append(f"\n=== failure (job {failure['job']}, run {failure['run']}, Hypothesis seed {failure['seed']}), "
                     f"shrunk to:\n{failure['vault']}\n--- violations:")
        lines += failure["violations"]
    return "\n".join(lines)
