"""The learned intent signal (nearest routing-table example, real MiniLM embedder): one signal only.

It adds an intent, marked ``learned:<entry>``, only when no entry of the table matched; it never changes
what the table read, and it is not on by default (measured on the dev set: it does not help there, see
benchmarks/RESULTS.md).
"""

from __future__ import annotations

import pytest

from assistant.assistant import default_understander
from assistant.understanding.intents import IntentReader, RoutingTable
from assistant.understanding.learned import LEARNED_SCORE, NearestExamples
from assistant.understanding.model import IntentKind
from assistant.understanding.stage import Understander

retrieval = pytest.importorskip("retrieval")


@pytest.fixture(scope="module")
def learned() -> NearestExamples:
    return NearestExamples(RoutingTable.load(), retrieval.MiniLMEmbedder(), threshold=0.5)


def test_a_message_the_table_misses_gets_the_nearest_examples_intent_marked_learned(
    learned: NearestExamples,
) -> None:
    plain = Understander.default(intents=IntentReader(RoutingTable.load()))
    with_model = Understander.default(intents=IntentReader(RoutingTable.load(), learned=learned))
    message = "appointment cancellation for the day after tomorrow, I am away"
    assert plain.understand(message).intents == ()
    (intent,) = with_model.understand(message).intents
    assert intent.kind == IntentKind.BOOKING
    assert intent.score == LEARNED_SCORE
    assert intent.evidence[0].startswith("learned:booking-")


def test_it_never_runs_when_the_table_read_an_intent(learned: NearestExamples) -> None:
    calls: list[str] = []

    class Counting(NearestExamples):
        def nearest(self, text: str) -> tuple[str, float]:
            calls.append(text)
            return super().nearest(text)

    counting = Counting(RoutingTable.load(), learned.embedder, threshold=0.5)
    stage = Understander.default(intents=IntentReader(RoutingTable.load(), learned=counting))
    u = stage.understand("what was my last a1c?")
    assert u.intent == IntentKind.RECORD_QUESTION and "learned" not in " ".join(u.intents[0].evidence)
    assert calls == []


def test_far_from_every_example_nothing_is_added(learned: NearestExamples) -> None:
    strict = NearestExamples(learned.table, learned.embedder, threshold=0.95)
    stage = Understander.default(intents=IntentReader(RoutingTable.load(), learned=strict))
    assert stage.understand("the quick brown fox jumps over the lazy dog").intents == ()


def test_the_assistant_stage_does_not_use_it_by_default() -> None:
    reader = default_understander().intents
    assert isinstance(reader, IntentReader) and reader.learned is None
