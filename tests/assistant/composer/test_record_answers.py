"""Offline record answers, checked against values read straight from the bundle JSON (not via retrieval).

The answerer is driven two ways: by a typed ``RecordQuery`` (what the understanding stage produces), and by
the text entry point kept until the router passes that query. The clock is a fixed date passed in.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant.composer import Intents, RecordAnswers, RecordContext
from assistant.composer.draft import Draft
from assistant.composer.formatting import format_date, format_measure
from assistant.composer.record_wording import Wording
from assistant.understanding.model import Period, RecordQuery, RecordQueryKind
from fhir_client import PatientRecord, load_bundle_file
from retrieval import ConceptMap, RecordQueries

ROOT = Path(__file__).resolve().parents[3]
SYNTHEA = ROOT / "data" / "synthea"
REALWORLD = ROOT / "data" / "realworld"
TODAY = date(2026, 11, 23)
Q = RecordQueryKind


def path_of(name: str) -> Path:
    found = list(REALWORLD.glob(f"{name}*.json")) or list(SYNTHEA.glob(f"{name}_*.json"))
    return found[0]


def raw(name: str, rtype: str) -> list[dict[str, Any]]:
    entries = json.loads(path_of(name).read_text(encoding="utf-8"))["entry"]
    out = []
    for e in entries:
        res = e["resource"]
        if res["resourceType"] == rtype:
            res = {**res, "id": res.get("id") or e["fullUrl"].removeprefix("urn:uuid:")}
            out.append(res)
    return out


def has_loinc(res: dict[str, Any], *codes: str) -> bool:
    return any(c.get("code") in codes for c in res.get("code", {}).get("coding", []))


_RECORDS: dict[str, PatientRecord] = {}


def answers(name: str, today: date = TODAY) -> RecordAnswers:
    if name not in _RECORDS:
        _RECORDS[name] = load_bundle_file(path_of(name))
    record = _RECORDS[name]
    concepts = ConceptMap.load()
    return RecordAnswers(
        RecordContext(RecordQueries(record, concepts), concepts, Intents.load(), record.patient_id, today)
    )


def ask(name: str, kind: RecordQueryKind, language: str = "en", **fields: Any) -> Draft:
    return answers(name).answer(RecordQuery(kind=kind, **fields), language)  # type: ignore[arg-type]


def cited(draft: Draft) -> set[str]:
    return {c.resource for c in draft.citations}


def markers_match(draft: Draft) -> bool:
    return {int(m) for m in re.findall(r"\[(\d+)\]", draft.text)} == {c.n for c in draft.citations}


# --- latest results -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "language"), [("What was my last A1c?", "en"), ("Quelle était ma dernière HbA1c ?", "fr")]
)
def test_latest_a1c_value_date_and_citation_match_the_bundle(question: str, language: str) -> None:
    gold = max(
        (o for o in raw("Emery_Purdy", "Observation") if has_loinc(o, "4548-4")),
        key=lambda o: o["effectiveDateTime"],
    )
    draft = answers("Emery_Purdy").answer_text(question, language)  # type: ignore[arg-type]
    assert draft is not None and draft.record_query is not None
    assert draft.record_query.kind == Q.LATEST and draft.record_query.targets == ("hba1c",)
    assert cited(draft) == {f"Observation/{gold['id']}"}
    assert format_measure(gold["valueQuantity"]["value"], "%", language) + " %" in draft.text  # type: ignore[arg-type]
    assert format_date(date.fromisoformat(gold["effectiveDateTime"][:10]), language) in draft.text  # type: ignore[arg-type]
    assert ("above the usual range" in draft.text) or ("au-dessus des valeurs habituelles" in draft.text)
    assert markers_match(draft)


def test_every_result_on_the_latest_day_is_shown_and_a_large_disagreement_is_said() -> None:
    kidney = [o for o in raw("Josue_Sipes", "Observation") if has_loinc(o, "33914-3", "38483-4")]
    last = max(o["effectiveDateTime"][:10] for o in kidney)
    same_day = [o for o in kidney if o["effectiveDateTime"][:10] == last]
    assert len(same_day) >= 3  # two eGFRs and two creatinines the same day in this record
    draft = ask("Josue_Sipes", Q.LATEST, targets=("kidney_tests",))
    assert {f"Observation/{o['id']}" for o in same_day} <= cited(draft)
    for o in same_day:
        assert format_measure(o["valueQuantity"]["value"], o["valueQuantity"].get("unit"), "en") in draft.text
    egfr = [o["valueQuantity"]["value"] for o in same_day if has_loinc(o, "33914-3")]
    if len(egfr) > 1 and (max(egfr) - min(egfr)) / max(egfr) > 0.25:
        assert "differ a lot" in draft.text


def test_an_impossible_value_is_never_called_normal_even_when_the_record_says_so() -> None:
    a1c = next(o for o in raw("AT_ELGA_GmbH_01", "Observation") if has_loinc(o, "4548-4"))
    assert a1c["interpretation"][0]["coding"][0]["code"] == "N" and a1c["valueQuantity"]["value"] == 1.0
    for language in ("en", "fr"):
        draft = ask("AT_ELGA_GmbH_01", Q.MEANING, language, targets=("hba1c",))
        assert f"Observation/{a1c['id']}" in cited(draft)
        assert "within the usual range" not in draft.text and "dans les valeurs habituelles" not in draft.text
        assert ("physically possible" in draft.text) or ("physiquement impossible" in draft.text)
        assert ("marks it as normal" in draft.text) or ("marque comme normale" in draft.text)


def test_an_impossible_value_still_shows_the_range_the_lab_printed_beside_it() -> None:
    a1c = next(o for o in raw("AT_ELGA_GmbH_01", "Observation") if has_loinc(o, "4548-4"))
    low, high = (a1c["referenceRange"][0][k]["value"] for k in ("low", "high"))
    for language in ("en", "fr"):
        draft = ask("AT_ELGA_GmbH_01", Q.MEANING, language, targets=("hba1c",))
        shown = [format_measure(v, "%", language).replace("%", "").strip() for v in (low, high)]
        assert all(x in draft.text for x in shown), draft.text
        # still never judged against it
        assert "below the usual range" not in draft.text and "en dessous des valeurs" not in draft.text


def test_an_old_result_says_its_age_from_the_clock_passed_in() -> None:
    gold = max(
        (o for o in raw("Emery_Purdy", "Observation") if has_loinc(o, "4548-4")),
        key=lambda o: o["effectiveDateTime"],
    )
    day = date.fromisoformat(gold["effectiveDateTime"][:10])
    query = RecordQuery(kind=Q.LATEST, targets=("hba1c",))
    later = date(day.year + 5, day.month, min(day.day, 28))
    old = answers("Emery_Purdy", today=later).answer(query, "en")
    assert "years old: ask your care team whether it should be repeated" in old.text
    fresh = answers("Emery_Purdy", today=date.fromordinal(day.toordinal() + 30)).answer(query, "en")
    assert "years old" not in fresh.text and "repeated" not in fresh.text


def test_a_deceased_patients_old_result_is_not_suggested_for_repeating() -> None:
    draft = ask("Vito_Feeney", Q.LATEST, targets=("psa",))
    assert "years old" in draft.text and "repeated" not in draft.text


def test_french_answers_name_the_range_source_in_french() -> None:
    draft = ask("Josue_Sipes", Q.LATEST, "fr", targets=("total_cholesterol",))
    assert "NCEP ATP III : moins de 200 mg/dL" in draft.text
    assert "below" not in draft.text and "Your care team" not in draft.text


def test_obvious_measurements_get_no_filler_explanation() -> None:
    draft = ask("Emery_Purdy", Q.LATEST, targets=("body_weight",))
    assert "how much you weigh" not in draft.text
    meaning = ask("Emery_Purdy", Q.MEANING, targets=("hba1c",))
    assert "average blood sugar over about 3 months" in meaning.text


def test_separate_systolic_and_diastolic_observations_read_as_blood_pressures() -> None:
    parts = [o for o in raw("AT_ELGA_GmbH_01", "Observation") if has_loinc(o, "8480-6", "8462-4")]
    draft = ask("AT_ELGA_GmbH_01", Q.LATEST, targets=("blood_pressure",))
    assert {f"Observation/{o['id']}" for o in parts} == cited(draft)
    assert "110/70 mmHg" in draft.text and "117/64 mmHg" in draft.text
    assert "30 July 2016" in draft.text


def test_a_placeholder_is_never_shown_as_a_result() -> None:
    draft = answers("Lisandra920").answer_text("what did my flu A test show?", "en")
    assert draft is not None
    assert "{entry.value}" not in draft.text


# --- values in time ------------------------------------------------------------------------------------


def test_value_in_a_year_and_the_closest_ones_when_there_is_none() -> None:
    psa = sorted(
        (o for o in raw("Vito_Feeney", "Observation") if has_loinc(o, "2857-1")),
        key=lambda o: o["effectiveDateTime"],
    )
    year = int(psa[0]["effectiveDateTime"][:4])
    inside = [o for o in psa if o["effectiveDateTime"].startswith(str(year))]
    draft = ask(
        "Vito_Feeney",
        Q.VALUE_AT,
        targets=("psa",),
        period=Period(start=date(year, 1, 1), end=date(year, 12, 31)),
    )
    assert {f"Observation/{o['id']}" for o in inside} == cited(draft)
    empty = ask(
        "Vito_Feeney",
        Q.VALUE_AT,
        targets=("psa",),
        period=Period(start=date(1990, 1, 1), end=date(1990, 12, 31)),
    )
    assert "couldn't find a prostate-specific antigen (PSA) result in 1990" in empty.text
    assert f"Observation/{psa[-1]['id']}" in cited(empty)  # the closest one before is given and cited


def test_the_one_before_the_latest_and_a_follow_up_that_asks_for_it() -> None:
    a1c = sorted(
        (o for o in raw("Emery_Purdy", "Observation") if has_loinc(o, "4548-4")),
        key=lambda o: o["effectiveDateTime"],
    )
    first = answers("Emery_Purdy").answer_text("what was my last a1c?", "en")
    assert first is not None and first.record_query is not None
    follow = answers("Emery_Purdy").answer_text("and the one before that?", "en", first.record_query)
    assert follow is not None and follow.record_query is not None and follow.record_query.followup
    assert follow.record_query.kind == Q.PREVIOUS
    assert f"Observation/{a1c[-2]['id']}" in cited(follow)


def test_a_follow_up_changes_only_the_year() -> None:
    first = answers("Emery_Purdy").answer_text("C'était combien mon cholestérol total en 2018 ?", "fr")
    assert first is not None and first.record_query is not None
    second = answers("Emery_Purdy").answer_text("Et en 2016 ?", "fr", first.record_query)
    assert second is not None and second.record_query is not None
    assert second.record_query.targets == ("total_cholesterol",)
    assert second.record_query.period is not None and second.record_query.period.start == date(2016, 1, 1)
    gold = [
        o
        for o in raw("Emery_Purdy", "Observation")
        if has_loinc(o, "2093-3") and o["effectiveDateTime"].startswith("2016")
    ]
    assert {f"Observation/{o['id']}" for o in gold} == cited(second)


# --- counts, lists, still on, ever had --------------------------------------------------------------


def test_count_of_flu_vaccines_cites_every_dose() -> None:
    flu = [
        i
        for i in raw("Josue_Sipes", "Immunization")
        if any(c["code"] in ("140", "141") for c in i["vaccineCode"]["coding"])
    ]
    draft = answers("Josue_Sipes").answer_text("how many flu jabs have i had on record?", "en")
    assert draft is not None
    assert f"Your record has {len(flu)} " in draft.text
    assert {f"Immunization/{i['id']}" for i in flu} == cited(draft)


def test_count_of_visits_about_a_condition() -> None:
    visits = [e for e in raw("Fidel_Bins", "Encounter") if "sthma" in e["type"][0]["coding"][0]["display"]]
    draft = ask("Fidel_Bins", Q.COUNT, targets=("asthma",), categories=("visits",))
    assert str(len(visits)) in draft.text
    assert {f"Encounter/{e['id']}" for e in visits} <= cited(draft)


def test_still_on_gives_the_status_and_the_dates() -> None:
    stopped = next(
        m
        for m in raw("Josue_Sipes", "MedicationRequest")
        if "Clopidogrel" in m["medicationCodeableConcept"]["text"]
    )
    assert stopped["status"] == "stopped"
    draft = answers("Josue_Sipes").answer_text("am i still on clopidogrel or did they stop it?", "en")
    assert draft is not None
    assert f"MedicationRequest/{stopped['id']}" in cited(draft)
    assert "no longer current" in draft.text
    assert format_date(date.fromisoformat(stopped["authoredOn"][:10]), "en") in draft.text


def test_still_on_lists_entries_whose_status_the_record_does_not_state() -> None:
    statements = raw("AT_ELGA_GmbH_01", "MedicationStatement")
    aspirin = [s for s in statements if s["status"] == "unknown"]
    draft = answers("AT_ELGA_GmbH_01").answer_text("Am I still supposed to be on aspirin?", "en")
    assert draft is not None
    assert "does not say whether it is still current" in draft.text
    assert len(cited(draft) & {f"MedicationStatement/{s['id']}" for s in aspirin}) >= 6


def test_a_medicine_known_only_by_a_code_is_reported_not_dropped() -> None:
    coded = [s for s in raw("US_MEDITECH_ips_2", "MedicationStatement") if s["status"] == "active"]
    draft = answers("US_MEDITECH_ips_2").answer_text("Is the Aranesp still prescribed?", "en")
    assert draft is not None
    assert any(f"MedicationStatement/{s['id']}" in cited(draft) for s in coded)
    assert "known only by its code (NDC 55513003201)" in draft.text
    listing = answers("US_MEDITECH_ips_2").answer_text("what medicines am I taking?", "en")
    assert (
        listing is not None
        and "a medicine the record names only by its code, NDC 55513003201" in listing.text
    )


def test_ips_medicines_are_statements_named_through_their_medication() -> None:
    statements = raw("IPS_IG-bundle-01", "MedicationStatement")
    draft = answers("IPS_IG-bundle-01").answer_text("what medicines am I taking?", "en")
    assert draft is not None
    assert {f"MedicationStatement/{s['id']}" for s in statements} <= cited(draft)
    assert "anastrozole" in draft.text and "Black Cohosh" in draft.text


def test_no_known_food_allergy_is_said_as_a_statement_never_listed_as_an_allergy() -> None:
    allergies = raw("IPS_IG-bundle-01", "AllergyIntolerance")
    negation = next(a for a in allergies if a["code"]["coding"][0]["code"] == "429625007")
    draft = ask("IPS_IG-bundle-01", Q.LIST, "fr", categories=("allergies",))
    assert "une allergie ou intolérance" in draft.text  # one allergy, not two
    assert "pas d'allergie alimentaire connue" in draft.text
    assert f"AllergyIntolerance/{negation['id']}" in cited(draft)


def test_ever_had_yes_with_partial_dates_kept_as_written() -> None:
    draft = answers("IPS_IG-bundle-01").answer_text("Have I ever been diagnosed with cancer?", "en")
    assert draft is not None
    assert "January 2015" in draft.text and "March 2015" in draft.text and "1 January 2015" not in draft.text
    assert "in remission" in draft.text


def test_ever_had_no_is_honest_and_a_vaccine_not_given_is_not_a_dose() -> None:
    no = answers("Vito_Feeney").answer_text("Did my dad ever get a shingles vaccine?", "en")
    assert no is not None and "couldn't find" in no.text and no.citations == []
    refused = next(i for i in raw("US_MEDITECH_ips_2", "Immunization") if i["status"] == "not-done")
    flu = answers("US_MEDITECH_ips_2").answer_text("Have I had a flu shot?", "en")
    assert flu is not None
    assert "couldn't find any flu vaccine" in flu.text.lower() or "couldn't find any flu" in flu.text
    assert "Recorded as not given" in flu.text and f"Immunization/{refused['id']}" in cited(flu)


def test_a_named_screening_never_seen_is_an_honest_no_not_every_procedure() -> None:
    """ "Have I ever had a smear test?" names one test: the other procedures and tests are not a "yes"."""
    no = answers("Laurie_McCullough").answer_text("Have I ever had a smear test?", "en")
    assert no is not None and "couldn't find" in no.text and no.citations == []
    fr = answers("Laurie_McCullough").answer_text("Est-ce que j'ai déjà fait un frottis ?", "fr")
    assert fr is not None and fr.citations == []


def test_last_visit_says_when_why_and_what_was_done() -> None:
    encounters = raw("Lupe_Little", "Encounter")
    last = max(encounters, key=lambda e: e["period"]["start"])
    draft = answers("Lupe_Little").answer_text("when did i last see the doc", "en")
    assert draft is not None
    assert draft.citations[0].resource == f"Encounter/{last['id']}"
    assert format_date(date.fromisoformat(last["period"]["start"][:10]), "en") in draft.text
    if last.get("reasonCode"):
        assert "Reason recorded" in draft.text


def test_not_in_the_record_is_said_plainly() -> None:
    draft = answers("Liz_Conn").answer_text("What was my last A1c?", "en")
    assert draft is not None and "couldn't find" in draft.text and draft.citations == []
    assert answers("Liz_Conn").answer_text("Write a poem about the sea", "en") is None


# --- one voice per language ----------------------------------------------------------------------------


def test_both_catalogs_hold_the_same_phrases_with_the_same_fields() -> None:
    en, fr = Wording.load("en"), Wording.load("fr")
    assert set(en.phrases) == set(fr.phrases)

    def same(fields: set[str]) -> set[str]:  # "of name" is the name in the grammar of the language
        return {f.removeprefix("of_") for f in fields}

    for key in en.phrases:
        assert same(en.fields(key)) == same(fr.fields(key)), key


def test_french_elides_of_before_a_vowel() -> None:
    fr = Wording.load("fr")
    assert fr.of("Hémoglobine glyquée") == "d'hémoglobine glyquée"
    assert fr.of("Cholestérol total") == "de cholestérol total"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_condition_not_held_names_a_related_one_followed_by_the_same_test(language: str) -> None:
    """Lupe has prediabetes, not diabetes: "does my record mention diabetes?" says no, and shows the
    prediabetes (both followed by the HbA1c), cited."""
    prediabetes = [
        r["id"] for r in raw("Lupe_Little", "Condition") if r["code"]["coding"][0]["code"] == "15777000"
    ]
    draft = ask("Lupe_Little", RecordQueryKind.EVER_HAD, language, targets=("diabetes",))
    assert prediabetes and {f"Condition/{i}" for i in prediabetes} <= cited(draft), draft.text
    assert markers_match(draft)
    # a condition with no related one in the record is a plain "not found"
    none = ask("Lupe_Little", RecordQueryKind.EVER_HAD, language, targets=("heart_failure",))
    assert not none.citations


def _asthma_visits(name: str) -> list[dict[str, Any]]:
    return [e for e in raw(name, "Encounter") if "sthma" in e["type"][0]["coding"][0]["display"]]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_count_of_follow_ups_counts_the_visits_named_follow_up_not_the_emergency(language: str) -> None:
    visits = _asthma_visits("Fidel_Bins")
    follow_ups = [e for e in visits if "follow" in e["type"][0]["coding"][0]["display"].lower()]
    assert 0 < len(follow_ups) < len(visits)  # the record also has an asthma visit that is not a follow-up
    draft = ask(
        "Fidel_Bins",
        Q.COUNT,
        language,
        targets=("asthma",),
        categories=("visits",),
        visit_names=("follow up", "suivi"),
    )
    assert re.search(rf"(?<![\d\[]){len(follow_ups)}(?![\d\]])", draft.text), draft.text
    assert cited(draft) == {f"Encounter/{e['id']}" for e in follow_ups}


def test_asking_for_follow_ups_where_no_visit_is_named_so_counts_every_matching_visit() -> None:
    visits = _asthma_visits("Fidel_Bins")
    draft = ask(
        "Fidel_Bins",
        Q.COUNT,
        targets=("asthma",),
        categories=("visits",),
        visit_names=("no such visit name",),
    )
    assert {f"Encounter/{e['id']}" for e in visits} < cited(draft)  # coded with asthma too


def test_a_count_of_visits_about_a_condition_without_a_kind_of_visit_is_unchanged() -> None:
    visits = _asthma_visits("Fidel_Bins")
    draft = ask("Fidel_Bins", Q.COUNT, targets=("asthma",), categories=("visits",))
    assert {f"Encounter/{e['id']}" for e in visits} < cited(draft)  # coded with asthma too


def test_a_count_at_the_last_visit_counts_what_that_visits_day_holds() -> None:
    visits = [e for e in raw("Luigi_Wiegand", "Encounter") if e.get("period", {}).get("start")]
    last_day = max(e["period"]["start"][:10] for e in visits)
    given = [
        i
        for i in raw("Luigi_Wiegand", "Immunization")
        if i.get("status") == "completed" and i["occurrenceDateTime"][:10] == last_day
    ]
    assert len(given) > 1
    for lang in ("en", "fr"):
        draft = ask("Luigi_Wiegand", Q.COUNT, lang, categories=("vaccines",), at_last_visit=True)
        assert cited(draft) == {f"Immunization/{i['id']}" for i in given}, draft.text
        assert str(len(given)) in draft.text
        # one day: the vaccines are named once each, the date is said once
        assert draft.text.count(format_date(date.fromisoformat(last_day), lang)) == 1, draft.text  # type: ignore[arg-type]
    everything = ask("Luigi_Wiegand", Q.COUNT, categories=("vaccines",))
    assert len(cited(everything)) > len(given)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_count_of_nothing_named_says_so_without_an_empty_name(lang: str) -> None:
    # a count that names nothing and finds nothing: no "I couldn't find any that in 1900"
    draft = ask("Lupe_Little", Q.COUNT, lang, period=Period(start=date(1900, 1, 1), end=date(1900, 12, 31)))
    assert ("anything like that in 1900" if lang == "en" else "rien trouvé de tel en 1900") in draft.text, (
        draft.text
    )
    named = ask(
        "Lupe_Little",
        Q.COUNT,
        lang,
        categories=("vaccines",),
        period=Period(start=date(1900, 1, 1), end=date(1900, 12, 31)),
    )
    assert "like that" not in named.text and "de tel" not in named.text, named.text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_ever_had_two_things_answers_each_one_found_never_covers_one_missing(lang: str) -> None:
    flu = {
        f"Immunization/{i['id']}"
        for i in raw("Annmarie_Doyle", "Immunization")
        if i.get("status") == "completed" and any(c.get("code") == "140" for c in i["vaccineCode"]["coding"])
    }
    assert flu
    draft = ask("Annmarie_Doyle", Q.EVER_HAD, lang, targets=("pneumococcal_vaccine", "flu_vaccine"))
    assert cited(draft) == flu
    first = draft.text.split("\n\n")[0]
    assert ("couldn't find" in first) if lang == "en" else ("aucune trace" in first), draft.text
    assert "pneumoco" in first.lower()


def test_a_month_without_its_year_is_the_last_such_month_the_record_covers() -> None:
    """Emery Purdy's record stops in 2021: "the one before my January A1c" is the one before January 2021,
    not the one before January of today's year (which would be the latest one)."""
    a1c = sorted(
        (o for o in raw("Emery_Purdy", "Observation") if has_loinc(o, "4548-4")),
        key=lambda o: o["effectiveDateTime"],
    )
    assert a1c[-1]["effectiveDateTime"].startswith("2021-01")
    january = Period(start=date(2026, 1, 1), end=date(2026, 1, 31), text="in january", year_implied=True)
    draft = ask("Emery_Purdy", Q.PREVIOUS, targets=("hba1c",), period=january)
    assert cited(draft) == {f"Observation/{a1c[-2]['id']}"}, draft.text
    # a year the patient wrote is kept: nothing is moved
    written = Period(start=date(2026, 1, 1), end=date(2026, 1, 31), text="in january 2026")
    kept = ask("Emery_Purdy", Q.VALUE_AT, targets=("hba1c",), period=written)
    assert "January 2026" in kept.text, kept.text


@pytest.mark.parametrize(
    ("lang", "kind_words"), [("en", "emergency visits"), ("fr", "passages aux urgences")]
)
def test_a_count_says_its_number_in_figures_and_names_the_kind_of_visit(lang: str, kind_words: str) -> None:
    emergencies = [e for e in raw("Fidel_Bins", "Encounter") if e.get("class", {}).get("code") == "EMER"]
    assert len(emergencies) == 1
    draft = ask(
        "Fidel_Bins", Q.COUNT, lang, categories=("visits",), visit_names=("emergency", "urgences", "urgence")
    )
    assert re.search(r"(?<![\d\[])1(?![\d\]])", draft.text) and kind_words in draft.text, draft.text
    assert cited(draft) == {f"Encounter/{emergencies[0]['id']}"}


def test_a_count_of_a_few_results_gives_each_value_not_only_its_date() -> None:
    y2019 = Period(start=date(2019, 1, 1), end=date(2019, 12, 31), text="en 2019")
    draft = ask("Renea_Quigley", Q.COUNT, "fr", targets=("blood_pressure",), period=y2019)
    assert "176/92" in draft.text, draft.text
