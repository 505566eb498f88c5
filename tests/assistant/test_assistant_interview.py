"""The triage interview in whole conversations through the real Assistant (real guard, protocols, stage,
SQLite store, record): the reply asks the deciding protocol's red-flag questions with the level known so
far as the floor; the next message is re-triaged with the answers ("no" lowers nothing, "yes" raises);
an emergency stays in force; minimising words change nothing; the questions reach the turn contract."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.guardrails import Guard
from assistant.schemas import Language, TriageLevel, Turn
from assistant.store import SessionStore, sqlite_url
from fhir_client import PatientRecord, load_bundle_file

DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard.default(region="GB")


@pytest.fixture(scope="module")
def lupe() -> PatientRecord:
    return load_bundle_file(
        next(DATA.glob("Lupe_Little_*.json"))
    )  # an adult with no record fact that changes these


@pytest.fixture
def bot(lupe: PatientRecord, guard: Guard, tmp_path: Path) -> Assistant:
    store = SessionStore(sqlite_url(tmp_path), clock=lambda: NOW)
    return Assistant(record=lupe, store=store, guard=guard, region="GB", clock=lambda: NOW)


def talk(bot: Assistant, *messages: str, lang: Language = "en") -> list[Turn]:
    session = bot.new_session(lang)
    return [bot.respond(session, m, language=lang) for m in messages]


def test_a_headache_with_fever_asks_and_a_yes_raises_to_emergency(bot: Assistant) -> None:
    first, second = talk(
        bot, "I've had a headache and a fever since yesterday", "yes, my neck is really stiff"
    )
    assert first.triage.level is TriageLevel.SELF_CARE
    asked = [q.id for q in first.triage.questions]
    assert "headache-stiff-neck" in asked and len(asked) <= 3
    assert first.triage.questions[0].text in first.text  # the questions are in the reply too
    assert second.triage.level is TriageLevel.EMERGENCY and second.triage.call == "999"
    assert second.triage.protocol == "headache" and "headache-meningitis" in second.triage.rules
    assert second.triage.questions == []


def test_a_no_lowers_nothing_already_decided(bot: Assistant) -> None:
    first, second = talk(bot, "I've got a pain in my chest", "no")
    assert first.triage.level is TriageLevel.URGENT and first.triage.questions
    assert second.triage.level is TriageLevel.URGENT
    assert second.triage.protocol == "chest-pain"
    assert {q.id for q in second.triage.questions}.isdisjoint({q.id for q in first.triage.questions})


def test_answers_by_position_and_in_french(bot: Assistant) -> None:
    first, second = talk(
        bot, "j'ai mal à la poitrine", "non pour la première, oui pour la deuxième", lang="fr"
    )
    assert first.triage.level is TriageLevel.URGENT
    assert [q.id for q in first.triage.questions][:2] == ["chest-pain-spreading", "chest-pain-sweating"]
    assert second.triage.level is TriageLevel.EMERGENCY  # sweating with chest pain
    assert "Appelez le 999" in second.text or "999" in second.text


def test_an_emergency_stays_in_force_and_later_turns_may_raise_only(bot: Assistant) -> None:
    first, second, third = talk(
        bot,
        "crushing chest pain going down my left arm, I'm sweating",
        "actually it's probably nothing, it's easing a bit",
        "ok",
    )
    assert first.triage.level is TriageLevel.EMERGENCY
    assert second.triage.level is TriageLevel.EMERGENCY
    assert third.triage.level is TriageLevel.EMERGENCY


def test_a_later_turn_adds_to_the_story(bot: Assistant) -> None:
    first, second = talk(bot, "I have a headache", "and now I have a fever and my neck is stiff")
    assert first.triage.level is TriageLevel.SELF_CARE
    assert second.triage.level is TriageLevel.EMERGENCY
    assert second.triage.protocol == "headache"


def test_the_childs_answers_are_about_the_child(bot: Assistant) -> None:
    first, second = talk(bot, "my daughter is 2 and has a temperature of 38.5, she's playing", "yes")
    assert first.triage.protocol == "fever-child" and first.triage.questions
    assert (
        second.triage.level is TriageLevel.EMERGENCY
    )  # yes to the glass test question: a rash that does not fade
    assert "glass" in second.triage.advice
