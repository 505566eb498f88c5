"""Record questions from round-14 development: a target set aside, a medicine still to be taken, the last
visit asked as a clause, the test before the one named, and a value named in the sentence before its number.

Every sentence here is written for the test (paraphrases of what patients write), in English and French.
"""

from __future__ import annotations

import pytest

from assistant.understanding.model import IntentKind, RecordQueryKind
from tests.understanding.test_record_query import converse, query

K = RecordQueryKind


@pytest.mark.parametrize(
    ("text", "lang", "kept", "dropped"),
    [
        (
            "I'm not asking about the A1c, I mean my normal glucose. what was the last one?",
            "en",
            "glucose",
            "hba1c",
        ),
        (
            "I'm not after my cholesterol this time, what was my latest potassium?",
            "en",
            "potassium",
            "total_cholesterol",
        ),
        (
            "je ne parle pas du cholestérol, mais de mon potassium : c'était combien la dernière fois ?",
            "fr",
            "potassium",
            "total_cholesterol",
        ),
        (
            "Mon HbA1c était à 6,9 % l'an dernier. Je ne suis pas diabétique pourtant. C'est trop haut ?",
            "fr",
            "hba1c",
            "diabetes",
        ),
    ],
)
def test_a_target_the_patient_sets_aside_is_not_asked(text: str, lang: str, kept: str, dropped: str) -> None:
    q = query(converse(text, lang=lang)[0])
    assert kept in q.targets
    assert dropped not in q.targets


def test_a_target_set_aside_alone_is_still_the_target() -> None:
    """With nothing else named, the words around it do not empty the question."""
    q = query(converse("I'm not diabetic, but what was my last HbA1c?")[0])
    assert "hba1c" in q.targets


@pytest.mark.parametrize(
    ("text", "lang", "medicine"),
    [
        (
            "should I still be having the Aranesp jabs for my anaemia? the kidney team changed things",
            "en",
            "darbepoetin",
        ),
        (
            "am I still supposed to be taking the clopidogrel they started after my stroke?",
            "en",
            "clopidogrel",
        ),
        (
            "On m'a mis sous clopidogrel il y a deux ans. Est-ce que je dois encore le prendre ?",
            "fr",
            "clopidogrel",
        ),
        (
            "Je dois toujours prendre mes piqûres d'Aranesp pour l'anémie, ou on les a arrêtées ?",
            "fr",
            "darbepoetin",
        ),
    ],
)
def test_still_to_take_a_medicine_asks_about_the_medicine(text: str, lang: str, medicine: str) -> None:
    u = converse(text, lang=lang)[0]
    assert IntentKind.RECORD_QUESTION in [i.kind for i in u.intents]
    q = query(u)
    assert q.kind is K.STILL_ON
    assert q.targets == (medicine,)
    assert "vaccines" not in q.categories


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("For my dad's care home form: can you find when he last saw a doctor, and what it was about?", "en"),
        ("when did I last go and see the GP?", "en"),
        ("when did she last come in to see the nurse?", "en"),
        (
            "Pour son dossier de maison de retraite : quand ma mère a-t-elle vu le médecin pour la dernière fois ?",
            "fr",
        ),
    ],
)
def test_the_last_visit_asked_as_a_clause_is_the_last_visit(text: str, lang: str) -> None:
    q = query(converse(text, lang=lang)[0])
    assert q.kind is K.LAST_VISIT


def test_thanks_at_the_end_does_not_hide_a_last_visit_question() -> None:
    u = converse("Could you check when she last saw her GP and what for? Many thanks")[0]
    assert u.intent is IntentKind.RECORD_QUESTION
    assert query(u).kind is K.LAST_VISIT


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        (
            "Le labo m'a donné ma dernière kaliémie. Et celle de la prise de sang d'avant, c'était combien ?",
            "fr",
            "potassium",
        ),
        (
            "J'ai vu mon dernier cholestérol. Celui du bilan précédent était à combien ?",
            "fr",
            "total_cholesterol",
        ),
        ("I saw my latest creatinine. And the one from the blood test before that?", "en", "creatinine"),
    ],
)
def test_the_test_before_the_one_named_is_the_previous_value(text: str, lang: str, target: str) -> None:
    q = query(converse(text, lang=lang)[0])
    assert q.kind is K.PREVIOUS
    assert target in q.targets


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Après l'échographie, le cardiologue a parlé de ma fraction d'éjection. C'est quoi mon chiffre, c'est normal ?",
            "fr",
        ),
        (
            "The heart doctor mentioned my ejection fraction after the scan. What's my number, and is it normal?",
            "en",
        ),
    ],
)
def test_a_value_named_before_its_number_is_asked(text: str, lang: str) -> None:
    u = converse(text, lang=lang)[0]
    assert u.intent is IntentKind.RECORD_QUESTION
    q = query(u)
    assert q.targets == ("ejection_fraction",)
    assert q.kind in (K.MEANING, K.LATEST)


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        (
            "they took bloods for my diabetes at my last check-up. not the A1c, what did the glucose come back as?",
            "en",
            "glucose",
        ),
        (
            "On m'a fait une prise de sang pour mon diabète à mon dernier bilan de santé. Je ne parle pas de l'HbA1c, mon glucose était à combien ?",
            "fr",
            "glucose",
        ),
    ],
)
def test_a_value_measured_at_the_last_visit_is_the_value(text: str, lang: str, target: str) -> None:
    q = query(converse(text, lang=lang)[0])
    assert q.kind is K.LATEST
    assert target in q.targets
    assert "diabetes" not in q.targets


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("mon potassium, il en était où à la dernière prise de sang ?", "fr"),
        ("my potassium, where was it on the last blood test?", "en"),
    ],
)
def test_a_clause_naming_only_a_test_takes_the_value_its_sentence_names(text: str, lang: str) -> None:
    q = query(converse(text, lang=lang)[0])
    assert q.targets, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how many times did they check my lung function altogether?", "en"),
        ("combien de fois en tout ai-je soufflé pour mesurer ma fonction respiratoire ?", "fr"),
    ],
)
def test_counting_a_breathing_test_counts_the_procedure(text: str, lang: str) -> None:
    q = query(converse(text, lang=lang)[0])
    assert q.kind is K.COUNT
    assert q.targets == ("spirometry",)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "J'ai lu mon HbA1c d'octobre 2018, 6,8 %. Je ne suis pas diabétique, on ne m'a jamais rien dit ! C'est élevé ou c'est bien ?",
            "fr",
        ),
        (
            "My HbA1c from last spring says 6.8%. I'm not diabetic, nobody ever told me that!! Is that high or fine?",
            "en",
        ),
    ],
)
def test_an_illness_the_patient_denies_does_not_replace_the_test_asked(text: str, lang: str) -> None:
    q = query(converse(text, lang=lang)[0])
    assert q.targets == ("hba1c",)


def test_an_indirect_when_was_her_last_visit_is_a_record_question() -> None:
    u = converse(
        "Helping my gran with forms: could you see when her last appointment was and what it was for? Cheers"
    )[0]
    assert u.intent is IntentKind.RECORD_QUESTION
    assert query(u).kind is K.LAST_VISIT
