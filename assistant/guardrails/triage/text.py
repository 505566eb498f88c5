"""Text preparation shared by rule patterns and the scoping checks.

Patients type fast, on phones, with or without accents, in English or French. Rules are written
against one normalised form (lower case, accents and ligatures folded, apostrophes handled, spaces
collapsed) so a rule author writes ``fievre`` once and it matches "Fièvre", "FIEVRE" and "fiévre".
The same function normalises the patterns themselves, so authors may also write the accents.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.schemas import Language

__all__ = ["detect_language", "fold_accents", "normalise"]

_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "’": "'", "‘": "'", "`": "'"}
)
# English contractions lose their apostrophe ("can't" -> "cant", "I'm" -> "im") so a pattern can say
# "cant breathe"; every other apostrophe (French elision: "j'ai", "l'oeil") becomes a space.
_EN_CONTRACTION = re.compile(r"(?<=[a-z])'(?=(?:t|m|s|re|ve|ll|d)\b)")
_OTHER_APOSTROPHE = re.compile(r"'")
# Keep letters, digits, the few symbols rules use (°, %, ., ,, ;, !, ?, /, -, +), collapse the rest.
_JUNK = re.compile(r"[^a-z0-9°%.,;:!?/\-+\n ]+")
_SPACES = re.compile(r"[ \t\r\f\v]+")
# "38.5" and "38,5" read the same; a comma between digits is a decimal mark, not a clause break.
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")


def fold_accents(text: str) -> str:
    """Remove diacritics and fold ligatures, keeping every other character (used on patterns too)."""
    text = text.translate(_LIGATURES)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """The form every rule pattern is matched against (see module docstring)."""
    text = fold_accents(text.lower())
    text = _EN_CONTRACTION.sub("", text)
    text = _OTHER_APOSTROPHE.sub(" ", text)
    text = _DECIMAL_COMMA.sub(".", text)
    text = _JUNK.sub(" ", text)
    text = text.replace("-", " ")
    return _SPACES.sub(" ", text).strip()


# Frequent function words that exist in only one of the two languages; accents are a strong French hint.
_FR_WORDS = frozenset(
    [
        "je",
        "j",
        "ai",
        "suis",
        "mon",
        "ma",
        "mes",
        "est",
        "et",
        "les",
        "des",
        "une",
        "un",
        "pas",
        "de",
        "du",
        "la",
        "le",
        "il",
        "elle",
        "nous",
        "vous",
        "depuis",
        "avec",
        "sans",
        "tres",
        "mal",
        "fievre",
        "tete",
        "ventre",
        "douleur",
        "bebe",
        "fils",
        "fille",
        "qu",
        "que",
        "quoi",
        "pourquoi",
        "comment",
        "aujourd",
        "hui",
        "hier",
        "rendez",
        "vous",
        "merci",
        "bonjour",
        "peux",
        "puis",
        "dois",
        "ne",
        "plus",
        "toujours",
        "ca",
        "cela",
        "c",
        "au",
        "aux",
        "sur",
        "dans",
        "vais",
        "veux",
        "voudrais",
        "ce",
        "cette",
        "ces",
        "soir",
        "matin",
        "nuit",
        "se",
        "te",
        "tu",
        "on",
        "mais",
        "ou",
        "donc",
        "car",
        "oui",
        "non",
        "bien",
        "trop",
        "beaucoup",
        "rien",
        "tout",
        "quand",
        "leur",
        "mari",
        "femme",
        "pere",
        "mere",
        "jambe",
        "bras",
        "oreille",
        "gorge",
        "dos",
        "yeux",
        "oeil",
        "sang",
        "coeur",
    ]
)
_EN_WORDS = frozenset(
    [
        "i",
        "im",
        "ive",
        "my",
        "me",
        "is",
        "and",
        "the",
        "a",
        "an",
        "of",
        "to",
        "have",
        "has",
        "had",
        "with",
        "without",
        "no",
        "not",
        "my",
        "it",
        "its",
        "this",
        "that",
        "pain",
        "hurts",
        "since",
        "for",
        "in",
        "on",
        "at",
        "can",
        "cant",
        "what",
        "when",
        "how",
        "why",
        "today",
        "yesterday",
        "appointment",
        "thanks",
        "hello",
        "please",
        "feel",
        "feeling",
        "very",
        "really",
        "been",
        "was",
        "were",
        "do",
        "does",
        "dont",
        "baby",
        "son",
        "daughter",
    ]
)
_WORD = re.compile(r"[a-z]+")
_FR_MARKS = re.compile(r"[éèêàùçôîûœ]")


def detect_language(text: str) -> Language:
    """``en`` or ``fr`` from function words and accents; ties and empty text go to English.

    Good enough for choosing the reply language and the wording of advice; rule matching itself
    always tries both languages' patterns, so a wrong guess never hides a red flag.
    """
    lowered = text.lower()
    words = _WORD.findall(fold_accents(lowered).replace("'", " "))
    fr = sum(w in _FR_WORDS for w in words) + 2 * len(_FR_MARKS.findall(lowered))
    en = sum(w in _EN_WORDS for w in words)
    return "fr" if fr > en else "en"
