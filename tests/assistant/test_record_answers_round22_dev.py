"""Record answers from round-21 development (dev data once scored), by mechanism, on Synthea records:

- a test named with its family ("the heart blood test, the BNP or something") that the record does not hold
  is answered by the family's test the record does hold (NT-proBNP), named as such; when the member named is
  in the record, only it is answered;
- "et l'année d'avant ?" after the latest value, with no period to shift, is the latest value of the
  calendar year before the one shown — not the reading just before it (which may be weeks earlier).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from assistant.composer import Intents
from assistant.composer.record_answers import RecordAnswers, RecordContext
from assistant.understanding.model import RecordQuery, RecordQueryKind
from fhir_client import load_bundle_file
from retrieval import ConceptMap, RecordQueries

ROOT = Path(__file__).resolve().parents[2]
K = RecordQueryKind


def _answers(stem: str) -> RecordAnswers:
    (path,) = (ROOT / "data" / "synthea").glob(f"{stem}_*.json")
    record = load_bundle_file(path)
    concepts = ConceptMap.load()
    return RecordAnswers(
        RecordContext(
            RecordQueries(record, concepts), concepts, Intents.load(), record.patient_id, date(2026, 12, 7)
        )
    )


def test_a_family_member_the_record_lacks_is_answered_by_the_one_it_holds() -> None:
    draft = _answers("Martina_Murazik").answer(
        RecordQuery(kind=K.LATEST, targets=("heart_blood_tests", "bnp")), "en"
    )
    assert "NT-proBNP" in draft.text and "1645" in draft.text, draft.text
    assert "couldn't find" not in draft.text


def test_a_member_asked_alone_and_missing_is_still_not_found() -> None:
    draft = _answers("Martina_Murazik").answer(RecordQuery(kind=K.LATEST, targets=("bnp",)), "en")
    assert "1645" not in draft.text and not draft.citations, draft.text


def test_a_member_the_record_holds_is_answered_alone() -> None:
    draft = _answers("Martina_Murazik").answer(
        RecordQuery(kind=K.LATEST, targets=("heart_blood_tests", "nt_probnp")), "en"
    )
    assert "1645" in draft.text and "Heart blood tests" not in draft.text, draft.text


def test_the_year_before_is_the_latest_value_of_the_previous_calendar_year() -> None:
    answers = _answers("Renea_Quigley")
    draft = answers.answer(
        RecordQuery(kind=K.PREVIOUS, targets=("glucose",), year_back=True, followup=True), "fr"
    )
    cited = [c.resource for c in draft.citations]
    assert "Observation/b97a2190-3ef7-4857-98b5-45738df48293" in cited, draft.text
    assert "2020" in draft.text, draft.text
    # the plain "one before" is the reading just before the latest one, in 2021
    before = answers.answer(RecordQuery(kind=K.PREVIOUS, targets=("glucose",), offset=1), "fr")
    assert "février 2021" in before.text, before.text
