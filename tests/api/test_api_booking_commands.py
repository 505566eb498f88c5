"""Booking buttons over HTTP: ``POST /v1/sessions/{id}/booking`` with structured commands (choose a slot,
confirm with the token, decline, cancel or move an appointment), against a private demo clinic seeded
for a frozen Friday afternoon, with the assistant's and the scheduling client's clocks frozen too.

The API is the real app (``create_app``) served by uvicorn; it is composed here rather than by
``build_api`` only so that every clock below it is the frozen one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from api import create_app
from api.auth import ApiTokenStore
from assistant.booking import BookingFlow, ChooseSlot, Confirm, Decline
from assistant.schemas import Booked, ConfirmBooking, OfferSlots
from assistant.service import AssistantService
from fhir_client import FhirClient, Search
from fhir_client.scheduling import SchedulingClient
from health_assistant.factory import build_guard, open_store
from health_assistant.sources import load_patient_source
from sandbox import Sandbox
from tests.api.conftest import LIZ, LiveApi, api_settings, run_uvicorn
from tests.api.jwks import Issuer
from tests.api.test_api_endpoints import assert_problem
from ui.backend import CommandRefused, HttpClient, SessionExpired

pytestmark = pytest.mark.integration
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 12, 4, 16, 0, tzinfo=PARIS)  # a Friday afternoon: "tomorrow" is a Saturday
FIDEL = "79dabd54-65a3-41b3-8975-e868bffce1e1"


def frozen() -> dt.datetime:
    return NOW


@pytest.fixture(scope="module")
def api(issuer: Issuer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveApi, Sandbox]]:
    with Sandbox(port=0, today=NOW.date().isoformat()) as clinic:
        settings = api_settings(clinic, tmp_path_factory.mktemp("commands-data"), issuer, now=NOW)
        fhir = FhirClient(clinic.base_url)
        scheduling = SchedulingClient(fhir, clock=frozen)
        service = AssistantService(
            store=open_store(settings),
            guard=build_guard(settings),
            load_record=lambda pid: load_patient_source(f"fhir:{pid}", fhir_url=clinic.base_url),
            booking_for=lambda pid: BookingFlow(
                scheduling, patient_id=pid, timezone="Europe/Paris", clock=frozen
            ),
            region="FR",
            timezone="Europe/Paris",
            clock=frozen,
        )
        app = create_app(settings, service=service, scheduling=scheduling)
        with run_uvicorn(app) as url:
            yield LiveApi(url, app, settings, ApiTokenStore(service.store.db), issuer), clinic
        fhir.close()


@pytest.fixture
def live(api: tuple[LiveApi, Sandbox]) -> LiveApi:
    return api[0]


def booked(clinic: Sandbox, patient: str) -> list[str]:
    with FhirClient(clinic.base_url) as fhir:
        found = fhir.iter(Search("Appointment").where(patient=f"Patient/{patient}", status="booked"))
        return [f"Appointment/{a['id']}" for a in found]


def action(turn: dict[str, Any], kind: str) -> dict[str, Any]:
    found = [a for a in turn["actions"] if a["kind"] == kind]
    assert len(found) == 1, turn
    return found[0]


def test_buttons_choose_confirm_replay_and_keep_or_cancel(api: tuple[LiveApi, Sandbox]) -> None:
    live, clinic = api
    with live.client(live.token(FIDEL)) as me:
        session = me.post("/v1/sessions", json={"language": "en"}).json()["session_id"]
        offer = me.post(f"/v1/sessions/{session}/messages", json={"text": "Can I see a GP tomorrow?"}).json()
        slots = action(offer, "offer_slots")["slots"]
        assert "no free slot on Saturday 5 December" in offer["text"] and len(slots) >= 2
        commands = f"/v1/sessions/{session}/booking"

        # A slot that was never offered, a confirm before any question: nothing happens.
        assert_problem(
            me.post(commands, json={"command": "choose_slot", "slot": "Slot/not-offered"}), 409, "not_pending"
        )
        assert_problem(
            me.post(commands, json={"command": "confirm", "token": "guess-1234"}), 409, "not_pending"
        )
        assert_problem(me.post(commands, json={"command": "confirm"}), 422, "validation_error")

        asked = me.post(commands, json={"command": "choose_slot", "slot": slots[1]["id"]})
        assert asked.status_code == 200, asked.text
        confirm = action(asked.json(), "confirm_booking")
        assert confirm["operation"] == "book" and confirm["slot"]["id"] == slots[1]["id"]
        assert booked(clinic, FIDEL) == []  # choosing is not booking

        assert_problem(
            me.post(commands, json={"command": "confirm", "token": "wrong-token-1"}), 409, "not_pending"
        )
        assert booked(clinic, FIDEL) == []
        done = me.post(commands, json={"command": "confirm", "token": confirm["token"]})
        assert done.status_code == 200, done.text
        appointment = action(done.json(), "booked")["appointment"]
        assert booked(clinic, FIDEL) == [appointment]
        # The same confirmation again (a double click, a retry): the same appointment, not a second one.
        again = me.post(commands, json={"command": "confirm", "token": confirm["token"]})
        assert action(again.json(), "booked")["appointment"] == appointment
        assert booked(clinic, FIDEL) == [appointment]

        # Cancelling asks "Cancel the appointment" / "Keep it"; Keep it keeps it.
        ask = me.post(commands, json={"command": "cancel_appointment", "appointment": appointment}).json()
        cancel = action(ask, "confirm_booking")
        assert cancel["operation"] == "cancel" and "“Keep it”" in ask["text"]
        kept = me.post(commands, json={"command": "decline", "token": cancel["token"]})
        assert kept.status_code == 200 and kept.json()["actions"] == [] and "kept" in kept.json()["text"]
        assert booked(clinic, FIDEL) == [appointment]
        assert_problem(
            me.post(commands, json={"command": "confirm", "token": cancel["token"]}), 409, "not_pending"
        )

        ask = me.post(commands, json={"command": "cancel_appointment", "appointment": appointment}).json()
        gone = me.post(
            commands, json={"command": "confirm", "token": action(ask, "confirm_booking")["token"]}
        )
        assert action(gone.json(), "cancelled")["appointment"] == appointment
        assert booked(clinic, FIDEL) == []

        unknown = me.post(commands, json={"command": "cancel_appointment", "appointment": "Appointment/nope"})
        assert_problem(unknown, 404, "appointment_not_found")


def test_the_history_keeps_what_each_button_said(live: LiveApi) -> None:
    with live.client(live.token(FIDEL)) as me:
        session = me.post("/v1/sessions", json={"language": "fr"}).json()["session_id"]
        offer = me.post(
            f"/v1/sessions/{session}/messages", json={"text": "un rendez-vous lundi matin"}
        ).json()
        slot = action(offer, "offer_slots")["slots"][0]
        turn = me.post(
            f"/v1/sessions/{session}/booking", json={"command": "choose_slot", "slot": slot["id"]}
        ).json()
        no = me.post(
            f"/v1/sessions/{session}/booking",
            json={"command": "decline", "token": action(turn, "confirm_booking")["token"]},
        ).json()
        assert no["actions"] == [] and "rien n'a été réservé" in no["text"].lower()
    user_turns = [t.text for t in live.service.store.history(session, FIDEL) if t.role == "user"]
    assert user_turns[1].startswith("Je prends le lundi 7 décembre")
    assert user_turns[2] == "Non, ne réservez pas"


def test_two_confirms_at_once_book_one_appointment(api: tuple[LiveApi, Sandbox]) -> None:
    live, clinic = api
    with live.client(live.token(LIZ)) as liz:
        session = liz.post("/v1/sessions", json={"language": "en"}).json()["session_id"]
        offer = liz.post(
            f"/v1/sessions/{session}/messages", json={"text": "a nurse appointment on Tuesday"}
        ).json()
        slot = action(offer, "offer_slots")["slots"][0]
        path = f"/v1/sessions/{session}/booking"
        token = action(
            liz.post(path, json={"command": "choose_slot", "slot": slot["id"]}).json(), "confirm_booking"
        )["token"]

        def confirm(_: int) -> httpx.Response:
            with live.client(live.token(LIZ)) as c:
                return c.post(path, json={"command": "confirm", "token": token})

        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(confirm, range(4)))
    made = {action(a.json(), "booked")["appointment"] for a in answers if a.status_code == 200}
    assert len(made) == 1 and all(a.status_code in (200, 409) for a in answers)
    assert booked(clinic, LIZ) == list(made)


def test_commands_are_bound_to_the_tokens_patient_and_need_the_write_scope(
    live: LiveApi, issuer: Issuer
) -> None:
    with live.client(live.token(FIDEL)) as fidel, live.client(live.token(LIZ)) as liz:
        session = fidel.post("/v1/sessions", json={"language": "en"}).json()["session_id"]
        offer = fidel.post(
            f"/v1/sessions/{session}/messages", json={"text": "a GP appointment on Monday"}
        ).json()
        slot = action(offer, "offer_slots")["slots"][0]
        other = liz.post(
            f"/v1/sessions/{session}/booking", json={"command": "choose_slot", "slot": slot["id"]}
        )
        assert_problem(other, 404, "session_not_found")
    read_only = issuer.mint(patient=FIDEL, scope="patient/*.read", now=NOW)  # the API's frozen clock
    with live.client(read_only) as viewer:
        refused = viewer.post(
            f"/v1/sessions/{session}/booking", json={"command": "choose_slot", "slot": slot["id"]}
        )
        assert_problem(refused, 403, "insufficient_scope")


def test_the_openapi_schema_documents_the_commands(live: LiveApi) -> None:
    schema = httpx.get(f"{live.url}/openapi.json").json()
    operation = schema["paths"]["/v1/sessions/{session_id}/booking"]["post"]
    assert {"200", "404", "409", "422"} <= set(operation["responses"])
    components = schema["components"]["schemas"]
    for name in ("ChooseSlot", "Confirm", "Decline", "CancelAppointment", "MoveAppointment"):
        assert "command" in components[name]["properties"], name


def test_the_patient_app_over_http_sends_the_same_commands(api: tuple[LiveApi, Sandbox]) -> None:
    live, clinic = api
    app = HttpClient(live.url, live.token(LIZ))
    try:
        session = app.new_session("me", "en")
        offer = app.send("me", session, "a GP appointment on Monday morning", "en")
        slot = next(a for a in offer.actions if isinstance(a, OfferSlots)).slots[0]
        asked = app.act("me", session, ChooseSlot(slot=slot.id), "en")
        token = next(a for a in asked.actions if isinstance(a, ConfirmBooking)).token
        with pytest.raises(CommandRefused):
            app.act("me", session, Confirm(token="not-the-token"), "en")
        done = app.act("me", session, Confirm(token=token), "en")
        appointment = next(a for a in done.actions if isinstance(a, Booked)).appointment
        assert appointment in booked(clinic, LIZ)
        with pytest.raises(SessionExpired):
            app.act("me", "no-such-session", Decline(), "en")
    finally:
        app.close()
