"""``HttpClient`` against the clinic API's ``/v1`` contract, at the HTTP seam (httpx.MockTransport).

The fake server answers with the shapes ``api/models.py`` publishes (record summary, observation series,
problem+json, SSE ``delta``/``turn`` events), and records what the client sent: paths, bodies, the bearer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest

from ui.backend import CoreError, HttpClient, SessionExpired, UploadError

TURN: dict[str, Any] = {
    "session_id": "s-1",
    "text": "Your most recent HbA1c was 7.2 % on 2020-03-01 [1].",
    "language": "en",
    "triage": {"level": "none", "rules": [], "advice": "", "call": None},
    "citations": [{"n": 1, "resource": "Observation/abc", "label": "Hemoglobin A1c 7.2 % (2020-03-01)"}],
    "actions": [],
    "refusal": None,
    "safety": {"flags": [], "backend": "offline", "grounded": True},
}

Handler = Callable[[httpx.Request], httpx.Response]


def client_with(handler: Handler, seen: list[httpx.Request]) -> HttpClient:
    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    return HttpClient("https://clinic.example/api/", "tok-123", transport=httpx.MockTransport(record))


def problem(status: int, code: str, detail: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={"type": "about:blank", "title": "x", "status": status, "code": code, "detail": detail},
        headers={"content-type": "application/problem+json"},
    )


def test_session_and_message_carry_the_bearer_and_the_contract_bodies() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/sessions":
            return httpx.Response(201, json={"session_id": "s-1", "language": "fr"})
        return httpx.Response(200, json=TURN)

    client = client_with(handler, seen)
    session = client.new_session("ignored-patient", "fr")
    turn = client.send("ignored-patient", session, "Ma dernière HbA1c ?", "fr")

    assert session == "s-1"
    assert turn.citations[0].resource == "Observation/abc"
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", "/api/v1/sessions"),
        ("POST", "/api/v1/sessions/s-1/messages"),
    ]
    assert all(r.headers["authorization"] == "Bearer tok-123" for r in seen)
    assert json.loads(seen[0].content) == {"language": "fr"}
    assert json.loads(seen[1].content) == {"text": "Ma dernière HbA1c ?", "language": "fr"}
    # The patient id never travels: the token decides whose record it is.
    assert all("ignored-patient" not in str(r.url) + r.content.decode() for r in seen)


def test_conversations_and_a_transcript_come_from_the_session_endpoints() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/sessions":
            return httpx.Response(
                200,
                json={
                    "sessions": [
                        {
                            "session_id": "old",
                            "language": "en",
                            "created_at": "2026-11-20T09:00:00Z",
                            "updated_at": "2026-11-20T09:05:00Z",
                            "turn_count": 2,
                        },
                        {"session_id": "broken"},  # unreadable: left out, the others still listed
                        {
                            "session_id": "new",
                            "language": "fr",
                            "created_at": "2026-11-23T09:00:00Z",
                            "updated_at": "2026-11-23T09:01:00+00:00",
                            "turn_count": 4,
                        },
                    ]
                },
            )
        if request.url.path == "/api/v1/sessions/s-1/messages":
            return httpx.Response(
                200,
                json={
                    "session_id": "s-1",
                    "messages": [
                        {
                            "role": "user",
                            "text": "last A1c?",
                            "created_at": "2026-11-23T09:00:00Z",
                            "turn": None,
                        },
                        {
                            "role": "assistant",
                            "text": TURN["text"],
                            "created_at": "2026-11-23T09:00:01Z",
                            "turn": TURN,
                        },
                    ],
                },
            )
        return problem(404, "session_not_found", "no session gone for this patient")

    client = client_with(handler, seen)
    listed = client.conversations("ignored")
    assert [(c.id, c.messages) for c in listed] == [("new", 4), ("old", 2)]  # most recent first
    assert listed[0].updated.tzinfo is not None

    messages = client.transcript("ignored", "s-1")
    assert [(m.role, m.text) for m in messages] == [("user", "last A1c?"), ("assistant", TURN["text"])]
    assert messages[0].turn is None
    assert messages[1].turn is not None and messages[1].turn.citations[0].resource == "Observation/abc"
    with pytest.raises(SessionExpired):
        client.transcript("ignored", "gone")


def test_stream_yields_deltas_then_the_final_turn() -> None:
    body = (
        'event: delta\ndata: {"text": "Your most"}\n\n'
        ": keep-alive\n\n"
        'event: delta\ndata: {"text": " recent HbA1c"}\n\n'
        f"event: turn\ndata: {json.dumps(TURN)}\n\n"
    )
    seen: list[httpx.Request] = []
    client = client_with(
        lambda r: httpx.Response(200, text=body, headers={"content-type": "text/event-stream"}), seen
    )
    pieces = list(client.stream("me", "s-1", "last a1c?", "en"))

    assert pieces[:2] == ["Your most", " recent HbA1c"]
    assert pieces[-1].text == TURN["text"]  # type: ignore[union-attr]
    assert seen[0].url.path == "/api/v1/sessions/s-1/messages/stream"
    assert seen[0].headers["accept"] == "text/event-stream"


def test_stream_error_event_and_missing_turn_are_errors() -> None:
    error = 'event: delta\ndata: {"text": "Hi"}\n\nevent: error\ndata: {"code": "internal_error"}\n\n'
    client = client_with(lambda r: httpx.Response(200, text=error), [])
    with pytest.raises(CoreError, match="failed"):
        list(client.stream("me", "s-1", "hi", "en"))
    cut = 'event: delta\ndata: {"text": "Hi"}\n\n'
    client = client_with(lambda r: httpx.Response(200, text=cut), [])
    with pytest.raises(CoreError, match="without the final turn"):
        list(client.stream("me", "s-1", "hi", "en"))


def test_unknown_session_is_session_expired_and_other_problems_name_the_detail() -> None:
    client = client_with(lambda r: problem(404, "session_not_found", "no session s-9 for this patient"), [])
    with pytest.raises(SessionExpired, match="no session s-9"):
        client.send("me", "s-9", "hello", "en")
    client = client_with(lambda r: problem(429, "rate_limited", "too many requests; retry in 3 s"), [])
    with pytest.raises(CoreError, match="429: too many requests") as info:
        client.send("me", "s-1", "hello", "en")
    assert info.value.status == 429


def test_a_reply_outside_the_turn_contract_is_rejected() -> None:
    bad = {**TURN, "triage": {"level": "emergency", "rules": [], "advice": "", "call": None}}
    client = client_with(lambda r: httpx.Response(200, json=bad), [])
    with pytest.raises(CoreError, match="turn contract"):
        client.send("me", "s-1", "chest pain", "en")


def test_unreachable_service_is_one_sentence() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = client_with(refuse, [])
    with pytest.raises(
        CoreError, match=r"could not reach the clinic's service at https://clinic.example/api"
    ):
        client.new_session("me", "en")


def test_summary_reads_the_published_record_summary() -> None:
    summary_body = {
        "patient": {
            "resource": "Patient/p1",
            "name": "Josue Sipes",
            "birth_date": "1952-04-11",
            "gender": "male",
        },
        "conditions": [
            {
                "resource": "Condition/c1",
                "title": "Hypertension",
                "text": "Health problem: Hypertension.",
                "date": "1974-11-23",
                "status": "active",
            }
        ],
        "medications": [],
        "allergies": [],
        "immunizations": [
            {
                "resource": "Immunization/i1",
                "title": "Influenza",
                "text": "",
                "date": "2020-10-01",
                "status": "completed",
            }
        ],
        "recent_encounters": [
            {
                "resource": "Encounter/e1",
                "title": "Check up",
                "text": "Visit",
                "date": "2021-03-13",
                "status": "finished",
            }
        ],
        "counts": {"Condition": 1},
    }
    seen: list[httpx.Request] = []
    client = client_with(lambda r: httpx.Response(200, json=summary_body), seen)
    summary = client.summary("me")

    assert (summary.patient_id, summary.name, summary.birth_date) == ("p1", "Josue Sipes", date(1952, 4, 11))
    assert [e.ref for e in summary.conditions] == ["Condition/c1"]
    assert summary.encounters[0].date == date(2021, 3, 13)
    assert client.entry("me", "Immunization/i1") is not None
    assert client.entry("me", "Observation/zzz") is None
    assert seen[0].url.path == "/api/v1/record/summary"


def test_trend_asks_each_loinc_code_and_draws_the_usual_range() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        code = request.url.params["code"]
        if code != "4548-4":
            return problem(404, "unknown_code", f"no observation with code {code} in this record")
        points = [
            {
                "resource": "Observation/a",
                "date": "2019-01-01",
                "value": 6.1,
                "display": "6.1 %",
                "unit": "%",
                "flag": "high",
            },
            {
                "resource": "Observation/b",
                "date": "2018-01-01",
                "value": 5.2,
                "display": "5.2 %",
                "unit": "%",
                "flag": None,
            },
        ]
        return httpx.Response(
            200, json={"code": code, "name": "Hemoglobin A1c", "unit": "%", "points": points}
        )

    client = client_with(handler, seen)
    trend = client.trend("me", "hba1c")

    assert [(p.day.year, p.value, p.flag) for p in trend.points] == [(2018, 5.2, None), (2019, 6.1, "high")]
    assert (trend.unit, trend.high, trend.out_of_range) == ("%", 5.7, 1)
    assert "ADA" in (trend.range_source or "")
    # every LOINC code of the concept is asked (a record may use any of them); only 4548-4 had values here
    assert {r.url.params["code"] for r in seen} == {"4548-4", "17856-6", "4549-2", "59261-8"}


def test_blood_pressure_parts_come_from_the_panel_display() -> None:
    points = [
        {
            "resource": "Observation/bp",
            "date": "2021-03-13",
            "value": None,
            "display": "179.6/98.17 mmHg",
            "unit": None,
            "flag": "high",
        }
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params["code"] == "85354-9":
            return httpx.Response(
                200, json={"code": "85354-9", "name": "Blood Pressure", "unit": None, "points": points}
            )
        return problem(404, "unknown_code", "none")

    client = client_with(handler, [])
    systolic, diastolic = client.trend("me", "systolic_bp"), client.trend("me", "diastolic_bp")
    assert [p.value for p in systolic.points] == [179.6]
    assert [p.value for p in diastolic.points] == [98.17]
    assert (systolic.high, diastolic.high) == (130, 80)


def test_appointments_forget_and_upload() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(200, json={"sessions": 2, "turns": 9, "index_removed": True})
        return httpx.Response(
            200,
            json={
                "appointments": [
                    {
                        "appointment": "Appointment/a1",
                        "status": "booked",
                        "details": {"start": "2026-11-24T09:00:00+01:00", "service": "General practice"},
                    },
                    {
                        "id": "a2",
                        "status": "booked",
                        "start": "2026-11-25T10:00:00+01:00",
                        "service": "Nurse",
                    },
                ]
            },
        )

    client = client_with(handler, seen)
    appointments = client.appointments("me")
    report = client.forget("me")

    assert [(a.ref, a.service) for a in appointments or []] == [
        ("Appointment/a1", "General practice"),
        ("Appointment/a2", "Nurse"),
    ]
    assert (report.sessions, report.messages, report.index_removed) == (2, 9, True)
    assert [(r.method, r.url.path) for r in seen] == [
        ("GET", "/api/v1/appointments"),
        ("DELETE", "/api/v1/me"),
    ]
    assert not client.can_choose_patient()
    with pytest.raises(UploadError):
        client.open_upload(b"{}")
    assert client.info().leaves_machine and client.info().kind == "remote_api"
