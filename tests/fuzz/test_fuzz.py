"""The fuzz run in the suite: a seeded, deterministic few hundred generated vaults.

``test_generated_vaults_hold_every_invariant`` tries ``SUITE_VAULTS`` vaults drawn from a
fixed seed through ``check`` and ``build`` (the PDF on one in ten, three builds on one in
six) and fails with the shrunk vault and its violations. The other tests keep the harness
honest: the generator really draws the forms it claims to, and each invariant reports a
violation when one is planted in real outputs (an invariant that cannot fail proves nothing).
"""

from __future__ import annotations

import os
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, seed, settings

from . import invariants as inv
from .runner import fuzz, read_outputs, summary, try_vault, write
from .vaults import GeneratedNote, GeneratedVault, vaults

SUITE_VAULTS = int(os.environ.get("MIENA_FUZZ_VAULTS", "200"))
SUITE_SEED = 20261201


def test_generated_vaults_hold_every_invariant(tmp_path):
    report = fuzz(SUITE_VAULTS, minutes=12, base_seed=SUITE_SEED, jobs=2, pdf_every=10, repeat_every=6,
                  failures_dir=tmp_path)
    print(summary(report))
    assert not report.failures, summary(report)
    assert report.vaults == SUITE_VAULTS, f"only {report.vaults} vaults in the time budget"
    assert report.pdf >= SUITE_VAULTS // 10 and report.repeated >= SUITE_VAULTS // 6


# --- the generator draws what it claims ----------------------------------------------------

