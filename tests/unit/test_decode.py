"""Bytes to text: BOM, line ends, NFC, binary files, non-UTF-8 and mojibake repair."""

import unicodedata

import pytest

from miena_book.vault.decode import UnreadableFile, decode_bytes


def mac_roman_damage(text: str) -> bytes:
    return text.encode("utf-8").decode("mac_roman").encode("utf-8")


def cp1252_damage(text: str) -> bytes:
    return "".join(
        bytes([b]).decode("cp1252") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
        for b in text.encode("utf-8")
    ).encode("utf-8")


FRENCH = (
    "## 📌 Description\nL'**ingénierie pédagogique** à grande échelle : « œuvre », naïveté, "
    "garçon, où, être, Noël, ÇA, À propos, l’élève — p. 544… ❤️ 🧭\n"
)


def codes(decoded):
    return [d.code for d in decoded.diagnostics]


@pytest.mark.parametrize("clean", [
    FRENCH,
    "√2 est irrationnel ; Ãlvaro et SÃO PAULO gardent leur Ã.",
    "Des guillemets “anglais” et ‘simples’, l’apostrophe courbe.",
    "Château, âge, naïf, « Haïti », Œdipe, Ôter, ƒ(x) ≈ 2, ¬p, ‚bas‚",
    "Ça coûte 5 € ; 30 °C ; © 2025 ; ® ; ™ ; ± 1 ; ¿qué? ; ¡sí!",
    "Mélange: ÀÉÈÊËÎÏÔÙÛÜŸÇ àéèêëîïôùûüÿç",
])
def test_correct_text_is_never_altered(clean):
    decoded = decode_bytes(clean.encode("utf-8"), "a.md")
    assert decoded.text == unicodedata.normalize("NFC", clean)
    assert decoded.diagnostics == ()


def test_mac_roman_damage_is_repaired_with_emoji_and_reported():
    damaged = mac_roman_damage(FRENCH)
    assert "√©" in damaged.decode("utf-8")
    decoded = decode_bytes(damaged, "Enjeux/a.md")
    assert decoded.text == FRENCH
    (diagnostic,) = decoded.diagnostics
    assert diagnostic.code == "encoding.mojibake"
    assert diagnostic.path == "Enjeux/a.md" and diagnostic.line == 1
    assert "Mac Roman" in diagnostic.message


def test_mac_roman_damage_of_nfd_text_is_repaired_to_nfc():
    nfd = unicodedata.normalize("NFD", "Ingénierie, façade, à côté")
    decoded = decode_bytes(mac_roman_damage(nfd))
    assert decoded.text == "Ingénierie, façade, à côté"


def test_cp1252_damage_is_repaired_and_reported():
    text = "L'ingénierie « pédagogique » — déjà ; Œuvre, ÀÉÍÏÐÝ, l’élève\n"
    decoded = decode_bytes(cp1252_damage(text), "b.md")
    assert decoded.text == text
    assert codes(decoded) == ["encoding.mojibake"]
    assert "Windows-1252" in decoded.diagnostics[0].message


def test_latin1_damage_with_c1_controls_is_repaired():
    damaged = "Ingénierie École".encode("utf-8").decode("latin-1").encode("utf-8")
    assert decode_bytes(damaged).text == "Ingénierie École"


def test_repair_names_the_line_of_the_first_damage():
    text = "ligne propre\nautre ligne\ntroisième ligne abîmée\n"
    decoded = decode_bytes(b"ligne propre\nautre ligne\n" + mac_roman_damage("troisième ligne abîmée\n"), "c.md")
    assert decoded.text == text
    assert decoded.diagnostics[0].line == 3
    assert "'troisi√®me' -> 'troisième'" in decoded.diagnostics[0].message


def test_bom_crlf_and_lone_cr_are_normalised_silently():
    decoded = decode_bytes(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nun\rdeux\r\n")
    assert decoded.text == "---\ntitle: x\n---\nun\ndeux\n"
    assert decoded.diagnostics == ()


def test_text_is_nfc_normalised():
    assert decode_bytes(unicodedata.normalize("NFD", "Éducation").encode()).text == "Éducation"


def test_nul_bytes_mean_binary():
    with pytest.raises(UnreadableFile) as caught:
        decode_bytes(b"line one\nline \x00two", "bin.md")
    assert caught.value.diagnostic.code == "read.binary"
    assert caught.value.diagnostic.line == 2


def test_invalid_utf8_is_read_as_cp1252_with_the_line_of_the_first_bad_byte():
    data = "première ligne\n".encode("utf-8") + "deuxième ligne en Windows\n".encode("cp1252")
    decoded = decode_bytes(data, "w.md")
    assert decoded.text == "première ligne\ndeuxième ligne en Windows\n"
    (diagnostic,) = decoded.diagnostics
    assert diagnostic.code == "encoding.not-utf8" and diagnostic.line == 2
    assert "0xE8" in diagnostic.message


def test_utf16_with_bom_is_read_and_reported():
    decoded = decode_bytes("# Été\nTexte".encode("utf-16"), "u.md")
    assert decoded.text == "# Été\nTexte"
    assert codes(decoded) == ["encoding.utf16"]


def test_empty_file_is_empty_text():
    assert decode_bytes(b"").text == ""


def test_broken_utf16_is_unreadable():
    with pytest.raises(UnreadableFile) as caught:
        decode_bytes(b"\xff\xfe" + "é".encode("utf-16-le") + b"\x00\xd8", "u.md")
    assert caught.value.diagnostic.code == "read.encoding"
