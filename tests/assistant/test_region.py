"""One region table: a deployment in FR, GB, US or DE shows its own numbers and no other region's.

Every text that names a number to call is checked here for each deployment: the triage advice (an
emergency, a crisis, a level raised by the record), the disclaimer, every refusal, the over-long-message
reply, the booking flow's "nothing free today", the mental-health guidance, and whole assistant turns.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.booking import wording
from assistant.composer.health_topics import load_topics, topic_answer
from assistant.guardrails import Guard, disclaimer, oversize_text, refusal_text
from assistant.guardrails.triage import ProtocolEngine, TriageDecision
from assistant.guardrails.triage.decision import fill_numbers, level_advice
from assistant.region import DEFAULT_REGION, REGIONS, numbers_for, region_code
from assistant.schemas import RefusalCategory, TriageLevel
from assistant.store import SessionStore, sqlite_url
from assistant.understanding.stage import Understander
from fhir_client import PatientRecord, load_bundle_file

DEPLOYMENTS = ["FR", "GB", "US", "DE"]
EVERY_NUMBER = {n for r in (*REGIONS.values(), DEFAULT_REGION) for n in r.all_numbers}
DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


def foreign_numbers(text: str, region: str) -> list[str]:
    """Numbers of other regions in ``text`` (this region's own numbers are taken out first, longest first,
    so "0800 111 0 111" is not read as GB's 111)."""
    own = numbers_for(region).all_numbers
    for number in sorted(own, key=len, reverse=True):
        text = text.replace(number, " ")
    return sorted(n for n in EVERY_NUMBER - set(own) if re.search(rf"(?<![\d]){re.escape(n)}(?![\d])", text))


UNDERSTANDER = Understander.default()


@pytest.fixture(scope="module")
def engine() -> ProtocolEngine:
    return ProtocolEngine.load()


def assess(engine: ProtocolEngine, message: str, lang: str, region: str) -> TriageDecision:
    return engine.assess(UNDERSTANDER.understand(message, language=lang), region=region)  # type: ignore[arg-type]


def protocol_texts(engine: ProtocolEngine, region: str) -> list[str]:
    """Every advice and watch-for line of every protocol and criterion, with the region's numbers."""
    numbers = numbers_for(region)
    out: list[str] = []
    for p in engine.protocols:
        for lang in ("en", "fr"):
            texts = [
                t.get(lang) for t in (p.advice.for_level(level) for level in TriageLevel) if t is not None
            ]
            texts += list(p.watch_for.get(lang))
            for c in p.criteria:
                texts += [c.advice.get(lang)] if c.advice is not None else []
                texts += list(c.watch_for.get(lang)) if c.watch_for is not None else []
            for q in p.questions:
                texts.append(q.ask.get(lang))
            out += [fill_numbers(t, numbers, lang) for t in texts]  # type: ignore[arg-type]
    return out


def texts_for(region: str, engine: ProtocolEngine) -> list[str]:
    texts: list[str] = []
    for lang in ("en", "fr"):
        texts.append(disclaimer(lang, region))
        texts += [refusal_text(c, lang, region=region) for c in RefusalCategory]
        texts.append(oversize_text(5000, 4000, lang, region=region))
        texts.append(wording.urgent_none(lang, region))
        texts += [level_advice(level, lang, numbers_for(region)) for level in TriageLevel]
        for message in ("crushing chest pain", "I have suicidal thoughts", "j'ai des idées noires"):
            decision = assess(engine, message, lang, region)
            texts += [decision.advice, *decision.watch_for, decision.call or ""]
        texts += [topic_answer(t, lang, None, region=region).text for t in load_topics()]
    return texts + protocol_texts(engine, region)


@pytest.mark.parametrize("region", DEPLOYMENTS)
def test_every_text_names_only_its_own_regions_numbers(region: str, engine: ProtocolEngine) -> None:
    texts = texts_for(region, engine)
    found = {text: foreign_numbers(text, region) for text in texts}
    assert {t: f for t, f in found.items() if f} == {}
    numbers = numbers_for(region)
    assert any(numbers.emergency in t for t in texts) and any(numbers.crisis in t for t in texts)


@pytest.mark.parametrize("region", DEPLOYMENTS)
def test_emergency_crisis_and_disclaimer_use_the_regions_numbers(region: str, engine: ProtocolEngine) -> None:
    numbers = numbers_for(region)
    heart = assess(engine, "crushing chest pain", "en", region)
    assert heart.call == numbers.emergency and numbers.emergency in heart.advice
    thoughts = assess(engine, "I have suicidal thoughts", "en", region)
    assert thoughts.call == numbers.crisis
    assert numbers.emergency in disclaimer("en", region) and numbers.emergency in disclaimer("fr", region)
    unsafe = refusal_text(RefusalCategory.UNSAFE_REQUEST, "en", region=region)
    assert numbers.crisis in unsafe and numbers.emergency in unsafe


@pytest.fixture(scope="module")
def lupe() -> PatientRecord:
    return load_bundle_file(next(DATA.glob("Lupe_Little_*.json")))


@pytest.mark.parametrize("region", DEPLOYMENTS)
def test_whole_turns_of_a_deployment_show_no_other_regions_number(
    region: str, lupe: PatientRecord, tmp_path: Path
) -> None:
    bot = Assistant(
        record=lupe,
        store=SessionStore(sqlite_url(tmp_path), clock=lambda: NOW),
        guard=Guard.default(region=region),
        region=region,
        clock=lambda: NOW,
    )
    session = bot.new_session("en")
    messages = [
        "I have crushing chest pain",
        "I want to end my life",
        "how do I cope with stress and anxiety?",
        "I have a sore throat since yesterday",
        "help me make a bomb",
        "x" * 4100,
    ]
    for message in messages:
        turn = bot.respond(session, message)
        assert foreign_numbers(turn.text, region) == [], (message[:40], turn.text)
        if turn.triage.call:
            assert turn.triage.call in numbers_for(region).all_numbers


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("FR", "FR"),
        ("fr-FR", "FR"),
        ("en_GB", "GB"),
        ("UK", "GB"),
        ("en-US", "US"),
        ("de_DE", "DE"),
        ("es", "ES"),
    ],
)
def test_locales_name_their_country(value: str, code: str) -> None:
    assert region_code(value) == code


def test_a_country_outside_the_table_gets_112() -> None:
    assert numbers_for("ES") is DEFAULT_REGION and DEFAULT_REGION.emergency == "112"
