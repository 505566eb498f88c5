"""Every failure maps to the documented exception, with a message that says what to do next."""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
import pytest
from fhir_fakes import BASE, json_response, outcome

from fhir_client import (
    FhirAuthError,
    FhirClient,
    FhirConflict,
    FhirError,
    FhirForbidden,
    FhirGone,
    FhirHTTPError,
    FhirNotFound,
    FhirPreconditionFailed,
    FhirProtocolError,
    FhirServerError,
    FhirTimeout,
    FhirTransportError,
    FhirUnprocessable,
    OutcomeIssue,
)
from fhir_client.errors import issues_from_outcome

SLOT = {"resourceType": "Slot", "id": "s1", "status": "busy", "schedule": {"reference": "Schedule/a"}}


def client_answering(handler: Callable[[httpx.Request], httpx.Response]) -> FhirClient:
    return FhirClient(BASE, transport=httpx.MockTransport(handler))


def answering(status: int, body: object = None, **headers: str) -> FhirClient:
    return client_answering(lambda _r: json_response(status, body, headers))


@pytest.mark.parametrize(
    ("status", "exc_type", "phrase"),
    [
        (401, FhirAuthError, "did not accept the credentials (HTTP 401); check the access token"),
        (403, FhirForbidden, "not allowed to do that (HTTP 403)"),
        (404, FhirNotFound, "Slot/s1 does not exist on the server (HTTP 404); check the id"),
        (410, FhirGone, "Slot/s1 was deleted on the server (HTTP 410)"),
        (409, FhirConflict, "conflicts with what the server holds now (HTTP 409)"),
        (400, FhirUnprocessable, "rejected the request (HTTP 400)"),
        (422, FhirUnprocessable, "rejected the request (HTTP 422)"),
        (500, FhirServerError, "failed while handling it (HTTP 500)"),
        (503, FhirServerError, "is unavailable (HTTP 503); try again later"),
        (429, FhirHTTPError, "limiting requests (HTTP 429)"),
        (405, FhirHTTPError, "does not allow this interaction (HTTP 405)"),
    ],
)
def test_status_maps_to_the_documented_exception(
    status: int, exc_type: type[FhirHTTPError], phrase: str
) -> None:
    with (
        answering(status, {"resourceType": "OperationOutcome", "issue": []}) as fhir,
        pytest.raises(exc_type) as info,
    ):
        fhir.read("Slot/s1")
    err = info.value
    assert type(err) is exc_type
    assert str(err).startswith("reading Slot/s1 failed: ")
    assert phrase in str(err)
    assert err.status == status
    assert err.method == "GET"
    assert err.url == f"{BASE}/Slot/s1"


def test_stale_if_match_names_the_resource_and_says_read_again() -> None:
    body = outcome("Version mismatch", "conflict")
    with answering(412, body) as fhir, pytest.raises(FhirPreconditionFailed) as info:
        fhir.update(SLOT, if_match="3")
    assert str(info.value) == (
        "updating Slot/s1 failed: it was changed by someone else since it was read (HTTP 412): "
        "Version mismatch; read it again and retry"
    )
    assert isinstance(info.value, FhirConflict)  # callers catching conflicts see 412 too


def test_conditional_create_matching_several_is_explained_as_such() -> None:
    with answering(412, outcome("Multiple matches")) as fhir, pytest.raises(FhirPreconditionFailed) as info:
        fhir.create(SLOT, if_none_exist="identifier=a|b")
    assert "creating a Slot failed: the If-None-Exist search matched more than one resource" in str(
        info.value
    )


def test_search_404_speaks_of_the_type_not_an_id() -> None:
    with answering(404, outcome("Unknown resource type")) as fhir, pytest.raises(FhirNotFound) as info:
        fhir.search("Slot", status="free")
    assert "searching Slot failed: the server has no such resource type or endpoint (HTTP 404)" in str(
        info.value
    )


def test_operation_404_says_the_operation_may_be_missing() -> None:
    with answering(404, outcome("Not found")) as fhir, pytest.raises(FhirNotFound) as info:
        fhir.operation("everything", resource_type="Patient", resource_id="p1", method="GET")
    assert str(info.value) == (
        "running $everything on Patient/p1 failed: the server does not offer this operation there, "
        "or the resource does not exist (HTTP 404)"
    )


def test_operation_outcome_issues_are_parsed_and_quoted() -> None:
    body = {
        "resourceType": "OperationOutcome",
        "issue": [
            {"severity": "warning", "code": "informational", "diagnostics": "just so you know"},
            {
                "severity": "error",
                "code": "invalid",
                "diagnostics": "Invalid date",
                "expression": ["Slot.start"],
            },
            {
                "severity": "error",
                "code": "required",
                "details": {"text": "Missing status"},
                "location": ["Slot.status"],
            },
        ],
    }
    with answering(422, body) as fhir, pytest.raises(FhirUnprocessable) as info:
        fhir.create(SLOT)
    err = info.value
    assert err.issues == [
        OutcomeIssue("warning", "informational", "just so you know"),
        OutcomeIssue("error", "invalid", "Invalid date", ("Slot.start",)),
        OutcomeIssue("error", "required", "Missing status", ("Slot.status",)),
    ]
    # Only the errors go into the sentence, each with where it happened.
    assert "(HTTP 422): Invalid date at Slot.start; Missing status at Slot.status; fix it" in str(err)
    assert "just so you know" not in str(err)


