"""Every endpoint over real HTTP: the app under uvicorn, records from the sandbox FHIR server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.schemas import Turn
from tests.api.conftest import EMERY, LIZ, LiveApi, wait_ready

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"


def bundle_resources(patient: str) -> list[dict[str, Any]]:
    path = next(DATA.glob(f"*_{patient}.json"))
    return [e["resource"] for e in json.loads(path.read_text(encoding="utf-8"))["entry"]]


def refs_of(patient: str) -> set[str]:
    return {f"{r['resourceType']}/{r['id']}" for r in bundle_resources(patient)}


def a1c_observations(patient: str) -> list[dict[str, Any]]:
    return sorted(
        (
            r
            for r in bundle_resources(patient)
            if r["resourceType"] == "Observation"
            and any(c.get("code") == "4548-4" for c in r["code"]["coding"])
        ),
        key=lambda o: o["effectiveDateTime"],
    )


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["code"] == code
    assert body["type"].endswith("/" + code)
    assert body["title"] and body["detail"]
    return body


def sse_events(response: httpx.Response) -> list[tuple[str, str]]:
    events: list[tuple[str, str]] = []
    for block in response.text.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
        if data:
            events.append((name, "\n".join(data)))
    return events


# -- sessions and messages ----------------------------------------------------------------------------


def test_conversation_lifecycle(emery: httpx.Client, live_api: LiveApi) -> None:
    created = emery.post("/v1/sessions", json={"language": "en"})
    assert created.status_code == 201
    session_id = created.json()["session_id"]
    assert created.json()["language"] == "en"

    gold = a1c_observations(EMERY)[-1]
    reply = emery.post(
        f"/v1/sessions/{session_id}/messages", json={"text": "what was my last A1c?", "language": "en"}
    )
    assert reply.status_code == 200, reply.text
    turn = Turn.model_validate(reply.json())
    assert turn.session_id == session_id
    assert turn.citations and turn.citations[0].resource == f"Observation/{gold['id']}"
    assert f"{round(gold['valueQuantity']['value'], 2)} %" in turn.text

    listed = emery.get("/v1/sessions").json()["sessions"]
    mine = next(s for s in listed if s["session_id"] == session_id)
    assert mine["turn_count"] == 2 and mine["language"] == "en"

    # The conversation as it was shown (the patient app reopens it after a reload).
    transcript = emery.get(f"/v1/sessions/{session_id}/messages")
    assert transcript.status_code == 200, transcript.text
    messages = transcript.json()["messages"]
    assert [(m["role"], m["text"]) for m in messages] == [
        ("user", "what was my last A1c?"),
        ("assistant", turn.text),
    ]
    assert messages[0]["turn"] is None and Turn.model_validate(messages[1]["turn"]) == turn

    assert emery.delete(f"/v1/sessions/{session_id}").status_code == 204
    assert session_id not in [s["session_id"] for s in emery.get("/v1/sessions").json()["sessions"]]
    assert_problem(emery.delete(f"/v1/sessions/{session_id}"), 404, "session_not_found")
    assert_problem(emery.get(f"/v1/sessions/{session_id}/messages"), 404, "session_not_found")
    gone = emery.post(f"/v1/sessions/{session_id}/messages", json={"text": "hello"})
    assert_problem(gone, 404, "session_not_found")


def test_triage_questions_are_in_the_turn_and_the_answer_is_re_triaged(emery: httpx.Client) -> None:
    session_id = emery.post("/v1/sessions", json={"language": "en"}).json()["session_id"]
    asked = emery.post(f"/v1/sessions/{session_id}/messages", json={"text": "I have a headache and a fever"})
    assert asked.status_code == 200, asked.text
    triage = asked.json()["triage"]
    assert triage["protocol"] and triage["questions"]
    assert all(set(q) == {"id", "text"} and q["text"].endswith("?") for q in triage["questions"])
    which = [q["id"] for q in triage["questions"]].index("headache-stiff-neck")
    answer = ("yes to the first", "yes to the second", "yes to the third")[which]
    answered = emery.post(f"/v1/sessions/{session_id}/messages", json={"text": answer}).json()["triage"]
    assert answered["level"] == "emergency" and answered["protocol"] == "headache"
    assert "questions" not in answered  # left out when there is none


def test_empty_body_starts_an_english_session(emery: httpx.Client) -> None:
    created = emery.post("/v1/sessions")
    assert created.status_code == 201 and created.json()["language"] == "en"


def test_french_message_gets_a_french_turn(emery: httpx.Client) -> None:
    session_id = emery.post("/v1/sessions", json={"language": "fr"}).json()["session_id"]
    reply = emery.post(
        f"/v1/sessions/{session_id}/messages", json={"text": "quelle était ma dernière HbA1c ?"}
    )
    turn = Turn.model_validate(reply.json())
    assert turn.language == "fr"
    assert turn.citations[0].resource == f"Observation/{a1c_observations(EMERY)[-1]['id']}"


def test_stream_sends_deltas_then_exactly_one_turn(emery: httpx.Client) -> None:
    session_id = emery.post("/v1/sessions", json={}).json()["session_id"]
    response = emery.post(
        f"/v1/sessions/{session_id}/messages/stream",
        json={"text": "I have crushing chest pain and I am sweating", "language": "en"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response)
    names = [name for name, _ in events]
    assert names[-1] == "turn" and names.count("turn") == 1
    assert set(names[:-1]) == {"delta"} and len(names) >= 3
    turn = Turn.model_validate_json(events[-1][1])
    assert turn.triage.level == "emergency"
    assert "".join(json.loads(data)["text"] for name, data in events[:-1]) == turn.text
    # The streamed turn is persisted like any other.
    history = emery.get("/v1/sessions").json()["sessions"]
    assert next(s for s in history if s["session_id"] == session_id)["turn_count"] == 2


def test_stream_for_an_unknown_session_is_a_404_before_any_event(emery: httpx.Client) -> None:
    response = emery.post("/v1/sessions/nope/messages/stream", json={"text": "hello"})
    assert_problem(response, 404, "session_not_found")


@pytest.mark.parametrize(
    "body",
    [{}, {"text": "hi", "language": "de"}, {"text": "hi", "patient": LIZ}, {"text": 3}, []],
)
def test_invalid_message_bodies_are_422_problems(emery: httpx.Client, body: object) -> None:
    session_id = emery.post("/v1/sessions", json={}).json()["session_id"]
    problem = assert_problem(
        emery.post(f"/v1/sessions/{session_id}/messages", json=body), 422, "validation_error"
    )
    assert problem["errors"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "\u200b\u200d\ufeff", " \u202e\x00 \u2060"])
@pytest.mark.parametrize("path", ["", "/stream"])
def test_an_empty_or_invisible_message_is_a_422_empty_message_and_stores_nothing(
    emery: httpx.Client, text: str, path: str
) -> None:
    session_id = emery.post("/v1/sessions", json={}).json()["session_id"]
    problem = assert_problem(
        emery.post(f"/v1/sessions/{session_id}/messages{path}", json={"text": text}), 422, "empty_message"
    )
    assert "empty" in problem["detail"] and "long" not in problem["detail"]
    sessions = emery.get("/v1/sessions").json()["sessions"]
    assert next(s for s in sessions if s["session_id"] == session_id)["turn_count"] == 0


def test_invisible_characters_are_removed_before_the_turn(emery: httpx.Client) -> None:
    session_id = emery.post("/v1/sessions", json={}).json()["session_id"]
    turn = emery.post(
        f"/v1/sessions/{session_id}/messages", json={"text": "I have crushing ch\u200best pa\u00adin\u202e"}
    ).json()
    assert turn["triage"]["level"] == "emergency"


def test_message_longer_than_the_limit_is_refused(emery: httpx.Client) -> None:
    session_id = emery.post("/v1/sessions", json={}).json()["session_id"]
    problem = assert_problem(
        emery.post(f"/v1/sessions/{session_id}/messages", json={"text": "a" * 4001}), 422, "validation_error"
    )
    assert problem["errors"][0]["loc"] == ["body", "text"]
    assert "aaaa" not in json.dumps(problem)  # the rejected value is never echoed


def test_body_over_the_size_limit_is_413(emery: httpx.Client, live_api: LiveApi) -> None:
    session_id = emery.post("/v1/sessions", json={}).json()["session_id"]
    big = {"text": "x" * (live_api.settings.api_max_body_bytes + 10)}
    assert_problem(emery.post(f"/v1/sessions/{session_id}/messages", json=big), 413, "payload_too_large")


# -- record -------------------------------------------------------------------------------------------


def test_record_summary_lists_only_this_patients_resources(emery: httpx.Client) -> None:
    response = emery.get("/v1/record/summary")
    assert response.status_code == 200
    summary = response.json()
    assert summary["patient"]["resource"] == f"Patient/{EMERY}"
    assert summary["patient"]["birth_date"] == "1967-07-27"
    own = refs_of(EMERY)
    shown = [
        e["resource"]
        for key in ("conditions", "medications", "allergies", "immunizations", "recent_encounters")
        for e in summary[key]
    ]
    assert shown and set(shown) <= own
    assert any("diabetes" in c["title"].lower() for c in summary["conditions"])
    assert summary["counts"]["Observation"] == sum(
        1 for r in bundle_resources(EMERY) if r["resourceType"] == "Observation"
    )


def test_observation_series_matches_the_record(emery: httpx.Client) -> None:
    series = emery.get("/v1/record/observations", params={"code": "4548-4"}).json()
    gold = a1c_observations(EMERY)
    assert series["code"] == "4548-4" and series["unit"] == "%"
    assert [p["resource"] for p in series["points"]] == [f"Observation/{o['id']}" for o in gold]
    assert [p["value"] for p in series["points"]] == pytest.approx(
        [o["valueQuantity"]["value"] for o in gold]
    )
    assert [p["date"] for p in series["points"]] == [o["effectiveDateTime"][:10] for o in gold]


def test_unknown_observation_code_is_a_404_and_a_bad_one_a_422(emery: httpx.Client) -> None:
    assert_problem(emery.get("/v1/record/observations", params={"code": "99999-9"}), 404, "unknown_code")
    assert_problem(emery.get("/v1/record/observations", params={"code": "a b/c"}), 422, "validation_error")
    assert_problem(emery.get("/v1/record/observations"), 422, "validation_error")


def test_record_search_ranks_this_patients_cards(emery: httpx.Client) -> None:
    result = emery.get("/v1/record/search", params={"q": "diabetes", "k": 5}).json()
    assert result["query"] == "diabetes"
    assert 1 <= len(result["hits"]) <= 5
    assert {h["resource"] for h in result["hits"]} <= refs_of(EMERY)
    assert any("diabet" in (h["title"] + h["text"]).lower() for h in result["hits"])
    assert_problem(emery.get("/v1/record/search", params={"q": "   "}), 422, "validation_error")


# -- auth over HTTP -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "unauthenticated"),
        ("Bearer", "unauthenticated"),
        ("Token abc", "unauthenticated"),
        ("Bearer hat_0000000000000000_" + "A" * 43, "invalid_token"),
        ("Bearer not-a-token", "invalid_token"),
        ("Bearer eyJhbGciOiJub25lIn0.eyJwYXRpZW50IjoieCJ9.", "invalid_token"),
    ],
)
def test_missing_or_wrong_tokens_are_401(live_api: LiveApi, header: str | None, code: str) -> None:
    headers = {"Authorization": header} if header else {}
    for method, path in (("GET", "/v1/sessions"), ("GET", "/v1/record/summary"), ("DELETE", "/v1/me")):
        response = httpx.request(method, live_api.url + path, headers=headers)
        assert_problem(response, 401, code)
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_expired_and_revoked_tokens_are_401(live_api: LiveApi) -> None:
    issued = live_api.tokens.issue(LIZ, days=1)
    with live_api.client(issued.token) as client:
        assert client.get("/v1/sessions").status_code == 200
        live_api.tokens.revoke(issued.info.id)
        assert "revoked" in assert_problem(client.get("/v1/sessions"), 401, "invalid_token")["detail"]
    expired = live_api.tokens.issue(LIZ, days=1)
    from sqlalchemy import text

    with live_api.service.store.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE api_tokens SET expires_at = '2020-01-01 00:00:00' WHERE id = :id"),
            {"id": expired.info.id},
        )
    with live_api.client(expired.token) as client:
        assert "expired" in assert_problem(client.get("/v1/sessions"), 401, "invalid_token")["detail"]


def test_smart_token_reads_its_patient_and_scopes_are_enforced(live_api: LiveApi) -> None:
    full = live_api.issuer.mint(patient=LIZ, scope="launch/patient patient/*.read patient/Consent.cu")
    with live_api.client(full) as client:
        # A SMART sign-in reads the record only once the patient has agreed (FHIR Consent at the clinic).
        assert_problem(client.get("/v1/record/summary"), 403, "consent_required")
        granted = client.post("/v1/consents", json={"purpose": "record-access", "decision": "permit"})
        assert granted.status_code == 201 and granted.json()["record_access"] == "granted", granted.text
        assert client.get("/v1/record/summary").json()["patient"]["resource"] == f"Patient/{LIZ}"
        session_id = client.post("/v1/sessions", json={}).json()["session_id"]
        assert client.post(f"/v1/sessions/{session_id}/messages", json={"text": "hello"}).status_code == 200
        problem = assert_problem(
            client.post("/v1/appointments", json={"slot_id": "Slot/x", "confirm": True}),
            403,
            "insufficient_scope",
        )
        assert "Appointment.write" in problem["detail"]
    narrow = live_api.issuer.mint(patient=LIZ, scope="patient/Observation.read")
    with live_api.client(narrow) as client:
        assert client.get("/v1/record/observations", params={"code": "29463-7"}).status_code == 200
        assert_problem(client.get("/v1/record/summary"), 403, "insufficient_scope")
        assert_problem(client.post("/v1/sessions", json={}), 403, "insufficient_scope")
    expired = live_api.issuer.mint(patient=LIZ, expires_in=-300)
    with live_api.client(expired) as client:
        assert "expired" in assert_problem(client.get("/v1/sessions"), 401, "invalid_token")["detail"]


def test_unknown_patient_token_gets_404_not_someone_elses_record(live_api: LiveApi) -> None:
    with live_api.client(live_api.token("no-such-patient-0001")) as client:
        assert_problem(client.get("/v1/record/summary"), 404, "record_not_found")


# -- erasure, audit, health, CORS ---------------------------------------------------------------------


def test_erase_me_deletes_sessions_and_index_and_is_audited(live_api: LiveApi) -> None:
    token = live_api.token(LIZ)
    with live_api.client(token) as client:
        session_id = client.post("/v1/sessions", json={}).json()["session_id"]
        client.post(f"/v1/sessions/{session_id}/messages", json={"text": "what is my blood pressure?"})
        assert live_api.service.retriever is not None and live_api.service.retriever.is_indexed(LIZ)
        erased = client.delete("/v1/me").json()
        assert erased["sessions"] >= 1 and erased["turns"] >= 2 and erased["index_removed"] is True
        assert client.get("/v1/sessions").json() == {"sessions": []}
        assert not live_api.service.retriever.is_indexed(LIZ)
    entries = live_api.service.store.audit.query(LIZ, action="api.erase")
    token_id = token.split("_")[1]
    assert entries and entries[-1].detail is not None
    assert entries[-1].detail["credential"] == f"api_token:{token_id}"
    assert entries[-1].detail["route"] == "DELETE /v1/me"


def test_every_data_access_is_audited_with_who_and_what(
    live_api: LiveApi, emery: httpx.Client, emery_token: str
) -> None:
    before = live_api.service.store.audit.query(EMERY)
    series = emery.get("/v1/record/observations", params={"code": "4548-4"}).json()
    emery.get("/v1/record/observations", params={"code": "99999-9"})
    new = [e for e in live_api.service.store.audit.query(EMERY) if e.id not in {b.id for b in before}]
    read = [e for e in new if e.action == "api.record.observations" and e.outcome == "ok"]
    assert len(read) == 1
    assert list(read[0].resources) == [p["resource"] for p in series["points"]]
    assert read[0].actor == "patient" and read[0].detail is not None
    assert read[0].detail["credential"] == f"api_token:{emery_token.split('_')[1]}"
    assert any(e.action == "api.record.observations" and e.outcome == "not_found" for e in new)
    assert any(e.action == "api.refused" and e.outcome == "not_found" for e in new)


def test_healthz_and_readyz(live_api: LiveApi) -> None:
    assert httpx.get(live_api.url + "/healthz").json() == {"status": "ok"}
    ready = wait_ready(live_api.url)
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "fhir", "index", "understanding"}
    assert body["checks"]["fhir"]["detail"].startswith("FHIR 4.0")
    assert body["checks"]["understanding"] == {"ok": True, "detail": "built"}


def test_cors_preflight_allows_the_configured_portal_only(live_api: LiveApi) -> None:
    headers = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    ok = httpx.options(
        live_api.url + "/v1/sessions", headers={**headers, "Origin": "https://portal.clinic.test"}
    )
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "https://portal.clinic.test"
    bad = httpx.options(live_api.url + "/v1/sessions", headers={**headers, "Origin": "https://evil.test"})
    assert "access-control-allow-origin" not in bad.headers


def test_unknown_route_and_method_are_problems(emery: httpx.Client) -> None:
    assert_problem(emery.get("/v1/nothing-here"), 404, "not_found")
    assert_problem(emery.put("/v1/sessions"), 405, "method_not_allowed")
