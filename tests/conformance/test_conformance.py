"""Obsidian Markdown, case by case, through the real engines: the HTML and the PDF's text.

One vault holds every case as a chapter: ``cases.py`` (our own), ``ported.py`` (ported
from public suites, with attribution), ``found.py`` (found by the fuzz run, ``tests/fuzz``)
and ``nested.py`` (Obsidian's forms nested in each other). It is built once (HTML and PDF) and each case reads its own chapter of each output.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter

import pytest
import found
import nested
import ported
from cases import CASES as OWN_CASES
from cases import TARGETS as OWN_TARGETS
from cases import Case
from conftest import write_vault

from miena_book.config import BookConfig
from miena_book.pipeline import build, check_vault

ROOT = "Conformité"
# the nested cases last: the last chapter's HTML runs to the end of the book (footnotes
# included), and the last of them looks for no absence
CASES = [*OWN_CASES, *ported.PORTED, *found.FOUND, *nested.NESTED]
TARGETS = {**OWN_TARGETS, **ported.PORTED_TARGETS, **nested.PORTED_TARGETS}


def case_name(number: int) -> str:
    return f"Cas {number:03d}"


def case_note(number: int, case: Case) -> str:
    front = f'---\nparent: "[[{ROOT}]]"\norder: {number}\n{case.front}\n---\n'
    title = f"# {case_name(number)}\n\n"
    return front + title + case.body.replace("{self}", case_name(number)) + "\n"


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    files = {**TARGETS, f"{ROOT}.md": f"# {ROOT}\n\nLes cas de conformité.\n"}
    for number, case in enumerate(CASES, 1):
        files[f"Cas/{case_name(number)}.md"] = case_note(number, case)
    root = write_vault(tmp_path_factory.mktemp("conformance") / "vault", files)
    out = root.parent / "out"
    formats = ("html", "pdf") if shutil.which("pdftotext") else ("html",)
    result = build(str(root), BookConfig(title="Conformité"), str(out), formats)
    html = (out / "conformite.html").read_text(encoding="utf-8")
    pdf = ""
    if "pdf" in formats:
        pdf = subprocess.run(["pdftotext", str(out / "conformite.pdf"), "-"], capture_output=True, text=True).stdout
    return result, html, pdf, root


def html_chunk(html: str, number: int) -> str:
    """This case's chapter of the HTML: from its title to the next chapter's heading."""
    start = html.find(f">{case_name(number)}</h1>")
    end = html.find("<h1", start)
    return html[start:end if end > 0 else len(html)] if start >= 0 else ""


def pdf_chunk(text: str, number: int) -> str:
    """This case's pages of the PDF's text: from its title line to the next case's."""
    titles = [m.start() for m in re.finditer(rf"^{case_name(number)}$", text, re.MULTILINE)]
    body = titles[-1] if titles else -1  # the last: the TOC and relation lists come first
    following = re.search(rf"^{case_name(number + 1)}$", text[body + 1:], re.MULTILINE) if body >= 0 else None
    return text[body:body + 1 + following.start()] if following else text[body:]


def test_there_are_at_least_160_cases_over_every_category():
    by_category = Counter(case.category for case in CASES)
    assert len(CASES) >= 160
    assert {"links", "embeds", "blocks", "fields", "callouts", "comments", "highlight", "tags", "footnotes",
            "tables", "tasks", "strikethrough", "math", "code", "headings"} <= set(by_category)


@pytest.mark.parametrize("number,case", list(enumerate(CASES, 1)),
                         ids=[f"{c.category}: {c.name}" for c in CASES])
def test_case(book, number: int, case: Case):
    result, html, pdf, _ = book
    html_part = flat(html_chunk(html, number))
    assert html_part, f"{case_name(number)} is missing from the HTML"
    for expected in case.html:
        assert flat(expected) in html_part
    for unwanted in case.absent:
        assert flat(unwanted) not in html_part
    if case.pdf and pdf:
        pdf_part = flat(pdf_chunk(pdf, number))
        for expected in case.pdf:
            assert flat(expected) in pdf_part
    path = f"Cas/{case_name(number)}.md"
    found = sorted({d.code for d in result.diagnostics if d.path == path})
    assert found == sorted(set(case.codes))


def test_embedded_headings_are_not_in_the_table_of_contents(book):
    html = book[1]
    contents = html[html.find('<nav id="TOC"'):html.find("</nav>")]
    # "📌 Première partie" is a heading of Cible, embedded by several cases: listed once, at Cible
    assert contents.count("Première partie") == 1


ANALYSED = ("link.", "embed.", "cite.", "code.", "field.", "structure.")


def analysed(diagnostics) -> set[tuple]:
    return {(d.code, d.path, d.line, d.message) for d in diagnostics if d.code.startswith(ANALYSED)}


def test_check_reports_every_link_embed_and_citation_diagnostic_build_reports(book):
    result, _, _, root = book
    checked = check_vault(str(root), BookConfig(title="Conformité"))
    built = analysed(result.diagnostics)
    assert built, "the conformance vault has broken links: build must report them"
    assert analysed(checked.diagnostics) == built


_WORD = re.compile(r"[^\W\d_]{4,}")


def words_of_html(chunk: str) -> set[str]:
    """The words a reader sees in a case's HTML chunk (tags, scripts and styles left out)."""
    import html as html_module

    text = re.sub(r"<(script|style|svg|math)\b.*?</\1>", " ", chunk, flags=re.S)
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", text))
    return set(_WORD.findall(text))


def test_every_word_of_each_case_reaches_the_pdf(book):
    """What the HTML of a case shows, its PDF pages show too: the same text in both formats."""
    _, html, pdf, _ = book
    if not pdf:
        pytest.skip("pdftotext is not installed")
    pdf = re.sub(r"[-\u2010\u00ad]\n", "", pdf)  # words hyphenated at a line's end
    missing = {}
    for number, _case in enumerate(CASES, 1):
        # casefolded: the stylesheets set some labels in capitals
        seen = {word.casefold() for word in _WORD.findall(pdf_chunk(pdf, number))}
        lost = {word for word in words_of_html(html_chunk(html, number)) if word.casefold() not in seen}
        if lost:
            missing[f"{case_name(number)} ({_case.name})"] = sorted(lost)[:8]
    assert not missing, missing
