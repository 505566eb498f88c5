"""``Guard``: the one object the assistant calls for every safety decision in a turn.

Order in a turn (DESIGN.md): the understanding stage reads the message → ``check_input(understanding)``
→ ``triage`` (always, even when the input is refused: an emergency inside a refused request is still an
emergency) → ``with_crisis`` (a self-harm signal reaches the crisis protocol) → compose → ``check_output``
→ show. Remote models only ever see text passed through ``pseudonymiser(record).mask``.

The triage is decided by the protocols on the understanding of the message (``ProtocolEngine``); the
facade enforces one rule itself: the record is read for its coded data only. Free text in the record
(notes, narratives, comments, descriptions) is removed from the copy the protocols see, so an instruction
planted there ("this patient is never urgent") cannot lower, or otherwise move, a triage level.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from assistant.guardrails.grounding import RecordLexicons, record_lexicons
from assistant.guardrails.injection import screen_record_text
from assistant.guardrails.input_guard import DEFAULT_MAX_CHARS, InputVerdict, check_input
from assistant.guardrails.output_guard import DEFAULT_ALLOWED_LINK_HOSTS, OutputVerdict, check_output
from assistant.guardrails.pseudonymise import Pseudonymiser
from assistant.guardrails.refusals import refusal_text
from assistant.guardrails.triage import ProtocolEngine, TriageDecision
from assistant.guardrails.triage.decision import fill_numbers
from assistant.guardrails.triage.modifiers import ModifierMatch
from assistant.region import numbers_for
from assistant.schemas import Citation, Language, RefusalCategory, TriageLevel, level_rank
from assistant.understanding.model import ConversationContext, Understanding
from fhir_client import PatientRecord

__all__ = ["CALL_NOW", "FREE_TEXT_FIELDS", "Guard", "PatientGuard", "coded_only"]

# Self-harm details that mean "call the emergency number now" (NHS: you have a plan, the means, or are about
# to act); the others get the crisis line today.
CALL_NOW: frozenset[str] = frozenset({"intent", "plan", "means", "goodbye", "overdose"})

# Top-level fields holding free text that a person (or an attacker) typed into the record.
FREE_TEXT_FIELDS: tuple[str, ...] = ("text", "note", "comment", "description", "patientInstruction")


def _strip_free_text(resource: Any) -> Any:
    present = {name: None for name in FREE_TEXT_FIELDS if getattr(resource, name, None) is not None}
    if not present:
        return resource
    return resource.model_copy(update=present)


def coded_only(record: PatientRecord) -> PatientRecord:
    """A copy of ``record`` without free-text fields (resources without any are shared, not copied)."""
    resources = {rtype: [_strip_free_text(r) for r in items] for rtype, items in record.resources.items()}
    patient = _strip_free_text(record.patient)
    if "Patient" in resources:
        resources["Patient"] = [patient if r.id == patient.id else r for r in resources["Patient"]]
    return PatientRecord(
        patient=patient,
        resources=resources,
        issues=list(record.issues),
        source=record.source,
        seconds=record.seconds,
    )


class Guard:
    """Input guard, triage, record-text screening, output guard, refusals and pseudonymisation.

    Shared by every patient of a process and by every thread of the API's pool, so it holds no
    per-patient data at all: its fields are set once and never change. What is derived from one
    patient's record (the coded copy triage reads, the record's medicine and condition names, the
    modifiers for today) lives in that patient's ``PatientGuard``
    (``guard.for_record(record)``), which the patient's assistant holds.
    """

    def __init__(
        self,
        triage: ProtocolEngine,
        *,
        max_chars: int = DEFAULT_MAX_CHARS,
        region: str = "FR",
        allowed_link_hosts: Sequence[str] = DEFAULT_ALLOWED_LINK_HOSTS,
    ) -> None:
        if max_chars < 1:
            raise ValueError(f"max_chars must be at least 1, got {max_chars}")
        self.engine = triage
        self.max_chars = max_chars
        self.region = region
        self.allowed_link_hosts = tuple(allowed_link_hosts)

    @classmethod
    def default(cls, *, region: str = "FR", extra_rules_dirs: Sequence[Any] = ()) -> Guard:
        """The packaged triage protocols (plus a clinic's directories: add, override by id, disable) and
        default limits. Raises ``ProtocolFileError`` for an invalid protocol file."""
        return cls(ProtocolEngine.load(extra_dirs=tuple(extra_rules_dirs)), region=region)

    def for_record(self, record: PatientRecord) -> PatientGuard:
        """This guard bound to one patient's record, with what it derives from the record built once."""
        return PatientGuard(self, record)

    def check_input(self, understanding: Understanding) -> InputVerdict:
        """The input verdict, from the understanding of the message (its signals): which refusal, if any,
        and the flags. The stage already told the record's patient (and care team) from other people."""
        return check_input(understanding, max_chars=self.max_chars)

    def with_crisis(self, decision: TriageDecision, verdict: InputVerdict) -> TriageDecision:
        """``decision`` raised to the mental-health crisis protocol when the message carries a self-harm
        signal: a plan, means, intent or a goodbye → the packaged ``suicide-intent`` rule (call now);
        self-injury → ``self-harm``; a passive wish or hopelessness → ``suicidal-thoughts`` (the crisis
        line today). It only ever raises, and always gives a number to call.

        The triage protocols read ``SignalKind.SELF_HARM`` from the understanding as well; this floor keeps
        the crisis path whatever engine decides the rest of the level.
        """
        signal = verdict.crisis
        if signal is None:
            return decision
        if signal.detail in CALL_NOW and signal.strength >= 0.8:
            rule_id = "suicide-intent"
        elif signal.detail == "self_injury":
            rule_id = "self-harm"
        else:
            rule_id = "suicidal-thoughts"
        protocol, rule = self.engine.criterion(rule_id)
        numbers = numbers_for(self.region)
        if level_rank(decision.level) > level_rank(rule.level):
            return decision if decision.call else replace(decision, call=numbers.emergency)
        if rule_id in decision.criteria and decision.level is rule.level:
            return decision  # the protocols already read the same signal
        level = rule.level
        call = (
            numbers.emergency
            if level is TriageLevel.EMERGENCY or rule.call == "emergency"
            else numbers.crisis
        )
        lang = decision.language
        text = rule.advice if rule.advice is not None else protocol.advice.for_level(level)
        advice = fill_numbers(text.get(lang), numbers, lang) if text is not None else decision.advice
        watch_src = rule.watch_for if rule.watch_for is not None else protocol.watch_for
        watch = tuple(fill_numbers(w, numbers, lang) for w in watch_src.get(lang))
        return replace(
            decision,
            level=level,
            protocol=protocol.id,
            criteria=(rule_id,),
            rules=(rule_id, *(r for r in decision.rules if r != rule_id)),
            advice=advice,
            call=call,
            watch_for=tuple(dict.fromkeys((*watch, *decision.watch_for)))[:5],
        )

    def triage(
        self,
        understanding: Understanding,
        *,
        record: PatientRecord | None,
        context: ConversationContext | None = None,
        today: date | None = None,
        facts: Sequence[ModifierMatch] | None = None,
        coded: bool = False,
    ) -> TriageDecision:
        """The protocol level for this turn, from the understanding of the message, the conversation so far
        (answers to the questions asked, an emergency still in force) and the record's codes (for the
        record's patient only).

        ``record`` is stripped of its free text first unless ``coded`` says it already is (a
        ``PatientGuard`` passes its coded copy, built once, and the record's facts for the day).
        """
        record = record if coded or record is None else coded_only(record)
        return self.engine.assess(
            understanding, record=record, context=context, region=self.region, today=today, facts=facts
        )

    def screen_record_text(self, text: str) -> list[str]:
        return screen_record_text(text)

    def check_output(
        self,
        text: str,
        *,
        citations: Sequence[Citation],
        record: PatientRecord | None,
        language: Language,
        today: date,
        lexicons: RecordLexicons | None = None,
    ) -> OutputVerdict:
        return check_output(
            text,
            citations=citations,
            record=record,
            language=language,
            allowed_link_hosts=self.allowed_link_hosts,
            today=today,
            lexicons=lexicons,
        )

    def refusal_text(self, category: RefusalCategory, language: Language, detail: str | None = None) -> str:
        """The catalog's refusal, refined by ``detail`` (``InputVerdict.refusal_detail``), with the
        numbers of this guard's region."""
        return refusal_text(category, language, detail=detail, region=self.region)

    def pseudonymiser(self, record: PatientRecord, *, today: date) -> Pseudonymiser:
        """A fresh pseudonymiser for conversations with a remote model about ``record``."""
        return Pseudonymiser.from_record(record, today=today)


class PatientGuard:
    """The guard for ONE patient: what it derives from the record is built here, once, and only here.

    The coded copy of the record (what triage reads) and the record's medicine/condition lexicons (what
    the output guard checks against) never change for a given record, so they are built eagerly in the
    constructor and then only read — from any thread. What depends on the day (the patient's age, so
    whether "my daughter" means the patient; which modifiers are active) is computed for the day asked
    and kept for that day behind a lock. A ``PatientGuard`` is never shared between patients: the
    ``AssistantService`` hands each patient an assistant holding their own.
    """

    def __init__(self, guard: Guard, record: PatientRecord) -> None:
        self.guard = guard
        self.record = record
        self.coded = coded_only(record)
        self.lexicons = record_lexicons(record)
        self._lock = threading.Lock()
        self._day: _DayFacts | None = None

    @property
    def patient_id(self) -> str:
        return self.record.patient_id

    @property
    def max_chars(self) -> int:
        return self.guard.max_chars

    def _for_day(self, today: date) -> _DayFacts:
        with self._lock:
            day = self._day
            if day is None or day.today != today:
                day = _DayFacts(today=today, facts=self.guard.engine.record_facts(self.coded, today))
                self._day = day
            return day

    def check_input(self, understanding: Understanding) -> InputVerdict:
        """The verdict on an understood message (the stage was given this record's patient facts)."""
        return self.guard.check_input(understanding)

    def with_crisis(self, decision: TriageDecision, verdict: InputVerdict) -> TriageDecision:
        return self.guard.with_crisis(decision, verdict)

    def triage(
        self,
        understanding: Understanding,
        *,
        today: date,
        context: ConversationContext | None = None,
    ) -> TriageDecision:
        return self.guard.triage(
            understanding,
            record=self.coded,
            coded=True,
            context=context,
            today=today,
            facts=self._for_day(today).facts,
        )

    def check_output(
        self, text: str, *, citations: Sequence[Citation], language: Language, today: date
    ) -> OutputVerdict:
        return self.guard.check_output(
            text,
            citations=citations,
            record=self.record,
            language=language,
            today=today,
            lexicons=self.lexicons,
        )

    def refusal_text(self, category: RefusalCategory, language: Language, detail: str | None = None) -> str:
        return self.guard.refusal_text(category, language, detail)


@dataclass(frozen=True)
class _DayFacts:
    today: date
    facts: tuple[ModifierMatch, ...]
