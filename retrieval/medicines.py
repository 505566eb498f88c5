"""Every way a record says a medicine: prescriptions, medicine-list statements, doses given, dispensings.

Real exports rarely hold only ``MedicationRequest``: an International Patient Summary lists medicines as
``MedicationStatement`` (often naming the product through ``medicationReference`` → ``Medication``), a
hospital export adds ``MedicationAdministration`` (a dose given) and ``MedicationDispense`` (a pharmacy
handing it over). ``MedicineEntry`` reads all four the same way, with what a patient asks: what is it, is
it still current (or stopped, or unknown), since when and until when, and the instructions as written.

A medicine known only by a code (an NDC with no name) is named from the code system when the concept map
knows the code, and otherwise reported as "a medicine coded NDC …" — never dropped and never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fhir_client import PatientRecord
from retrieval.concepts import Concept, ConceptMap
from retrieval.fhir_values import (
    PartialDate,
    clean,
    codes_of,
    concept_full_text,
    concept_text,
    first_date,
    fmt_number,
    ref_of,
    short_name,
    system_name,
)
from retrieval.model import Code

MEDICINE_TYPES = (
    "MedicationRequest",
    "MedicationStatement",
    "MedicationAdministration",
    "MedicationDispense",
)

# What each status means for "am I still on it?", per resource type (FHIR R4 value sets).
CURRENT = "current"
STOPPED = "stopped"
UNKNOWN = "unknown"
GIVEN = "given"  # one dose given (administration) or handed over (dispense): an event, not a course
NOT_TAKEN = "not-taken"
ON_HOLD = "on-hold"
STATE_OF: dict[str, dict[str, str]] = {
    "MedicationRequest": {
        "active": CURRENT,
        "draft": CURRENT,
        "on-hold": ON_HOLD,
        "completed": STOPPED,
        "stopped": STOPPED,
        "cancelled": STOPPED,
        "unknown": UNKNOWN,
    },
    "MedicationStatement": {
        "active": CURRENT,
        "intended": CURRENT,
        "on-hold": ON_HOLD,
        "completed": STOPPED,
        "stopped": STOPPED,
        "not-taken": NOT_TAKEN,
        "unknown": UNKNOWN,
    },
    "MedicationAdministration": {
        "completed": GIVEN,
        "in-progress": GIVEN,
        "on-hold": ON_HOLD,
        "stopped": STOPPED,
        "not-done": NOT_TAKEN,
        "unknown": UNKNOWN,
    },
    "MedicationDispense": {
        "completed": GIVEN,
        "in-progress": GIVEN,
        "on-hold": ON_HOLD,
        "stopped": STOPPED,
        "declined": NOT_TAKEN,
        "cancelled": NOT_TAKEN,
        "unknown": UNKNOWN,
    },
}
# Never an item: a wrong entry.
NOT_ENTRIES = {"entered-in-error"}


@dataclass(frozen=True)
class MedicineEntry:
    """One medicine as one resource states it (see module docstring)."""

    ref: str
    resource_type: str
    name: str  # as the record wrote it (any language), or "a medicine coded NDC …"
    codes: tuple[Code, ...]
    status: str  # the record's own status word
    state: str  # CURRENT | STOPPED | UNKNOWN | GIVEN | NOT_TAKEN | ON_HOLD
    start: PartialDate | None = None
    end: PartialDate | None = None
    dosage: str = ""
    reasons: tuple[str, ...] = ()
    concept: str | None = None
    coded_only: bool = False  # no name anywhere: only a code
    prescriber: str = ""
    status_reason: str = ""
    medication_ref: str | None = None  # the Medication resource that names it, when there is one
    asserted: PartialDate | None = None  # when the statement was made (not when the medicine started)

    @property
    def refs(self) -> tuple[str, ...]:
        return (self.ref, self.medication_ref) if self.medication_ref else (self.ref,)

    @property
    def current(self) -> bool:
        return self.state in (CURRENT, ON_HOLD)

    @property
    def when(self) -> date | None:
        """The date to sort by: when it started (or was given), else when it ended, else when stated."""
        for d in (self.start, self.end, self.asserted):
            if d is not None:
                return d.day
        return None

    def code_name(self) -> str:
        """ "NDC 55513003201" — how a medicine known only by a code is named."""
        for code in self.codes:
            return f"{system_name(code.system)} {code.code}"
        return ""


def read_medicine(res: Any, record: PatientRecord, concepts: ConceptMap) -> MedicineEntry | None:
    """One medicine resource as an entry; ``None`` for an entry marked entered-in-error."""
    rtype = res.__resource_type__
    status = str(getattr(res, "status", None) or "unknown")
    if status in NOT_ENTRIES:
        return None
    ref = f"{rtype}/{res.id}"
    name, codes, coded_only, med_ref = _name(res, record)
    concept = concepts.for_entry(codes, name)
    if coded_only and concept is not None:
        name = concept.en
        coded_only = False
    start, end = _dates(res, rtype)
    state = STATE_OF.get(rtype, {}).get(status, UNKNOWN)
    reasons = tuple(
        [concept_text(c) for c in getattr(res, "reasonCode", None) or []]
        + [clean(r.display) for r in getattr(res, "reasonReference", None) or [] if r.display]
    )
    requester = getattr(res, "requester", None) or getattr(res, "informationSource", None)
    return MedicineEntry(
        ref=ref,
        resource_type=rtype,
        name=name,
        codes=codes,
        status=status,
        state=state,
        start=start,
        end=end,
        dosage=dosage_text(res),
        reasons=tuple(r for r in reasons if r),
        concept=concept.key if concept else None,
        coded_only=coded_only,
        prescriber=clean(getattr(requester, "display", None)),
        status_reason=concept_text(getattr(res, "statusReason", None))
        if not isinstance(getattr(res, "statusReason", None), list)
        else ", ".join(concept_text(c) for c in res.statusReason),
        medication_ref=med_ref,
        asserted=first_date(getattr(res, "dateAsserted", None)),
    )


def _name(res: Any, record: PatientRecord) -> tuple[str, tuple[Code, ...], bool, str | None]:
    """(name, codes, known only by a code, Medication reference)."""
    concept = getattr(res, "medicationCodeableConcept", None)
    med_ref: str | None = None
    if concept is None:
        reference = getattr(res, "medicationReference", None)
        med_ref = ref_of(reference)
        med: Any = record.get(med_ref) if med_ref else None
        if med is None:
            shown = clean(getattr(reference, "display", None))
            return shown or "a medicine whose details are not in this file", (), not shown, None
        concept = getattr(med, "code", None)
        if concept is None or not concept_full_text(concept):
            ingredients = [
                concept_full_text(getattr(i, "itemCodeableConcept", None))
                for i in getattr(med, "ingredient", None) or []
            ]
            named = ", ".join(i for i in ingredients if i)
            if named:
                return short_name(named), codes_of(concept), False, med_ref
    codes = codes_of(concept)
    text = concept_full_text(concept) if concept is not None else ""
    has_words = bool(text) and not (codes and text == codes[0].code and not codes[0].display)
    if has_words:
        return short_name(text), codes, False, med_ref
    if codes:
        first = codes[0]
        return f"a medicine coded {system_name(first.system)} {first.code}", codes, True, med_ref
    return "a medicine with no name or code in the record", (), True, med_ref


def _dates(res: Any, rtype: str) -> tuple[PartialDate | None, PartialDate | None]:
    if rtype == "MedicationRequest":
        # The course's own dates (dosage bounds, then validity) before the day the order was written:
        # an export may write the order long after the course it describes.
        start = end = None
        for d in getattr(res, "dosageInstruction", None) or []:
            bounds = getattr(getattr(getattr(d, "timing", None), "repeat", None), "boundsPeriod", None)
            if bounds is not None:
                start = start or first_date(getattr(bounds, "start", None))
                end = end or first_date(getattr(bounds, "end", None))
        validity = getattr(getattr(res, "dispenseRequest", None), "validityPeriod", None)
        if validity is not None:
            start = start or first_date(getattr(validity, "start", None))
            end = end or first_date(getattr(validity, "end", None))
        return start or first_date(getattr(res, "authoredOn", None)), end
    if rtype == "MedicationDispense":
        handed = first_date(getattr(res, "whenHandedOver", None), getattr(res, "whenPrepared", None))
        return handed, None
    period = getattr(res, "effectivePeriod", None)
    start = first_date(
        getattr(res, "effectiveDateTime", None),
        getattr(period, "start", None),
    )
    end = first_date(getattr(period, "end", None)) if period is not None else None
    return start, end


def dosage_text(res: Any) -> str:
    """The prescriber's own text when there is one; otherwise the structured parts, stated literally."""
    out = []
    dosages = getattr(res, "dosageInstruction", None) or getattr(res, "dosage", None) or []
    if not isinstance(dosages, list):
        dosages = [dosages]
    for d in dosages:
        if getattr(d, "text", None):
            out.append(clean(d.text))
            continue
        bits = []
        for dr in getattr(d, "doseAndRate", None) or []:
            q = dr.doseQuantity
            if q is not None and q.value is not None:
                bits.append(f"dose {fmt_number(float(q.value))} {clean(q.unit)}".strip())
        rep = getattr(getattr(d, "timing", None), "repeat", None)
        if rep is not None and rep.frequency and rep.period:
            bits.append(
                f"{rep.frequency} time(s) per {fmt_number(float(rep.period))} {rep.periodUnit or ''}".strip()
            )
        elif rep is not None and rep.period and rep.periodUnit:
            bits.append(f"every {fmt_number(float(rep.period))} {rep.periodUnit}")
        if getattr(d, "asNeededBoolean", None):
            bits.append("as needed")
        if bits:
            out.append(", ".join(bits))
    return "; ".join(out)


def medicine_entries(record: PatientRecord, concepts: ConceptMap) -> list[MedicineEntry]:
    """Every medicine entry of the record (all four kinds), oldest first; statements of absence ("no
    known medicines") and entries in error are not entries."""
    out: list[MedicineEntry] = []
    for rtype in MEDICINE_TYPES:
        for res in record.of_type(rtype):
            ref = f"{rtype}/{res.id}"
            if not record.is_item(ref):
                continue
            entry = read_medicine(res, record, concepts)
            if entry is not None:
                out.append(entry)
    return sorted(out, key=lambda e: (e.when or date.min, e.ref))


def matches(entry: MedicineEntry, concept: Concept, concepts: ConceptMap) -> bool:
    return entry.concept == concept.key or concepts.entry_matches(concept, entry.codes, entry.name)


__all__ = [
    "CURRENT",
    "GIVEN",
    "MEDICINE_TYPES",
    "NOT_TAKEN",
    "ON_HOLD",
    "STOPPED",
    "UNKNOWN",
    "MedicineEntry",
    "dosage_text",
    "matches",
    "medicine_entries",
    "read_medicine",
]
