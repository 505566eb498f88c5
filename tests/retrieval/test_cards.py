"""Record cards carry the record's own values, units, dates and references, with en + fr plain names."""

from __future__ import annotations

import copy
from collections import Counter

import pytest
from retrieval_data import has_code, raw, raw_bundle, record, ref

from fhir_client import load_bundle
from retrieval import CARD_TYPES, Card, build_cards
from retrieval.fhir_values import fmt_number


def cards_of(name: str) -> dict[str, Card]:
    return {c.id: c for c in build_cards(record(name))}


@pytest.fixture(scope="module")
def josue() -> dict[str, Card]:
    return cards_of("Josue_Sipes")


def test_every_clinical_resource_gets_one_card_and_billing_gets_none(josue: dict[str, Card]) -> None:
    counts = Counter(c.kind for c in josue.values())
    for rtype in ("Observation", "Condition", "MedicationRequest", "Immunization", "Procedure", "Encounter",
                  "DiagnosticReport", "CarePlan", "Goal"):  # fmt: skip
        assert counts[rtype] == len(raw("Josue_Sipes", rtype)), rtype
        for r in raw("Josue_Sipes", rtype):
            assert ref(r) in josue, ref(r)
    assert counts["Patient"] == 1
    assert not any(c.resource_type in ("Claim", "ExplanationOfBenefit") for c in josue.values())
    assert {c.resource_type for c in josue.values()} <= set(CARD_TYPES)


def test_imaging_and_allergy_cards_exist_for_patients_who_have_them() -> None:
    martina = cards_of("Martina_Murazik")
    for study in raw("Martina_Murazik", "ImagingStudy"):
        card = martina[ref(study)]
        assert card.kind == "ImagingStudy"
        assert card.date is not None and card.date.isoformat() == study["started"][:10]
        assert study["series"][0]["modality"]["display"] in card.text
    fidel = cards_of("Fidel_Bins")
    for allergy in raw("Fidel_Bins", "AllergyIntolerance"):
        card = fidel[ref(allergy)]
        assert allergy["code"]["coding"][0]["display"] in card.text
        assert f"criticality {allergy['criticality']}" in card.text
        assert card.status == allergy["clinicalStatus"]["coding"][0]["code"]


def test_observation_card_shows_value_unit_date_code_and_both_languages(josue: dict[str, Card]) -> None:
    a1c = raw("Josue_Sipes", "Observation", has_code("code", "4548-4"))[0]
    card = josue[ref(a1c)]
    value = a1c["valueQuantity"]["value"]
    assert card.value == pytest.approx(value)
    assert card.unit == a1c["valueQuantity"]["unit"] == "%"
    assert card.date is not None and card.date.isoformat() == a1c["effectiveDateTime"][:10]
    assert f"{fmt_number(value)} %" in card.text
    assert "average blood sugar over about 3 months" in card.text
    assert "Hémoglobine glyquée" in card.text and card.name_fr == "Hémoglobine glyquée (HbA1c)"
    assert "LOINC 4548-4" in card.text
    assert ("http://loinc.org", "4548-4") in {(c.system, c.code) for c in card.codes}
    assert card.refs == (ref(a1c),)
    assert card.category == "laboratory"


def test_blood_pressure_card_reads_both_components(josue: dict[str, Card]) -> None:
    bp = raw("Josue_Sipes", "Observation", has_code("code", "55284-4"))[-1]
    parts = {c["code"]["coding"][0]["code"]: c["valueQuantity"]["value"] for c in bp["component"]}
    card = josue[ref(bp)]
    assert f"{fmt_number(parts['8480-6'])}/{fmt_number(parts['8462-4'])} mmHg" in card.text
    assert "Tension artérielle" in card.text


def test_out_of_range_value_is_flagged_with_the_named_guidance(josue: dict[str, Card]) -> None:
    chol = [r for r in raw("Josue_Sipes", "Observation", has_code("code", "2093-3"))]
    high = next(r for r in chol if r["valueQuantity"]["value"] >= 200)
    normal = next(r for r in chol if r["valueQuantity"]["value"] < 200)
    assert "above the usual range (NCEP ATP III" in josue[ref(high)].text
    assert josue[ref(high)].interpretation == "high"
    assert "usual range" not in josue[ref(normal)].text


def test_series_card_has_every_value_trend_last_vs_previous_and_out_of_range_count(
    josue: dict[str, Card],
) -> None:
    obs = sorted(
        raw("Josue_Sipes", "Observation", has_code("code", "2093-3")),
        key=lambda r: (r["effectiveDateTime"], r["id"]),
    )
    card = josue["series:http://loinc.org|2093-3"]
    assert card.kind == "ObservationSeries"
    first, prev, last = obs[0], obs[-2], obs[-1]
    assert (
        f"{len(obs)} results from {first['effectiveDateTime'][:10]} to {last['effectiveDateTime'][:10]}"
        in card.text
    )
    assert (
        f"Latest {fmt_number(last['valueQuantity']['value'])} mg/dL on {last['effectiveDateTime'][:10]}"
        in card.text
    )
    assert f"previous {fmt_number(prev['valueQuantity']['value'])} mg/dL" in card.text
    delta = last["valueQuantity"]["value"] - first["valueQuantity"]["value"]
    direction = "up" if delta > 0 else "down"
    assert f"Since the first result: {direction} by {fmt_number(abs(delta))} mg/dL" in card.text
    high = sum(r["valueQuantity"]["value"] >= 200 for r in obs)
    assert f"Outside the usual range: {high} of {len(obs)}" in card.text
    assert card.ref == ref(last) and ref(first) in card.refs and ref(last) in card.refs
    assert "Cholestérol total" in card.text


