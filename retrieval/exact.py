"""Exact answers by code, with no embedding involved.

"What was my last A1c?" must never depend on a ranking: these queries read the record directly, resolve
patient words to codes through the concept map, and return readings or cards that carry the references
to cite. Unknown words raise ``UnknownConcept`` instead of guessing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from fhir_client import PatientRecord
from retrieval.cards import BUILDERS
from retrieval.cards._context import CardContext
from retrieval.cards.medications import ACTIVE
from retrieval.concepts import ConceptMap
from retrieval.fhir_values import as_date, period_dates
from retrieval.model import Card
from retrieval.readings import Reading, read_observation
from retrieval.vaccines import VaccineDue, vaccines_due


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
        """Every observation reading, oldest first (ties broken by reference for a stable order)."""
        out = [read_observation(o, self.concepts) for o in self.record.of_type("Observation")]
        return sorted(out, key=lambda r: (r.date or date.min, r.ref))

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
        builder = BUILDERS[rtype]
        cards = [builder(res, self._ctx) for res in self.record.of_type(rtype) if res.id]
        return sorted(cards, key=lambda c: (c.date or date.min, c.ref))

    def conditions(self, *, active_only: bool = True) -> list[Card]:
        cards = self._cards("Condition")
        return [c for c in cards if c.status in ("active", "recurrence", "relapse")] if active_only else cards

    def medications(self, *, active_only: bool = True) -> list[Card]:
        cards = self._cards("MedicationRequest")
        return [c for c in cards if c.status in ACTIVE] if active_only else cards

    def allergies(self, *, active_only: bool = True) -> list[Card]:
        cards = self._cards("AllergyIntolerance")
        return [c for c in cards if c.status in ("active", "unknown")] if active_only else cards

    def immunizations(self, vaccine: str | None = None) -> list[Card]:
        """Vaccines given, oldest first; ``vaccine`` narrows to one kind ("flu", "tétanos", "cvx|140")."""
        cards = [c for c in self._cards("Immunization") if c.status == "completed"]
        if vaccine is None:
            return cards
        wanted: set[tuple[str, str]] = set()
        for concept in self.concepts.resolve(vaccine):
            wanted |= set(concept.codes)
        if not wanted:
            raise UnknownConcept(f"no known vaccine matches {vaccine!r}")
        return [c for c in cards if {(x.system, x.code) for x in c.codes} & wanted]

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


def _billing_date(res: Any) -> date | None:
    start, _ = period_dates(getattr(res, "billablePeriod", None))
    return start or as_date(getattr(res, "created", None))


def _within(d: date | None, since: date | None, until: date | None) -> bool:
    if d is None:
        return since is None and until is None
    return (since is None or d >= since) and (until is None or d <= until)


__all__ = ["BillingTotals", "RecordQueries", "UnknownConcept"]
