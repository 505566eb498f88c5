"""Record-aware modifiers on the shared Synthea patients: each raise cites the resource behind it.

The records are replayed at dates where the fact is true (``today=``), which is also how the engine
decides what is "active": onset and abatement dates, not the status exported years later.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant.guardrails.triage import TriageEngine
from assistant.schemas import TriageLevel
from fhir_client import PatientRecord, load_bundle, load_bundle_file

SYNTHEA = Path(__file__).resolve().parents[3] / "data" / "synthea"


def synthea_file(name: str) -> Path:
    return next(SYNTHEA.glob(f"{name}_*.json"))


@pytest.fixture(scope="module")
def records() -> dict[str, PatientRecord]:
    names = [
        "Laurie_McCullough",
        "Annmarie_Doyle",
        "Luigi_Wiegand",
        "Josue_Sipes",
        "Martina_Murazik",
        "Vito_Feeney",
    ]
    return {name.split("_")[0]: load_bundle_file(synthea_file(name)) for name in names}


def _codes(record: PatientRecord, ref: str) -> set[str]:
    res = record.get(ref)
    assert res is not None, f"{ref} is not in the record"
    concept = getattr(res, "code", None) or getattr(res, "medicationCodeableConcept", None)
    return {str(c.code) for c in concept.coding}


def test_pregnancy_raises_tummy_ache_and_cites_the_condition(
    engine: TriageEngine, records: dict[str, Any]
) -> None:
    laurie = records["Laurie"]
    during = engine.assess("I have tummy ache since this morning", record=laurie, today=date(2019, 2, 1))
    assert during.level is TriageLevel.URGENT
    (hit,) = during.modifiers
    assert hit.id == "record-pregnancy" and "72892002" in _codes(laurie, hit.resource or "")
    assert during.rules[0] == "record-pregnancy" and "tummy-ache" in during.rules
    assert "pregnancy" in during.advice

    # six weeks after the pregnancy ended the window is still open, months later it is not
    after = engine.assess("I have tummy ache since this morning", record=laurie, today=date(2019, 3, 10))
    assert after.level is TriageLevel.URGENT and after.modifiers[0].id == "record-pregnancy"
    later = engine.assess("I have tummy ache since this morning", record=laurie, today=date(2019, 9, 1))
    assert later.level is TriageLevel.SELF_CARE and later.modifiers == ()


def test_over_75_raises_a_head_knock_and_an_old_miscarriage_is_not_a_pregnancy(
    engine: TriageEngine, records: dict
) -> None:
    annmarie = records["Annmarie"]  # born 1934; a 1951 miscarriage is still exported as "active"
    d = engine.assess("I bumped my head on the cupboard door", record=annmarie, today=date(2020, 6, 1))
    assert d.level is TriageLevel.SOON
    assert [m.id for m in d.modifiers] == ["record-over-75"]
    assert d.modifiers[0].resource == annmarie.patient_ref and "86" in d.modifiers[0].reason
    tummy = engine.assess("j'ai mal au ventre", record=annmarie, today=date(2020, 6, 1))
    assert "record-pregnancy" not in tummy.rules
    assert "86 ans" in tummy.modifiers[0].reason


def test_a_fever_in_a_baby_under_three_months_is_an_emergency_from_the_record(
    engine: TriageEngine, records: dict
) -> None:
    luigi = records["Luigi"]  # born 2020-10-20
    six_weeks = engine.assess("he has a temperature of 38.4", record=luigi, today=date(2020, 12, 1))
    assert six_weeks.level is TriageLevel.EMERGENCY and six_weeks.call == "15"
    assert six_weeks.modifiers[0].id == "record-young-infant"
    assert six_weeks.modifiers[0].resource == luigi.patient_ref and "6 weeks" in six_weeks.modifiers[0].reason
    four_months = engine.assess("he has a temperature of 38.4", record=luigi, today=date(2021, 3, 1))
    assert four_months.level is TriageLevel.URGENT
    assert [m.id for m in four_months.modifiers] == ["record-infant"]
    # the same words with no record stay self-care: the raise really comes from the record
    assert engine.assess("he has a temperature of 38.4").level is TriageLevel.SELF_CARE


def test_diabetes_raises_vomiting_and_recent_surgery_raises_fever(
    engine: TriageEngine, records: dict[str, Any]
) -> None:
    josue = records["Josue"]
    vomit = engine.assess("I've been vomiting since last night", record=josue, today=date(2021, 3, 20))
    assert vomit.level is TriageLevel.URGENT
    diabetes = next(m for m in vomit.modifiers if m.id == "record-diabetes")
    assert diabetes.resource and diabetes.resource.startswith("Condition/")
    assert "44054006" in _codes(josue, diabetes.resource)

    fever = engine.assess("I have a fever", record=josue, today=date(2019, 2, 10))  # thrombectomy 2019-01-26
    assert fever.level is TriageLevel.URGENT
    surgery = next(m for m in fever.modifiers if m.id == "record-recent-surgery")
    assert "433112001" in _codes(josue, surgery.resource or "")
    assert (
        engine.assess("I have a fever", record=josue, today=date(2019, 6, 1)).level is TriageLevel.SELF_CARE
    )


def test_heart_failure_raises_swollen_ankles(engine: TriageEngine, records: dict[str, Any]) -> None:
    martina = records["Martina"]
    d = engine.assess("my ankles are swollen", record=martina, today=date(2021, 1, 10))
    assert d.level is TriageLevel.URGENT
    (hit,) = d.modifiers
    assert hit.id == "record-heart-lung"
    assert _codes(martina, hit.resource or "") & {"88805009", "185086009"}  # heart failure or COPD
    assert engine.assess("my ankles are swollen", today=date(2021, 1, 10)).level is TriageLevel.SOON


def test_cancer_raises_fever_but_a_relatives_fever_is_not_raised(
    engine: TriageEngine, records: dict[str, Any]
) -> None:
    vito = records["Vito"]  # prostate cancer with metastasis from 1977-11-07
    mine = engine.assess("I've had a fever since yesterday", record=vito, today=date(1978, 6, 1))
    assert mine.level is TriageLevel.URGENT
    assert mine.modifiers[0].id == "record-immunosuppression"
    theirs = engine.assess("my wife has a fever since yesterday", record=vito, today=date(1978, 6, 1))
    assert theirs.modifiers == ()


def test_a_stopped_antiplatelet_does_not_count_but_an_active_anticoagulant_does(
    engine: TriageEngine, records: dict
) -> None:
    josue = records["Josue"]  # clopidogrel 2019, status "stopped"
    knock = "I banged my head on a shelf"
    before = engine.assess(knock, record=josue, today=date(2021, 3, 20))
    assert before.level is TriageLevel.SELF_CARE and before.modifiers == ()
    raw = json.loads(synthea_file("Josue_Sipes").read_text(encoding="utf-8"))
    patient_url = next(e["fullUrl"] for e in raw["entry"] if e["resource"]["resourceType"] == "Patient")
    bundle = copy.deepcopy(raw)
    bundle["entry"].append(
        {
            "fullUrl": "urn:uuid:0b5c7f2e-0000-4000-8000-00000000a001",
            "resource": {
                "resourceType": "MedicationRequest",
                "id": "0b5c7f2e-0000-4000-8000-00000000a001",
                "status": "active",
                "intent": "order",
                "authoredOn": "2020-12-01",
                "medicationCodeableConcept": {
                    "coding": [
                        {
                            "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                            "code": "855332",
                            "display": "Warfarin Sodium 5 MG Oral Tablet",
                        }
                    ]
                },
                "subject": {"reference": patient_url},
            },
            "request": {"method": "POST", "url": "MedicationRequest"},
        }
    )
    on_warfarin = load_bundle(bundle)
    d = engine.assess(knock, record=on_warfarin, today=date(2021, 3, 20))
    assert d.level is TriageLevel.URGENT
    hit = next(m for m in d.modifiers if m.id == "record-anticoagulant")
    assert hit.resource == "MedicationRequest/0b5c7f2e-0000-4000-8000-00000000a001"
    assert "Warfarin" in hit.reason


def test_a_record_never_lowers_and_never_invents_a_symptom(
    engine: TriageEngine, records: dict[str, Any]
) -> None:
    for record in records.values():
        day = date(2026, 11, 23)
        assert (
            engine.assess("What was my last blood pressure?", record=record, today=day).level
            is TriageLevel.NONE
        )
        assert (
            engine.assess("I have crushing chest pain", record=record, today=day).level
            is TriageLevel.EMERGENCY
        )
