"""Text preparation for the record-aware modifiers (matching the record's display names and codes).

Record names are matched against one normalised form (lower case, accents and ligatures folded,
apostrophes handled, spaces collapsed), so "Warfarine" and "warfarin" meet. Messages themselves are read
by the understanding stage; the language of a message is its ``detect_language``, re-exported here.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.understanding.text import detect_language

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
