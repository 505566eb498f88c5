"""A parent using the assistant for their child (proxy access): replies speak about "your child" /
"votre enfant", triage uses the child's record and age, and nothing greets the parent with the child's
name. The account holder comes in through the constructor (``assistant.account.AccountHolder``)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.account import SELF, AccountHolder, Relation
from assistant.composer.perspective import SELF_FORMS, llm_note, speak_about
from assistant.guardrails import Guard
from assistant.schemas import TriageLevel
from assistant.store import SessionStore, sqlite_url
from fhir_client import PatientRecord, load_bundle_file

SYNTHEA = Path(__file__).resolve().parents[2] / "data" / "synthea"
PARENT = AccountHolder(Relation.PARENT, "RelatedPerson/rp-alex-martin-luigi", "Alex Martin")
# Luigi Wiegand was born on 2020-10-20: four months old on this day.
INFANT_DAY = datetime(2021, 2, 20, 10, 0, tzinfo=UTC)


def bundle(name: str) -> PatientRecord:
    return load_bundle_file(next(SYNTHEA.glob(f"{name}_*.json")))


@pytest.fixture(scope="module")
def luigi() -> PatientRecord:
    return bundle("Luigi_Wiegand")


@pytest.fixture(scope="module")
def josue() -> PatientRecord:
    return bundle("Josue_Sipes")


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard.default(region="FR")


def make(record: PatientRecord, tmp_path: Path, guard: Guard, holder: AccountHolder = SELF) -> Assistant:
    store = SessionStore(sqlite_url(tmp_path), clock=lambda: INFANT_DAY)
    return Assistant(record=record, store=store, guard=guard, clock=lambda: INFANT_DAY, account_holder=holder)


def test_record_answers_to_a_parent_speak_about_the_child(
    luigi: PatientRecord, guard: Guard, tmp_path: Path
) -> None:
    bot = make(luigi, tmp_path, guard, PARENT)
    session = bot.new_session("en")
    replies = [
        bot.respond(session, m).text for m in ("what was the last weight?", "what vaccines are recorded?")
    ]
    assert replies[0].startswith("Your child's most recent body weight was")
    assert "your child's record" in replies[1].lower()
    for text in replies:
        assert not [f for f in SELF_FORMS["en"] if f in text], text

    hello = bot.respond(session, "hello").text
    assert "Luigi" not in hello  # the child's name is not the parent's
    assert "your child's health record" in hello


def test_french_replies_to_a_parent_say_votre_enfant(
    luigi: PatientRecord, guard: Guard, tmp_path: Path
) -> None:
    bot = make(luigi, tmp_path, guard, PARENT)
    session = bot.new_session("fr")
    text = bot.respond(session, "Quels vaccins sont dans le dossier ?", language="fr").text
    assert "dossier de votre enfant" in text
    assert not [f for f in SELF_FORMS["fr"] if f in text], text


def test_triage_uses_the_childs_age_and_the_emergency_line_names_the_child(
    luigi: PatientRecord, josue: PatientRecord, guard: Guard, tmp_path: Path
) -> None:
    child = make(luigi, tmp_path / "child", guard, PARENT)
    turn = child.respond(child.new_session("en"), "My son has a fever of 39.5 since this morning")
    # A four-month-old with 39.5: the infant fever protocol reads the child's age from the record and cites it.
    assert turn.triage.level in (TriageLevel.URGENT, TriageLevel.EMERGENCY)
    assert turn.triage.protocol == "fever-infant"
    assert "record-infant" in turn.triage.rules or "record-young-infant" in turn.triage.rules
    assert f"Patient/{luigi.patient_id}" in [c.resource for c in turn.citations]
    assert "your child's record into account" in turn.text

    adult = make(josue, tmp_path / "adult", guard)
    same = adult.respond(adult.new_session("en"), "My son has a fever of 39.5 since this morning")
    assert not any(r.startswith("record-infant") or r == "record-young-infant" for r in same.triage.rules)

    emergency = child.respond(child.new_session("en"), "he is not breathing properly and his lips are blue")
    assert emergency.triage.level is TriageLevel.EMERGENCY and emergency.triage.call == "15"
    assert emergency.text.startswith("Call 15 now — this could be an emergency for your child.")


def test_the_patient_themself_is_spoken_to_as_before(
    josue: PatientRecord, guard: Guard, tmp_path: Path
) -> None:
    bot = make(josue, tmp_path, guard)
    text = bot.respond(bot.new_session("en"), "what was my last weight?").text
    assert text.startswith("Your most recent body weight was")
    assert "child" not in text


def test_the_wording_catalog_leaves_text_already_about_the_child_alone() -> None:
    once = speak_about("Your record lists 2 allergies.", PARENT, "en")
    assert once == "Your child's record lists 2 allergies."
    assert speak_about(once, PARENT, "en") == once
    assert speak_about("J'ai tenu compte de votre dossier : âge.", PARENT, "fr") == (
        "J'ai tenu compte du dossier de votre enfant : âge."
    )
    assert speak_about("Your record lists 2 allergies.", SELF, "en") == "Your record lists 2 allergies."


def test_account_holder_from_the_sign_in() -> None:
    base = "http://127.0.0.1:8103/fhir/R4"
    assert AccountHolder.from_fhir_user(f"{base}/Patient/p1") == SELF
    assert AccountHolder.from_fhir_user(None) == SELF
    parent = AccountHolder.from_fhir_user(f"{base}/RelatedPerson/rp1", relationship_codes=frozenset({"PRN"}))
    assert parent.relation is Relation.PARENT and parent.reference == "RelatedPerson/rp1" and parent.is_proxy
    carer = AccountHolder.from_fhir_user("RelatedPerson/rp2", relationship_codes=frozenset({"FRND"}))
    assert carer.relation is Relation.OTHER and carer.is_proxy
    assert llm_note(parent, "en") is not None and "your child" in str(llm_note(parent, "en"))
    assert llm_note(SELF, "fr") is None
