"""The book config: ``book.yml`` at the vault root, every key optional.

Each option is declared once, below, with its type, default and one line of
documentation; ``miena-book init`` writes them all out from this declaration and the
README's config reference is checked against it by the tests. Loading reports every
problem at once: wrong types are errors (the run stops with exit status 2), unknown keys
are warnings with a suggestion.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

from . import paper
from .diagnostics import Diagnostic, Level, error, warning
from .vault import frontmatter
from .vault.paths import is_inside

CONFIG_FILE_NAME = "book.yml"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def _option(default: Any, kind: str, doc: str, choices: tuple[str, ...] = ()) -> Any:
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default),
                     metadata={"kind": kind, "doc": doc, "choices": choices})
    return field(default=default, metadata={"kind": kind, "doc": doc, "choices": choices})


@dataclass(frozen=True)
class BookConfig:
    title: str | None = _option(None, "text", "Book title. Default: the root note's title, else the vault folder's name.")
    subtitle: str | None = _option(None, "text", "Subtitle, printed under the title.")
    authors: list[str] = _option([], "texts", "Authors, in the order they are printed.")
    language: str = _option("fr-CA", "language", "Language of the book as a BCP 47 tag (fr-CA, fr-FR, en-US): "
                            "hyphenation, typography and locale follow it.")
    date: str | None = _option(None, "text", "Date printed on the title page (YYYY-MM-DD). Default: the build day.")
    version: str | None = _option(None, "text", "Edition or version printed on the title page.")
    trim: str = _option("auto", "trim", "Trimmed page size of the printed book: auto, letter, a4, a5, 6x9in, "
                        "7x10in, or width x height with units (150mm x 220mm, 5.5in x 8.5in); 'auto' is "
                        "Letter for fr-CA and en-US, A4 otherwise.")
    bleed: str = _option("0mm", "length", "How far pictures and tints run past the trim for the printer to cut "
                         "(3mm, 0.125in): the PDF's BleedBox. Default: no bleed, the book is read on screen "
                         "or printed at home.")
    marks: list[str] = _option([], "marks", "Printer's marks drawn outside the trim: crop (corner lines) and "
                               "cross (registration targets). Default: none.", ("crop", "cross"))
    pdf_standard: str = _option("pdf/ua-1", "choice", "Standard the PDF is written to: 'pdf/ua-1' or 'pdf/ua-2' "
                                "(accessible, for readers) or 'pdf/x-4' (for a printer, with the output intent "
                                "of output_profile). Every PDF is tagged for screen readers.",
                                ("pdf/ua-1", "pdf/ua-2", "pdf/x-4"))
    output_profile: str | None = _option(None, "text", "ICC profile of the printing condition of a pdf/x-4 book "
                                         "(a file in the vault, from the printer). Default: the system's CMYK "
                                         "profile (Ghostscript's default_cmyk.icc).")
    keywords: list[str] = _option([], "texts", "Keywords of the book, written into the PDF and EPUB metadata.")
    identifier: str | None = _option(None, "text", "The EPUB's unique identifier (an ISBN, DOI or URN). Default: a "
                                     "UUID derived from the title and authors, stable from build to build.")
    cover: str | None = _option(None, "text", "Cover image of the EPUB, a path inside the vault (PNG or JPEG). "
                                "Default: a cover drawn from the title, subtitle and authors.")
    chapter_start: str = _option("any", "choice", "Where printed chapters begin: 'any' new page, or 'right', "
                                 "a right-hand page (a blank page is added when needed).", ("any", "right"))
    link_text: str = _option("title", "choice", "What a link without a label shows: the target note's display "
                             "'title' (its title field, else its first heading, else its name without the type "
                             "prefix such as MOD_), or the link's target as 'written'.", ("title", "written"))
    type_prefixes: list[str] = _option([], "texts", "File-name prefixes that say a note's type (MOD_, ENJEU_, "
                                       "CS_*_ where * is one word), left out of the title a reader is shown. "
                                       "Default: capitals and an underscore (MOD_, SMC_, CS_Modélisation_).")
    outside_links: str = _option("text", "choice", "How a link to a note that is not in the book is printed: "
                                 "'text' (its label) or 'footnote' (its label and a footnote naming the note).",
                                 ("text", "footnote"))
    bibliography: list[str] = _option([], "texts", "Bibliography files in the vault (BibTeX, BibLaTeX, CSL-JSON, "
                                      "CSL-YAML). Default: every such file at the vault's root.")
    csl: str = _option("apa", "text", "Citation style: a style name of the CSL repository (apa, chicago-author-date, "
                       "ieee…) or a .csl file in the vault.")
    citation_locale: str | None = _option(None, "language", "Language of citations and the bibliography. Default: "
                                          "the book's language.")
    source_types: list[str] = _option(["Document"], "texts", "Note types that describe a source: such notes become "
                                      "bibliography entries.")
    source_prefixes: list[str] = _option(["DOC_"], "texts", "File-name prefixes of source notes.")
    literature_folder: str = _option("", "text", "Folder of the literature notes of Zotero's plugins (Zotero "
                                     "Integration, Citations, ZotLit): every note in it is a source note. Default: "
                                     "'' (no folder), the notes named @citekey in any folder.")
    source_links: str = _option("citation", "choice", "What a [[link]] to a source note prints: a 'citation' "
                                "(Paquette et al., 2022) or a 'reference' to the note's page.",
                                ("citation", "reference"))
    relations: dict[str, str] = _option({}, "mapping", "Labels of typed relations, both ways: "
                                        "{Régulation: 'Régule / Est régulé par'}. The MIENA method's MOT "
                                        "relations and sibling, related, source, domain have labels already.")
    embed_depth: int = _option(10, "integer", "How many embeds deep ![[Note]] is expanded; deeper embeds are "
                               "printed as their name, with a warning.")
    overrides: str = _option("_book", "text", "Folder of the vault whose templates/ and styles/ replace the shipped "
                             "files of the same name; it is never read as notes.")
    root: str | None = _option(None, "text", "Name of the note at the top of the book. Default: the one note "
                               "that has children and no parent.")
    outline: str = _option("auto", "choice", "How the book's tree is made: 'hierarchy' from parent/child fields, "
                           "'folders' from the folder tree, 'auto' hierarchy when any note declares one.",
                           ("auto", "hierarchy", "folders"))
    ignore: list[str] = _option([], "texts", "Globs of notes and folders to leave out (Templates, Archives/**, "
                                "*.excalidraw.md). .obsidian/, .trash/ and hidden files are always skipped.")
    index: bool = _option(True, "switch", "Whether the book ends with an index of its terms (true or false).")
    index_key: str = _option("index", "text", "Frontmatter key whose values (a list of text) are index terms, "
                             "looked for in the whole book.")
    index_glossary: bool = _option(True, "switch", "Whether the glossary's terms are index terms too.")
    glossary_types: list[str] = _option(["Glossaire", "Glossary", "Définition"], "texts", "Note types of the "
                                        "glossary: a note of terms in bold, or one note per term.")
    silence: list[str] = _option([], "texts", "Codes of warnings not to report (encoding.mojibake, ...). "
                                 "Errors are always reported.")


OPTIONS = {f.name: f for f in fields(BookConfig)}
# Keys of earlier releases, still read under their new name (with a warning saying so).
RENAMED = {"page_size": "trim"}


def default_of(name: str) -> Any:
    option = OPTIONS[name]
    return option.default_factory() if option.default is MISSING else option.default


def _check(name: str, value: Any) -> tuple[Any, str | None]:
    """Return the value in its typed form, or an error message."""
    option = OPTIONS[name]
    kind = option.metadata["kind"]
    if value is None:
        return default_of(name), None
    if kind in ("text", "language", "choice"):
        if isinstance(value, (list, dict, bool)):
            return None, f"'{name}' must be text"
        value = str(value).strip()
        if kind == "language" and not _LANGUAGE_TAG.match(value):
            return None, f"'{name}' must be a language tag such as fr-CA, fr-FR or en-US, not '{value}'"
        if kind == "choice" and value not in option.metadata["choices"]:
            return None, f"'{name}' must be one of {', '.join(option.metadata['choices'])}, not '{value}'"
        return value, None
    if kind in ("trim", "length"):
        if isinstance(value, (list, dict, bool)):
            return None, f"'{name}' must be text"
        value = str(value).strip()
        if kind == "trim" and value.lower() == "auto":
            return "auto", None
        try:
            (paper.trim_size if kind == "trim" else paper.bleed_size)(value)
        except ValueError as problem:
            return None, f"'{name}': {problem}"
        return value, None
    if kind == "marks":
        items = value if isinstance(value, list) else [value]
        words = [str(item).strip().lower() for item in items if item is not None and item is not False]
        unknown = [word for word in words if word not in option.metadata["choices"]]
        if any(isinstance(item, (list, dict)) for item in items) or unknown:
            return None, f"'{name}' must be a list of {', '.join(option.metadata['choices'])}"
        return list(dict.fromkeys(words)), None
    if kind == "texts":
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, (list, dict)) for item in items):
            return None, f"'{name}' must be a list of text"
        return [str(item) for item in items if item is not None], None
    if kind == "switch":
        if not isinstance(value, bool):
            return None, f"'{name}' must be true or false, not '{value}'"
        return value, None
    if kind == "mapping":
        if not isinstance(value, dict) or any(isinstance(v, (list, dict)) for v in value.values()):
            return None, f"'{name}' must be a mapping of names to text"
        return {str(k): str(v) for k, v in value.items() if v is not None}, None
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            return None, f"'{name}' must be a whole number from 0 to 100, not '{value}'"
        return value, None
    raise AssertionError(f"unknown option kind {kind}")  # pragma: no cover - declaration error


class ConfigError(Exception):
    """The config cannot be used; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} problem(s) in the config")
        self.diagnostics = diagnostics


