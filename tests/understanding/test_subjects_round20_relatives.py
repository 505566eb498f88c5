"""Who a relative's question is about (round 20 dev mechanisms, our own sentences).

- The record's patient's given name in the English possessive ("Daisey's inhaler" folds to "daiseys") is a
  mention of the patient.
- A plain object pronoun right after a person in the same clause is someone else ("my husband drove him
  there" is not the husband): the story goes back to the person named before.
- On a record whose patient was 80 or more when it ends, the writer's mother or father asked about is the
  open record's patient (the writer cannot be that patient asking about a living parent), unless what is
  said of them contradicts the record (a sex that differs, an age far off).

Look-alikes: another child named on a child's record, the same object pronoun with nobody named before,
a parent on the record of a 67-year-old, a father on a woman's record, a mother said to be 60.
"""

from __future__ import annotations

import pytest

from assistant.guardrails.input_guard import check_input
from assistant.schemas import Language, RefusalCategory
from assistant.understanding.model import Relation, Understanding
from assistant.understanding.subjects import PatientFacts
from tests.understanding.reading import TODAY, understander

CHILD = PatientFacts(age_years=4.0, sex="female", given_names=("Daisey",))
ELDER = PatientFacts(age_years=93.0, age_at_record_end=87.0, sex="female")


def _read(message: str, facts: PatientFacts, lang: Language = "en") -> Understanding:
    return understander().understand(message, language=lang, patient=facts, today=TODAY)


def _refusal(message: str, facts: PatientFacts, lang: Language = "en") -> RefusalCategory | None:
    return check_input(_read(message, facts, lang)).refusal


def test_the_patients_name_in_the_possessive_is_the_patient() -> None:
    u = _read("what did Daisey's last check-up find? her nursery keeps asking", CHILD)
    named = [s for s in u.subjects if s.evidence == "daisey"]
    assert len(named) == 1 and named[0].is_record_patient
    assert _refusal("what did Daisey's last check-up find? her nursery keeps asking", CHILD) is None


def test_another_childs_name_in_the_possessive_is_still_someone_else() -> None:
    message = "can you show me Mattéo's vaccines? his mum asked me"
    assert _refusal(message, CHILD) is RefusalCategory.OTHER_PATIENT


BOY = PatientFacts(age_years=3.0, sex="male", given_names=("Noah",))


@pytest.mark.parametrize(
    "message",
    [
        "When did Noah last see the nurse? My partner drove him there, can you tell me when his next jabs "
        "are due?",
        "Noah's last check-up, when was it? My mother-in-law took him, can you tell me when his next jabs "
        "are due?",
    ],
)
def test_an_object_pronoun_after_a_person_goes_back_to_the_child_named_before(message: str) -> None:
    u = _read(message, BOY)
    noah = next(s for s in u.subjects if s.evidence == "noah")
    assert noah.is_record_patient
    assert _refusal(message, BOY) is None


def test_the_pronoun_rule_needs_the_person_and_the_pronoun_in_one_clause() -> None:
    # "him" opens nothing when nobody was named before: it stays the person it follows
    message = "My brother called him a doctor. What did his last blood test show?"
    assert _refusal(message, BOY) is RefusalCategory.OTHER_PATIENT


_MOTHER_EN = (
    "My mother slipped on the stairs on Sunday, only bruises. The nurse wants to know when her last blood "
    "test was and what it showed."
)
_MOTHER_FR = (
    "je fais les démarches pour ma maman (88 ans) : est-ce qu'elle a eu un rendez-vous chez le médecin "
    "cette année ?"
)


@pytest.mark.parametrize(("message", "lang"), [(_MOTHER_EN, "en"), (_MOTHER_FR, "fr")])
def test_a_parent_asked_about_on_a_very_old_record_is_the_patient(message: str, lang: Language) -> None:
    assert _refusal(message, ELDER, lang) is None


@pytest.mark.parametrize(
    ("message", "lang", "facts"),
    [
        # a 67-year-old may well ask about her own mother
        (_MOTHER_EN, "en", PatientFacts(age_years=67.0, sex="female")),
        (_MOTHER_FR, "fr", PatientFacts(age_years=67.0, sex="female")),
        # a father is not a woman's record
        (
            "My father slipped on the stairs on Sunday, only bruises. The nurse wants to know when his last "
            "blood test was and what it showed.",
            "en",
            ELDER,
        ),
        # a mother of 60 is not a patient of 87 to 93
        (_MOTHER_FR.replace("88 ans", "60 ans"), "fr", ELDER),
    ],
)
def test_a_parent_who_cannot_be_the_patient_is_still_someone_else(
    message: str, lang: Language, facts: PatientFacts
) -> None:
    assert _refusal(message, facts, lang) is RefusalCategory.OTHER_PATIENT


def test_the_old_record_rule_leaves_the_writer_the_patient() -> None:
    # the writer is not moved: the parent is only not "someone else" when their data is asked
    u = _read(_MOTHER_EN, ELDER)
    assert u.subjects[0].is_record_patient
    assert next(s for s in u.subjects if s.relation is Relation.PARENT).relation is Relation.PARENT


ADULT = PatientFacts(age_years=70.0, sex="female")


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        (
            "I had the scan when they diagnosed the heart failure, and now my ankles are puffy by tea time",
            "en",
        ),
        (
            "J'ai eu l'écho quand ils ont trouvé l'insuffisance cardiaque, et là j'ai les chevilles gonflées",
            "fr",
        ),
    ],
)
def test_they_doing_what_clinicians_do_is_not_a_person_of_the_story(message: str, lang: Language) -> None:
    u = _read(message, ADULT, lang)
    assert len(u.subjects) == 1, u.subjects
    assert all(f.subject == 0 for f in u.findings if f.current), u.findings


def test_they_as_people_still_open_a_subject() -> None:
    u = _read("My grandchildren stayed over and they have had diarrhoea since last night", ADULT)
    diarrhoea = [f for f in u.findings if f.current and f.subject != 0]
    assert diarrhoea, u.findings
