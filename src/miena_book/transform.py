"""Transform: a note's Obsidian Markdown to the Markdown pandoc reads (``commonmark_x``).

Takes a note and where it lands in the book; returns its new body, diagnostics and the
typed relations its inline fields declare. Code (fenced blocks and inline spans) and math
are left exactly as written. First ``%%comments%%`` vanish, over the whole note (a fenced
block inside a comment too; ``fences.without_comments``). Then, in the prose, in this order:

1. block ids (``^id``) become anchors and leave the text (``obsidian.blocks``);
2. callouts become styled blocks (``obsidian.callouts``);
3. headings move below the note's title, never skipping a level, and get ids that
   ``[[Note#Heading]]`` links reach; the note's own title (its first H1) is dropped;
4. embeds: ``![[Note]]``, ``![[Note#Heading]]``, ``![[Note#^block]]`` bring that text in,
   transformed where it lands (links resolved from the embedded note, headings shifted),
   within a depth bound and without cycles; ``![[image.png|300]]`` becomes an image from
   the vault; other files a name and a notice;
5. task checkboxes become ☐ ☑ ☒ (``obsidian.inline``);
6. inline fields (``Key:: value``, ``[Key:: value]``, ``(Key:: value)``) are shown as
   Dataview shows them and recorded as relations;
7. citations (``[@key, p. 12]``, ``@key``) are marked for citeproc;
8. ``[[links]]`` and Markdown links to notes become cross-references when the target is
   in the book, text otherwise (with a footnote, when configured), each with a warning; a
   link to a source note becomes a citation of it (when configured so);
9. footnotes get book-wide labels, ``^[inline notes]`` become footnotes;
10. ``==highlights==`` and ``#tags`` are marked for the stylesheets.

Finished pieces are kept aside as tokens (``Protected``) so that no later pass reads
them again: an embedded note is transformed once, by its own rules.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from dataclasses import dataclass, field

from .assets import AssetStore
from .bibliography.citations import citation_markdown, mark_citations
from .diagnostics import Diagnostic, info, warning
from .fences import segments, without_comments
from .model import Note
from .names import NameIndex, ambiguity_warning
from .obsidian import callouts, inline
from .obsidian.blocks import mark_block_ids
from .obsidian.fields import BRACKET_FIELD, LINE_FIELD, PAREN_FIELD, unquote_links
from .obsidian.structure import BLOCK_ID, HEADING, Heading, NoteStructure
from .slugs import ascii_slug

_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_DISPLAY_MATH = re.compile(r"\$\$(?:.|\n)+?\$\$")
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?=[^\s$])[^$\n]*?(?<=[^\s\\])\$(?!\d)")
_EMBED = re.compile(r"!\[\[([^\[\]\n]*?)\]\]")
_WIKILINK = re.compile(r"\[\[([^\[\]\n]*?)\]\]")
_MD_LINK = re.compile(r"(?<!!)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\((<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)")
_SIZE = re.compile(r"^(\d+)(?:x(\d+))?$")
_TOKEN = re.compile("\x00(\\d+)\x00")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")


@dataclass(frozen=True)
class LinkTarget:
    note: Note
    anchor: str  # the id of the note's section in the book


@dataclass(frozen=True)
class Relation:
    """One typed relation a note declares: ``Régulation:: [[X]]`` or ``sibling: [[X]]``."""

    key: str
    target: Note | None  # None: the value is text (or a link to no note)
    text: str  # the value as written, without the brackets
    line: int | None


@dataclass
class Transformed:
    body: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


def note_anchor(note: Note) -> str:
    """A stable id for a note's section: ASCII, unique per path."""
    return f"{ascii_slug(note.stem, 48, 'note')}-{hashlib.sha1(note.path.encode()).hexdigest()[:6]}"


def heading_anchor(note: Note, heading: Heading) -> str:
    return f"{note_anchor(note)}--{heading.slug}"


def block_anchor(note: Note, block_id: str) -> str:
    return f"{note_anchor(note)}--block-{ascii_slug(block_id, 40, 'b')}"


