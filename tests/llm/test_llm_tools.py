"""PatientTools over real Synthea records: bound to one patient, compact JSON, refs for every fact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.llm import PatientTools, SchedulingTools, ToolArgumentError
from fhir_client import PatientRecord
from retrieval import RecordRetriever

FACT_FIELDS = {"latest", "values", "items", "results"}


def _facts(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for key in FACT_FIELDS for item in payload.get(key, [])]


def test_no_tool_takes_a_patient_argument(emery: PatientRecord) -> None:
    tools = PatientTools(emery, scheduling=SchedulingTools(*(lambda a: {} for _ in range(4))))
    for spec in tools.specs:
        props = spec.parameters["properties"]
        assert not any("patient" in name or name in ("subject", "id") for name in props), spec.name
        assert spec.parameters["additionalProperties"] is False


def test_a_smuggled_patient_id_is_rejected_before_anything_runs(emery: PatientRecord) -> None:
    seen: list[str] = []
    tools = PatientTools(emery, on_tool_call=lambda name, args, refs: seen.append(name))
    with pytest.raises(ToolArgumentError, match="does not take patient"):
        tools.call("get_latest", {"concept": "a1c", "patient": "Patient/someone-else"})
    assert seen == []


def test_get_latest_a1c_returns_the_record_value_with_its_reference(emery: PatientRecord) -> None:
    calls: list[tuple[str, dict[str, Any], list[str]]] = []
    tools = PatientTools(emery, on_tool_call=lambda n, a, r: calls.append((n, a, r)))
    result = tools.call("get_latest", {"concept": "HbA1c"})
    [reading] = result.payload["latest"]
    obs = emery.get(reading["ref"])
    assert obs is not None and obs.get_resource_type() == "Observation"
    assert reading["date"] == "2021-01-22" and reading["value"] == "7.26 %"
    assert reading["flag"] == "high"
    assert result.sources[0].label.startswith("Hemoglobin A1c") and "7.26 %" in result.sources[0].label
    assert calls == [("get_latest", {"concept": "HbA1c"}, [reading["ref"]])]


def test_unknown_concept_is_a_tool_error_the_model_can_read(emery: PatientRecord) -> None:
    result = tools_call(emery, "get_latest", concept="unobtainium level")
    assert result.error and "unobtainium" in result.payload["error"]
    assert result.sources == ()


def test_series_is_oldest_first_limited_and_says_so(emery: PatientRecord) -> None:
    full = tools_call(emery, "get_series", concept="a1c")
    dates = [v["date"] for v in full.payload["values"]]
    assert dates == sorted(dates) and full.payload["count"] == len(dates) == 8
    short = PatientTools(emery, series_limit=3).call("get_series", {"concept": "a1c"})
    assert [v["date"] for v in short.payload["values"]] == dates[-3:]
    assert "3 of 8" in short.payload["note"]
    window = tools_call(emery, "get_series", concept="a1c", since="2020-01-01")
    assert all(v["date"] >= "2020-01-01" for v in window.payload["values"]) and window.payload["values"]


def test_list_active_medications_and_conditions_cite_real_resources(emery: PatientRecord) -> None:
    meds = tools_call(emery, "list_active", kind="medications")
    titles = " ".join(i["title"] for i in meds.payload["items"])
    assert "Hydrochlorothiazide" in titles
    for item in _facts(meds.payload):
        assert emery.get(item["ref"]) is not None and item["ref"].startswith("MedicationRequest/")
    conditions = tools_call(emery, "list_active", kind="conditions")
    assert any("Hypertension" in i["title"] for i in conditions.payload["items"])


def test_list_active_rejects_an_unknown_kind(emery: PatientRecord) -> None:
    with pytest.raises(ToolArgumentError, match="kind must be one of"):
        PatientTools(emery).call("list_active", {"kind": "surgeries"})


def test_scheduling_tools_are_offered_only_when_a_handler_exists(emery: PatientRecord) -> None:
    names = {s.name for s in PatientTools(emery).specs}
    assert names == {"get_latest", "get_series", "list_active"}
    handler_args: list[Any] = []

    def find_slots(args: Any) -> dict[str, Any]:
        handler_args.append(dict(args))
        return {
            "slots": [{"ref": "Slot/s1", "label": "GP, Tue 24 Nov 09:00", "start": "2026-11-24T09:00:00Z"}]
        }

    tools = PatientTools(emery, scheduling=SchedulingTools(find_slots=find_slots))
    assert {s.name for s in tools.specs} == names | {"find_slots"}
    result = tools.call("find_slots", {"limit": 3})
    assert handler_args == [{"limit": 3}]
    assert [(s.ref, s.label) for s in result.sources] == [("Slot/s1", "GP, Tue 24 Nov 09:00")]
    with pytest.raises(ToolArgumentError, match="unknown tool 'propose_booking'"):
        tools.call("propose_booking", {"slot": "Slot/s1"})


def test_a_failing_scheduling_service_becomes_a_tool_error(emery: PatientRecord) -> None:
    def broken(args: Any) -> dict[str, Any]:
        raise TimeoutError("FHIR server did not answer")

    tools = PatientTools(emery, scheduling=SchedulingTools(list_appointments=broken))
    result = tools.call("list_appointments", {})
    assert result.error is not None and "FHIR server did not answer" in result.error


def test_booking_arguments_must_be_slot_references(emery: PatientRecord) -> None:
    tools = PatientTools(emery, scheduling=SchedulingTools(propose_booking=lambda a: {"ok": True}))
    with pytest.raises(ToolArgumentError, match="slot"):
        tools.call("propose_booking", {"slot": "tomorrow at 9"})


def test_search_record_is_offered_once_the_record_is_indexed(liz: PatientRecord, tmp_path: Path) -> None:
    retriever = RecordRetriever(tmp_path / "index")
    try:
        assert "search_record" not in {s.name for s in PatientTools(liz, retriever=retriever).specs}
        retriever.index_record(liz)
        tools = PatientTools(liz, retriever=retriever, search_k=3)
        assert "search_record" in {s.name for s in tools.specs}
        result = tools.call("search_record", {"query": "high blood pressure", "type": "Condition"})
        hits = result.payload["results"]
        assert hits and all(h["type"] == "Condition" for h in hits)
        assert any("Hypertension" in h["title"] for h in hits)
        assert all(liz.get(h["ref"]) is not None for h in hits)
        assert len(hits) <= 3
    finally:
        retriever.close()


def tools_call(record: PatientRecord, name: str, **args: Any) -> Any:
    return PatientTools(record).call(name, args)
