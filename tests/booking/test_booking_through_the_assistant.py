"""The issue's booking dialogues through the whole turn (``Assistant.respond``: input guard, triage,
routing, the booking flow, the session store), in English and French, on the real guard and the demo
clinic at a frozen Friday 16:00 — so routing cannot quietly send "no, afternoon please" or
"c est quand mon rdv déjà ?" somewhere else — plus the terminal's rendering of the offers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.booking import BookingFlow
from assistant.booking.wording import day_text
from assistant.guardrails import Guard
from assistant.schemas import Language, Turn
from assistant.service import AssistantService
from assistant.store import SessionStore, sqlite_url
from fhir_client import FhirClient, load_patient_from_server
from fhir_client.scheduling import SchedulingClient
from health_assistant.commands.converse import render
from sandbox import Sandbox
from tests.booking.conftest import MOMENTS, PARIS, freeze

pytestmark = pytest.mark.integration
JOSUE = "7d27f180-98d6-456d-98c0-d91df32cd023"
NOW = MOMENTS["friday"]

SCRIPT: dict[Language, dict[str, str]] = {
    "en": {
        "ask": "Can I get an appointment with a GP tomorrow?",
        "refine": "no, afternoon please. after 2pm",
        "pick": "the first one",
        "yes": "yes",
        "when": "when is my appointment?",
        "cancel": "cancel my appointment",
        "no_cancel": "No, cancel",
        "nothing": "no free slot on Saturday 5 December",
    },
    "fr": {
        "ask": "Je voudrais un rendez-vous chez le généraliste demain",
        "refine": "non, plutôt l'après-midi, après 14h",
        "pick": "le premier",
        "yes": "oui",
        "when": "c est quand mon rdv déjà ?",
        "cancel": "annule mon rdv",
        "no_cancel": "Non, annuler",
        "nothing": "aucun créneau libre le samedi 5 décembre",
    },
}


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard.default(region="FR")


@pytest.fixture
def service(clinic: Sandbox, guard: Guard, tmp_path: Path) -> Iterator[AssistantService]:
    freeze(clinic, "friday")
    with FhirClient(clinic.base_url) as fhir:
        scheduling = SchedulingClient(fhir, clock=lambda: NOW)
        store = SessionStore(sqlite_url(tmp_path), clock=lambda: NOW)
        yield AssistantService(
            store=store,
            guard=guard,
            load_record=lambda pid: load_patient_from_server(fhir, pid),
            booking_for=lambda pid: BookingFlow(scheduling, patient_id=pid, clock=lambda: NOW),
            clock=lambda: NOW,
        )
        store.close()


def kinds(turn: Turn) -> list[str]:
    return [a.kind for a in turn.actions]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_issues_dialogue_end_to_end(service: AssistantService, language: Language) -> None:
    words = SCRIPT[language]
    assistant = service.assistant(JOSUE)
    session = assistant.new_session(language)

    def say(text: str) -> Turn:
        return assistant.respond(session, text, language=language)

    offer = say(words["ask"])
    assert kinds(offer) == ["offer_slots"] and words["nothing"] in offer.text  # not a dead end
    refined = say(words["refine"])
    assert kinds(refined) == ["offer_slots"]  # a new constraint, not a refusal
    slots = refined.actions[0].slots  # type: ignore[union-attr]
    assert all(dt.datetime.fromisoformat(s.start).astimezone(PARIS).hour >= 14 for s in slots)
    assert kinds(say(words["pick"])) == ["confirm_booking"]
    assert kinds(say(words["yes"])) == ["booked"]
    when = say(words["when"])
    booked_day = day_text(dt.datetime.fromisoformat(slots[0].start).astimezone(PARIS).date(), language)
    assert when.actions == [] and booked_day in when.text
    ask = say(words["cancel"])
    assert kinds(ask) == ["confirm_booking"] and ask.actions[0].operation == "cancel"  # type: ignore[union-attr]
    assert kinds(say(words["no_cancel"])) == ["cancelled"]
    state = service.store.get_state(session, JOSUE)
    assert state.get("booking", {}).get("step", "idle") == "idle"


def test_the_terminal_lists_each_offer_once_with_its_full_date(service: AssistantService) -> None:
    assistant = service.assistant(JOSUE)
    session = assistant.new_session("en")
    turn = assistant.respond(session, "Can I get an appointment with a GP tomorrow?", language="en")
    shown = render(turn, "Europe/Paris")
    slots = turn.actions[0].slots  # type: ignore[union-attr]
    for i, slot in enumerate(slots, 1):
        local = dt.datetime.fromisoformat(slot.start).astimezone(PARIS)
        assert shown.count(f"{local.hour}:{local.minute:02d} — ") >= 1
        assert f"  ({i}) " in shown
    assert shown.count("  (1) ") == 1