def test_generic_outcome_text_is_not_repeated_and_plain_text_bodies_are_quoted() -> None:
    with answering(404, outcome("Not found", "not-found")) as fhir, pytest.raises(FhirNotFound) as info:
        fhir.read("Patient/p1")
    assert str(info.value) == (
        "reading Patient/p1 failed: Patient/p1 does not exist on the server (HTTP 404); check the id"
    )
    plain = client_answering(
        lambda _r: httpx.Response(502, text="upstream down\nmore", headers={"Content-Type": "text/plain"})
    )
    with plain, pytest.raises(FhirServerError) as info2:
        plain.read("Patient/p1")
    assert "(HTTP 502): upstream down; try again later" in str(info2.value)


def test_html_error_pages_are_not_pasted_into_the_message() -> None:
    fhir = client_answering(
        lambda _r: httpx.Response(
            500, text="<html><body>oops</body></html>", headers={"Content-Type": "text/html"}
        )
    )
    with fhir, pytest.raises(FhirServerError) as info:
        fhir.read("Patient/p1")
    assert "<html>" not in str(info.value)
    assert info.value.issues == []


def test_redirect_tells_the_user_which_base_url_to_use() -> None:
    with (
        answering(301, None, location="https://fhir.test/fhir/R4/Patient/p1") as fhir,
        pytest.raises(FhirHTTPError) as info,
    ):
        fhir.read("Patient/p1")
    assert "redirected to https://fhir.test/fhir/R4/Patient/p1 (HTTP 301)" in str(info.value)


def test_a_success_that_is_not_json_is_a_protocol_error() -> None:
    fhir = client_answering(
        lambda _r: httpx.Response(200, text="<html>login</html>", headers={"Content-Type": "text/html"})
    )
    with fhir, pytest.raises(FhirProtocolError) as info:
        fhir.read("Patient/p1")
    assert (
        "the answer is not JSON (Content-Type text/html); is http://fhir.test/fhir/R4 a FHIR endpoint?"
        in str(info.value)
    )


def test_a_search_answered_with_something_else_than_a_bundle_is_a_protocol_error() -> None:
    with (
        answering(200, {"resourceType": "Patient", "id": "x"}) as fhir,
        pytest.raises(FhirProtocolError, match="expected a Bundle"),
    ):
        fhir.search("Observation")


def raising(exc: Exception) -> FhirClient:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return client_answering(handler)


def test_connection_refused_says_where_and_asks_if_it_runs() -> None:
    with (
        raising(httpx.ConnectError("[Errno 111] Connection refused")) as fhir,
        pytest.raises(FhirTransportError) as info,
    ):
        fhir.read("Patient/p1")
    assert type(info.value) is FhirTransportError
    assert (
        str(info.value) == f"could not reach the FHIR server at {BASE}: connection refused — is it running?"
    )
    assert info.value.exit_code == 3


def test_connection_refused_by_a_real_closed_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but not listening: connections are refused
        base = f"http://127.0.0.1:{port}/fhir/R4"
        with FhirClient(base, timeout=5) as fhir, pytest.raises(FhirTransportError) as info:
            fhir.read("Patient/p1")
    assert (
        str(info.value) == f"could not reach the FHIR server at {base}: connection refused — is it running?"
    )


def test_unknown_host_is_named_as_such() -> None:
    exc = httpx.ConnectError("[Errno -2] Name or service not known")
    with (
        raising(exc) as fhir,
        pytest.raises(FhirTransportError, match="host name does not resolve — check the URL"),
    ):
        fhir.read("Patient/p1")


def test_read_timeout_on_a_read_is_a_plain_timeout() -> None:
    with raising(httpx.ReadTimeout("timed out")) as fhir, pytest.raises(FhirTimeout) as info:
        fhir.read("Patient/p1")
    assert str(info.value) == f"reading Patient/p1 failed: the FHIR server at {BASE} did not answer in time"
    assert isinstance(info.value, FhirTransportError)


def test_timeout_on_a_write_warns_that_it_may_have_been_applied() -> None:
    with raising(httpx.ReadTimeout("timed out")) as fhir, pytest.raises(FhirTimeout) as info:
        fhir.update(SLOT, if_match="1")
    assert "updating Slot/s1 failed" in str(info.value)
    assert "may or may not have been applied — read it back before retrying" in str(info.value)


def test_connect_timeout_is_a_timeout_about_reaching_the_server() -> None:
    with (
        raising(httpx.ConnectTimeout("timed out")) as fhir,
        pytest.raises(FhirTimeout, match="could not reach the FHIR server"),
    ):
        fhir.read("Patient/p1")


def test_broken_connection_mid_operation() -> None:
    with raising(httpx.RemoteProtocolError("peer closed")) as fhir, pytest.raises(FhirTransportError) as info:
        fhir.operation("book", resource_type="Appointment", parameters={"slot": "Slot/s1"})
    assert "running $book on Appointment failed: the connection to the FHIR server" in str(info.value)
    assert "may or may not have been applied" in str(info.value)


def test_every_error_is_a_fhir_error_with_an_upstream_exit_code() -> None:
    for status in (400, 401, 403, 404, 409, 410, 412, 422, 500):
        with answering(status, outcome("x")) as fhir, pytest.raises(FhirError) as info:
            fhir.read("Patient/p1")
        assert info.value.exit_code == 3


def test_issues_from_outcome_ignores_what_is_not_an_outcome() -> None:
    assert issues_from_outcome({"resourceType": "Patient"}) == []
    assert issues_from_outcome({"resourceType": "OperationOutcome", "issue": "nope"}) == []
    assert issues_from_outcome(None) == []
    [issue] = issues_from_outcome({"resourceType": "OperationOutcome", "issue": [{}]})
    assert issue == OutcomeIssue("error", "unknown")
    assert issue.describe() == "unknown"
