"""The FHIR client against the real demo clinic server (Medplum engine over HTTP on 127.0.0.1)."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from pathlib import Path

import pytest

from fhir_client import (
    AsyncFhirClient,
    FhirClient,
    FhirNotFound,
    FhirPreconditionFailed,
    FhirServerError,
    FhirUnprocessable,
    load_bundle_file,
    load_patient_from_server,
    load_patient_from_server_async,
)
from fhir_client.results import entry_results
from fhir_client.search import Search
from sandbox import Sandbox

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"
BUNDLES = sorted(DATA.glob("*_*.json"))
JOSUE = "7d27f180-98d6-456d-98c0-d91df32cd023"


def file_uuid(path: Path) -> str:
    m = re.search(r"_([0-9a-f-]{36})\.json$", path.name)
    assert m
    return m.group(1)


@pytest.mark.parametrize("path", BUNDLES, ids=lambda p: p.name.split("_")[0])
def test_server_record_has_the_same_counts_per_type_as_the_file(sandbox_url: str, path: Path) -> None:
    with FhirClient(sandbox_url) as fhir:
        record = load_patient_from_server(fhir, file_uuid(path))
    from_file = load_bundle_file(path)
    assert record.counts() == from_file.counts()
    assert record.skipped == [] and from_file.skipped == []
    assert record.patient_id == file_uuid(path)
    # Every reference inside the record resolves within it, as it does in the file.
    assert not [w for w in record.warnings if "dangling" in w.reason]


def test_search_builder_paging_over_next_links(sandbox_url: str) -> None:
    with FhirClient(sandbox_url) as fhir:
        results = fhir.search_all(Search("Observation").param("subject", f"Patient/{JOSUE}").count(100))
    assert len(results) == 662
    assert results.pages == 7
    assert len({r["id"] for r in results}) == 662


def test_date_range_and_sort(sandbox_url: str) -> None:
    search = (
        Search("Observation")
        .param("subject", f"Patient/{JOSUE}")
        .date_ge("2015-01-01")
        .date_lt("2016-01-01")
        .sort("-date")
        .count(500)
    )
    with FhirClient(sandbox_url) as fhir:
        found = fhir.search_all(search).resources
    dates = [o["effectiveDateTime"] for o in found]
    assert dates and dates == sorted(dates, reverse=True)
    assert all(d.startswith("2015") for d in dates)


def test_if_match_refuses_a_stale_update(sandbox_url: str) -> None:
    with FhirClient(sandbox_url) as fhir:
        created = fhir.create({"resourceType": "Organization", "name": f"If-Match {uuid.uuid4()}"})
        assert created.created and created.version_id
        org = dict(created.resource or {})
        org["name"] += " v2"
        second = fhir.update(org, if_match=created.version_id)
        assert second.version_id != created.version_id
        org["name"] += " v3"
        with pytest.raises(FhirPreconditionFailed) as info:
            fhir.update(org, if_match=created.version_id)  # stale: somebody changed it since
        assert info.value.status == 412
        assert f"Organization/{org['id']}" in str(info.value)


def test_conditional_create_does_not_duplicate(sandbox_url: str) -> None:
    ident = f"urn:test:{uuid.uuid4()}"
    org = {
        "resourceType": "Organization",
        "identifier": [{"system": "urn:test", "value": ident}],
        "name": "Once",
    }
    with FhirClient(sandbox_url) as fhir:
        first = fhir.create(org, if_none_exist={"identifier": f"urn:test|{ident}"})
        second = fhir.create(org, if_none_exist={"identifier": f"urn:test|{ident}"})
        assert first.created and not second.created
        assert (second.resource or {})["id"] == (first.resource or {})["id"]
        assert len(fhir.search_all(Search("Organization").param("identifier", f"urn:test|{ident}"))) == 1


def test_patch_and_transaction(sandbox_url: str) -> None:
    marker = str(uuid.uuid4())
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:" + str(uuid.uuid4()),
                "resource": {"resourceType": "Organization", "name": f"TX {marker} {i}"},
                "request": {"method": "POST", "url": "Organization"},
            }
            for i in range(2)
        ],
    }
    with FhirClient(sandbox_url) as fhir:
        answer = fhir.transaction(bundle)
        entries = entry_results(answer.resource or {})
        assert [e.status for e in entries] == [201, 201]
        ref = (entries[0].location or "").split("/_history")[0].split("/fhir/R4/")[-1]
        patched = fhir.patch(*ref.split("/"), [{"op": "replace", "path": "/name", "value": "Patched"}])
        assert (patched.resource or {})["name"] == "Patched"


def test_invalid_write_maps_to_unprocessable_naming_the_field(sandbox_url: str) -> None:
    with FhirClient(sandbox_url) as fhir, pytest.raises(FhirUnprocessable) as info:
        fhir.create({"resourceType": "Patient", "birthDate": "yesterday"})
    assert "Patient.birthDate" in str(info.value)


def test_missing_resource_and_missing_operation_are_not_found(sandbox_url: str) -> None:
    with FhirClient(sandbox_url) as fhir:
        with pytest.raises(FhirNotFound, match="does not exist"):
            fhir.read("Patient", "no-such-patient")
        with pytest.raises(FhirNotFound):
            fhir.operation("everything", resource_type="Patient", resource_id=JOSUE, method="GET")


def test_capabilities_list_scheduling_search_params(sandbox_url: str) -> None:
    with FhirClient(sandbox_url) as fhir:
        caps = fhir.capabilities()
    assert caps.supports("Slot", "search-type") and caps.supports("Appointment", "create")
    assert {"schedule", "start", "status"} <= caps.search_params("Slot")
    assert caps.supports_search_param("Observation", "subject")


def test_server_errors_map_to_the_tree(sandbox: Sandbox) -> None:
    sandbox.add_fault(method="GET", path="^/Schedule", status=503)
    try:
        with FhirClient(sandbox.base_url) as fhir, pytest.raises(FhirServerError) as info:
            fhir.search(Search("Schedule"))
    finally:
        sandbox.clear_faults()
    assert info.value.status == 503


async def test_async_loading_matches_sync(sandbox_url: str) -> None:
    async with AsyncFhirClient(sandbox_url) as fhir:
        record = await load_patient_from_server_async(fhir, JOSUE)
    counts = Counter(record.counts())
    assert counts["Observation"] == 662 and counts["Patient"] == 1
