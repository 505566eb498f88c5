"""Record questions from round-17 development (dev data once scored), by mechanism, on sentences written
here — with look-alikes that must keep their old reading:

- the last visit of someone named by a possessive ("my son's last check up", "Amir's most recent
  appointment"), and French with the question word inside ("il a vu le médecin quand pour la dernière
  fois", "on est passés quand chez la pédiatre");
- a parent on their own older record asked about by their son or daughter through a test of theirs
  ("when did my mum last have her bloods done?");
- the "il" of "il y a" is no one, so "est-ce qu'il y a des allergies notées pour ma fille ?" on her record
  is her own data;
- someone else (the pharmacy, the school) asking the writer for a prescription is the reason for a
  question, not a request that the assistant prescribe;
- an illness named as what a procedure was for is not counted beside it;
- how tall someone was asked with the verb ("il mesurait combien");
- dietary advice ("cut down on salt") is not a wound, a clinician who "talks to me nonstop" about a result
  is not pressured speech.
"""

from __future__ import annotations

import pytest

from assistant.schemas import RefusalCategory
from assistant.understanding.model import IntentKind, RecordQueryKind, Relation
from assistant.understanding.stage import Understander
from assistant.understanding.subjects import PatientFacts
from tests.understanding.reading import read, verdict
from tests.understanding.test_record_query import converse, query

K = RecordQueryKind
U = Understander.default()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("when was my daughter's last check up? I can't find her health book", "en"),
        ("when was Amir's most recent appointment?", "en"),
        ("mon père a consulté quand le médecin pour la dernière fois ?", "fr"),
        ("on est passés quand chez la pédiatre la dernière fois avec le petit ?", "fr"),
        ("elle est allée quand chez le docteur pour la dernière fois ?", "fr"),
    ],
)
def test_the_last_visit_of_someone_named_or_asked_with_the_question_word_inside(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.intents and u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents
    assert query(u).kind is K.LAST_VISIT


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # a next visit, or a visit told and not asked about, is not the last visit
        ("when is my son's next check up?", "en"),
        ("my daughter's last check up went fine, thanks", "en"),
        ("on va quand chez le médecin la prochaine fois ?", "fr"),
    ],
)
def test_look_alikes_of_the_last_visit_are_not_it(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.record_query is None or u.record_query.kind is not K.LAST_VISIT


def test_a_parent_on_their_own_older_record_is_asked_about_through_a_test_of_theirs() -> None:
    facts = PatientFacts(age_years=84.0, sex="female")
    for text, lang in [
        ("when did my mum last have her blood pressure checked?", "en"),
        ("ma mère a eu son dernier bilan sanguin quand ?", "fr"),
    ]:
        u = U.understand(text, language=lang, patient=facts)  # type: ignore[arg-type]
        mum = next(s for s in u.subjects if s.relation is Relation.PARENT)
        assert mum.is_record_patient and not u.subjects[0].is_record_patient, text
    # a father on a woman's record, or a mother on a younger person's record, is someone else
    dad = U.understand("when did my dad last have his blood pressure checked?", patient=facts)
    assert not next(s for s in dad.subjects if s.relation is Relation.PARENT).is_record_patient
    young = U.understand(
        "when did my mum last have her blood pressure checked?", patient=PatientFacts(age_years=35.0)
    )
    assert not next(s for s in young.subjects if s.relation is Relation.PARENT).is_record_patient


def test_the_il_of_il_y_a_is_no_one() -> None:
    # a child's record: the parent asks about her own child's data
    assert (
        verdict(
            "est-ce qu'il y a des vaccins notés pour ma fille ? la colonie les demande",
            patient="Daisey_Johns",
        ).refusal
        is None
    )
    # on an adult's record, a relative's data is still someone else's
    for text in (
        "est-ce qu'il y a des allergies notées pour ma sœur ? elle part en voyage",
        "are there any allergies recorded for my brother? he's off to camp",
    ):
        assert verdict(text, patient="Lupe_Little").refusal is RefusalCategory.OTHER_PATIENT, text


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("is she still meant to be on the blue inhaler? the chemist asked me for a new prescription", False),
        ("il prend encore son sirop ? la pharmacienne me demande une nouvelle ordonnance", False),
        ("the pharmacy asked me for it, can you write me a new prescription?", True),
        ("la pharmacie me réclame une nouvelle ordonnance, vous pouvez me la faire ?", True),
        ("j'ai besoin d'une nouvelle ordonnance pour la ventoline", True),
    ],
)
def test_someone_else_asking_the_writer_for_a_prescription_is_not_a_request_to_prescribe(
    text: str, asks: bool
) -> None:
    u = read(text, patient="Daisey_Johns")
    assert any(s.kind.value == "prescription" for s in u.signals) is asks, u.signals


def test_an_illness_named_as_what_a_procedure_was_for_is_not_counted() -> None:
    (en,) = converse("how many pulmonary rehab sessions have I had for my COPD?")
    assert query(en).kind is K.COUNT and query(en).targets == ("pulmonary_rehabilitation",)
    (fr,) = converse(
        "j'ai suivi une réadaptation respiratoire pour ma BPCO, j'ai eu combien de séances ?", lang="fr"
    )
    assert query(fr).kind is K.COUNT and query(fr).targets == ("pulmonary_rehabilitation",)
    # two things asked about are both counted
    (both,) = converse("how many colonoscopies and rectal exams have I had?")
    assert set(query(both).targets) == {"colonoscopy", "rectal_exam"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("combien elle mesurait au rendez-vous d'avant ?", "fr"),
        ("Il mesurait combien à la dernière visite ?", "fr"),
        ("how tall was he at his last check up?", "en"),
    ],
)
def test_how_tall_asked_with_the_verb_is_the_height(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert "body_height" in query(u).targets


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the practice nurse told me to cut down on salt. what was my last blood pressure?", "en"),
        ("I've cut back on sugar, what was my latest HbA1c?", "en"),
        ("mon néphrologue m'en parle sans arrêt : c'est combien mon dernier DFG ?", "fr"),
    ],
)
def test_advice_and_a_clinician_insisting_are_not_symptoms(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert not [f for f in u.findings if f.current and f.concept in ("wound", "psychosis")], u.findings
    assert u.record_query is not None
