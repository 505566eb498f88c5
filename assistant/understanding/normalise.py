"""The one cleaning of a patient message, done the same way in the API, the CLI, the app and the assistant.

What a patient sends can carry characters nobody sees: zero-width spaces and joiners (a classic way to
split "ign\u200bore" so that a pattern no longer sees the word), bidirectional overrides that make text
display in another order than it is read, a byte-order mark pasted from a file, stray control characters
from a terminal, lone surrogates that cannot even be stored as UTF-8. ``clean_message`` removes them once,
at the door, so that the guard, triage, the booking parser and the stored transcript all read the same
text, and so that "empty" has one meaning everywhere: nothing left after cleaning (``is_blank``).

What it does, in order:
1. line breaks of every kind (CR LF, CR, NEL, U+2028/2029, vertical tab, form feed) become "\n";
   a tab becomes a space;
2. removed: other control characters (Unicode Cc), format characters (Cf: zero-width space/joiners, word
   joiner, soft hyphen, BOM, bidirectional controls), lone surrogates (Cs) and the noncharacters
   U+FFFE/U+FFFF;
3. Unicode NFC, so "é" typed as e + combining accent and "é" typed as one character are the same text;
4. spacing: Unicode space separators (no-break, thin, ideographic…) become a plain space, spaces at the
   end of a line go, more than two line breaks in a row become two, and the whole is stripped.

It never changes letters, digits, punctuation or emoji (other than the joiners inside emoji sequences),
and it is idempotent: cleaning a cleaned message changes nothing.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_message", "is_blank"]

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_TRAILING_SPACE = re.compile(r"[ ]+(?=\n|$)")
_MANY_BREAKS = re.compile(r"\n{3,}")
_NONCHARACTERS = frozenset("\ufffe\uffff")


def _keep(ch: str) -> str:
    if ch == "\n":
        return ch
    if ch == "\t":
        return " "
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Cs") or ch in _NONCHARACTERS:
        return ""
    if category == "Zs":
        return " "
    return ch


def clean_message(text: str) -> str:
    """``text`` without invisible and control characters, with uniform line breaks and spaces, stripped.

    >>> clean_message("  chest\u200b pain\r\n\u202e ")
    'chest pain'
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = "".join(_keep(ch) for ch in text)
    text = unicodedata.normalize(
        "NFC", text
    )  # after the removals: a joiner may have split a letter from its accent
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_BREAKS.sub("\n\n", text)
    return text.strip()


def is_blank(text: str) -> bool:
    """True when nothing would be left of ``text`` once cleaned: the one meaning of an empty message."""
    return not clean_message(text)
