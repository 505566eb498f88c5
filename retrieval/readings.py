"""Observation values as plain readings, shared by cards and exact queries.

One reader decides what a value is, whether it is outside the usual range and why, so a card and an exact
answer can never disagree about the same observation. What real records hold besides a clean value is read
here too, and never turned into a number it is not:

- ``dataAbsentReason`` (no value, and why: "not asked", "masked") and template placeholders left as
  values (``{entry.value}``): no value, with a note;
- values outside what a living person can have (an HbA1c of 1 %): flagged ``implausible`` — never called
  normal, even when the record's own interpretation says so;
- systolic and diastolic written as two Observations at the same time: paired into one blood-pressure
  reading that cites both (``pair_blood_pressure``);
- panels that only group other results (``hasMember``): ``is_panel``, with their members;
- dates as precise as the record wrote them ("2015-03" is a month).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from fhir_client.placeholders import is_placeholder
from retrieval.concepts import Concept, ConceptMap, PlausibleRange, UsualRange
from retrieval.fhir_values import (
    absent_reason_of,
    clean,
    codes_of,
    concept_text,
    first_concept,
    first_date,
    fmt_number,
    fmt_unit,
    number,
    ref_of,
    status_code,
)
from retrieval.model import Code

SYSTOLIC, DIASTOLIC = "8480-6", "8462-4"
LOINC = "http://loinc.org"
BP_PANEL = Code(LOINC, "85354-9", "Blood pressure panel")
# Statuses of results that were never valid: kept out of values.
NOT_RESULTS = {"entered-in-error", "cancelled"}
ADULT_AGE = 18


@dataclass(frozen=True)
class Reading:
    """One value (or one component of a panel such as blood pressure) with its provenance.

    ``refs`` lists every resource the value comes from (two for a blood pressure written as separate
    systolic and diastolic Observations); ``ref`` is the first. ``flag`` is "high", "low", "abnormal",
    "implausible" or None (within range, or no range known). ``note`` says why there is no value
    ("placeholder", "data absent: unknown").
    """

    ref: str
    name: str
    codes: tuple[Code, ...]
    date: date | None
    value: float | str | None
    unit: str | None
    concept: str | None = None
    category: str | None = None
    status: str | None = None
    flag: str | None = None
    range_text: str | None = None
    interpretation: str | None = None
    components: tuple[Reading, ...] = field(default_factory=tuple)
    refs: tuple[str, ...] = ()
    precision: str = "day"
    note: str | None = None
    range_source: str | None = None  # "record" or the concept key whose usual range judged it
    instant: str | None = None  # the effective time as written, to pair readings taken together
    members: tuple[str, ...] = ()  # results a panel groups (hasMember)
    record_interpretation: str | None = None  # the record's own flag code ("N", "H"…), kept as written
    range_low: float | None = None  # the record's own reference range, as numbers (to write per language)
    range_high: float | None = None
    comment: str | None = None  # the clinician's or lab's note on the result (Observation.note), as written

    @property
    def all_refs(self) -> tuple[str, ...]:
        return self.refs or (self.ref,)

    @property
    def display_value(self) -> str:
        if self.components:
            syst = component(self, SYSTOLIC)
            dias = component(self, DIASTOLIC)
            if syst is not None and dias is not None:
                unit = fmt_unit(syst.unit)
                return f"{_fmt(syst.value)}/{_fmt(dias.value)} {unit}".strip()
            return "; ".join(f"{c.name} {c.display_value}" for c in self.components)
        if self.value is None:
            if self.note:
                return f"no value recorded ({self.note})"
            return "no value recorded"
        unit = fmt_unit(self.unit)
        return f"{_fmt(self.value)} {unit}".strip() if unit else _fmt(self.value)

    @property
    def out_of_range(self) -> bool:
        """Outside a known usual range (an implausible value is not a result: see ``implausible``)."""
        flags = [self.flag, *(c.flag for c in self.components)]
        return any(f in ("high", "low", "abnormal") for f in flags)

    @property
    def implausible(self) -> bool:
        return self.flag == "implausible" or any(c.flag == "implausible" for c in self.components)

    @property
    def has_value(self) -> bool:
        if self.components:
            return any(c.value is not None for c in self.components)
        return self.value is not None

    @property
    def is_panel(self) -> bool:
        return bool(self.members) and self.value is None and not self.components

    def code_set(self) -> set[tuple[str, str]]:
        return {(c.system, c.code) for c in self.codes}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "refs": list(self.all_refs),
            "name": self.name,
            "date": self.date.isoformat() if self.date else None,
            "precision": self.precision,
            "value": self.value,
            "unit": self.unit,
            "display": self.display_value,
            "flag": self.flag or (next((c.flag for c in self.components if c.flag), None)),
            "range": self.range_text or next((c.range_text for c in self.components if c.range_text), None),
            "note": self.note,
            "components": [c.as_dict() for c in self.components],
        }


def _fmt(value: float | str | None) -> str:
    if isinstance(value, float):
        return fmt_number(value)
    return str(value) if value is not None else ""


def component(reading: Reading, code: str) -> Reading | None:
    for c in reading.components:
        if any(cc.code == code for cc in c.codes):
            return c
    return None


_component = component  # older name, kept for callers outside this module


def read_observation(obs: Any, concepts: ConceptMap, birth: date | None = None) -> Reading:
    """One Observation as a reading. ``birth`` (the patient's) keeps adult-only ranges off a child's result."""
    ref = f"Observation/{obs.id}"
    codes = codes_of(obs.code)
    concept = concepts.for_codes(codes)
    effective_period = getattr(obs, "effectivePeriod", None)
    when = first_date(
        getattr(obs, "effectiveDateTime", None),
        getattr(effective_period, "start", None),
        getattr(obs, "effectiveInstant", None),
        getattr(obs, "issued", None),
    )
    instant = _instant(obs)
    child = _is_child(birth, when.day if when else None)
    category = None
    cat = first_concept(getattr(obs, "category", None))
    if cat is not None:
        category = status_code(cat) or concept_text(cat)
    status = str(obs.status or "")
    components = tuple(
        _read_value(comp, ref, concepts, when.day if when else None, category, status, child)
        for comp in (getattr(obs, "component", None) or [])
    )
    base = _read_value(obs, ref, concepts, when.day if when else None, category, status, child)
    members = tuple(r for r in (ref_of(m) for m in getattr(obs, "hasMember", None) or []) if r)
    extra = {
        "refs": (ref,),
        "precision": when.precision if when else "day",
        "instant": instant,
        "members": members,
        "comment": _comment(obs),
    }
    if components:
        if len(components) == 2 and {c.concept for c in components} == {"systolic_bp", "diastolic_bp"}:
            components = _check_pair(components)
        return Reading(
            ref=ref,
            name=base.name,
            codes=codes,
            date=base.date,
            value=None,
            unit=None,
            concept=concept.key if concept else None,
            category=category,
            status=base.status,
            interpretation=base.interpretation,
            components=components,
            **extra,  # type: ignore[arg-type]
        )
    return replace(base, **extra)  # type: ignore[arg-type]


def _comment(obs: Any) -> str | None:
    """The notes written on the result ("Above stated goal of 7.0 %"), joined, as written; None without."""
    texts = [clean(getattr(n, "text", None)) for n in getattr(obs, "note", None) or []]
    joined = " ".join(t.rstrip(".") + "." for t in texts if t and not is_placeholder(t))
    return joined[:300] or None


def _instant(obs: Any) -> str | None:
    """The effective time exactly as written (a dateTime and a period starting at the same time differ)."""
    for key in ("effectiveDateTime", "effectiveInstant"):
        value = getattr(obs, key, None)
        if value is not None:
            return f"{key}:{value}"
    period = getattr(obs, "effectivePeriod", None)
    if period is not None and getattr(period, "start", None) is not None:
        return f"effectivePeriod:{period.start}/{getattr(period, 'end', None)}"
    return None


def _is_child(birth: date | None, day: date | None) -> bool:
    if birth is None or day is None:
        return False
    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    return age < ADULT_AGE


def _read_value(
    item: Any,
    ref: str,
    concepts: ConceptMap,
    when: date | None,
    category: str | None,
    status: str,
    child: bool,
) -> Reading:
    codes = codes_of(item.code)
    concept = concepts.for_codes(codes)
    name = concept_text(item.code)
    value: float | str | None = None
    unit: str | None = None
    note: str | None = None
    qty = getattr(item, "valueQuantity", None)
    if qty is not None:
        value = number(qty.value)
        unit = clean(qty.unit) or clean(getattr(qty, "code", None)) or None
        if value is None:
            note = _absent(item, qty) or "no number recorded"
    elif getattr(item, "valueCodeableConcept", None) is not None:
        value = concept_text(item.valueCodeableConcept) or None
    elif getattr(item, "valueString", None) is not None:
        text = clean(item.valueString)
        if is_placeholder(text):
            note = "a placeholder left by the exporting system"
        else:
            value = text or None
    elif getattr(item, "valueBoolean", None) is not None:
        value = "yes" if item.valueBoolean else "no"
    elif getattr(item, "valueInteger", None) is not None:
        value = float(item.valueInteger)
    if value is None and note is None:
        note = _absent(item, None)
    interpretation = None
    interp = first_concept(getattr(item, "interpretation", None))
    record_flag = status_code(interp) if interp is not None else None
    if interp is not None:
        interpretation = concept_text(interp) or record_flag
    flag, range_text, source = _judge(item, value, unit, concept, record_flag, child)
    low, high = _record_bounds(item)
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
        note=note,
        range_source=source,
        record_interpretation=record_flag,
        # an impossible value is judged against nothing, but the range the lab printed beside it is kept
        range_low=low if source == "record" or flag == "implausible" else None,
        range_high=high if source == "record" or flag == "implausible" else None,
    )


def _absent(item: Any, quantity: Any) -> str | None:
    """ "data absent: not asked" from ``dataAbsentReason`` or a data-absent-reason extension."""
    reason = getattr(item, "dataAbsentReason", None)
    if reason is not None:
        return f"data absent: {concept_text(reason) or status_code(reason) or 'unknown'}"
    if quantity is not None:
        ext = absent_reason_of(quantity, "value")
        if ext:
            return f"data absent: {ext}"
    return None


def _judge(
    item: Any,
    value: float | str | None,
    unit: str | None,
    concept: Concept | None,
    record_flag: str | None,
    child: bool,
) -> tuple[str | None, str | None, str | None]:
    """(flag, range text, whose range). Plausibility first: an impossible value is never judged normal.
    Then the record's own interpretation or reference range; the concept map's usual range (with its
    named guidance) only when the record says nothing."""
    limits = plausible_for(concept, unit)
    if isinstance(value, float) and limits is not None and not limits.contains(value):
        return "implausible", None, None
    if record_flag in ("H", "HH", "HU", ">"):
        return "high", _record_range(item, unit), "record"
    if record_flag in ("L", "LL", "LU", "<"):
        return "low", _record_range(item, unit), "record"
    if record_flag in ("A", "AA"):
        return "abnormal", _record_range(item, unit), "record"
    if not isinstance(value, float):
        return None, None, None
    for rr in getattr(item, "referenceRange", None) or []:
        low = number(getattr(getattr(rr, "low", None), "value", None))
        high = number(getattr(getattr(rr, "high", None), "value", None))
        text = clean(getattr(rr, "text", None)) or _range_text(low, high, unit)
        if low is None and high is None and not clean(getattr(rr, "text", None)):
            continue
        if low is not None and value < low:
            return "low", text, "record"
        if high is not None and value > high:
            return "high", text, "record"
        return None, text, "record"
    usual = usual_range_for(concept, unit, child)
    if usual is None or concept is None:
        return None, None, None
    if usual.low is not None and value < usual.low:
        return "low", usual.source, concept.key
    if usual.high is not None and value >= usual.high:
        return "high", usual.source, concept.key
    return None, usual.source, concept.key


def usual_range_for(concept: Concept | None, unit: str | None, child: bool = False) -> UsualRange | None:
    """The concept's usual range when it applies to this result: same unit, and not an adult range on a
    child's result."""
    usual = concept.usual_range if concept else None
    if usual is None or (usual.adult_only and child):
        return None
    if unit and usual.unit and not same_unit(unit, usual.unit):
        return None
    return usual


def plausible_for(concept: Concept | None, unit: str | None) -> PlausibleRange | None:
    limits = concept.plausible if concept else None
    return limits if limits is not None and same_unit(unit, limits.unit) else None


def _record_bounds(item: Any) -> tuple[float | None, float | None]:
    for rr in getattr(item, "referenceRange", None) or []:
        low = number(getattr(getattr(rr, "low", None), "value", None))
        high = number(getattr(getattr(rr, "high", None), "value", None))
        if low is not None or high is not None:
            return low, high
    return None, None


def _record_range(item: Any, unit: str | None) -> str | None:
    for rr in getattr(item, "referenceRange", None) or []:
        low = number(getattr(getattr(rr, "low", None), "value", None))
        high = number(getattr(getattr(rr, "high", None), "value", None))
        text = clean(getattr(rr, "text", None)) or _range_text(low, high, unit)
        if text != "given":
            return text
    return None


def _range_text(low: float | None, high: float | None, unit: str | None) -> str:
    u = f" {fmt_unit(unit)}" if unit and fmt_unit(unit) else ""
    if low is not None and high is not None:
        return f"{fmt_number(low)}–{fmt_number(high)}{u}"
    if low is not None:
        return f"≥ {fmt_number(low)}{u}"
    if high is not None:
        return f"≤ {fmt_number(high)}{u}"
    return "given"


_UNIT_SAME = {
    "uiu/ml": "miu/l",
    "miu/l": "miu/l",
    "mu/l": "miu/l",
    "pg/ml": "ng/l",
    "ng/l": "ng/l",
    "ml/min/1.73m2": "ml/min/1.73m2",
    "ml/min": "ml/min/1.73m2",
    "cel": "cel",
    "degc": "cel",
    "°c": "cel",
    "/min": "/min",
    "beats/min": "/min",
    "breaths/min": "/min",
    "bpm": "/min",
    "mmhg": "mmhg",
    "kg/m2": "kg/m2",
    "10*3/ul": "10*3/ul",
    "10^3/ul": "10*3/ul",
    "k/ul": "10*3/ul",
    "10*9/l": "10*3/ul",
    "ug/l": "ng/ml",
    "ng/ml": "ng/ml",
}


def _unit_key(unit: str) -> str:
    text = unit.strip().lower().replace("µ", "u").replace("μ", "u")
    text = re.sub(r"[\[\]{}_\s]", "", text).replace("²", "2")
    text = text.replace("iu", "iu")
    return _UNIT_SAME.get(text, text)


def same_unit(a: str | None, b: str | None) -> bool:
    """Units that mean the same quantity: "mm[Hg]" and "mmHg", "u[IU]/mL" and "m[IU]/L", "pg/mL" and "ng/L".

    A missing unit on the value is accepted (many exports drop it for "%" or "/min")."""
    if not a or not b:
        return True
    return _unit_key(a) == _unit_key(b)


# --- readings across a record ------------------------------------------------------------------------------


def pair_blood_pressure(readings: Sequence[Reading], concepts: ConceptMap) -> list[Reading]:
    """Blood-pressure readings made from separate systolic and diastolic Observations taken together.

    Pairs are matched on the effective time exactly as written (two readings at the same minute, one as a
    dateTime and one as a period, stay two readings); each pair cites both Observations.
    """
    by_instant: dict[str, dict[str, list[Reading]]] = defaultdict(lambda: defaultdict(list))
    for r in readings:
        if r.components or r.instant is None or not r.has_value:
            continue
        codes = {c.code for c in r.codes if c.system == LOINC}
        if SYSTOLIC in codes:
            by_instant[r.instant]["s"].append(r)
        elif DIASTOLIC in codes:
            by_instant[r.instant]["d"].append(r)
    bp = concepts.get("blood_pressure")
    pairs: list[Reading] = []
    for parts in by_instant.values():
        for syst, dias in zip(
            sorted(parts["s"], key=lambda r: r.ref), sorted(parts["d"], key=lambda r: r.ref), strict=False
        ):
            comps = _check_pair((syst, dias))
            pairs.append(
                Reading(
                    ref=syst.ref,
                    refs=(syst.ref, dias.ref),
                    name=bp.en if bp else "Blood pressure",
                    codes=(BP_PANEL,),
                    date=syst.date,
                    value=None,
                    unit=None,
                    concept="blood_pressure",
                    category=syst.category,
                    status=syst.status,
                    components=comps,
                    precision=syst.precision,
                    instant=syst.instant,
                )
            )
    return pairs


def _check_pair(parts: Iterable[Reading]) -> tuple[Reading, ...]:
    """A diastolic above its systolic cannot be: both are shown as implausible, never judged."""
    items = tuple(parts)
    syst = next((p for p in items if any(c.code == SYSTOLIC for c in p.codes)), None)
    dias = next((p for p in items if any(c.code == DIASTOLIC for c in p.codes)), None)
    if (
        syst is not None
        and dias is not None
        and isinstance(syst.value, float)
        and isinstance(dias.value, float)
        and dias.value >= syst.value
    ):
        return tuple(replace(p, flag="implausible", range_text=None) for p in items)
    return items


def record_readings(
    observations: Iterable[Any],
    concepts: ConceptMap,
    birth: date | None = None,
    *,
    read: Callable[[Any], Reading] | None = None,
) -> list[Reading]:
    """Every observation as a reading plus the paired blood pressures, oldest first (ties by reference).

    Results marked entered-in-error or cancelled are left out: they are not results. ``read`` lets a
    caller that caches readings (the card builder) supply them."""
    reader = read or (lambda o: read_observation(o, concepts, birth))
    out = [reader(o) for o in observations if str(o.status or "") not in NOT_RESULTS]
    out.extend(pair_blood_pressure(out, concepts))
    return sorted(out, key=lambda r: (r.date or date.min, r.ref, len(r.all_refs)))
