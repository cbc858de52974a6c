"""The command line as a user runs it: ``miena-book …`` as a subprocess, bounded in time.

Shared by the hostile corpus and the fuzz run. The environment is the caller's without
its proxies (a proxy would take requests meant for a test's listener, which would then
see nothing), with ``CI=1`` (no progress line) and whatever the caller adds.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ENTRY_POINT = Path(sys.executable).with_name("miena-book")
CLI = [str(ENTRY_POINT)] if ENTRY_POINT.exists() else [sys.executable, "-m", "miena_book.cli"]
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
DIAGNOSTIC_CODE = re.compile(r"\[([a-z0-9-]+(?:\.[a-z0-9-]+)+)\]$")


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    status: int | None  # None: stopped by the timeout
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def codes(self) -> list[str]:
        """The diagnostic codes printed, each once, in order."""
        found = (DIAGNOSTIC_CODE.search(line) for line in self.output.splitlines())
        return list(dict.fromkeys(match.group(1) for match in found if match))

    def describe(self) -> str:
        return f"miena-book {' '.join(self.args)} -> {self.status} in {self.seconds:.1f} s\n{self.output[-4000:]}"


def run_command(command: list[str], *args: str, cwd: Path, timeout: float, env: dict[str, str] | None = None) -> Run:
    """``command`` (``CLI``, or a launcher of it) with ``args``, in ``cwd``."""
    environment = {key: value for key, value in os.environ.items() if key not in PROXY_VARIABLES}
    environment.update(CI="1", **(env or {}))
    started = time.perf_counter()
    try:
        done = subprocess.run([*command, *args], cwd=cwd, env=environment, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as stopped:
        return Run(args, None, (stopped.stdout or b"").decode("utf-8", "replace"),
                   f"timed out after {timeout} s", time.perf_counter() - started)
    return Run(args, done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"),
               time.perf_counter() - started)
