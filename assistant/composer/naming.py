"""Plain names for record entries: the concept map's words when we have them, else the coded display.

SNOMED displays carry semantic tags ("Anemia (disorder)") that mean nothing to a patient; they are
dropped. A French reader gets the French plain name when the concept map knows it, otherwise the coded
display as the record holds it (better an English drug name than an invented translation).
"""

from __future__ import annotations

import re

from assistant.schemas import Language
from retrieval import Card, ConceptMap, Reading

_SEMANTIC_TAG = re.compile(r"\s*\((?:disorder|finding|situation|procedure|morphologic abnormality)\)\s*$")


def clean_display(display: str) -> str:
    return _SEMANTIC_TAG.sub("", display).strip()


def card_name(card: Card, concepts: ConceptMap, language: Language) -> str:
    concept = concepts.get(card.concept) if card.concept else None
    if concept is not None:
        return concept.fr if language == "fr" else concept.en
    display = card.codes[0].display if card.codes and card.codes[0].display else card.title
    return clean_display(display)


def reading_name(reading: Reading, concepts: ConceptMap, language: Language) -> str:
    concept = concepts.get(reading.concept) if reading.concept else None
    if concept is not None:
        return concept.fr if language == "fr" else concept.en
    return clean_display(reading.name)


def explanation(concept_key: str | None, concepts: ConceptMap, language: Language) -> str | None:
    """One plain line on what a test measures or a medicine is for, from the concept map."""
    concept = concepts.get(concept_key) if concept_key else None
    if concept is None:
        return None
    return concept.fr_plain if language == "fr" else concept.en_plain


def lower_first(name: str) -> str:
    """ "Blood pressure" → "blood pressure" inside a sentence, but "HbA1c" and "BMI" stay as they are."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name
