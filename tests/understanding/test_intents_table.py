"""The routing table (data/intents.yaml): every entry's examples are read as its intent, no near miss is.

The examples and look-alikes live next to the cues, so a change to a cue is checked against them at once:
"check-up" in a record question is not a booking, "Great, what about my cholesterol?" is not thanks, "how
many flu jabs have I had" is a record question and not a flu symptom. Entries read with the previous turn
(follow-ups, push-back, answers to interview questions) are tried with that turn as context.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.schemas import INTENT_NAMES, RefusalCategory
from assistant.understanding.cues import CueError
from assistant.understanding.intents import IntentReader, RouteEntry, RoutingTable
from assistant.understanding.model import ConversationContext, IntentKind, PriorTurn
from assistant.understanding.stage import Understander
from assistant.understanding.subjects import PatientFacts

READER = IntentReader.load()
TABLE = READER.table
UNDERSTANDER = Understander.default(intents=READER)
# Children's records in the dev data are named in messages by first name ("has luigi had his MMR yet?").
FACTS = PatientFacts(given_names=("Daisey", "Luigi"))


def _context(entry: RouteEntry) -> ConversationContext:
    if entry.context is None:
        return ConversationContext()
    turn = PriorTurn(
        intents=(entry.context,),
        refusal=RefusalCategory.DOSE_CHANGE if "after_refusal" in entry.needs else None,
        pending_questions=("q-duration",) if "pending" in entry.needs else (),
    )
    return ConversationContext(turns=(turn,))


def _wanted(entry: RouteEntry) -> tuple[IntentKind, str | None]:
    kind = entry.intent or entry.context
    assert kind is not None, f"{entry.id}: a 'previous' entry needs a context for its examples"
    return kind, entry.detail if entry.detail not in (None, "topic") else None


def _main(entry: RouteEntry, lang: str, text: str) -> tuple[IntentKind | None, str | None, tuple[str, ...]]:
    u = UNDERSTANDER.understand(text, language=lang, context=_context(entry), patient=FACTS)  # type: ignore[arg-type]
    if not u.intents:
        return None, None, ()
    return u.intents[0].kind, u.intents[0].detail, u.intents[0].evidence


EXAMPLES = [
    (e, lang, text) for e in TABLE.entries for lang in ("en", "fr") for text in e.examples.get(lang, ())
]
NEAR_MISSES = [
    (e, lang, text) for e in TABLE.entries for lang in ("en", "fr") for text in e.near_misses.get(lang, ())
]


def test_every_entry_has_examples_and_near_misses_in_both_languages() -> None:
    missing = [
        f"{e.id}:{what}:{lang}"
        for e in TABLE.entries
        for what, table in (("examples", e.examples), ("near_misses", e.near_misses))
        for lang in ("en", "fr")
        if not table.get(lang)
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("entry", "lang", "text"), EXAMPLES, ids=[f"{e.id}-{lang}-{i}" for i, (e, lang, _) in enumerate(EXAMPLES)]
)
def test_example_is_read_as_the_entry_intent(entry: RouteEntry, lang: str, text: str) -> None:
    kind, detail = _wanted(entry)
    got_kind, got_detail, evidence = _main(entry, lang, text)
    assert got_kind == kind, f"{text!r} → {got_kind} ({evidence})"
    if detail is not None:
        assert got_detail == detail, f"{text!r} → {got_kind}/{got_detail}"


@pytest.mark.parametrize(
    ("entry", "lang", "text"),
    NEAR_MISSES,
    ids=[f"{e.id}-{lang}-{i}" for i, (e, lang, _) in enumerate(NEAR_MISSES)],
)
def test_near_miss_is_not_read_as_the_entry_intent(entry: RouteEntry, lang: str, text: str) -> None:
    kind, detail = _wanted(entry)
    got_kind, got_detail, evidence = _main(entry, lang, text)
    same = got_kind == kind and (detail is None or got_detail == detail)
    assert not same, f"{text!r} → {got_kind}/{got_detail} ({evidence})"


def test_intent_kinds_match_the_turn_contract() -> None:
    assert {k.value for k in IntentKind} == set(INTENT_NAMES)


def test_mixed_message_keeps_every_request_each_with_its_clause_and_entry_ids() -> None:
    u = UNDERSTANDER.understand(
        "my chest has been tight since lunch, prob nothing. anyway when is my next appointment? "
        "and what was my last cholesterol?",
        language="en",
    )
    kinds = [i.kind for i in u.intents]
    assert kinds[:2] == [IntentKind.BOOKING, IntentKind.RECORD_QUESTION]
    assert IntentKind.SYMPTOM in kinds
    booking = u.intents[0]
    assert booking.detail == "lookup"
    assert booking.evidence == ("booking-lookup",)
    assert "when is my next appointment" in u.clauses[booking.clause or 0].text


@pytest.mark.parametrize(
    ("text", "lang", "main"),
    [
        (
            "the care home wants a list of her medicines before they'll book her in",
            "en",
            IntentKind.RECORD_QUESTION,
        ),
        (
            "le podologue veut la liste de mes allergies avant de prendre rendez-vous",
            "fr",
            IntentKind.RECORD_QUESTION,
        ),
        # the look-alike: a booking whose purpose is a list stays a booking
        ("book me in with the pharmacist to go through my medicines list", "en", IntentKind.BOOKING),
    ],
)
def test_a_list_asked_for_before_a_booking_outranks_the_booking(
    text: str, lang: str, main: IntentKind
) -> None:
    """A booking named as the reason a list is wanted is not the request; the list is (both are kept)."""
    u = UNDERSTANDER.understand(text, language=lang)  # type: ignore[arg-type]
    assert u.intent == main, [(i.kind, i.evidence) for i in u.intents]


def test_a_follow_up_takes_the_previous_turns_intent_and_nothing_without_one() -> None:
    after_record = ConversationContext(turns=(PriorTurn(intents=(IntentKind.RECORD_QUESTION,)),))
    after_advice = ConversationContext(
        turns=(PriorTurn(intents=(IntentKind.HEALTH_ADVICE,), topic="diabetes"),)
    )
    assert (
        UNDERSTANDER.understand("and the one before?", context=after_record).intent
        == IntentKind.RECORD_QUESTION
    )
    advice = UNDERSTANDER.understand("and if i want to start running?", context=after_advice)
    assert advice.intent == IntentKind.HEALTH_ADVICE
    assert advice.intents[0].detail == "diabetes"
    assert UNDERSTANDER.understand("and the one before?").intents == ()


def test_a_health_advice_intent_names_the_topic() -> None:
    u = UNDERSTANDER.understand("des conseils pour mon diabète ?", language="fr")
    assert (u.intent, u.intents[0].detail) == (IntentKind.HEALTH_ADVICE, "diabetes")


def test_a_tv_plot_is_not_a_symptom_report() -> None:
    u = UNDERSTANDER.understand("Watching Casualty last night, a man collapsed at a wedding with chest pain")
    assert IntentKind.SYMPTOM not in [i.kind for i in u.intents]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "intents.yaml"
    path.write_text(
        "fragments: {ask: what, aux_first: '^is', own: my, record_noun: results, medicine: pills, fiction: film}\n"
        "topics: [{id: diabetes, en: [diabetes], fr: [diabete]}]\n" + body,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("entries: [{id: a, intent: wishes, priority: 50, why: x, en: [hi]}]", "unknown intent 'wishes'"),
        ("entries: [{id: a, intent: booking, detail: teleport, priority: 50, why: x, en: [hi]}]", "detail"),
        (
            "entries: [{id: a, intent: symptom, priority: 50, why: x, needs: [telepathy]}]",
            "unknown condition",
        ),
        ("entries: [{id: a, intent: symptom, priority: 50, why: x}]", "needs cues or conditions"),
        ("entries: [{id: a, intent: symptom, priority: 50, why: x, en: ['<<nope>>']}]", "unknown fragment"),
        ("entries: [{id: a, intent: symptom, priority: 500, why: x, en: [hi]}]", "priority"),
        (
            "entries: [{id: a, intent: symptom, priority: 5, why: x, en: [hi]}, "
            "{id: a, intent: symptom, priority: 5, why: x, en: [ho]}]",
            "duplicate id",
        ),
    ],
)
def test_a_bad_table_is_refused_with_the_entry_named(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(CueError, match=message):
        RoutingTable.load(_write(tmp_path, body))
