"""The Bundle loader on the shared data and on malformed input: bad data is reported, good data loads."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from fhir_client import RecordLoadError, load_bundle, load_bundle_file

DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"
BUNDLES = sorted(DATA.glob("*.json"))
LUIGI = next(DATA.glob("Luigi_Wiegand_*.json"))

# INVENTORY.txt abbreviates type names.
ABBREVIATIONS = {
    "Obs": "Observation",
    "Imm": "Immunization",
    "Enc": "Encounter",
    "Claim": "Claim",
    "EOB": "ExplanationOfBenefit",
    "Proc": "Procedure",
    "Pat": "Patient",
    "Org": "Organization",
    "Pract": "Practitioner",
    "DR": "DiagnosticReport",
    "Cond": "Condition",
    "MedReq": "MedicationRequest",
    "CP": "CarePlan",
    "Goal": "Goal",
    "Allergy": "AllergyIntolerance",
    "Img": "ImagingStudy",
}


def inventory() -> dict[str, tuple[int, dict[str, int]]]:
    """File name → (total, counts by type) as INVENTORY.txt states them."""
    lines = (DATA / "INVENTORY.txt").read_text(encoding="utf-8").splitlines()
    out: dict[str, tuple[int, dict[str, int]]] = {}
    for header, counts in zip(lines[0::3], lines[1::3], strict=False):
        name = header.split()[0]
        total = int(re.search(r"(\d[\d,]*) resources\]", header).group(1).replace(",", ""))  # type: ignore[union-attr]
        by_type = {ABBREVIATIONS[abbr]: int(n) for abbr, n in re.findall(r"(\w+) (\d+)", counts)}
        out[name] = (total, by_type)
    return out


INVENTORY = inventory()


def raw(path: Path = LUIGI) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def entries_of(data: dict[str, Any], rtype: str) -> list[dict[str, Any]]:
    return [e for e in data["entry"] if e["resource"]["resourceType"] == rtype]


def test_inventory_lists_every_shared_bundle() -> None:
    assert sorted(INVENTORY) == [p.name for p in BUNDLES]
    assert len(BUNDLES) == 12


@pytest.mark.parametrize("path", BUNDLES, ids=lambda p: p.name.split("_")[0])
def test_each_shared_bundle_loads_with_its_inventory_counts(path: Path) -> None:
    total, by_type = INVENTORY[path.name]
    from_json = Counter(e["resource"]["resourceType"] for e in raw(path)["entry"])
    assert dict(from_json) == by_type  # the inventory agrees with the raw JSON
    record = load_bundle_file(path)
    assert record.counts() == by_type
    assert len(record) == total
    assert record.issues == []
    assert record.source == str(path)


def test_truncated_json_fails_as_a_whole_with_where_it_stopped(tmp_path: Path) -> None:
    text = LUIGI.read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(RecordLoadError) as info:
        load_bundle_file(cut)
    assert str(info.value).startswith("cut.json is not valid JSON (line ")
    assert str(info.value).endswith("is the file complete?")
    assert info.value.exit_code == 2


def test_empty_binary_and_missing_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.json").write_text("", encoding="utf-8")
    (tmp_path / "latin.json").write_bytes(b'{"resourceType": "Bundle", "x": "\xe9\xff"}')
    with pytest.raises(RecordLoadError, match="not valid JSON"):
        load_bundle_file(tmp_path / "empty.json")
    with pytest.raises(RecordLoadError, match="not UTF-8"):
        load_bundle_file(tmp_path / "latin.json")
    with pytest.raises(RecordLoadError, match="no such file"):
        load_bundle_file(tmp_path / "nope.json")
    with pytest.raises(RecordLoadError, match="is a folder"):
        load_bundle_file(tmp_path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "expected a FHIR Bundle object, found a JSON list"),
        ({"foo": 1}, "not a FHIR resource (no resourceType); expected a Bundle"),
        ({"resourceType": "Observation", "id": "x"}, "resourceType is 'Observation'; expected a Bundle"),
        ({"resourceType": "Bundle", "type": "nonsense"}, "Bundle.type 'nonsense' is not a bundle type"),
        (
            {"resourceType": "Bundle", "type": "collection", "entry": {"a": 1}},
            "Bundle.entry is a JSON dict, not a list",
        ),
        ({"resourceType": "Bundle", "type": "searchset"}, "the bundle holds no valid Patient resource"),
    ],
)
def test_what_is_not_a_patient_bundle_is_refused_as_a_whole(data: Any, message: str) -> None:
    with pytest.raises(RecordLoadError) as info:
        load_bundle(data, source="x.json")
    assert str(info.value).startswith("x.json: ")
    assert message in str(info.value)


def test_every_bundle_type_a_patient_may_export_loads_the_same() -> None:
    base = load_bundle_file(LUIGI).counts()
    for btype in ("transaction", "batch", "collection", "searchset"):
        data = raw()
        data["type"] = btype
        if btype in ("collection", "searchset"):
            for e in data["entry"]:
                e.pop("request", None)
        assert load_bundle(data).counts() == base, btype


def test_bad_dates_are_reported_with_type_id_field_and_the_rest_loads() -> None:
    data = raw()
    first, second = entries_of(data, "Observation")[:2]
    first["resource"]["effectiveDateTime"] = "2020-13-45"
    second["resource"]["issued"] = "yesterday"
    record = load_bundle(data)
    assert [(i.resource_type, i.resource_id, i.field, i.severity) for i in record.issues] == [
        ("Observation", first["resource"]["id"], "effectiveDateTime", "error"),
        ("Observation", second["resource"]["id"], "issued", "error"),
    ]
    assert "'2020-13-45' is not valid" in record.issues[0].reason
    assert record.issues[0].reason.endswith("resource skipped")
    expected = INVENTORY[LUIGI.name][1]
    assert record.counts()["Observation"] == expected["Observation"] - 2
    assert len(record) == INVENTORY[LUIGI.name][0] - 2
    assert record.get(f"Observation/{first['resource']['id']}") is None


def test_an_invalid_patient_is_named_in_the_error() -> None:
    data = raw()
    entries_of(data, "Patient")[0]["resource"]["birthDate"] = "soon"
    with pytest.raises(RecordLoadError) as info:
        load_bundle(data, source="b.json")
    assert "the Patient was invalid" in str(info.value)
    assert "birthDate" in str(info.value)


def test_an_unknown_resource_type_is_reported_and_skipped() -> None:
    data = raw()
    data["entry"].append({"fullUrl": "urn:uuid:f1", "resource": {"resourceType": "Frobnicator", "id": "f1"}})
    data["entry"].append({"resource": {"id": "no-type"}})
    record = load_bundle(data)
    assert [i.describe() for i in record.issues] == [
        "Frobnicator/f1 field 'resourceType': 'Frobnicator' is not a FHIR R4 resource type",
        "resource/no-type field 'resourceType': missing resourceType; entry skipped",
    ]
    assert len(record) == INVENTORY[LUIGI.name][0]


def test_entries_that_are_not_objects_are_reported_not_silently_dropped() -> None:
    data = raw()
    data["entry"].append("junk")
    data["entry"].append({"resource": ["not", "an", "object"]})
    data["entry"].append({"request": {"method": "DELETE", "url": "Observation/x"}})  # no data: nothing to say
    record = load_bundle(data)
    n = len(raw()["entry"])
    assert [(i.field, i.reason) for i in record.issues] == [
        (f"entry[{n}]", "entry is not a JSON object; skipped"),
        (f"entry[{n + 1}].resource", "resource is not a JSON object; skipped"),
    ]


def test_a_dangling_urn_reference_is_a_warning_and_the_resource_is_kept() -> None:
    data = raw()
    obs = entries_of(data, "Observation")[0]["resource"]
    obs["encounter"] = {"reference": "urn:uuid:00000000-0000-0000-0000-000000000000"}
    record = load_bundle(data)
    [issue] = record.issues
    assert (issue.resource_type, issue.resource_id, issue.field, issue.severity) == (
        "Observation",
        obs["id"],
        "encounter",
        "warning",
    )
    assert "urn:uuid:00000000-0000-0000-0000-000000000000 points at nothing" in issue.reason
    assert record.get(f"Observation/{obs['id']}") is not None
    assert record.skipped == [] and record.warnings == [issue]


def test_urn_references_resolve_to_type_and_id() -> None:
    record = load_bundle_file(LUIGI)
    for obs in record.of_type("Observation"):
        assert obs.subject.reference == record.patient_ref
        assert record.get(obs.encounter.reference) is not None


def test_another_patients_resources_in_the_same_bundle_are_not_loaded_and_are_reported() -> None:
    data = raw()
    own = entries_of(data, "Patient")[0]["resource"]["id"]
    other = {"fullUrl": "urn:uuid:other-1", "resource": {"resourceType": "Patient", "id": "other-1"}}
    obs = copy.deepcopy(entries_of(data, "Observation")[0])
    obs["fullUrl"] = "urn:uuid:other-obs"
    obs["resource"]["id"] = "other-obs"
    obs["resource"]["subject"] = {"reference": "urn:uuid:other-1"}
    allergy = {
        "resource": {
            "resourceType": "AllergyIntolerance",
            "id": "other-allergy",
            "patient": {"reference": "Patient/other-1"},
        }
    }
    appt = {
        "resource": {
            "resourceType": "Appointment",
            "id": "other-appt",
            "status": "booked",
            "participant": [
                {"actor": {"reference": "Patient/other-1"}, "status": "accepted"},
                {"actor": {"reference": "Practitioner/x"}, "status": "accepted"},
            ],
        }
    }
    data["entry"] += [other, obs, allergy, appt]
    with pytest.raises(RecordLoadError, match="holds 2 patients"):
        load_bundle(data)
    record = load_bundle(data, patient_id=own)
    assert record.patient_id == own
    assert record.counts() == INVENTORY[LUIGI.name][1]
    reasons = {(i.resource_type, i.resource_id, i.field): i.reason for i in record.issues}
    assert reasons == {
        ("Patient", "other-1", None): "another patient in the same bundle; not part of this record",
        ("Observation", "other-obs", "subject"): f"belongs to Patient/other-1, not Patient/{own}; not loaded",
        (
            "AllergyIntolerance",
            "other-allergy",
            "patient",
        ): f"belongs to Patient/other-1, not Patient/{own}; not loaded",
        (
            "Appointment",
            "other-appt",
            "participant.actor",
        ): f"belongs to Patient/other-1, not Patient/{own}; not loaded",
        # the practitioner the (other patient's) appointment names is not in the bundle either: said too
        (
            "Appointment",
            "other-appt",
            "participant[1].actor",
        ): "reference Practitioner/x points at nothing in the bundle",
    }


def test_the_patient_can_be_chosen_by_identifier() -> None:
    data = raw()
    identifier = entries_of(data, "Patient")[0]["resource"]["identifier"][0]["value"]
    assert (
        load_bundle(data, patient_id=identifier).patient_id
        == entries_of(data, "Patient")[0]["resource"]["id"]
    )
    with pytest.raises(RecordLoadError, match="no Patient with id 'nobody'"):
        load_bundle(data, patient_id="nobody")


def test_a_resource_twice_is_kept_once_with_a_warning() -> None:
    data = raw()
    data["entry"].append(copy.deepcopy(entries_of(data, "Observation")[0]))
    record = load_bundle(data)
    assert len(record) == INVENTORY[LUIGI.name][0]
    [issue] = record.issues
    assert (issue.severity, issue.reason) == ("warning", "appears more than once; the first copy is kept")


def test_loading_leaves_the_callers_json_untouched() -> None:
    data = raw()
    before = copy.deepcopy(data)
    load_bundle(data)
    assert data == before


def test_a_single_patient_resource_is_a_record_of_one() -> None:
    patient = entries_of(raw(), "Patient")[0]["resource"]
    record = load_bundle(patient)
    assert record.counts() == {"Patient": 1}
    assert record.patient.id == patient["id"]