def config_path_for(vault_dir: str, explicit: str | None) -> str | None:
    if explicit:
        return explicit
    candidate = os.path.join(vault_dir, CONFIG_FILE_NAME)
    return candidate if os.path.isfile(candidate) else None


def load_config(vault_dir: str, explicit: str | None = None) -> tuple[BookConfig, list[Diagnostic]]:
    """Read and check the config; raise `ConfigError` when any value is unusable.

    Returns the config and the warnings to report (unknown keys).
    """
    path = config_path_for(vault_dir, explicit)
    if path is None:
        return BookConfig(), []
    vault_real = os.path.realpath(vault_dir)
    if not explicit and not is_inside(os.path.realpath(path), vault_real):
        raise ConfigError([error("config.outside", f"{CONFIG_FILE_NAME} is a link to a file outside the vault; "
                                 "not read (use --config to name a config file on purpose)", CONFIG_FILE_NAME)])
    label = os.path.relpath(path, vault_dir).replace(os.sep, "/") if not explicit else path
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([error("config.unreadable", f"cannot read the config: {exc}", label)]) from None
    parsed = frontmatter.parse(text.replace("\r\n", "\n"), 1, label, what="config")
    problems = list(parsed.diagnostics)
    values = {}
    for key, value in parsed.data.items():
        line = parsed.key_lines.get(key)
        if key in RENAMED:
            if RENAMED[key] in parsed.data:
                problems.append(warning("config.renamed", f"'{key}' is the old name of '{RENAMED[key]}', which is "
                                        "set too; ignored", label, line))
                continue
            problems.append(warning("config.renamed", f"'{key}' is now called '{RENAMED[key]}'; read as "
                                    f"'{RENAMED[key]}'", label, line))
            key = RENAMED[key]
        if key not in OPTIONS:
            close = difflib.get_close_matches(key, OPTIONS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(warning("config.unknown-key", f"unknown key '{key}' is ignored{hint}", label, line))
            continue
        typed, message = _check(key, value)
        if not message and key == "overrides":
            if not is_inside(os.path.realpath(os.path.join(vault_real, typed)), vault_real):
                message = f"'overrides' must be a folder inside the vault, not '{typed}'"
        if message:
            problems.append(error("config.type", message, label, line))
        else:
            values[key] = typed
    if any(d.level is Level.ERROR for d in problems):
        raise ConfigError(problems)
    return BookConfig(**values), problems


def render_default_config() -> str:
    """The text ``miena-book init`` writes: every key, commented, with its default."""
    import yaml

    out = [
        "# miena-book configuration for this vault.",
        "# Every key is optional. Each one is shown commented out with its default value:",
        "# remove the '# ' in front of a key to set it.",
        "",
    ]
    for name, option in OPTIONS.items():
        out.append(f"# {option.metadata['doc']}")
        if option.metadata["choices"]:
            which = "Any of" if option.metadata["kind"] == "marks" else "One of"
            out.append(f"# {which}: {', '.join(option.metadata['choices'])}.")
        dumped = yaml.safe_dump({name: default_of(name)}, allow_unicode=True, default_flow_style=True, width=1000)
        out.append("# " + dumped.strip().removeprefix("{").removesuffix("}"))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
