"""A conversation read turn by turn for the understanding tests: each message with the turns before it, the
context built the way ``Assistant`` keeps it (the resolved query of each turn), so follow-up tests in several
files read conversations the same way."""

from __future__ import annotations

from datetime import date

from assistant.understanding.intents import IntentReader
from assistant.understanding.model import ConversationContext, PriorTurn, Understanding
from assistant.understanding.record_query import RecordQueryReader
from assistant.understanding.stage import Understander

TODAY = date(2026, 11, 23)
UNDERSTANDER = Understander.default(intents=IntentReader.load(), record_queries=RecordQueryReader.load())


def converse(*messages: str, lang: str = "en") -> list[Understanding]:
    """Each message read with the turns before it, as ``Assistant`` keeps them."""
    context = ConversationContext()
    out: list[Understanding] = []
    for message in messages:
        u = UNDERSTANDER.understand(message, language=lang, context=context, today=TODAY)  # type: ignore[arg-type]
        out.append(u)
        turn = PriorTurn(intents=tuple(i.kind for i in u.intents), record_query=u.record_query)
        context = ConversationContext(turns=(*context.turns, turn))
    return out
