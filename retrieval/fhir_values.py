"""Small readers over fhir.resources models, tolerant of missing fields.

Records from real portals are patchy; every reader here returns ``None`` or an empty value instead of
raising, so one odd resource never stops a patient's record from being indexed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from fhir_client.yaml_data import load_yaml
from retrieval.model import Code

CODE_SYSTEMS_FILE = Path(__file__).parent / "data" / "code_systems.yaml"
DATA_ABSENT_URL = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
DATA_ABSENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
# A code's text longer than this (or on several lines) is a paragraph, not a name: shown shortened.
NAME_MAX = 90
Precision = Literal["year", "month", "day"]


@lru_cache(maxsize=1)
def _systems() -> tuple[dict[str, str], dict[str, str]]:
    raw: dict[str, Any] = load_yaml(CODE_SYSTEMS_FILE.read_text(encoding="utf-8"))
    canonical: dict[str, str] = {}
    names: dict[str, str] = {}
    for item in raw["systems"]:
        canonical[item["url"]] = item["url"]
        names[item["url"]] = item["name"]
        for alias in item.get("aliases", []):
            canonical[alias] = item["url"]
    return canonical, names


def canonical_system(system: str | None) -> str:
    """The canonical URL of a code system, whatever name (an HL7 OID, a trailing slash) the record used."""
    text = str(system or "").strip()
    return _systems()[0].get(text, text)


def system_name(system: str | None) -> str:
    """ "NDC", "SNOMED CT"…; the URL or OID itself for a system we do not know."""
    url = canonical_system(system)
    return _systems()[1].get(url, url)


SYSTEM_NAMES = {url: name for url, name in _systems()[1].items()}

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
            out.append(Code(system=canonical_system(c.system), code=str(c.code), display=clean(c.display)))
    return tuple(out)


def concept_full_text(concept: Any) -> str:
    """The human text of a CodeableConcept as the record wrote it: its ``text``, else the first display
    (of any coding, even one without a code), else the first code. Displays in other languages are kept
    as written."""
    if concept is None:
        return ""
    text = clean(getattr(concept, "text", None))
    if text:
        return text
    codings = getattr(concept, "coding", None)
    if codings is None and getattr(concept, "code", None) is not None:
        codings = [concept]
    for c in codings or []:
        display = clean(getattr(c, "display", None))
        if display:
            return display
    codes = codes_of(concept)
    return codes[0].code if codes else ""


def concept_text(concept: Any) -> str:
    """A name for a CodeableConcept: ``concept_full_text``, shortened when the record wrote a paragraph
    (a converter's free-text note in ``code.text``): its first sentence, cut at a word."""
    return short_name(concept_full_text(concept))


def short_name(text: str) -> str:
    raw = text.replace("\r", "\n")
    first = raw.split("\n")[0].strip() or raw.strip()
    if len(first) <= NAME_MAX and first == raw.strip():
        return clean(first)
    # The first sentence, not cut at an abbreviation ("Ms. Newman", "a. Chronic…"): at least 25 characters.
    stop = next((m.start() for m in re.finditer(r"[.;] ", first) if m.start() >= 25), len(first))
    sentence = first[:stop]
    if len(sentence) > NAME_MAX:
        sentence = sentence[:NAME_MAX].rsplit(" ", 1)[0]
    return clean(sentence).rstrip(".,;:") + "…"


def is_paragraph(text: str) -> bool:
    return len(text) > NAME_MAX or "\n" in text or "\r" in text


def data_absent_reason(element: Any) -> str | None:
    """The data-absent-reason code on an element or its primitive extension (``_onsetDateTime``)."""
    for ext in getattr(element, "extension", None) or []:
        if getattr(ext, "url", None) == DATA_ABSENT_URL:
            return str(getattr(ext, "valueCode", None) or "unknown")
    return None


def absent_reason_of(resource: Any, field: str) -> str | None:
    """Why ``field`` of ``resource`` has no value, when the record says (``_field`` extension)."""
    ext = getattr(resource, f"{field}__ext", None)
    if ext is not None:
        found = data_absent_reason(ext)
        if found:
            return found
    value = getattr(resource, field, None)
    return data_absent_reason(value) if value is not None else None


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


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as the record wrote it: "2015" is a year, "2015-01" a month, not 1 January."""

    day: date
    precision: Precision = "day"

    def iso(self) -> str:
        if self.precision == "year":
            return f"{self.day.year:04d}"
        if self.precision == "month":
            return f"{self.day.year:04d}-{self.day.month:02d}"
        return self.day.isoformat()

    def end(self) -> date:
        """The last day the partial date can mean (2015 → 31 December 2015)."""
        if self.precision == "year":
            return date(self.day.year, 12, 31)
        if self.precision == "month":
            nxt = date(self.day.year + (self.day.month == 12), self.day.month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return self.day


def partial_date(value: Any) -> PartialDate | None:
    """A FHIR date/dateTime/instant with the precision the record gave it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return PartialDate(value.date())
    if isinstance(value, date):
        return PartialDate(value)
    text = str(value).strip()
    try:
        if len(text) == 4:
            return PartialDate(date(int(text), 1, 1), "year")
        if len(text) == 7:
            return PartialDate(date(int(text[:4]), int(text[5:7]), 1), "month")
        return PartialDate(date.fromisoformat(text[:10]))
    except ValueError:
        return None


def first_date(*values: Any) -> PartialDate | None:
    for value in values:
        found = partial_date(value)
        if found is not None:
            return found
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


UNITS_FOR_PEOPLE = {
    "mm[Hg]": "mmHg",
    "Cel": "°C",
    "[degF]": "°F",
    "{score}": "points",
    "kg/m2": "kg/m²",
    "{nominal}": "",
    "mL/min/{1.73_m2}": "mL/min/1.73 m²",
    "/min": "/min",
    "{beats}/min": "/min",
    "{breaths}/min": "/min",
    "10*3/uL": "×10³/µL",
    "10*6/uL": "×10⁶/µL",
    "10*9/L": "×10⁹/L",
    "10*12/L": "×10¹²/L",
    "ug/L": "µg/L",
    "ug/dL": "µg/dL",
    "umol/L": "µmol/L",
    "u[IU]/mL": "µIU/mL",
    "m[IU]/L": "mIU/L",
    "[IU]/L": "IU/L",
    "[lb_av]": "lb",
    "[in_i]": "in",
    "{Number}": "",
}


def fmt_unit(unit: str | None) -> str:
    """UCUM units written for people: mm[Hg] → mmHg, Cel → °C, {score} → points, ug/L → µg/L."""
    if not unit:
        return ""
    if unit in UNITS_FOR_PEOPLE:
        return UNITS_FOR_PEOPLE[unit]
    # Any other UCUM annotation ("{cells}/uL") reads without its braces.
    return re.sub(r"\{[^}]*\}", "", unit).replace("[", "").replace("]", "").strip() or unit


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


def iso(d: date | None, precision: str = "day") -> str:
    """A date as precise as the record wrote it: "2015", "2015-03" or "2015-03-02"."""
    if d is None:
        return "unknown date"
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()
