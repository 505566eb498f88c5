"""Exact queries by code, checked against values read independently from the bundle JSON."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from retrieval_data import has_code, raw, record, ref

from fhir_client import load_bundle
from retrieval import RecordQueries
from retrieval.fhir_values import fmt_number


def when(r: dict[str, Any]) -> str:
    return str(r.get("effectiveDateTime") or r.get("occurrenceDateTime") or r["period"]["start"])


def sorted_obs(name: str, code: str) -> list[dict[str, Any]]:
    return sorted(raw(name, "Observation", has_code("code", code)), key=lambda r: (when(r)[:10], r["id"]))


@pytest.fixture(scope="module")
def josue() -> RecordQueries:
    return RecordQueries(record("Josue_Sipes"))


@pytest.mark.parametrize("term", ["A1c", "hba1c", "4548-4", "http://loinc.org|4548-4", "hémoglobine glyquée"])
def test_latest_a1c_by_any_name(josue: RecordQueries, term: str) -> None:
    last = sorted_obs("Josue_Sipes", "4548-4")[-1]
    got = josue.latest(term)
    assert len(got) == 1
    assert got[0].ref == ref(last)
    assert got[0].value == pytest.approx(last["valueQuantity"]["value"])
    assert got[0].unit == "%"
    assert got[0].date is not None and got[0].date.isoformat() == when(last)[:10]


def test_sugar_answers_a1c_and_glucose_separately(josue: RecordQueries) -> None:
    got = {r.codes[0].code: r for r in josue.latest("sugar")}
    assert set(got) == {"4548-4", "2339-0"}
    assert got["2339-0"].ref == ref(sorted_obs("Josue_Sipes", "2339-0")[-1])


@pytest.mark.parametrize(
    ("term", "code"), [("weight", "29463-7"), ("BMI", "39156-5"), ("cholesterol", "2093-3")]
)
def test_latest_weight_bmi_cholesterol(josue: RecordQueries, term: str, code: str) -> None:
    last = sorted_obs("Josue_Sipes", code)[-1]
    (got,) = josue.latest(term)
    assert got.ref == ref(last)
    assert got.value == pytest.approx(last["valueQuantity"]["value"])


def test_blood_pressure_series_over_a_date_range(josue: RecordQueries) -> None:
    expected = [
        r for r in sorted_obs("Josue_Sipes", "55284-4") if "2018-01-01" <= when(r)[:10] <= "2019-12-31"
    ]
    got = josue.series("tension", since=date(2018, 1, 1), until=date(2019, 12, 31))
    assert [r.ref for r in got] == [ref(r) for r in expected]
    parts = {c["code"]["coding"][0]["code"]: c["valueQuantity"]["value"] for c in expected[0]["component"]}
    assert got[0].display_value == f"{fmt_number(parts['8480-6'])}/{fmt_number(parts['8462-4'])} mmHg"
    assert {c.codes[0].code for c in got[0].components} == {"8480-6", "8462-4"}


def test_out_of_range_uses_named_usual_range_when_the_record_has_none(josue: RecordQueries) -> None:
    expected = {ref(r) for r in raw("Josue_Sipes", "Observation", has_code("code", "2093-3")) if r["valueQuantity"]["value"] >= 200}  # fmt: skip
    got = josue.out_of_range("cholesterol")
    assert {r.ref for r in got} == expected
    assert all(r.flag == "high" and "NCEP ATP III" in (r.range_text or "") for r in got)


def test_out_of_range_without_term_covers_components_and_dates(josue: RecordQueries) -> None:
    got = josue.out_of_range(since=date(2021, 1, 1))
    refs = {r.ref for r in got}
    high_bp = {
        ref(r)
        for r in raw("Josue_Sipes", "Observation", has_code("code", "55284-4"))
        if when(r)[:10] >= "2021-01-01"
        and any(c["code"]["coding"][0]["code"] == "8480-6" and c["valueQuantity"]["value"] >= 130 for c in r["component"])
    }  # fmt: skip
    assert high_bp and high_bp <= refs
    assert all(r.date is not None and r.date >= date(2021, 1, 1) for r in got)


def test_active_conditions_medications_and_allergies_match_the_record() -> None:
    q = RecordQueries(record("Fidel_Bins"))
    active = {
        ref(r) for r in raw("Fidel_Bins", "Condition") if r["clinicalStatus"]["coding"][0]["code"] == "active"
    }
    assert {c.ref for c in q.conditions()} == active
    assert {c.ref for c in q.conditions(active_only=False)} == {
        ref(r) for r in raw("Fidel_Bins", "Condition")
    }
    meds = {ref(r) for r in raw("Fidel_Bins", "MedicationRequest") if r["status"] == "active"}
    assert {c.ref for c in q.medications()} == meds
    allergies = {ref(r) for r in raw("Fidel_Bins", "AllergyIntolerance")}
    assert len(allergies) == 7 and {c.ref for c in q.allergies()} == allergies


def test_immunizations_all_and_by_vaccine_word(josue: RecordQueries) -> None:
    all_given = {ref(r) for r in raw("Josue_Sipes", "Immunization") if r["status"] == "completed"}
    assert {c.ref for c in josue.immunizations()} == all_given
    flu = {ref(r) for r in raw("Josue_Sipes", "Immunization", has_code("vaccineCode", "140"))}
    assert {c.ref for c in josue.immunizations("grippe")} == flu
    assert {c.ref for c in josue.immunizations("flu")} == flu


def test_encounters_in_a_period(josue: RecordQueries) -> None:
    expected = {ref(r) for r in raw("Josue_Sipes", "Encounter") if r["period"]["start"][:7] == "2019-03"}
    got = josue.encounters(date(2019, 3, 1), date(2019, 3, 31))
    assert {c.ref for c in got} == expected
    assert len(josue.encounters()) == len(raw("Josue_Sipes", "Encounter"))


def test_billing_totals_stay_reachable(josue: RecordQueries) -> None:
    claims = raw("Josue_Sipes", "Claim")
    eobs = raw("Josue_Sipes", "ExplanationOfBenefit")
    totals = josue.billing_totals()
    assert totals.claims == len(claims) and totals.benefits == len(eobs)
    assert totals.claimed == pytest.approx(sum(c["total"]["value"] for c in claims))
    assert totals.paid == pytest.approx(
        sum(e.get("payment", {}).get("amount", {}).get("value", 0) for e in eobs)
    )
    assert totals.currency == claims[0]["total"]["currency"]
    in_2020 = josue.billing_totals(date(2020, 1, 1), date(2020, 12, 31))
    assert in_2020.claims == sum(c["billablePeriod"]["start"][:4] == "2020" for c in claims)
    assert set(in_2020.refs) <= set(totals.refs)


def _patient_with_vaccines(born: str, shots: list[tuple[str, str]]) -> RecordQueries:
    pid = "p1"
    entries: list[dict[str, Any]] = [{"resource": {"resourceType": "Patient", "id": pid, "birthDate": born}}]
    for n, (cvx, day) in enumerate(shots):
        entries.append({"resource": {
            "resourceType": "Immunization", "id": f"i{n}", "status": "completed",
            "patient": {"reference": f"Patient/{pid}"}, "occurrenceDateTime": day,
            "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": cvx}]},
        }})  # fmt: skip
    return RecordQueries(load_bundle({"resourceType": "Bundle", "type": "collection", "entry": entries}))


def test_vaccines_due_follow_the_adult_schedule_and_cite_the_last_dose() -> None:
    q = _patient_with_vaccines(
        "1950-06-01", [("140", "2020-10-01"), ("113", "2005-01-01"), ("133", "2016-01-01")]
    )
    due = {v.concept: v for v in q.vaccines_due(date(2021, 6, 1))}
    assert set(due) == {"tetanus_vaccine", "zoster_vaccine"}
    assert due["tetanus_vaccine"].last_ref == "Immunization/i1"
    assert due["tetanus_vaccine"].last_given == date(2005, 1, 1)
    assert due["zoster_vaccine"].last_ref is None and due["zoster_vaccine"].name_fr == "Vaccin contre le zona"
    # A year later the flu shot is due too; a 30-year-old needs no shingles vaccine.
    assert "flu_vaccine" in {v.concept for v in q.vaccines_due(date(2022, 6, 1))}
    young = _patient_with_vaccines(
        "1991-01-01", [("140", "2021-01-01"), ("115", "2015-01-01"), ("62", "2008-01-01")]
    )
    assert young.vaccines_due(date(2021, 6, 1)) == []
    child = _patient_with_vaccines("2015-01-01", [])
    assert child.vaccines_due(date(2021, 6, 1)) == []  # children's schedule is not assessed


def test_vaccines_due_on_a_real_record() -> None:
    q = RecordQueries(record("Josue_Sipes"))
    zoster = [
        r
        for r in raw("Josue_Sipes", "Immunization")
        if r["vaccineCode"]["coding"][0]["code"] in ("121", "187")
    ]
    due = {v.concept for v in q.vaccines_due(date(2021, 4, 1))}
    assert ("zoster_vaccine" in due) is (not zoster)
    assert "flu_vaccine" not in due  # flu shot in the year before
