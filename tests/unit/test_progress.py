"""The progress line: on a terminal only, never in CI logs, cleared at the end."""

import io
import re

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


def test_the_pdf_stage_shows_its_units_laid_out_and_those_from_the_cache(tmp_path):
    """A real build on a fake terminal: the line counts the PDF's units as they are done."""
    from conftest import note, write_vault

    from miena_book.config import BookConfig
    from miena_book.pipeline import build, build_stages

    vault = write_vault(tmp_path / "vault", {
        "Racine.md": note("# Racine\n\nTexte.\n", child=["[[Un]]"]),
        "Un.md": note("# Un\n\nAutre texte.\n", parent="[[Racine]]"),
    })
    for run in ("cold", "warm"):
        screen = FakeTerminal()
        progress = TerminalProgress(build_stages(("pdf",)), screen)
        (vault / "Un.md").write_text(note(f"# Un\n\nTexte {run}.\n", parent="[[Racine]]"), encoding="utf-8")
        build(str(vault), BookConfig(), str(tmp_path / "out"), ("pdf",), progress=progress,
              cache_dir=str(tmp_path / "cache"))
        progress.close()
        shown = screen.getvalue()
        # the front matter and one unit for the two short chapters, all laid out in the end
        assert re.search(r"laying out the PDF \(WeasyPrint\) \(units (\d+)/\1\b", shown), shown
    assert "from the cache)" in shown  # the second build took the unchanged units from the cache
