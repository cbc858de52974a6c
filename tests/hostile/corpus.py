"""The hostile corpus as data: one tiny vault per case, with what miena-book must do with it.

Each `Case` is a vault (``files``: vault-relative path -> text or bytes; ``symlinks``:
link -> target; ``setup``: what cannot be written as data, such as a 50 MB note or a name
the file system may refuse) and its expected outcome: exit statuses, the diagnostics
(`Finding`: code, file and line) of ``check`` and of ``build``, text the HTML must show
and strings no output may hold.

Two placeholders are replaced when a vault is written: ``@OUTSIDE@`` by the folder that
holds the vault and, beside it, the files of `OUTSIDE_FILES` (secrets no output may
carry); ``@REMOTE@`` by the URL of a listener on 127.0.0.1 that must receive no
connection. Remote URLs only ever point at 127.0.0.1.

``known_bugs`` names the aspects of a case that fail today (``check``, ``build``,
``confinement``, ``markup``; see test_hostile.py) with the reason; those tests are strict
xfails, so fixing the bug turns them into failures that ask for the entry to be removed.
"""

from __future__ import annotations

import base64
import codecs
import errno
import os
import struct
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

OUTSIDE = "@OUTSIDE@"
REMOTE = "@REMOTE@"
ANY = "any"  # a Finding's path or line that is not checked
ALL_FORMATS = "pdf,epub,html"


# --- small builders ------------------------------------------------------------------------

def _png(header: bytes, pixels: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def png(width: int, height: int, shade: int = 0) -> bytes:
    """A valid greyscale PNG; its size makes it recognisable in a PDF's image list."""
    rows = b"".join(b"\x00" + bytes((shade + x * 7 + y * 13) % 256 for x in range(width)) for y in range(height))
    return _png(struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0), zlib.compress(rows))


