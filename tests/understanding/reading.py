"""Reading a message the way a turn does, for tests of the signals and the guard's input verdict.

The stage is built once per test process (it loads and compiles its data); records give it the patient's
facts as the assistant does (``patient_facts``).
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

from assistant.assistant import patient_facts
from assistant.guardrails.input_guard import DEFAULT_MAX_CHARS, InputVerdict, check_input
from assistant.schemas import Language, RefusalCategory
from assistant.understanding.model import ConversationContext, PriorTurn, Understanding
from assistant.understanding.signals import SignalTable
from assistant.understanding.stage import Understander
from fhir_client import PatientRecord, load_bundle_file

SYNTHEA = Path(__file__).resolve().parents[2] / "data" / "synthea"
TODAY = date(2026, 11, 23)


@functools.cache
def understander() -> Understander:
    return Understander.default(signals=SignalTable.load())


@functools.cache
def record(stem: str) -> PatientRecord:
    return load_bundle_file(next(SYNTHEA.glob(f"{stem}_*.json")))


def after_refusal(category: RefusalCategory) -> ConversationContext:
    """The conversation right after the assistant refused ``category``."""
    return ConversationContext(turns=(PriorTurn(refusal=category),))


def read(
    message: str,
    *,
    patient: str | PatientRecord | None = None,
    context: ConversationContext | None = None,
    language: Language | None = None,
) -> Understanding:
    """``patient``: a Synthea file stem ("Lupe_Little") or a loaded record."""
    if patient is None:
        facts = None
    else:
        facts = patient_facts(record(patient) if isinstance(patient, str) else patient, TODAY)
    return understander().understand(message, language=language, context=context, patient=facts, today=TODAY)


def verdict(
    message: str,
    *,
    patient: str | PatientRecord | None = None,
    context: ConversationContext | None = None,
    language: Language | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> InputVerdict:
    return check_input(
        read(message, patient=patient, context=context, language=language), max_chars=max_chars
    )


def current(message: str, *, patient: str | PatientRecord | None = "Lupe_Little") -> set[str]:
    """The concepts a message reports as happening now (not negated, over, supposed, someone's history or
    fiction): what the triage will act on."""
    return {f.concept for f in read(message, patient=patient).findings if f.current}
