"""Bytes to text: the first thing done with a note file.

Takes the raw bytes of a file and returns NFC-normalised text with LF line ends, plus the
diagnostics that explain what was done to it:

* UTF-8, with or without a BOM, is the norm; UTF-16/32 with a BOM is read and reported.
* A NUL byte marks a binary file: nothing is returned and an error is reported.
* Lines that are not UTF-8 are read as Windows-1252 (the usual culprit), with a warning
  that names the line of the first bad byte.
* Mojibake is repaired: UTF-8 text that some tool decoded as Mac Roman (``Ing√©nierie``,
  ``üìå`` for 📌) or as Windows-1252/Latin-1 (``IngÃ©nierie``) and saved again.

The repair is deliberately narrow. It only touches sequences that *are* the wrong-codec
rendering of a UTF-8 multi-byte character (a lead character followed by the exact number
of continuation characters), and only for the lead bytes that real French vaults produce:
Latin-1 and Latin Extended-A letters, combining accents (macOS writes NFD), general
punctuation and symbols (U+2000-U+2FFF), U+F000-U+FFFF (variation selectors) and emoji.
Correct text never matches: ``é``, ``√2``, ``Ã`` in a name or ``’`` do not have the shape.
A regular-expression scan costs microseconds per note, so clean vaults pay next to nothing.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from ..diagnostics import Diagnostic, error, warning

_CONTINUATION_BYTES = range(0x80, 0xC0)
_UNDEFINED_IN_CP1252 = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})


def _cp1252_or_latin1(byte: int) -> str:
    """Windows-1252 as tools really apply it: its five holes pass through as Latin-1."""
    if byte in _UNDEFINED_IN_CP1252 or not 0x80 <= byte <= 0x9F:
        return chr(byte)
    return bytes([byte]).decode("cp1252")


def _latin1_c1_and_cp1252(byte: int) -> str:
    """Characters a continuation byte can become under cp1252 *or* Latin-1 decoding."""
    return _cp1252_or_latin1(byte) + (chr(byte) if 0x80 <= byte <= 0x9F else "")


@dataclass(frozen=True)
class _Scheme:
    """One way UTF-8 gets garbled: the codec it was wrongly decoded with."""

    name: str
    pattern: re.Pattern[str]
    to_byte: dict[str, int]


def _build_scheme(name: str, char_of_byte, continuation_chars: dict[str, int]) -> _Scheme:
    cont = "".join(re.escape(c) for c in continuation_chars)
    lead = {b: re.escape(char_of_byte(b)) for b in (0xC2, 0xC3, 0xC4, 0xC5, 0xCC, 0xE2, 0xEF, 0xF0, 0x9F)}
    two_byte = f"[{lead[0xC2]}{lead[0xC3]}{lead[0xC4]}{lead[0xC5]}][{cont}]"
    # CC 80-8C and CC A7 are the combining accents and cedilla of NFD text (macOS). Only
    # those: the wider CC range would also match Windows-1252 damage such as "Ã©".
    accents = "".join(re.escape(c) for c, b in continuation_chars.items() if b <= 0x8C or b == 0xA7)
    combining = f"{lead[0xCC]}[{accents}]"
    three_byte = f"[{lead[0xE2]}{lead[0xEF]}][{cont}]{{2}}"
    emoji = f"{lead[0xF0]}{lead[0x9F]}[{cont}]{{2}}"  # F0 9F xx xx: the emoji planes
    to_byte = dict(continuation_chars)
    for b in (0xC2, 0xC3, 0xC4, 0xC5, 0xCC, 0xE2, 0xEF, 0xF0):
        to_byte[char_of_byte(b)] = b
    return _Scheme(name, re.compile(f"{emoji}|{three_byte}|{two_byte}|{combining}"), to_byte)


def _mac_roman(byte: int) -> str:
    return bytes([byte]).decode("mac_roman")


_MAC_ROMAN = _build_scheme(
    "Mac Roman", _mac_roman, {_mac_roman(b): b for b in _CONTINUATION_BYTES}
)
_WINDOWS_1252 = _build_scheme(
    "Windows-1252",
    _cp1252_or_latin1,
    {c: b for b in _CONTINUATION_BYTES for c in _latin1_c1_and_cp1252(b)},
)
_SCHEMES = (_MAC_ROMAN, _WINDOWS_1252)


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    diagnostics: tuple[Diagnostic, ...]


def _repair_match(match: re.Match[str], scheme: _Scheme) -> str:
    garbled = match.group(0)
    try:
        fixed = bytes(scheme.to_byte[c] for c in garbled).decode("utf-8")
    except UnicodeDecodeError:
        return garbled
    # C2 80-9F decodes to a C1 control character: never what an author wrote.
    if unicodedata.category(fixed[0]) == "Cc":
        return garbled
    return fixed


_WORD_AROUND = re.compile(r"\S{0,12}$"), re.compile(r"^\S{0,12}")


def _example(text: str, start: int, end: int, scheme: _Scheme) -> tuple[str, str]:
    """The garbled word around the first repair, before and after, for the message."""
    before = _WORD_AROUND[0].search(text[:start]).group(0)
    after = _WORD_AROUND[1].search(text[end:]).group(0)
    word = before + text[start:end] + after
    return _visible(word), _visible(repair_mojibake_with(word, scheme)[0])


def _visible(text: str) -> str:
    """Spell out invisible characters (Mac Roman's Apple logo is private use) for messages."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Co", "Cc", "Cf") else c for c in text)


def repair_mojibake_with(text: str, scheme: _Scheme) -> tuple[str, int]:
    repairs = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal repairs
        fixed = _repair_match(match, scheme)
        repairs += fixed != match.group(0)
        return fixed

    return scheme.pattern.sub(fix, text), repairs


def repair_mojibake(text: str, path: str | None = None) -> tuple[str, list[Diagnostic]]:
    """Undo UTF-8-read-as-Mac-Roman and UTF-8-read-as-cp1252 damage; report each kind."""
    diagnostics = []
    for scheme in _SCHEMES:
        first = next(
            (m for m in scheme.pattern.finditer(text) if _repair_match(m, scheme) != m.group(0)), None
        )
        if first is None:
            continue
        line = text.count("\n", 0, first.start()) + 1
        garbled_word, fixed_word = _example(text, first.start(), first.end(), scheme)
        text, repairs = repair_mojibake_with(text, scheme)
        diagnostics.append(
            warning(
                "encoding.mojibake",
                f"repaired {repairs} character{'s' * (repairs != 1)} garbled by a {scheme.name} "
                f"round trip (first: '{garbled_word}' -> '{fixed_word}'); save the file as UTF-8 "
                "to fix it at the source",
                path,
                line,
            )
        )
    if diagnostics:
        text = unicodedata.normalize("NFC", text)
    return text, diagnostics


_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode_unicode_with_bom(data: bytes, path: str | None) -> tuple[str | None, list[Diagnostic]]:
    for bom, codec in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise UnreadableFile(error(
                    "read.encoding", f"file starts with a {codec.upper()} byte-order mark but is not valid "
                    f"{codec.upper()} ({exc.reason}); skipped", path)) from None
            return text, [warning("encoding.utf16", f"file is {codec.upper()}; read it, but save it as "
                                  "UTF-8 as Obsidian does", path)]
    return None, []


def _decode_line_by_line(lines: list[bytes]):
    """Each line as UTF-8 when it is, else as Windows-1252: files edited in two editors mix both."""
    for line in lines:
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield "".join(_cp1252_or_latin1(b) if b >= 0x80 else chr(b) for b in line)


def _first_bad_line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_bytes(data: bytes, path: str | None = None) -> DecodedText:
    """Return the file's text and what was done to it; raise `UnreadableFile` if it is not text.

    ``path`` only labels the diagnostics.
    """
    text, diagnostics = _decode_unicode_with_bom(data, path)
    if text is None:
        if b"\x00" in data:
            line = _first_bad_line(data, data.index(b"\x00"))
            return _binary(path, line)
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = _first_bad_line(data, exc.start)
            text = "\n".join(_decode_line_by_line(data.split(b"\n")))
            diagnostics.append(
                warning("encoding.not-utf8", f"not valid UTF-8 (byte 0x{data[exc.start]:02X} on this line); "
                        "read as Windows-1252: check the accents and save the file as UTF-8", path, line)
            )
    elif "\x00" in text:
        return _binary(path, None)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text, repairs = repair_mojibake(text, path)
    diagnostics.extend(repairs)
    text, removed = _without_control_characters(text, path)
    diagnostics.extend(removed)
    return DecodedText(text, tuple(diagnostics))


# Characters XML (hence EPUB) refuses or no reader shows: C0 controls but tab and line feed,
# DEL and the C1 block, the non-characters U+FFFE/U+FFFF and lone surrogates.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def _without_control_characters(text: str, path: str | None) -> tuple[str, list[Diagnostic]]:
    first = _CONTROL_CHARACTERS.search(text)
    if first is None:
        return text, []
    cleaned, count = _CONTROL_CHARACTERS.subn("", text)
    line = text.count("\n", 0, first.start()) + 1
    return cleaned, [warning("encoding.control", f"removed {count} control character{'s' * (count != 1)} "
                             f"(first: U+{ord(first.group(0)):04X}) that no reader can show", path, line)]


def _binary(path: str | None, line: int | None) -> None:
    raise UnreadableFile(error("read.binary", "file contains NUL bytes: it is not a text note; skipped", path, line))


class UnreadableFile(Exception):
    """Raised for a file that is not text (NUL bytes, broken UTF-16); carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
