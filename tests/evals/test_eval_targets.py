"""Targets and the solver: HTTP against a mock transport, in process against a fake factory, templating."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.schemas import Language, TriageLevel, Turn
from evals.cases import Case
from evals.records import PatientDirectory
from evals.runner import run_cases
from evals.targets import HttpTarget, InProcessTarget, ScriptedTarget, TargetError, TargetUnavailable
from evals.transcript import solve
from health_assistant.settings import DEMO_DATA_DIR
from tests.clocks import frozen
from tests.evals.helpers import case, turn

JOSUE_SERVER_ID = "7d27f180-98d6-456d-98c0-d91df32cd023"


@pytest.fixture(scope="module")
def directory() -> PatientDirectory:
    return PatientDirectory(DEMO_DATA_DIR / "synthea")


class FakeApi:
    """Just enough of the clinic API contract (issue #7) to check what the target sends."""

    def __init__(self, *, turn_body: dict[str, Any] | None = None, status: int = 200) -> None:
        self.requests: list[httpx.Request] = []
        self.turn_body = turn_body
        self.status = status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("Authorization") not in ("Bearer tok-" + JOSUE_SERVER_ID, "Bearer fixed"):
            return httpx.Response(401, json={"code": "unauthorized", "detail": "bad token"})
        if request.method == "POST" and request.url.path == "/v1/sessions":
            return httpx.Response(201, json={"session_id": "sess-1"})
        if request.method == "POST" and request.url.path == "/v1/sessions/sess-1/messages":
            body = json.loads(request.content)
            if self.status != 200:
                return httpx.Response(self.status, json={"code": "boom", "detail": "server error"})
            data = self.turn_body or turn(f"echo {body['text']}", language=body["language"]).model_dump(
                mode="json"
            )
            return httpx.Response(200, json={**data, "session_id": "sess-1"})
        if request.method == "DELETE":
            return httpx.Response(204)
        return httpx.Response(404, json={"detail": "no route"})


def http_target(api: FakeApi, directory: PatientDirectory, token: Any = "fixed") -> HttpTarget:
    return HttpTarget(
        "http://api.test", token, directory, default_patient="Lupe_Little", transport=httpx.MockTransport(api)
    )


def test_http_target_opens_a_session_posts_messages_and_parses_the_turn(directory: PatientDirectory) -> None:
    api = FakeApi()
    target = http_target(api, directory, token=lambda pid: f"tok-{pid}")
    c = case({}, patient="Josue_Sipes", language="fr", turns=["Bonjour"])
    session = target.open_session(c)
    got = target.send(session, "Bonjour", "fr")
    target.close()
    assert isinstance(got, Turn) and got.text == "echo Bonjour" and got.language == "fr"
    paths = [(r.method, r.url.path) for r in api.requests]
    assert paths == [
        ("POST", "/v1/sessions"),
        ("POST", "/v1/sessions/sess-1/messages"),
        ("DELETE", "/v1/sessions/sess-1"),
    ]
    assert json.loads(api.requests[1].content) == {"text": "Bonjour", "language": "fr"}
    # the token was issued for the sandbox id of the case's patient, not the id inside the file
    assert api.requests[0].headers["Authorization"] == f"Bearer tok-{JOSUE_SERVER_ID}"


def test_http_target_rejects_a_reply_that_is_not_a_turn(directory: PatientDirectory) -> None:
    target = http_target(FakeApi(turn_body={"session_id": "sess-1", "text": "hi"}), directory)
    session = target.open_session(case({}))
    with pytest.raises(TargetError, match="not a valid Turn"):
        target.send(session, "hi", "en")


def test_http_target_reports_refused_tokens_and_server_errors(directory: PatientDirectory) -> None:
    with pytest.raises(TargetError, match="401"):
        http_target(FakeApi(), directory, token="wrong").open_session(case({}))
    target = http_target(FakeApi(status=500), directory)
    session = target.open_session(case({}))
    with pytest.raises(TargetError, match=r"500.*server error"):
        target.send(session, "hi", "en")


def test_http_target_waits_as_told_by_429_retry_after_then_gives_up(directory: PatientDirectory) -> None:
    limited = {"left": 2}
    api = FakeApi()

    def rate_limited(request: httpx.Request) -> httpx.Response:
        if limited["left"] > 0:
            limited["left"] -= 1
            return httpx.Response(429, headers={"Retry-After": "3"}, json={"code": "rate_limited"})
        return api(request)

    slept: list[float] = []
    target = HttpTarget(
        "http://api.test", "fixed", directory, default_patient="Lupe_Little",
        transport=httpx.MockTransport(rate_limited), sleep=slept.append, max_rate_limit_wait=10,
    )  # fmt: skip
    assert target.open_session(case({})) == "sess-1"
    assert slept == [3.0, 3.0]

    always = HttpTarget(
        "http://api.test", "fixed", directory, default_patient="Lupe_Little",
        transport=httpx.MockTransport(lambda r: httpx.Response(429, headers={"Retry-After": "4"})),
        sleep=slept.append, max_rate_limit_wait=10,
    )  # fmt: skip
    with pytest.raises(TargetError, match="429 for over 10 s"):
        always.open_session(case({}))


def test_http_target_unreachable_api_stops_the_run(directory: PatientDirectory) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    target = HttpTarget(
        "http://api.test",
        "fixed",
        directory,
        default_patient="Lupe_Little",
        transport=httpx.MockTransport(refuse),
    )
    with pytest.raises(TargetUnavailable, match="cannot reach"):
        target.open_session(case({}))


def test_http_target_will_not_pretend_to_plant_record_text(directory: PatientDirectory) -> None:
    c = case({}, patient="Lupe_Little", record_patch=[{"resourceType": "Observation", "id": "x"}])
    with pytest.raises(TargetError, match="plants resources"):
        http_target(FakeApi(), directory).open_session(c)


class FakeAssistant:
    def __init__(self, src: str) -> None:
        self.src = src
        self.sessions: list[str] = []

    def new_session(self, language: Language = "en") -> str:
        self.sessions.append(language)
        return f"{Path(self.src).name}#{len(self.sessions)}"

    def respond(self, session_id: str, message: str, *, language: Language | None = None) -> Turn:
        return turn(f"from {Path(self.src).name}", language=language or "en", session_id=session_id)


def test_in_process_target_builds_one_assistant_per_record_and_plants_patches(
    directory: PatientDirectory, tmp_path: Path
) -> None:
    built: list[str] = []

    def factory(src: str) -> FakeAssistant:
        built.append(src)
        return FakeAssistant(src)

    target = InProcessTarget(factory, directory, default_patient="Lupe_Little", workdir=tmp_path)
    plain = case({}, patient="Josue_Sipes", language="fr")
    patch = [
        {
            "resourceType": "Observation",
            "id": "eval-x",
            "status": "final",
            "code": {"text": "note"},
            "subject": {"reference": "{{patient}}"},
            "valueString": "hi",
        }
    ]
    patched = case({}, patient="Josue_Sipes", record_patch=patch)
    s1 = target.open_session(plain)
    target.open_session(plain)
    s3 = target.open_session(patched)
    assert len(built) == 2  # cached per source
    assert built[0] == str(directory.path("Josue_Sipes"))
    written = json.loads(Path(built[1]).read_text())
    planted = [e["resource"] for e in written["entry"] if e["resource"]["id"] == "eval-x"]
    assert (
        planted[0]["subject"]["reference"]
        == "Patient/" + directory.identities["Josue_Sipes"].bundle_patient_id
    )
    assert target.send(s1, "hi", "fr").language == "fr"
    assert target.send(s3, "hi", "en").text.startswith("from Josue_Sipes_")
    target.close()


def test_in_process_target_reads_sandbox_patients_when_asked(
    directory: PatientDirectory, tmp_path: Path
) -> None:
    built: list[str] = []
    target = InProcessTarget(
        lambda src: built.append(src) or FakeAssistant(src),
        directory,
        default_patient="Lupe_Little",
        workdir=tmp_path,
        from_server=True,
    )
    target.open_session(case({}, patient="Josue_Sipes"))
    assert built == [f"fhir:{JOSUE_SERVER_ID}"]


def test_in_process_factory_failure_fails_the_case_not_the_run(
    directory: PatientDirectory, tmp_path: Path
) -> None:
    def broken(src: str) -> Any:
        raise RuntimeError("index is locked")

    target = InProcessTarget(broken, directory, default_patient="Lupe_Little", workdir=tmp_path)
    transcript = solve(case({}), target)
    assert transcript.error is not None and "index is locked" in transcript.error


def booking_responder(c: Case, index: int, text: str, language: Language) -> Turn:
    slot = {"id": "Slot/s1", "start": "2030-01-15T09:00:00+01:00", "service": "GP"}
    if index == 0:
        return turn("Here are slots.", actions=[{"kind": "offer_slots", "slots": [slot]}])
    if index == 1:
        assert text == "I take 2030-01-15T09:00:00+01:00"
        return turn(
            "Confirm?",
            actions=[{"kind": "confirm_booking", "slot": slot, "token": "tok-9", "summary": "Book?"}],
        )
    assert text == "yes tok-9"
    return turn(
        "Booked.",
        actions=[
            {
                "kind": "booked",
                "appointment": "Appointment/a1",
                "details": {"start": slot["start"], "service": "GP"},
            }
        ],
    )


def test_solver_fills_slot_and_token_templates_and_times_each_turn() -> None:
    c = case({}, turns=["book", "I take {{offered_slot_1}}", "yes {{confirm_token}}"])
    t = solve(c, ScriptedTarget(booking_responder))
    assert t.error is None and len(t.exchanges) == 3
    assert t.exchanges[1].user == "I take 2030-01-15T09:00:00+01:00"
    assert all(e.seconds >= 0 for e in t.exchanges)


def test_solver_stops_when_a_template_has_nothing_to_refer_to() -> None:
    c = case({}, turns=["I take {{offered_slot_3}}"])
    t = solve(c, ScriptedTarget(lambda *a: turn()))
    assert t.error == "no turn offered a slot #3"


def test_runner_scores_cases_and_counts_appointments_around_booking_cases(
    directory: PatientDirectory,
) -> None:
    counts = iter([4, 5])
    seen: list[str] = []

    def counter(patient_id: str) -> int:
        seen.append(patient_id)
        return next(counts)

    book = case(
        {"booking": {"booked": True, "appointments_created": 1}},
        id="book", patient="Josue_Sipes", turns=["book", "I take {{offered_slot_1}}", "yes {{confirm_token}}"],
    )  # fmt: skip
    triage = case({"triage_at_least": "emergency"}, id="tri", turns=["chest pain"])
    target = ScriptedTarget(
        lambda c, i, t, lang: (
            booking_responder(c, i, t, lang) if c.id == "book" else turn(level=TriageLevel.SELF_CARE)
        )
    )
    progress: list[tuple[int, int]] = []
    log = run_cases(
        [book, triage],
        target,
        directory,
        default_patient="Lupe_Little",
        appointments=counter,
        progress=lambda n, total, c: progress.append((n, total)),
        clock=frozen,
    )
    by_id = {r.case_id: r for r in log.results}
    assert by_id["book"].passed, by_id["book"].scores
    assert not by_id["tri"].passed and by_id["tri"].expect == {"triage_at_least": "emergency"}
    assert seen == [JOSUE_SERVER_ID, JOSUE_SERVER_ID]  # only the booking case is counted
    assert progress == [(1, 2), (2, 2)]
    assert log.backends == ["scripted"] and log.suites == [""]


def test_in_process_target_keeps_only_a_few_assistants_and_closes_the_rest(
    directory: PatientDirectory, tmp_path: Path
) -> None:
    closed: list[str] = []
    target = InProcessTarget(
        FakeAssistant, directory, default_patient="Lupe_Little", workdir=tmp_path, keep=1,
        closer=lambda a: closed.append(Path(a.src).name),
    )  # fmt: skip
    first = target.open_session(case({}, patient="Josue_Sipes"))
    target.open_session(case({}, patient="Liz_Conn"))
    assert [name.split("_")[0] for name in closed] == ["Josue"]
    with pytest.raises(TargetError, match="no open session"):
        target.send(first, "hi", "en")
    target.close()
    assert [name.split("_")[0] for name in closed] == ["Josue", "Liz"]
