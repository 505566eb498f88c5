"""Record cards: every clinically meaningful resource as a short plain-language text with metadata.

``build_cards(record)`` is the one entry point. Billing resources (Claim, ExplanationOfBenefit) get no card
(they would crowd out clinical facts); their totals are reachable through ``RecordQueries.billing_totals``.
Organizations and Practitioners appear by name on the cards that mention them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fhir_client import PatientRecord
from retrieval.cards._context import CardContext
from retrieval.cards.absences import absence_card
from retrieval.cards.allergies import allergy_card
from retrieval.cards.conditions import condition_card
from retrieval.cards.devices import device_card, document_card, is_patient_device
from retrieval.cards.encounters import encounter_card
from retrieval.cards.immunizations import immunization_card
from retrieval.cards.medications import medication_card
from retrieval.cards.observations import observation_card, readings, series_cards
from retrieval.cards.patient import patient_card
from retrieval.cards.plans import careplan_card, goal_card
from retrieval.cards.procedures import procedure_card
from retrieval.cards.reports import imaging_card, report_card
from retrieval.cards.summaries import summary_cards
from retrieval.concepts import ConceptMap
from retrieval.model import Card

BUILDERS: dict[str, Callable[[Any, CardContext], Card]] = {
    "Condition": condition_card,
    "MedicationRequest": medication_card,
    "MedicationStatement": medication_card,
    "MedicationAdministration": medication_card,
    "MedicationDispense": medication_card,
    "AllergyIntolerance": allergy_card,
    "Immunization": immunization_card,
    "Procedure": procedure_card,
    "Encounter": encounter_card,
    "DiagnosticReport": report_card,
    "CarePlan": careplan_card,
    "Goal": goal_card,
    "ImagingStudy": imaging_card,
    "Device": device_card,
    "DocumentReference": document_card,
}
NOT_CARDS = {"Claim", "ExplanationOfBenefit", "Organization", "Practitioner", "PractitionerRole", "Location"}
# Read through other cards rather than on their own: the Medication a medicine entry names, the use
# statement of a device, the bundle's table of contents (Composition), the patient.
READ_THROUGH = {"Medication", "DeviceUseStatement", "Composition", "Patient", "Observation"}


def build_cards(record: PatientRecord, concepts: ConceptMap | None = None) -> list[Card]:
    """All cards for a record, in a stable order (same record → same cards → same hashes)."""
    cmap = concepts or ConceptMap.load()
    ctx = CardContext.build(record, cmap)
    cards: list[Card] = []
    obs_readings = readings(ctx)
    cards.extend(observation_card(r, ctx) for r in obs_readings)
    cards.extend(series_cards(obs_readings, ctx))
    for rtype, builder in BUILDERS.items():
        for res in record.of_type(rtype):
            ref = f"{rtype}/{res.id}"
            if not res.id or ref in record.not_items:
                continue
            if ref in record.absences:
                cards.append(absence_card(record.absences[ref]))
                continue
            if rtype == "Device" and not is_patient_device(res):
                continue
            cards.append(builder(res, ctx))
    cards.extend(summary_cards(cards, ctx))
    last = max((c.date for c in cards if c.date), default=None)
    cards.append(patient_card(record.patient, ctx, last))
    return cards


def last_record_date(cards: list[Card]) -> date | None:
    return max((c.date for c in cards if c.date and c.kind != "Patient"), default=None)


def unread(record: PatientRecord) -> dict[str, int]:
    """Resource types kept in the record but read by no card (reported by ``health-assistant ingest``)."""
    read = set(BUILDERS) | NOT_CARDS | READ_THROUGH
    return {rtype: len(items) for rtype, items in record.resources.items() if items and rtype not in read}


__all__ = ["NOT_CARDS", "Card", "CardContext", "build_cards", "last_record_date", "unread"]
