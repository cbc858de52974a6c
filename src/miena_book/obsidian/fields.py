"""Relation names: the labels of the typed relations notes declare, both ways.

Each wikilink in an inline field (``rules.fields``) or a relation field of the
frontmatter is a typed relation from the note to the target, named by the key
(``relations``). The MIENA method's
MOT relations (Composition, Spécialisation, Précédence, Intrant, Produit, Régulation,
Application, Instanciation) and the frontmatter relations (``sibling``, ``related``, ``source``,
``domain``) have labels for both directions in French and English; any other key is its
own label. The book config may rename any of them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

def key_form(key: str) -> str:
    """Keys compare without case, accents or surrounding formatting: Régulation = regulation."""
    stripped = unicodedata.normalize("NFKD", key.strip().strip("*_").strip()).encode("ascii", "ignore").decode()
    return " ".join(stripped.lower().split())


@dataclass(frozen=True)
class RelationLabels:
    forward: str  # how the note names the relation: "Régule"
    inverse: str  # how the target names it: "Est régulé par"


DEFAULT_LABELS = {
    "fr": {
        "composition": ("Se compose de", "Fait partie de"),
        "specialisation": ("Est une sorte de", "A pour sorte"),
        "specialization": ("Est une sorte de", "A pour sorte"),
        "precedence": ("Précède", "Est précédé par"),
        "intrant": ("A pour intrant", "Est intrant de"),
        "produit": ("A pour produit", "Est produit par"),
        "regulation": ("Régule", "Est régulé par"),
        "application": ("S'applique à", "Est appliqué par"),
        "instanciation": ("A pour exemple", "Est un exemple de"),
        "sibling": ("Voir aussi", "Voir aussi"),
        "related": ("En lien avec", "En lien avec"),
        "source": ("Source", "Source de"),
        "domain": ("Domaine", "Comprend"),
    },
    "en": {
        "composition": ("Is composed of", "Is part of"),
        "specialisation": ("Is a kind of", "Has kind"),
        "specialization": ("Is a kind of", "Has kind"),
        "precedence": ("Precedes", "Is preceded by"),
        "intrant": ("Has input", "Is input of"),
        "produit": ("Produces", "Is produced by"),
        "regulation": ("Regulates", "Is regulated by"),
        "application": ("Applies to", "Is applied by"),
        "instanciation": ("Has instance", "Is an instance of"),
        "instantiation": ("Has instance", "Is an instance of"),
        "sibling": ("See also", "See also"),
        "related": ("Related to", "Related to"),
        "source": ("Source", "Source of"),
        "domain": ("Domain", "Includes"),
    },
}
FRONTMATTER_RELATIONS = ("sibling", "related", "source", "domain")


def labels_for(key: str, language: str, overrides: dict[str, str]) -> RelationLabels:
    """The labels of a relation: the config's ``relations`` entry ("Régule / Est régulé par"),
    else the defaults of the book's language, else the key itself both ways."""
    form = key_form(key)
    for name, text in overrides.items():
        if key_form(name) == form:
            forward, _, inverse = text.partition("/")
            return RelationLabels(forward.strip(), (inverse or forward).strip())
    table = DEFAULT_LABELS.get(language.split("-")[0].lower(), DEFAULT_LABELS["en"])
    if form in table:
        return RelationLabels(*table[form])
    display = key.strip().strip("*_").strip()
    return RelationLabels(display, display)
