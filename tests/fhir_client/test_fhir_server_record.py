"""Loading a record from a (fake) FHIR server gives what loading the same data from a file gives."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fhir_fakes import BASE, DATA, FakeFhirServer, json_response, server_resources

from fhir_client import (
    AsyncFhirClient,
    FhirClient,
    FhirTransportError,
    RecordLoadError,
    load_bundle_file,
    load_patient_from_server,
    load_patient_from_server_async,
)
from fhir_client.server_record import DEFAULT_TYPES

LUIGI = next(DATA.glob("Luigi_Wiegand_*.json"))
FIDEL = next(DATA.glob("Fidel_Bins_*.json"))  # has AllergyIntolerance (searched by patient=)
JOSUE = next(DATA.glob("Josue_Sipes_*.json"))  # 662 Observations: several pages


def patient_id(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    return str(next(e["resource"]["id"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient"))


@pytest.mark.parametrize("path", [LUIGI, FIDEL], ids=lambda p: p.name.split("_")[0])
def test_server_record_equals_file_record(path: Path) -> None:
    server = FakeFhirServer(server_resources(path))
    with FhirClient(BASE, transport=server.transport()) as fhir:
        record = load_patient_from_server(fhir, patient_id(path))
    from_file = load_bundle_file(path)
    assert record.counts() == from_file.counts()
    assert record.patient_id == from_file.patient_id
    assert record.source == f"fhir:{patient_id(path)}"
    assert record.issues == []
    # References resolve inside the record just as they do for a file.
    enc = record.of_type("Encounter")[0]
    assert record.get(enc.subject.reference) is record.patient


def test_searches_one_patient_per_type_with_the_right_parameter() -> None:
    server = FakeFhirServer(server_resources(FIDEL))
    pid = patient_id(FIDEL)
    with FhirClient(BASE, transport=server.transport()) as fhir:
        load_patient_from_server(fhir, pid)
    searches = {
        r.url.path.rsplit("/", 1)[-1]: dict(r.url.params)
        for r in server.requests
        if "_id" not in r.url.params
    }
    assert searches["Observation"]["subject"] == f"Patient/{pid}"
    assert searches["Condition"]["subject"] == f"Patient/{pid}"
    assert searches["AllergyIntolerance"]["patient"] == f"Patient/{pid}"
    assert searches["Claim"]["patient"] == f"Patient/{pid}"
    assert searches["Appointment"]["patient"] == f"Patient/{pid}"
    assert set(DEFAULT_TYPES) <= set(searches)
    # Practitioners and organisations the record points at are fetched by id, in one search per type.
    by_id = [r for r in server.requests if "_id" in r.url.params]
    assert sorted(r.url.path.rsplit("/", 1)[-1] for r in by_id) == ["Organization", "Practitioner"]


def test_every_page_is_read() -> None:
    server = FakeFhirServer(server_resources(JOSUE), with_total=False)
    with FhirClient(BASE, transport=server.transport()) as fhir:
        record = load_patient_from_server(fhir, patient_id(JOSUE), page_size=100)
    assert record.counts()["Observation"] == 662
    obs_pages = [r for r in server.requests if r.url.path.endswith("/Observation")]
    assert len(obs_pages) == 7  # 6 full pages and a short one
    assert record.counts() == load_bundle_file(JOSUE).counts()


def test_an_unknown_patient_is_bad_input() -> None:
    server = FakeFhirServer(server_resources(LUIGI))
    with FhirClient(BASE, transport=server.transport()) as fhir, pytest.raises(RecordLoadError) as info:
        load_patient_from_server(fhir, "no-such-patient")
    assert str(info.value) == f"the FHIR server at {BASE} has no Patient with id 'no-such-patient'"
    assert info.value.exit_code == 2


def test_an_unreachable_server_says_so() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    base = "http://127.0.0.1:8103/fhir/R4"
    with (
        FhirClient(base, transport=httpx.MockTransport(refuse)) as fhir,
        pytest.raises(FhirTransportError) as info,
    ):
        load_patient_from_server(fhir, "p1")
    assert str(info.value) == (
        "could not reach the FHIR server at http://127.0.0.1:8103/fhir/R4: connection refused — is it running?"
    )


def test_invalid_resources_are_reported_and_skipped_like_in_a_file() -> None:
    resources = server_resources(LUIGI)
    bad = next(r for r in resources if r["resourceType"] == "Immunization")
    bad["occurrenceDateTime"] = "last tuesday"
    server = FakeFhirServer(resources)
    with FhirClient(BASE, transport=server.transport()) as fhir:
        record = load_patient_from_server(fhir, patient_id(LUIGI))
    [issue] = record.skipped
    assert (issue.resource_type, issue.resource_id, issue.severity) == ("Immunization", bad["id"], "error")
    assert "occurrenceDateTime" in (issue.field or "")
    assert record.counts()["Immunization"] == load_bundle_file(LUIGI).counts()["Immunization"] - 1


def test_another_patients_data_returned_by_a_careless_server_is_not_loaded() -> None:
    resources = server_resources(LUIGI)
    pid = patient_id(LUIGI)
    intruder = copy.deepcopy(next(r for r in resources if r["resourceType"] == "Observation"))
    intruder["id"] = "intruder"
    intruder["subject"] = {"reference": "Patient/someone-else"}

    def careless(request: httpx.Request) -> httpx.Response:
        response = FakeFhirServer(resources).handle(request)
        if request.url.path.endswith("/Observation"):
            body = json.loads(response.content)
            body["entry"].append({"resource": intruder, "search": {"mode": "match"}})
            return json_response(200, body)
        return response

    with FhirClient(BASE, transport=httpx.MockTransport(careless)) as fhir:
        record = load_patient_from_server(fhir, pid)
    assert "Observation/intruder" not in record
    assert any(i.resource_id == "intruder" and "Patient/someone-else" in i.reason for i in record.issues)


def statement(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "CapabilityStatement", "rest": [{"mode": "server", "resource": resources}]}


def test_capabilities_steer_the_searches_and_gaps_are_reported() -> None:
    pid = patient_id(FIDEL)
    caps = statement(
        [
            {"type": t, "interaction": [{"code": "search-type"}]}
            for t in DEFAULT_TYPES
            if t not in ("Claim", "Observation", "Goal")
        ]
        + [
            # Observation searchable by patient only; Goal not by patient at all.
            {"type": "Observation", "searchParam": [{"name": "patient", "type": "reference"}]},
            {"type": "Goal", "searchParam": [{"name": "lifecycle-status", "type": "token"}]},
        ]
    )
    server = FakeFhirServer(server_resources(FIDEL), metadata=caps)
    with FhirClient(BASE, transport=server.transport()) as fhir:
        record = load_patient_from_server(fhir, pid)
    searched = {r.url.path.rsplit("/", 1)[-1]: dict(r.url.params) for r in server.requests}
    assert "Claim" not in searched and "Goal" not in searched
    assert searched["Observation"] == {"patient": f"Patient/{pid}", "_count": "500"}
    reasons = {i.resource_type: i.reason for i in record.warnings}
    assert reasons["Claim"] == "the server does not offer Claim; none loaded"
    assert reasons["Goal"] == "the server cannot search Goal by patient (subject or patient); none loaded"
    assert record.counts()["Observation"] == load_bundle_file(FIDEL).counts()["Observation"]


async def test_async_twin_gives_the_same_record() -> None:
    server = FakeFhirServer(server_resources(FIDEL))
    async with AsyncFhirClient(BASE, transport=server.transport()) as fhir:
        record = await load_patient_from_server_async(fhir, patient_id(FIDEL), concurrency=3)
    assert record.counts() == load_bundle_file(FIDEL).counts()
    async with AsyncFhirClient(BASE, transport=server.transport()) as fhir:
        with pytest.raises(RecordLoadError):
            await load_patient_from_server_async(fhir, "nobody")
