"""What the Node adapter adds to the engine: validation, /metadata, fast patient searches, paging
links, version headers, admin actions and fault injection."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from sandbox import Sandbox, SandboxPortInUse, SandboxStartFailed

pytestmark = pytest.mark.integration
JOSUE = "7d27f180-98d6-456d-98c0-d91df32cd023"


def test_invalid_resource_is_refused_with_the_field_named(sandbox_url: str) -> None:
    r = httpx.post(f"{sandbox_url}/Patient", json={"resourceType": "Patient", "birthDate": "31/12/1990"})
    assert r.status_code == 400
    issue = r.json()["issue"][0]
    assert issue["expression"] == ["Patient.birthDate"]


def test_body_type_must_match_the_url(sandbox_url: str) -> None:
    r = httpx.post(f"{sandbox_url}/Observation", json={"resourceType": "Patient"})
    assert r.status_code == 400
    assert "URL names Observation" in r.json()["issue"][0]["details"]["text"]


def test_a_transaction_with_one_invalid_entry_writes_nothing(sandbox_url: str) -> None:
    marker = "tx-atomic-validation-check"
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "resource": {"resourceType": "Organization", "name": marker},
                "request": {"method": "POST", "url": "Organization"},
            },
            {
                "resource": {"resourceType": "Patient", "gender": "not-a-gender", "birthDate": "never"},
                "request": {"method": "POST", "url": "Patient"},
            },
        ],
    }
    r = httpx.post(sandbox_url, json=bundle)
    assert r.status_code == 400
    assert "Bundle.entry[1]" in r.json()["issue"][0]["diagnostics"]
    found = httpx.get(f"{sandbox_url}/Organization", params={"name": marker}).json()
    assert found.get("entry", []) == []


def test_malformed_json_is_a_400_outcome_not_a_crash(sandbox_url: str) -> None:
    r = httpx.post(
        f"{sandbox_url}/Patient",
        content=b'{"resourceType": "Pat',
        headers={"content-type": "application/fhir+json"},
    )
    assert r.status_code == 400
    assert "not valid JSON" in r.json()["issue"][0]["details"]["text"]
    assert httpx.get(f"{sandbox_url}/metadata").status_code == 200  # still serving


def test_metadata_lists_types_search_params_and_no_everything(sandbox_url: str) -> None:
    cs = httpx.get(f"{sandbox_url}/metadata").json()
    assert cs["resourceType"] == "CapabilityStatement" and cs["fhirVersion"] == "4.0.1"
    by_type = {r["type"]: r for r in cs["rest"][0]["resource"]}
    assert {"Patient", "Slot", "Appointment", "Schedule", "Observation"} <= set(by_type)
    slot_params = {p["name"] for p in by_type["Slot"]["searchParam"]}
    assert {"schedule", "start", "status", "service-type"} <= slot_params
    assert all(op["name"] != "everything" for op in cs["rest"][0].get("operation", []))


def test_patient_search_equals_subject_search(sandbox_url: str) -> None:
    by_patient = httpx.get(f"{sandbox_url}/Observation", params={"patient": JOSUE, "_count": "1000"}).json()
    by_subject = httpx.get(
        f"{sandbox_url}/Observation", params={"subject": f"Patient/{JOSUE}", "_count": "1000"}
    ).json()
    ids_p = {e["resource"]["id"] for e in by_patient["entry"]}
    assert ids_p == {e["resource"]["id"] for e in by_subject["entry"]}
    assert len(ids_p) == 662
    # Types whose `patient` parameter is not `subject` keep their own parameter.
    allergies = httpx.get(f"{sandbox_url}/Immunization", params={"patient": JOSUE}).json()
    assert allergies["total"] > 0


def test_search_pages_carry_next_links_until_the_end(sandbox_url: str) -> None:
    url: str | None = f"{sandbox_url}/Observation?subject=Patient/{JOSUE}&_count=100"
    ids: list[str] = []
    pages = 0
    while url:
        body = httpx.get(url).json()
        pages += 1
        ids += [e["resource"]["id"] for e in body["entry"]]
        assert all(e["fullUrl"].endswith(f"/Observation/{e['resource']['id']}") for e in body["entry"])
        url = next((link["url"] for link in body["link"] if link["relation"] == "next"), None)
    assert pages == 7 and len(ids) == len(set(ids)) == 662


def test_create_answers_201_with_location_and_etag(sandbox_url: str) -> None:
    r = httpx.post(f"{sandbox_url}/Organization", json={"resourceType": "Organization", "name": "Etag check"})
    assert r.status_code == 201
    body = r.json()
    assert r.headers["etag"] == f'W/"{body["meta"]["versionId"]}"'
    assert r.headers["location"].endswith(f"/Organization/{body['id']}/_history/{body['meta']['versionId']}")


def test_unknown_path_outside_the_base_is_a_404_outcome(sandbox: Sandbox) -> None:
    r = httpx.get(f"{sandbox.root_url}/nope")
    assert r.status_code == 404
    assert "/fhir/R4" in r.json()["issue"][0]["details"]["text"]


def test_injected_fault_fires_the_asked_number_of_times(sandbox: Sandbox) -> None:
    sandbox.add_fault(method="GET", path="^/Location", status=503, times=2)
    try:
        codes = [httpx.get(f"{sandbox.base_url}/Location").status_code for _ in range(3)]
    finally:
        sandbox.clear_faults()
    assert codes == [503, 503, 200]


def test_second_server_on_a_busy_port_says_so(sandbox: Sandbox) -> None:
    with pytest.raises(SandboxPortInUse, match=f"port {sandbox.port} .* in use"):
        Sandbox(port=sandbox.port, synthea_dir=None).start()


def test_port_taken_by_another_program_is_reported() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(SandboxPortInUse):
            Sandbox(port=port, synthea_dir=None).start()


def test_missing_synthea_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SandboxStartFailed, match="no Synthea folder"):
        Sandbox(port=0, synthea_dir=tmp_path / "absent").start()


def test_reset_forgets_writes_and_reseeds() -> None:
    with Sandbox(port=0, synthea_dir=None) as sb:
        slot = httpx.get(f"{sb.base_url}/Slot", params={"status": "free", "_count": "1"}).json()["entry"][0][
            "resource"
        ]
        slot["status"] = "busy"
        assert httpx.put(f"{sb.base_url}/Slot/{slot['id']}", json=slot).status_code == 200
        sb.reset()
        again = httpx.get(f"{sb.base_url}/Slot/{slot['id']}").json()
        assert again["status"] == "free"
        assert httpx.get(f"{sb.base_url}/Patient").json().get("total", 0) == 0
