"""Record shapes that real exports have (the four files in data/realworld/), read or reported, never misread.

Expected values come from the bundle JSON read with the ``json`` module, never from the loader under test.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from fhir_client import load_bundle, load_bundle_file
from fhir_client.absence import AbsenceTable
from fhir_client.placeholders import is_placeholder

REALWORLD = Path(__file__).resolve().parents[2] / "data" / "realworld"
FILES = sorted(REALWORLD.glob("*.json"))
IPS = REALWORLD / "IPS_IG-bundle-01.json"
ELGA = REALWORLD / "AT_ELGA_GmbH_01.json"
MEDITECH = REALWORLD / "US_MEDITECH_ips_2.json"
CCDA = next(REALWORLD.glob("Lisandra920_*.json"))


def raw(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def entry_ref(entry: dict[str, Any]) -> str:
    res = entry["resource"]
    rid = res.get("id") or entry["fullUrl"].removeprefix("urn:uuid:")
    return f"{res['resourceType']}/{rid}"


def test_the_four_files_and_their_readme_are_in_the_repository() -> None:
    assert len(FILES) == 4
    readme = (REALWORLD / "README.md").read_text(encoding="utf-8")
    assert "Apache-2.0" in readme and "CC0" in readme
    for path in FILES:
        assert path.stem.split("_")[0] in readme


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem[:12])
def test_every_entry_is_kept_or_reported_by_type_id_and_reason(path: Path) -> None:
    record = load_bundle_file(path)
    reported = {f"{i.resource_type}/{i.resource_id}" for i in record.skipped}
    for entry in raw(path)["entry"]:
        ref = entry_ref(entry)
        assert ref in record or ref in reported, ref
    for issue in [*record.issues, *record.notes]:
        assert issue.resource_type and issue.reason


def test_resources_without_id_take_their_entry_uuid_and_say_so() -> None:
    record = load_bundle_file(ELGA)
    entries = raw(ELGA)["entry"]
    assert all("id" not in e["resource"] for e in entries)
    for entry in entries[:20]:
        assert entry_ref(entry) in record
    notes = {(n.resource_type, n.resource_id): n.reason for n in record.notes if n.field == "id"}
    assert len(notes) == len(entries)
    assert set(notes.values()) == {"no id; given the uuid of its entry's fullUrl"}


def test_a_resource_without_id_or_fullurl_gets_a_stable_id_from_its_content() -> None:
    data = raw(IPS)
    obs = copy.deepcopy(next(e for e in data["entry"] if e["resource"]["resourceType"] == "Observation"))
    obs.pop("fullUrl")
    obs["resource"].pop("id")
    data["entry"].append(obs)
    first = load_bundle(copy.deepcopy(data))
    second = load_bundle(copy.deepcopy(data))
    made = [n.resource_id for n in first.notes if n.field == "id"]
    assert len(made) == 1 and str(made[0]).startswith("gen-")
    assert made == [n.resource_id for n in second.notes if n.field == "id"]
    assert f"Observation/{made[0]}" in first


def test_absolute_fullurls_and_relative_references_resolve_and_missing_targets_are_reported() -> None:
    record = load_bundle_file(MEDITECH)
    entries = raw(MEDITECH)["entry"]
    assert all(e["fullUrl"].startswith("https://") for e in entries)
    request = next(e["resource"] for e in entries if e["resource"]["resourceType"] == "MedicationRequest")
    target = request["medicationReference"]["reference"]
    assert target.startswith("Medication/") and record.get(target) is not None
    assert record.get(entries[0]["fullUrl"]) is not None  # an absolute URL resolves to the same resource
    dangling = {i.reason for i in record.warnings if "points at nothing" in i.reason}
    missing_encounters = {
        e["resource"]["encounter"]["reference"]
        for e in entries
        if "encounter" in e["resource"] and e["resource"]["encounter"]["reference"] not in record
    }
    assert missing_encounters
    for ref in missing_encounters:
        assert f"reference {ref} points at nothing in the bundle" in dangling


def test_no_known_food_allergy_is_a_statement_of_absence_not_an_allergy() -> None:
    record = load_bundle_file(IPS)
    allergies = [
        e["resource"] for e in raw(IPS)["entry"] if e["resource"]["resourceType"] == "AllergyIntolerance"
    ]
    negation = next(a for a in allergies if a["code"]["coding"][0]["code"] == "429625007")
    real = next(a for a in allergies if a is not negation)
    absence = record.absences[f"AllergyIntolerance/{negation['id']}"]
    assert (absence.kind, absence.meaning) == ("allergies", "absent")
    assert absence.words("fr") == "pas d'allergie alimentaire connue"
    assert not record.is_item(absence.ref)
    assert record.is_item(f"AllergyIntolerance/{real['id']}")
    assert [a.ref for a in record.absences_of("allergies")] == [absence.ref]


def test_a_diagnostic_report_without_its_required_code_is_kept_and_reported() -> None:
    record = load_bundle_file(CCDA)
    reports = [
        e["resource"] for e in raw(CCDA)["entry"] if e["resource"]["resourceType"] == "DiagnosticReport"
    ]
    assert reports and all("code" not in r for r in reports)
    for report in reports:
        assert f"DiagnosticReport/{report['id']}" in record
    warned = {i.resource_id for i in record.warnings if i.field == "code"}
    assert warned == {r["id"] for r in reports}


def test_template_placeholders_left_as_values_are_reported() -> None:
    record = load_bundle_file(CCDA)
    slots = [
        e["resource"]["id"] for e in raw(CCDA)["entry"] if e["resource"].get("valueString") == "{entry.value}"
    ]
    assert slots
    warned = {
        i.resource_id for i in record.warnings if i.field == "valueString" and "placeholder" in i.reason
    }
    assert warned == set(slots)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{entry.value}", True),
        ("{{ patient.name }}", True),
        ("<INSERT MANUFACTURER NAME HERE>", True),
        ("${value}", True),
        ("{Number}", False),  # a UCUM annotation, not a slot
        ("{score}", False),
        ("Positive", False),
        ("see {attached} note", False),
    ],
)
def test_placeholder_shapes_and_look_alikes(text: str, expected: bool) -> None:
    assert is_placeholder(text) is expected


@pytest.mark.parametrize(
    ("resource", "kind"),
    [
        (
            {
                "resourceType": "AllergyIntolerance",
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": "716186003"}]},
            },
            "allergies",
        ),
        (
            {
                "resourceType": "Condition",
                "code": {
                    "coding": [
                        {
                            "system": "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips",
                            "code": "no-known-problems",
                        }
                    ]
                },
            },
            "problems",
        ),
        (
            {
                "resourceType": "MedicationStatement",
                "medicationCodeableConcept": {
                    "coding": [{"system": "http://snomed.info/sct", "code": "787481004"}]
                },
            },
            "medications",
        ),
        ({"resourceType": "AllergyIntolerance", "code": {"text": "NKDA"}}, "allergies"),
        ({"resourceType": "AllergyIntolerance", "code": {"text": "Aucune allergie connue."}}, "allergies"),
        (
            {
                "resourceType": "MedicationStatement",
                "medicationCodeableConcept": {"text": "No current medications"},
            },
            "medications",
        ),
    ],
)
def test_statements_of_absence_are_recognised(resource: dict[str, Any], kind: str) -> None:
    found = AbsenceTable.load().classify({**resource, "id": "x"})
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "resource",
    [
        {
            "resourceType": "AllergyIntolerance",
            "code": {
                "coding": [{"system": "http://snomed.info/sct", "code": "91936005"}],
                "text": "no known allergy",
            },
        },
        {
            "resourceType": "AllergyIntolerance",
            "code": {"text": "No known allergy to penicillin until 2019, then hives"},
        },
        {"resourceType": "AllergyIntolerance", "code": {"text": "Peanut"}},
        {"resourceType": "Condition", "code": {"text": "No known allergy"}},  # allergy words on a problem
        {
            "resourceType": "Observation",
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "716186003"}]},
        },
    ],
)
def test_look_alikes_are_read_as_items(resource: dict[str, Any]) -> None:
    assert AbsenceTable.load().classify({**resource, "id": "x"}) is None


def test_entries_marked_entered_in_error_are_kept_but_not_items() -> None:
    data = raw(IPS)
    condition = next(e for e in data["entry"] if e["resource"]["resourceType"] == "Condition")
    condition["resource"]["verificationStatus"] = {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                "code": "entered-in-error",
            }
        ]
    }
    record = load_bundle(data)
    ref = f"Condition/{condition['resource']['id']}"
    assert ref in record and not record.is_item(ref)
    assert record.not_items[ref] == "entered in error"


def test_a_search_outcome_entry_is_a_note_not_a_resource() -> None:
    data = raw(MEDITECH)
    data["entry"].append(
        {
            "search": {"mode": "outcome"},
            "resource": {
                "resourceType": "OperationOutcome",
                "id": "oo",
                "issue": [{"severity": "information", "code": "informational"}],
            },
        }
    )
    record = load_bundle(data)
    assert "OperationOutcome" not in record.counts()
    assert any(n.resource_type == "OperationOutcome" and "search" in n.reason for n in record.notes)
