"""Reading a build's outputs back: every file, the EPUB's members, the PDF's text, attached
files and images, and the markup of the HTML and XHTML that a reader's browser would act on.

`active_markup` lists what in a page could run a script or fetch something when the page
is opened: script-like elements, ``on*`` handlers, ``javascript:`` URLs, resources loaded
from anywhere but a ``data:`` URI or the EPUB itself, ``url()`` in style attributes.
Ordinary links (``href`` to a web page or a file) are not fetched, so they are allowed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

ACTIVE_ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form"})
URL_ATTRIBUTES = frozenset({"href", "src", "xlink:href", "action", "formaction", "data", "poster", "background",
                            "srcset", "cite", "longdesc"})
FETCHING_ATTRIBUTES = frozenset({"src", "poster", "data", "background", "srcset"})
SCRIPT_SCHEMES = ("javascript:", "vbscript:")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL scheme ("java\tscript:")
XML_MEMBERS = (".xhtml", ".opf", ".ncx", ".xml")


class _MarkupScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ACTIVE_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        if tag == "link" and ("attachment" in values.get("rel", "").lower() or _SCHEME.match(values.get("href", ""))):
            self.problems.append(f"<link rel={values.get('rel')!r} href={values.get('href')!r}>")
        for name, value in values.items():
            compact = _INVISIBLE.sub("", value).lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}> event handler")
            elif name in URL_ATTRIBUTES and compact.startswith(SCRIPT_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}> script URL")
            elif name in FETCHING_ATTRIBUTES and _fetches_from_elsewhere(compact):
                self.problems.append(f"<{tag} {name}={value[:80]!r}> loads a resource from outside the book")
            elif name == "style" and any(word in compact for word in ("url(", "@import", "expression(")):
                self.problems.append(f"<{tag} style={value!r}> loads or runs something")


def _fetches_from_elsewhere(url: str) -> bool:
    """True unless the URL is a data: URI or a path inside the document's own package."""
    if url.startswith("data:"):
        return False
    return bool(_SCHEME.match(url)) or url.startswith("/")


def active_markup(markup: str) -> list[str]:
    scanner = _MarkupScanner()
    scanner.feed(markup)
    scanner.close()
    return scanner.problems


def xml_problem(data: bytes) -> str | None:
    """Why an XML document is not well-formed, or None."""
    try:
        ElementTree.fromstring(data)
    except ElementTree.ParseError as problem:
        return str(problem)
    return None


@dataclass
class BuildOutputs:
    """Everything a build wrote, read back once."""

    files: dict[str, bytes] = field(default_factory=dict)  # out-relative path -> bytes
    epub_members: dict[str, bytes] = field(default_factory=dict)  # "book.epub!EPUB/text/ch001.xhtml" -> bytes
    pdf_texts: dict[str, str] = field(default_factory=dict)

    def of_kind(self, suffix: str) -> list[str]:
        return sorted(name for name in self.files if name.endswith(suffix))

    def html_pages(self) -> dict[str, str]:
        return {name: self.files[name].decode("utf-8", "replace") for name in self.of_kind(".html")}

    def markup_documents(self) -> dict[str, str]:
        """The HTML page and the EPUB's XHTML documents, as text."""
        documents = self.html_pages()
        for name, data in self.epub_members.items():
            if name.endswith((".xhtml", ".html")):
                documents[name] = data.decode("utf-8", "replace")
        return documents

    def every_blob(self) -> dict[str, bytes]:
        """Each file, each EPUB member and each PDF's text, to search for what must not be there."""
        blobs = dict(self.files)
        blobs.update(self.epub_members)
        blobs.update({f"{name} (text)": text.encode("utf-8") for name, text in self.pdf_texts.items()})
        return blobs


def read_outputs(out: Path) -> BuildOutputs:
    outputs = BuildOutputs()
    if not out.is_dir():
        return outputs
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = path.relative_to(out).as_posix()
        outputs.files[name] = path.read_bytes()
        if name.endswith(".epub"):
            with zipfile.ZipFile(path) as epub:
                for member in epub.namelist():
                    outputs.epub_members[f"{name}!{member}"] = epub.read(member)
        elif name.endswith(".pdf") and shutil.which("pdftotext"):
            outputs.pdf_texts[name] = _poppler("pdftotext", str(path), "-")
    return outputs


def _poppler(tool: str, *args: str) -> str:
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True, timeout=60).stdout


def pdf_attachment_count(pdf: Path) -> int:
    """How many files the PDF carries, as ``pdfdetach -list`` counts them."""
    listing = _poppler("pdfdetach", "-list", str(pdf))
    found = re.match(r"(\d+) embedded files", listing)
    assert found, listing
    return int(found.group(1))


def pdf_image_sizes(pdf: Path) -> list[tuple[int, int]]:
    """Width and height of every image drawn in the PDF (``pdfimages -list``)."""
    rows = _poppler("pdfimages", "-list", str(pdf)).splitlines()[2:]
    return [(int(columns[3]), int(columns[4])) for columns in (row.split() for row in rows) if len(columns) > 4]


def poppler_available() -> bool:
    return all(shutil.which(tool) for tool in ("pdftotext", "pdfdetach", "pdfimages"))
