"""A deceased patient's record (Patient.deceased[x]) is read by a relative, never by the patient: the relative
the writer names ("my late grandad", "mon père, décédé en…") is the record's patient, so asking about their
visits and results is a record question, not someone else's data. The patient's age is their age at death.

Look-alikes that must stay refused: the same question on a living adult's record, a relative whose sex
differs from the deceased patient's, and a friend (not a relative who would hold the record).
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.assistant import patient_facts
from assistant.schemas import RefusalCategory
from tests.understanding.reading import TODAY, read, record, verdict

DECEASED = "Vito_Feeney"  # male, died in 1979
LIVING = "Lupe_Little"  # a living adult


def test_deceased_patient_age_is_age_at_death() -> None:
    facts = patient_facts(record(DECEASED), TODAY)
    assert facts.deceased
    assert facts.age_years is not None and facts.age_years < 80  # not their age "today", over 110
    assert not patient_facts(record(LIVING), TODAY).deceased


_ASKED_BY_A_RELATIVE = [
    "what was my dad's last cholesterol result? he died in 2001",
    "Quels étaient les derniers résultats de prise de sang de mon père ? Il est décédé en 2001.",
    "c'était quand le dernier rendez-vous de mon grand-père ? il est mort en 1985",
]


@pytest.mark.parametrize(
    "text",
    [
        *_ASKED_BY_A_RELATIVE,
        "my grandad passed away years ago, when was his last check up with the doctor?",
        "How many cholesterol tests did my father have before he died?",
    ],
)
def test_relative_on_deceased_record_is_the_patient(text: str) -> None:
    understanding = read(text, patient=DECEASED)
    patients = [s for s in understanding.subjects if s.is_record_patient]
    assert len(patients) == 1 and patients[0].index != 0
    assert verdict(text, patient=DECEASED).refusal is None


@pytest.mark.parametrize("text", _ASKED_BY_A_RELATIVE)
def test_same_question_on_a_living_record_stays_refused(text: str) -> None:
    assert verdict(text, patient=LIVING).refusal is RefusalCategory.OTHER_PATIENT


@pytest.mark.parametrize(
    "text",
    [
        "my grandmother passed away last year, what tablets was she on before she died?",
        "Quels étaient les derniers résultats de prise de sang de ma grand-mère ? Elle est décédée en 2001.",
    ],
)
def test_relative_of_other_sex_is_not_the_deceased_patient(text: str) -> None:
    assert verdict(text, patient=DECEASED).refusal is RefusalCategory.OTHER_PATIENT


def test_today_is_an_input() -> None:
    # the age at death does not move with the clock
    early = patient_facts(record(DECEASED), date(2000, 1, 1)).age_years
    late = patient_facts(record(DECEASED), date(2040, 1, 1)).age_years
    assert early == late
