"""A request with nothing about health in it is declined as out of scope, whatever its topic."""

from __future__ import annotations

import pytest

from assistant.schemas import TriageLevel
from assistant.understanding.model import ConversationContext, PriorTurn, SignalKind
from assistant.understanding.scope import ScopeReader
from tests.understanding.reading import read

SCOPE = ScopeReader.load()
EXAMPLES = [(lang, t) for lang, texts in SCOPE.examples.items() for t in texts]
NEAR_MISSES = [(lang, t) for lang, texts in SCOPE.near_misses.items() for t in texts]


def _scope_ids(text: str, context: ConversationContext | None = None) -> list[str]:
    u = read(text, context=context) if context is not None else read(text)
    return [e for s in u.signals if s.kind is SignalKind.OUT_OF_SCOPE for e in s.evidence]


def test_the_reader_has_examples_and_near_misses_in_both_languages() -> None:
    assert SCOPE.guidance
    assert all(SCOPE.examples.get(lang) and SCOPE.near_misses.get(lang) for lang in ("en", "fr"))


@pytest.mark.parametrize(("lang", "text"), EXAMPLES)
def test_requests_without_health_content_are_out_of_scope(lang: str, text: str) -> None:
    assert _scope_ids(text), text  # this reader, or a named topic of the signal table


@pytest.mark.parametrize(("lang", "text"), NEAR_MISSES)
def test_health_small_talk_and_record_requests_are_not(lang: str, text: str) -> None:
    assert not _scope_ids(text), text


def test_a_short_reply_to_the_last_question_is_not_read_as_out_of_scope() -> None:
    asked = ConversationContext(turns=(PriorTurn(level=TriageLevel.SOON, pending_questions=("side",)),))
    assert SCOPE.id in _scope_ids("the one on the left?")
    assert not _scope_ids("the one on the left?", asked)
