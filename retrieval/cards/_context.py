"""What every card builder needs besides its own resource: names of people and places, the concept map,
and what happened during each visit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from fhir_client import PatientRecord
from retrieval.concepts import Concept, ConceptMap
from retrieval.fhir_values import SYSTEM_NAMES, as_date, clean, ref_of
from retrieval.model import Code
from retrieval.readings import Reading, read_observation, record_readings

# Resource types whose ``encounter`` field ties them to a visit (shown on the visit's card).
VISIT_ITEM_TYPES = (
    "Condition",
    "Procedure",
    "Immunization",
    "MedicationRequest",
    "DiagnosticReport",
    "CarePlan",
    "ImagingStudy",
    "Observation",
    "MedicationStatement",
    "MedicationAdministration",
    "MedicationDispense",
)


@dataclass
class CardContext:
    record: PatientRecord
    concepts: ConceptMap
    visit_items: dict[str, list[Any]] = field(default_factory=dict)
    _readings: dict[str, Reading] = field(default_factory=dict, repr=False)
    _all: list[Reading] | None = field(default=None, repr=False)

    @property
    def birth(self) -> Any:
        return as_date(getattr(self.record.patient, "birthDate", None))

    def reading(self, obs: Any) -> Reading:
        """An observation read once per build (report cards quote readings that have their own cards)."""
        cached = self._readings.get(str(obs.id))
        if cached is None:
            cached = read_observation(obs, self.concepts, self.birth)
            self._readings[str(obs.id)] = cached
        return cached

    def all_readings(self) -> list[Reading]:
        """Every reading of the record, with blood pressures written as two Observations paired, oldest
        first (the same list ``RecordQueries.readings`` gives)."""
        if self._all is None:
            self._all = record_readings(
                self.record.of_type("Observation"), self.concepts, self.birth, read=self.reading
            )
        return self._all

    @classmethod
    def build(cls, record: PatientRecord, concepts: ConceptMap) -> CardContext:
        items: dict[str, list[Any]] = defaultdict(list)
        for rtype in VISIT_ITEM_TYPES:
            for res in record.of_type(rtype):
                enc = ref_of(getattr(res, "encounter", None))
                if enc:
                    items[enc].append(res)
        return cls(record=record, concepts=concepts, visit_items=dict(items))

    def person_name(self, reference: Any) -> str:
        """A practitioner's or organisation's display name, or '' when the record does not say."""
        ref = ref_of(reference)
        res = self.record.get(ref) if ref else None
        if res is None:
            return clean(getattr(reference, "display", None))
        if res.__resource_type__ == "Organization":
            return clean(getattr(res, "name", None))
        names = getattr(res, "name", None) or []
        for name in names:
            parts = [*(name.prefix or []), *(name.given or []), name.family or ""]
            text = clean(" ".join(p for p in parts if p))
            if text:
                return text
        return ""

    def concept_for(self, codes: tuple[Code, ...]) -> Concept | None:
        return self.concepts.for_codes(codes)


def code_note(codes: tuple[Code, ...]) -> str:
    """'LOINC 4548-4' for the first coding of a known system (keeps cards short but exact)."""
    for c in codes:
        name = SYSTEM_NAMES.get(c.system)
        if name:
            return f"{name} {c.code}"
    return f"code {codes[0].code}" if codes else ""


def naming(
    display: str, codes: tuple[Code, ...], ctx: CardContext
) -> tuple[str, str, str | None, str | None]:
    """(title, plain sentence fragment, French name, concept key) for a coded thing.

    The record's own wording is kept (it is what a clinician wrote); the plain-language name and its
    French counterpart come from the concept map when the code is known.
    """
    concept = ctx.concept_for(codes)
    if concept is None:
        return display, display, None, None
    plain = f"{display} ({concept.en} — {concept.en_plain}; en français : {concept.fr})"
    if display.lower() == concept.en.lower():
        plain = f"{concept.en} — {concept.en_plain} (en français : {concept.fr})"
    return display, plain, concept.fr, concept.key
