"""FHIR Consent for the assistant's two purposes: valid R4, read back exactly, other Consents ignored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.consent import Consent

from fhir_client.consent import ConsentPurpose, consent_resource, newest_first, parse_consent

WHEN = datetime(2026, 12, 4, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize("purpose", list(ConsentPurpose))
@pytest.mark.parametrize("decision", ["permit", "deny"])
def test_a_decision_is_a_valid_r4_consent_and_reads_back(purpose: ConsentPurpose, decision: str) -> None:
    resource = consent_resource(
        "p1",
        purpose,
        decision=decision,
        recorded=WHEN,
        performer="RelatedPerson/rp1",
        recipient="Health assistant",  # type: ignore[arg-type]
    )
    Consent.model_validate(resource)  # the R4B model accepts it (scope, category, policyRule, provision)
    entry = parse_consent({**resource, "id": "c1", "meta": {"versionId": "2"}})
    assert entry is not None
    assert (entry.reference, entry.patient_id, entry.purpose, entry.decision) == (
        "Consent/c1",
        "p1",
        purpose,
        decision,
    )
    assert (entry.recorded, entry.performer, entry.recipient, entry.version_id) == (
        WHEN,
        "RelatedPerson/rp1",
        "Health assistant",
        "2",
    )
    assert entry.active
    assert resource["policyRule"]["coding"][0]["code"] == ("OPTIN" if decision == "permit" else "OPTOUT")


def test_other_consents_and_broken_ones_are_not_read_as_ours() -> None:
    ours = consent_resource(
        "p1",
        ConsentPurpose.RECORD_ACCESS,
        decision="permit",
        recorded=WHEN,
        performer="Patient/p1",
        recipient="x",
    )
    assert parse_consent({**ours, "category": [{"text": "research"}]}) is None
    assert parse_consent({**ours, "patient": {"reference": "Group/g"}}) is None
    assert parse_consent({**ours, "provision": {"type": "maybe"}}) is None
    odd_date = parse_consent({**ours, "id": "c2", "dateTime": "yesterday"})
    assert odd_date is not None and odd_date.recorded is None


def test_naive_times_are_refused_and_entries_sort_newest_first() -> None:
    with pytest.raises(ValueError, match="timezone"):
        consent_resource(
            "p1",
            ConsentPurpose.REMOTE_LLM,
            decision="deny",
            recorded=datetime(2026, 12, 4),
            performer="Patient/p1",
            recipient="x",
        )
    older, newer = (
        parse_consent(
            {
                **consent_resource(
                    "p1",
                    ConsentPurpose.RECORD_ACCESS,
                    decision="permit",
                    recorded=when,
                    performer="Patient/p1",
                    recipient="x",
                ),
                "id": name,
            }
        )
        for name, when in (("old", datetime(2026, 1, 1, tzinfo=UTC)), ("new", WHEN))
    )
    assert older is not None and newer is not None
    assert [e.reference for e in newest_first([older, newer])] == ["Consent/new", "Consent/old"]
