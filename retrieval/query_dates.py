"""Dates a patient writes in a question ("in March", "since 2018", "en mars 2019", "depuis 2018").

The ranker uses them as a soft preference (a card dated inside the window scores higher); explicit
``since``/``until`` arguments are hard filters instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from retrieval.concepts import normalize

MONTHS = {
    "january": 1, "jan": 1, "janvier": 1, "february": 2, "feb": 2, "fevrier": 2, "march": 3, "mars": 3,
    "april": 4, "apr": 4, "avril": 4, "may": 5, "mai": 5, "june": 6, "juin": 6, "july": 7, "juillet": 7,
    "august": 8, "aug": 8, "aout": 8, "september": 9, "sept": 9, "septembre": 9, "october": 10, "oct": 10,
    "octobre": 10, "november": 11, "nov": 11, "novembre": 11, "december": 12, "dec": 12, "decembre": 12,
}  # fmt: skip
SINCE_WORDS = ("since", "depuis", "after", "apres")
UNTIL_WORDS = ("before", "until", "avant", "jusqu")


@dataclass(frozen=True)
class DateHint:
    """A soft window: ``start``/``end`` bound dates; ``month`` alone means that month in any year."""

    start: date | None = None
    end: date | None = None
    month: int | None = None

    def contains(self, d: date | None, end: date | None = None) -> bool:
        if d is None:
            return False
        last = end or d
        if self.start and last < self.start:
            return False
        if self.end and d > self.end:
            return False
        return not (self.month and not (self.start or self.end) and d.month != self.month)


def date_hint(text: str) -> DateHint | None:
    norm = normalize(text)
    words = norm.split()
    year_match = re.search(r"\b(19\d\d|20\d\d)\b", norm)
    year = int(year_match.group(1)) if year_match else None
    month = next((MONTHS[w] for w in words if w in MONTHS and w != "may"), None)
    if month is None and (" in may" in f" {norm}" or " en mai" in f" {norm}"):
        month = 5
    if year is None and month is None:
        return None
    before_year = norm[: year_match.start()] if year_match else norm
    tail = before_year.split()[-2:]
    if year is not None and any(w.startswith(SINCE_WORDS) for w in tail):
        return DateHint(start=date(year, month or 1, 1))
    if year is not None and any(w.startswith(UNTIL_WORDS) for w in tail):
        return DateHint(end=date(year, month or 1, 1))
    if year is not None and month is not None:
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return DateHint(start=date(year, month, 1), end=date.fromordinal(nxt.toordinal() - 1))
    if year is not None:
        return DateHint(start=date(year, 1, 1), end=date(year, 12, 31))
    return DateHint(month=month)
