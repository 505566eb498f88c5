"""The one place that decides whether a connected record may be read, and whether context may go to a
remote language model — from the patient's FHIR Consents on the clinic's server — and audits it.

Rules:
- **Record access**: the assistant reads a connected record only while an active *permit* for
  ``record-access`` stands. None (never asked, or withdrawn) → ``ConsentRequired`` (the API answers the
  problem ``consent_required``; the app asks again). A *deny* is the same as none.
- **Remote LLM**: when the deployment's model is remote, context goes to it only while an active permit
  for ``remote-llm`` stands; an active *deny* means "answer offline" (the patient said no; not asked
  again); none means ask (``ConsentRequired``). A local model, or none, needs no such consent.
- Withdrawing marks the consent inactive on the server, so every reader (this process, other API
  workers, other apps) stops at its next request: the status is read from the server each time, never
  cached.

Every grant, refusal, withdrawal and every request stopped for want of consent is written to the audit
log with who did it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from assistant.store import AuditLog
from assistant.store.audit import Actor
from fhir_client.consent import ConsentEntry, ConsentPurpose, Decision

__all__ = [
    "ConsentGate",
    "ConsentPurpose",
    "ConsentRequired",
    "ConsentState",
    "ConsentStatus",
    "ConsentStore",
]


class ConsentStore(Protocol):
    """Where consents live (``fhir_client.consent.ConsentClient`` with the patient's token)."""

    def list(self, patient_id: str) -> list[ConsentEntry]: ...

    def record(
        self,
        patient_id: str,
        purpose: ConsentPurpose,
        *,
        decision: Decision,
        recorded: datetime,
        performer: str,
        recipient: str,
    ) -> ConsentEntry: ...

    def withdraw(self, entry: ConsentEntry) -> ConsentEntry: ...


class ConsentState(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    MISSING = "missing"


class ConsentRequired(Exception):
    """A consent the request needs is missing; ``purpose`` says which (the UI asks for it)."""

    def __init__(self, purpose: ConsentPurpose) -> None:
        super().__init__(
            "the patient has not agreed that the assistant reads this record"
            if purpose is ConsentPurpose.RECORD_ACCESS
            else "the patient has not said whether parts of the record may go to the remote language model"
        )
        self.purpose = purpose


@dataclass(frozen=True)
class ConsentStatus:
    """Where each purpose stands, with the consents behind it (newest first) for "My data"."""

    record_access: ConsentState
    remote_llm: ConsentState
    entries: tuple[ConsentEntry, ...]

    def state(self, purpose: ConsentPurpose) -> ConsentState:
        return self.record_access if purpose is ConsentPurpose.RECORD_ACCESS else self.remote_llm


def _state(entries: Sequence[ConsentEntry], purpose: ConsentPurpose) -> ConsentState:
    active = [e for e in entries if e.purpose is purpose and e.active]  # entries come newest first
    if not active:
        return ConsentState.MISSING
    return ConsentState.GRANTED if active[0].decision == "permit" else ConsentState.REFUSED


class ConsentGate:
    """Reads, decides and records consent for one deployment (``remote_llm``: is its model remote?)."""

    def __init__(
        self,
        *,
        audit: AuditLog | None,
        remote_llm: bool,
        recipient: str = "Health assistant",
        clock: Callable[[], datetime],
        llm_recipient: str = "remote language model",
    ) -> None:
        self.audit = audit
        self.remote_llm = remote_llm
        self.recipient = recipient
        self.llm_recipient = llm_recipient
        self.clock = clock

    def status(self, store: ConsentStore, patient_id: str) -> ConsentStatus:
        entries = tuple(store.list(patient_id))
        return ConsentStatus(
            record_access=_state(entries, ConsentPurpose.RECORD_ACCESS),
            remote_llm=_state(entries, ConsentPurpose.REMOTE_LLM),
            entries=entries,
        )

    def require_record(
        self, store: ConsentStore, patient_id: str, *, actor: Actor = "patient"
    ) -> ConsentStatus:
        """The status, when the record may be read; ``ConsentRequired`` (audited) when not."""
        status = self.status(store, patient_id)
        self.check_record(status, patient_id, actor=actor)
        return status

    def check_record(self, status: ConsentStatus, patient_id: str, *, actor: Actor = "patient") -> None:
        """``ConsentRequired`` (audited) unless ``status`` (just read) permits reading the record."""
        if status.record_access is not ConsentState.GRANTED:
            self._audit(
                "consent.required", patient_id, actor, ConsentPurpose.RECORD_ACCESS, outcome="refused"
            )
            raise ConsentRequired(ConsentPurpose.RECORD_ACCESS)

    def use_llm(self, status: ConsentStatus, patient_id: str, *, actor: Actor = "patient") -> bool:
        """Whether context may go to the model: always for a local one; for a remote one only with a permit.
        No decision yet → ``ConsentRequired`` (audited); a refusal → False (answer offline)."""
        if not self.remote_llm:
            return True
        if status.remote_llm is ConsentState.MISSING:
            self._audit("consent.required", patient_id, actor, ConsentPurpose.REMOTE_LLM, outcome="refused")
            raise ConsentRequired(ConsentPurpose.REMOTE_LLM)
        return status.remote_llm is ConsentState.GRANTED

    def decide(
        self,
        store: ConsentStore,
        patient_id: str,
        purpose: ConsentPurpose,
        *,
        permit: bool,
        performer: str,
        actor: Actor = "patient",
    ) -> ConsentEntry:
        """Record the patient's (or parent's) decision; earlier active decisions for the purpose are
        withdrawn first, so exactly one stands."""
        for entry in store.list(patient_id):
            if entry.purpose is purpose and entry.active:
                store.withdraw(entry)
        recipient = self.recipient if purpose is ConsentPurpose.RECORD_ACCESS else self.llm_recipient
        entry = store.record(
            patient_id,
            purpose,
            decision="permit" if permit else "deny",
            recorded=self.clock(),
            performer=performer,
            recipient=recipient,
        )
        action = "consent.grant" if permit else "consent.refuse"
        self._audit(action, patient_id, actor, purpose, resources=[entry.reference], performer=performer)
        return entry

    def withdraw(
        self, store: ConsentStore, patient_id: str, purpose: ConsentPurpose, *, actor: Actor = "patient"
    ) -> int:
        """Withdraw every active decision for ``purpose``; returns how many. Reads and model use stop at
        the next request of any reader."""
        withdrawn = [store.withdraw(e) for e in store.list(patient_id) if e.purpose is purpose and e.active]
        self._audit(
            "consent.withdraw", patient_id, actor, purpose, resources=[e.reference for e in withdrawn]
        )
        return len(withdrawn)

    def _audit(
        self,
        action: str,
        patient_id: str,
        actor: Actor,
        purpose: ConsentPurpose,
        *,
        outcome: str = "ok",
        resources: Sequence[str] = (),
        performer: str | None = None,
    ) -> None:
        if self.audit is None:
            return
        detail = {"purpose": purpose.value, **({"performer": performer} if performer else {})}
        self.audit.record(
            action, patient_id=patient_id, actor=actor, resources=resources, outcome=outcome, detail=detail
        )
