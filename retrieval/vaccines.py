"""Which routine adult vaccines the record shows no recent dose of ("which vaccines am I missing?").

The rules follow the CDC adult immunization schedule (United States, 2025) in simplified form, because the
shared records are US records; each rule names its source and the answer is always "the record shows no
dose", never "you must have it": doses given elsewhere are often missing from a record, and the clinic
decides. Children's schedules are too detailed to judge from a record this way and are not assessed.
French patients: the HAS vaccination calendar differs (dTcaP boosters at 25, 45, 65, then every 10 years;
shingles from 65), which is why every result names the rule it applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from retrieval.concepts import ConceptMap
from retrieval.model import Card

SCHEDULE_SOURCE = "CDC adult immunization schedule 2025 (simplified)"
ADULT_AGE = 19


@dataclass(frozen=True)
class VaccineRule:
    concept: str
    min_age: int
    max_age: int | None
    every_years: int | None  # None: one course in a lifetime (from min_age) is enough for this check
    rule_en: str
    rule_fr: str


RULES = (
    VaccineRule("flu_vaccine", ADULT_AGE, None, 1, "every year for everyone", "chaque année pour tous"),
    VaccineRule(
        "tetanus_vaccine",
        ADULT_AGE,
        None,
        10,
        "a tetanus-diphtheria booster every 10 years",
        "un rappel diphtérie-tétanos tous les 10 ans",
    ),
    VaccineRule(
        "pneumococcal_vaccine",
        50,
        None,
        None,
        "pneumococcal vaccination once from age 50",
        "une vaccination contre le pneumocoque à partir de 50 ans",
    ),
    VaccineRule(
        "zoster_vaccine",
        50,
        None,
        None,
        "shingles vaccination from age 50",
        "une vaccination contre le zona à partir de 50 ans",
    ),
    VaccineRule(
        "hpv_vaccine",
        ADULT_AGE,
        26,
        None,
        "HPV vaccination up to age 26",
        "une vaccination HPV jusqu'à 26 ans",
    ),
)


@dataclass(frozen=True)
class VaccineDue:
    """One routine vaccine with no qualifying dose in the record, with the last dose (if any) to cite."""

    concept: str
    name_en: str
    name_fr: str
    rule_en: str
    rule_fr: str
    last_given: date | None
    last_ref: str | None
    source: str = SCHEDULE_SOURCE

    def as_dict(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "name_en": self.name_en,
            "name_fr": self.name_fr,
            "rule_en": self.rule_en,
            "rule_fr": self.rule_fr,
            "last_given": self.last_given.isoformat() if self.last_given else None,
            "last_ref": self.last_ref,
            "source": self.source,
        }


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def vaccines_due(
    given: list[Card], born: date | None, as_of: date, concepts: ConceptMap, *, deceased: bool = False
) -> list[VaccineDue]:
    """Routine adult vaccines without a qualifying dose in ``given`` (completed Immunization cards)."""
    if born is None or deceased:
        return []
    age = age_on(born, as_of)
    if age < ADULT_AGE:
        return []
    out = []
    for rule in RULES:
        concept = concepts.get(rule.concept)
        if concept is None or age < rule.min_age or (rule.max_age is not None and age > rule.max_age):
            continue
        # A dose counts from the age the rule starts at (a childhood pneumococcal dose is not the adult one).
        counts_from = years_before(born, -rule.min_age) if rule.min_age > ADULT_AGE else born
        doses = sorted(
            (
                c
                for c in given
                if c.concept == rule.concept and c.date is not None and counts_from <= c.date <= as_of
            ),
            key=lambda c: (c.date or date.min, c.ref),
        )
        last = doses[-1] if doses else None
        if rule.every_years is not None:
            ok = (
                last is not None
                and last.date is not None
                and last.date > years_before(as_of, rule.every_years)
            )
        else:
            ok = last is not None
        if not ok:
            out.append(
                VaccineDue(
                    concept=rule.concept,
                    name_en=concept.en,
                    name_fr=concept.fr,
                    rule_en=rule.rule_en,
                    rule_fr=rule.rule_fr,
                    last_given=last.date if last else None,
                    last_ref=last.ref if last else None,
                )
            )
    return out
