"""The bounded pandoc runner: arguments and input bytes in, output bytes out.

``run_pandoc`` takes pandoc's command-line arguments and the bytes to give it on standard
input and returns what pandoc wrote on standard output, or raises `PandocError` saying
why it failed or was stopped. Every run has a time and a memory limit, both growing with
the size of its input, and runs with ``--sandbox`` (pandoc opens no file and no URL)
unless the caller says it cannot. It is used by the readers (``bibliography.files`` reads
``.bib`` files through it) and by the writers (``export.pandoc``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

import pypandoc

TIMEOUT_SECONDS = 300
# pandoc's own heap limit (+RTS -M): 3 GB, or more for a large book (pandoc holds about 150
# times its input while reading Markdown), never more than 60% of the machine's memory.
MIN_HEAP_MB = 3072
HEAP_PER_INPUT_BYTE = 150
MAX_HEAP_SHARE = 0.6


class PandocError(Exception):
    """Pandoc failed or ran out of time; the message says which and why."""


def pandoc_path() -> str:
    return pypandoc.get_pandoc_path()


def heap_limit_mb(input_bytes: int) -> int:
    try:
        physical_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        physical_mb = 8192
    wanted = max(MIN_HEAP_MB, HEAP_PER_INPUT_BYTE * input_bytes // (1024 * 1024))
    return max(1024, min(wanted, int(physical_mb * MAX_HEAP_SHARE)))


def run_pandoc(args: Sequence[str], stdin: bytes, sandbox: bool = True) -> bytes:
    heap = heap_limit_mb(len(stdin))
    timeout = TIMEOUT_SECONDS * max(1, len(stdin) // (50 * 1024 * 1024) + 1)  # more time for a larger book
    command = [pandoc_path(), *(["--sandbox"] if sandbox else []), *args, "+RTS", f"-M{heap}m", "-RTS"]
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise PandocError(f"pandoc took more than {timeout} s and was stopped") from None
    if done.returncode != 0:
        raise PandocError(f"pandoc failed ({done.returncode}): {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout
