"""Facts a cited resource supports: its numbers (with units), dates, medicine and condition names.

The output guard checks every patient fact in a reply against these (DESIGN.md, safety principle 2).
What one citation supports is deliberately a little wider than the single resource, in the ways a
patient-facing sentence naturally is:

- an Observation supports the other results of the same test (its series: "up from 6.8 % in 2019");
- a DiagnosticReport supports the results it lists; an Encounter what was recorded during that visit;
- an Observation also supports its test's usual range (from its referenceRange or the concept map).

Nothing else widens it: a fact must be in what was cited, not merely somewhere in the record.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from assistant.guardrails._text import fold
from assistant.guardrails.lexicon import Lexicon, conditions, medicines
from fhir_client import PatientRecord
from retrieval import ConceptMap
from retrieval.fhir_values import codes_of

__all__ = [
    "Quantity",
    "RecordLexicons",
    "ResourceFacts",
    "canonical_unit",
    "facts_for",
    "number_matches",
    "record_lexicons",
]

# Units as people write them → one canonical spelling, so "mmHg" matches UCUM "mm[Hg]".
_UNIT_ALIASES: dict[str, str] = {
    "%": "%",
    "percent": "%",
    "pourcent": "%",
    "mmhg": "mmhg",
    "mm hg": "mmhg",
    "mm[hg]": "mmhg",
    "kg/m2": "kg/m2",
    "kg/m²": "kg/m2",
    "kg": "kg",
    "kilos": "kg",
    "kilo": "kg",
    "kilograms": "kg",
    "kilogrammes": "kg",
    "g": "g",
    "mg": "mg",
    "mcg": "ug",
    "µg": "ug",
    "ug": "ug",
    "cm": "cm",
    "mm": "mm",
    "m": "m",
    "ml": "ml",
    "dl": "dl",
    "bpm": "/min",
    "/min": "/min",
    "beats/min": "/min",
    "beats per minute": "/min",
    "beat per minute": "/min",
    "breaths per minute": "/min",
    "breaths/min": "/min",
    "battements par minute": "/min",
    "respirations par minute": "/min",
    "°c": "cel",
    "cel": "cel",
    "degrees": "cel",
    "degres": "cel",
    "°f": "degf",
    "[degf]": "degf",
    "mg/dl": "mg/dl",
    "g/dl": "g/dl",
    "g/l": "g/l",
    "mg/l": "mg/l",
    "mmol/l": "mmol/l",
    "mmol/mol": "mmol/mol",
    "umol/l": "umol/l",
    "µmol/l": "umol/l",
    "meq/l": "meq/l",
    "u/l": "u/l",
    "ui/l": "u/l",
    "iu/l": "u/l",
    "units": "u",
    "unites": "u",
    "unit": "u",
    "iu": "u",
    "ui": "u",
    "u": "u",
    "[iu]": "u",
    "points": "score",
    "point": "score",
    "{score}": "score",
    "score": "score",
    "/10": "score",
    "lb": "lb",
    "lbs": "lb",
    "[lb_av]": "lb",
    "pounds": "lb",
    "ml/min": "ml/min",
    "ml/min/1.73m2": "ml/min",
    "ml/min/{1.73_m2}": "ml/min",
    "10*3/ul": "10*3/ul",
    "10*6/ul": "10*6/ul",
    "fl": "fl",
    "pg": "pg",
    "ng/ml": "ng/ml",
}


def canonical_unit(unit: str | None) -> str | None:
    """A known unit's canonical spelling, ``None`` for no unit, the folded text for an unknown one."""
    if not unit:
        return None
    folded = fold(unit)
    return _UNIT_ALIASES.get(folded) or _UNIT_ALIASES.get(folded.replace(" ", "")) or folded


KNOWN_UNITS = frozenset(_UNIT_ALIASES.values())


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str | None  # canonical

    def compatible(self, unit: str | None) -> bool:
        """Unknown or missing units never veto a match; two different known units do."""
        if unit is None or self.unit is None:
            return True
        if unit in KNOWN_UNITS and self.unit in KNOWN_UNITS:
            return unit == self.unit
        return True


def number_matches(said: float, decimals: int, value: float) -> bool:
    """Does the number as written (with ``decimals`` digits) state ``value``? 7.2 states 7.23; 7 states 7.4."""
    if math.isclose(said, value, rel_tol=0, abs_tol=1e-9):
        return True
    return math.isclose(round(value, decimals), said, rel_tol=0, abs_tol=10 ** -(decimals + 3))


@dataclass
class ResourceFacts:
    """What a set of cited resources supports."""

    refs: tuple[str, ...]
    quantities: list[Quantity] = field(default_factory=list)
    days: set[date] = field(default_factory=set)
    text: str = ""  # folded display and text strings, joined
    medicine_keys: set[str] = field(default_factory=set)
    condition_keys: set[str] = field(default_factory=set)
    allergy_text: str = ""
    partial_months: set[tuple[int, int]] = field(default_factory=set)  # "2015-03" written as a month
    partial_years: set[int] = field(default_factory=set)  # "2015" written as a year

    @property
    def months(self) -> set[tuple[int, int]]:
        return {(d.year, d.month) for d in self.days} | self.partial_months

    @property
    def years(self) -> set[int]:
        return {d.year for d in self.days} | self.partial_years | {y for y, _ in self.partial_months}

    def supports_number(self, said: float, decimals: int, unit: str | None) -> bool:
        return any(q.compatible(unit) and number_matches(said, decimals, q.value) for q in self.quantities)


# --- walking resource JSON -------------------------------------------------------------------------------

_SKIP_KEYS = frozenset(
    {"id", "reference", "system", "url", "fullUrl", "div", "meta", "extension", "identifier"}
)
_TEXT_KEYS = frozenset({"display", "text", "valueString", "name", "description", "title", "comment"})
_ISO = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
_NUM_IN_TEXT = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)\s*([a-zA-Zµ%°/\[\]{}][a-zA-Zµ%°/\[\]{}0-9.*_]*)?")


def _days_of(value: str) -> set[date]:
    """The calendar day(s) a FHIR date or instant can be read as.

    An instant is the same day everywhere only near noon UTC; read in any time zone from UTC-12 to
    UTC+14 it may fall on the day before or after, and a reply may state the local day.
    """
    m = _ISO.match(value)
    if not m or not m.group(3):
        return set()
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        base = date(year, month, day)
    except ValueError:
        return set()
    if not m.group(4) or not m.group(6):
        return {base}
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return {base}
    utc = instant.astimezone(UTC)
    return {base, (utc - timedelta(hours=12)).date(), (utc + timedelta(hours=14)).date()}


def _walk(obj: Any, facts: ResourceFacts, texts: list[str], key: str = "") -> None:
    if isinstance(obj, dict):
        if isinstance(obj.get("value"), int | float) and not isinstance(obj.get("value"), bool):
            unit = obj.get("unit") or obj.get("code")
            facts.quantities.append(
                Quantity(float(obj["value"]), canonical_unit(str(unit)) if unit else None)
            )
        for k, v in obj.items():
            if k in _SKIP_KEYS or (k == "value" and isinstance(v, int | float)):
                continue
            _walk(v, facts, texts, k)
    elif isinstance(obj, list):
        for item in obj:
            _walk(item, facts, texts, key)
    elif isinstance(obj, bool):
        return
    elif isinstance(obj, int | float):
        facts.quantities.append(Quantity(float(obj), None))
    elif isinstance(obj, str):
        days = _days_of(obj)
        partial = _PARTIAL.match(obj) if not days else None
        if days:
            facts.days.update(days)
        elif partial:
            # A date the record gives as a month or a year ("2015-03", "2015") supports that month or year.
            if partial.group(2):
                facts.partial_months.add((int(partial.group(1)), int(partial.group(2))))
            else:
                facts.partial_years.add(int(partial.group(1)))
        elif key in _TEXT_KEYS or key.startswith("value"):
            texts.append(obj)
            for m in _NUM_IN_TEXT.finditer(obj):
                number = float(m.group(1).replace(",", "."))
                facts.quantities.append(Quantity(number, canonical_unit(m.group(2)) if m.group(2) else None))


_DUMPS: dict[int, tuple[Any, dict[str, Any]]] = {}
_DUMPS_MAX = 20_000


def _dump(resource: Any) -> dict[str, Any]:
    """The resource as JSON, memoised: a record is read-only once loaded, and serialising a FHIR model
    on every output check was the largest cost of a turn (about 25 ms on a 959-resource record)."""
    cached = _DUMPS.get(id(resource))
    if cached is not None and cached[0] is resource:
        return cached[1]
    dumped: dict[str, Any] = resource.model_dump(mode="json", exclude_none=True)
    if len(_DUMPS) >= _DUMPS_MAX:
        _DUMPS.clear()
    _DUMPS[id(resource)] = (resource, dumped)
    return dumped


# --- what one citation covers ------------------------------------------------------------------------------


def _primary_code(resource: Any) -> tuple[str, str] | None:
    codes = codes_of(getattr(resource, "code", None))
    return (codes[0].system, codes[0].code) if codes else None


def _ref_of(value: Any) -> str | None:
    ref = getattr(value, "reference", None)
    return str(ref) if ref else None


def _covered(record: PatientRecord, ref: str) -> Iterator[Any]:
    """The resource behind ``ref`` and the ones its citation also supports (see module docstring)."""
    resource = record.get(ref)
    if resource is None:
        return
    yield resource
    rtype = resource.get_resource_type()
    if rtype == "Observation":
        code = _primary_code(resource)
        if code is not None:
            for other in record.of_type("Observation"):
                if other is not resource and _primary_code(other) == code:
                    yield other
        for member in [
            *(getattr(resource, "hasMember", None) or []),
            *(getattr(resource, "derivedFrom", None) or []),
        ]:
            target = record.get(_ref_of(member) or "")
            if target is not None:
                yield target
    elif rtype == "DiagnosticReport":
        for result in getattr(resource, "result", None) or []:
            target = record.get(_ref_of(result) or "")
            if target is not None:
                yield target
    elif rtype == "Encounter":
        own = f"Encounter/{resource.id}"
        for item in record:
            enc = getattr(item, "encounter", None) or getattr(item, "context", None)
            if enc is not None and not isinstance(enc, list) and _ref_of(enc) == own and item is not resource:
                yield item
    elif rtype in (
        "MedicationRequest",
        "MedicationStatement",
        "MedicationAdministration",
        "MedicationDispense",
    ):
        target = record.get(_ref_of(getattr(resource, "medicationReference", None)) or "")
        if target is not None:
            yield target
    elif rtype == "Device":
        own = f"Device/{resource.id}"
        for use in record.of_type("DeviceUseStatement"):
            if _ref_of(getattr(use, "device", None)) == own:
                yield use


@dataclass(frozen=True)
class RecordLexicons:
    """The curated medicine/condition lexicons extended with this record's own names."""

    medicines: Lexicon
    conditions: Lexicon
    record_condition_keys: frozenset[str]
    record_allergy_text: str
    has_active_allergy: bool


_MED_STOP = frozenset(
    {
        "hr",
        "mg",
        "ml",
        "oral",
        "tablet",
        "tablets",
        "capsule",
        "capsules",
        "extended",
        "release",
        "injectable",
        "injection",
        "solution",
        "suspension",
        "inhaler",
        "dry",
        "powder",
        "metered",
        "dose",
        "actuat",
        "topical",
        "cream",
        "patch",
        "prefilled",
        "syringe",
        "chewable",
        "delayed",
        "film",
        "coated",
        "regular",
        "human",
        "nasal",
        "spray",
        "ointment",
        "vaginal",
        "transdermal",
        "system",
        "day",
        "hour",
        "unt",
        "pack",
        "kit",
        "product",
        "disposable",
        "pen",
        "auto",
        "injector",
        "sodium",
        "potassium",
        "hydrochloride",
        "vial",
        "liquid",
        "drug",
        "implant",
        "medicated",
    }
)
_WORDS = re.compile(r"[a-z][a-z'-]{2,}")
_PAREN = re.compile(r"\s*\((?:disorder|finding|situation|procedure|morphologic abnormality|event)\)")


def _medicine_names(display: str) -> list[str]:
    """Ingredient names of an RxNorm-style display: 'Acetaminophen 325 MG / HYDROcodone …' → both."""
    names = []
    for part in re.split(r"\s/\s|\[|\]", fold(display)):
        for word in _WORDS.findall(part):
            if word not in _MED_STOP:
                names.append(word)
                break
    return names


def record_lexicons(record: PatientRecord | None) -> RecordLexicons:
    """Lexicons for ``record``. Pure and uncached: whoever holds the patient keeps the result
    (``PatientGuard`` builds it once per patient), so no shared slot can hand one patient's medicines to
    another patient's check."""
    if record is None:
        return RecordLexicons(medicines(), conditions(), frozenset(), "", False)
    base_meds, base_conds = medicines(), conditions()
    extra_meds: dict[str, str] = {}
    for rtype in ("MedicationRequest", "MedicationStatement", "Medication"):
        for res in record.of_type(rtype):
            concept = getattr(res, "medicationCodeableConcept", None) or getattr(res, "code", None)
            for code in codes_of(concept):
                for name in _medicine_names(code.display):
                    extra_meds[name] = base_meds.by_name.get(name, name)
    extra_conds: dict[str, str] = {}
    record_condition_keys: set[str] = set()
    for res in record.of_type("Condition"):
        for code in codes_of(getattr(res, "code", None)):
            name = _PAREN.sub("", fold(code.display)).strip()
            if len(name) >= 3:
                keys = base_conds.keys_in(name)
                key = base_conds.by_name.get(name) or (sorted(keys)[0] if len(keys) == 1 else name)
                extra_conds[name] = key
                record_condition_keys.add(key)
                record_condition_keys.update(keys)
    allergy_texts: list[str] = []
    active = False
    for res in record.of_type("AllergyIntolerance"):
        allergy_texts.extend(fold(c.display) for c in codes_of(getattr(res, "code", None)))
        status = codes_of(getattr(res, "clinicalStatus", None))
        if not status or any(c.code == "active" for c in status):
            active = True
    return RecordLexicons(
        base_meds.extended(extra_meds),
        base_conds.extended(extra_conds),
        frozenset(record_condition_keys),
        " | ".join(allergy_texts),
        active,
    )


def _add_usual_ranges(observation: Any, cmap: ConceptMap, facts: ResourceFacts) -> None:
    """The usual range of the test and of each component (blood pressure: systolic and diastolic)."""
    concepts_seen = []
    for concept_field in [observation.code, *(c.code for c in observation.component or [])]:
        concept = cmap.for_codes(codes_of(concept_field))
        if concept is None or concept.usual_range is None or concept in concepts_seen:
            continue
        concepts_seen.append(concept)
        unit = canonical_unit(concept.usual_range.unit)
        for bound in (concept.usual_range.low, concept.usual_range.high):
            if bound is not None:
                facts.quantities.append(Quantity(float(bound), unit))
        # The range as its source words it ("WHO adult 18.5–24.9", "below 120/80 mmHg").
        for m in _NUM_IN_TEXT.finditer(concept.usual_range.source):
            facts.quantities.append(Quantity(float(m.group(1).replace(",", ".")), None))


def facts_for(
    record: PatientRecord | None,
    refs: Iterable[str],
    lexicons: RecordLexicons,
    concepts: ConceptMap | None = None,
) -> ResourceFacts:
    """Everything the cited ``refs`` support (unresolvable refs support nothing)."""
    refs = tuple(dict.fromkeys(refs))
    facts = ResourceFacts(refs)
    if record is None:
        return facts
    cmap = concepts or ConceptMap.load()
    texts: list[str] = []
    allergy_texts: list[str] = []
    seen: set[int] = set()
    for ref in refs:
        for resource in _covered(record, ref):
            if id(resource) in seen:
                continue
            seen.add(id(resource))
            own: list[str] = []
            _walk(_dump(resource), facts, own)
            texts.extend(own)
            rtype = resource.get_resource_type()
            if rtype == "AllergyIntolerance":
                allergy_texts.extend(own)
            if rtype == "Observation":
                _add_usual_ranges(resource, cmap, facts)
    facts.text = " | ".join(fold(t) for t in texts)
    facts.allergy_text = " | ".join(fold(t) for t in allergy_texts)
    facts.medicine_keys = lexicons.medicines.keys_in(facts.text)
    facts.condition_keys = lexicons.conditions.keys_in(_PAREN.sub("", facts.text))
    return facts
