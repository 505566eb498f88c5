"""The clinic API with tokens from the demo clinic's own SMART server (verified against its JWKS): consent
before any record read (problem ``consent_required``, recorded as FHIR Consent at the clinic, audited),
a parent's token speaking about the child, revoked / expired / tampered / foreign tokens refused, the
remote-model consent, and hundreds of attempts with a patient's token to reach another patient."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import jwt
import pytest
from fastapi import FastAPI

from fhir_client import FhirClient
from fhir_client.auth import SmartPatientLaunch
from health_assistant.asgi import build_api
from health_assistant.settings import Settings
from sandbox import Sandbox
from sandbox.attacks import VictimFacts
from sandbox.attacks import leaks as victim_leaks
from sandbox.signin import APP_CLIENT_ID, CALLBACK, sign_in
from tests.api.conftest import run_uvicorn
from tests.api.test_api_isolation import INJECTIONS, all_attempts, leaks
from tests.clocks import real_seconds
from tests.smart.conftest import EMERY, LIZ, LUIGI

pytestmark = pytest.mark.integration


@dataclass
class SmartApi:
    url: str
    app: FastAPI
    clinic: Sandbox

    def client(self, token: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=120)


def settings_for(sb: Sandbox, data_dir: Path, **overrides: object) -> Settings:
    assert sb.system_key is not None
    key_file = data_dir / "clinic-system.pem"
    key_file.write_bytes(sb.system_key.as_pem(private=True))
    values: dict[str, object] = {
        "fhir_url": sb.base_url,
        "fhir_system_client_id": "clinic-system",
        "fhir_system_key_file": key_file,
        "data_dir": data_dir,
        "smart_issuer": sb.issuer,
        "smart_jwks_url": sb.jwks_url,
        "smart_audience": sb.base_url,
        "api_rate_limit_per_minute": 60_000,
        "api_rate_limit_burst": 10_000,
        "locale": "en-US",
        # The clinic's authorization server dates tokens and assertions by the real clock, so an API
        # talking to it runs on the real clock too (not the tests' frozen NOW).
        "now": None,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def api_clinic() -> Iterator[Sandbox]:
    """A private clinic: these tests record and withdraw consents and revoke sign-ins."""
    with Sandbox(port=0, auth=True) as sb:
        yield sb


@pytest.fixture(scope="module")
def smart_api(api_clinic: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmartApi]:
    app = build_api(settings_for(api_clinic, tmp_path_factory.mktemp("smart-api")))
    with run_uvicorn(app) as url:
        yield SmartApi(url, app, api_clinic)


def problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    body: dict[str, object] = response.json()
    assert body["code"] == code, body
    return body


def grant(client: httpx.Client) -> None:
    answer = client.post("/v1/consents", json={"purpose": "record-access", "decision": "permit"})
    assert answer.status_code == 201 and answer.json()["record_access"] == "granted", answer.text


def test_consent_is_asked_before_the_record_is_read_and_withdrawal_stops_it(smart_api: SmartApi) -> None:
    token = sign_in(smart_api.clinic.base_url, "emery", "emery-demo", clock=real_seconds)
    with smart_api.client(token.access_token) as client:
        assert (
            problem(client.get("/v1/record/summary"), 403, "consent_required")["purpose"] == "record-access"
        )
        assert problem(client.post("/v1/sessions", json={}), 403, "consent_required")
        refused = client.post("/v1/consents", json={"purpose": "record-access", "decision": "deny"})
        assert refused.json()["record_access"] == "refused"
        problem(client.get("/v1/record/summary"), 403, "consent_required")

        grant(client)
        overview = client.get("/v1/consents").json()
        active = [c for c in overview["consents"] if c["status"] == "active"]
        assert [(c["purpose"], c["decision"], c["performer"]) for c in active] == [
            ("record-access", "permit", f"Patient/{EMERY}")
        ]
        assert overview["remote_llm_needed"] is False
        assert client.get("/v1/record/summary").json()["patient"]["resource"] == f"Patient/{EMERY}"
        session = client.post("/v1/sessions", json={}).json()["session_id"]
        turn = client.post(f"/v1/sessions/{session}/messages", json={"text": "what was my last A1c?"})
        assert turn.status_code == 200 and turn.json()["citations"]

        # Withdrawn: the next read and the next turn stop, and the conversations stay the patient's.
        assert client.delete("/v1/consents/record-access").json()["record_access"] == "missing"
        problem(client.get("/v1/record/summary"), 403, "consent_required")
        problem(
            client.post(f"/v1/sessions/{session}/messages", json={"text": "and my weight?"}),
            403,
            "consent_required",
        )
        assert client.get("/v1/sessions").status_code == 200

    # The consents are FHIR Consents on the clinic's server; every decision is in the audit log.
    with FhirClient(
        smart_api.clinic.base_url, auth=smart_api.clinic.system_auth(clock=real_seconds)
    ) as clinic:
        stored = clinic.search_all("Consent", patient=f"Patient/{EMERY}").resources
    assert {(c["provision"]["type"], c["status"]) for c in stored} == {
        ("deny", "inactive"),
        ("permit", "inactive"),
    }
    audit = smart_api.app.state.api.service.store.audit
    actions = [e.action for e in audit.query(EMERY) if e.action.startswith("consent.")]
    assert {"consent.required", "consent.refuse", "consent.grant", "consent.withdraw"} <= set(actions)


def test_a_parents_token_speaks_about_the_child(smart_api: SmartApi) -> None:
    token = sign_in(smart_api.clinic.base_url, "alex", "alex-demo", patient=LUIGI, clock=real_seconds)
    with smart_api.client(token.access_token) as client:
        grant(client)
        consent = client.get("/v1/consents").json()["consents"][0]
        assert consent["performer"] == "RelatedPerson/rp-alex-martin-luigi"
        assert client.get("/v1/record/summary").json()["patient"]["resource"] == f"Patient/{LUIGI}"
        session = client.post("/v1/sessions", json={}).json()["session_id"]
        turn = client.post(
            f"/v1/sessions/{session}/messages", json={"text": "what vaccines are recorded?"}
        ).json()
        assert "your child's record" in turn["text"].lower()
        assert all(
            c["resource"].split("/")[0] != "Patient" or c["resource"] == f"Patient/{LUIGI}"
            for c in turn["citations"]
        )


def test_revoked_expired_tampered_and_foreign_tokens_are_refused(smart_api: SmartApi) -> None:
    sb = smart_api.clinic
    with SmartPatientLaunch(sb.base_url, APP_CLIENT_ID, redirect_uri=CALLBACK, clock=real_seconds) as launch:
        token = sign_in(sb.base_url, "liz", "liz-demo", launch=launch)
        with smart_api.client(token.access_token) as client:
            grant(client)
            assert client.get("/v1/record/summary").status_code == 200
            launch.revoke(token)  # "Disconnect": the signature still verifies, the clinic says no
            assert "no longer accepts" in str(
                problem(client.get("/v1/record/summary"), 401, "invalid_token")["detail"]
            )
            problem(client.get("/v1/sessions"), 401, "invalid_token")
    fresh = sign_in(sb.base_url, "josue", "josue-demo", clock=real_seconds)
    head, body, sig = fresh.access_token.split(".")
    claims = jwt.decode(fresh.access_token, options={"verify_signature": False})
    forged_body = jwt.utils.base64url_encode(json.dumps({**claims, "patient": LIZ}).encode()).decode()
    with Sandbox(port=0, auth=True, synthea_dir=None) as other:
        foreign = sign_in_system_token(other)
    refused = {
        "patient claim changed": f"{head}.{forged_body}.{sig}",
        "signature altered": f"{head}.{body}.{sig[:-4]}AAAA",
        "id token (audience: the app)": str(fresh.id_token),
        "another server's token": foreign,
        "alg none": jwt.encode({**claims, "patient": LIZ}, None, algorithm="none"),
    }
    for why, bad in refused.items():
        with smart_api.client(bad) as client:
            assert client.get("/v1/record/summary").status_code == 401, why


def sign_in_system_token(sb: Sandbox) -> str:
    """A valid token of another server (its system client's), obtained as its client would."""
    auth = sb.system_auth(clock=real_seconds)
    with FhirClient(sb.base_url, auth=auth) as fhir:
        fhir.search_all("Organization", _count=1)
    assert auth._token is not None
    return auth._token.access_token


def test_expired_tokens_are_refused_by_the_api(tmp_path: Path) -> None:

    # 5 s: long enough to record the consent under load, short enough to wait out.
    with Sandbox(port=0, auth=True, access_token_ttl=5) as sb:
        app = build_api(settings_for(sb, tmp_path))
        with run_uvicorn(app) as url:
            token = sign_in(sb.base_url, "lupe", "lupe-demo", clock=real_seconds)
            api = SmartApi(url, app, sb)
            with api.client(token.access_token) as client:
                grant(client)
                deadline = time.monotonic() + 15
                code = client.get("/v1/consents").status_code
                while code == 200 and time.monotonic() < deadline:  # bounded; the clinic's clock decides
                    time.sleep(0.25)
                    code = client.get("/v1/consents").status_code
                problem(client.get("/v1/record/summary"), 401, "invalid_token")


def test_a_remote_model_needs_its_own_consent_and_no_means_offline(
    api_clinic: Sandbox, tmp_path: Path
) -> None:
    settings = settings_for(
        api_clinic, tmp_path, llm_base_url="https://llm.example.invalid/v1", llm_model="remote-model"
    )
    app = build_api(settings)
    with run_uvicorn(app) as url:
        api = SmartApi(url, app, api_clinic)
        token = sign_in(api_clinic.base_url, "lupe", "lupe-demo", clock=real_seconds)
        with api.client(token.access_token) as client:
            grant(client)
            assert client.get("/v1/consents").json()["remote_llm_needed"] is True
            assert client.get("/v1/record/summary").status_code == 200  # reading needs no model consent
            body = problem(client.post("/v1/sessions", json={}), 403, "consent_required")
            assert body["purpose"] == "remote-llm"
            said_no = client.post("/v1/consents", json={"purpose": "remote-llm", "decision": "deny"})
            assert said_no.json()["remote_llm"] == "refused"
            session = client.post("/v1/sessions", json={}).json()["session_id"]
            turn = client.post(f"/v1/sessions/{session}/messages", json={"text": "what allergies do I have?"})
            assert turn.status_code == 200 and turn.json()["safety"]["backend"] == "offline"


def test_no_patient_token_reaches_another_patient_through_the_api(smart_api: SmartApi) -> None:
    sb = smart_api.clinic
    liz = sign_in(sb.base_url, "liz", "liz-demo", clock=real_seconds)
    with smart_api.client(liz.access_token) as victim:
        grant(victim)
        b_sessions = [victim.post("/v1/sessions", json={}).json()["session_id"] for _ in range(3)]
        victim.post(f"/v1/sessions/{b_sessions[0]}/messages", json={"text": "what is my blood pressure?"})
    with FhirClient(sb.base_url, auth=sb.system_auth(clock=real_seconds)) as clinic:
        facts = VictimFacts.gather(clinic, LIZ)
    failures: list[str] = []
    count = 0
    for user, picked in (("fidel", None), ("alex", LUIGI)):
        token = sign_in(sb.base_url, user, f"{user}-demo", patient=picked, clock=real_seconds)
        with smart_api.client(token.access_token) as attacker:
            grant(attacker)
            session = attacker.post("/v1/sessions", json={}).json()["session_id"]
            attempts = all_attempts(b_sessions)
            for text in INJECTIONS:
                attempts.append(("POST", f"/v1/sessions/{session}/messages", {"text": text}, None))
            attempts.append(("GET", "/v1/record/search", None, {"q": "Liz Conn blood pressure"}))
            for method, path, body, params in attempts:
                response = attacker.request(method, path, json=body, params=params)
                sent = f"{path} {json.dumps(body)} {json.dumps(params)}"
                found = leaks(response, sent=sent) + [
                    m for m in victim_leaks(response.text, facts) if m not in sent
                ]
                allowed = response.status_code in (200, 201, 204, 400, 403, 404, 405, 422, 503)
                if found or not allowed:
                    failures.append(f"{user}: {method} {path} {params} -> {response.status_code} {found[:3]}")
                count += 1
    with smart_api.client(liz.access_token) as victim:
        still = {s["session_id"] for s in victim.get("/v1/sessions").json()["sessions"]}
    assert set(b_sessions) <= still
    assert count >= 200, count
    assert failures == [], failures[:10]
