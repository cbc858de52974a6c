"""EPUB 3: one XHTML file per chapter, a navigation document, a cover and full metadata.

The chapters' XHTML is written in pieces, as the HTML page is (``export.html``): each
chapter is cut before its sections, each piece written by pandoc's ``html5`` writer
(``export.fragments``: XHTML as pandoc's EPUB writer writes it, its elements closed) and
cached under a key of its blocks, so an edit writes one piece again. Made ready for the
EPUB by one walk (``_EpubWalk``):

- a link to another chapter's anchor points at that chapter's file (``ch007.xhtml#id``);
- every image, a ``data:`` URI in the AST, becomes a file of ``EPUB/media`` named by a
  digest of its data, listed in the package;
- footnotes are numbered through the book and written at the end of their piece, as
  ``aside`` elements an e-reader shows in a pop-up (``epub:type="footnote"``), each
  beginning with its number, a link back to its call;
- code blocks are named after their note (pandoc would number them in each piece);
- an id that does not begin with a letter gets ``id_`` before it, as pandoc's EPUB writer
  does for the navigation it writes (``xml_id``).

pandoc's ``epub3`` writer then writes the rest from the chapters' headings alone (with a
code block of each language a chapter holds, for the highlighting styles in its head):
the package document and its metadata, the navigation document and the NCX, the cover,
the title page, the stylesheet, and each chapter file's head, into which the pieces go.
The package is then given each chapter's properties (``mathml``, ``svg``) and the media.

pandoc's EPUB writer cannot run in its sandbox (it must read the stylesheet and the cover
from files), and needs not: the AST carries no raw HTML and no image other than ``data:``
URIs (``pandoc._defuse``), and its metadata is only the book's own (``with_metadata``), so
pandoc has no file name or URL of a note's to open. The two files it reads are written
here, in a private temporary folder.

Accessibility metadata (schema.org) follows what the book holds: textual, plus visual
when it has images; the summary is written in the book's language.

``write_epub`` takes the finished AST, the book's metadata, the stylesheet's text and the
cover (``choose_cover``: the configured image's bytes, read from the vault by
``vault.cover.read_cover``, else one drawn from the title) and returns the EPUB's bytes;
no vault file is opened here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
import re
import tempfile
import uuid
import zipfile
from html.parser import HTMLParser
from xml.etree import ElementTree

from ..model import Book
from . import pandoc
from .ast import PRINT_ONLY_ATTRIBUTES, each_node, rewrite
from .cover import Cover, drawn_cover
from .fragments import PieceWalk, write_walked_pieces
from .typography import typeset_text
from .units import split_at_headings

_SUMMARY = {
    "fr": ("Texte structuré par titres, avec table des matières navigable et renvois internes liés.",
           " Les images portent le nom de leur fichier comme texte de remplacement."),
    "en": ("Text structured by headings, with a navigable table of contents and linked cross-references.",
           " Images carry their file name as alternative text."),
}

_OPTIONS = ["--mathml", "--wrap=none"]  # as pandoc's EPUB writer writes its chapters
_CHAPTER_FILE = re.compile(r"EPUB/text/ch(\d+)\.xhtml")
_OPF = "http://www.idpf.org/2007/opf"
# the image types of an EPUB's core media, and their files' suffixes
_MEDIA_SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/svg+xml": ".svg",
                   "image/webp": ".webp"}


def book_identifier(book: Book) -> str:
    """The configured identifier, else a UUID that depends only on the title and authors,
    so that a new build of the same book is recognised as the same book by e-readers."""
    if book.identifier:
        return book.identifier
    key = "\n".join([book.title, *book.authors])
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "miena-book:" + key))


def choose_cover(book: Book, data: bytes | None, suffix: str) -> Cover:
    """The configured cover's bytes (read from the vault by ``vault.cover.read_cover``) when
    given, else a cover drawn from the book's title, subtitle and authors."""
    if data is not None:
        return Cover(data, suffix)
    return drawn_cover(typeset_text(book.title, book.language), typeset_text(book.subtitle, book.language),
                       book.authors)