def drawn_sample(count: int = 150) -> list[GeneratedVault]:
    found = []

    @seed(SUITE_SEED)
    @settings(max_examples=count, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(vaults())
    def collect(vault):
        found.append(vault)

    collect()
    return found


FORMS = {
    "callout in a callout": "> > [!", "code in a callout": "> ````", "code in a list": "  ````",
    "tilde code": "~~~", "indented code": "\n\n    ", "table": "|:--", "footnote": "[^1]: ",
    "inline footnote": "^[", "math block": "$$\n", "embed of a heading": re.compile(r"!\[\[[^\]#]+#[^\]^]"),
    "embed of a block": re.compile(r"!\[\[[^\]#]+#\^bloc"), "block link": "#^bloc",
    "labelled link": "|voir", "link in a table": "\\|", "inline field": ":: ", "tag": "#miena/",
    "highlight": "==", "comment": "%%", "citation": "[@", "HTML": "<span>", "task": "[x] ",
    "folded callout": "]-", "emoji heading": "# 📌", "setext heading": "Titre souligné", "price": " $ zq",
    "entity": "&eacute;", "escape": "\\*pas", "self-embed": "![[Manuel MIENA]]", "literature link": "[[@",
    "footnote of two paragraphs": "\n\n    Suite",
}


def test_the_generator_draws_every_form_and_every_damage():
    sample = drawn_sample()
    bodies = [note.text() for vault in sample for note in vault.notes]
    missing = [form for form, mark in FORMS.items()
               if not any((mark.search(body) if isinstance(mark, re.Pattern) else mark in body) for body in bodies)]
    assert not missing, f"never drawn in {len(sample)} vaults: {missing}"
    notes = [note for vault in sample for note in vault.notes]
    encodings = Counter(note.encoding for note in notes)
    assert {"utf-8", "utf-8-sig", "crlf", "cp1252-line", "nul", "unclosed"} <= set(encodings)
    assert any(note.nfd for note in notes)
    chapters = [note for note in notes if not note.name.startswith(("DOC_", "@"))]
    assert any(not note.expected for note in chapters) and sum(note.expected for note in chapters) > len(chapters) / 2
    assert any(note.name.startswith("DOC_") for note in notes) and any(note.name.startswith("@") for note in notes)
    assert any(any(mark in note.name for mark in "@#'📌.") for note in notes)
    assert all(len(set(n.shown + n.hidden)) == len(n.shown + n.hidden) for n in notes), "sentinels repeat"


# --- each invariant can fail -----------------------------------------------------------------

def small_vault() -> GeneratedVault:
    root = GeneratedNote(0, "Manuel MIENA", "", front="", body="")
    child = GeneratedNote(1, "Chapitre", "", front='parent: "[[Manuel MIENA]]"\n')
    word, hidden = child.sentinel(), child.sentinel(hidden=True)
    child.code_blocks.append("x = [[pas un lien]]")
    child.code_spans.append("a == b")
    child.body = (f"# Chapitre\n\nTexte {word} %%{hidden}%%, `a == b`, [[Absente]].\n\n"
                  "```\nx = [[pas un lien]]\n```\n")
    root.body = "# Manuel MIENA\n\nIntroduction.\n"
    notes = [root, child]
    return GeneratedVault(notes, {note.path: note.data() for note in notes})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One small vault through the harness: it must pass, and its outputs are then damaged."""
    vault = small_vault()
    tried = try_vault(vault)
    assert tried.violations == [], tried.violations
    root = tmp_path_factory.mktemp("built")
    write(vault, root / "vault")
    from .runner import CLI, run
    build = run(CLI, "build", ".", "-o", "../out", "--format", "html,epub", cwd=root / "vault")
    check = run(CLI, "check", ".", "--format", "json", cwd=root / "vault")
    return vault, read_outputs(root / "out"), build, check


def test_a_lost_word_is_reported(built):
    vault, outputs, _, _ = built
    word = vault.notes[1].shown[0]
    _, in_book = inv.manifest_problems(vault, outputs)
    assert inv.lost_words(vault, in_book, outputs) == []
    lost = inv.Outputs(html=inv.page_text(outputs.html.markup.replace(word, "perdu")))
    assert any(word in problem and "HTML" in problem for problem in inv.lost_words(vault, in_book, lost))
    # lost in its own chapter, present elsewhere (as an embedded copy would be): still lost
    moved = inv.Outputs(html=inv.page_text(outputs.html.markup.replace(word, "perdu")
                                           .replace("<h1", f"<p>{word}</p><h1", 1)))
    assert [p for p in inv.lost_words(vault, in_book, moved) if word in p] == [
        f"Chapitre.md: {word} is missing from its chapter of the HTML"]


def test_a_left_out_note_is_reported(built):
    vault, outputs, _, _ = built
    manifest = {**outputs.manifest, "notes": [n for n in outputs.manifest["notes"] if n["path"] != "Chapitre.md"]}
    problems, _ = inv.manifest_problems(vault, inv.Outputs(manifest=manifest))
    assert problems == ["Chapitre.md: in no list of the manifest (neither in the book nor left out)"]
    manifest = {**outputs.manifest, "notes": [{**n, "in_book": False, "reason": "x"} if n["path"] == "Chapitre.md"
                                              else n for n in outputs.manifest["notes"]]}
    problems, _ = inv.manifest_problems(vault, inv.Outputs(manifest=manifest))
    assert problems and "left out (x) though its parent names it" in problems[0]


def test_a_leaked_comment_is_reported(built):
    vault, outputs, _, _ = built
    hidden = vault.notes[1].hidden[0]
    leaked = inv.Outputs(html=inv.page_text(f"<p>{hidden}</p>"))
    assert inv.leaked_words(vault, outputs) == []
    assert inv.leaked_words(vault, leaked) == [f"Chapitre.md: {hidden}, inside a comment, shows in the HTML"]


def test_altered_code_is_reported(built):
    vault, outputs, _, _ = built
    _, in_book = inv.manifest_problems(vault, outputs)
    assert inv.altered_code(vault, in_book, outputs) == []
    changed = inv.Outputs(html=inv.page_text(outputs.html.markup.replace("pas un lien", "pas  un lien")
                                             .replace("<code>a == b</code>", "<code>a = b</code>")))
    problems = inv.altered_code(vault, in_book, changed)
    assert len(problems) == 2 and "code block" in problems[0] and "code span" in problems[1]
    hyphenated = inv.Outputs(pdf_text="x = [[pas un li\u2010\nen]] a == b")
    page_break = inv.Outputs(pdf_text="x = [[pas un lien]]\n\n5\n\fManuel\na == b")  # one line a page: fine
    assert inv.altered_code(vault, in_book, page_break) == []
    assert any("PDF" in problem for problem in inv.altered_code(vault, in_book, hyphenated))


def test_the_machinery_showing_is_reported(built):
    vault, outputs, _, _ = built
    assert inv.machinery(outputs, vault) == []
    for planted in ("[[Absente]]", "\\@dupont", "\\[1\\]", '<div class="note-body">'):
        shown = inv.Outputs(html=inv.page_text(f"<p>{planted}</p>"))
        assert inv.machinery(shown, vault), planted
    assert inv.machinery(inv.Outputs(html=inv.page_text("<pre><code>[[x]] \\@</code></pre>")), vault) == []


def test_diagnostics_outside_the_file_or_disagreeing_are_reported(built):
    vault, _, build, check = built
    checked, bad = inv.parse_json_diagnostics(check.stdout)
    built_found, bad_build = inv.parse_text_diagnostics(build.output, "build")
    assert not bad and not bad_build
    assert inv.audited(checked) == inv.audited(built_found) != Counter()
    doubled = inv.audited(built_found) + inv.audited(built_found[:1])
    assert doubled != inv.audited(checked)  # one more time is a disagreement too
    assert inv.diagnostics_problems(checked, inv.line_counts(vault), "check") == []
    moved = [inv.Found(f.code, f.path, 99, f.message) for f in checked]
    assert any("past the file's" in p for p in inv.diagnostics_problems(moved, inv.line_counts(vault), "check"))
    found, bad = inv.parse_text_diagnostics("Chapitre.md:3: warning: sans code\n", "build")
    assert bad and not found


def test_a_rebuild_with_other_bytes_says_where_they_part(tmp_path):
    import zipfile

    from .runner import digests, what_differs

    def epub(folder, chapter: str, stamp=(2026, 1, 1, 0, 0, 0)):
        folder.mkdir()
        with zipfile.ZipFile(folder / "book.epub", "w") as out:
            out.writestr(zipfile.ZipInfo("mimetype", date_time=stamp), "application/epub+zip")
            out.writestr(zipfile.ZipInfo("EPUB/text/ch001.xhtml", date_time=(2026, 1, 1, 0, 0, 0)), chapter)
        (folder / "book.manifest.json").write_text('{\n  "sha256": "' + chapter + '"\n}\n')
        return folder

    first = epub(tmp_path / "first", "<p>un</p>")
    other = epub(tmp_path / "other", "<p>deux</p>", stamp=(2026, 1, 1, 0, 0, 2))
    said = what_differs(first, other, digests(first), digests(other))
    assert "book.epub/EPUB/text/ch001.xhtml: line 1: '<p>un</p>' against '<p>deux</p>'" in said
    assert "book.epub/mimetype: same data, other entry" in said
    assert "book.manifest.json: line 2:" in said
    assert what_differs(first, first, digests(first), digests(first)) == ""
