"""Allergy conflicts and interaction questions, from real Synthea records (allergies planted where the
record has none, coded as a clinic would record them), and through whole turns of the real Assistant."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.composer.draft import CitationList
from assistant.composer.medicine_safety import MedicineSafety, load_safety_rules
from assistant.guardrails import Guard
from assistant.schemas import RefusalCategory
from assistant.store import SessionStore, sqlite_url
from fhir_client import PatientRecord, load_bundle, load_bundle_file
from retrieval import ConceptMap, RecordQueries

DATA = Path(__file__).resolve().parents[3] / "data" / "synthea"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def bundle_path(name: str) -> Path:
    return next(DATA.glob(f"{name}_*.json"))


def with_allergy(name: str, allergy_id: str, code_text: str) -> PatientRecord:
    """``name``'s record plus one active AllergyIntolerance coded only by text."""
    data: dict[str, Any] = json.loads(bundle_path(name).read_text(encoding="utf-8"))
    patient = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient")
    allergy = {
        "resourceType": "AllergyIntolerance",
        "id": allergy_id,
        "clinicalStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                    "code": "active",
                }
            ]
        },
        "type": "allergy",
        "category": ["medication"],
        "code": {"text": code_text},
        "patient": {"reference": f"Patient/{patient['id']}"},
        "recordedDate": "2019-03-04",
    }
    data["entry"].append({"fullUrl": f"urn:uuid:{allergy_id}", "resource": allergy})
    return load_bundle(data, source=f"{name}+{allergy_id}")


@pytest.fixture(scope="module")
def concepts() -> ConceptMap:
    return ConceptMap.load()


@pytest.fixture(scope="module")
def fidel() -> PatientRecord:
    """Synthea gave Fidel latex and nut allergies, and a diphenhydramine prescription."""
    return load_bundle_file(bundle_path("Fidel_Bins"))


@pytest.fixture(scope="module")
def cephalosporin_free() -> PatientRecord:
    return with_allergy("Liz_Conn", "test-amoxicillin", "Amoxicillin")


def safety(record: PatientRecord, concepts: ConceptMap) -> MedicineSafety:
    return MedicineSafety(RecordQueries(record, concepts), concepts, emergency="15")


def test_rules_file_loads_with_groups_and_interaction_patterns() -> None:
    rules = load_safety_rules()
    keys = {g.key for g in rules.groups}
    assert {"penicillins", "nsaids", "nuts", "latex", "eggs", "fish"} <= keys
    assert rules.combine and rules.own_treatment and rules.other_product
    assert all(g.advice["en"] and g.advice["fr"] for g in rules.groups)


@pytest.mark.parametrize(
    ("message", "allergy_word"),
    [
        ("Can I eat a praline cake tonight?", "nut"),
        ("Est-ce grave si je mange des noisettes ?", "nut"),
        ("The nurse will wear latex gloves for my blood test", "Latex"),
        ("L'infirmière mettra des gants en latex", "Latex"),
    ],
)
def test_a_message_naming_an_allergen_of_the_record_gets_the_allergy_cited(
    fidel: PatientRecord, concepts: ConceptMap, message: str, allergy_word: str
) -> None:
    checker = safety(fidel, concepts)
    language = "fr" if any(w in message for w in ("Est-ce", "L'infirmière")) else "en"
    draft = checker.answer(message, language)  # type: ignore[arg-type]
    assert draft is not None
    assert len(draft.citations) == 1
    assert draft.citations[0].resource.startswith("AllergyIntolerance/")
    assert allergy_word.lower() in draft.text.lower()
    assert "[1]" in draft.text


def test_a_penicillin_allergy_covers_other_penicillins_and_brands_in_both_languages(
    concepts: ConceptMap,
) -> None:
    record = with_allergy("Liz_Conn", "test-penicillin", "Penicillin allergy")
    checker = safety(record, concepts)
    for message in ("My dentist suggests Augmentin", "Le médecin propose de l'amoxicilline"):
        conflicts = checker.allergy_conflicts(message)
        assert [card.ref for card, _ in conflicts] == ["AllergyIntolerance/test-penicillin"]
        assert conflicts[0][1].key == "penicillins"


def test_no_conflict_without_the_allergy_or_without_the_allergen(
    fidel: PatientRecord, concepts: ConceptMap
) -> None:
    checker = safety(fidel, concepts)
    assert checker.allergy_conflicts("Can I take amoxicillin?") == []  # Fidel has no penicillin allergy
    assert checker.allergy_conflicts("I have a nutritionist appointment") == []  # "nut" inside a word
    assert checker.allergy_conflicts("What was my last blood pressure?") == []
    emery = load_bundle_file(bundle_path("Emery_Purdy"))
    assert safety(emery, concepts).allergy_conflicts("Can I eat almonds?") == []  # no allergy on file


@pytest.mark.parametrize(
    "message",
    [
        "Can I take ibuprofen together with my naproxen?",
        "Is it fine to drink wine on my metformin?",
        "Can I add a sleep aid to the diphenhydramine I already take?",
        "Does grapefruit juice matter with my medicines?",
        "Je peux prendre du millepertuis avec mes médicaments pour le cœur ?",
        "Un décongestionnant avec mon traitement pour la tension, c'est possible ?",
    ],
)
def test_interaction_questions_are_recognised(
    fidel: PatientRecord, concepts: ConceptMap, message: str
) -> None:
    assert safety(fidel, concepts).is_interaction_question(message)


@pytest.mark.parametrize(
    "message",
    [
        "Should I take my metformin with food?",
        "What is my metformin for?",
        "Can I take ibuprofen for a headache?",  # one medicine, nothing of the patient's to combine with
        "Can I discuss my medicines with my GP?",
        "Je prends ma metformine pendant le repas ?",
        "What did my doctor say about my blood pressure?",
    ],
)
def test_not_interaction_questions(fidel: PatientRecord, concepts: ConceptMap, message: str) -> None:
    assert not safety(fidel, concepts).is_interaction_question(message)