def write_epub(ast: dict, book: Book, stylesheet_text: str, cover: Cover, cache=None) -> bytes:
    chapters = chapter_files(ast["blocks"])
    bodies, samples, media = _chapters_xhtml(ast.get("pandoc-api-version"), chapters, cache)
    # every image of the book is a data: URI (pandoc.made_safe), so each is one of the media
    frame = _frame(ast, chapters, samples, book, stylesheet_text, cover, has_images=bool(media))
    return _package(frame, bodies, media)


def chapter_files(blocks: list) -> list[list]:
    """The book's blocks cut into its chapter files as pandoc's EPUB writer cuts them
    (``--split-level=1``): before each level-1 heading, what precedes the first one in a
    file of its own."""
    return split_at_headings(blocks, 1)


# --- the chapters, in pieces --------------------------------------------------------------------

def _chapters_xhtml(api, chapters: list[list], cache) -> tuple[list[str], list[list], dict]:
    """Each chapter's XHTML body (its pieces, in order), the samples of each chapter (see
    ``_frame``) and the book's media (file name → ``data:`` URI).

    A piece is keyed by its blocks, by where the walk before it ended (footnotes numbered,
    the note its code blocks are named after), by its chapter's file and by the files of
    the anchors it links to in other chapters: a piece found in the cache is not written
    again (nor made ready: the walk resumes from the state kept with it)."""
    places = _anchor_files(chapters)
    walk = _EpubWalk(places)
    # every chapter's pieces in one list: pandoc writes them in batches across chapters
    pieces = [(number, piece) for number, chapter in enumerate(chapters, 1) for piece in split_at_headings(chapter, 2)]
    media: dict[str, str] = {}

    def key_parts(index: int) -> tuple:
        number, piece = pieces[index]
        walk.file = number
        targets, images = _links_and_images(piece, places, number)
        for uri in images:
            media.setdefault(_media_name(uri), uri)
        return number, targets

    htmls, samples_of = write_walked_pieces(api, [piece for _, piece in pieces], walk, walk.piece, _OPTIONS,
                                            "epub xhtml", cache, key_parts)
    bodies: list[list[str]] = [[] for _ in chapters]
    samples: list[dict] = [{} for _ in chapters]
    for (number, _), html, own in zip(pieces, htmls, samples_of):
        if html:
            bodies[number - 1].append(html.decode("utf-8"))
        for name, sample in own:
            samples[number - 1].setdefault(name, sample)
    return ["\n".join(body) for body in bodies], [list(own.values()) for own in samples], media


def _anchor_files(chapters: list[list]) -> dict[str, int]:
    """Each anchor of the book (an element's id) and the number of the chapter file it is in."""
    places: dict[str, int] = {}
    for number, chapter in enumerate(chapters, 1):
        def visit(node: dict, number=number) -> None:
            attr = _attr_of(node)
            if attr and attr[0]:
                places.setdefault(attr[0], number)
        each_node(chapter, visit)
    return places


def _attr_of(node: dict) -> list | None:
    kind = node.get("t")
    if kind == "Header":
        return node["c"][1]
    if kind in _WITH_ATTR:
        return node["c"][0]
    return None


def _links_and_images(piece: list, places: dict[str, int], number: int) -> tuple[list, list[str]]:
    """The anchors the piece links to in other chapter files (each with its file), and the
    ``data:`` URIs of its images: with its blocks, what its XHTML depends on."""
    targets: dict[str, int] = {}
    images: list[str] = []

    def visit(node: dict) -> None:
        kind = node.get("t")
        if kind == "Link":
            url = node["c"][2][0]
            if url.startswith("#") and places.get(url[1:], number) != number:
                targets[url[1:]] = places[url[1:]]
        elif kind == "Image" and node["c"][2][0].startswith("data:"):
            images.append(node["c"][2][0])

    each_node(piece, visit)
    return sorted(targets.items()), images


