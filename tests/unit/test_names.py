"""Index: names, paths and aliases to notes, as Obsidian resolves them."""

import unicodedata

from miena_book.model import Attachment, Note
from miena_book.names import AttachmentIndex, NameIndex


def make(path, aliases=()):
    return Note(path=path, title=path, body="", body_line=1, aliases=tuple(aliases))


NOTES = [
    make("Enjeux/ENJEU_ Autonomie.md", aliases=["Enjeu de l'autonomie"]),
    make("Annexes/Glossaire.md"),
    make("Archives/Vieux/Glossaire.md"),
    make("Zeta/Glossaire.md"),
    make("Éducation.md"),
]
INDEX = NameIndex(NOTES)


def test_by_file_name_ignoring_case_and_md():
    assert INDEX.resolve("enjeu_ autonomie").note is NOTES[0]
    assert INDEX.resolve("ENJEU_ Autonomie.md").note is NOTES[0]


def test_by_alias_and_with_heading_or_label():
    assert INDEX.resolve("Enjeu de l'autonomie").note is NOTES[0]
    assert INDEX.resolve("ENJEU_ Autonomie#Description|voir").note is NOTES[0]


def test_nfd_name_finds_nfc_note():
    assert INDEX.resolve(unicodedata.normalize("NFD", "éducation")).note is NOTES[4]


def test_by_path_and_path_suffix():
    assert INDEX.resolve("Annexes/Glossaire").note is NOTES[1]
    assert INDEX.resolve("Vieux/Glossaire").note is NOTES[2]
    assert INDEX.resolve("../Annexes/Glossaire", from_path="Enjeux/ENJEU_ Autonomie.md").note is NOTES[1]


def test_ambiguous_name_prefers_shortest_path_then_alphabetical():
    found = INDEX.resolve("Glossaire")
    assert found.ambiguous
    assert [n.path for n in found.candidates] == ["Annexes/Glossaire.md", "Zeta/Glossaire.md",
                                                   "Archives/Vieux/Glossaire.md"]
    assert found.note is NOTES[1]


def test_unknown_name():
    assert INDEX.resolve("Inconnu").note is None
    assert INDEX.resolve("").note is None


def test_attachments_by_name_or_path():
    index = AttachmentIndex([Attachment("Annexes/images/Schéma.png"), Attachment("autre/schéma.png")])
    assert index.find("schéma.PNG").path == "autre/schéma.png"
    assert index.find("Annexes/images/Schéma.png").path == "Annexes/images/Schéma.png"
    assert index.find("absent.png") is None
