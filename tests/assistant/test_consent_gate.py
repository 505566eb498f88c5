"""The consent decision (``assistant.consent.ConsentGate``) over a store fake at its seam, with the real
audit log: which state each purpose is in, what is required when, and that every decision is audited."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.consent import ConsentGate, ConsentRequired, ConsentState
from assistant.store import AuditLog, sqlite_url
from fhir_client.consent import ConsentEntry, ConsentPurpose, Decision, consent_resource, parse_consent

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


class MemoryConsents:
    """Stores Consents as the FHIR server would (ids, versions, status), in memory."""

    def __init__(self) -> None:
        self.resources: dict[str, dict[str, object]] = {}

    def list(self, patient_id: str) -> list[ConsentEntry]:
        entries = [parse_consent(r) for r in self.resources.values()]
        return sorted(
            (e for e in entries if e and e.patient_id == patient_id), key=lambda e: e.reference, reverse=True
        )

    def record(
        self,
        patient_id: str,
        purpose: ConsentPurpose,
        *,
        decision: Decision,
        recorded: datetime,
        performer: str,
        recipient: str,
    ) -> ConsentEntry:
        rid = f"c{len(self.resources) + 1:03d}"
        resource = consent_resource(
            patient_id,
            purpose,
            decision=decision,
            recorded=recorded,
            performer=performer,
            recipient=recipient,
        )
        self.resources[rid] = {**resource, "id": rid}
        entry = parse_consent(self.resources[rid])
        assert entry is not None
        return entry

    def withdraw(self, entry: ConsentEntry) -> ConsentEntry:
        rid = entry.reference.removeprefix("Consent/")
        self.resources[rid] = {**self.resources[rid], "status": "inactive"}
        withdrawn = parse_consent(self.resources[rid])
        assert withdrawn is not None
        return withdrawn


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(sqlite_url(tmp_path), clock=lambda: NOW)


def test_record_access_needs_an_active_permit(audit: AuditLog) -> None:
    gate, store = ConsentGate(audit=audit, remote_llm=False, clock=lambda: NOW), MemoryConsents()
    with pytest.raises(ConsentRequired) as missing:
        gate.require_record(store, "p1")
    assert missing.value.purpose is ConsentPurpose.RECORD_ACCESS
    gate.decide(store, "p1", ConsentPurpose.RECORD_ACCESS, permit=False, performer="Patient/p1")
    assert gate.status(store, "p1").record_access is ConsentState.REFUSED
    with pytest.raises(ConsentRequired):
        gate.require_record(store, "p1")
    gate.decide(store, "p1", ConsentPurpose.RECORD_ACCESS, permit=True, performer="Patient/p1")
    status = gate.require_record(store, "p1")
    assert status.record_access is ConsentState.GRANTED
    # Exactly one decision stands: the refusal was withdrawn when the permit was recorded.
    assert [(e.decision, e.status) for e in store.list("p1")] == [("permit", "active"), ("deny", "inactive")]
    assert gate.withdraw(store, "p1", ConsentPurpose.RECORD_ACCESS) == 1
    with pytest.raises(ConsentRequired):
        gate.require_record(store, "p1")
    assert gate.status(store, "p2").record_access is ConsentState.MISSING  # another patient's are separate
    actions = [e.action for e in audit.query("p1")]
    assert actions == [
        "consent.required",
        "consent.refuse",
        "consent.required",
        "consent.grant",
        "consent.withdraw",
        "consent.required",
    ]
    grant = audit.query("p1", action="consent.grant")[0]
    assert grant.detail["purpose"] == "record-access" and grant.detail["performer"] == "Patient/p1"


def test_a_remote_model_needs_its_own_decision_and_a_local_one_none(audit: AuditLog) -> None:
    store = MemoryConsents()
    local = ConsentGate(audit=audit, remote_llm=False, clock=lambda: NOW)
    remote = ConsentGate(audit=audit, remote_llm=True, clock=lambda: NOW)
    assert local.use_llm(local.status(store, "p1"), "p1") is True
    with pytest.raises(ConsentRequired) as missing:
        remote.use_llm(remote.status(store, "p1"), "p1")
    assert missing.value.purpose is ConsentPurpose.REMOTE_LLM
    remote.decide(store, "p1", ConsentPurpose.REMOTE_LLM, permit=False, performer="RelatedPerson/rp1")
    assert remote.use_llm(remote.status(store, "p1"), "p1") is False  # no: answer offline, do not ask again
    remote.decide(store, "p1", ConsentPurpose.REMOTE_LLM, permit=True, performer="RelatedPerson/rp1")
    assert remote.use_llm(remote.status(store, "p1"), "p1") is True
    # The record consent is a separate decision: the model's does not open the record.
    assert remote.status(store, "p1").record_access is ConsentState.MISSING
