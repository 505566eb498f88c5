"""What the assistant needs from its collaborators, as protocols.

The concrete classes live in ``assistant.guardrails`` (Guard), ``assistant.booking`` (BookingFlow) and
``assistant.llm`` (LLMComposer); the composition root wires them. Typing the turn against these narrow
shapes keeps ``Assistant`` testable with the real classes or with a scripted stand-in at one seam, and
documents exactly which calls a turn makes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from assistant.booking.commands import BookingCommand
from assistant.booking.state import BookingState
from assistant.schemas import Action, Citation, Language, RefusalCategory, TriageInfo, TriageLevel
from assistant.understanding.model import ClinicalState, ConversationContext, PendingQuestion, Understanding
from fhir_client import PatientRecord


class InputVerdictLike(Protocol):
    @property
    def language(self) -> Language: ...
    @property
    def flags(self) -> Sequence[str]: ...
    @property
    def refusal(self) -> RefusalCategory | None: ...
    @property
    def blocked(self) -> bool: ...
    @property
    def refusal_detail(self) -> str | None: ...


class ModifierLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def resource(self) -> str | None: ...


class QuestionLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...


class TriageDecisionLike(Protocol):
    @property
    def level(self) -> TriageLevel: ...
    @property
    def protocol(self) -> str | None: ...
    @property
    def questions(self) -> Sequence[QuestionLike]: ...
    @property
    def pending(self) -> Sequence[PendingQuestion]: ...
    @property
    def clinical(self) -> ClinicalState | None: ...
    @property
    def rules(self) -> Sequence[str]: ...
    @property
    def advice(self) -> str: ...
    @property
    def call(self) -> str | None: ...
    @property
    def modifiers(self) -> Sequence[ModifierLike]: ...
    @property
    def watch_for(self) -> Sequence[str]: ...
    def to_info(self) -> TriageInfo: ...


class OutputVerdictLike(Protocol):
    @property
    def ok(self) -> bool: ...
    @property
    def flags(self) -> Sequence[str]: ...


class PseudonymiserLike(Protocol):
    def mask(self, text: str) -> str: ...
    def restore(self, text: str) -> str: ...


class PatientGuardPort(Protocol):
    """The guard bound to one patient's record (``Guard.for_record``): what it derives from the record is
    built once and held here, never in the shared guard."""

    @property
    def max_chars(self) -> int: ...

    def check_input(self, understanding: Understanding) -> InputVerdictLike: ...
    def with_crisis(self, decision: Any, verdict: Any) -> TriageDecisionLike: ...
    def triage(
        self,
        understanding: Understanding,
        *,
        today: date,
        context: ConversationContext | None = None,
    ) -> TriageDecisionLike: ...
    def check_output(
        self, text: str, *, citations: Sequence[Citation], language: Language, today: date
    ) -> OutputVerdictLike: ...
    def refusal_text(
        self, category: RefusalCategory, language: Language, detail: str | None = None
    ) -> str: ...


class GuardPort(Protocol):
    """The shared guard: stateless, one per process, safe from any thread."""

    def for_record(self, record: PatientRecord) -> PatientGuardPort: ...
    def pseudonymiser(self, record: PatientRecord, *, today: date) -> PseudonymiserLike: ...


class BookingOutcomeLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def actions(self) -> Sequence[Action]: ...
    @property
    def state(self) -> BookingState: ...
    @property
    def said(self) -> str | None: ...


class BookingPort(Protocol):
    """Booking for one patient. The state is typed (``BookingState``) and the port is its only
    writer: the assistant passes in what the session holds and stores what comes back."""

    def wants(self, text: str, language: Language, state: BookingState) -> bool: ...
    def handle(
        self,
        text: str,
        *,
        language: Language,
        state: BookingState,
        triage: TriageLevel = ...,
        reason: str | None = None,
    ) -> BookingOutcomeLike: ...
    def command(
        self, command: BookingCommand, *, language: Language, state: BookingState
    ) -> BookingOutcomeLike: ...
    def offer_for_triage(
        self, level: TriageLevel, *, language: Language, state: BookingState, reason: str | None
    ) -> BookingOutcomeLike | None: ...


class LLMDraftLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def citations(self) -> list[Citation]: ...


class LLMPort(Protocol):
    """An LLM composer already bound to one patient's tools and (when remote) pseudonymiser."""

    @property
    def backend_name(self) -> str: ...
    def compose(
        self, history: Sequence[tuple[str, str]], message: str, *, language: Language = "en"
    ) -> LLMDraftLike: ...


LLMFactory = Callable[[PatientRecord, Callable[[str, Mapping[str, Any], Sequence[str]], None]], LLMPort]
