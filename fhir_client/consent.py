"""A patient's consents to the assistant, as FHIR R4 ``Consent`` resources on the clinic's server.

Two purposes, each recorded separately (``ConsentPurpose``): the assistant reading the record to answer
(``record-access``), and parts of the record going, pseudonymised, to a remote language model
(``remote-llm``). Each decision is one Consent: ``provision.type`` permit or deny, ``status`` active
until withdrawn (then ``inactive``), the patient, who decided (the patient, or a parent as
``RelatedPerson``), when, and who receives the data (``provision.actor`` with role "information
recipient"). Consents are written with the patient's own token, so the clinic's server sees who
agreed, and any app or service that reads them sees the same answer.

This module only builds, reads and writes the resources; what is required when is decided in
``assistant.consent``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from fhir_client.client import FhirClient
from fhir_client.search import Search

PURPOSE_SYSTEM = "https://health-assistant.example/fhir/CodeSystem/consent-purpose"
SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope"
ACTION_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentaction"
ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
LOINC = "http://loinc.org"

Decision = Literal["permit", "deny"]


class ConsentPurpose(StrEnum):
    RECORD_ACCESS = "record-access"  # the assistant reads the record to answer the patient
    REMOTE_LLM = "remote-llm"  # context from the record goes (pseudonymised) to a remote language model


PURPOSE_TEXT: dict[ConsentPurpose, str] = {
    ConsentPurpose.RECORD_ACCESS: "The health assistant app may read this health record to answer questions",
    ConsentPurpose.REMOTE_LLM: "Parts of this record may be sent, pseudonymised, to a remote language model",
}
# What the recipient does with the data (FHIR consentaction): read it, or pass it on.
ACTIONS: dict[ConsentPurpose, str] = {
    ConsentPurpose.RECORD_ACCESS: "access",
    ConsentPurpose.REMOTE_LLM: "disclose",
}


@dataclass(frozen=True)
class ConsentEntry:
    """One recorded decision, as read back from the server."""

    reference: str  # "Consent/<id>"
    patient_id: str
    purpose: ConsentPurpose
    decision: Decision
    status: str  # active | inactive | ...
    recorded: datetime | None
    performer: str | None  # "Patient/…" or "RelatedPerson/…": who decided
    recipient: str | None  # who receives the data, as written in the consent
    version_id: str | None = None
    resource: Mapping[str, Any] | None = None

    @property
    def active(self) -> bool:
        return self.status == "active"


def consent_resource(
    patient_id: str,
    purpose: ConsentPurpose,
    *,
    decision: Decision,
    recorded: datetime,
    performer: str,
    recipient: str,
) -> dict[str, Any]:
    """A FHIR R4 Consent for one decision (valid against the base resource's invariants)."""
    if recorded.tzinfo is None:
        raise ValueError("the consent time must be timezone-aware")
    return {
        "resourceType": "Consent",
        "status": "active",
        "scope": {
            "coding": [{"system": SCOPE_SYSTEM, "code": "patient-privacy", "display": "Privacy Consent"}]
        },
        "category": [
            {"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}]},
            {"coding": [{"system": PURPOSE_SYSTEM, "code": purpose.value, "display": PURPOSE_TEXT[purpose]}]},
        ],
        "patient": {"reference": f"Patient/{patient_id}"},
        "dateTime": recorded.isoformat(timespec="seconds"),
        "performer": [{"reference": performer}],
        "policyRule": {
            "coding": [{"system": ACT_CODE_SYSTEM, "code": "OPTIN" if decision == "permit" else "OPTOUT"}]
        },
        "provision": {
            "type": decision,
            "actor": [
                {
                    "role": {"coding": [{"system": PARTICIPATION_SYSTEM, "code": "IRCP"}]},
                    "reference": {"display": recipient},
                }
            ],
            "action": [{"coding": [{"system": ACTION_SYSTEM, "code": ACTIONS[purpose]}]}],
        },
    }


def _purpose(resource: Mapping[str, Any]) -> ConsentPurpose | None:
    for category in resource.get("category") or []:
        for coding in (category or {}).get("coding") or []:
            if coding.get("system") == PURPOSE_SYSTEM:
                try:
                    return ConsentPurpose(coding.get("code"))
                except ValueError:
                    return None
    return None


def parse_consent(resource: Mapping[str, Any]) -> ConsentEntry | None:
    """Our kind of Consent read back; ``None`` for any other Consent (the server may hold others)."""
    purpose = _purpose(resource)
    patient = str(((resource.get("patient") or {}).get("reference")) or "")
    provision = resource.get("provision") or {}
    decision = provision.get("type")
    if purpose is None or not patient.startswith("Patient/") or decision not in ("permit", "deny"):
        return None
    when = resource.get("dateTime")
    try:
        recorded = datetime.fromisoformat(str(when).replace("Z", "+00:00")) if when else None
    except ValueError:
        recorded = None
    performer = next(
        (p.get("reference") for p in resource.get("performer") or [] if p.get("reference")), None
    )
    recipient = next(
        (
            (a.get("reference") or {}).get("display")
            for a in provision.get("actor") or []
            if a.get("reference")
        ),
        None,
    )
    return ConsentEntry(
        reference=f"Consent/{resource.get('id')}",
        patient_id=patient.removeprefix("Patient/"),
        purpose=purpose,
        decision=decision,
        status=str(resource.get("status") or ""),
        recorded=recorded,
        performer=performer,
        recipient=recipient,
        version_id=(resource.get("meta") or {}).get("versionId"),
        resource=resource,
    )


def newest_first(entries: Iterable[ConsentEntry]) -> list[ConsentEntry]:
    return sorted(entries, key=lambda e: e.recorded.timestamp() if e.recorded else 0.0, reverse=True)


class ConsentClient:
    """Read and write one patient's consents through ``fhir`` (a client holding the patient's token)."""

    def __init__(self, fhir: FhirClient) -> None:
        self.fhir = fhir

    def list(self, patient_id: str) -> list[ConsentEntry]:
        """Every consent of ours for the patient, newest first (withdrawn ones included)."""
        search = Search("Consent").param("patient", f"Patient/{patient_id}").count(200)
        entries = [parse_consent(r) for r in self.fhir.search_all(search).resources]
        return newest_first(e for e in entries if e is not None and e.patient_id == patient_id)

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
        resource = consent_resource(
            patient_id,
            purpose,
            decision=decision,
            recorded=recorded,
            performer=performer,
            recipient=recipient,
        )
        created = self.fhir.create(resource)
        entry = parse_consent(created.resource or {})
        if entry is None:  # the server answered without the stored resource
            raise ValueError("the server stored a Consent this client cannot read back")
        return entry

    def withdraw(self, entry: ConsentEntry) -> ConsentEntry:
        """Mark one consent ``inactive`` (kept, for the record of what was agreed and when)."""
        if entry.resource is None:
            raise ValueError("withdraw needs the consent as read from the server")
        updated = self.fhir.update({**entry.resource, "status": "inactive"}, if_match=entry.version_id)
        parsed = parse_consent(updated.resource or {})
        if parsed is None:
            raise ValueError("the server stored a Consent this client cannot read back")
        return parsed
