"""A scan or check asked about next to an illness told as history ("since my cancer I have a mammogram every
year, when was the last?"): each thing named gets its own latest entry or an honest "not in your record",
so the illness found never stands in for the scan that is not recorded. And two checks the concept map now
knows by name: the heart ultrasound (echocardiogram) and the look at the back of the eye (fond d'œil).

Every sentence is written for the test, in English and French; look-alikes (an ultrasound of another organ,
eye drops, a sight test, the eye disease itself) must not be read as these checks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval import ConceptMap
from tests.assistant.test_record_round16_illnesses_and_classes import ask, bundle

_NOT_FOUND = ("couldn't find", "aucune trace")


def _refs(patient: str, rtype: str, needle: str) -> set[str]:
    entries = json.loads(bundle(patient).read_text(encoding="utf-8"))["entry"]
    return {
        f"{rtype}/{e['resource']['id']}"
        for e in entries
        if e["resource"]["resourceType"] == rtype and needle in json.dumps(e["resource"]["code"]).lower()
    }


@pytest.mark.parametrize(
    ("text", "lang", "named"),
    [
        (
            "With my high blood pressure they said I should also have a mammogram every year. When was the last one?",
            "en",
            "mammogram",
        ),
        (
            "Avec mon hypertension on me demande aussi une mammographie chaque année. Vous savez quand j'ai fait la dernière ?",
            "fr",
            "mammographie",
        ),
    ],
)
def test_a_check_not_recorded_gets_its_own_no_beside_the_illness_found(
    tmp_path: Path, text: str, lang: str, named: str
) -> None:
    turn = ask(tmp_path, "Liz_Conn", text, lang)
    low = turn.text.lower()
    assert named in low and any(p in low for p in _NOT_FOUND), turn.text
    assert _refs("Liz_Conn", "Condition", "hypertension") & {c.resource for c in turn.citations}, turn.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("what did my last heart ultrasound show?", "en"),
        ("je voudrais la date de ma dernière échographie cardiaque", "fr"),
    ],
)
def test_a_recorded_echocardiogram_is_found_and_cited(tmp_path: Path, text: str, lang: str) -> None:
    gold = _refs("Martina_Murazik", "Procedure", "echocardiogram")
    assert gold
    turn = ask(tmp_path, "Martina_Murazik", text, lang)
    assert gold & {c.resource for c in turn.citations}, turn.text


@pytest.mark.parametrize(
    ("text", "lang", "named"),
    [
        ("my new cardiologist wants my last echocardiogram, can you find it?", "en", "echocardiogram"),
        ("mon ophtalmo veut le résultat de mon dernier fond d'œil, vous l'avez ?", "fr", "fond d'œil"),
    ],
)
def test_a_check_the_record_does_not_hold_is_named_in_an_honest_no(
    tmp_path: Path, text: str, lang: str, named: str
) -> None:
    turn = ask(tmp_path, "Lupe_Little", text, lang)
    low = turn.text.lower()
    assert named in low and any(p in low for p in _NOT_FOUND), turn.text
    assert not turn.citations, turn.text


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("an ultrasound of my heart", "echocardiogram"),
        ("l'écho du cœur de l'an dernier", "echocardiogram"),
        ("my diabetic eye screening photos", "eye_screening"),
        ("la rétinographie chez l'ophtalmo", "eye_screening"),
    ],
)
def test_the_checks_are_known_by_their_lay_names(text: str, key: str) -> None:
    assert key in [c.key for c in ConceptMap.load().find(text)]


@pytest.mark.parametrize(
    "text",
    [
        "an ultrasound of my kidneys",
        "l'échographie du foie",
        "my ECG at the GP",
        "new eye drops for dry eyes",
        "a sight test for glasses",
        "ma rétinopathie diabétique",
        "des gouttes pour les yeux",
    ],
)
def test_look_alikes_are_not_these_checks(text: str) -> None:
    keys = [c.key for c in ConceptMap.load().find(text)]
    assert "echocardiogram" not in keys and "eye_screening" not in keys, keys
