"""``python -m fuzz`` (from ``tests/``; ``make fuzz``): the long fuzz run.

Draws vaults until ``--vaults`` were tried or ``--minutes`` have passed, prints how many
vaults and notes were tried, the slowest, and every failure shrunk to its smallest vault;
the failures are also written under ``--failures`` (a ``vault/`` folder and its
``violations.txt`` each). Exit status 1 when anything was found.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .runner import fuzz, summary


def main() -> int:
    parser = argparse.ArgumentParser(prog="make fuzz", description=__doc__.split("\n\n")[1])
    parser.add_argument("--vaults", type=int, default=2000, help="vaults to try (default 2000)")
    parser.add_argument("--minutes", type=float, default=60, help="time budget (default 60)")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="base seed (default: the clock)")
    parser.add_argument("--jobs", type=int, default=2, help="vaults tried at once (default 2)")
    parser.add_argument("--notes", type=int, default=8, help="most notes a vault holds besides its root (default 8)")
    parser.add_argument("--pdf-every", type=int, default=10, help="build the PDF of one vault in N (default 10)")
    parser.add_argument("--repeat-every", type=int, default=5,
                        help="build one vault in N three times, for reproducibility (default 5)")
    parser.add_argument("--most-failures", type=int, default=5,
                        help="failures a job may find before it stops (default 5)")
    parser.add_argument("--shrink-minutes", type=float, default=10,
                        help="time Hypothesis may spend shrinking one failure (default 10)")
    parser.add_argument("--failures", type=Path, default=Path("build/fuzz-failures"),
                        help="where shrunk failures are written (default build/fuzz-failures)")
    options = parser.parse_args()
    print(f"fuzz: seed {options.seed}, up to {options.vaults} vaults in {options.minutes:g} min, "
          f"{options.jobs} at a time", flush=True)
    report = fuzz(options.vaults, options.minutes, options.seed, jobs=options.jobs, pdf_every=options.pdf_every,
                  repeat_every=options.repeat_every, failures_dir=options.failures.resolve(),
                  most_notes=options.notes, most_failures=options.most_failures, progress=True,
                  shrink_minutes=options.shrink_minutes)
    print(summary(report))
    if report.failures:
        print(f"fuzz: failures written under {options.failures}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
