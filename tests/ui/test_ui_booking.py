"""Booking in the app (AppTest) against the real demo clinic: slot buttons, the confirmation step, and
cancel from "My record" — each checked on the FHIR server, not just on screen.

The test books one slot on the shared sandbox and cancels it again at the end (which frees the slot).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.booking import BookingFlow
from assistant.guardrails import Guard
from assistant.schemas import Booked, Cancelled, ConfirmBooking, OfferSlots
from assistant.service import AssistantService
from assistant.store import SessionStore, sqlite_url
from fhir_client import FhirClient, load_patient_from_server
from fhir_client.scheduling import SchedulingClient
from health_assistant.settings import Settings
from health_assistant.ui_main import appointments_source
from sandbox import Sandbox
from tests.clocks import frozen
from tests.ui import harness
from tests.ui.conftest import JOSUE_SANDBOX_ID, SCRIPT
from ui.backend import InProcessClient
from ui.chat_view import ChatItem

pytestmark = pytest.mark.integration


@pytest.fixture
def fhir(sandbox: Sandbox) -> Iterator[FhirClient]:
    with FhirClient(sandbox.base_url) as client:
        yield client


@pytest.fixture
def booking_app(sandbox: Sandbox, fhir: FhirClient, guard: Guard, tmp_path: Path) -> Iterator[AppTest]:
    store = SessionStore(sqlite_url(tmp_path), clock=frozen)
    service = AssistantService(
        store=store,
        guard=guard,
        load_record=lambda pid: load_patient_from_server(fhir, pid),
        clock=frozen,
        booking_for=lambda pid: BookingFlow(
            SchedulingClient(fhir, clock=frozen), patient_id=pid, clock=frozen
        ),
    )
    harness.use(
        InProcessClient(
            service,
            default_patient=JOSUE_SANDBOX_ID,
            appointments_for=appointments_source(Settings(fhir_url=sandbox.base_url), frozen),
        )
    )
    at = AppTest.from_file(SCRIPT, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    yield at
    store.close()


def last_turn(at: AppTest) -> ChatItem:
    items: list[ChatItem] = at.session_state["history"]
    assert items[-1].turn is not None, items[-1].text
    return items[-1]


def upcoming(fhir: FhirClient) -> set[str]:
    return {a.reference for a in SchedulingClient(fhir, clock=frozen).upcoming(JOSUE_SANDBOX_ID)}


def test_book_with_buttons_after_confirming_then_cancel_from_my_record(
    booking_app: AppTest, fhir: FhirClient
) -> None:
    at = booking_app
    before = upcoming(fhir)

    at.chat_input[0].set_value("I would like to book an appointment with a GP").run()
    offer = last_turn(at).turn
    assert offer is not None and isinstance(offer.actions[0], OfferSlots)
    slot_buttons = [b for b in at.button if b.label.startswith("1. ")]
    assert len(slot_buttons) == 1
    chosen = offer.actions[0].slots[0]

    slot_buttons[0].click().run()
    assert not at.exception, at.exception
    confirm = last_turn(at).turn
    assert confirm is not None and isinstance(confirm.actions[0], ConfirmBooking)
    assert confirm.actions[0].slot is not None and confirm.actions[0].slot.id == chosen.id
    assert upcoming(fhir) == before  # choosing a slot books nothing
    assert [b.label for b in at.button if b.label in ("Yes, confirm", "No, cancel")] == [
        "Yes, confirm",
        "No, cancel",
    ]

    next(b for b in at.button if b.label == "Yes, confirm").click().run()
    booked = last_turn(at).turn
    assert booked is not None and isinstance(booked.actions[0], Booked)
    appointment = booked.actions[0].appointment
    assert appointment in upcoming(fhir) - before
    assert any("Booked:" in s.value for s in at.success)

    # Cancel from "My record": the button opens the chat with the request; nothing changes before "yes".
    at.radio(key="page").set_value("record").run()
    cancels = [b for b in at.button if b.label == "Cancel"]
    assert len(cancels) == len(upcoming(fhir)) >= 1
    listed = harness.client().appointments(JOSUE_SANDBOX_ID) or []
    row = next(i for i, a in enumerate(listed) if a.ref == appointment)
    next(b for b in cancels if b.key == f"appt{row}-cancel").click().run()
    assert at.session_state["page"] == "chat"
    ask = last_turn(at).turn
    assert ask is not None and isinstance(ask.actions[0], ConfirmBooking)
    assert ask.actions[0].operation == "cancel" and ask.actions[0].appointment == appointment
    assert appointment in upcoming(fhir)

    next(b for b in at.button if b.label == "Yes, confirm").click().run()
    done = last_turn(at).turn
    assert done is not None and isinstance(done.actions[0], Cancelled)
    assert appointment not in upcoming(fhir)
