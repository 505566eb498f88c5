"""Which common adult vaccines may be due, from the immunizations in the record and the patient's age.

A deliberately small, conservative reading of the usual adult schedules (CDC adult immunization
schedule; the French "calendrier des vaccinations" published by the Ministry of Health with HAS):
yearly flu vaccine from 65 or with a chronic condition, a tetanus booster every 10 years (France: at
25, 45, 65 then every 10 years — we use the simpler 10-year rule as a prompt to ask), pneumococcal
vaccine from 65, shingles vaccine from 65 in France (50 in the US; we use 65 to stay on the side of
"ask your GP"). It only ever suggests asking a clinician; it never says a vaccine is required.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assistant.composer.formatting import format_date, pick
from assistant.schemas import Language
from retrieval import ConceptMap, RecordQueries, UnknownConcept


@dataclass(frozen=True)
class DueVaccine:
    key: str
    last: date | None

    def text(self, language: Language) -> str:
        names = {
            "flu_vaccine": ("flu vaccine (yearly)", "vaccin contre la grippe (chaque année)"),
            "tetanus_vaccine": ("tetanus booster (every 10 years)", "rappel tétanos (tous les 10 ans)"),
            "pneumococcal_vaccine": (
                "pneumococcal vaccine (from 65)",
                "vaccin contre le pneumocoque (dès 65 ans)",
            ),
            "zoster_vaccine": ("shingles vaccine (from 65)", "vaccin contre le zona (dès 65 ans)"),
        }
        name = pick(language, *names[self.key])
        if self.last is None:
            return name + pick(language, ": none recorded", " : aucun enregistré")
        return name + pick(
            language,
            f": last recorded {format_date(self.last, language)}",
            f" : dernier le {format_date(self.last, language)}",
        )


def _age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _last(queries: RecordQueries, key: str) -> tuple[bool, date | None]:
    try:
        cards = queries.immunizations(key)
    except UnknownConcept:
        return False, None
    dates = [c.date for c in cards if c.date]
    return True, max(dates) if dates else None


def due_vaccines(queries: RecordQueries, concepts: ConceptMap, today: date) -> list[DueVaccine]:
    patients = queries.record.of_type("Patient")
    if not patients:
        return []
    patient = patients[0]
    if getattr(patient, "deceasedDateTime", None) or getattr(patient, "deceasedBoolean", None):
        return []
    age = _age(getattr(patient, "birthDate", None), today)
    if age is None or age < 18:
        return []  # children follow a different schedule: leave it to the paediatric team
    chronic = bool(queries.conditions())
    due: list[DueVaccine] = []
    known, last = _last(queries, "flu_vaccine")
    if known and (age >= 65 or chronic) and (last is None or (today - last).days > 365):
        due.append(DueVaccine("flu_vaccine", last))
    known, last = _last(queries, "tetanus_vaccine")
    if known and (last is None or (today - last).days > 3652):
        due.append(DueVaccine("tetanus_vaccine", last))
    if age >= 65:
        for key in ("pneumococcal_vaccine", "zoster_vaccine"):
            known, last = _last(queries, key)
            if known and last is None:
                due.append(DueVaccine(key, None))
    return due
