"""The demo clinic's SMART authorization server and the FHIR base that enforces its tokens, for real:
sign-in with PKCE, patient context, the parent's patient picker, refresh, revocation, and every kind of
token that must be refused (expired, revoked, other audience, other issuer, tampered, no verifier)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import jwt
import pytest

from fhir_client import FhirClient
from fhir_client.auth import SmartPatientLaunch, pkce_challenge
from fhir_client.consent import ConsentClient, ConsentPurpose
from fhir_client.errors import FhirAuthError, FhirForbidden, SmartAuthError
from fhir_client.scheduling import BookingFailed, SchedulingClient, SlotQuery
from sandbox import Sandbox
from sandbox.signin import (
    APP_CLIENT_ID,
    CALLBACK,
    PATIENT_SCOPES,
    SignInFailed,
    authorize_in_browser,
    sign_in,
)
from tests.clocks import frozen, real_seconds
from tests.smart.conftest import DAISEY, EMERY, FIDEL, JOSUE, LIZ, LUIGI, LUPE

pytestmark = pytest.mark.integration


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}


def claims(token: str) -> dict[str, Any]:
    decoded: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return decoded


def status(sb: Sandbox, path: str, token: str | None) -> int:
    headers = bearer(token) if token is not None else {}
    return httpx.get(f"{sb.base_url}/{path}", headers=headers, timeout=30).status_code


def test_smart_configuration_and_capability_statement(smart_clinic: Sandbox) -> None:
    config = httpx.get(f"{smart_clinic.base_url}/.well-known/smart-configuration", timeout=30).json()
    assert config["issuer"] == smart_clinic.issuer
    assert config["code_challenge_methods_supported"] == ["S256"]
    for key in ("authorization_endpoint", "token_endpoint", "revocation_endpoint", "jwks_uri"):
        assert config[key].startswith(smart_clinic.issuer)
    assert {"launch-standalone", "context-standalone-patient", "permission-v2", "permission-offline"} <= set(
        config["capabilities"]
    )
    security = httpx.get(f"{smart_clinic.base_url}/metadata", timeout=30).json()["rest"][0]["security"]
    assert security["service"][0]["coding"][0]["code"] == "SMART-on-FHIR"
    uris = {e["url"]: e["valueUri"] for e in security["extension"][0]["extension"]}
    assert uris["token"] == config["token_endpoint"]


def test_a_patient_signs_in_and_gets_a_token_bound_to_their_record(smart_clinic: Sandbox) -> None:
    token = sign_in(smart_clinic.base_url, "josue", "josue-demo", clock=real_seconds)
    assert token.patient == JOSUE and token.refresh_token and token.id_token
    header = jwt.get_unverified_header(token.access_token)
    assert header["alg"] == "ES256" and header["typ"] == "at+jwt"
    # The signature verifies against the server's JWKS, with this FHIR base as the audience.
    key = jwt.PyJWKClient(smart_clinic.jwks_url).get_signing_key_from_jwt(token.access_token)
    verified = jwt.decode(
        token.access_token,
        key.key,
        algorithms=["ES256"],
        audience=smart_clinic.base_url,
        issuer=smart_clinic.issuer,
    )
    assert verified["patient"] == JOSUE
    assert verified["fhirUser"] == f"{smart_clinic.base_url}/Patient/{JOSUE}"
    assert "patient/*.rs" in verified["scope"].split()
    assert claims(token.id_token)["fhirUser"] == f"{smart_clinic.base_url}/Patient/{JOSUE}"
    assert status(smart_clinic, f"Patient/{JOSUE}", token.access_token) == 200
    assert status(smart_clinic, f"Patient/{LIZ}", token.access_token) == 403
    assert status(smart_clinic, f"Patient/{JOSUE}", None) == 401


def test_wrong_passwords_and_unknown_accounts_are_refused(smart_clinic: Sandbox) -> None:
    for user, password in (
        ("josue", "emery-demo"),
        ("josue", ""),
        ("nobody", "nobody-demo"),
        ("JOSUE ", "x"),
    ):
        with pytest.raises(SignInFailed, match="refused"):
            sign_in(smart_clinic.base_url, user, password, clock=real_seconds)


def test_a_parent_picks_one_child_and_the_token_names_that_child(smart_clinic: Sandbox) -> None:
    for child, rp in ((LUIGI, "rp-alex-martin-luigi"), (DAISEY, "rp-alex-martin-daisey")):
        token = sign_in(smart_clinic.base_url, "alex", "alex-demo", patient=child, clock=real_seconds)
        assert token.patient == child
        assert claims(token.access_token)["fhirUser"] == f"{smart_clinic.base_url}/RelatedPerson/{rp}"
        other = DAISEY if child == LUIGI else LUIGI
        assert status(smart_clinic, f"Patient/{child}", token.access_token) == 200
        assert status(smart_clinic, f"Patient/{other}", token.access_token) == 403
        assert status(smart_clinic, f"RelatedPerson/{rp}", token.access_token) == 200
    # The picker offers only the linked children: a patient the parent is not linked to cannot be picked.
    with pytest.raises(SignInFailed, match="not offered"):
        sign_in(smart_clinic.base_url, "alex", "alex-demo", patient=JOSUE, clock=real_seconds)


def test_saying_no_on_the_consent_page_sends_access_denied(launch: SmartPatientLaunch) -> None:
    request = launch.authorization_url(list(PATIENT_SCOPES))
    back = authorize_in_browser(request, "emery", "emery-demo", approve=False)
    assert back.params["error"] == "access_denied" and "code" not in back.params
    assert back.params["state"] == request.state


def _authorize_raw(sb: Sandbox, **params: str) -> httpx.Response:
    query = {
        "response_type": "code",
        "client_id": APP_CLIENT_ID,
        "redirect_uri": CALLBACK,
        "scope": " ".join(PATIENT_SCOPES),
        "state": "s-1",
        "aud": sb.base_url,
        **params,
    }
    query = {k: v for k, v in query.items() if v != ""}
    return httpx.get(f"{sb.issuer}/authorize", params=query, timeout=30)


def test_pkce_s256_is_required_and_the_verifier_must_match(
    smart_clinic: Sandbox, launch: SmartPatientLaunch
) -> None:
    # No code challenge, or the "plain" method: refused before any sign-in.
    for extra in ({}, {"code_challenge": "a" * 43, "code_challenge_method": "plain"}):
        answer = _authorize_raw(smart_clinic, **extra)
        where = answer.headers.get("location", "") + answer.text
        assert answer.status_code in (303, 400) and "invalid_request" in where, where[:300]
    # A code obtained with PKCE cannot be swapped without its verifier, or with another one.
    token_url = launch.discover().token_endpoint
    for verifier in (None, "x" * 64, pkce_challenge("x" * 64)):
        request = launch.authorization_url(list(PATIENT_SCOPES))
        back = authorize_in_browser(request, "lupe", "lupe-demo")
        form = {
            "grant_type": "authorization_code",
            "code": back.params["code"],
            "redirect_uri": CALLBACK,
            "client_id": APP_CLIENT_ID,
        }
        if verifier is not None:
            form["code_verifier"] = verifier
        answer = httpx.post(token_url, data=form, timeout=30)
        assert answer.status_code == 400 and answer.json()["error"] in ("invalid_grant", "invalid_request")
        assert "access_token" not in answer.text
    # And the right verifier works, once.
    request = launch.authorization_url(list(PATIENT_SCOPES))
    back = authorize_in_browser(request, "lupe", "lupe-demo")
    assert launch.exchange_code(back.params["code"], back.params["state"]).patient == LUPE


def test_the_aud_parameter_must_name_this_fhir_base(smart_clinic: Sandbox) -> None:
    verifier = "v" * 64
    pkce = {"code_challenge": pkce_challenge(verifier), "code_challenge_method": "S256"}
    for aud in ("", "https://evil.example/fhir", smart_clinic.base_url + "/other"):
        answer = _authorize_raw(smart_clinic, aud=aud, **pkce)
        where = answer.headers.get("location", "") + answer.text
        assert "invalid_request" in where and "code=" not in answer.headers.get("location", ""), where[:300]


def test_refresh_rotates_the_token_and_reusing_an_old_one_revokes_the_sign_in(
    smart_clinic: Sandbox, launch: SmartPatientLaunch
) -> None:
    first = sign_in(smart_clinic.base_url, "fidel", "fidel-demo", launch=launch)
    second = launch.refresh(first)
    assert second.patient == FIDEL and second.refresh_token != first.refresh_token
    assert second.access_token != first.access_token
    assert status(smart_clinic, f"Patient/{FIDEL}", second.access_token) == 200
    # A stolen, already used refresh token: the server revokes the whole sign-in.
    with pytest.raises(SmartAuthError, match="invalid_grant"):
        launch.refresh(first.refresh_token or "")
    assert status(smart_clinic, f"Patient/{FIDEL}", second.access_token) == 401
    with pytest.raises(SmartAuthError):
        launch.refresh(second)


def test_revoking_the_sign_in_stops_every_token_at_once(
    smart_clinic: Sandbox, launch: SmartPatientLaunch
) -> None:
    token = sign_in(smart_clinic.base_url, "emery", "emery-demo", launch=launch)
    with FhirClient(smart_clinic.base_url, token=token.access_token) as fhir:
        assert fhir.read("Patient", EMERY).resource is not None
        launch.revoke(token)
        with pytest.raises(FhirAuthError):
            fhir.read("Patient", EMERY)
    answer = httpx.get(
        f"{smart_clinic.base_url}/Patient/{EMERY}", headers=bearer(token.access_token), timeout=30
    )
    assert answer.status_code == 401 and "revoked" in answer.headers["www-authenticate"]
    with pytest.raises(SmartAuthError):
        launch.refresh(token)


def test_expired_access_tokens_are_refused_and_refresh_gets_a_new_one() -> None:
    with (
        Sandbox(port=0, auth=True, access_token_ttl=1) as sb,
        SmartPatientLaunch(
            sb.base_url, APP_CLIENT_ID, redirect_uri=CALLBACK, refresh_margin=0, clock=real_seconds
        ) as launch,
    ):
        token = sign_in(sb.base_url, "josue", "josue-demo", launch=launch)
        assert claims(token.access_token)["exp"] - claims(token.access_token)["iat"] == 1
        deadline = time.monotonic() + 10
        code = status(sb, f"Patient/{JOSUE}", token.access_token)
        while code == 200 and time.monotonic() < deadline:  # bounded: the server's clock decides
            time.sleep(0.25)
            code = status(sb, f"Patient/{JOSUE}", token.access_token)
        answer = httpx.get(f"{sb.base_url}/Patient/{JOSUE}", headers=bearer(token.access_token), timeout=30)
        assert answer.status_code == 401 and "expired" in answer.headers["www-authenticate"]
        # The app's auth refreshes by itself on the 401 and the read goes through.
        with FhirClient(sb.base_url, auth=launch.auth(token)) as fhir:
            assert fhir.read("Patient", JOSUE).resource is not None


def _tamper(token: str, **changes: Any) -> str:
    head, _body, sig = token.split(".")
    payload = claims(token) | changes
    new_body = jwt.utils.base64url_encode(json.dumps(payload).encode()).decode()
    return f"{head}.{new_body}.{sig}"


def test_tampered_foreign_and_misused_tokens_are_refused(smart_clinic: Sandbox) -> None:
    token = sign_in(smart_clinic.base_url, "liz", "liz-demo", clock=real_seconds)
    own = f"Patient/{LIZ}"
    assert status(smart_clinic, own, token.access_token) == 200
    head, body, sig = token.access_token.split(".")
    refused = {
        "patient claim changed": _tamper(token.access_token, patient=JOSUE),
        "scope widened": _tamper(token.access_token, scope="system/*.cruds"),
        "expiry pushed back": _tamper(token.access_token, exp=2**40),
        "audience changed": _tamper(token.access_token, aud="https://evil.example"),
        "signature altered": f"{head}.{body}.{sig[:-4]}AAAA",
        "signature removed": f"{head}.{body}.",
        "alg none": jwt.encode({**claims(token.access_token)}, None, algorithm="none"),
        "HS256 with the public key": jwt.encode(claims(token.access_token), "k" * 32, algorithm="HS256"),
        "id token as access token (audience is the app)": str(token.id_token),
        "not a JWT": "hat_123_abc",
    }
    with Sandbox(port=0, auth=True, synthea_dir=None) as other:  # another server: other keys, other issuer
        other_token = other.system_auth(clock=real_seconds)
        with FhirClient(other.base_url, auth=other_token) as fhir:
            fhir.capabilities()
        refused["another server's token"] = other_token._token.access_token if other_token._token else "x"
    for why, bad in refused.items():
        answer = httpx.get(f"{smart_clinic.base_url}/{own}", headers=bearer(bad), timeout=30)
        assert answer.status_code == 401, why
        assert 'error="invalid_token"' in answer.headers["www-authenticate"], why
    for header in (
        "Basic bGl6Omxpeg==",
        "Bearer",
        f"Token {token.access_token}",
        f"Bearer {token.access_token}x",
    ):
        answer = httpx.get(f"{smart_clinic.base_url}/{own}", headers={"Authorization": header}, timeout=30)
        assert answer.status_code == 401, header


def test_the_system_client_books_and_patient_tokens_cannot_write_scheduling(
    smart_clinic: Sandbox, clinic: FhirClient
) -> None:
    slot = SchedulingClient(clinic, clock=frozen).find_slots(SlotQuery(limit=1))[0]
    patient = sign_in(smart_clinic.base_url, "lupe", "lupe-demo", clock=real_seconds)
    with FhirClient(smart_clinic.base_url, token=patient.access_token) as own:
        assert SchedulingClient(own, clock=frozen).find_slots(SlotQuery(limit=1))  # free slots are readable
        with pytest.raises(BookingFailed) as refused:
            SchedulingClient(own, clock=frozen).book(slot.id, LUPE, idempotency_key="patient-direct-1")
        assert isinstance(refused.value.__cause__, FhirForbidden)  # the FHIR base said 403
    assert clinic.read("Slot", slot.id.removeprefix("Slot/")).resource["status"] == "free"
    booked = SchedulingClient(clinic, clock=frozen).book(slot.id, LUPE, idempotency_key="system-1")
    with FhirClient(smart_clinic.base_url, token=patient.access_token) as own:
        mine = SchedulingClient(own, clock=frozen).upcoming(LUPE)
    assert booked.appointment_id in [a.reference.removeprefix("Appointment/") for a in mine]


def test_a_patient_token_writes_only_its_own_consent(smart_clinic: Sandbox) -> None:
    from datetime import UTC, datetime

    token = sign_in(smart_clinic.base_url, "fidel", "fidel-demo", clock=real_seconds)
    with FhirClient(smart_clinic.base_url, token=token.access_token) as fhir:
        store = ConsentClient(fhir)
        entry = store.record(
            FIDEL,
            ConsentPurpose.RECORD_ACCESS,
            decision="permit",
            recorded=datetime(2026, 12, 4, 10, 0, tzinfo=UTC),
            performer=f"Patient/{FIDEL}",
            recipient="Health assistant",
        )
        assert store.list(FIDEL)[0].reference == entry.reference
        assert store.withdraw(entry).status == "inactive"
        with pytest.raises(FhirForbidden):
            store.record(
                JOSUE,
                ConsentPurpose.RECORD_ACCESS,
                decision="permit",
                recorded=datetime(2026, 12, 4, 10, 0, tzinfo=UTC),
                performer=f"Patient/{FIDEL}",
                recipient="x",
            )


def test_without_auth_the_sandbox_is_open_as_before(sandbox: Sandbox) -> None:
    assert httpx.get(f"{sandbox.base_url}/.well-known/smart-configuration", timeout=30).status_code == 404
    assert httpx.get(f"{sandbox.base_url}/Patient/{JOSUE}", timeout=30).status_code == 200
    assert httpx.get(f"{sandbox.base_url}/RelatedPerson", timeout=30).json().get("total", 0) == 0
