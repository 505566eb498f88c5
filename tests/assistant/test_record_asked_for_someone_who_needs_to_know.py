"""A record question asked indirectly, for someone who needs the answer ("work needs to know whether I've had
the hepatitis B jabs", "la crèche demande si elle a eu ses vaccins"): it is still a question about the record,
answered with every dose given, or an honest "not in your record" — in English and French.

Sentences written for the test; the look-alikes (someone wondering about a symptom, "je me demande si…")
stay what they were.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.understanding.model import IntentKind, RecordQueryKind
from tests.assistant.test_record_round16_illnesses_and_classes import ask, bundle
from tests.understanding.test_record_query import converse, query


def _immunizations(patient: str, cvx: set[str]) -> set[str]:
    entries = json.loads(bundle(patient).read_text(encoding="utf-8"))["entry"]
    return {
        f"Immunization/{e['resource']['id']}"
        for e in entries
        if e["resource"]["resourceType"] == "Immunization"
        and any(c.get("code") in cvx for c in e["resource"]["vaccineCode"]["coding"])
    }


HEP_B = {"08", "43", "44", "45"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my new employer needs to know whether I've had the hepatitis B jabs", "en"),
        ("the uni asked me if I have been vaccinated against hep B. Have I?", "en"),
        ("mon employeur demande si j'ai déjà reçu le vaccin contre l'hépatite B", "fr"),
    ],
)
def test_asked_for_someone_else_a_missing_vaccine_gets_an_honest_no(
    tmp_path: Path, text: str, lang: str
) -> None:
    assert not _immunizations("Lupe_Little", HEP_B)
    turn = ask(tmp_path, "Lupe_Little", text, lang)
    low = turn.text.lower()
    assert "couldn't find" in low or "aucune trace" in low, turn.text
    assert "hepatitis b" in low or "hépatite b" in low, turn.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the nursery wants to know if he has had his hep B vaccines", "en"),
        ("la crèche demande s'il a bien eu ses vaccins contre l'hépatite B", "fr"),
    ],
)
def test_asked_for_someone_else_every_dose_is_cited(tmp_path: Path, text: str, lang: str) -> None:
    gold = _immunizations("Luigi_Wiegand", HEP_B)
    assert len(gold) > 1
    turn = ask(tmp_path, "Luigi_Wiegand", text, lang)
    assert gold <= {c.resource for c in turn.citations}, turn.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the nursery wants to know whether he's had all his baby jabs", "en"),
        ("l'école demande si elle a bien eu ses rappels de tétanos", "fr"),
    ],
)
def test_the_indirect_question_asks_whether_it_was_ever_given(text: str, lang: str) -> None:
    *_, u = converse(text, lang=lang)
    assert u.intent is IntentKind.RECORD_QUESTION
    assert query(u).kind is RecordQueryKind.EVER_HAD, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my boss wants to know if I've had a cold this week", "en"),
        ("je me demande si j'ai eu de la fièvre cette nuit, j'avais très chaud", "fr"),
    ],
)
def test_wondering_about_a_symptom_is_not_a_vaccine_question(text: str, lang: str) -> None:
    *_, u = converse(text, lang=lang)
    assert u.record_query is None or u.record_query.kind is not RecordQueryKind.EVER_HAD, u.record_query
