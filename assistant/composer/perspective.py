"""Whose record a reply speaks about: the wording for a proxy ("your child" / "votre enfant").

The composer writes replies to the patient ("Your most recent HbA1c was…", "Votre dossier mentionne…").
When a parent is typing (``AccountHolder.relation`` is parent), the same facts must be said about the
child: "Your child's most recent HbA1c was…", "Le dossier de votre enfant mentionne…", and an emergency
line that says it is the child's emergency. This module is the one catalog of those changes, per
language; ``Assistant`` applies it to every reply it composes for a proxy (offline or LLM — the model is
also told who it speaks with, and phrases already about the child are left alone).

A new self-addressed phrase in the composer ("Your …", "Votre …") needs its line here; the tests check
typical replies for a proxy contain none of the self forms listed in ``SELF_FORMS``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.account import AccountHolder, Relation
from assistant.schemas import Language

Rewrite = tuple[re.Pattern[str], str]


def _rules(pairs: Sequence[tuple[str, str]]) -> list[Rewrite]:
    return [(re.compile(pattern), replacement) for pattern, replacement in pairs]


# Order matters: longer, more specific phrases first.
_CHILD: dict[Language, list[Rewrite]] = {
    "en": _rules(
        [
            (r"this could be an emergency\.", "this could be an emergency for your child."),
            (
                r"Your care team can tell you what this means for you\.",
                "Your child's care team can tell you what this means for your child.",
            ),
            (
                r"Your GP or pharmacist can confirm what you need",
                "Your child's GP or pharmacist can confirm what your child needs",
            ),
            (
                r"If you get much worse or feel it is an emergency",
                "If your child gets much worse or you feel it is an emergency",
            ),
            (r"\byour own health record\b", "your child's health record"),
            (r"\bYour (record|care team|prescriber|visit on|most recent)\b", r"Your child's \1"),
            (r"\byour (record|care team|prescriber)\b", r"your child's \1"),
            (r"\bYour ([a-z][\w ()\-]{0,60}?) has been measured\b", r"Your child's \1 has been measured"),
        ]
    ),
    "fr": _rules(
        [
            (r"cela peut être une urgence\.", "cela peut être une urgence pour votre enfant."),
            (r"\bsur votre propre dossier de santé\b", "sur le dossier de santé de votre enfant"),
            (r"\bvous est actuellement prescrit\b", "est actuellement prescrit à votre enfant"),
            (r"\bde votre dossier\b", "du dossier de votre enfant"),
            (r"\bà votre dossier\b", "au dossier de votre enfant"),
            (r"\bVotre dossier\b", "Le dossier de votre enfant"),
            (r"\bvotre dossier\b", "le dossier de votre enfant"),
            (r"\bVotre dernier résultat\b", "Le dernier résultat de votre enfant"),
            (r"\bVotre consultation du\b", "La consultation de votre enfant du"),
            (r"\bVotre équipe soignante\b", "L'équipe soignante de votre enfant"),
            (r"\bvotre équipe soignante\b", "l'équipe soignante de votre enfant"),
            (r"\bvotre prescripteur\b", "le prescripteur de votre enfant"),
        ]
    ),
}

# Self-addressed forms that must not survive in a reply to a parent (checked by the tests).
SELF_FORMS: dict[Language, tuple[str, ...]] = {
    "en": (
        "Your record",
        "your record",
        "Your most recent",
        "Your care team",
        "Your visit on",
        "your own health record",
    ),
    "fr": (
        "Votre dossier",
        "votre dossier",
        "Votre dernier résultat",
        "Votre consultation du",
        "votre propre dossier",
    ),
}


def speak_about(text: str, holder: AccountHolder, language: Language) -> str:
    """``text`` as said to ``holder``: unchanged for the patient, about "your child" for a parent."""
    if holder.relation is not Relation.PARENT or not text:
        return text
    for pattern, replacement in _CHILD[language]:
        text = pattern.sub(replacement, text)
    return text


def llm_note(holder: AccountHolder, language: Language) -> str | None:
    """One line for the model's system prompt when a proxy is typing; None for the patient."""
    if holder.relation is Relation.PARENT:
        return (
            "The person typing is the patient's parent: the patient is their child. Speak about "
            "'your child' (the patient), never as if the parent were the patient."
            if language == "en"
            else "La personne qui écrit est le parent du patient : le patient est son enfant. Parlez de "
            "« votre enfant » (le patient), jamais comme si le parent était le patient."
        )
    if holder.is_proxy:
        return (
            "The person typing acts for the patient; speak about the patient in the third person."
            if language == "en"
            else "La personne qui écrit agit pour le patient ; parlez du patient à la troisième personne."
        )
    return None