def bilevel_png(width: int, height: int) -> bytes:
    """A 1-bit white PNG: a few kilobytes on disk, width × height pixels once decoded."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    return _png(struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0), zlib.compress(row * height, 9))


def alias_bomb(levels: int = 9, indent: str = "") -> str:
    """The "billion laughs": each level lists the previous one nine times (9**levels leaves)."""
    lines = [f'{indent}l0: &l0 [{", ".join(["lol"] * 9)}]']
    for level in range(1, levels):
        lines.append(f'{indent}l{level}: &l{level} [{", ".join([f"*l{level - 1}"] * 9)}]')
    return "\n".join(lines)


def nested_list(depth: int) -> str:
    return "\n".join("  " * level + f"- niveau {level}" for level in range(depth))


def nested_callouts(depth: int) -> str:
    return "\n".join("> " * (level + 1) + f"[!note] Encadré {level}" for level in range(depth))


def with_frontmatter(yaml: str, body: str) -> str:
    return f"---\n{yaml}\n---\n{body}"


# 1×1 red PNG: an image that belongs to the vault (it may appear in the outputs)
VAULT_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")

# --- what lies outside the vault --------------------------------------------------------------

MARKER = "OUTSIDE-THE-VAULT-5c1e9a"
SECRET_PNG_SIZE = (37, 23)  # no vault image has this size: found in a PDF, it came from outside
SECRET_PNG = png(*SECRET_PNG_SIZE, shade=91)

OUTSIDE_FILES: dict[str, str | bytes] = {
    "secret.txt": f"{MARKER} in a text file\n",
    "secret.md": f"# Secret\n\n{MARKER} in a note outside the vault.\n",
    "secret.css": f"body {{ background: #f00; }} /* {MARKER} in a stylesheet */\n",
    "secret.yml": f"title: {MARKER} as a config\n",
    "secret.bib": f"@book{{secret, author = {{Agent, Secret}}, title = {{{MARKER} in a bibliography}}, "
                  "year = {2020}}\n",
    "secret.png": SECRET_PNG,
    # a complete overrides folder next to the vault, for `overrides: ../outside-overrides`
    "outside-overrides/styles/blocks.css": f"/* {MARKER} blocks.css */\n",
    "outside-overrides/styles/screen.css": f"/* {MARKER} screen.css */\n",
    "outside-overrides/styles/epub.css": f"/* {MARKER} epub.css */\n",
    "outside-overrides/styles/print.css": f"/* {MARKER} print.css */\n",
    "outside-overrides/templates/notes/default.md.j2": f"{MARKER} template\n\n{{{{ note.body }}}}\n",
}


# --- the case model ------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """A diagnostic that must be printed: ``path:line: level: message [code]``.

    ``path`` is vault-relative (None: a finding about the whole vault); ``line`` None means
    the diagnostic names no line. Either may be `ANY` when it is not checked.
    """

    code: str
    path: str | None = None
    line: int | str | None = None


@dataclass(frozen=True)
class Case:
    name: str
    about: str  # the input in a few words
    files: Mapping[str, str | bytes]
    symlinks: Mapping[str, str] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    formats: str = "html"
    check_findings: tuple[Finding, ...] = ()  # printed by `check`, and by `build` too
    build_findings: tuple[Finding, ...] = ()  # printed by `build` only
    status: int | tuple[int, ...] = 0  # exit status of `check` (a tuple: any of these)
    build_status: int | tuple[int, ...] | None = None  # of `build`, when it differs from `check`'s
    writes_book: bool = True  # False: `build` must stop with a message and write nothing
    shown: tuple[str, ...] = ()  # in the HTML, once unescaped and with spaces collapsed
    forbidden: tuple[str, ...] = ()  # in no artifact, no PDF text and no line the CLI prints
    known_bugs: Mapping[str, str] = field(default_factory=dict)

    @property
    def expected_build_status(self) -> int | tuple[int, ...]:
        return self.status if self.build_status is None else self.build_status


# --- setups: inputs that are made at test time -----------------------------------------------

FIFTY_MEGABYTES = 50 * 1024 * 1024


def write_fifty_megabyte_note(vault: Path) -> None:
    line = "Une ligne de texte parmi des millions, avec [[Petite]] et **gras**.\n".encode()
    with open(vault / "Énorme.md", "wb") as handle:
        handle.write("# Énorme\n\n".encode())
        written = 0
        block = line * 4096
        while written < FIFTY_MEGABYTES:
            handle.write(block)
            written += len(block)


def write_name_of_255_bytes(vault: Path) -> None:
    name = "é" * 126 + ".md"  # 252 + 3 bytes: the most ext4 and APFS accept in one name
    assert len(name.encode()) == 255
    try:
        (vault / name).write_text("# Nom très long\n\nLe nom de ce fichier fait 255 octets.\n", encoding="utf-8")
    except OSError as problem:
        pytest.skip(f"the file system refuses a 255-byte name: {problem}")


def write_name_over_255_bytes(vault: Path) -> None:
    name = "é" * 150 + ".md"  # 303 bytes
    try:
        (vault / name).write_text("# Nom trop long\n", encoding="utf-8")
    except OSError as problem:
        if problem.errno in (errno.ENAMETOOLONG, errno.EINVAL):
            pytest.skip("the file system refuses names over 255 bytes, as ext4 and APFS do")
        raise


DEEP_FOLDER = "d" * 250
DEEP_LEVELS = 18  # 18 × 251 bytes: the path of the last folders is longer than PATH_MAX (4096)


def write_path_beyond_path_max(vault: Path) -> None:
    """Folders nested past PATH_MAX, made one level at a time relative to an open folder."""
    folder = os.open(vault, os.O_RDONLY)
    try:
        for _ in range(DEEP_LEVELS):
            os.mkdir(DEEP_FOLDER, dir_fd=folder)
            inner = os.open(DEEP_FOLDER, os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = inner
        note = os.open("Profonde.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder)
        os.write(note, b"# Profonde\n\nTout au fond.\n")
        os.close(note)
    finally:
        os.close(folder)


def require_distinct_names(*names: str) -> Callable[[Path], None]:
    """Skip when the file system folds some of these names into one (case or Unicode form)."""
    def check(vault: Path) -> None:
        present = set(os.listdir(vault))
        if not all(name in present for name in names):
            pytest.skip("the file system folds these names into one: " + ", ".join(map(ascii, names)))
    return check


# --- the corpus ------------------------------------------------------------------------------

ROOT_WITH_CHILD = with_frontmatter('child:\n  - "[[Un]]"', "# Racine\n\nLe début du livre.\n")
UNDER_ROOT = with_frontmatter('parent: "[[Racine]]"', "# Un\n\nUn chapitre.\n")

CASES: tuple[Case, ...] = (
    # --- frontmatter --------------------------------------------------------------------------
    Case(
        "yaml-syntax-error", "unclosed flow list in the frontmatter",
        {"Note.md": "---\ntitle: Syntaxe\ntags: [un, deux\ntype: Enjeu\n---\n# Syntaxe\n\n"
                    "Corps conservé malgré le bloc.\n"},
        check_findings=(Finding("frontmatter.invalid", "Note.md", 4),),
        status=1, shown=("Corps conservé malgré le bloc.",),
    ),
    Case(
        "yaml-alias-bomb", "billion laughs (9 levels of 9 aliases)",
        {"Bombe.md": with_frontmatter(alias_bomb(9), "# Bombe\n\nTexte après la bombe.\n")},
        check_findings=(Finding("frontmatter.refused", "Bombe.md", 2),),
        status=1, shown=("Texte après la bombe.",),
    ),
    Case(
        "yaml-python-tags", "!!python/object/apply, /name, /object/new",
        {"Objet.md": with_frontmatter(f"title: !!python/object/apply:os.system ['touch {OUTSIDE}/pwned-by-yaml']",
                                      "# Objet\n"),
         "Nom.md": with_frontmatter("type: Enjeu\nrun: !!python/name:os.system", "# Nom\n"),
         "Nouveau.md": with_frontmatter(f"x: !!python/object/new:subprocess.Popen [['touch', '{OUTSIDE}/pwned-2']]",
                                        "# Nouveau\n")},
        check_findings=(Finding("frontmatter.invalid", "Objet.md", 2), Finding("frontmatter.invalid", "Nom.md", 3),
                        Finding("frontmatter.invalid", "Nouveau.md", 2)),
        status=1,
    ),
    Case(
        "frontmatter-not-a-mapping", "a list, a sentence, a number as frontmatter",
        {"Liste.md": "---\n- un\n- deux\n---\n# Liste\n", "Phrase.md": "---\nJuste une phrase\n---\n# Phrase\n",
         "Nombre.md": "---\n42\n---\n# Nombre\n", "Nul.md": "---\nnull\n---\n# Nul\n"},
        check_findings=(Finding("frontmatter.not-a-mapping", "Liste.md", 2),
                        Finding("frontmatter.not-a-mapping", "Phrase.md", 2),
                        Finding("frontmatter.not-a-mapping", "Nombre.md", 2)),
        status=1,
    ),
    Case(
        "yaml-1.1-scalars", "title: NO, on: yes, type: off, summary: 0123",
        {"Norvège.md": with_frontmatter("title: NO\non: yes\ntype: off\nsummary: 0123", "Texte de la note.\n")},
        shown=(">NO</h1>", 'class="note type-off"', "<p>0123</p>"),
    ),
    Case(
        "impossible-dates", "created 2025-02-30, date 2023-13-01",
        {"Dates.md": with_frontmatter("title: Dates\ncreated: 2025-02-30\nupdated: 2024-02-29\ndate: 2023-13-01",
                                      "Texte.\n")},
        check_findings=(Finding("frontmatter.bad-date", "Dates.md", 3), Finding("frontmatter.bad-date", "Dates.md", 5)),
    ),
    Case(
        "duplicate-keys", "title twice; a key twice in a nested mapping",
        {"Doublons.md": with_frontmatter("title: Premier\ntype: Enjeu\ntitle: Second\nmeta:\n  a: 1\n  a: 2",
                                         "Texte.\n")},
        check_findings=(Finding("frontmatter.duplicate-key", "Doublons.md", 4),
                        Finding("frontmatter.duplicate-key", "Doublons.md", 7)),
        shown=(">Second</h1>",),
    ),
    Case(
        "frontmatter-unclosed", "--- opened, never closed",
        {"Ouvert.md": "---\ntitle: Jamais fermé\n\n# Ouvert\n\nTexte.\n"},
        check_findings=(Finding("frontmatter.unclosed", "Ouvert.md", 1),),
        shown=("title\u00a0: Jamais fermé",),  # shown as text, with the French book's colon
    ),
    Case(
        "frontmatter-too-deep-or-large", "100 nested [ ; nested mappings 70 deep; a 70 KiB block",
        {"Profond.md": with_frontmatter("x: " + "[" * 100 + "]" * 100, "# Profond\n"),
         "Emboîté.md": with_frontmatter("\n".join("  " * level + f"k{level}:" for level in range(70)) + " fin",
                                        "# Emboîté\n"),
         "Large.md": with_frontmatter("\n".join(f"cle{i}: {'x' * 60}" for i in range(1100)), "# Large\n")},
        check_findings=(Finding("frontmatter.refused", "Profond.md", 2),
                        Finding("frontmatter.refused", "Emboîté.md", 66),
                        Finding("frontmatter.too-large", "Large.md", 2)),
        status=1,
    ),
    Case(
        "frontmatter-30000-deep", "30,000 nested [ in 60 KB of frontmatter",
        {"Abîme.md": with_frontmatter("x: " + "[" * 30000 + "]" * 30000, "# Abîme\n\nLe corps reste.\n")},
        check_findings=(Finding("frontmatter.refused", "Abîme.md", 2),),
        status=1, shown=("Le corps reste.",),
    ),
    Case(
        "frontmatter-pandoc-keys", "css:, cover-image:, header-includes:, include-*, template: in a note",
        {"Injection.md": with_frontmatter(
            f'title: Injection\ncss: "{OUTSIDE}/secret.css"\ncover-image: "{OUTSIDE}/secret.png"\n'
            f"header-includes: '<script src=\"{REMOTE}header.js\"></script> HEADER-INCLUDES-INJECTED'\n"
            f"include-before: \"<iframe src='file://{OUTSIDE}/secret.txt'></iframe> INCLUDE-BEFORE-INJECTED\"\n"
            f'include-in-header: "{OUTSIDE}/secret.txt"\nepub-cover-image: "../secret.png"\n'
            f'stylesheet: "../secret.css"\ntemplate: "{OUTSIDE}/secret.txt"\nabstract: ABSTRACT-INJECTED\n'
            "summary: \"<script>alert('summary')</script> résumé\"\ntype: '<img src=x onerror=alert(1)>'",
            "# Injection\n\nLe texte.\n")},
        formats=ALL_FORMATS, shown=("résumé", "Le texte."),
        forbidden=("HEADER-INCLUDES-INJECTED", "INCLUDE-BEFORE-INJECTED", "ABSTRACT-INJECTED"),
    ),
    Case(
        "config-alias-bomb", "billion laughs in book.yml",
        {"book.yml": alias_bomb(9) + "\n", "Note.md": "# Note\n"},
        check_findings=(Finding("config.refused", "book.yml", 1),),
        status=2, writes_book=False,
    ),
    # --- bytes and encodings ------------------------------------------------------------------
    Case(
        "encoding-cp1252", "Windows-1252 accents on line 4",
        {"Accents.md": b"# Accents\n\nTexte correct.\nCaf\xe9 cr\xe8me br\xfbl\xe9e.\n"},
        check_findings=(Finding("encoding.not-utf8", "Accents.md", 4),),
        shown=("Café crème brûlée.",),
    ),
    Case(
        "encoding-utf16-utf32", "UTF-16 LE, UTF-16 BE and UTF-32 with a BOM",
        {"Seize LE.md": codecs.BOM_UTF16_LE + "# Seize LE\n\nÉté en UTF-16 LE.\n".encode("utf-16-le"),
         "Seize BE.md": codecs.BOM_UTF16_BE + "# Seize BE\n\nÉté en UTF-16 BE.\n".encode("utf-16-be"),
         "Trente-deux.md": "# Trente-deux\n\nÉté en UTF-32.\n".encode("utf-32")},
        check_findings=(Finding("encoding.utf16", "Seize BE.md"), Finding("encoding.utf16", "Seize LE.md"),
                        Finding("encoding.utf16", "Trente-deux.md")),
        shown=("Été en UTF-16 LE.", "Été en UTF-16 BE.", "Été en UTF-32."),
    ),
    Case(
        "encoding-utf16-without-bom", "UTF-16 with no BOM (NUL bytes)",
        {"Sans BOM.md": "# Sans BOM\n\nTexte.\n".encode("utf-16-le"), "Note.md": "# Note\n"},
        check_findings=(Finding("read.binary", "Sans BOM.md", 1),),
        status=1,
    ),
    Case(
        "encoding-broken-utf16", "UTF-16 BOM, odd length; a lone surrogate",
        {"Impair.md": codecs.BOM_UTF16_LE + "# Impair\n".encode("utf-16-le") + b"\x41",
         "Surrogat.md": codecs.BOM_UTF16_LE + "# Surrogat ".encode("utf-16-le") + b"\x00\xd8"
                        + "x\n".encode("utf-16-le"),
         "Note.md": "# Note\n"},
        check_findings=(Finding("read.encoding", "Impair.md"), Finding("read.encoding", "Surrogat.md")),
        status=1,
    ),
    Case(
        "binary-notes", "NUL bytes on line 3; an ELF header",
        {"Binaire.md": b"# Binaire\n\nAvant\x00apr\xe8s\n", "Programme.md": b"\x7fELF\x02\x01\x01\x00\x00\x00",
         "Note.md": "# Note\n\nLa seule note lisible.\n"},
        check_findings=(Finding("read.binary", "Binaire.md", 3), Finding("read.binary", "Programme.md", 1)),
        status=1, shown=("La seule note lisible.",),
    ),
    Case(
        "empty-notes", "empty, blank lines, spaces, empty frontmatter, a lone BOM",
        {"Vide.md": "", "Lignes vides.md": "\n\n\n", "Espaces.md": " \t \n", "Bloc vide.md": "---\n---\n",
         "Seulement BOM.md": codecs.BOM_UTF8},
        shown=("Lignes vides", "Seulement BOM"),
    ),
    Case(
        "note-of-50-mb", "a 50 MB note beside a small one",
        {"Petite.md": "# Petite\n\nUne note normale.\n"}, setup=write_fifty_megabyte_note,
        check_findings=(Finding("read.too-large", "Énorme.md"),),
        status=1, shown=("Une note normale.",),
    ),
    # --- Markdown structure -------------------------------------------------------------------
    Case(
        "brackets-nested-and-unclosed", "[[[[[[x]]]]]], [[a, ]]]], 3000 nested [",
        {"Crochets.md": "# Crochets\n\n[[[[[[x]]]]]]\n\n[[a\n\n]]]] et [[ et ![[\n\n[[]] [[|]] [[#]] [[^]]\n\n"
                        + "[" * 3000 + "fin" + "]" * 3000 + "\n"},
        build_findings=(Finding("link.unresolved", "Crochets.md", 3),),
        shown=("[[a", "]]]] et [[ et ![["),
    ),
    Case(
        "list-1000-deep", "a list nested 1000 levels",
        {"Listes.md": "# Listes\n\n" + nested_list(1000) + "\n"},
        shown=("niveau 999",),
    ),
    Case(
        "blockquote-1000-deep", "> > > … 1000 levels",
        {"Citations.md": "# Citations\n\n" + "> " * 1000 + "profond\n"},
        shown=("profond",),
    ),
    Case(
        "callouts-300-deep", "> [!note] nested 300 levels",
        {"Encadrés.md": "# Encadrés\n\n" + nested_callouts(300) + "\n"},
        shown=("Encadré 299",),
    ),
    Case(
        # found while reviewing the fuzz run's fix: comments were taken out of raw HTML
        # in quadratic time (27 s for this block)
        "html-comments-80000", "80,000 HTML comments in one HTML block, then text",
        {"Commentaires.md": "# Commentaires\n\n" + "<!---->" * 80000 + " visible après\n"},
        shown=("visible après",),
    ),
    Case(
        "unbalanced-inline-tags", "<u> never closed, </kbd> never opened, <BR>, <sup> closed in an emphasis",
        {"Balises.md": "# Balises\n\nUn <u>souligné sans fin et </kbd> seul.\n\nPuis <BR> et <sup>x *y</sup>*.\n"},
        formats="html,epub", shown=("<u>souligné sans fin", "</kbd> seul", "<sup>x"),
    ),
    Case(
        "heading-level-jumps", "# then ####, ######, ####### and a bare #",
        {"Titres.md": "# Titres\n\n#### Quatre ensuite\n\nTexte.\n\n## Deux\n\n###### Six\n\n####### Sept dièses\n\n"
                      "#\n\n# Second titre un\n"},
        shown=("Quatre ensuite", "####### Sept dièses", "Second titre un"),
    ),
    # --- outline --------------------------------------------------------------------------------
    Case(
        "outline-cycle-self-unknown", "A→B→C→A, a self-parent, an unknown parent",
        {"Racine.md": ROOT_WITH_CHILD, "Un.md": UNDER_ROOT,
         "A.md": with_frontmatter('parent: "[[B]]"', "# A\n"), "B.md": with_frontmatter('parent: "[[C]]"', "# B\n"),
         "C.md": with_frontmatter('parent: "[[A]]"', "# C\n"),
         "Moi.md": with_frontmatter('parent: "[[Moi]]"', "# Moi\n"),
         "Orphelin.md": with_frontmatter('parent: "[[Inconnu]]"', "# Orphelin\n")},
        check_findings=(Finding("outline.cycle", "A.md", 2), Finding("outline.self-parent", "Moi.md", 2),
                        Finding("outline.unknown-parent", "Orphelin.md", 2)),
        shown=("Un chapitre.",),
    ),
    Case(
        "outline-several-roots", "two notes with children and no parent",
        {"Premier.md": with_frontmatter('child:\n  - "[[A]]"', "# Premier\n"), "A.md": "# A\n",
         "Second.md": with_frontmatter('child:\n  - "[[B]]"', "# Second\n"), "B.md": "# B\n"},
        check_findings=(Finding("outline.multiple-roots"),),
        status=1,
    ),
    Case(
        "outline-no-root", "every note has a parent: A↔B",
        {"A.md": with_frontmatter('parent: "[[B]]"', "# A\n"), "B.md": with_frontmatter('parent: "[[A]]"', "# B\n")},
        check_findings=(Finding("outline.no-root"), Finding("outline.cycle", "A.md", 2)),
        status=1,
    ),
    # --- names ----------------------------------------------------------------------------------
    Case(
        "names-differing-by-case", "Note.md, note.md, NOTE.md and [[note]]",
        {"Note.md": "# Note\n\nMajuscule.\n", "note.md": "# note\n\nMinuscule.\n", "NOTE.md": "# NOTE\n\nCapitales.\n",
         "Lien.md": "# Lien\n\nVoir [[note]].\n"},
        setup=require_distinct_names("Note.md", "note.md", "NOTE.md"),
        # the note written with the same case is the one meant: no ambiguity
        forbidden=("link.ambiguous",),
        shown=("Majuscule.", "Minuscule.", "Capitales."),
    ),
    Case(
        "names-nfc-nfd-twins", "Café.md saved as NFC and as NFD",
        {"Caf\u00e9.md": "# Café composé\n", "Cafe\u0301.md": "# Café décomposé\n",
         "Lien.md": "# Lien\n\nVoir [[Café]].\n"},
        setup=require_distinct_names("Caf\u00e9.md", "Cafe\u0301.md"),
        build_findings=(Finding("link.ambiguous", "Lien.md", 3),),
        shown=("Café composé", "Café décomposé"),
    ),
    # --- embeds ---------------------------------------------------------------------------------
    Case(
        "embed-self-and-cycles", "![[self]], A↔B, ![[#own section]]",
        {"Boucle.md": "# Boucle\n\nAvant.\n\n![[Boucle]]\n\nAprès.\n", "Ping.md": "# Ping\n\n![[Pong]]\n",
         "Pong.md": "# Pong\n\n![[Ping]]\n", "Section.md": "# Section\n\n## Partie\n\n![[#Partie]]\n"},
        build_findings=(Finding("embed.cycle", "Boucle.md", 5), Finding("embed.cycle", "Ping.md", 3),
                        Finding("embed.cycle", "Section.md", 5)),
        shown=("Avant.", "Après."),
    ),
    Case(
        "embed-chain-100-deep", "N000 embeds N001 … embeds N099",
        {f"N{i:03d}.md": f"# N{i:03d}\n\nMaillon {i}.\n\n" + (f"![[N{i + 1:03d}]]\n" if i < 99 else "")
         for i in range(100)},
        build_findings=(Finding("embed.depth", "N010.md", 5),),
        shown=("Maillon 99.",),
    ),
    # --- symbolic links ---------------------------------------------------------------------------
    Case(
        "symlink-loops", "links to . and .. inside the vault",
        {"Note.md": "# Note\n", "sous/Page.md": "# Page\n"},
        symlinks={"boucle": ".", "sous/retour": "..", "sous/ici": "."},
        check_findings=(Finding("scan.symlink-loop", "boucle"), Finding("scan.symlink-loop", "sous/ici"),
                        Finding("scan.symlink-loop", "sous/retour")),
    ),
    Case(
        "symlinks-inside-and-broken", "a linked note and folder; two dangling links",
        {"Note.md": "# Note\n", "Chapitre/Page.md": "# Page\n"},
        symlinks={"Alias.md": "Note.md", "Raccourci": "Chapitre", "Cassé.md": "Absent.md", "Vide": "nulle-part/"},
        check_findings=(Finding("scan.symlink-inside", "Alias.md"), Finding("scan.symlink-inside", "Raccourci"),
                        Finding("scan.broken-symlink", "Cassé.md"), Finding("scan.broken-symlink", "Vide")),
    ),
    Case(
        "symlinks-out-of-vault", "a note, an image, a folder linked from outside",
        {"Note.md": "# Note\n\n![[image.png]]\n\n![[Fuite]]\n\n![[dehors/secret.png]]\n\n![i](image.png)\n\n"
                    "[[dehors/secret]]\n"},
        symlinks={"image.png": "../secret.png", "Fuite.md": f"{OUTSIDE}/secret.md", "dehors": "..",
                  "texte.md": f"{OUTSIDE}/secret.txt"},
        formats=ALL_FORMATS,
        check_findings=(Finding("scan.symlink-outside", "image.png"), Finding("scan.symlink-outside", "Fuite.md"),
                        Finding("scan.symlink-outside", "dehors"), Finding("scan.symlink-outside", "texte.md")),
        build_findings=(Finding("embed.missing", "Note.md", 3), Finding("embed.missing", "Note.md", 5),
                        Finding("embed.missing", "Note.md", 7), Finding("link.unresolved", "Note.md", 11)),
    ),
    # --- paths and URLs -------------------------------------------------------------------------
    Case(
        "image-paths-dotdot", "../secret.png, sous/../../secret.png, <img src=..>",
        {"sous/vraie.png": VAULT_PNG,
         "Note.md": "# Chemins\n\n![a](../secret.png)\n\n![[../secret.png]]\n\n![[sous/../../secret.png]]\n\n"
                    "![b](sous/../../secret.png)\n\n<img src=\"../secret.png\">\n\n![[../../secret.png]]\n"},
        formats=ALL_FORMATS,
        build_findings=(Finding("embed.missing", "Note.md", 5), Finding("embed.missing", "Note.md", 7),
                        Finding("embed.missing", "Note.md", 13)),
    ),
    Case(
        "image-paths-absolute", "/abs/secret.png, /etc/passwd",
        {"Note.md": f"# Absolus\n\n![a]({OUTSIDE}/secret.png)\n\n![[{OUTSIDE}/secret.png]]\n\n"
                    f"<img src=\"{OUTSIDE}/secret.png\">\n\n![c](/etc/passwd)\n\n![[/etc/passwd.png]]\n"},
        formats=ALL_FORMATS,
        build_findings=(Finding("embed.missing", "Note.md", 5), Finding("embed.missing", "Note.md", 11)),
    ),
    Case(
        "file-urls", "file:// images, links and autolinks",
        {"Note.md": f"# Fichiers\n\n![a](file://{OUTSIDE}/secret.png)\n\n![[file://{OUTSIDE}/secret.png]]\n\n"
                    f"[lien](file://{OUTSIDE}/secret.txt)\n\n<file://{OUTSIDE}/secret.txt>\n\n"
                    f"![b](file:{OUTSIDE}/secret.png)\n\n![c](FILE://localhost{OUTSIDE}/secret.png)\n"},
        formats=ALL_FORMATS,
        build_findings=(Finding("embed.missing", "Note.md", 5),),
    ),
    Case(
        "percent-encoded-paths", "%2e%2e/secret.png, ..%2F, %252e",
        {"Note.md": "# Pourcents\n\n![a](%2e%2e/secret.png)\n\n![[%2e%2e/secret.png]]\n\n![[..%2fsecret.png]]\n\n"
                    "![b](..%2Fsecret.png)\n\n![c](%2E%2E%2Fsecret.png)\n\n[d](%2e%2e/secret.md)\n\n"
                    "![[%252e%252e/secret.png]]\n"},
        formats=ALL_FORMATS,
        build_findings=(Finding("embed.missing", "Note.md", 5), Finding("embed.missing", "Note.md", 7),
                        Finding("link.unresolved", "Note.md", 13), Finding("embed.missing", "Note.md", 15)),
    ),
    Case(
        "remote-urls", "http images, <img>, <video>, a remote cover",
        {"book.yml": f"title: Distant\ncover: \"{REMOTE}cover.png\"\n",
         "Note.md": f"# Distant\n\n![a]({REMOTE}image.png)\n\n![[{REMOTE}embed.png]]\n\n"
                    f"<img src=\"{REMOTE}raw.png\">\n\n"
                    "![b](http://127.0.0.1:9/port9.png)\n\n"
                    f"[lien]({REMOTE}page.html) et <{REMOTE}autolien>\n\n"
                    f"<video src=\"{REMOTE}v.mp4\" poster=\"{REMOTE}p.png\"></video>\n\n"
                    "![c](//127.0.0.1:9/protocole-relatif.png)\n"},
        formats=ALL_FORMATS,
        build_findings=(Finding("embed.missing", "Note.md", 5), Finding("epub.cover", "book.yml")),
    ),
    # --- raw HTML and CSS -------------------------------------------------------------------------
    Case(
        "raw-html-scripts-and-handlers", "<script>, onerror=, onclick=, javascript: in <a>, <svg onload>",
        {"Note.md": "# Scripts\n\n<script>document.title = 'SCRIPT-RAN'</script>\n\n"
                    "<img src=\"x\" onerror=\"alert(1)\">\n\n"
                    "Texte <span onclick=\"alert(2)\">cliquable</span> et <a href=\"javascript:alert(3)\">lien</a>.\n\n"
                    "<svg onload=\"alert(4)\"><script>alert(5)</script></svg>\n\n<body onload=alert(6)>\n\n"
                    "<details open ontoggle=alert(7)>\n"},
        formats=ALL_FORMATS, shown=("<script>document.title", "<svg onload="),
    ),
    Case(
        "raw-html-embedding-elements", "<iframe>, <object>, <embed>, <link rel=attachment>, <base>, <meta refresh>",
        {"Note.md": f"# Éléments\n\n<iframe src=\"file://{OUTSIDE}/secret.txt\"></iframe>\n\n"
                    f"<object data=\"{OUTSIDE}/secret.png\" type=\"image/png\"></object>\n\n"
                    "<embed src=\"../secret.png\">\n\n"
                    f"<link rel=\"attachment\" href=\"file://{OUTSIDE}/secret.txt\">\n\n"
                    "<a rel=\"attachment\" href=\"../secret.txt\">pièce jointe</a>\n\n<base href=\"file:///\">\n\n"
                    f"<meta http-equiv=\"refresh\" content=\"0; url={REMOTE}refresh\">\n\n"
                    f"<frameset><frame src=\"{REMOTE}frame\"></frameset>\n\n"
                    f"<form action=\"{REMOTE}form\"><input formaction=\"{REMOTE}x\"></form>\n"},
        formats=ALL_FORMATS, shown=("<iframe src=", "<object data="),
    ),
    Case(
        "raw-css", "<style>@import, style=\"url()\", expression()",
        {"Note.md": f"# Styles\n\n<style>@import url(\"file://{OUTSIDE}/secret.css\"); @import \"{REMOTE}import.css\"; "
                    f"body {{ background: url({REMOTE}bg.png) }}</style>\n\n"
                    f"<div style=\"background:url(file://{OUTSIDE}/secret.png)\">fond</div>\n\n"
                    "<p style=\"background-image: url('../secret.png')\">paragraphe</p>\n\n"
                    "<span style=\"width: expression(alert(1))\">ie</span>\n"},
        formats=ALL_FORMATS, shown=("<style>@import url(",),
    ),
    Case(
        "pandoc-attribute-injection", "{onclick=…} and {style=\"url()\"} on links, spans, divs, headings",
        {"Note.md": "# Attributs\n\n[lien](#){onclick=\"alert(1)\"}\n\n"
                    f"[zone]{{onmouseover=\"alert(2)\" style=\"background:url({REMOTE}span.png)\"}}\n\n"
                    f"::: {{onclick=\"alert(3)\" style=\"background-image:url(file://{OUTSIDE}/secret.png)\"}}\n"
                    "bloc\n:::\n\n"
                    "## Titre {onfocus=\"alert(4)\" tabindex=\"1\"}\n\n`code`{onclick=\"alert(5)\"}\n"},
        formats=ALL_FORMATS,
    ),
    Case(
        "javascript-urls", "[a](javascript:…), <javascript:…>, vbscript:, java&#x09;script:",
        {"Note.md": "# Liens\n\n[a](javascript:alert(1))\n\n[b](JaVaScRiPt:alert(2))\n\n<javascript:alert(3)>\n\n"
                    "[c](vbscript:msgbox(4))\n\n[d](java&#x09;script:alert(5))\n"},
        formats=ALL_FORMATS,
    ),
    Case(
        "pdf-attachments-refused", "{rel=attachment} links to files outside",
        {"Note.md": f"# Pièces\n\n[secret](file://{OUTSIDE}/secret.txt){{rel=attachment}}\n\n"
                    "[relatif](../secret.txt){rel=\"attachment\"}\n\n"
                    f"[absolu]({OUTSIDE}/secret.png){{rel=attachment}}\n"},
        formats=ALL_FORMATS,
    ),
    Case(
        "pdf-attachment-from-data-url", "{rel=attachment} on a data: link",
        {"Note.md": "# Pièce\n\n[pièce](data:text/plain;base64,QVRUQUNIRUQtREFUQQ==){rel=attachment}\n"},
        formats=ALL_FORMATS,
    ),
    # --- template syntax ------------------------------------------------------------------------
    Case(
        "template-syntax-in-text", "{{ 7*7 }}, {% include %}, {{ self.__init__ }} in text and a file name",
        {"Gabarits.md": "# Gabarits\n\nCalcul : {{ 7*7 }} et {{ 7*'7' }}.\n\n"
                        "{% include \"secret.txt\" %} {% include \"../secret.txt\" %}\n\n"
                        "{{ self.__init__.__globals__ }} {{ config }}\n\n"
                        f"{{{{ cycler.__init__.__globals__.os.popen('touch {OUTSIDE}/pwned-by-jinja').read() }}}}\n\n"
                        "{# commentaire #} {%- raw %}brut{% endraw %}\n",
         "{{ 7*7 }}.md": "Le titre vient du nom du fichier.\n"},
        formats=ALL_FORMATS,
        # `__init__` reads as Markdown bold: "{{ self.<strong>init</strong>…" is the text, printed as data
        shown=("{{ 7*7 }}", "{% include", "{{ self.<strong>init</strong>.<strong>globals</strong> }}",
               "{{ config }}", "{# commentaire #}", "{%- raw %}brut{% endraw %}", "Le titre vient du nom du fichier."),
        forbidden=("TemplateReference", "<function", "cycler object"),
    ),
    Case(
        "template-syntax-in-frontmatter", "{{ 7*7 }}, {% include %}, $body$ in fields and book.yml",
        {"book.yml": "title: \"{{ 7*7 }} $body$ titre\"\nsubtitle: \"{% include '../secret.txt' %}\"\n"
                     "authors: [\"{{ self }}\"]\nversion: \"{{ 7*7 }}\"\n",
         "Gabarit.md": with_frontmatter(
             "title: \"{{ 7*7 }} note\"\ntype: \"{% include 'secret.txt' %}\"\n"
             "summary: \"{{ self.__init__.__globals__ }}\"\nstatus: \"{{ 7*'7' }}\"\ntags: [\"{{7*7}}\"]\n"
             "aliases: [\"{{ config }}\"]\nRégulation: \"[[{{ 7*7 }}]]\"",
             "Corps.\n")},
        formats=ALL_FORMATS,
        build_findings=(Finding("link.unresolved", "Gabarit.md", 8),),
        shown=("{{ 7*7 }} $body$ titre", "{{ 7*7 }} note", "{{ self.<strong>init</strong>.<strong>globals</strong> }}"),
        forbidden=("TemplateReference", "<title>49", "<function"),
    ),
    # --- overrides and book.yml -----------------------------------------------------------------
    Case(
        "override-files-symlinked-out", "_book/styles/*.css and a note template linked to files outside",
        {"Note.md": "# Note\n\nTexte.\n"},
        symlinks={"_book/styles/screen.css": "../../../secret.css", "_book/styles/print.css": f"{OUTSIDE}/secret.css",
                  "_book/styles/epub.css": f"{OUTSIDE}/secret.css",
                  "_book/templates/notes/default.md.j2": f"{OUTSIDE}/secret.txt"},
        formats=ALL_FORMATS,
    ),
    Case(
        "override-template-includes-outside", "{% include '../../../secret.txt' %} in a note template",
        {"Note.md": "# Note\n",
         "_book/templates/notes/default.md.j2": "{% include '../../../secret.txt' %}\n{{ note.body }}\n"},
        status=0, build_status=1, writes_book=False,
    ),
    Case(
        "override-template-runs-code", "{{ cycler.__init__.__globals__.os.popen(…) }} in a note template",
        {"Note.md": "# Note\n",
         "_book/templates/notes/default.md.j2":
             f"{{{{ cycler.__init__.__globals__.os.popen('touch {OUTSIDE}/pwned-by-template').read() }}}}"
             "{{ note.body }}\n"},
        status=0, build_status=1, writes_book=False,  # the sandbox refuses the template; the build says so
    ),
    Case(
        "config-paths-outside", "cover, bibliography and csl outside the vault",
        {"book.yml": "title: Dehors\ncover: ../secret.png\nbibliography: [../secret.bib]\ncsl: ../secret.csl\n",
         "Note.md": "# Note\n\nVoir [@secret].\n"},
        formats=ALL_FORMATS,
        build_findings=(Finding("epub.cover", "book.yml"), Finding("bib.outside", "book.yml"),
                        Finding("cite.unknown", "Note.md", 3)),
        status=1,  # check reads the library as build does
    ),
    Case(
        "config-files-symlinked-out", "refs.bib and the cover linked outside; title '../../../pwned'",
        {"book.yml": "title: \"../../../pwned\"\ncover: couverture.png\n", "Note.md": "# Note\n\nVoir [@secret].\n"},
        symlinks={"refs.bib": "../secret.bib", "couverture.png": f"{OUTSIDE}/secret.png"},
        formats=ALL_FORMATS,
        check_findings=(Finding("scan.symlink-outside", "refs.bib"), Finding("scan.symlink-outside", "couverture.png")),
        build_findings=(Finding("bib.outside", "refs.bib"), Finding("epub.cover", "book.yml"),
                        Finding("cite.unknown", "Note.md", 3)),
        status=1,  # check reads the library as build does
    ),
    Case(
        "config-overrides-outside", "overrides: ../outside-overrides",
        {"book.yml": "overrides: ../outside-overrides\n", "Note.md": "# Note\n\nTexte.\n"},
        formats=ALL_FORMATS, status=2, writes_book=False,
        check_findings=(Finding("config.type", "book.yml", 1),),
    ),
    Case(
        "config-symlinked-out", "book.yml is a symbolic link to a file outside",
        {"Note.md": "# Note\n\nTexte.\n"},
        symlinks={"book.yml": "../secret.yml"},
        formats=ALL_FORMATS, status=2, writes_book=False,
        check_findings=(Finding("config.outside", "book.yml"),),
    ),
    Case(
        "bibliography-alias-bomb", "refs.yaml with YAML anchors and aliases (9**5 leaves)",
        {"refs.yaml": "references:\n- id: bombe\n  type: book\n  title: Bombe\n" + alias_bomb(5, indent="  ") + "\n",
         "Note.md": "# Note\n\nVoir [@bombe].\n"},
        build_findings=(Finding("bib.invalid", "refs.yaml", 5),),
        status=1,  # check reads the library as build does
    ),
    Case(
        "bibliography-entry-of-wrong-shape", "a CSL-YAML entry whose title is a list",
        {"refs.yaml": "references:\n- id: forme\n  type: book\n  title: [un, deux]\n  issued: demain\n",
         "Note.md": "# Note\n\nVoir [@forme].\n"},
        build_findings=(Finding("bib.invalid", "refs.yaml", ANY),), status=(0, 1),
    ),
    Case(
        "bibliography-hostile-bibtex", "\\input{secret}, javascript: url, <script> in a DOI",
        {"refs.bib": f"@book{{hostile,\n  author = {{Dupont, Jean}},\n"
                     f"  title = {{Titre \\input{{{OUTSIDE}/secret.txt}}}},\n"
                     "  year = {2020},\n  url = {javascript:alert(1)},\n}\n"
                     "@article{doi,\n  author = {Durand, Anne},\n  title = {Autre},\n  journal = {Revue},\n"
                     "  year = {2021},\n  doi = {10.1000/\"><script>alert(2)</script>},\n}\n",
         "Note.md": "# Note\n\nVoir [@hostile] et [@doi].\n"},
        formats=ALL_FORMATS,
    ),
    # --- file names -----------------------------------------------------------------------------
    Case(
        "file-names-special-characters", "# % ? : [ ] | * \" in file names",
        {"Dièse #1.md": "# Dièse\n", "50 % de réussite.md": "Cinquante.\n", "Pourquoi ?.md": "Question.\n",
         "Heure 10:30.md": "Heure.\n", "Crochets [x].md": "Crochets.\n", "Barre | pipe.md": "Barre.\n",
         "Étoile *.md": "Étoile.\n", "Guillemets \"x\".md": "Guillemets.\n",
         "Liens.md": "# Liens\n\n[[50 % de réussite]] [[Pourquoi ?]] [[Heure 10:30]] "
                     "[m](50%20%25%20de%20r%C3%A9ussite.md)\n"},
        shown=("Cinquante.", "Question.", "Heure.", "Crochets.", "Barre.", "Étoile.", "Guillemets."),
    ),
    Case(
        "file-names-leading-dash", "-rf.md, --help.md, -o out.md, a -folder",
        {"-rf.md": "Tiret.\n", "--help.md": "Aide.\n", "-o ailleurs.md": "Option.\n",
         "--output=ailleurs.md": "Sortie.\n",
         "-dossier/--version.md": "Version.\n"},
        shown=("Tiret.", "Aide.", "Option.", "Sortie.", "Version."),
    ),
    Case(
        "file-name-of-255-bytes", "a note named with 255 bytes (126 × é)",
        {"Lien.md": "# Lien\n\nVoir [[" + "é" * 126 + "]].\n"}, setup=write_name_of_255_bytes,
        shown=("Le nom de ce fichier fait 255 octets.",),
    ),
    Case(
        "file-name-over-255-bytes", "a note named with 303 bytes",
        {"Note.md": "# Note\n"}, setup=write_name_over_255_bytes,
    ),
    Case(
        "path-beyond-path-max", "folders nested past 4096 bytes of path",
        {"Note.md": "# Note\n\nEn surface.\n"}, setup=write_path_beyond_path_max,
        check_findings=(Finding("scan.unreadable", ANY),), shown=("En surface.",),
    ),
    Case(
        "file-name-forging-a-diagnostic", "a newline in a file name that reads like a diagnostic",
        {"Deux\nfaux.md:1: error: forged [read.binary].md": "---\ntitle: [\n---\n# Deux\n", "Note.md": "# Note\n"},
        check_findings=(Finding("frontmatter.invalid", ANY, 3),),
        status=1, forbidden=("\nfaux.md:1: error: forged",),
    ),
    # --- what the engines draw --------------------------------------------------------------------
    Case(
        "control-characters", "\\x01 \\x0b \\x1f \\x7f U+FFFE U+FFFF in text",
        {"Contrôle.md": "# Contrôle\n\nA\x01B\x0bC\x1fD\x7fE\ufffeF\uffffG.\n"},
        formats=ALL_FORMATS, check_findings=(Finding("encoding.control", "Contrôle.md", 3),),
        build_findings=(Finding("encoding.control", "Contrôle.md", 3),),
    ),
    Case(
        "deep-math", "\\sqrt nested 300 deep, 1000 nested braces, \\def\\x{\\x}",
        {"Maths.md": "# Maths\n\n$$" + "\\sqrt{" * 300 + "x" + "}" * 300 + "$$\n\nEt $" + "{" * 1000 + "y" + "}" * 1000
                     + "$ ici.\n\n$\\def\\y{\\y}\\y$\n"},
        formats=ALL_FORMATS, build_findings=(Finding("math.invalid", ANY, ANY),),
    ),
    Case(
        "png-decompression-bomb", "a 76 KB PNG of 20000 × 20000 pixels",
        {"bombe.png": bilevel_png(20000, 20000), "Image.md": "# Image\n\n![[bombe.png]]\n"},
        formats=ALL_FORMATS, build_findings=(Finding("pdf.layout", ANY, ANY),),
    ),
)