def escape_label(label: str) -> str:
    """Text shown as is in Markdown (a link's label, a note's title, a name): every character
    that could start markup, attributes (``{.class}``) included, is escaped."""
    return re.sub(r"([\[\]\\*_`<>|$#=~^@{}])", r"\\\1", label)


class Protected:
    """Finished Markdown kept out of later passes: ``keep`` returns a token, ``restore``
    puts the pieces back (tokens inside pieces included)."""

    def __init__(self):
        self.pieces: list[str] = []

    def keep(self, markdown: str) -> str:
        self.pieces.append(markdown)
        return f"\x00{len(self.pieces) - 1}\x00"

    def restore(self, text: str) -> str:
        while "\x00" in text:
            text = _TOKEN.sub(lambda m: self.pieces[int(m.group(1))], text)
        return text


@dataclass
class _Pass:
    """What one rendering of one note carries from pass to pass."""

    note: Note
    structure: NoteStructure
    floor: int  # headings go below this level: the note's title, or where an embed lands
    shift: int  # added to a heading's written level
    with_ids: bool  # False inside an embed: the note's own place has the ids
    chain: tuple[str, ...]  # embeds being expanded, outermost first, to stop cycles
    result: Transformed
    kept: Protected
    footnote_prefix: str = ""
    footnotes: list[str] = field(default_factory=list)
    previous_level: int = 0
    next_heading: int = 0  # index in structure.headings of the next heading to meet
    cursors: dict[str, int] = field(default_factory=dict)  # per pass, where its last snippet was found


