"""The offline composer: replies written by code from the record, the triage decision and curated texts.

It is the default backend (nothing leaves the machine, no model needed) and the fallback whenever an
LLM reply fails a check, times out or errors.
"""

from assistant.composer.draft import CitationList, Draft
from assistant.composer.intents import Intents
from assistant.composer.record_answers import RecordAnswers, RecordContext

__all__ = ["CitationList", "Draft", "Intents", "RecordAnswers", "RecordContext"]
