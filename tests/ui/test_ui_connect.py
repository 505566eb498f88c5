"""'Connect my health record' in the app, headless (AppTest), against the demo clinic's real SMART server.

The clinic's pages are driven over HTTP the way a browser would (``sandbox.signin``); the redirect back
to the app is the AppTest run with the same query parameters (``code``, ``state``, ``iss``). The real
browser version of this flow is in ``test_ui_connect_browser.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from assistant.guardrails import Guard
from assistant.service import AssistantService
from assistant.store import SessionStore, sqlite_url
from fhir_client import FhirClient, load_patient_from_server
from fhir_client.auth import AuthorizationRequest
from sandbox import Sandbox
from sandbox.signin import CALLBACK, authorize_in_browser
from tests.clocks import NOW, real_seconds
from tests.ui import harness
from tests.ui.conftest import SCRIPT
from tests.ui.test_ui_app import history, send
from ui.backend import DemoPatient, InProcessClient, UploadedRecords
from ui.connect import Clinic, Connections, launch_with
from ui.i18n import t

pytestmark = pytest.mark.integration
JOSUE = "7d27f180-98d6-456d-98c0-d91df32cd023"
LUIGI = "e27d88b0-c5e5-4042-ad49-184f6a900ee3"


@pytest.fixture(scope="module")
def clinic() -> Iterator[Sandbox]:
    with Sandbox(port=0, auth=True) as sb:
        yield sb


@pytest.fixture
def connected_client(clinic: Sandbox, tmp_path: Path) -> Iterator[InProcessClient]:
    def demo_loader(patient_id: str):  # type: ignore[no-untyped-def]
        with FhirClient(clinic.base_url, auth=clinic.system_auth(clock=real_seconds)) as fhir:
            return load_patient_from_server(fhir, patient_id)

    store = SessionStore(sqlite_url(tmp_path), clock=lambda: NOW)
    uploads = UploadedRecords(demo_loader)
    service = AssistantService(
        store=store, guard=Guard.default(region="FR"), load_record=uploads.load, clock=lambda: NOW
    )
    connections = Connections(
        [Clinic("lilas", "Maison de santé des Lilas", clinic.base_url)],
        CALLBACK,
        launch_factory=launch_with(real_seconds),
    )
    client = InProcessClient(
        service,
        uploads=uploads,
        demo_patients=[DemoPatient(JOSUE, "Josue Sipes")],
        default_patient=JOSUE,
        connections=connections,
    )
    harness.use(client)
    yield client
    store.close()


def sign_in_at_clinic(client: InProcessClient, user: str, *, patient: str | None = None) -> dict[str, str]:
    """What the clinic sends the browser back with, after signing in and allowing."""
    url = client.connect_url("lilas", "en")
    state = parse_qs(urlsplit(url).query)["state"][0]
    back = authorize_in_browser(
        AuthorizationRequest(url, state, "", CALLBACK), user, f"{user}-demo", patient=patient
    )
    return back.params


def returning(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def test_a_parent_connects_a_childs_record_consents_chats_and_disconnects(
    connected_client: InProcessClient, clinic: Sandbox
) -> None:
    at = returning(sign_in_at_clinic(connected_client, "alex", patient=LUIGI))
    assert at.session_state["patient"] == LUIGI
    assert "code" not in at.query_params and "state" not in at.query_params  # the address is tidied
    assert t("proxy_banner", "en", name="Luigi Wiegand", clinic="Maison de santé des Lilas") in [
        i.value for i in at.info
    ]
    # Nothing is read before the first yes: the consent request stands in for the chat.
    assert t("consent_record_title", "en") in subheaders(at)
    assert not at.chat_input
    assert connected_client.service.store.list_sessions(LUIGI) == []

    at.button(key="consent-record-access-yes").click().run()
    assert at.chat_input
    send(at, "what vaccines are recorded?")
    reply = history(at)[-1].turn
    assert reply is not None and "your child's record" in reply.text.lower()
    connection = connected_client.connections.get(LUIGI) if connected_client.connections else None
    assert connection is not None and connection.holder.reference == "RelatedPerson/rp-alex-martin-luigi"

    # My data: the consent is listed; withdrawing it makes the chat ask again.
    at.radio(key="page").set_value("data").run()
    assert any("may read this record" in m.value for m in at.markdown)
    at.button(key="withdraw-record-access").click().run()
    at.radio(key="page").set_value("chat").run()
    assert t("consent_record_title", "en") in subheaders(at)

    # Disconnect: the sign-in is revoked at the clinic and what the app kept is deleted.
    token = connection.token.access_token
    assert (
        httpx.get(
            f"{clinic.base_url}/Patient/{LUIGI}", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 200
    )
    at.radio(key="page").set_value("data").run()
    at.checkbox(key="disconnect_sure").check().run()
    at.button(key="disconnect").click().run()
    assert any("the clinic no longer accepts this sign-in" in s.value for s in at.success)
    assert (
        httpx.get(
            f"{clinic.base_url}/Patient/{LUIGI}", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 401
    )
    assert connected_client.service.store.list_sessions(LUIGI) == []
    assert connected_client.connection(LUIGI) is None
    assert at.session_state["patient"] == JOSUE  # back to the demo record


def test_saying_no_at_the_clinic_connects_nothing(connected_client: InProcessClient) -> None:
    url = connected_client.connect_url("lilas", "en")
    state = parse_qs(urlsplit(url).query)["state"][0]
    back = authorize_in_browser(
        AuthorizationRequest(url, state, "", CALLBACK), "josue", "josue-demo", approve=False
    )
    at = returning(back.params)
    assert at.session_state["patient"] == JOSUE and connected_client.connection(JOSUE) is None
    at.radio(key="page").set_value("data").run()
    assert any("did not connect your record" in w.value for w in at.warning)


def test_a_forged_or_replayed_return_is_refused(connected_client: InProcessClient) -> None:
    params = sign_in_at_clinic(connected_client, "josue")
    first = returning(params)
    assert first.session_state["patient"] == JOSUE and connected_client.connection(JOSUE) is not None
    connected_client.disconnect(JOSUE)
    replay = returning(params)  # the same code and state again
    assert connected_client.connection(JOSUE) is None
    replay.radio(key="page").set_value("data").run()
    assert any("does not match a sign-in started here" in w.value for w in replay.warning)