def _media_name(uri: str) -> str:
    """The file an image's ``data:`` URI becomes in ``EPUB/media`` (named by its digest)."""
    mime = uri[len("data:"):].split(";", 1)[0].split(",", 1)[0].lower()
    suffix = _MEDIA_SUFFIXES.get(mime) or "." + (re.sub(r"[^a-z0-9]", "", mime.rpartition("/")[2]) or "bin")
    return hashlib.sha256(uri.encode("ascii", "replace")).hexdigest()[:20] + suffix


class _EpubWalk(PieceWalk):
    """The book's blocks made ready for the EPUB, piece after piece, in one walk: links to
    other chapter files, images as media files, footnotes as ``aside`` elements at the end
    of their piece, code blocks named after their note (see the module's docstring), and
    the attributes only the PDF reads left out."""

    def __init__(self, places: dict[str, int]):
        super().__init__()
        self.places = places
        self.file = 1

    def piece(self, blocks: list, samples: dict) -> list:
        """The piece ready to be written, its footnotes at its end; what it holds that shapes
        its chapter's styles (a code block of each language, the bibliography's frame) is
        added to ``samples``."""
        notes: list[tuple[int, list]] = []

        def ready(node: dict):
            kind = node.get("t")
            if self.entered_note(node):
                return None
            if kind == "CodeBlock":
                return self.named_code(node, samples)
            if kind == "Link":
                attr, inlines, (url, title) = node["c"]
                if url.startswith("#"):
                    place = self.places.get(url[1:], self.file)
                    url = ("" if place == self.file else f"ch{place:03d}.xhtml") + "#" + xml_id(url[1:])
                return {"t": "Link", "c": [_with_xml_id(attr), rewrite(inlines, ready), [url, title]]}
            if kind == "Image":
                (identifier, classes, pairs), alt, (url, title) = node["c"]
                kept = [pair for pair in pairs if pair[0] not in PRINT_ONLY_ATTRIBUTES]
                if url.startswith("data:"):
                    url = "../media/" + _media_name(url)
                return {"t": "Image", "c": [[identifier, classes, kept], rewrite(alt, ready), [url, title]]}
            if kind == "Note":
                self.footnotes += 1
                own = self.footnotes
                notes.append((own, rewrite(node["c"], ready)))
                return {"t": "Link", "c": [[f"fnref{own}", ["footnote-ref"],
                                            [["epub:type", "noteref"], ["role", "doc-noteref"]]],
                                           [{"t": "Superscript", "c": [{"t": "Str", "c": str(own)}]}],
                                           [f"#fn{own}", ""]]}
            if kind == "Div" and "csl-bib-body" in node["c"][0][1]:
                samples.setdefault("bibliography", {"t": "Div", "c": [node["c"][0], []]})
            return None

        made = rewrite(rewrite(blocks, ready), _xml_ids)
        if notes:
            asides: list = [{"t": "HorizontalRule"}]
            for own, content in notes:
                # pandoc writes a Div as a div: the aside an e-reader looks for is written around
                # the note's blocks (its attributes are the build's own, never a note's text)
                asides += [{"t": "RawBlock", "c": ["html", f'<aside epub:type="footnote" role="doc-footnote" '
                                                           f'id="fn{own}">']},
                           *_numbered(rewrite(content, _xml_ids), own), {"t": "RawBlock", "c": ["html", "</aside>"]}]
            made.append({"t": "Div", "c": [["", ["section", "footnotes", "footnotes-end-of-document"],
                                            [["epub:type", "footnotes"]]], asides]})
        return made


def _numbered(content: list, number: int) -> list:
    """A footnote's blocks beginning with its number, a link back to its call: an e-reader
    that shows the note in a pop-up needs none, one that reads the section straight through
    shows which call the note answers."""
    back = {"t": "Link", "c": [["", ["footnote-back"], [["role", "doc-backlink"]]], [{"t": "Str", "c": f"{number}."}],
                               [f"#fnref{number}", ""]]}
    if content and content[0].get("t") in ("Para", "Plain"):
        first = content[0]
        return [{"t": first["t"], "c": [back, {"t": "Space"}, *first["c"]]}, *content[1:]]
    return [{"t": "Plain", "c": [back]}, *content]


