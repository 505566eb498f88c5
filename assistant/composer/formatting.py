"""Dates, numbers and lists as a patient reads them, in English or French.

Numbers keep the precision a lab report would show (at most two decimals) so the grounding check can
match them to the cited resource; French uses a decimal comma and "1er" for the first of the month.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from assistant.schemas import Language

MONTHS: dict[Language, tuple[str, ...]] = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
}  # fmt: skip
WEEKDAYS: dict[Language, tuple[str, ...]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}


def format_date(day: date, language: Language) -> str:
    if language == "fr":
        first = "1er" if day.day == 1 else str(day.day)
        return f"{first} {MONTHS['fr'][day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}"


def format_number(value: float, language: Language) -> str:
    """At most two decimals, no trailing zeros: 7.262 → "7.26", 88.0 → "88", in French "7,26"."""
    if float(value).is_integer():
        text = str(int(value))
    else:
        digits = 1 if abs(value) >= 100 else 2
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if language == "fr" else text


def format_unit(unit: str | None) -> str:
    """UCUM codes as people write them: "mm[Hg]" → "mmHg", "kg/m2" → "kg/m²"."""
    if not unit:
        return ""
    return unit.replace("[", "").replace("]", "").replace("/m2", "/m²").replace("{score}", "").strip()


def join_words(items: Sequence[str], language: Language) -> str:
    """ "a, b and c" / "a, b et c"."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    last = " et " if language == "fr" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def pick(language: Language, en: str, fr: str) -> str:
    return fr if language == "fr" else en
