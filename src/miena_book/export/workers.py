"""Workers: WeasyPrint processes that lay out the book's units, as many at once as cores.

Each worker is ``python -m miena_book.export.weasy`` (its ``serve`` loop), started once per
build and given jobs one at a time, so WeasyPrint is imported once per worker. A worker is
bounded in memory (an address-space limit set before WeasyPrint loads) and each job in
time: a pathological note (50 MB of text, nesting thousands deep) must not hold the build
forever or exhaust the machine. Jobs and answers go through files in a private temporary
folder, not pipes a busy reader could let fill.

`WorkerPool.run` takes jobs, runs them (longest first, which balances the cores; a unit's
next layout where its last one is kept), and returns the answers in the jobs' order; a
worker that crashes, runs out of memory or of time fails the run with a `LayoutError`
naming the job's unit, and is replaced.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass


class LayoutError(Exception):
    """WeasyPrint failed, ran out of time or out of memory; the message says which and where."""


@dataclass(frozen=True)
class Job:
    name: str  # what the error names: the unit and its notes
    payload: dict  # for export.weasy.lay_out_unit
    weight: int  # its expected cost (characters), to start the longest first


CHARACTERS_PER_WORKER = 40_000  # of text, about 20 pages: a smaller book is laid out by fewer workers


def workers_for(characters: int, jobs: int) -> int:
    """How many workers a book of ``characters`` needs, at most ``jobs``: one per 20 pages or
    so (a worker costs a second of start-up and its share of the cores)."""
    return max(1, min(jobs, characters // CHARACTERS_PER_WORKER))


def default_jobs() -> int:
    """As many workers as cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def limit_memory(memory_mb: int):
    """A function for ``preexec_fn``: the child's address space bounded, before it loads anything."""
    def limit() -> None:
        import resource

        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return limit


