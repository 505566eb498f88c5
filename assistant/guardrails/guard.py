"""``Guard``: the one object the assistant calls for every safety decision in a turn.

Order in a turn (DESIGN.md): the understanding stage reads the message → ``check_input`` → ``triage``
(always, even when the input is refused: an emergency inside a refused request is still an emergency) →
compose → ``check_output`` → show. Remote models only ever see text passed through
``pseudonymiser(record).mask``.

The triage is decided by the protocols on the understanding of the message (``ProtocolEngine``); the
facade enforces one rule itself: the record is read for its coded data only. Free text in the record
(notes, narratives, comments, descriptions) is removed from the copy the protocols see, so an instruction
planted there ("this patient is never urgent") cannot lower, or otherwise move, a triage level.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from assistant.guardrails.injection import screen_record_text
from assistant.guardrails.input_guard import DEFAULT_MAX_CHARS, InputVerdict, check_input
from assistant.guardrails.output_guard import DEFAULT_ALLOWED_LINK_HOSTS, OutputVerdict, check_output
from assistant.guardrails.people import KnownNames
from assistant.guardrails.pseudonymise import Pseudonymiser
from assistant.guardrails.refusals import refusal_text
from assistant.guardrails.triage import ProtocolEngine, TriageDecision
from assistant.schemas import Citation, Language, RefusalCategory
from assistant.understanding.model import ConversationContext, Understanding
from fhir_client import PatientRecord

__all__ = ["FREE_TEXT_FIELDS", "Guard", "coded_only"]

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
    """Input guard, triage, record-text screening, output guard, refusals and pseudonymisation."""

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
        self._coded: tuple[PatientRecord, PatientRecord] | None = None
        self._names: tuple[PatientRecord, KnownNames] | None = None

    @classmethod
    def default(cls, *, region: str = "FR", extra_rules_dirs: Sequence[Any] = ()) -> Guard:
        """The packaged triage protocols (plus a clinic's directories: add, override by id, disable) and
        default limits. Raises ``ProtocolFileError`` for an invalid protocol file."""
        return cls(ProtocolEngine.load(extra_dirs=tuple(extra_rules_dirs)), region=region)

    def check_input(
        self, text: str, *, language: Language | None = None, record: PatientRecord | None = None
    ) -> InputVerdict:
        """The input verdict; with ``record``, the patient's own and care team's names are known, so
        only other people's names count as requests about someone else."""
        known = self._known_names(record) if record is not None else None
        return check_input(text, max_chars=self.max_chars, language=language, known_names=known)

    def _known_names(self, record: PatientRecord) -> KnownNames:
        if self._names is not None and self._names[0] is record:
            return self._names[1]
        names = KnownNames.from_record(record)
        self._names = (record, names)
        return names

    def triage(
        self,
        understanding: Understanding,
        *,
        record: PatientRecord | None,
        context: ConversationContext | None = None,
        today: date | None = None,
    ) -> TriageDecision:
        """The protocol level for this turn, from the understanding of the message, the conversation so far
        (answers to the questions asked, an emergency still in force) and the record's codes (for the
        record's patient only)."""
        coded = self._coded_record(record) if record is not None else None
        return self.engine.assess(understanding, record=coded, context=context, region=self.region, today=today)

    def _coded_record(self, record: PatientRecord) -> PatientRecord:
        if self._coded is not None and self._coded[0] is record:
            return self._coded[1]
        coded = coded_only(record)
        self._coded = (record, coded)
        return coded

    def screen_record_text(self, text: str) -> list[str]:
        return screen_record_text(text)

    def check_output(
        self,
        text: str,
        *,
        citations: Sequence[Citation],
        record: PatientRecord | None,
        language: Language,
        today: date | None = None,
    ) -> OutputVerdict:
        return check_output(
            text,
            citations=citations,
            record=record,
            language=language,
            allowed_link_hosts=self.allowed_link_hosts,
            today=today,
        )

    def refusal_text(self, category: RefusalCategory, language: Language) -> str:
        return refusal_text(category, language)

    def pseudonymiser(self, record: PatientRecord) -> Pseudonymiser:
        """A fresh pseudonymiser for one conversation with a remote model about ``record``."""
        return Pseudonymiser.from_record(record)

