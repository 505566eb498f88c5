"""Observation values as plain readings, shared by cards and exact queries.

One reader decides what a value is, whether it is outside the usual range and why, so a card and an exact
answer can never disagree about the same observation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from retrieval.concepts import Concept, ConceptMap
from retrieval.fhir_values import (
    as_date,
    clean,
    codes_of,
    concept_text,
    first_concept,
    fmt_number,
    fmt_unit,
    number,
    status_code,
)
from retrieval.model import Code


@dataclass(frozen=True)
class Reading:
    """One value (or one component of a panel such as blood pressure) with its provenance."""

    ref: str
    name: str
    codes: tuple[Code, ...]
    date: date | None
    value: float | str | None
    unit: str | None
    concept: str | None = None
    category: str | None = None
    status: str | None = None
    flag: str | None = None  # "high", "low", "abnormal" or None (within range / unknown)
    range_text: str | None = None
    interpretation: str | None = None
    components: tuple[Reading, ...] = field(default_factory=tuple)

    @property
    def display_value(self) -> str:
        if self.components:
            syst = _component(self, "8480-6")
            dias = _component(self, "8462-4")
            if syst is not None and dias is not None:
                unit = fmt_unit(syst.unit)
                return f"{_fmt(syst.value)}/{_fmt(dias.value)} {unit}".strip()
            return "; ".join(f"{c.name} {c.display_value}" for c in self.components)
        if self.value is None:
            return "no value recorded"
        unit = fmt_unit(self.unit)
        return f"{_fmt(self.value)} {unit}".strip() if unit else _fmt(self.value)

    @property
    def out_of_range(self) -> bool:
        return self.flag is not None or any(c.flag for c in self.components)

    def code_set(self) -> set[tuple[str, str]]:
        return {(c.system, c.code) for c in self.codes}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "name": self.name,
            "date": self.date.isoformat() if self.date else None,
            "value": self.value,
            "unit": self.unit,
            "display": self.display_value,
            "flag": self.flag or (next((c.flag for c in self.components if c.flag), None)),
            "range": self.range_text or next((c.range_text for c in self.components if c.range_text), None),
            "components": [c.as_dict() for c in self.components],
        }


def _fmt(value: float | str | None) -> str:
    if isinstance(value, float):
        return fmt_number(value)
    return str(value) if value is not None else ""


def _component(reading: Reading, code: str) -> Reading | None:
    for c in reading.components:
        if any(cc.code == code for cc in c.codes):
            return c
    return None


def read_observation(obs: Any, concepts: ConceptMap) -> Reading:
    ref = f"Observation/{obs.id}"
    codes = codes_of(obs.code)
    concept = concepts.for_codes(codes)
    when = as_date(getattr(obs, "effectiveDateTime", None)) or as_date(
        getattr(getattr(obs, "effectivePeriod", None), "start", None)
    )
    when = when or as_date(getattr(obs, "issued", None))
    category = None
    cat = first_concept(getattr(obs, "category", None))
    if cat is not None:
        category = status_code(cat) or concept_text(cat)
    components = tuple(
        _read_value(comp, f"{ref}", concepts, when, category, str(obs.status or ""))
        for comp in (getattr(obs, "component", None) or [])
    )
    base = _read_value(obs, ref, concepts, when, category, str(obs.status or ""))
    if components:
        return Reading(
            ref=ref,
            name=base.name,
            codes=codes,
            date=when,
            value=None,
            unit=None,
            concept=concept.key if concept else None,
            category=category,
            status=base.status,
            interpretation=base.interpretation,
            components=components,
        )
    return base


def _read_value(
    item: Any, ref: str, concepts: ConceptMap, when: date | None, category: str | None, status: str
) -> Reading:
    codes = codes_of(item.code)
    concept = concepts.for_codes(codes)
    name = concept_text(item.code)
    value: float | str | None = None
    unit: str | None = None
    qty = getattr(item, "valueQuantity", None)
    if qty is not None:
        value = number(qty.value)
        unit = clean(qty.unit) or clean(getattr(qty, "code", None)) or None
    elif getattr(item, "valueCodeableConcept", None) is not None:
        value = concept_text(item.valueCodeableConcept)
    elif getattr(item, "valueString", None) is not None:
        value = clean(item.valueString)
    elif getattr(item, "valueBoolean", None) is not None:
        value = "yes" if item.valueBoolean else "no"
    elif getattr(item, "valueInteger", None) is not None:
        value = float(item.valueInteger)
    interpretation = None
    interp = first_concept(getattr(item, "interpretation", None))
    if interp is not None:
        interpretation = concept_text(interp) or status_code(interp)
    flag, range_text = _judge(item, value, unit, concept, interp)
    return Reading(
        ref=ref,
        name=name,
        codes=codes,
        date=when,
        value=value,
        unit=unit,
        concept=concept.key if concept else None,
        category=category,
        status=status or None,
        flag=flag,
        range_text=range_text,
        interpretation=interpretation,
    )


def _judge(
    item: Any, value: float | str | None, unit: str | None, concept: Concept | None, interp: Any
) -> tuple[str | None, str | None]:
    """Flag from the record's own interpretation or reference range first; the concept map's usual range
    (with its named guidance) only when the record says nothing."""
    code = status_code(interp) if interp is not None else None
    if code in ("H", "HH", "HU", ">"):
        return "high", None
    if code in ("L", "LL", "LU", "<"):
        return "low", None
    if code in ("A", "AA"):
        return "abnormal", None
    if not isinstance(value, float):
        return None, None
    for rr in getattr(item, "referenceRange", None) or []:
        low = number(getattr(getattr(rr, "low", None), "value", None))
        high = number(getattr(getattr(rr, "high", None), "value", None))
        text = clean(getattr(rr, "text", None)) or _range_text(low, high, unit)
        if low is not None and value < low:
            return "low", f"record's reference range {text}"
        if high is not None and value > high:
            return "high", f"record's reference range {text}"
        return None, f"record's reference range {text}"
    usual = concept.usual_range if concept else None
    if usual is None or (unit and usual.unit and unit != usual.unit):
        return None, None
    if usual.low is not None and value < usual.low:
        return "low", usual.source
    if usual.high is not None and value >= usual.high:
        return "high", usual.source
    return None, usual.source


def _range_text(low: float | None, high: float | None, unit: str | None) -> str:
    u = f" {fmt_unit(unit)}" if unit else ""
    if low is not None and high is not None:
        return f"{fmt_number(low)}–{fmt_number(high)}{u}"
    if low is not None:
        return f"≥ {fmt_number(low)}{u}"
    if high is not None:
        return f"≤ {fmt_number(high)}{u}"
    return "given"
