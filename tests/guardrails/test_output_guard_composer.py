"""The offline composer's own replies must pass the output guard, for every shared patient, en and fr.

The composer is the fallback when an LLM reply fails the guard, so a composer reply the guard rejects
would leave the patient with nothing. This runs real composer answers over the 12 Synthea records and the
4 real-world exports.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.composer import Intents, RecordAnswers, RecordContext
from assistant.guardrails.output_guard import add_disclaimer, check_output
from assistant.schemas import Language
from fhir_client import load_bundle_file
from retrieval import ConceptMap, RecordQueries

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "synthea"
BUNDLES = sorted(DATA.glob("*.json")) + sorted((ROOT / "data" / "realworld").glob("*.json"))
QUESTIONS: list[tuple[str, Language]] = [
    ("What was my last A1c?", "en"),
    ("Quelle était ma dernière HbA1c ?", "fr"),
    ("How has my blood pressure changed?", "en"),
    ("Comment a évolué ma tension ?", "fr"),
    ("What medications am I taking?", "en"),
    ("Quels sont mes médicaments ?", "fr"),
    ("Do I have any allergies?", "en"),
    ("Ai-je des allergies ?", "fr"),
    ("What conditions do I have?", "en"),
    ("Quelles sont mes maladies ?", "fr"),
    ("Which vaccines am I missing?", "en"),
    ("Quand était ma dernière consultation ?", "fr"),
    ("Is my cholesterol out of range?", "en"),
    ("Quel est mon poids ?", "fr"),
    ("Tell me about my metformin", "en"),
    ("What was my BMI in 2019?", "en"),
    ("Mes résultats de glycémie", "fr"),
    ("How are my kidneys doing?", "en"),
    ("Et mes reins ?", "fr"),
    ("Have I ever had a colonoscopy?", "en"),
    ("Combien de vaccins contre la grippe ai-je eus ?", "fr"),
    ("Am I still on aspirin?", "en"),
    ("Est-ce que je prends toujours de l'insuline ?", "fr"),
    ("What was my last blood pressure?", "en"),
    ("Ma tension en 2019 c'était combien ?", "fr"),
    ("What was my heart blood test?", "en"),
    ("Mon bilan thyroïdien ?", "fr"),
    ("When was my last visit and what was it for?", "en"),
    ("Is my HbA1c normal?", "en"),
]


@pytest.mark.parametrize("bundle", BUNDLES, ids=lambda p: p.name.split("_")[0])
def test_composer_answers_pass_the_output_guard(bundle: Path) -> None:
    record = load_bundle_file(bundle)
    concepts = ConceptMap.load()
    today = date(2026, 11, 23)
    answers = RecordAnswers(
        RecordContext(RecordQueries(record, concepts), concepts, Intents.load(), record.patient_id, today)
    )
    checked = 0
    failures = []
    for question, language in QUESTIONS:
        draft = answers.answer_text(question, language)
        if draft is None:
            continue
        text = add_disclaimer(draft.text, language) if draft.guidance else draft.text
        verdict = check_output(text, citations=draft.citations, record=record, language=language, today=today)
        checked += 1
        if not verdict.ok:
            failures.append((question, verdict.problems))
    assert checked >= 10
    assert failures == []