def test_interaction_answer_sends_to_the_pharmacist_and_lists_cited_medicines(
    fidel: PatientRecord, concepts: ConceptMap
) -> None:
    draft = safety(fidel, concepts).answer("Can I take a sleeping pill with my diphenhydramine?", "en")
    assert draft is not None
    assert "pharmacist" in draft.text and "prescriber" in draft.text
    assert "safe" not in draft.text.lower()
    refs = [c.resource for c in draft.citations]
    assert refs and all(r.startswith("MedicationRequest/") for r in refs)
    assert any("diphenhydr" in c.label.lower() for c in draft.citations)


def test_notes_continue_the_numbering_of_an_existing_reply(concepts: ConceptMap) -> None:
    record = with_allergy("Lupe_Little", "test-ibuprofen", "Ibuprofen")
    first = CitationList()
    first.cite("Condition/x", "something")
    cites = CitationList.continuing(first.items)
    lines = safety(record, concepts).notes("J'ai mal au dos, je peux prendre de l'Advil ?", "fr", cites)
    assert lines and "[2]" in lines[0] and "(active)" not in lines[0]
    assert [c.n for c in cites.items] == [1, 2]
    assert cites.items[1].resource == "AllergyIntolerance/test-ibuprofen"


def test_turns_cite_the_allergy_in_symptom_advice_and_in_a_refusal(
    tmp_path: Path, concepts: ConceptMap
) -> None:
    record = with_allergy("Lupe_Little", "test-ibuprofen", "Ibuprofen")
    bot = Assistant(
        record=record,
        store=SessionStore(sqlite_url(tmp_path), clock=lambda: NOW),
        guard=Guard.default(region="FR"),
        clock=lambda: NOW,
        concepts=concepts,
    )
    session = bot.new_session("en")
    advice = bot.respond(session, "My back hurts, can I take some ibuprofen?")
    assert "AllergyIntolerance/test-ibuprofen" in [c.resource for c in advice.citations]
    assert advice.safety.grounded
    refused = bot.respond(session, "My back hurts, I'm going to double my Nurofen, OK?")
    assert refused.refusal is not None and refused.refusal.category is RefusalCategory.DOSE_CHANGE
    assert "AllergyIntolerance/test-ibuprofen" in [c.resource for c in refused.citations]
    other = bot.respond(session, "What was my last weight?")
    assert "AllergyIntolerance/test-ibuprofen" not in [c.resource for c in other.citations]


def _bot(record: PatientRecord, tmp_path: Path, concepts: ConceptMap) -> Assistant:
    return Assistant(
        record=record,
        store=SessionStore(sqlite_url(tmp_path), clock=lambda: NOW),
        guard=Guard.default(region="FR"),
        clock=lambda: NOW,
        concepts=concepts,
    )


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("Can I take amoxicillin for my chest infection?", "en"),  # read as a record question too
        ("my dentist wants to use latex gloves tomorrow, anything I should tell him?", "en"),  # no intent
        ("On m'a offert des chocolats aux noisettes, je peux en manger ?", "fr"),
    ],
)
def test_an_allergy_of_the_record_leads_whatever_the_routing_table_read(
    tmp_path: Path, concepts: ConceptMap, fidel: PatientRecord, message: str, lang: str
) -> None:
    record = fidel if "amoxicillin" not in message else with_allergy("Fidel_Bins", "test-pen", "Penicillin")
    bot = _bot(record, tmp_path, concepts)
    turn = bot.respond(bot.new_session(lang), message, language=lang)  # type: ignore[arg-type]
    allergies = [c.resource for c in turn.citations if c.resource.startswith("AllergyIntolerance/")]
    assert allergies, turn.text
    assert turn.text.startswith("⚠️"), turn.text  # the allergy comes first
    assert turn.safety.grounded


def test_a_record_question_in_another_clause_keeps_its_answer_under_the_allergy(
    tmp_path: Path, concepts: ConceptMap
) -> None:
    record = with_allergy("Emery_Purdy", "test-pen", "Penicillin")
    bot = _bot(record, tmp_path, concepts)
    turn = bot.respond(bot.new_session("en"), "Can I take amoxicillin? And what was my last weight?")
    cited = [c.resource for c in turn.citations]
    assert "AllergyIntolerance/test-pen" in cited
    assert any(r.startswith("Observation/") for r in cited), turn.text


def test_a_combination_with_an_own_medicine_in_french_sends_to_the_pharmacist(
    tmp_path: Path, concepts: ConceptMap
) -> None:
    bot = _bot(load_bundle_file(bundle_path("Renea_Quigley")), tmp_path, concepts)
    turn = bot.respond(
        bot.new_session("fr"), "Je peux prendre de l'ibuprofène en plus de mon naproxène ?", language="fr"
    )
    assert "pharmacien" in turn.text and turn.safety.intent == "medicine_question"


def test_leftover_tablets_from_a_sister_for_my_own_symptom_cite_my_allergy(
    tmp_path: Path, concepts: ConceptMap
) -> None:
    """The sister is where the tablets come from; "my sore throat" is the writer's."""
    bot = _bot(with_allergy("Liz_Conn", "test-pen", "Penicillin"), tmp_path, concepts)
    turn = bot.respond(
        bot.new_session("en"),
        "I've got some of my sister's old amoxicillin, can I take it for my sore throat?",
    )
    assert "AllergyIntolerance/test-pen" in [c.resource for c in turn.citations], turn.text
    assert "About your sister" not in turn.text
