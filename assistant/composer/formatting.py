"""Dates, numbers and lists as a patient reads them, in English or French.

Numbers keep the precision a lab report would show (at most two decimals) so the grounding check can
match them to the cited resource; French uses a decimal comma and "1er" for the first of the month.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from assistant.schemas import Language
from retrieval.fhir_values import fmt_unit

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


def format_date(day: date, language: Language, precision: str = "day") -> str:
    """ "22 January 2021" / "22 janvier 2021"; a month or a year alone when the record gave no more
    ("January 2015", "2015"): a partial date is never shown as the first of the month."""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTHS[language][day.month - 1]} {day.year}"
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
    """UCUM codes as people write them: "mm[Hg]" → "mmHg", "Cel" → "°C", "ug/L" → "µg/L" (one table, shared
    with the record cards: ``retrieval.fhir_values.fmt_unit``)."""
    return fmt_unit(unit)


# Units whose values a lab sheet or a monitor shows as whole numbers, or with one decimal.
_WHOLE_UNITS = {"mmHg", "/min", "mL/min/1.73 m²", "points"}
_ONE_DECIMAL_UNITS = {"°C", "°F", "kg/m²"}


def format_measure(value: float, unit: str | None, language: Language) -> str:
    """A measured value rounded as a lab sheet shows it: three significant digits, at most two decimals
    (229.68 → "230", 41.81 → "41.8", 0.3137 → "0.31", 7.262 % → "7.26 %"); blood pressure and pulse as
    whole numbers; a temperature or a BMI with one decimal at most. French uses a decimal comma."""
    shown = fmt_unit(unit)
    if shown in _WHOLE_UNITS:
        decimals = 0
    else:
        magnitude = math.floor(math.log10(abs(value))) if value else 0
        decimals = max(0, min(2, 2 - magnitude))
        if shown in _ONE_DECIMAL_UNITS:
            decimals = min(decimals, 1)
    text = f"{round(value, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if language == "fr" else text


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
