"""Small readers over fhir.resources models, tolerant of missing fields.

Records from real portals are patchy; every reader here returns ``None`` or an empty value instead of
raising, so one odd resource never stops a patient's record from being indexed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from retrieval.model import Code

SYSTEM_NAMES = {
    "http://loinc.org": "LOINC",
    "http://snomed.info/sct": "SNOMED CT",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "RxNorm",
    "http://hl7.org/fhir/sid/cvx": "CVX",
}

_SPACES = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")


def clean(text: str | None) -> str:
    if not text:
        return ""
    return _SPACES.sub(" ", _ZERO_WIDTH.sub("", str(text))).strip()


def codes_of(concept: Any) -> tuple[Code, ...]:
    """Codings of a CodeableConcept (or a bare Coding), in record order."""
    if concept is None:
        return ()
    codings = getattr(concept, "coding", None)
    if codings is None and getattr(concept, "code", None) is not None:
        codings = [concept]
    out = []
    for c in codings or []:
        if getattr(c, "code", None):
            out.append(Code(system=str(c.system or ""), code=str(c.code), display=clean(c.display)))
    return tuple(out)


def concept_text(concept: Any) -> str:
    """The human text of a CodeableConcept: its ``text``, else the first display, else the first code."""
    if concept is None:
        return ""
    text = clean(getattr(concept, "text", None))
    if text:
        return text
    for c in codes_of(concept):
        if c.display:
            return c.display
    codes = codes_of(concept)
    return codes[0].code if codes else ""


def first_concept(concepts: Iterable[Any] | None) -> Any:
    for c in concepts or []:
        return c
    return None


def as_date(value: Any) -> date | None:
    """A FHIR date/dateTime/instant (model value or string, possibly partial) as a calendar date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 4:
            return date(int(text), 1, 1)
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def period_dates(period: Any) -> tuple[date | None, date | None]:
    if period is None:
        return None, None
    return as_date(getattr(period, "start", None)), as_date(getattr(period, "end", None))


def number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def fmt_number(value: float) -> str:
    """Round for a patient: 2 decimals at most, no trailing zeros (7.20 → 7.2, 120.0 → 120)."""
    text = f"{value:.1f}" if abs(value) >= 100 else f"{value:.2f}"
    text = text.rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def fmt_unit(unit: str | None) -> str:
    """UCUM units written for people: mm[Hg] → mmHg, Cel → °C, {score} → points."""
    if not unit:
        return ""
    mapping = {"mm[Hg]": "mmHg", "Cel": "°C", "{score}": "points", "kg/m2": "kg/m²", "{nominal}": ""}
    return mapping.get(unit, unit)


def ref_of(reference: Any) -> str | None:
    """A Reference's normalised ``Type/id`` (the loader already rewrote urn:uuid references)."""
    if reference is None:
        return None
    raw = getattr(reference, "reference", None)
    if not raw:
        return None
    parts = str(raw).rstrip("/").split("/")
    return f"{parts[-2]}/{parts[-1]}" if len(parts) >= 2 else None


def status_code(concept: Any) -> str | None:
    codes = codes_of(concept)
    return codes[0].code if codes else None


def iso(d: date | None) -> str:
    return d.isoformat() if d else "unknown date"
