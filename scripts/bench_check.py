#!/usr/bin/env python3
"""Benchmark `miena-book check` on generated vaults (200 and 1000 notes by default).

Times the whole command as a user runs it (a fresh process, start-up included) and each
stage in-process (scan, read, index, outline, then the parse and analysis of the book's
notes), and reports peak memory. Speed targets are checked here, not in the test
suite: a timed unit test fails on a busy machine and proves little on a fast one.

Usage: scripts/bench_check.py [--notes 200 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_vault import generate  # noqa: E402

from miena_book.names import NameIndex  # noqa: E402
from miena_book.outline import build_outline  # noqa: E402
from miena_book.pipeline import check_vault  # noqa: E402
from miena_book.config import BookConfig  # noqa: E402
from miena_book.vault.read import read_note  # noqa: E402
from miena_book.vault.scan import scan  # noqa: E402


def stage_times(vault: str) -> dict[str, float]:
    times = {}
    start = time.perf_counter()
    found = scan(vault)
    times["scan"] = time.perf_counter() - start
    start = time.perf_counter()
    notes = [n for n, _ in (read_note(vault, p) for p in found.notes) if n is not None]
    times["read"] = time.perf_counter() - start
    start = time.perf_counter()
    index = NameIndex(notes)
    times["index"] = time.perf_counter() - start
    start = time.perf_counter()
    build_outline(notes, index, BookConfig(), "bench")
    times["outline"] = time.perf_counter() - start
    # the whole of check in-process; what the stages above do not account for is the parse
    # of the book's notes and the analysis of their links (steps 3 and 4)
    start = time.perf_counter()
    check_vault(vault, BookConfig())
    times["analyse"] = time.perf_counter() - start - sum(times.values())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    command = [str(Path(sys.executable).with_name("miena-book")), "check", "--format", "json"]
    print(f"{'notes':>6} {'check (s)':>10} {'scan':>7} {'read':>7} {'index':>7} {'outline':>8} {'analyse':>8} "
          f"{'peak RSS':>9}")
    for count in args.notes:
        with tempfile.TemporaryDirectory() as tmp:
            vault = os.path.join(tmp, "vault")
            generate(Path(vault), count)
            wall = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                done = subprocess.run(command + [vault], capture_output=True)
                wall.append(time.perf_counter() - start)
                if done.returncode not in (0, 1):
                    sys.exit(f"check failed: {done.stderr.decode()}")
            stages = stage_times(vault)
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{count:>6} {statistics.median(wall):>10.2f} {stages['scan']:>7.3f} {stages['read']:>7.3f} "
                  f"{stages['index']:>7.3f} {stages['outline']:>8.3f} {stages['analyse']:>8.3f} {peak:>7.0f} MB")


if __name__ == "__main__":
    main()