def xml_id(identifier: str) -> str:
    """An id as pandoc's EPUB writer gives it (``ensureValidXmlIdentifiers``): one that does
    not begin with a letter gets ``id_`` before it. The navigation it writes names the
    headings so; the pieces' ids and links must agree."""
    return identifier if not identifier or identifier[0].isalpha() else "id_" + identifier


def _with_xml_id(attr: list) -> list:
    return attr if not attr[0] or attr[0][0].isalpha() else [xml_id(attr[0]), *attr[1:]]


def _xml_ids(node: dict):
    """Every id of a piece as ``xml_id`` makes it (links were made so by the walk)."""
    kind = node.get("t")
    position = 1 if kind == "Header" else 0 if kind in _WITH_ATTR else None
    if position is None:
        return None
    content = node["c"]
    attr = content[position]
    if not attr[0] or attr[0][0].isalpha():
        return None
    fixed = list(content)
    fixed[position] = _with_xml_id(attr)
    return {**node, "c": rewrite(fixed, _xml_ids)}


_WITH_ATTR = frozenset(("Div", "Span", "CodeBlock", "Code", "Link", "Image", "Table", "Figure"))


# --- the frame pandoc writes, and the package ----------------------------------------------------

def _frame(ast: dict, chapters: list[list], samples: list[list], book: Book, stylesheet_text: str, cover: Cover,
           has_images: bool) -> bytes:
    """pandoc's EPUB of the chapters' headings and samples (what makes pandoc add styles to
    a chapter's head: a code block of each language, the bibliography's frame, its entries
    left out): its package, navigation, cover, title page, stylesheet and chapter heads
    are the book's."""
    skeleton: list = []
    for chapter, chapter_samples in zip(chapters, samples):
        headings = [_bare_heading(block) for block in chapter if block.get("t") == "Header"]
        if not headings or chapter[0].get("t") != "Header":
            # blocks before the first heading: pandoc gives them a file of their own
            headings.insert(0, {"t": "Plain", "c": [{"t": "Str", "c": "\u00a0"}]})
        skeleton += headings + chapter_samples
    short_language = book.language.split("-")[0].lower()
    text, images = _SUMMARY.get(short_language, _SUMMARY["en"])
    features = ["readingOrder", "structuralNavigation", "tableOfContents"]
    document = pandoc.with_metadata({**ast, "blocks": skeleton}, {
        "lang": book.language, "title": typeset_text(book.title, book.language),
        "subtitle": typeset_text(book.subtitle, book.language), "author": book.authors, "date": book.date,
        "identifier": book_identifier(book),
        "subject": book.keywords, "toc-title": book.words.contents,
        "accessModes": ["textual", "visual"] if has_images else ["textual"],
        # images without written descriptions: text and sight are both needed to get everything
        "accessModeSufficient": ["textual,visual"] if has_images else ["textual"],
        "accessibilityFeatures": features,
        "accessibilityHazards": ["none"],
        "accessibilitySummary": text + (images if has_images else ""),
    })
    with tempfile.TemporaryDirectory() as tmp:
        css = os.path.join(tmp, "epub.css")
        with open(css, "w", encoding="utf-8") as handle:
            handle.write(stylesheet_text)
        cover_path = os.path.join(tmp, "cover" + cover.suffix)
        with open(cover_path, "wb") as handle:
            handle.write(cover.data)
        return pandoc.write(document, "epub3", [
            "--split-level=1", "--toc", "--toc-depth=3", "--mathml", "--css", css,
            "--epub-cover-image", cover_path, "--epub-title-page=true", "-o", "-",
        ], sandbox=False)


def _bare_heading(block: dict) -> dict:
    """A heading as the navigation lists it: its footnotes and images left out (pandoc
    would write them into the frame's chapter, which is not kept)."""
    def bare(node: dict):
        if node.get("t") == "Note":
            return {"t": "Str", "c": ""}
        if node.get("t") == "Image":
            return {"t": "Span", "c": [["", [], []], node["c"][1]]}
        return None
    return rewrite(block, bare)


