"""Offline record answers checked against values read straight from the bundle JSON (not via retrieval)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant.composer import Intents, RecordAnswers, RecordContext
from assistant.composer.formatting import format_date, format_number
from fhir_client import PatientRecord, load_bundle_file
from retrieval import ConceptMap, RecordQueries

DATA = Path(__file__).resolve().parents[3] / "data" / "synthea"
TODAY = date(2026, 11, 23)


def bundle(name: str) -> Path:
    return next(DATA.glob(f"{name}_*.json"))


def raw_resources(name: str, rtype: str) -> list[dict[str, Any]]:
    entries = json.loads(bundle(name).read_text(encoding="utf-8"))["entry"]
    return [e["resource"] for e in entries if e["resource"]["resourceType"] == rtype]


def latest_observation(name: str, loinc: str) -> dict[str, Any]:
    obs = [
        o
        for o in raw_resources(name, "Observation")
        if any(c.get("code") == loinc for c in o.get("code", {}).get("coding", []))
    ]
    return max(obs, key=lambda o: o["effectiveDateTime"])


@pytest.fixture(scope="module")
def records() -> dict[str, PatientRecord]:
    return {n: load_bundle_file(bundle(n)) for n in ("Emery_Purdy", "Josue_Sipes", "Liz_Conn")}


def answers(record: PatientRecord) -> RecordAnswers:
    concepts = ConceptMap.load()
    ctx = RecordContext(RecordQueries(record, concepts), concepts, Intents.load(), record.patient_id, TODAY)
    return RecordAnswers(ctx)


@pytest.mark.parametrize(
    ("question", "language"),
    [("What was my last A1c?", "en"), ("Quelle était ma dernière HbA1c ?", "fr")],
)
def test_latest_a1c_value_date_and_citation_match_the_bundle(
    records: dict[str, PatientRecord], question: str, language: str
) -> None:
    gold = latest_observation("Emery_Purdy", "4548-4")
    draft = answers(records["Emery_Purdy"]).answer(question, language)  # type: ignore[arg-type]
    assert draft is not None
    assert draft.citations[0].resource == f"Observation/{gold['id']}"
    value = format_number(gold["valueQuantity"]["value"], language)  # type: ignore[arg-type]
    assert f"{value} %" in draft.text
    day = date.fromisoformat(gold["effectiveDateTime"][:10])
    assert format_date(day, language) in draft.text  # type: ignore[arg-type]
    assert "[1]" in draft.text
    assert ("above the usual range" in draft.text) or ("au-dessus" in draft.text)


def test_blood_pressure_trend_counts_every_reading_in_the_window(records: dict[str, PatientRecord]) -> None:
    panels = [
        o
        for o in raw_resources("Emery_Purdy", "Observation")
        if any(c.get("code") in ("85354-9", "55284-4") for c in o["code"]["coding"])
        and o["effectiveDateTime"] >= "2018"
    ]
    draft = answers(records["Emery_Purdy"]).answer("How has my blood pressure changed since 2018?", "en")
    assert draft is not None
    assert f"measured {len(panels)} times" in draft.text
    newest = max(panels, key=lambda o: o["effectiveDateTime"])
    assert draft.citations[0].resource == f"Observation/{newest['id']}"
    systolic = next(c for c in newest["component"] if c["code"]["coding"][0]["code"] == "8480-6")
    assert format_number(systolic["valueQuantity"]["value"], "en") + "/" in draft.text
    # Every marker in the text has a citation and vice versa.
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", draft.text)}
    assert markers == {c.n for c in draft.citations}


def test_allergies_list_every_active_allergy_or_says_none(records: dict[str, PatientRecord]) -> None:
    for name, record in records.items():
        active = [
            a
            for a in raw_resources(name, "AllergyIntolerance")
            if a.get("clinicalStatus", {}).get("coding", [{}])[0].get("code", "active") == "active"
        ]
        draft = answers(record).answer("Am I allergic to anything?", "en")
        assert draft is not None
        cited = {c.resource for c in draft.citations}
        assert cited == {f"AllergyIntolerance/{a['id']}" for a in active[:8]}
        if not active:
            assert "no allergies" in draft.text


def test_active_medications_in_french_cite_each_prescription(records: dict[str, PatientRecord]) -> None:
    active = [m for m in raw_resources("Josue_Sipes", "MedicationRequest") if m["status"] == "active"]
    draft = answers(records["Josue_Sipes"]).answer("Quels médicaments je prends ?", "fr")
    assert draft is not None
    assert f"{len(active)} médicaments" in draft.text
    assert {c.resource for c in draft.citations} == {f"MedicationRequest/{m['id']}" for m in active}


def test_visit_in_a_month_describes_that_visit_and_what_was_measured(
    records: dict[str, PatientRecord],
) -> None:
    encounters = [
        e for e in raw_resources("Emery_Purdy", "Encounter") if e["period"]["start"].startswith("2021-01")
    ]
    latest = max(encounters, key=lambda e: e["period"]["start"])
    draft = answers(records["Emery_Purdy"]).answer("What did they do at my visit in January 2021?", "en")
    assert draft is not None
    assert draft.citations[0].resource == f"Encounter/{latest['id']}"
    assert "22 January 2021" in draft.text
    assert any(c.resource.startswith("Observation/") for c in draft.citations[1:])


def test_unknown_measure_says_not_found_instead_of_guessing(records: dict[str, PatientRecord]) -> None:
    draft = answers(records["Liz_Conn"]).answer("What was my last A1c?", "en")
    assert draft is not None
    assert "couldn't find" in draft.text
    assert draft.citations == []


def test_general_message_without_record_words_is_not_a_record_answer(
    records: dict[str, PatientRecord],
) -> None:
    assert answers(records["Liz_Conn"]).answer("Write a poem about the sea", "en") is None
