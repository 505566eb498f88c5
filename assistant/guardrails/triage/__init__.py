"""Record-aware triage: red-flag rules in English and French, as data, with record-aware modifiers.

The engine sets the floor of every turn's triage level; nothing downstream (an LLM included) may
lower it (``TriageDecision.raised_to`` only raises). See ``engine.py`` for the order of work and
``assistant/guardrails/rules/`` for the rules themselves.
"""

from assistant.guardrails.triage.decision import ModifierHit, TriageDecision, region_numbers
from assistant.guardrails.triage.engine import TriageEngine
from assistant.guardrails.triage.rules import PACKAGED_RULES_DIR, RuleFileError
from assistant.guardrails.triage.text import detect_language, normalise

__all__ = [
    "PACKAGED_RULES_DIR",
    "ModifierHit",
    "RuleFileError",
    "TriageDecision",
    "TriageEngine",
    "detect_language",
    "normalise",
    "region_numbers",
]
