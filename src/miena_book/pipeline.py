"""The pipeline: the stages of a run, one after another, top to bottom.

``load_vault`` reads a folder into notes (1. scan, 2. read); ``check_vault`` adds the name
index, the outline, the library of cited works, and 3. parses and 4. analyses the text
that reaches the book: every note's facts, and every link, embed and citation checked by
the resolver the transform will use (``audit``). ``build`` goes on: 5. each note
transformed by the book rules into its own blocks, 6. assembled through the templates
(pandoc reads the templates' Markdown; each note's blocks go into their slot), citeproc
once, the typography of the book's language (``export.typography``), 7. one writer per
format (the PDF's units laid out by worker processes while the HTML and the EPUB are
written), each artifact written atomically, and 8. the manifest. A build whose every input
is unchanged is written from the cache (``cache``) without any of this. Each stage
returns plain data and diagnostics; this module only chains them, so what a run does can
be read here in one place.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, fields, replace

from .analyse import FactStore
from .assets import AssetStore
from .audit import audit_book
from .bibliography.library import Library, build_library, style_path
from .config import BookConfig
from .diagnostics import Diagnostic, Sink, error
from .links import Resolver, note_anchor
from .model import Attachment, Book, Note, Outline, Vault, Words
from .names import NameIndex
from .outline import build_outline
from .relations import Relation, note_relations
from .slugs import ascii_slug
from .export.ast import DEEP_STACK_BYTES, SharedLeaves, with_deep_recursion
from .index import index_problems
from .export.typography import french_spacing, typeset
from .vault.profile import read_output_profile
from .vault.read import read_note
from .vault.scan import scan


@dataclass(frozen=True)
class Analysis:
    """What steps 3 and 4 know of the book: parsed notes, facts, the resolver, relations."""

    store: FactStore
    resolver: Resolver
    assets: AssetStore  # the vault's attachments: found by the resolver, read by the transform
    library: Library
    style: str | None  # the CSL file, when citations are formatted
    in_book: tuple[tuple[int, Note], ...]  # (depth, note) in book order
    anchors: dict[str, str]  # note path -> its anchor
    relations: dict[str, list[Relation]]  # note path -> what it declares


@dataclass(frozen=True)
class CheckResult:
    vault: Vault
    index: NameIndex
    outline: Outline
    diagnostics: tuple[Diagnostic, ...]
    analysis: Analysis | None = None


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
                config_diagnostics: tuple[Diagnostic, ...] = (), cache=None) -> CheckResult:
    """Steps 1 to 4: read the vault, index its names, lay out the book, parse and analyse
    the text that reaches it (each note's tree kept in ``cache``, when given)."""
    config = config or BookConfig()
    sink = Sink(config.silence)
    sink.extend(config_diagnostics)
    vault = load_vault(vault_dir, config)
    sink.extend(vault.diagnostics)
    index = NameIndex(vault.notes)
    folder_name = os.path.basename(os.path.abspath(vault_dir))
    if not vault.notes:
        outline = build_outline((), index, config, folder_name)
        sink.append(error("vault.empty", f"no note (.md file) in '{folder_name}': there is no book to make; "
                          "is this the vault's folder?"))
        return CheckResult(vault, index, outline, sink.diagnostics)
    outline = build_outline(vault.notes, index, config, folder_name)
    sink.extend(outline.diagnostics)
    sink.extend(read_output_profile(vault_dir, config)[1])  # the PDF/X output intent
    # a note nested hundreds deep parses with a deep stack (parse.tree bounds what is printed)
    analysis, found = with_deep_recursion(lambda: _analyse(vault_dir, vault, index, outline, config, cache))
    sink.extend(found)
    return CheckResult(vault, index, outline, sink.diagnostics, analysis)


def _analyse(vault_dir: str, vault: Vault, index: NameIndex, outline: Outline,
             config: BookConfig, cache=None) -> tuple[Analysis, list[Diagnostic]]:
    """Steps 3 and 4: the library, then every note of the book parsed, its facts read and
    its links, embeds and citations checked."""
    in_book = tuple((depth, node.note) for depth, node in outline.walk() if node.note is not None)
    library = build_library(vault_dir, vault.notes, config)
    style, style_problems = style_path(vault_dir, config.csl) if library.references else (None, [])
    formatting = style is not None  # a library and a style: citations are formatted
    anchors = {note.path: note_anchor(note) for _, note in in_book}
    store = FactStore(cache)
    footnote = _words(config).outside_note if config.outside_links == "footnote" else None
    assets = AssetStore(vault)
    resolver = Resolver(index, store.facts, anchors, assets.find, assets.refusal,
                        source_keys=library.note_keys if formatting else {},
                        source_links=config.source_links,
                        # without a style, known keys stay as written and unwarned
                        citation_keys=frozenset(library.keys) if formatting or not library.references else None,
                        outside_footnote=footnote)
    notes = [note for _, note in in_book]
    found = [*library.diagnostics, *style_problems, *audit_book(notes, store, resolver, index, config.embed_depth),
             *index_problems(notes, config)]
    relations = {note.path: note_relations(note, store.facts(note), index, resolver.find_attachment)[0]
                 for note in notes}
    return Analysis(store, resolver, assets, library, style, in_book, anchors, relations), found


# --- the build: steps 5 to 8 ------------------------------------------------------------

FORMATS = ("pdf", "epub", "html")


def _french(words: Words) -> Words:
    """The book's own words with French spacing, as the text around them gets it."""
    return replace(words, **{name.name: french_spacing(getattr(words, name.name)) for name in fields(words)})


_WORDS = {
    "fr": _french(Words(contents="Table des matières", edition="Édition", colon="\u00a0:",
                        relations="Relations", source="Source", references="Références",
                        outside_note="« {title} » : note du répertoire qui ne figure pas dans ce livre.")),
    "en": Words(contents="Contents", edition="Edition", colon=":", relations="Relations",
                source="Source", references="References",
                outside_note="“{title}”: a note of the vault that is not in this book."),
}


class BuildError(Exception):
    """A stage of the build failed; the message names the stage and why. Nothing was written
    for that format, and the previous artifacts are untouched."""


@dataclass(frozen=True)
class BuildResult:
    written: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    timings: tuple[tuple[str, float], ...]
    pdf: dict | None = None  # the PDF's pages, standard and faces (family -> characters drawn)
    units: object | None = None  # export.layout.UnitsReport: how the PDF's units were made
    from_cache: bool = False  # nothing had changed: the artifacts are the cache's


def build_stages(formats) -> list[str]:
    """The stages a build with these formats runs, in order (for progress displays). The PDF's
    layout starts before the HTML and the EPUB are written and is waited for after them: a
    display shows "pdf" first, then again at the end."""
    return ["cache", "read", "assemble", "pandoc read", "citeproc",
            *(f for f in ("pdf", "html", "epub") if f in formats)]


def _words(config: BookConfig) -> Words:
    return _WORDS.get(config.language.split("-")[0].lower(), _WORDS["en"])


def _book_metadata(config: BookConfig, outline: Outline, day: str, bibliography: bool) -> Book:
    from . import __version__

    return Book(title=config.title or outline.root.title, subtitle=config.subtitle, authors=tuple(config.authors),
                language=config.language, date=config.date or day, edition=config.version, version=__version__,
                keywords=tuple(config.keywords), identifier=config.identifier, words=_words(config),
                bibliography=bibliography)


def _write_bytes(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _read_umask() -> int:
    """The process's umask, read once while nothing else runs (reading it means setting it)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


class _Partial:
    """An artifact being written: a temporary file beside its target (so that the move is
    atomic), moved into place by `commit`, removed by `discard`."""

    def __init__(self, target: str):
        import tempfile

        self.target = target
        folder = os.path.dirname(target) or "."
        handle, self.path = tempfile.mkstemp(prefix=".partial-", suffix=os.path.splitext(target)[1], dir=folder)
        os.close(handle)

    def commit(self) -> None:
        # mkstemp makes the file private (0600); an artifact gets the usual rights (0644 under
        # the common umask), like any file the user writes
        os.chmod(self.path, 0o666 & ~_UMASK)
        os.replace(self.path, self.target)

    def discard(self) -> None:
        if os.path.exists(self.path):
            os.unlink(self.path)


def _write_atomically(target: str, produce) -> None:
    """Write through a temporary file in the same folder, then move it into place."""
    partial = _Partial(target)
    try:
        produce(partial.path)
        partial.commit()
    except BaseException:
        partial.discard()
        raise


# How much lower than the PDF's layout the EPUB and HTML writers run (a nice increment)
WRITERS_BELOW_LAYOUT = 10


def _yield_to_layout() -> None:
    """The calling thread, and the pandoc processes it starts, made to yield the cores to
    the PDF's worker and merge processes: the EPUB and the HTML are written beside the
    layout, on the cores it leaves idle, not at the cost of its critical path (after an
    edit, the one unit laid out and the merge after it, which would otherwise share the
    machine's cores with the writers' walks and pandoc runs).

    On Linux a thread's nice value is its own (and a process inherits its starter thread's);
    elsewhere it is the whole process's, the layout's coordinating thread and the merge
    process it starts included: there the writers keep their priority."""
    if sys.platform.startswith("linux"):
        try:
            os.nice(WRITERS_BELOW_LAYOUT)
        except OSError:  # refused by a sandbox: the same build, at the same priority
            pass


class _Background:
    """A stage run by a thread while the build goes on; `wait` gives a function that returns
    its result or raises what it raised (for `_stage` to name). ``below_layout``: the thread
    yields the cores to the PDF's layout (`_yield_to_layout`).

    ``run`` is called with ``args``, bound when the stage is created: a closure over the
    build's variables would read them when the thread gets to it, which under load (or
    below the layout) can be after the build has set them for the next stage."""

    def __init__(self, run, *args, below_layout: bool = False):
        import threading
        import time

        self.seconds = 0.0

        def work() -> None:
            if below_layout:
                _yield_to_layout()
            started = time.perf_counter()
            try:
                self._outcome = ("ok", run(*args))
            except BaseException as failure:  # handed to the build's thread, which raises it
                self._outcome = ("error", failure)
            self.seconds = time.perf_counter() - started

        self._thread = threading.Thread(target=work, daemon=True)
        # the build's deep stack (``with_deep_recursion``): the writers walk the AST too
        previous_stack = threading.stack_size(DEEP_STACK_BYTES)
        try:
            self._thread.start()
        finally:
            threading.stack_size(previous_stack)

    def wait(self):
        self._thread.join()
        kind, value = self._outcome

        def outcome():
            if kind == "error":
                raise value
            return value

        return outcome


def _write_epub_file(target: str, ast: dict, book: Book, stylesheet_text: str, cover, cache) -> None:
    from .export.epub import write_epub

    _write_bytes_atomically(target, write_epub(ast, book, stylesheet_text, cover, cache))


def _write_bytes_atomically(target: str, data: bytes) -> None:
    _write_atomically(target, lambda path: _write_bytes(path, data))


class _Stopwatch:
    def __init__(self, progress):
        import time

        self._now = time.perf_counter
        self.progress = progress
        self.timings: list[tuple[str, float]] = []
        self._stage: str | None = None
        self._since = self._now()

    def start(self, stage: str) -> None:
        self.stop()
        self._stage, self._since = stage, self._now()
        self.progress(stage)

    def record(self, stage: str, seconds: float) -> None:
        """A stage timed elsewhere (a thread's)."""
        self.timings.append((stage, seconds))

    def stop(self) -> None:
        """End the stage running; a stage met again (the PDF, started before the EPUB and the
        HTML and waited for after them) adds to its first time."""
        if self._stage is not None:
            spent = self._now() - self._since
            for index, (stage, seconds) in enumerate(self.timings):
                if stage == self._stage:
                    self.timings[index] = (stage, seconds + spent)
                    break
            else:
                self.timings.append((self._stage, spent))
            self._stage = None


def build(vault_dir: str, config: BookConfig, out_dir: str, formats=FORMATS,
          config_diagnostics: tuple[Diagnostic, ...] = (), progress=lambda stage: None, jobs: int | None = None,
          cache_dir: str | None = None, use_cache: bool = True) -> BuildResult:
    """Compile the vault into the handbook, one artifact per format, written atomically.

    ``jobs``: how many WeasyPrint workers lay the PDF's units out at once (default: one per
    core). ``cache_dir``: the cache's folder (default: ``$MIENA_BOOK_CACHE_DIR``, else
    ``.miena-cache`` in the vault);
    ``use_cache=False`` neither reads nor writes it. Whatever the path, the bytes written
    are the same. Raises `BuildError` when a stage fails; artifacts already moved into
    place stay.
    """
    # The stages are imported inside `_build`, not at the top: WeasyPrint and pandoc take a
    # while to load and `check` and `tree`, which share this module, need neither.
    from .cache import DEFAULT_FOLDER, Cache
    from .export.workers import default_jobs
    from .reproducible import fixed_date, source_date_epoch

    epoch = source_date_epoch(vault_dir)
    cache_dir = cache_dir or os.environ.get("MIENA_BOOK_CACHE_DIR") or os.path.join(vault_dir, DEFAULT_FOLDER)
    cache = Cache(cache_dir) if use_cache else None
    jobs = jobs or default_jobs()
    with fixed_date(epoch):
        return with_deep_recursion(
            lambda: _build_through_cache(vault_dir, config, out_dir, formats, config_diagnostics, progress, epoch,
                                         cache, jobs))


def _build_through_cache(vault_dir: str, config: BookConfig, out_dir: str, formats, config_diagnostics, progress,
                         epoch: int | None, cache, jobs: int) -> BuildResult:
    """The build, or its artifacts from the cache when nothing that shapes them changed."""
    import time

    from .cache import key_of, vault_digest

    if cache is None:
        return _build(vault_dir, config, out_dir, formats, config_diagnostics, progress, epoch, None, jobs)
    started = time.perf_counter()
    progress("cache")
    key = key_of("build", vault_digest(vault_dir, skip=(out_dir,)), _config_facts(config), sorted(formats),
                 [_diagnostic_facts(found) for found in config_diagnostics], epoch)
    hit = cache.get("build", key)
    if hit is not None:
        result = _replay(hit, out_dir, time.perf_counter() - started)
    else:
        result = _build(vault_dir, config, out_dir, formats, config_diagnostics, progress, epoch, cache, jobs)
        _store(cache, key, result)
    cache.prune()
    return replace(result, diagnostics=result.diagnostics + tuple(cache.diagnostics))


def _config_facts(config: BookConfig) -> dict:
    from dataclasses import asdict

    return {name: repr(value) for name, value in sorted(asdict(config).items())}


def _diagnostic_facts(found: Diagnostic) -> list:
    return [found.level.value, found.code, found.message, found.path, found.line]


def _store(cache, key: str, result: BuildResult) -> None:
    """A finished build's artifacts and what it said, as one cache entry."""
    files, payload = [], bytearray()
    for path in result.written:
        with open(path, "rb") as handle:
            data = handle.read()
        files.append([os.path.basename(path), len(data)])
        payload += data
    cache.put("build", key, {"files": files, "diagnostics": [_diagnostic_facts(d) for d in result.diagnostics],
                             "pdf": result.pdf}, bytes(payload))


def _replay(hit, out_dir: str, seconds: float) -> BuildResult:
    """The cached build's artifacts written again, each atomically."""
    from .diagnostics import Level

    facts, payload = hit
    os.makedirs(out_dir, exist_ok=True)
    written, offset = [], 0
    for name, size in facts["files"]:
        target = os.path.join(out_dir, name)
        data = payload[offset:offset + size]
        offset += size
        _stage("cache", lambda: _write_atomically(target, lambda path: _write_bytes(path, data)))
        written.append(target)
    diagnostics = tuple(Diagnostic(Level(level), code, message, path, line)
                        for level, code, message, path, line in facts["diagnostics"])
    return BuildResult(tuple(written), diagnostics, (("cache", seconds),), facts["pdf"], None, True)


def _build(vault_dir: str, config: BookConfig, out_dir: str, formats, config_diagnostics, progress,
           epoch: int | None, cache, jobs: int) -> BuildResult:
    from .export.workers import WorkerPool, workers_for

    watch = _Stopwatch(progress)
    watch.start("read")
    checked = check_vault(vault_dir, config, config_diagnostics, cache)
    if checked.analysis is None:
        raise BuildError("read: " + "; ".join(d.message for d in checked.diagnostics if d.code == "vault.empty"))
    analysis = checked.analysis
    in_book = [note for _, note in analysis.in_book]
    # The PDF's workers start now: they load WeasyPrint and the fonts while the book is assembled
    pool = WorkerPool(workers_for(sum(len(note.body) for note in in_book), jobs)) if "pdf" in formats else None
    if pool is not None:
        pool.start()
    try:
        return _build_book(vault_dir, config, out_dir, formats, progress, epoch, cache, watch, checked, pool)
    finally:
        if pool is not None:
            pool.close()


def _build_book(vault_dir: str, config: BookConfig, out_dir: str, formats, progress, epoch: int | None, cache,
                watch, checked, pool) -> BuildResult:
    """Steps 5 to 8, once the vault is read and checked."""
    from .assemble import chapters, fill_bodies, make_environment, render_frame, render_markdown, render_sections
    from .cache import key_of
    from .export import pandoc
    from .export.citeproc import apply_citeproc
    from .export.epub import choose_cover
    from .export.html import write_html
    from .export.layout import BookLayout
    from .export.pdf import glyph_warnings, layout_warnings, print_document, resolution_warnings
    from .index import index_book
    from .manifest import manifest, manifest_bytes
    from .reproducible import build_day
    from .resources import Overrides, shipped_text
    from .rules.context import BookContext
    from .transform import transform_notes, world_of
    from .vault.cover import read_cover

    analysis = checked.analysis
    in_book = [note for _, note in analysis.in_book]
    watch.start("assemble")
    book = _book_metadata(config, checked.outline, build_day(epoch), bibliography=analysis.style is not None)
    context = BookContext(analysis.resolver, analysis.store.tree, analysis.assets.uri_of, colon=book.words.colon,
                          embed_depth=config.embed_depth, link_text=config.link_text,
                          type_prefixes=tuple(config.type_prefixes))
    settings = (config.language, config.embed_depth, config.outside_links, config.source_links, config.link_text,
                config.type_prefixes)
    # build() runs all of this with a deep stack: a note nested hundreds deep renders too
    world = _stage("assemble", lambda: world_of(checked.vault.notes, analysis.store.facts, checked.vault.root,
                                                checked.vault.attachments, analysis.resolver, context,
                                                settings)) if cache else ""
    bodies_by_path = {note.path: note.body for note in checked.vault.notes}
    # with the cache, each tree goes once its note is rendered: one embedding it later reads
    # it again from there (without, the trees stay: parsing twice costs more than holding them)
    done_with = analysis.store.forget_tree if cache and cache.enabled else lambda note: None
    leaves = SharedLeaves()  # each distinct word and space of the book's AST held once
    outputs = _stage("assemble", lambda: transform_notes(analysis.in_book, context, settings, cache, world,
                                                         bodies_by_path.get, done_with, leaves, _safe_blocks))
    items = chapters(checked.outline, analysis.anchors, analysis.relations, analysis.resolver.source_keys,
                     config.language, config.relations, citations=analysis.style is not None,
                     type_prefixes=tuple(config.type_prefixes))
    found = Sink(config.silence)  # what the writers find; checked.diagnostics are filtered already
    overrides = Overrides(vault_dir, config.overrides)
    env = make_environment(overrides.loader())
    sections = _stage("assemble", lambda: render_sections(env, book, items))
    frame = _stage("assemble", lambda: render_frame(env, book, len(sections)))
    watch.start("pandoc read")
    whole = _stage("assemble", lambda: render_markdown(env, book, items, sections))
    skeleton = _stage("pandoc read", lambda: _read_markdown(frame, sections, whole, cache, leaves))
    whole = None  # 17 MB of text at 10,000 notes
    # what is done with is let go as the build goes on: a large book's trees and ASTs are its
    # memory. Each note's blocks were made safe by the transform, on their own (the same walk
    # as on the whole book: it looks at a node and its runs of text only), so that the book
    # is never held twice
    analysis.store.forget_trees()
    keys = {output.path: output.key for output in outputs}
    bodies = {analysis.anchors[output.path]: output.blocks for output in outputs}
    del outputs
    ast = fill_bodies(skeleton, bodies)  # made safe, as the bodies are (``_read_markdown``)
    del skeleton, bodies
    if analysis.style is not None:
        watch.start("citeproc")
        book_paths = {note.path for note in in_book}
        listed = [key for path, key in analysis.library.note_keys.items() if path in book_paths]
        try:
            with open(analysis.style, "rb") as style:  # checked inside the vault by style_path
                csl = style.read()
            ast = apply_citeproc(ast, analysis.library.references, csl,
                                 config.citation_locale or config.language, listed, leaves)
        except pandoc.PandocError as failure:  # the book is still written, its citations as keys
            found.append(error("bib.citeproc", f"citations could not be formatted: {failure}"))
    ast = _stage("index", lambda: index_book(ast, in_book, analysis.anchors, config))  # index, glossary
    # French spacing, the last pass; in place: the AST is the build's own (no other stage
    # holds its nodes)
    ast = _stage("typography", lambda: typeset(ast, config.language, in_place=True))
    os.makedirs(out_dir, exist_ok=True)
    stem = os.path.join(out_dir, ascii_slug(book.title, fallback="handbook"))
    written = []

    def emit(fmt: str, produce) -> None:
        target = f"{stem}.{fmt}"
        _stage(fmt, lambda: _write_atomically(target, produce))
        written.append(target)

    # The PDF's units are laid out by worker processes (export.layout), started first: the
    # EPUB and the HTML are written while they work.
    layout_report = units_report = None
    pending = partial = document = None
    if "pdf" in formats:
        watch.start("pdf")
        profile, _ = read_output_profile(vault_dir, config)
        # a PDF/X book without its output intent is not written: check_vault said why (pdf.profile)
        if profile is not None or not config.pdf_standard.startswith("pdf/x"):
            document = _stage("pdf", lambda: print_document(ast, book, items, env, config, found, in_book, profile,
                                                            analysis.anchors, cache))
            print_css = [overrides.stylesheets("print.css"), document.page_css]
            partial = _stage("pdf", lambda: _Partial(f"{stem}.pdf"))
            hint = key_of("hint", os.path.realpath(vault_dir)) if cache else None
            pending = _stage("pdf", lambda: BookLayout(document, print_css, partial.path, pool, cache, hint,
                                                       progress=_unit_progress(progress)))
    try:
        # the EPUB is written by a thread of its own (pandoc, in a process) while the HTML is
        # written here, or, beside the PDF's layout, by a thread that yields to it: the cores
        # the PDF's workers leave free are used
        epub = None
        if "epub" in formats:
            cover_data, cover_suffix, cover_findings = read_cover(vault_dir, config.cover)
            found.extend(cover_findings)
            # every input bound now, none read by the thread from this frame later: a
            # thread that yields to the layout may start after the HTML's have been set here
            epub = _Background(_write_epub_file, f"{stem}.epub", ast, book, overrides.stylesheets("epub.css"),
                               choose_cover(book, cover_data, cover_suffix), cache, below_layout=pending is not None)
        try:
            if "html" in formats:
                watch.start("html")
                screen_css = overrides.stylesheets("screen.css")
                page = shipped_text("templates", "page.html5")

                def html() -> None:
                    emit("html", lambda path: _write_bytes(path, write_html(ast, book, screen_css, page, cache)))

                if pending is None:
                    html()
                else:  # in a thread that yields to the layout (this one cannot take its priority back)
                    _Background(html, below_layout=True).wait()()
        finally:
            if epub is not None:
                watch.stop()
                outcome = epub.wait()
        if epub is not None:
            watch.record("epub", epub.seconds)
            _stage("epub", outcome)
            written.append(f"{stem}.epub")
        if pending is not None:
            watch.start("pdf")
            layout_report, units_report = _stage("pdf", pending.result)
            _stage("pdf", partial.commit)
            written.append(partial.target)
    except BaseException:
        if pending is not None:
            pending.cancel()
            partial.discard()
        raise
    if layout_report is not None:
        found.extend(glyph_warnings(layout_report.missing, in_book))
        if config.pdf_standard.startswith("pdf/x") or document.bleed_mm or config.marks:  # a book for a press
            found.extend(resolution_warnings(layout_report.images, in_book))
        found.extend(layout_warnings(layout_report.messages))
    watch.stop()
    pdf_facts = None
    if layout_report is not None:
        pdf_facts = {"pages": layout_report.pages, "front_matter_pages": layout_report.front_matter,
                     "standard": config.pdf_standard, "fonts": layout_report.fonts,
                     "headings_at_page_end": layout_report.headings_at_page_end,
                     "units": len(document.units)}
    found.extend(overrides.refused)
    diagnostics = [*checked.diagnostics, *found.diagnostics]
    record = manifest(checked, book, written, diagnostics, epoch, keys,
                      pdf_facts)
    manifest_path = f"{stem}.manifest.json"
    _write_atomically(manifest_path, lambda path: _write_bytes(path, manifest_bytes(record)))
    return BuildResult(tuple(written) + (manifest_path,), tuple(diagnostics), tuple(watch.timings), pdf_facts,
                       units_report)


def _safe_blocks(blocks: list) -> list:
    """A note's rendered blocks made safe (``export.pandoc.made_safe``), by the transform,
    which keeps them so in the cache: a note taken from there is ready as it is."""
    from .export import pandoc

    return pandoc.made_safe({"blocks": blocks})["blocks"]


def _read_markdown(frame: str, sections: list[str], whole: str, cache, leaves) -> dict:
    """pandoc's AST of the templates' Markdown, made safe (``export.pandoc.made_safe``): the
    frame (``book.md.j2``) and the notes' sections read apart and put together
    (``assemble.with_sections``; the sections in batches, each kept in the cache: an edit
    of a note's body leaves them as they were, its body is filled in after), or, when the
    frame does not hold the sections as they are, as blocks of their own
    (``assemble.frame_holds_sections``), the whole Markdown (``whole``) read at once. Its
    leaves are shared with the bodies' (``leaves``)."""
    import json

    from .assemble import frame_holds_sections, with_sections
    from .cache import key_of
    from .export import pandoc

    key = key_of("frame read", pandoc.READER, frame) if cache is not None else None
    found = cache.get("read", key) if key else None
    if found is not None:
        ast = json.loads(found[1])
    else:
        ast = pandoc.read_markdown(frame)
        if key:
            cache.put("read", key, {}, json.dumps(ast, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    # each part made safe on its own (``made_safe`` looks at a node and its runs of text
    # only), the part read let go at once: the skeleton is never held twice
    ast = pandoc.made_safe(ast)
    holds = bool(sections) and frame_holds_sections(frame, sections, whole)
    parts = pandoc.read_sections(sections, cache, leaves.hook) if holds else []
    for number, part in enumerate(parts):
        parts[number] = pandoc.made_safe({"blocks": part})["blocks"]
    blocks = with_sections(ast["blocks"], parts) if parts else None
    del parts
    if blocks is None:
        ast = pandoc.made_safe(pandoc.read_markdown(whole))
    else:
        ast["blocks"] = blocks
        pandoc.unique_header_ids(blocks)
    return leaves.share(ast)


def _unit_progress(progress):
    """What the layout says of its units (N/M, how many from the cache) for a display that
    shows details (``progress.TerminalProgress``)."""
    detail = getattr(progress, "detail", None)
    if detail is None:
        return lambda done, total, cached: None
    return lambda done, total, cached: detail(f"units {done}/{total}" + (f", {cached} from the cache" if cached else ""))


def _stage(name: str, run):
    """Run one stage; any failure of an engine becomes a `BuildError` naming the stage."""
    import jinja2

    from .export.pandoc import PandocError
    from .export.pdf import LayoutError

    try:
        return run()
    except (PandocError, LayoutError) as failure:
        raise BuildError(f"{name}: {failure}") from None
    except jinja2.TemplateNotFound as failure:
        raise BuildError(f"{name}: template '{failure.name}' not found (templates come from the vault's "
                         "override folder, inside the vault, then the shipped ones)") from None
    except jinja2.TemplateError as failure:
        where = f"{failure.filename or failure.name}, line {failure.lineno}: " \
            if isinstance(failure, jinja2.TemplateSyntaxError) else ""
        raise BuildError(f"{name}: template {where}{failure}") from None
    except OSError as failure:
        raise BuildError(f"{name}: cannot write the artifact: {failure}") from None
    except Exception as failure:  # an engine's own bug must not end in a traceback
        raise BuildError(f"{name}: {type(failure).__name__}: {failure}") from failure
