"""Exact answers by code, with no embedding involved.

"What was my last A1c?" must never depend on a ranking: these queries read the record directly, resolve
patient words to codes through the concept map, and return readings or cards that carry the references
to cite. Unknown words raise ``UnknownConcept`` instead of guessing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from fhir_client import PatientRecord
from fhir_client.absence import Absence
from retrieval.cards import BUILDERS, build_cards, last_record_date
from retrieval.cards._context import CardContext
from retrieval.concepts import Concept, ConceptMap, normalize
from retrieval.fhir_values import as_date, period_dates
from retrieval.medicines import MedicineEntry, matches, medicine_entries
from retrieval.model import Card
from retrieval.readings import Reading, record_readings
from retrieval.vaccines import VaccineDue, vaccines_due

# Words of entry names that say nothing about what the entry is: never enough to match a question.
GENERIC_NAME_WORDS = frozenset(
    [
        "mg",
        "ml",
        "mcg",
        "unt",
        "actuat",
        "oral",
        "tablet",
        "tablets",
        "capsule",
        "capsules",
        "extended",
        "release",
        "hr",
        "day",
        "pack",
        "injection",
        "injectable",
        "solution",
        "suspension",
        "inhaler",
        "metered",
        "dose",
        "dry",
        "powder",
        "topical",
        "cream",
        "patch",
        "prefilled",
        "syringe",
        "chewable",
        "delayed",
        "film",
        "coated",
        "product",
        "containing",
        "medicinal",
        "substance",
        "regular",
        "human",
        "nasal",
        "spray",
        "ointment",
        "vaginal",
        "transdermal",
        "system",
        "auto",
        "injector",
        "pen",
        "vial",
        "liquid",
        "drug",
        "kit",
        "disposable",
        "sodium",
        "potassium",
        "hydrochloride",
        "finding",
        "disorder",
        "procedure",
        "situation",
        "encounter",
        "for",
        "of",
        "the",
        "and",
        "with",
        "in",
        "by",
        "to",
        "on",
        "at",
        "a",
        "an",
        "per",
        "from",
        "test",
        "panel",
        "blood",
        "serum",
        "plasma",
        "urine",
        "level",
        "levels",
        "result",
        "results",
        "measurement",
        "mass",
        "volume",
        "presence",
        "automated",
        "count",
        "total",
    ]
)
MEDICINE_CARD_TYPES = (
    "MedicationRequest",
    "MedicationStatement",
    "MedicationAdministration",
    "MedicationDispense",
)


class UnknownConcept(ValueError):
    """The words or code name nothing the concept map or the record knows."""


@dataclass(frozen=True)
class BillingTotals:
    """Claim and ExplanationOfBenefit totals (billing is not carded, but stays answerable)."""

    claims: int
    claimed: float
    benefits: int
    paid: float
    currency: str
    refs: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "claims": self.claims,
            "claimed": round(self.claimed, 2),
            "explanations_of_benefit": self.benefits,
            "paid": round(self.paid, 2),
            "currency": self.currency,
            "refs": list(self.refs),
        }


class RecordQueries:
    def __init__(self, record: PatientRecord, concepts: ConceptMap | None = None) -> None:
        self.record = record
        self.concepts = concepts or ConceptMap.load()

    @cached_property
    def _ctx(self) -> CardContext:
        return CardContext.build(self.record, self.concepts)

    @cached_property
    def readings(self) -> list[Reading]:
        """Every observation reading (blood pressures written as two Observations paired), oldest first."""
        return record_readings(
            self.record.of_type("Observation"),
            self.concepts,
            as_date(getattr(self.record.patient, "birthDate", None)),
        )

    @cached_property
    def cards(self) -> list[Card]:
        """Every card of the record, built once (the same cards the index holds)."""
        return build_cards(self.record, self.concepts)

    @cached_property
    def last_date(self) -> date | None:
        """The latest date any entry of the record holds (the patient card aside): where the record stops."""
        return last_record_date(self.cards)

    @cached_property
    def medicine_entries(self) -> list[MedicineEntry]:
        """Every medicine the record states (prescriptions, medicine-list entries, doses given,
        dispensings), oldest first; statements of absence are not entries."""
        return medicine_entries(self.record, self.concepts)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The specific words of the record's entry names and coded values (not "tablet", "test"…): what a
        patient may name that only the record knows ("clopidogrel", "peanut", "Lasix")."""
        words: set[str] = set()
        for card in self.cards:
            if (
                card.kind in ("ObservationSeries", "Patient")
                or card.kind.endswith("List")
                or card.kind == "VaccineHistory"
            ):
                continue
            for token in _plain(_display(card)).split():
                if len(token) >= 4 and token.isalpha() and token not in GENERIC_NAME_WORDS:
                    words.add(token)
        return frozenset(words)

    # -- readings by concept ----------------------------------------------------------------------------

    def values_for(
        self, concepts: list[Concept], since: date | None = None, until: date | None = None
    ) -> list[Reading]:
        """Readings with a value (or a stated absence of one) for any of ``concepts`` (groups expanded),
        oldest first, optionally within [since, until]. Panels that only group other results are left out."""
        wanted: set[tuple[str, str]] = set()
        for concept in concepts:
            for c in self.concepts.expand(concept.key) or [concept]:
                wanted |= set(c.codes)
        keys = {c.key for concept in concepts for c in (self.concepts.expand(concept.key) or [concept])}
        out = []
        for r in self.readings:
            if r.is_panel or not (r.code_set() & wanted or r.concept in keys):
                continue
            if since and (r.date is None or r.date < since):
                continue
            if until and (r.date is None or r.date > until):
                continue
            out.append(r)
        return out

    def latest_date_group(self, concept: Concept, until: date | None = None) -> list[Reading]:
        """Every result of ``concept`` on its latest date (two results the same day are both the latest)."""
        series = [r for r in self.values_for([concept], until=until) if r.date is not None]
        if not series:
            return []
        last = max(r.date for r in series if r.date)
        return [r for r in series if r.date == last]

    # -- entries by concept or by the record's own words -------------------------------------------------

    def entries(self, types: tuple[str, ...]) -> list[Card]:
        """Resource cards of these types (no series, list or statement cards), oldest first."""
        return sorted((c for c in self.cards if c.kind in types), key=lambda c: (c.date or date.min, c.ref))

    def entries_for(self, concept: Concept, types: tuple[str, ...]) -> list[Card]:
        """Cards of these types that belong to ``concept`` (or its members): by code, else by the words of
        their display (medicines named by brand, cancers named in any code system)."""
        return [
            c
            for c in self.entries(types)
            if c.concept == concept.key or self.concepts.entry_matches(concept, c.codes, _display(c))
        ]

    def entries_named(self, words: list[str], types: tuple[str, ...]) -> list[Card]:
        """Cards whose name holds one of ``words`` (the patient's own words, e.g. "clopidogrel", "Lasix",
        "check-up"): the record's vocabulary as a lexicon. Generic words ("tablet", "test") never match."""
        wanted = {_plain(x) for x in words}
        wanted = {w for w in wanted if len(w) >= 4 and w not in GENERIC_NAME_WORDS}
        if not wanted:
            return []
        out = []
        for card in self.entries(types):
            name = _plain(_display(card))
            tokens = set(name.split())
            if tokens & wanted or any(" " in w and f" {w} " in f" {name} " for w in wanted):
                out.append(card)
        return out

    def medicines_for(
        self, concept: Concept | None = None, words: list[str] | None = None
    ) -> list[MedicineEntry]:
        """Medicine entries of a concept (by code or name) or named with one of the patient's words."""
        out = []
        wanted = {
            w for w in (normalize(x) for x in words or []) if len(w) >= 4 and w not in GENERIC_NAME_WORDS
        }
        for entry in self.medicine_entries:
            if (concept is not None and matches(entry, concept, self.concepts)) or (
                wanted and set(normalize(entry.name).split()) & wanted
            ):
                out.append(entry)
        return out

    def absences(self, kind: str) -> list[Absence]:
        """The record's statements that there is none of ``kind`` ("no known food allergy")."""
        return self.record.absences_of(kind)

    def codes_for(self, term: str) -> set[tuple[str, str]]:
        """Codes a term stands for: concept key, code, ``system|code``, or patient words (en/fr)."""
        found = self.concepts.resolve(term)
        codes: set[tuple[str, str]] = set()
        for concept in found:
            codes |= set(concept.codes)
        system, _, code = term.strip().rpartition("|")
        if code and any(
            code == c.code and (not system or c.system == system) for r in self.readings for c in r.codes
        ):
            codes |= {(c.system, c.code) for r in self.readings for c in r.codes if c.code == code}
        if not codes:
            raise UnknownConcept(f"no known test or measurement matches {term!r}")
        return codes

    def series(self, term: str, since: date | None = None, until: date | None = None) -> list[Reading]:
        """All values for the term's codes, oldest first, optionally within [since, until]."""
        codes = self.codes_for(term)
        out = []
        for r in self.readings:
            if not (r.code_set() & codes):
                continue
            if since and (r.date is None or r.date < since):
                continue
            if until and (r.date is None or r.date > until):
                continue
            out.append(r)
        return out

    def latest(self, term: str) -> list[Reading]:
        """The latest value per distinct code the term covers ("sugar" → latest A1c and latest glucose)."""
        by_code: dict[tuple[str, str], Reading] = {}
        for r in self.series(term):
            if r.codes:
                by_code[(r.codes[0].system, r.codes[0].code)] = r
        return sorted(by_code.values(), key=lambda r: (r.date or date.min, r.ref), reverse=True)

    def out_of_range(
        self, term: str | None = None, since: date | None = None, until: date | None = None
    ) -> list[Reading]:
        """Values outside the record's reference range or, failing that, the named usual range."""
        pool = self.series(term, since, until) if term else self.readings
        if not term:
            pool = [
                r
                for r in pool
                if (since is None or (r.date and r.date >= since))
                and (until is None or (r.date and r.date <= until))
            ]
        return [r for r in pool if r.out_of_range]

    def _cards(self, rtype: str) -> list[Card]:
        """Cards of one resource type, items only (statements of absence and entries in error left out)."""
        if rtype not in BUILDERS:
            return []
        return self.entries((rtype,))

    def conditions(self, *, active_only: bool = True) -> list[Card]:
        cards = self._cards("Condition")
        return [c for c in cards if c.status in ("active", "recurrence", "relapse")] if active_only else cards

    def medications(self, *, active_only: bool = True) -> list[Card]:
        """Medicine cards of every kind (prescriptions, statements, doses given, dispensings); with
        ``active_only`` the ones the record says are current."""
        cards = self.entries(MEDICINE_CARD_TYPES)
        return [c for c in cards if c.category == "active"] if active_only else cards

    def allergies(self, *, active_only: bool = True) -> list[Card]:
        cards = self._cards("AllergyIntolerance")
        return [c for c in cards if c.status in ("active", "unknown")] if active_only else cards

    def immunizations(self, vaccine: str | None = None, *, given_only: bool = True) -> list[Card]:
        """Vaccines given, oldest first; ``vaccine`` narrows to one kind ("flu", "tétanos", "cvx|140").
        ``given_only=False`` keeps vaccines recorded as not given (refused, not done)."""
        cards = [c for c in self._cards("Immunization") if c.status == "completed" or not given_only]
        if vaccine is None:
            return cards
        found = self.concepts.resolve(vaccine)
        if not any(c.codes or c.display or c.members for c in found):
            raise UnknownConcept(f"no known vaccine matches {vaccine!r}")
        return [c for c in cards if any(self.concepts.entry_matches(k, c.codes, _display(c)) for k in found)]

    def vaccines_due(self, as_of: date) -> list[VaccineDue]:
        """Routine adult vaccines with no qualifying dose in the record as of ``as_of`` (the caller's today).

        Follows the CDC adult schedule in simplified form (see ``retrieval.vaccines``); children and deceased
        patients get an empty list. "Not in the record" is not "not given": say so when answering.
        """
        patient = self.record.patient
        deceased = bool(
            getattr(patient, "deceasedDateTime", None) or getattr(patient, "deceasedBoolean", None)
        )
        return vaccines_due(
            self.immunizations(),
            as_date(getattr(patient, "birthDate", None)),
            as_of,
            self.concepts,
            deceased=deceased,
        )

    def encounters(self, since: date | None = None, until: date | None = None) -> list[Card]:
        cards = self._cards("Encounter")
        return [
            c
            for c in cards
            if c.date is not None
            and (since is None or c.date >= since)
            and (until is None or c.date <= until)
        ]

    def billing_totals(self, since: date | None = None, until: date | None = None) -> BillingTotals:
        refs: list[str] = []
        claimed = paid = 0.0
        claims = benefits = 0
        currency = ""
        for claim in self.record.of_type("Claim"):
            when = _billing_date(claim)
            if not _within(when, since, until):
                continue
            total: Any = getattr(claim, "total", None)
            if total is not None and total.value is not None:
                claimed += float(Decimal(str(total.value)))
                currency = currency or str(total.currency or "")
            claims += 1
            refs.append(f"Claim/{claim.id}")
        for eob in self.record.of_type("ExplanationOfBenefit"):
            when = _billing_date(eob)
            if not _within(when, since, until):
                continue
            payment: Any = getattr(eob, "payment", None)
            amount = getattr(payment, "amount", None) if payment is not None else None
            if amount is not None and amount.value is not None:
                paid += float(Decimal(str(amount.value)))
                currency = currency or str(amount.currency or "")
            benefits += 1
            refs.append(f"ExplanationOfBenefit/{eob.id}")
        return BillingTotals(claims, claimed, benefits, paid, currency or "USD", tuple(refs))

    def vaccine_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for c in self.immunizations():
            counts[c.concept or c.title] += 1
        return dict(counts)


def _plain(text: str) -> str:
    """Folded words only: "Encounter for 'check-up'" and "check up" both read "encounter for check up"."""
    return " ".join(re.sub(r"[^a-z0-9%.]+", " ", normalize(text)).split())


def _display(card: Card) -> str:
    """An entry's name as the record wrote it (the card title without its status and date suffix)."""
    first = card.codes[0].display if card.codes and card.codes[0].display else ""
    title = card.title.rsplit(" (", 1)[0]
    return f"{title} {first}".strip()


def _billing_date(res: Any) -> date | None:
    start, _ = period_dates(getattr(res, "billablePeriod", None))
    return start or as_date(getattr(res, "created", None))


def _within(d: date | None, since: date | None, until: date | None) -> bool:
    if d is None:
        return since is None and until is None
    return (since is None or d >= since) and (until is None or d <= until)


__all__ = ["BillingTotals", "RecordQueries", "UnknownConcept"]
