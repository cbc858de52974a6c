"""The pipeline: the stages of a run, one after another, top to bottom.

``load_vault`` reads a folder into notes (scan, read); ``check_vault`` adds the name index
and the outline. Each stage returns plain data and diagnostics; this module only chains
them, so what a run does can be read here in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .config import BookConfig
from .diagnostics import Diagnostic, warning, without_silenced
from .model import Attachment, Outline, Vault
from .names import NameIndex
from .outline import build_outline
from .slugs import ascii_slug
from .vault.read import read_note
from .vault.scan import scan


@dataclass(frozen=True)
class CheckResult:
    vault: Vault
    index: NameIndex
    outline: Outline
    diagnostics: tuple[Diagnostic, ...]


def load_vault(vault_dir: str, config: BookConfig | None = None) -> Vault:
    """Steps 1 and 2: find the files, then read and check every note."""
    config = config or BookConfig()
    found = scan(vault_dir, [*config.ignore, f"/{config.overrides}/**"])
    diagnostics = list(found.diagnostics)
    notes = []
    for path in found.notes:
        note, findings = read_note(vault_dir, path)
        diagnostics.extend(findings)
        if note is not None:
            notes.append(note)
    attachments = tuple(Attachment(p) for p in found.attachments)
    return Vault(os.path.abspath(vault_dir), tuple(notes), attachments, tuple(diagnostics))


def check_vault(vault_dir: str, config: BookConfig | None = None,
                config_diagnostics: tuple[Diagnostic, ...] = ()) -> CheckResult:
    """Steps 1 to 4: read the vault, index its names and lay out the book."""
    config = config or BookConfig()
    vault = load_vault(vault_dir, config)
    index = NameIndex(vault.notes)
    folder_name = os.path.basename(os.path.abspath(vault_dir))
    outline = build_outline(vault.notes, index, config, folder_name)
    diagnostics = without_silenced(config_diagnostics + vault.diagnostics + outline.diagnostics, config.silence)
    return CheckResult(vault, index, outline, tuple(diagnostics))


# --- the build: steps 5 to 9 ------------------------------------------------------------

FORMATS = ("pdf", "epub", "html")
_PAGE_SIZES = {"letter": "letter", "a4": "A4", "a5": "A5", "6x9in": "6in 9in"}
_WORDS = {"fr": {"contents": "Table des matières"}, "en": {"contents": "Contents"}}


@dataclass(frozen=True)
class BuildResult:
    written: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    timings: tuple[tuple[str, float], ...]


def _page_size(config: BookConfig) -> str:
    if config.page_size != "auto":
        return _PAGE_SIZES[config.page_size]
    return "letter" if config.language in ("fr-CA", "en-US") else "A4"


def _book_metadata(config: BookConfig, outline: Outline) -> dict:
    import datetime as dt

    from . import __version__

    title = config.title or outline.root.title
    language = config.language.split("-")[0].lower()
    return {
        "title": title, "subtitle": config.subtitle, "authors": list(config.authors),
        "language": config.language, "date": config.date or dt.date.today().isoformat(),
        "edition": config.version, "version": __version__, "keywords": [],
        "words": _WORDS.get(language, _WORDS["en"]),
    }


def _write_bytes(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _write_atomically(target: str, produce) -> None:
    """Write through a temporary file in the same folder, then move it into place."""
    import tempfile

    folder = os.path.dirname(target) or "."
    handle, temporary = tempfile.mkstemp(prefix=".partial-", suffix=os.path.splitext(target)[1], dir=folder)
    os.close(handle)
    try:
        produce(temporary)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def build(vault_dir: str, config: BookConfig, out_dir: str, formats=FORMATS,
          config_diagnostics: tuple[Diagnostic, ...] = (), progress=lambda stage: None) -> BuildResult:
    """Compile the vault into the handbook, one artifact per format, written atomically."""
    # Imported here, not at the top: WeasyPrint and pandoc take a while to load and
    # `check` and `tree`, which share this module, need neither.
    import tempfile
    import time

    from .assemble import chapters, link_targets, make_environment, render_markdown
    from .assets import AssetStore
    from .export import pandoc
    from .export.pdf import write_pdf
    from .resources import stylesheet, template_loader
    from .transform import NoteTransformer

    timings: list[tuple[str, float]] = []
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings.append((stage, now - clock))
        clock = now

    progress("read")
    checked = check_vault(vault_dir, config, config_diagnostics)
    lap("read")
    progress("assemble")
    assets = AssetStore(checked.vault)
    transformer = NoteTransformer(checked.index, link_targets(checked.outline), assets.data_uri)
    items, found = chapters(checked.outline, transformer)
    diagnostics = list(checked.diagnostics) + without_silenced(found, config.silence)
    book = _book_metadata(config, checked.outline)
    env = make_environment(template_loader(vault_dir, config.overrides))
    markdown = render_markdown(env, book, items)
    lap("assemble")
    progress("pandoc")
    ast = pandoc.read_markdown(markdown)
    lap("pandoc read")
    os.makedirs(out_dir, exist_ok=True)
    stem = os.path.join(out_dir, ascii_slug(book["title"], fallback="handbook"))
    written = []
    lang_args = ["-M", f"lang={config.language}", "-M", f"title={book['title']}"]
    if "html" in formats:
        progress("html")
        with tempfile.TemporaryDirectory() as tmp:
            header = os.path.join(tmp, "style.html")
            with open(header, "w", encoding="utf-8") as handle:
                handle.write("<style>\n" + stylesheet(vault_dir, config.overrides, "screen.css") + "\n</style>\n")
            html = pandoc.write(ast, "html5", ["--standalone", "--toc", "--toc-depth=3", "-H", header, *lang_args])
        _write_atomically(stem + ".html", lambda path: _write_bytes(path, html))
        written.append(stem + ".html")
        lap("html")
    if "epub" in formats:
        progress("epub")
        with tempfile.TemporaryDirectory() as tmp:
            css = os.path.join(tmp, "epub.css")
            with open(css, "w", encoding="utf-8") as handle:
                handle.write(stylesheet(vault_dir, config.overrides, "epub.css"))
            meta_args = [*lang_args, "-M", f"date={book['date']}"]
            for author in book["authors"]:
                meta_args += ["-M", f"author={author}"]
            if book["subtitle"]:
                meta_args += ["-M", f"subtitle={book['subtitle']}"]
            epub = pandoc.write(ast, "epub3", ["--split-level=1", "--toc", "--toc-depth=3", "--css", css,
                                               *meta_args, "-o", "-"], sandbox=False)
        _write_atomically(stem + ".epub", lambda path: _write_bytes(path, epub))
        written.append(stem + ".epub")
        lap("epub")
    if "pdf" in formats:
        progress("pdf")
        fragment = pandoc.write(ast, "html5").decode("utf-8")
        toc = [{"title": c.title, "anchor": c.anchor, "level": c.level} for c in items if c.level <= 3]
        page_css = f"@page {{ size: {_page_size(config)}; }}"
        print_html = env.get_template("print.html.j2").render(book=book, toc=toc, body=fragment)
        glyphs: list[str] = []
        _write_atomically(stem + ".pdf", lambda path: write_pdf(
            print_html, [stylesheet(vault_dir, config.overrides, "print.css"), page_css], path, glyphs))
        for message in dict.fromkeys(glyphs):
            diagnostics.append(warning("pdf.glyph", message))
        written.append(stem + ".pdf")
        lap("pdf")
    return BuildResult(tuple(written), tuple(diagnostics), tuple(timings))
