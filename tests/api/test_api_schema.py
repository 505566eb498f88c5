"""Property-based conformance with schemathesis: every operation of the published OpenAPI schema, called
on the live server with generated (valid and invalid) inputs, never answers 500 and always answers with a
documented status, content type and body shape. Bounded (few examples per operation) to stay fast."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import LiveApi

pytestmark = pytest.mark.integration

# A patient no other API test reads, so erasure (DELETE /v1/me) here disturbs nobody.
LUPE = "f8a42e66-8c03-4ee6-85e3-3817c2942de1"
CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def lupe_token(live_api: LiveApi) -> str:
    return live_api.token(LUPE)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms(live_api: LiveApi, lupe_token: str, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_url(live_api.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 21
    headers = {"Authorization": f"Bearer {lupe_token}"}
    exercised: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=live_api.url, headers=headers, checks=CHECKS, timeout=60)

        try:
            check()
        except Unsatisfiable:  # nothing to make invalid (e.g. GET /healthz takes no input)
            continue
        exercised.append(operation.label)
    assert len(exercised) >= (21 if mode == GenerationMode.POSITIVE else 13)


def test_schema_documents_every_contract_path_with_examples(live_api: LiveApi) -> None:
    import httpx

    spec = httpx.get(live_api.url + "/openapi.json").json()
    expected = {
        "/v1/sessions": {"post", "get"},
        "/v1/sessions/{session_id}": {"delete"},
        "/v1/sessions/{session_id}/messages": {"get", "post"},
        "/v1/sessions/{session_id}/messages/stream": {"post"},
        "/v1/sessions/{session_id}/booking": {"post"},
        "/v1/record/summary": {"get"},
        "/v1/record/observations": {"get"},
        "/v1/record/search": {"get"},
        "/v1/slots": {"get"},
        "/v1/appointments": {"post", "get"},
        "/v1/appointments/{appointment_id}": {"delete"},
        "/v1/appointments/{appointment_id}/reschedule": {"post"},
        "/v1/me": {"delete"},
        "/v1/consents": {"get", "post"},
        "/v1/consents/{purpose}": {"delete"},
        "/healthz": {"get"},
        "/readyz": {"get"},
    }
    assert {path: set(ops) for path, ops in spec["paths"].items()} == expected
    schemas = spec["components"]["schemas"]
    for name in (
        "Turn",
        "Problem",
        "SessionCreated",
        "RecordSummary",
        "ObservationSeries",
        "BookRequest",
        "MessageIn",
        "Transcript",
        "ConsentOverview",
        "ConsentDecision",
        "ChooseSlot",
        "Confirm",
        "Decline",
        "CancelAppointment",
        "MoveAppointment",
    ):
        assert schemas[name].get("examples"), name
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    stream = spec["paths"]["/v1/sessions/{session_id}/messages/stream"]["post"]["responses"]["200"]["content"]
    assert "text/event-stream" in stream
