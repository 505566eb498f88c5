"""Booking in the app (AppTest) against a private demo clinic at a frozen Friday afternoon: the slot,
confirm and cancel buttons send structured commands (the slot id, the confirmation token), offered
slots are shown once as buttons with the full date, and the cancellation question is answered with
"Cancel the appointment" / "Keep it" — each step checked on the FHIR server, not just on screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

from assistant.booking import BookingFlow
from assistant.booking.wording import day_text
from assistant.guardrails import Guard
from assistant.schemas import Booked, Cancelled, ConfirmBooking, OfferSlots
from assistant.service import AssistantService
from assistant.store import SessionStore, sqlite_url
from fhir_client import FhirClient, load_patient_from_server
from fhir_client.scheduling import SchedulingClient
from health_assistant.ui_main import appointment_from
from sandbox import Sandbox
from tests.ui import harness
from tests.ui.conftest import JOSUE_SANDBOX_ID, SCRIPT
from ui.backend import InProcessClient
from ui.chat_view import ChatItem

pytestmark = pytest.mark.integration
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 12, 4, 16, 0, tzinfo=PARIS)


def frozen() -> dt.datetime:
    return NOW


@pytest.fixture(scope="module")
def clinic() -> Iterator[Sandbox]:
    with Sandbox(port=0, today=NOW.date().isoformat()) as sb:
        yield sb


@pytest.fixture
def fhir(clinic: Sandbox) -> Iterator[FhirClient]:
    clinic.reset(today=NOW.date().isoformat())
    with FhirClient(clinic.base_url) as client:
        yield client


@pytest.fixture
def booking_app(fhir: FhirClient, guard: Guard, tmp_path: Path) -> Iterator[AppTest]:
    store = SessionStore(sqlite_url(tmp_path), clock=frozen)
    scheduling = SchedulingClient(fhir, clock=frozen)
    service = AssistantService(
        store=store,
        guard=guard,
        load_record=lambda pid: load_patient_from_server(fhir, pid),
        booking_for=lambda pid: BookingFlow(scheduling, patient_id=pid, clock=frozen),
        clock=frozen,
    )
    harness.use(
        InProcessClient(
            service,
            default_patient=JOSUE_SANDBOX_ID,
            appointments_for=lambda pid: [appointment_from(a) for a in scheduling.upcoming(pid)],
        )
    )
    at = AppTest.from_file(SCRIPT, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    yield at
    store.close()


def last(at: AppTest) -> ChatItem:
    items: list[ChatItem] = at.session_state["history"]
    return items[-1]


def last_turn(at: AppTest) -> ChatItem:
    item = last(at)
    assert item.turn is not None, item.text
    return item


def upcoming(fhir: FhirClient) -> set[str]:
    return {a.reference for a in SchedulingClient(fhir, clock=frozen).upcoming(JOSUE_SANDBOX_ID)}


def click(at: AppTest, label: str) -> None:
    button = next((b for b in at.button if b.label == label), None)
    assert button is not None, [b.label for b in at.button]
    button.click().run()
    assert not at.exception, at.exception


def test_buttons_send_commands_book_once_and_cancel_or_keep(booking_app: AppTest, fhir: FhirClient) -> None:
    at = booking_app
    before = upcoming(fhir)

    at.chat_input[0].set_value("Can I get an appointment with a GP tomorrow?").run()
    offer = last_turn(at).turn
    assert offer is not None and isinstance(offer.actions[0], OfferSlots)
    slots = offer.actions[0].slots
    assert "no free slot on Saturday 5 December" in offer.text
    labels = [b.label for b in at.button if b.key and "-slot" in b.key]
    assert len(labels) == len(slots) >= 2
    # the full date on each button, and the slots only there (not listed again in the text)
    first = dt.datetime.fromisoformat(slots[0].start).astimezone(PARIS)
    assert labels[0].startswith(f"1. {day_text(first.date(), 'en')} at {first:%H:%M} — ")
    assert all(
        f"{dt.datetime.fromisoformat(s.start).astimezone(PARIS):%H:%M}" not in offer.text for s in slots
    )

    chosen = slots[-1]
    click(at, labels[-1])
    assert at.session_state["history"][-2].text == labels[-1].split(". ", 1)[1]  # what was chosen
    confirm = last_turn(at).turn
    assert confirm is not None and isinstance(confirm.actions[0], ConfirmBooking)
    assert confirm.actions[0].slot is not None and confirm.actions[0].slot.id == chosen.id
    assert upcoming(fhir) == before  # choosing a slot books nothing
    assert {"Yes, book it", "No, don't book"} <= {b.label for b in at.button}

    click(at, "Yes, book it")
    booked = last_turn(at).turn
    assert booked is not None and isinstance(booked.actions[0], Booked)
    appointment = booked.actions[0].appointment
    assert upcoming(fhir) - before == {appointment}
    assert any("Booked:" in s.value for s in at.success)

    # Cancel from "My record": the chat asks "Cancel the appointment" or "Keep it"; Keep it keeps it.
    at.radio(key="page").set_value("record").run()
    listed = harness.client().appointments(JOSUE_SANDBOX_ID) or []
    row = next(i for i, a in enumerate(listed) if a.ref == appointment)
    next(b for b in at.button if b.key == f"appt{row}-cancel").click().run()
    assert at.session_state["page"] == "chat"
    ask = last_turn(at).turn
    assert ask is not None and isinstance(ask.actions[0], ConfirmBooking)
    assert ask.actions[0].operation == "cancel" and ask.actions[0].appointment == appointment
    assert {"Cancel the appointment", "Keep it"} <= {b.label for b in at.button}
    assert not {"Yes, confirm", "No, cancel"} & {b.label for b in at.button}
    click(at, "Keep it")
    assert appointment in upcoming(fhir)
    assert last_turn(at).turn is not None and "kept" in last_turn(at).text

    at.radio(key="page").set_value("record").run()
    next(b for b in at.button if b.key == f"appt{row}-cancel").click().run()
    click(at, "Cancel the appointment")
    done = last_turn(at).turn
    assert done is not None and isinstance(done.actions[0], Cancelled)
    assert appointment not in upcoming(fhir)


def test_french_buttons_and_a_typed_answer_still_work(booking_app: AppTest, fhir: FhirClient) -> None:
    at = booking_app
    at.radio(key="lang").set_value("fr").run()
    at.chat_input[0].set_value("Je voudrais un rendez-vous chez le généraliste lundi après 14h").run()
    offer = last_turn(at).turn
    assert offer is not None and isinstance(offer.actions[0], OfferSlots)
    labels = [b.label for b in at.button if b.key and "-slot" in b.key]
    assert labels and all(label.split(". ", 1)[1].startswith("lundi 7 décembre à ") for label in labels)
    at.chat_input[0].set_value("le premier").run()  # typing still works next to the buttons
    assert {"Oui, réservez-le", "Non, ne réservez pas"} <= {b.label for b in at.button}
    click(at, "Non, ne réservez pas")
    assert last_turn(at).turn is not None and last_turn(at).turn.actions == []  # type: ignore[union-attr]
    assert upcoming(fhir) == set()
