"""Record questions from round-23 development (dev data once scored), by mechanism, on sentences written
here — with look-alikes that must keep their old reading:

- words joined by a slash name things one by one ("diphtheria/tetanus/whooping cough jabs" is the childhood
  DTaP series, named by the illnesses it covers; "14/9" stays a blood pressure);
- a value read out of a document of the record ("her notes say her oxygen was 76", "dans son dossier je vois
  une saturation à 85") is what the record holds, not a measurement of now: it does not decide the triage;
- a mother or father said to be too close in age to the record's patient to be their parent ("ma mère a 80
  ans passés" on the record of a woman of 73) is that patient: the writer is not;
- a question that points back ("what does that mean?", "c'est dans les normes ?") at a test the sentence
  before read from the record asks about that test, even beside a symptom told elsewhere.
"""

from __future__ import annotations

import pytest

from assistant.understanding.model import (
    IntentKind,
    RecordQueryKind,
    Relation,
    SignalKind,
    Understanding,
    VitalKind,
)
from assistant.understanding.subjects import PatientFacts
from retrieval import ConceptMap
from tests.understanding.conversation import TODAY, UNDERSTANDER, converse
from tests.understanding.test_record_query import query

K = RecordQueryKind
CONCEPTS = ConceptMap.load()


# --- words joined by a slash ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "how many diphtheria/tetanus/whooping cough shots has she had?",
        "how many diphtheria, tetanus and whooping cough jabs has he had?",
        "combien de vaccins diphtérie/tétanos/coqueluche a-t-il reçus ?",
        "il a eu combien de doses de diphtérie-tétanos-coqueluche ?",
    ],
)
def test_the_three_illnesses_name_the_childhood_series(text: str) -> None:
    assert [c.key for c in CONCEPTS.find_named(text)] == ["dtap_vaccine"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how many of the diphtheria/tetanus/whooping cough jabs has my daughter had?", "en"),
        ("combien de vaccins diphtérie/tétanos/coqueluche mon fils a-t-il eus ?", "fr"),
    ],
)
def test_a_count_of_the_series_counts_only_it(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.COUNT and q.targets == ("dtap_vaccine",), q


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("when was my last tetanus jab?", "tetanus_vaccine"),
        ("my tetanus and diphtheria booster, when was it?", "tetanus_vaccine"),
        ("c'était quand mon dernier rappel tétanos ?", "tetanus_vaccine"),
        ("sugar/a1c results please", "hba1c"),
    ],
)
def test_look_alikes_keep_their_own_concept(text: str, key: str) -> None:
    keys = [c.key for c in CONCEPTS.find_named(text)]
    assert key in keys and "dtap_vaccine" not in keys, keys


def test_a_slash_between_numbers_stays_a_blood_pressure() -> None:
    (u,) = converse("ma tension était à 14/9 ce matin, c'est trop ?", lang="fr")
    assert [v.kind for v in u.vitals] == [VitalKind.BLOOD_PRESSURE], u.vitals
    assert u.vitals[0].current


# --- a value read out of the record is not a measurement of now ----------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I was reading my discharge letter and it says my sats were 84. is that bad?", "en"),
        ("my son's hospital notes from last winter say his oxygen was 88, what does that mean?", "en"),
        ("Dans son dossier je vois une saturation à 85 en 2019, c'est grave ?", "fr"),
        ("Sur le compte rendu c'est marqué sats 86, ça veut dire quoi ?", "fr"),
    ],
)
def test_a_value_read_out_of_the_record_is_not_current(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.vitals and all(v.from_record and not v.current for v in u.vitals), u.vitals


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my sats are 84 and I can't catch my breath", "en"),
        ("the letter from the hospital came, but right now her sats are 85 and she is blue", "en"),
        ("il est essoufflé, saturation à 85 sur l'oxymètre", "fr"),
        ("j'ai lu son dossier hier soir mais là maintenant sa saturation est à 86", "fr"),
    ],
)
def test_a_measurement_of_now_stays_current(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.vitals and all(v.current for v in u.vitals), u.vitals


# --- a question pointing back at a test the sentence before named -----------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        (
            "I've been exhausted for weeks and put on weight. My results page has a line for TSH. "
            "What does that mean, is it in range?",
            "en",
            "tsh",
        ),
        (
            "Je suis fatiguée et j'ai pris du poids. Sur mon bilan je vois une ligne TSH. "
            "Ça donnait quoi et c'est dans les normes ?",
            "fr",
            "tsh",
        ),
        (
            "Mon père se plaint d'être épuisé. Dans son dossier il y a une prise de sang avec hémoglobine 12,9. "
            "C'est bien ou il est anémié ?",
            "fr",
            "hemoglobin",
        ),
    ],
)
def test_a_question_pointing_back_at_a_test_asks_what_it_means(text: str, lang: str, target: str) -> None:
    (u,) = converse(text, lang=lang)
    assert any(i.kind is IntentKind.RECORD_QUESTION for i in u.intents), u.intents
    q = query(u)
    assert q.kind is K.MEANING and target in q.targets, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # the sentence before tells a symptom of now: the question is about it, not about a record value
        ("I have a pounding headache and my blood pressure feels high. Is that bad?", "en"),
        ("J'ai mal à la tête et ma tension me semble haute. C'est grave ?", "fr"),
        # the question does not point back: it asks for something else
        (
            "I've been exhausted for weeks. My results page has a line for TSH. Can I see a doctor this week?",
            "en",
        ),
    ],
)
def test_look_alikes_are_not_read_as_a_record_value(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = u.record_query
    assert q is None or q.kind is not K.MEANING or not q.targets, q


# --- a parent too close in age to be the patient's parent is the patient ----------------------------------

WOMAN_OF_73 = PatientFacts(age_years=73.0, sex="female", age_at_record_end=67.0)


def _read(text: str, lang: str, patient: PatientFacts) -> Understanding:
    return UNDERSTANDER.understand(text, language=lang, patient=patient, today=TODAY)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ma mère a 80 ans passés, est-ce qu'elle a déjà eu le vaccin contre la pneumonie ?", "fr"),
        ("my mum is 78 and the chemist is asking whether she's had her shingles jab, has she?", "en"),
    ],
)
def test_a_mother_too_close_in_age_to_be_the_patients_mother_is_the_patient(text: str, lang: str) -> None:
    u = _read(text, lang, WOMAN_OF_73)
    mother = next(s for s in u.subjects if s.relation is Relation.PARENT)
    assert mother.is_record_patient and not u.subjects[0].is_record_patient, u.subjects
    assert not any(s.kind is SignalKind.OTHER_PERSON_DATA for s in u.signals), u.signals


@pytest.mark.parametrize(
    ("text", "lang", "patient"),
    [
        # old enough to be the patient's mother: the writer is the patient
        ("my mum is 95 and in a home now, when was my last flu jab?", "en", WOMAN_OF_73),
        ("ma mère a 94 ans, elle a eu le vaccin contre la pneumonie ?", "fr", WOMAN_OF_73),
        # a father is not the record of a woman
        ("my dad is 79, has he had the shingles jab?", "en", WOMAN_OF_73),
        # far younger than the record: someone else
        ("ma mère a 52 ans, elle a eu le vaccin contre la grippe ?", "fr", WOMAN_OF_73),
    ],
)
def test_look_alikes_keep_the_writer_as_the_patient(text: str, lang: str, patient: PatientFacts) -> None:
    u = _read(text, lang, patient)
    assert u.subjects[0].is_record_patient, u.subjects
