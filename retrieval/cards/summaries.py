"""List cards: current medicines, allergies, health problems and vaccination history on one card each.

"What medicines am I taking?" or "am I allergic to anything?" is about the whole list, including the
answer "none recorded", which no single resource card can say. Each entry keeps its reference.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from fhir_client.absence import Absence
from retrieval.cards._context import CardContext
from retrieval.fhir_values import iso
from retrieval.model import Card

MAX_ENTRIES = 25


def summary_cards(cards: list[Card], ctx: CardContext) -> list[Card]:
    by_type: dict[str, list[Card]] = defaultdict(list)
    for c in cards:
        by_type[c.kind].append(c)
    patient_ref = ctx.record.patient_ref
    medicines = [
        c
        for rtype in (
            "MedicationRequest",
            "MedicationStatement",
            "MedicationAdministration",
            "MedicationDispense",
        )
        for c in by_type[rtype]
    ]
    absent = {a.kind: a for a in ctx.record.absences.values()}
    vaccines = [c for c in by_type["Immunization"] if c.status == "completed"]
    return [
        _medicines(medicines, patient_ref, absent.get("medications")),
        _allergies(by_type["AllergyIntolerance"], patient_ref, absent.get("allergies")),
        _problems(by_type["Condition"], patient_ref),
        _vaccines(vaccines, patient_ref),
    ]


def _name(card: Card) -> str:
    return card.title.rsplit(" (", 1)[0]


def _latest(cards: list[Card]) -> date | None:
    return max((c.date for c in cards if c.date), default=None)


def _summary(kind: str, rtype: str, title: str, text: str, items: list[Card], patient_ref: str) -> Card:
    refs = tuple(c.ref for c in items[:MAX_ENTRIES]) or (patient_ref,)
    return Card(
        id=f"summary:{rtype}",
        ref=refs[0],
        kind=kind,
        resource_type=rtype,
        title=title,
        text=text,
        refs=refs,
        category="list",
        date=_latest(items),
        extra={"semantic": title},
    )


def _medicines(items: list[Card], patient_ref: str, absent: Absence | None) -> Card:
    def newest(cards: list[Card]) -> list[Card]:
        return sorted(cards, key=lambda c: c.date or date.min, reverse=True)

    active = newest([c for c in items if c.category == "active"])
    unknown = newest([c for c in items if c.category == "unknown"])
    stopped = newest([c for c in items if c.category not in ("active", "unknown")])
    if not items:
        said = f" The record states: {absent.en}." if absent else ""
        text = f"Medicines list (medications, prescriptions): no medicine is recorded in this record.{said}"
    else:
        now = "; ".join(f"{_name(c)} (since {iso(c.date, c.precision)})" for c in active) or "none"
        maybe = "; ".join(f"{_name(c)} ({iso(c.date, c.precision)})" for c in unknown[:MAX_ENTRIES])
        old = "; ".join(f"{_name(c)} ({iso(c.date, c.precision)}, {c.status})" for c in stopped[:MAX_ENTRIES])
        text = f"Medicines list (medications, prescriptions): current: {now}."
        if maybe:
            text += f" Status not stated: {maybe}."
        text += f" No longer taken: {old or 'none'}. Liste des médicaments."
    return _summary(
        "MedicationList", "MedicationRequest", "Medicines list", text, active + unknown + stopped, patient_ref
    )


def _allergies(items: list[Card], patient_ref: str, absent: Absence | None) -> Card:
    items = [c for c in items if c.kind != "Absence"]
    if not items:
        said = f" The record states: {absent.en}." if absent else ""
        text = (
            "Allergies list: no allergy or intolerance is recorded in this record."
            f"{said} Liste des allergies : aucune."
        )
    else:
        listed = "; ".join(
            f"{_name(c)} ({c.status}, criticality {c.interpretation or 'not stated'})" for c in items
        )
        text = f"Allergies list (allergic reactions, intolerances): {len(items)} recorded: {listed}. Liste des allergies."
    return _summary("AllergyList", "AllergyIntolerance", "Allergies list", text, items, patient_ref)


def _problems(items: list[Card], patient_ref: str) -> Card:
    items = [c for c in items if c.kind != "Absence"]
    active = [c for c in items if c.status in ("active", "recurrence", "relapse")]
    other = [c for c in items if c not in active]
    if not items:
        text = "Health problems list (conditions, diagnoses): none recorded in this record."
    else:
        now = "; ".join(f"{_name(c)} (since {iso(c.date, c.precision)})" for c in active) or "none"
        old = (
            "; ".join(
                f"{_name(c)} ({iso(c.date, c.precision)} to {iso(c.end, c.end_precision)})"
                for c in other[:MAX_ENTRIES]
            )
            or "none"
        )
        text = (
            f"Health problems list (conditions, diagnoses): active: {now}. Resolved or inactive: {old}. "
            "Liste des problèmes de santé."
        )
    return _summary("ProblemList", "Condition", "Health problems list", text, active + other, patient_ref)


def _vaccines(items: list[Card], patient_ref: str) -> Card:
    groups: dict[str, list[Card]] = defaultdict(list)
    for c in items:
        groups[_name(c)].append(c)
    if not items:
        text = "Vaccination history (immunizations): no vaccine is recorded in this record."
        latest: list[Card] = []
    else:
        latest = [max(g, key=lambda c: c.date or date.min) for g in groups.values()]
        latest.sort(key=lambda c: c.date or date.min, reverse=True)
        listed = "; ".join(f"{_name(c)}: {len(groups[_name(c)])} dose(s), last {iso(c.date)}" for c in latest)
        text = f"Vaccination history (immunizations, vaccines): {listed}. Historique des vaccins."
    return _summary("VaccineHistory", "Immunization", "Vaccination history", text, latest, patient_ref)