def test_condition_card_says_active_or_resolved_with_dates(josue: dict[str, Card]) -> None:
    for cond in raw("Josue_Sipes", "Condition"):
        card = josue[ref(cond)]
        status = cond["clinicalStatus"]["coding"][0]["code"]
        assert card.status == status
        assert f"Started {cond['onsetDateTime'][:10]}" in card.text
        if "abatementDateTime" in cond:
            assert f"Ended {cond['abatementDateTime'][:10]}" in card.text
            assert "resolved (over)" in card.text
    diabetes = raw("Josue_Sipes", "Condition", has_code("code", "44054006"))[0]
    card = josue[ref(diabetes)]
    assert "Diabète de type 2" in card.text and card.concept == "diabetes"


def test_medication_card_keeps_the_prescriber_text_and_active_state() -> None:
    fidel = cards_of("Fidel_Bins")
    for med in raw("Fidel_Bins", "MedicationRequest"):
        card = fidel[ref(med)]
        texts = [d["text"] for d in med.get("dosageInstruction", []) if "text" in d]
        for text in texts:
            assert f'Instructions as written: "{text}"' in card.text
        active = med["status"] == "active"
        assert ("currently prescribed" in card.text) is active
        assert card.category == ("active" if active else "stopped")


def test_encounter_card_lists_what_was_recorded_during_the_visit(josue: dict[str, Card]) -> None:
    enc = raw("Josue_Sipes", "Encounter")[-1]
    card = josue[ref(enc)]
    assert card.date is not None and card.date.isoformat() == enc["period"]["start"][:10]
    assert enc["type"][0]["coding"][0]["display"] in card.text
    enc_urn = f"urn:uuid:{enc['id']}"
    during = [
        ref(r)
        for rtype in ("Procedure", "Immunization", "DiagnosticReport", "Condition")
        for r in raw("Josue_Sipes", rtype, lambda r: r.get("encounter", {}).get("reference") == enc_urn)
    ]
    assert during, "the last visit recorded something"
    assert set(during) & set(card.refs)
    assert "Recorded during this visit" in card.text


def test_diagnostic_report_card_includes_its_results_with_refs(josue: dict[str, Card]) -> None:
    report = raw("Josue_Sipes", "DiagnosticReport", has_code("code", "57698-3"))[-1]
    card = josue[ref(report)]
    result_refs = {f"Observation/{r['reference'].split(':')[-1]}" for r in report["result"]}
    assert result_refs <= set(card.refs)
    assert card.text.startswith("Report: Lipid Panel")


def test_patient_card_has_demographics() -> None:
    cards = cards_of("Fidel_Bins")
    patient = raw("Fidel_Bins", "Patient")[0]
    card = cards[ref(patient)]
    assert patient["name"][0]["family"] in card.text
    assert f"Born {patient['birthDate']}" in card.text
    assert patient["address"][0]["city"] in card.text
    assert "Marital status: married" in card.text
    assert card.status == "living"


def test_list_cards_cover_medicines_allergies_problems_and_vaccines() -> None:
    cards = cards_of("Fidel_Bins")
    allergies = cards["summary:AllergyIntolerance"]
    assert set(allergies.refs) == {ref(r) for r in raw("Fidel_Bins", "AllergyIntolerance")}
    assert f"{len(allergies.refs)} recorded" in allergies.text
    vaccines = cards["summary:Immunization"]
    flu = raw("Fidel_Bins", "Immunization", has_code("vaccineCode", "140"))
    assert f"{len(flu)} dose(s), last {max(r['occurrenceDateTime'][:10] for r in flu)}" in vaccines.text
    liz = cards_of("Luigi_Wiegand")
    assert "no allergy or intolerance is recorded" in liz["summary:AllergyIntolerance"].text


def test_cards_are_stable_and_a_changed_value_changes_only_related_hashes() -> None:
    first = cards_of("Liz_Conn")
    assert {c.id: c.content_hash for c in build_cards(record("Liz_Conn"))} == {
        i: c.content_hash for i, c in first.items()
    }
    data = copy.deepcopy(raw_bundle("Liz_Conn"))
    target = next(
        e["resource"] for e in data["entry"]
        if e["resource"]["resourceType"] == "Observation" and "valueQuantity" in e["resource"]
    )  # fmt: skip
    target["valueQuantity"]["value"] = target["valueQuantity"]["value"] + 1.0
    changed = {c.id: c for c in build_cards(load_bundle(data, source="edited"))}
    differing = {i for i in first if first[i].content_hash != changed[i].content_hash}
    assert ref(target) in differing
    assert all(ref(target) in changed[i].refs for i in differing)  # only cards that show that value


def test_card_round_trips_through_json(josue: dict[str, Card]) -> None:
    for card in list(josue.values())[:50]:
        assert Card.from_json(card.to_json()) == card
