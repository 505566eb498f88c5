"""Text normalisation shared by the guards.

Patterns in the data files are written once, without accents and in lower case, so "Puis-je arrêter
ma dose ?" and "puis je arreter ma dose" hit the same rule. Normalisation keeps punctuation (a question
mark or an apostrophe can matter to a pattern) and folds the many apostrophes and dashes patients type.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "‑": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)
_SPACES = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def fold(text: str) -> str:
    """Lower case without accents, uniform quotes, dashes and spaces: 'Arrêter  l’insuline' → "arreter l'insuline".

    Zero-width characters are removed first: they are a classic way to split "ign\u200bore" so a
    pattern no longer sees the word.
    """
    text = _ZERO_WIDTH.sub("", text).translate(_QUOTES)
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return _SPACES.sub(" ", stripped).strip()


def fold_cased(text: str) -> str:
    """``fold`` without lowering the case: same characters at the same positions whenever
    ``len(fold_cased(t)) == len(fold(t))``, so a span found here (a capitalised name) maps onto ``fold``.
    """
    text = _ZERO_WIDTH.sub("", text).translate(_QUOTES)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for a, b in (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE"), ("ß", "ss")):
        stripped = stripped.replace(a, b)
    return _SPACES.sub(" ", stripped).strip()


def strip_accents(text: str) -> str:
    """Accents removed, case and length kept where the script allows (used to match names)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)|\n+")


def sentences(text: str) -> list[str]:
    """Split a reply into sentences (and lines); decimal points such as "7.2" are not boundaries."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]
