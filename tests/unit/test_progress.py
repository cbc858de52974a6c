"""The progress line: on a terminal only, never in CI logs, cleared at the end."""

import io

from miena_book.progress import TerminalProgress, wants_progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert wants_progress(FakeTerminal(), quiet=False)
    assert not wants_progress(FakeTerminal(), quiet=True)
    assert not wants_progress(io.StringIO(), quiet=False)
    monkeypatch.setenv("CI", "true")
    assert not wants_progress(FakeTerminal(), quiet=False)


def test_progress_names_each_stage_with_its_step_and_clears_the_line():
    screen = FakeTerminal()
    progress = TerminalProgress(["read", "assemble", "pdf"], screen)
    progress("read")
    progress("pdf")
    progress.close()
    shown = screen.getvalue()
    assert "[1/3] reading the vault…" in shown
    assert "[3/3] laying out the PDF (WeasyPrint)…" in shown
    assert shown.endswith("\r\x1b[2K")
