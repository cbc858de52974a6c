"""EPUB 3: one XHTML file per chapter, a navigation document, a cover and full metadata.

Written by pandoc's ``epub3`` writer from the finished AST. It cannot run in pandoc's
sandbox (it must read the stylesheet and the cover from files), and needs not: the AST
carries no raw HTML and no image other than ``data:`` URIs (``pandoc._defuse``), and its
metadata is only the book's own (``with_metadata``), so pandoc has no file name or URL of
a note's to open. The two files it reads are written here, in a private temporary folder.

Accessibility metadata (schema.org) follows what the book holds: textual, plus visual
when it has images; the summary is written in the book's language.

``write_epub`` takes the finished AST, the book's metadata, the stylesheet's text and the
cover (``choose_cover``: the configured image's bytes, read from the vault by
``vault.cover.read_cover``, else one drawn from the title) and returns the EPUB's bytes;
no vault file is opened here.
"""

from __future__ import annotations

import os
import tempfile
import uuid

from ..model import Book
from . import pandoc
from .ast import each_node, for_screen
from .cover import Cover, drawn_cover
from .typography import typeset_text

_SUMMARY = {
    "fr": ("Texte structuré par titres, avec table des matières navigable et renvois internes liés.",
           " Les images portent le nom de leur fichier comme texte de remplacement."),
    "en": ("Text structured by headings, with a navigable table of contents and linked cross-references.",
           " Images carry their file name as alternative text."),
}


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


def write_epub(ast: dict, book: Book, stylesheet_text: str, cover: Cover, has_images: bool) -> bytes:
    short_language = book.language.split("-")[0].lower()
    text, images = _SUMMARY.get(short_language, _SUMMARY["en"])
    features = ["readingOrder", "structuralNavigation", "tableOfContents"]
    document = pandoc.with_metadata(for_screen(ast), {
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


def has_images(ast: dict) -> bool:
    """Whether any image reached the book (its access modes then include "visual")."""
    found = []
    each_node(ast["blocks"], lambda node: found.append(True) if node.get("t") == "Image" else None)
    return bool(found)
