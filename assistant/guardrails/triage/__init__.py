"""Record-aware triage: protocols on the understanding of a message (en, fr), as data, with record-aware
modifiers.

The protocol engine sets the floor of every turn's triage level; nothing downstream (an LLM included) may
lower it (``TriageDecision.raised_to`` only raises). See ``protocol_engine.py`` for the order of work,
``protocol_model.py`` for what a protocol file holds and ``assistant/guardrails/protocols/`` for the
protocols themselves. (The regex rules over raw text that came before are retired; their figures are kept
in benchmarks/RESULTS.md for comparison.)
"""

from assistant.guardrails.triage.decision import (
    AskedQuestion,
    FindingNote,
    ModifierHit,
    ProtocolOutcome,
    TriageDecision,
    region_numbers,
)
from assistant.guardrails.triage.protocol_engine import ProtocolEngine
from assistant.guardrails.triage.protocol_files import PACKAGED_PROTOCOLS_DIR, ProtocolFileError
from assistant.guardrails.triage.text import detect_language, normalise

__all__ = [
    "PACKAGED_PROTOCOLS_DIR",
    "AskedQuestion",
    "FindingNote",
    "ModifierHit",
    "ProtocolEngine",
    "ProtocolFileError",
    "ProtocolOutcome",
    "TriageDecision",
    "detect_language",
    "normalise",
    "region_numbers",
]
