"""English or French? A tiny, dependency-free detector for short patient messages.

Patients write a few words ("mal au ventre depuis hier", "chest hurts"), often without accents, so a
statistical detector trained on long documents is unreliable here. Counting frequent function words and
a few health words of each language, plus French accents, is enough to choose between the two languages
the product speaks; a tie falls back to the caller's default (the clinic's locale).
"""

from __future__ import annotations

import re

from assistant.guardrails._text import fold
from assistant.schemas import Language

__all__ = ["detect_language"]


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


_FR_WORDS = _words(
    """
    le la les un une des du de d l au aux et ou mais donc car ni je j tu il elle on nous vous ils elles
    me m te t se s mon ma mes ton ta tes son sa ses notre votre vos leur leurs ce cet cette ces qui que
    qu quoi quel quelle quels quelles est suis es sont sommes etes ai as avons avez ont etait pas ne n
    plus tres avec sans pour dans sur sous chez depuis hier aujourd demain matin soir nuit j'ai c'est
    n'est mal douleur ventre tete gorge fievre toux medecin rendez-vous dossier resultats analyse
    ordonnance medicament medicaments traitement dose comprime comprimes peux puis-je pouvez est-ce
    bonjour merci quand comment pourquoi combien fils fille enfant bebe mari femme depuis tousse
    """
)
_EN_WORDS = _words(
    """
    the a an and or but so i you he she it we they me my mine your yours his her its our their this that
    these those is am are was were be been being have has had do does did not no yes with without for in
    on at of to from since yesterday today tomorrow morning night pain hurts hurt head stomach throat
    fever cough doctor appointment record results test prescription medication medicine dose pills can
    could should would will what when why how much many hello hi thanks please son daughter child baby
    husband wife i'm i've don't can't it's feel feeling sick
    """
)
_ACCENTED = re.compile(r"[éèêëàâîïôûùçœ]", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def detect_language(text: str, *, default: Language = "en") -> Language:
    """``"fr"`` or ``"en"``: whichever language's common words the message uses more.

    French accents count towards French (English patient messages almost never carry them). Ties,
    including messages made only of drug names or numbers, return ``default``.
    """
    accents = len(_ACCENTED.findall(text))
    folded = fold(text)
    fr = en = 0
    for word in _WORD.findall(folded):
        parts = [word, *word.split("'")] if "'" in word else [word]
        if any(part in _FR_WORDS for part in parts):
            fr += 1
        if any(part in _EN_WORDS for part in parts):
            en += 1
    fr += min(accents, 3)
    if fr > en:
        return "fr"
    if en > fr:
        return "en"
    return default
