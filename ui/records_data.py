"""What the record pages show, as plain data: summary lists, trends with usual ranges, appointments.

Both ways of reaching the core (in process, or a clinic API over HTTP) produce these same small objects,
so the pages never care where the data came from. Trend points are read from ``Reading`` objects (in
process) or their JSON form ``Reading.as_dict()`` (over HTTP) by the same helpers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from retrieval import ConceptMap, Reading

# Which measurement feeds which trend: BP parts are components of the blood-pressure panel.
COMPONENT_OF: dict[str, tuple[str, str]] = {
    "systolic_bp": ("blood_pressure", "8480-6"),
    "diastolic_bp": ("blood_pressure", "8462-4"),
}

# The charts the record page draws (issue #8): title key in ui.i18n → measurement concepts.
CHARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("chart_hba1c", ("hba1c",)),
    ("chart_glucose", ("glucose",)),
    ("chart_blood_pressure", ("systolic_bp", "diastolic_bp")),
    ("chart_weight", ("body_weight", "bmi")),
    ("chart_cholesterol", ("total_cholesterol", "ldl", "hdl")),
    ("chart_kidney", ("egfr", "creatinine")),
)


@dataclass(frozen=True)
class Entry:
    """One record entry as a patient reads it (the card text of a condition, medicine, visit...)."""

    ref: str
    title: str
    text: str = ""
    date: date | None = None
    status: str | None = None


@dataclass(frozen=True)
class RecordSummary:
    patient_id: str
    name: str
    birth_date: date | None = None
    conditions: list[Entry] = field(default_factory=list)
    medications: list[Entry] = field(default_factory=list)
    allergies: list[Entry] = field(default_factory=list)
    immunizations: list[Entry] = field(default_factory=list)
    encounters: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class Point:
    day: date
    value: float
    ref: str
    flag: str | None = None


@dataclass(frozen=True)
class Trend:
    """One measurement over time, with the usual range to draw (``low``/``high`` may each be absent)."""

    key: str
    name_en: str
    name_fr: str
    unit: str
    points: list[Point]
    low: float | None = None
    high: float | None = None
    range_source: str | None = None
    range_source_fr: str | None = None  # the same named range in French (one voice per language)

    def name(self, lang: str) -> str:
        return self.name_fr if lang == "fr" else self.name_en

    def source(self, lang: str) -> str | None:
        return (self.range_source_fr or self.range_source) if lang == "fr" else self.range_source

    @property
    def out_of_range(self) -> int:
        """Points outside a known range (a value that cannot be right is not a result: not counted)."""
        return sum(1 for p in self.points if p.flag and p.flag != "implausible")


@dataclass(frozen=True)
class Appointment:
    ref: str
    start: str
    service: str
    end: str | None = None
    practitioner: str | None = None
    location: str | None = None
    status: str = "booked"


def _unit_key(unit: str) -> str:
    """ "mL/min/{1.73_m2}" → "ml/min/1.73m2", "mm[Hg]" → "mmhg": enough to compare units loosely."""
    return re.sub(r"[\s{}\[\]_²]", "", unit.lower().replace("²", "2"))


def reading_points(readings: Iterable[Reading], component_code: str | None = None) -> list[Point]:
    """Numeric points, oldest first; for a panel (blood pressure) the component with ``component_code``."""
    points: list[Point] = []
    for r in readings:
        source = r
        if component_code is not None:
            match = [c for c in r.components if any(code.code == component_code for code in c.codes)]
            if not match:
                continue
            source = match[0]
        if r.date is None or not isinstance(source.value, int | float):
            continue
        points.append(Point(r.date, float(source.value), r.ref, source.flag))
    return sorted(points, key=lambda p: (p.day, p.ref))


def json_points(readings: Sequence[Mapping[str, Any]], component_code: str | None = None) -> list[Point]:
    """The same points from JSON: ``Reading.as_dict()`` or the clinic API's observation points.

    The API sends a blood-pressure panel as one point with ``display`` "128/82 mmHg" and no components;
    the systolic (first) or diastolic (second) number is read from that text.
    """
    points: list[Point] = []
    for r in readings:
        day = r.get("date")
        ref = str(r.get("ref") or r.get("resource") or "")
        value: Any = r.get("value")
        flag = r.get("flag")
        if component_code is not None:
            match = [
                c
                for c in r.get("components") or []
                if _name_matches_component(str(c.get("name", "")), component_code)
            ]
            if match:
                value, flag = match[0].get("value"), match[0].get("flag")
            else:
                value = _panel_part(str(r.get("display") or ""), component_code)
        if not day or not isinstance(value, int | float) or isinstance(value, bool):
            continue
        points.append(Point(date.fromisoformat(str(day)[:10]), float(value), ref, flag))
    return sorted(points, key=lambda p: (p.day, p.ref))


def _panel_part(display: str, code: str) -> float | None:
    match = re.match(r"\s*([0-9.]+)\s*/\s*([0-9.]+)", display)
    if match is None or code not in ("8480-6", "8462-4"):
        return None
    return float(match.group(1) if code == "8480-6" else match.group(2))


def _name_matches_component(name: str, code: str) -> bool:
    # Reading.as_dict() does not carry component codes; its names are LOINC display names.
    lowered = name.lower()
    return ("systolic" in lowered and code == "8480-6") or ("diastolic" in lowered and code == "8462-4")


def make_trend(key: str, points: list[Point], unit: str, concepts: ConceptMap) -> Trend:
    """Name the trend in both languages and attach the concept's usual range when the units agree."""
    concept = concepts.get(key)
    name_en = concept.en if concept else key
    name_fr = concept.fr if concept else key
    low = high = None
    source = source_fr = None
    usual = concept.usual_range if concept else None
    if usual is not None and (not unit or _unit_key(usual.unit).startswith(_unit_key(unit))):
        low, high, source, source_fr = usual.low, usual.high, usual.source, usual.describe("fr")
    return Trend(key, name_en, name_fr, unit, points, low, high, source, source_fr)


def trend_from_readings(key: str, readings: Sequence[Reading], concepts: ConceptMap) -> Trend:
    component = COMPONENT_OF.get(key)
    points = reading_points(readings, component[1] if component else None)
    unit = ""
    for r in readings:
        src = r
        if component is not None:
            src = next((c for c in r.components if any(x.code == component[1] for x in c.codes)), r)
        if src.unit:
            unit = src.unit
    return make_trend(key, points, unit, concepts)


def series_concept(key: str) -> str:
    """Which concept to ask the record for: a BP part comes from the blood-pressure panel."""
    return COMPONENT_OF[key][0] if key in COMPONENT_OF else key
