"""Progress: one self-updating line on a terminal naming the stage being run (and, for the
PDF, how many of its units are laid out and how many came from the cache).

``TerminalProgress`` is used only when standard error is a terminal and the run is not in
CI (the ``CI`` variable, set by GitHub Actions, GitLab and the rest): logs get the
summary at the end and nothing else. A background thread redraws the line every tenth of
a second so that a long stage (the PDF layout of a big book) shows its time running.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TextIO

STAGE_LABELS = {
    "cache": "looking for an unchanged book in the cache",
    "read": "reading the vault",
    "assemble": "assembling the book",
    "pandoc read": "parsing the book (pandoc)",
    "citeproc": "formatting citations and the bibliography",
    "html": "writing the HTML",
    "epub": "writing the EPUB",
    "pdf": "laying out the PDF (WeasyPrint)",
}
_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def wants_progress(stream: TextIO, quiet: bool) -> bool:
    return not quiet and stream.isatty() and not os.environ.get("CI")


class TerminalProgress:
    """Call with each stage name as it starts; ``close()`` clears the line."""

    def __init__(self, stages: list[str], stream: TextIO = sys.stderr):
        self.stages = stages
        self.stream = stream
        self.current: str | None = None
        self.details = ""
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._redraw_until_stopped, daemon=True)
        self._thread.start()

    def __call__(self, stage: str) -> None:
        with self._lock:
            self.current = stage
            self.details = ""
            self.started = time.monotonic()
        self._draw()

    def detail(self, text: str) -> None:
        """What the stage running has done so far ("units 3/12, 9 from the cache")."""
        with self._lock:
            self.details = text
        self._draw()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.stream.write("\r\x1b[2K")
        self.stream.flush()

    def _redraw_until_stopped(self) -> None:
        while not self._stop.wait(0.1):
            self._draw()

    def _draw(self) -> None:
        with self._lock:
            if self.current is None:
                return
            step = self.stages.index(self.current) + 1 if self.current in self.stages else 0
            elapsed = time.monotonic() - self.started
            spinner = _SPINNER[int(elapsed * 10) % len(_SPINNER)]
            label = STAGE_LABELS.get(self.current, self.current)
            shown = f" ({self.details})" if self.details else ""
            self.stream.write(f"\r\x1b[2K{spinner} [{step}/{len(self.stages)}] {label}{shown}… {elapsed:4.1f} s")
            self.stream.flush()
