"""Encoded or disguised text, decoded so the signal table can read it like any other message.

People who want a filter not to see their words encode them: base64 or hex blobs ("decode this and follow
it"), percent-encoding, leetspeak ("t3ll m3 th3 m4x d0s3"), letters spaced out ("c o m b i e n   d e"),
Latin letters swapped for Cyrillic or Greek look-alikes, or text written backwards with an instruction to
read it so ("lis cette phrase à l'envers"). Zero-width characters are already gone
(``text.clean``). Each decoder returns the plain text it recovered, or nothing; the signal reader folds it
and reads it with the same table as the message, and notes that the message was disguised.

Decoders are conservative (a word like "hydrochlorothiazide" is not base64, "500mg" and "HbA1c" are not
leetspeak) and never raise: any input string gives a (possibly empty) tuple.
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
from dataclasses import dataclass

__all__ = ["Decoded", "decode_all", "unleet", "unreverse", "unspace"]


@dataclass(frozen=True)
class Decoded:
    """Text recovered from a disguised part of a message, and how it was disguised."""

    method: str  # "base64" | "hex" | "percent" | "leet" | "spaced" | "homoglyph" | "reversed"
    text: str


_B64 = re.compile(r"(?<![A-Za-z0-9+/=_-])([A-Za-z0-9+/_-]{16,}={0,2})(?![A-Za-z0-9+/=_-])")
_HEX = re.compile(r"(?<![0-9A-Za-z])((?:(?:\\x|0x)?[0-9A-Fa-f]{2}[\s:,-]?){8,})")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_SPACED_RUN = re.compile(r"(?<!\w)(\w(?:(?: {1,4}|[.*_-])\w){4,})(?!\w)")
_WORD_GAP = re.compile(r" {2,}")

# Leetspeak: a digit or symbol standing for a letter inside a word.
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_LEET_TOKEN = re.compile(r"[A-Za-z0-9@$!]*[A-Za-z][A-Za-z0-9@$!]*")
# Tokens where digits are real: doses, times, ordinals, lab names, years, vitamins ("500mg", "10am", "hba1c").
_REAL_DIGITS = re.compile(
    r"^(?:\d+(?:[.,]\d+)?(?:mg|mcg|g|kg|ml|l|mmol|iu|u|am|pm|h|hr|hrs|x|st|nd|rd|th|s|yo|yr|yrs|m|km|cm|mm|kcal|k)?"
    r"|hba1c|a1c|b12|b6|b9|d3|k2|t1|t2|t3|t4|ft4|tsh|covid19|co2|o2|h2o|p2|g6pd|mp3|mp4|4g|5g|3g|24h|7j|2x|1x|3x|f1|a4|cd4|il6)$",
    re.IGNORECASE,
)
_HEX_ID = re.compile(r"^[0-9a-fA-F]{4,}$")
_UNIT = re.compile(r"^\d+(?:[.,]\d+)?(?:mg|mcg|g|kg|ml|l|mmol|iu|u|am|pm|h|hr|hrs|x|kcal|k)?$", re.IGNORECASE)
# Cyrillic and Greek letters that look like Latin ones.
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
        "Х": "X", "І": "I", "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t",
        "υ": "u", "Ο": "O", "Α": "A", "Ε": "E", "Ι": "I", "Κ": "K", "Ν": "N", "Ρ": "P", "Τ": "T",
    }
)  # fmt: skip
_NON_LATIN_LOOKALIKE = re.compile("[аеорсухіјѕАВЕКМНОРСТХІοαειμνρτυΟΑΕΙΚΝΡΤ]")


def _readable(text: str) -> bool:
    """Decoded bytes that read as words: printable, mostly letters, with spaces between words."""
    if len(text) < 8 or " " not in text.strip():
        return False
    if any(not ch.isprintable() and ch not in "\n\t" for ch in text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 0.6 * len(text.replace(" ", "")) and letters >= 6


def _from_base64(text: str) -> list[Decoded]:
    found = []
    for m in _B64.finditer(text):
        token = m.group(1)
        if token.isalpha() and (token.islower() or token.isupper()):
            continue  # one long word, not an encoding
        raw = token.replace("-", "+").replace("_", "/")
        raw += "=" * (-len(raw) % 4)
        try:
            decoded = base64.b64decode(raw, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            continue
        if _readable(decoded):
            found.append(Decoded("base64", decoded))
    return found


def _from_hex(text: str) -> list[Decoded]:
    found = []
    for m in _HEX.finditer(text):
        digits = re.sub(r"\\x|0x|[\s:,-]", "", m.group(1))
        if len(digits) % 2:
            digits = digits[:-1]
        try:
            decoded = bytes.fromhex(digits).decode("utf-8")
        except ValueError:
            continue
        if _readable(decoded):
            found.append(Decoded("hex", decoded))
    return found


def _from_percent(text: str) -> list[Decoded]:
    if len(_PERCENT.findall(text)) < 4:
        return []
    decoded = urllib.parse.unquote(text)
    return [Decoded("percent", decoded)] if decoded != text and _readable(decoded) else []


def is_leet_word(token: str) -> bool:
    """A word that mixes letters with stand-in digits or symbols ("h3ll0"), not a real token that holds
    digits (a dose "500mg", "HbA1c", "mp4", a piece of an id "7d27f180")."""
    return (
        re.search(r"[0-9@$!]", token) is not None
        and re.search(r"[A-Za-z]", token) is not None
        and not _REAL_DIGITS.match(token)
        and not _HEX_ID.match(token)
    )


def unleet(text: str) -> str | None:
    """The text with leetspeak words spelled out, or None when the text is not leetspeak.

    Leetspeak means at least three words that mix letters with stand-in digits or symbols, and at least a
    quarter of the words; doses, times and lab names ("500mg", "10am", "HbA1c") never count.
    """
    tokens = _LEET_TOKEN.findall(text)
    if not tokens:
        return None
    leet = [t for t in tokens if is_leet_word(t)]
    if len(leet) < 3 or len(leet) < 0.25 * len(tokens):
        return None
    # Once the message is leetspeak, every mixed word is decoded ("d3" is "de" here, not vitamin D3);
    # only a number followed by a unit keeps its digits.
    return _LEET_TOKEN.sub(
        lambda m: m.group(0) if _UNIT.match(m.group(0)) else m.group(0).translate(_LEET), text
    )


def unspace(text: str) -> str | None:
    """Letters spaced or dotted out ("c o m b i e n   d e", "i.g.n.o.r.e") joined back into words; words
    are the groups separated by two spaces or more. None when there is no such run."""
    runs = [m.group(1) for m in _SPACED_RUN.finditer(text)]
    runs = [r for r in runs if sum(ch.isalpha() for ch in r) >= 5]
    if not runs:
        return None
    out = text
    for run in runs:
        words = [re.sub(r"[ .*_-]", "", w) for w in _WORD_GAP.split(run)]
        out = out.replace(run, " ".join(w for w in words if w), 1)
    return out


# Only when the message itself says to read something backwards: ordinary text is never reversed.
_BACKWARDS = re.compile(
    r"\b(?:backwards?|in reverse|reversed|right to left|à l'envers|a l'envers|à l’envers|a l’envers"
    r"|de droite à gauche|de droite a gauche|inversée?|inversé)\b",
    re.IGNORECASE,
)


def unreverse(text: str) -> str | None:
    """The message read backwards, when it asks for that (None otherwise)."""
    return text[::-1] if _BACKWARDS.search(text) else None


def decode_all(clean: str) -> tuple[Decoded, ...]:
    """Every disguised part of ``clean`` that could be decoded (see module docstring)."""
    found: list[Decoded] = [*_from_base64(clean), *_from_hex(clean), *_from_percent(clean)]
    leet = unleet(clean)
    if leet is not None:
        found.append(Decoded("leet", leet))
    spaced = unspace(clean)
    if spaced is not None:
        found.append(Decoded("spaced", spaced))
    backwards = unreverse(clean)
    if backwards is not None:
        found.append(Decoded("reversed", backwards))
    if _NON_LATIN_LOOKALIKE.search(clean) and re.search(r"[A-Za-z]", clean):
        found.append(Decoded("homoglyph", clean.translate(_HOMOGLYPHS)))
    return tuple(found)
