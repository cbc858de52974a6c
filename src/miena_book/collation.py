"""Sorting titles as a French reader expects: é with e, œ with oe, case ignored.

Not full Unicode collation (which would need ICU): a three-level key that gives the
dictionary order of French titles. Letters compare without accents first, then with
accents, then by case, so « Éducation » sorts between « Ecole » and « Efficacité ».
"""

from __future__ import annotations

import unicodedata

_EXPANSIONS = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'"})


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def french_sort_key(text: str) -> tuple[str, str, str]:
    expanded = text.translate(_EXPANSIONS)
    return (_without_accents(expanded).casefold(), expanded.casefold(), text)
