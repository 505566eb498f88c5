"""``/metadata`` discovery: what the server says it supports, parsed once per client."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fhir_fakes import BASE, json_response

from fhir_client import FhirClient, FhirProtocolError, ServerCapabilities

STATEMENT: dict[str, Any] = {
    "resourceType": "CapabilityStatement",
    "status": "active",
    "kind": "instance",
    "fhirVersion": "4.0.1",
    "format": ["application/fhir+json", "json"],
    "software": {"name": "Demo clinic"},
    "rest": [
        {
            "mode": "server",
            "interaction": [{"code": "transaction"}, {"code": "batch"}],
            "searchParam": [{"name": "_id", "type": "token"}, {"name": "_lastUpdated", "type": "date"}],
            "operation": [{"name": "export", "definition": "http://hl7.org/fhir/OperationDefinition/export"}],
            "resource": [
                {
                    "type": "Slot",
                    "interaction": [{"code": "read"}, {"code": "update"}, {"code": "search-type"}],
                    "versioning": "versioned-update",
                    "conditionalCreate": True,
                    "searchParam": [
                        {"name": "schedule", "type": "reference"},
                        {"name": "start", "type": "date"},
                        {"name": "status", "type": "token"},
                    ],
                },
                {
                    "type": "Appointment",
                    "interaction": [{"code": "read"}, {"code": "create"}],
                    "operation": [{"name": "$book", "definition": "http://example.org/book"}],
                },
                {"type": "Patient", "interaction": [{"code": "read"}], "operation": [{"name": "everything"}]},
            ],
        },
        {"mode": "client", "resource": [{"type": "Basic", "interaction": [{"code": "read"}]}]},
    ],
}


def test_parses_version_types_interactions_params_and_operations() -> None:
    caps = ServerCapabilities.from_json(STATEMENT)
    assert caps.fhir_version == "4.0.1"
    assert caps.software == "Demo clinic"
    assert "application/fhir+json" in caps.formats
    assert caps.resource_types == {"Slot", "Appointment", "Patient"}  # the client-mode entry is not ours
    assert caps.supports("Slot", "update")
    assert not caps.supports("Slot", "delete")
    assert not caps.supports("Schedule", "read")
    assert caps.supports("system", "transaction")
    assert caps.search_params("Slot") == {"schedule", "start", "status", "_id", "_lastUpdated"}
    assert caps.supports_search_param("Slot", "start")
    assert caps.supports_search_param("Slot", "schedule:Schedule.actor")
    assert not caps.supports_search_param("Slot", "service-type")
    assert caps.resources["Slot"].search_params["start"] == "date"
    assert caps.resources["Slot"].conditional_create
    assert caps.resources["Slot"].versioning == "versioned-update"
    assert caps.has_operation("$book", "Appointment")
    assert caps.has_operation("book", "Appointment")
    assert caps.has_operation("everything", "Patient")
    assert not caps.has_operation("everything", "Slot")
    assert caps.has_operation("export")
    assert not caps.has_operation("book")


def test_a_type_listed_twice_unions_both_entries() -> None:
    statement = {
        "resourceType": "CapabilityStatement",
        "rest": [
            {"mode": "server", "resource": [{"type": "Slot", "interaction": [{"code": "read"}]}]},
            {"mode": "server", "resource": [{"type": "Slot", "interaction": [{"code": "patch"}]}]},
        ],
    }
    caps = ServerCapabilities.from_json(statement)
    assert caps.resources["Slot"].interactions == {"read", "patch"}


def test_something_else_than_a_capability_statement_is_refused() -> None:
    with pytest.raises(FhirProtocolError, match="did not return a CapabilityStatement"):
        ServerCapabilities.from_json({"resourceType": "OperationOutcome"})


def test_client_fetches_metadata_once_and_refreshes_on_demand() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return json_response(200, STATEMENT)

    with FhirClient(BASE, transport=httpx.MockTransport(handler)) as fhir:
        a = fhir.capabilities()
        b = fhir.capabilities()
        c = fhir.capabilities(refresh=True)
    assert calls == [f"{BASE}/metadata", f"{BASE}/metadata"]
    assert a is b and c is not a
    assert a.supports("Slot", "read")