def _package(frame: bytes, bodies: list[str], media: dict[str, str]) -> bytes:
    """The EPUB: pandoc's frame, each chapter file's body replaced by the chapter's pieces,
    the media added and listed, each chapter's properties set in the package document."""
    with zipfile.ZipFile(io.BytesIO(frame)) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    chapter_names = [info.filename for info, _ in entries if _CHAPTER_FILE.fullmatch(info.filename)]
    if len(chapter_names) != len(bodies):
        raise ValueError(f"pandoc wrote {len(chapter_names)} chapter files for {len(bodies)} chapters")
    body_of = {f"EPUB/text/ch{number:03d}.xhtml": body for number, body in enumerate(bodies, 1)}
    files = {name: ("application/xhtml+xml", body) for name, body in body_of.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        stamp = entries[0][0].date_time
        for info, data in entries:
            if info.filename in body_of:
                data = _with_body(data.decode("utf-8"), body_of[info.filename]).encode("utf-8")
            elif info.filename == "EPUB/content.opf":
                data = _with_items(data, files, media)
            target.writestr(_copy_of(info), data)
        for name in sorted(media):
            info = zipfile.ZipInfo("EPUB/media/" + name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entries[-1][0].external_attr
            target.writestr(info, _data_of(media[name]))
    return out.getvalue()


def _copy_of(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = info.compress_type
    copy.external_attr = info.external_attr
    copy.create_system = info.create_system
    return copy


def _data_of(uri: str) -> bytes:
    header, _, data = uri.partition(",")
    if header.endswith(";base64"):
        try:
            return base64.b64decode(data, validate=False)
        except binascii.Error:
            return b""
    from urllib.parse import unquote_to_bytes
    return unquote_to_bytes(data)


class _BodyStart(HTMLParser):
    """Where the ``body`` element's start tag ends, in pandoc's chapter file."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.line_and_column: tuple[int, int] | None = None
        self.tag = ""

    def handle_starttag(self, tag, attrs):
        if tag == "body" and self.line_and_column is None:
            self.line_and_column = self.getpos()
            self.tag = self.get_starttag_text() or ""


def _with_body(chapter_file: str, body: str) -> str:
    """pandoc's chapter file, its head and ``body`` tag kept, the body's content ``body``."""
    finder = _BodyStart()
    finder.feed(chapter_file)
    finder.close()
    if finder.line_and_column is None:
        raise ValueError("a chapter file of pandoc's has no body")
    line, column = finder.line_and_column
    start = sum(len(text) for text in chapter_file.splitlines(keepends=True)[:line - 1]) + column
    head = chapter_file[:start + len(finder.tag)]
    return head + "\n" + body + "\n</body>\n</html>\n"


def _with_items(opf: bytes, chapters: dict[str, tuple[str, str]], media: dict[str, str]) -> bytes:
    """The package document with each chapter's properties as its XHTML needs them
    (``mathml``, ``svg``), and an item for each media file."""
    ElementTree.register_namespace("", _OPF)
    ElementTree.register_namespace("dc", "http://purl.org/dc/elements/1.1/")
    root = ElementTree.fromstring(opf)
    manifest = root.find(f"{{{_OPF}}}manifest")
    if manifest is None:
        raise ValueError("pandoc's package document has no manifest")
    for item in manifest.findall(f"{{{_OPF}}}item"):
        name = "EPUB/" + item.get("href", "")
        if name not in chapters:
            continue
        body = chapters[name][1]
        properties = [value for value in (item.get("properties") or "").split() if value not in ("mathml", "svg")]
        properties += [value for value, tag in (("mathml", "<math"), ("svg", "<svg")) if tag in body]
        if properties:
            item.set("properties", " ".join(properties))
        elif "properties" in item.attrib:
            del item.attrib["properties"]
    for name in sorted(media):
        ElementTree.SubElement(manifest, f"{{{_OPF}}}item", {
            "id": "media-" + name.replace(".", "-"), "href": "media/" + name,
            "media-type": media[name][len("data:"):].split(";", 1)[0].split(",", 1)[0].lower()})
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="utf-8",
                                                                             xml_declaration=False)