class _Worker:
    def __init__(self, folder: str, memory_mb: int):
        self.memory_mb = memory_mb
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8", dir=folder)
        self.process = subprocess.Popen([sys.executable, "-m", "miena_book.export.weasy"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self._stderr, text=True,
                                        preexec_fn=limit_memory(memory_mb) if os.name == "posix" else None)

    def run(self, job_path: str, timeout: float) -> dict:
        """The answer to one job, or `LayoutError` (the worker is then stopped)."""
        expired = threading.Event()

        def expire() -> None:
            expired.set()  # before the kill: whoever sees the worker gone knows why
            self.process.kill()

        timer = threading.Timer(timeout, expire)
        timer.start()
        try:
            self.process.stdin.write(job_path + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        finally:
            timer.cancel()
            timed_out = expired.is_set()
        if line.strip() != job_path:
            self._stderr.seek(0)
            stderr = self._stderr.read()
            self.stop()
            if timed_out:
                raise LayoutError(f"WeasyPrint took more than {timeout:.0f} s and was stopped")
            if "MemoryError" in stderr or self.process.returncode in (-9, 137):
                raise LayoutError(f"WeasyPrint needed more than {self.memory_mb} MB of memory and was stopped")
            tail = (stderr.strip().splitlines() or ["no message"])[-1]
            raise LayoutError(f"WeasyPrint failed: {tail}")
        with open(job_path + ".result", encoding="utf-8") as handle:
            return json.load(handle)

    def end_input(self) -> None:
        """Tell the worker to end once its job is done (`stop` waits for it)."""
        try:
            self.process.stdin.close()
        except OSError:
            pass

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self._stderr.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()


class WorkerPool:
    """Up to ``jobs`` WeasyPrint workers, started as work comes; `close` stops them."""

    def __init__(self, jobs: int, timeout: float = 1800, memory_mb: int = 8192):
        self.jobs, self.timeout, self.memory_mb = max(1, jobs), timeout, memory_mb
        self._folder = tempfile.TemporaryDirectory(prefix="miena-layout-")
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._lock = threading.Lock()
        self._count = 0
        self._cancelled = False
        self._held: dict[str, _Worker] = {}  # a kept layout's key -> the worker holding it

    def start(self) -> None:
        """Start every worker now: each imports WeasyPrint and loads the fonts while the
        build is busy with the book, not when the first unit is handed over."""
        with self._lock:
            while len(self._idle) + len(self._busy) < self.jobs:
                self._idle.append(_Worker(self._folder.name, self.memory_mb))

    def run(self, jobs: list[Job], done=lambda index: None) -> list[dict]:
        """Each job's answer, in the order given; ``done(index)`` is called as each ends.

        Jobs start heaviest first. A job whose payload names a kept layout (``from``, see
        ``export.relayout``) goes to the worker that kept it, where it costs a quarter less;
        a worker with nothing of its own left takes what no worker holds, then the last
        job of another's (laid out from scratch: better than a core standing idle)."""
        answers: list[dict | None] = [None] * len(jobs)
        failures: list[LayoutError] = []
        remaining = sorted(range(len(jobs)), key=lambda i: (-jobs[i].weight, i))

        def next_for(worker: _Worker) -> int | None:
            with self._lock:
                if not remaining:
                    return None
                holders = [self._held.get(jobs[index].payload.get("from") or "") for index in remaining]
                for choice in (worker, None):
                    for position, holder in enumerate(holders):
                        if holder is choice:
                            return remaining.pop(position)
                return remaining.pop()

        def slot() -> None:
            worker = self._acquire()
            try:
                while not failures and not self._cancelled:
                    index = next_for(worker)
                    if index is None:
                        return
                    try:
                        answers[index] = self._run_on(worker, jobs[index])
                    except LayoutError as failure:
                        worker = None  # stopped by its failure
                        failures.append(LayoutError(f"{jobs[index].name}: {failure}"))
                        return
                    except Exception as failure:  # the pool's own fault: said, never a hang
                        failures.append(LayoutError(f"{jobs[index].name}: {type(failure).__name__}: {failure}"))
                        return
                    done(index)
            finally:
                if worker is not None:
                    self._release(worker)

        threads = [threading.Thread(target=slot, daemon=True) for _ in range(min(self.jobs, len(jobs)))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]
        if self._cancelled:
            raise LayoutError("the layout was stopped")
        return answers  # type: ignore[return-value]

    def _acquire(self) -> _Worker:
        with self._lock:
            worker = self._idle.pop(0) if self._idle else _Worker(self._folder.name, self.memory_mb)
            self._busy.add(worker)
            return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
            self._idle.append(worker)

    def _run_on(self, worker: _Worker, job: Job) -> dict:
        with self._lock:
            self._count += 1
            job_path = os.path.join(self._folder.name, f"job-{self._count}.json")
        with open(job_path, "w", encoding="utf-8") as handle:
            json.dump(job.payload, handle)
        try:
            answer = worker.run(job_path, self.timeout)
        except LayoutError:
            with self._lock:
                self._busy.discard(worker)
                self._forget(worker)
            raise
        finally:
            for path in (job_path, job_path + ".result"):
                if os.path.exists(path):
                    os.unlink(path)
        with self._lock:  # what the worker keeps now, and only that
            self._forget(worker)
            self._held.update(dict.fromkeys(answer.pop("kept", []), worker))
        return answer

    def _forget(self, worker: _Worker) -> None:
        self._held = {key: holder for key, holder in self._held.items() if holder is not worker}

    def cancel(self) -> None:
        """Stop every worker now (the build failed elsewhere)."""
        self._cancelled = True
        with self._lock:
            for worker in [*self._busy, *self._idle]:
                worker.kill()

    def close(self) -> None:
        with self._lock:
            workers, self._idle = [*self._idle, *self._busy], []
            self._busy = set()
        for worker in workers:  # all told to end first: they end together, not one after another
            worker.end_input()
        for worker in workers:
            worker.stop()
        self._folder.cleanup()