class NoteTransformer:
    """Rewrites notes for the book; shares the index, the book's notes and the assets."""

    def __init__(self, index: NameIndex, in_book: dict[str, LinkTarget], assets: AssetStore,
                 outside_footnote: str | None = None, colon: str = " :", embed_depth: int = 10,
                 citation_keys: set[str] | frozenset[str] | None = frozenset(),
                 source_keys: dict[str, str] | None = None,
                 source_links: str = "citation"):
        """``outside_footnote``: when set, a link to a note that is not in the book gets a
        footnote with this text (``{title}`` is replaced by the note's title). ``colon`` is
        the key/value separator of fields in the book's language (French: a no-break space
        and a colon)."""
        self.index = index
        self.in_book = in_book
        self.assets = assets  # embedded files: found by name or path, read from the vault only
        self.outside_footnote = outside_footnote
        self.colon = colon
        self.embed_depth = embed_depth
        self.citation_keys = citation_keys
        self.source_keys = source_keys or {}  # source note path -> its citation key
        self.source_links = source_links
        self._structures: dict[str, NoteStructure] = {}
        self._footnote_serial = 0

    def structure(self, note: Note) -> NoteStructure:
        if note.path not in self._structures:
            self._structures[note.path] = NoteStructure(note.body)
        return self._structures[note.path]

    # --- entry points ---------------------------------------------------------------

    def transform(self, note: Note, depth: int) -> Transformed:
        """The note at its own place in the book, its title at heading level ``depth``."""
        result = Transformed("")
        structure = self.structure(note)
        state = self._pass(note, floor=depth, shift=depth - 1, with_ids=True, chain=(note.path,), result=result)
        result.body = self._render(state, structure.lines, 0)
        return result

    def _pass(self, note: Note, floor: int, shift: int, with_ids: bool, chain: tuple[str, ...],
              result: Transformed) -> _Pass:
        self._footnote_serial += 1
        return _Pass(note, self.structure(note), floor, shift, with_ids, chain, result, Protected(),
                     footnote_prefix=f"n{self._footnote_serial}-", previous_level=floor)

    def _render(self, state: _Pass, lines: list[str], first_index: int) -> str:
        pieces = []
        index = first_index
        for is_code, text in segments("\n".join(without_comments(lines))):
            count = text.count("\n") + 1
            if is_code:
                self._notice_unrendered_code(state, text, index)
                pieces.append(text)
            else:
                pieces.append(self._prose(state, text, index))
            index += count
        body = "\n".join(pieces)
        if state.footnotes:
            body += "\n\n" + "\n\n".join(state.footnotes) + "\n"
        return state.kept.restore(body)

    def _notice_unrendered_code(self, state: _Pass, text: str, index: int) -> None:
        language = text.split("\n", 1)[0].strip().strip("`~").strip().lower()
        if language in ("mermaid", "dataview", "dataviewjs", "tasks", "query"):
            state.result.diagnostics.append(info(
                "code.unrendered", f"a '{language}' block is printed as code: the book has no {language} engine",
                state.note.path, self._line(state, index)))

    # --- prose ----------------------------------------------------------------------

    def _prose(self, state: _Pass, text: str, first_index: int) -> str:
        kept = state.kept
        text = _CODE_SPAN.sub(lambda m: kept.keep(m.group(0)), text)
        text = _DISPLAY_MATH.sub(lambda m: kept.keep(m.group(0)), text)
        text = _INLINE_MATH.sub(lambda m: kept.keep(m.group(0)), text)
        # block ids first: an id after a callout marks the callout, which must still be a quote
        text = mark_block_ids(text, lambda block_id: block_anchor(state.note, block_id), state.with_ids)
        text = callouts.convert(text)
        text = self._headings(state, text)
        text = self._embeds(state, text)
        text = inline.tasks(text, kept.keep)
        text = self._fields(state, text)
        if self.citation_keys is not None:  # None: citations cannot be formatted, they stay as written
            text = mark_citations(text, self.citation_keys, kept.keep, lambda key, written: self._unknown_key(
                state, key, written))
        text = _EMBED.sub(lambda m: m.group(0)[1:], text)  # a "!" left before a link that is not an embed
        text = _WIKILINK.sub(lambda m: kept.keep(self._wikilink(state, m)), text)
        text = _MD_LINK.sub(lambda m: self._markdown_link(state, m), text)
        text, definitions = inline.footnotes(text, state.footnote_prefix, self._new_footnote_label)
        state.footnotes.extend(definitions)
        text = inline.highlights(text)
        text = inline.tags(text, kept.keep)
        return text

    def _new_footnote_label(self) -> str:
        self._footnote_serial += 1
        return f"inline-{self._footnote_serial}"

    def _line(self, state: _Pass, index: int) -> int:
        return state.note.body_line + index

    def _line_of(self, state: _Pass, snippet: str, kind: str) -> int:
        """The file line of ``snippet``: each pass (``kind``) meets its snippets in text
        order, so the search goes on from where that pass last found one: the same link
        written on three lines gets three lines, and a long note is read once per pass."""
        body = state.note.body
        position = body.find(snippet, state.cursors.get(kind, 0))
        if position < 0:
            position = body.find(snippet)
            if position < 0:
                return state.note.body_line
        state.cursors[kind] = position + len(snippet)
        return state.note.body_line + state.structure.line_index(position)

    # --- headings -------------------------------------------------------------------

    def _headings(self, state: _Pass, text: str) -> str:
        lines = []
        for line in text.split("\n"):
            match = HEADING.match(line)
            if not match:
                lines.append(line)
                continue
            level, heading_text = len(match.group(1)), match.group(2)
            heading = self._next_heading(state, heading_text)
            if state.with_ids and heading is not None and heading is state.structure.title_heading:
                continue  # the note's own title (read.first_h1): the template prints it
            # below the note's title (or the embed's landing point), at most one level deeper
            # than the heading before, and never past h6
            wanted = min(max(level + state.shift, state.floor + 1), state.previous_level + 1, 6)
            state.previous_level = wanted
            if not state.with_ids:
                # an embedded copy's headings are not places of the book: no table of contents
                # entry, no bookmark (print.css), no id that would clash with the original's
                attributes = " {.unlisted .embedded}"
            elif heading is not None:
                attributes = f" {{#{heading_anchor(state.note, heading)}}}"
            else:
                attributes = ""
            lines.append("#" * wanted + " " + heading_text + attributes)
        return "\n".join(lines)

    @staticmethod
    def _next_heading(state: _Pass, text: str) -> Heading | None:
        """The structure's entry for the heading met in the text (same text, in order)."""
        for position in range(state.next_heading, len(state.structure.headings)):
            if state.structure.headings[position].text == text:
                state.next_heading = position + 1
                return state.structure.headings[position]
        return None

    # --- embeds ---------------------------------------------------------------------

    def _embeds(self, state: _Pass, text: str) -> str:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if "![[" not in line:
                continue
            lines[i] = self._embeds_in_line(state, line)
        return "\n".join(lines)

    def _embeds_in_line(self, state: _Pass, line: str) -> str:
        matches = list(_EMBED.finditer(line))
        out, last = [], 0
        for match in matches:
            replacement, is_block = self._embed(state, match)
            before = line[last:match.start()]
            if is_block:
                prefix = before if not out and re.fullmatch(r"[ \t>]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?", before) else None
                if prefix is not None:
                    out.append(prefix + self._indent_block(prefix, replacement))
                else:
                    out.append(before + "\n\n" + replacement + "\n\n")
            else:
                out.append(before + replacement)
            last = match.end()
        out.append(line[last:])
        return "".join(out)

    @staticmethod
    def _indent_block(prefix: str, block: str) -> str:
        """A block placed after ``prefix`` (a quote's ``> `` or a list marker) keeps its lines there."""
        quote = re.match(r"[ \t>]*", prefix).group(0)
        list_marker = prefix[len(quote):]
        continuation = quote + " " * len(list_marker)
        lines = block.split("\n")
        if list_marker:  # the item opens on its own line, the block is its content
            return "\n" + "\n".join(continuation + line if line else quote.rstrip() for line in lines)
        return "\n".join([lines[0], *[(continuation + line) if line else quote.rstrip() for line in lines[1:]]])

    def _embed(self, state: _Pass, match: re.Match[str]) -> tuple[str, bool]:
        """The Markdown an embed stands for, and whether it is a block (a note's text)."""
        inner = match.group(1).replace("\\|", "|")
        target, _, option = inner.partition("|")
        name, _, fragment = target.partition("#")
        name = name.strip()
        line = self._line_of(state, match.group(0), "embed")
        suffix = name.lower().rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""
        if name and "." + suffix in IMAGE_SUFFIXES:
            return self._image(state, name, option.strip(), line), False
        if suffix and suffix != "md":
            return self._file(state, name, line), False
        note = state.note if not name else self._resolve(state, name, line, code="embed.missing", verb="embedded")
        if note is None:
            return state.kept.keep(escape_label(name)), False
        key = f"{note.path}#{fragment}"
        if key in state.chain:
            state.result.diagnostics.append(warning(
                "embed.cycle", f"![[{target}]] embeds itself through {' → '.join(state.chain)}; not expanded",
                state.note.path, line))
            return state.kept.keep(escape_label(option.strip() or target)), False
        if len(state.chain) > self.embed_depth:
            state.result.diagnostics.append(warning(
                "embed.depth", f"![[{target}]] is more than {self.embed_depth} embeds deep; not expanded",
                state.note.path, line))
            return state.kept.keep(escape_label(option.strip() or target)), False
        lines = self._embedded_lines(state, note, fragment, target, line)
        if lines is None:
            return state.kept.keep(escape_label(option.strip() or target)), False
        landing = state.previous_level
        inner_state = self._pass(note, floor=landing, shift=landing + 1 - _top_level(lines), with_ids=False,
                                 chain=(*state.chain, key), result=state.result)
        body = self._render(inner_state, lines, 0)
        return state.kept.keep(f"::: {{.embed data-source=\"{_attribute(note.title)}\"}}\n{body.strip()}\n:::"), True

    def _embedded_lines(self, state: _Pass, note: Note, fragment: str, target: str, line: int) -> list[str] | None:
        structure = self.structure(note)
        if not fragment.strip():
            lines = list(structure.lines)
            if structure.title_heading is not None:  # the embedded note's title: the embed shows its text
                lines[structure.title_heading.line_index] = ""
            return lines
        if fragment.startswith("^"):
            block = structure.blocks.get(fragment[1:].strip())
            if block is None:
                state.result.diagnostics.append(warning(
                    "embed.block", f"![[{target}]]: no block '^{fragment[1:].strip()}' in '{note.path}'",
                    state.note.path, line))
                return None
            return [BLOCK_ID.sub("", text) for text in structure.lines[block.first:block.last + 1]]
        heading = structure.find_heading(fragment.split("#"))
        if heading is None:
            state.result.diagnostics.append(warning(
                "embed.heading", f"![[{target}]]: no heading '{fragment}' in '{note.path}'", state.note.path, line))
            return None
        start, end = structure.section_lines(heading)
        return structure.lines[start:end]

    def _image(self, state: _Pass, name: str, option: str, line: int) -> str:
        uri = self.assets.data_uri(name, state.note.path)
        if uri is None:
            state.result.diagnostics.append(warning("embed.missing", f"embedded file '{name}' is not in the vault",
                                                    state.note.path, line))
            return state.kept.keep(escape_label(name))
        size = _SIZE.match(option)
        alt = option if option and not size else name.rsplit("/", 1)[-1]
        attributes = ""
        if size:
            attributes = f"{{width={size.group(1)}px" + (f" height={size.group(2)}px" if size.group(2) else "") + "}"
        return state.kept.keep(f"![{escape_label(alt)}]({uri}){attributes}")

    def _file(self, state: _Pass, name: str, line: int) -> str:
        found = self.assets.find(name, state.note.path)
        if found is None:
            state.result.diagnostics.append(warning("embed.missing", f"embedded file '{name}' is not in the vault",
                                                    state.note.path, line))
        else:
            state.result.diagnostics.append(info(
                "embed.file", f"'{name}' cannot be shown in a book; its name is printed instead",
                state.note.path, line))
        return state.kept.keep(f"[📎 {escape_label(name.rsplit('/', 1)[-1])}]{{.attachment}}")

    # --- inline fields --------------------------------------------------------------

    def _fields(self, state: _Pass, text: str) -> str:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if "::" not in line:
                continue
            whole = LINE_FIELD.match(line)
            if whole and not line.lstrip().startswith(":::"):
                key, value = whole.group("key").strip(), unquote_links(whole.group("value").strip())
                self._record(state, key, value, line)
                shown = f"[{escape_label(key)}]{{.field-key}}{self.colon} {value}".rstrip()
                lines[i] = whole.group("prefix") + f"[{shown}]{{.field}}"
                continue
            line = BRACKET_FIELD.sub(lambda m: self._inline_field(state, m, line, show_key=True), line)
            lines[i] = PAREN_FIELD.sub(lambda m: self._inline_field(state, m, line, show_key=False), line)
        return "\n".join(lines)

    def _inline_field(self, state: _Pass, match: re.Match[str], line: str, show_key: bool) -> str:
        key, value = match.group("key").strip(), unquote_links(match.group("value").strip())
        self._record(state, key, value, line)
        if show_key:
            return f"[[{escape_label(key)}]{{.field-key}}{self.colon} {value}]{{.field}}"
        return f"[{value}]{{.field}}"

    def _record(self, state: _Pass, key: str, value: str, line_text: str) -> None:
        if not state.with_ids:
            return  # an embedded copy: the note declares its relations at its own place
        line = self._line_of(state, line_text.strip(), "field")
        links = list(_WIKILINK.finditer(value))
        if not links:
            state.result.relations.append(Relation(key, None, value, line))
        for link in links:
            name = link.group(1).replace("\\|", "|").split("|")[0].split("#")[0].strip()
            found = self.index.resolve(name, state.note.path).note if name else None
            state.result.relations.append(Relation(key, found, name, line))

    # --- links ----------------------------------------------------------------------

    def _resolve(self, state: _Pass, name: str, line: int, code: str = "link.unresolved",
                 verb: str = "linked") -> Note | None:
        found = self.index.resolve(name, state.note.path)
        if found.note is None:
            what = "[[" + name + "]]" if code == "link.unresolved" else f"![[{name}]]"
            state.result.diagnostics.append(warning(code, f"{what} matches no note; shown as text",
                                                    state.note.path, line))
            return None
        if found.ambiguous:
            state.result.diagnostics.append(ambiguity_warning(name, found, state.note.path, line))
        return found.note

    def _wikilink(self, state: _Pass, match: re.Match[str]) -> str:
        inner = match.group(1).replace("\\|", "|")
        target, has_label, label = inner.partition("|")
        name, _, fragment = target.partition("#")
        name, fragment = name.strip(), fragment.strip()
        line = self._line_of(state, match.group(0), "link")
        if has_label and label.strip():
            shown = escape_label(label.strip())
        elif not name:
            shown = escape_label(fragment.lstrip("^").replace("#", " > "))
        else:
            shown = escape_label(" > ".join([name, *[part.strip() for part in fragment.split("#") if part.strip()]])
                                 if fragment else name)
        return self._link_to(state, name, fragment, shown, line, target, labelled=bool(has_label and label.strip()))

    def _markdown_link(self, state: _Pass, match: re.Match[str]) -> str:
        label, destination = match.group(1), match.group(2).strip("<>")
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", destination) or destination.startswith("#") or not destination:
            return match.group(0)  # a URL or an anchor: pandoc's business
        path = urllib.parse.unquote(destination)
        name, _, fragment = path.partition("#")
        if not name.lower().endswith(".md") and self.index.resolve(name, state.note.path).note is None:
            return match.group(0)
        line = self._line_of(state, match.group(0), "markdown-link")
        return state.kept.keep(self._link_to(state, name, fragment, label or escape_label(name), line, path,
                                             labelled=bool(label)))

    def _unknown_key(self, state: _Pass, key: str, written: str) -> None:
        state.result.diagnostics.append(warning(
            "cite.unknown", f"{written}: no source note or bibliography entry has the key '{key}'; "
            "shown as written", state.note.path, self._line_of(state, written, "citation")))

    def _link_to(self, state: _Pass, name: str, fragment: str, shown: str, line: int, written: str,
                 labelled: bool = False) -> str:
        note = state.note if not name else self._resolve(state, name, line)
        if note is None:
            return shown
        if self.source_links == "citation" and note.path in self.source_keys and not fragment:
            if labelled:  # [[DOC_ Merrill 2002|Merrill]]: "Merrill (2002)"
                return f"{shown} " + citation_markdown([("", self.source_keys[note.path], "", "suppress-author")])
            return citation_markdown([("", self.source_keys[note.path], "", "normal")])
        destination = self.in_book.get(note.path)
        anchor = self._fragment_anchor(state, note, fragment, written, line)
        if destination is None:
            return self._outside(state, note, shown, line, written)
        return f"[{shown}](#{anchor or destination.anchor}){{.xref}}"

    def _fragment_anchor(self, state: _Pass, note: Note, fragment: str, written: str, line: int) -> str | None:
        if not fragment:
            return None
        structure = self.structure(note)
        if fragment.startswith("^"):
            if fragment[1:].strip() in structure.blocks:
                return block_anchor(note, fragment[1:].strip())
            state.result.diagnostics.append(warning(
                "link.block", f"[[{written}]]: no block '^{fragment[1:].strip()}' in '{note.path}'; "
                "the link goes to the note", state.note.path, line))
            return None
        heading = structure.find_heading(fragment.split("#"))
        if heading is None:
            state.result.diagnostics.append(warning(
                "link.heading", f"[[{written}]]: no heading '{fragment}' in '{note.path}'; the link goes to the note",
                state.note.path, line))
            return None
        if heading is structure.title_heading:
            return None  # the note's title: the note's own anchor
        return heading_anchor(note, heading)

    def _outside(self, state: _Pass, note: Note, shown: str, line: int, written: str) -> str:
        if self.outside_footnote is None:
            state.result.diagnostics.append(warning(
                "link.outside-book", f"[[{written}]] points to '{note.path}', which is not in the book; shown as text",
                state.note.path, line))
            return shown
        state.result.diagnostics.append(warning(
            "link.outside-book", f"[[{written}]] points to '{note.path}', which is not in the book; "
            "shown as text with a footnote", state.note.path, line))
        self._footnote_serial += 1
        label = f"[^outside-{self._footnote_serial}]"
        state.footnotes.append(f"{label}: " + escape_label(self.outside_footnote.format(title=note.title)))
        return shown + label


def _top_level(lines: list[str]) -> int:
    """The level of the highest heading in ``lines`` (1 when there is none)."""
    return min((len(m.group(1)) for m in (HEADING.match(line) for line in lines) if m), default=1)


def _attribute(text: str) -> str:
    return text.replace("\\", "").replace('"', "'")
