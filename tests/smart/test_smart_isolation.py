"""Patient tokens against other patients' data at the FHIR base: every way to name or reach a resource
(``sandbox.attacks``: reads, searches, chains, includes, compartments, history, totals, operations,
batch/transaction, writes), for patients and for a parent's token bound to one child. Not one may
return anything of the victim or change it."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest

from fhir_client import FhirClient
from sandbox import Sandbox
from sandbox.attacks import VictimFacts, breaches, fhir_attempts, run_fhir
from sandbox.signin import sign_in
from tests.clocks import real_seconds
from tests.smart.conftest import DAISEY, EMERY, JOSUE, LIZ, LUIGI

pytestmark = pytest.mark.integration

# (account, password, patient picked at sign-in, victim)
PAIRS = [
    ("josue", "josue-demo", None, LIZ),
    ("liz", "liz-demo", None, JOSUE),
    ("emery", "emery-demo", None, DAISEY),
    ("alex", "alex-demo", LUIGI, DAISEY),  # a parent's token for one child never reaches the other
    ("alex", "alex-demo", DAISEY, JOSUE),
]


def test_no_patient_token_reaches_another_patients_data(smart_clinic: Sandbox, clinic: FhirClient) -> None:
    total = 0
    statuses: Counter[int] = Counter()
    failed: list[str] = []
    for user, password, picked, victim in PAIRS:
        token = sign_in(smart_clinic.base_url, user, password, patient=picked, clock=real_seconds)
        facts = VictimFacts.gather(clinic, victim)
        assert facts.ids["Observation"], "the victim has data to protect"
        attempts = fhir_attempts(facts, str(token.patient))
        outcomes = run_fhir(smart_clinic.base_url, token.access_token, attempts, facts)
        total += len(outcomes)
        statuses.update(o.status for o in outcomes)
        failed += [f"{user}->{victim[:8]}: {o}" for o in breaches(outcomes)]
        # Not vacuous: the same token still reads its own record.
        own = httpx.get(
            f"{smart_clinic.base_url}/Observation",
            params={"_count": "5"},
            headers={"Authorization": f"Bearer {token.access_token}"},
            timeout=30,
        ).json()
        assert own.get("entry") and all(
            e["resource"]["subject"]["reference"] == f"Patient/{token.patient}" for e in own["entry"]
        )
    assert total >= 200, total
    assert statuses[403] >= 100  # refused outright, not only answered with nothing
    assert failed == [], failed[:10]


def test_the_victims_record_is_unchanged_after_the_attempts(
    smart_clinic: Sandbox, clinic: FhirClient
) -> None:
    token = sign_in(smart_clinic.base_url, "emery", "emery-demo", clock=real_seconds)
    facts = VictimFacts.gather(clinic, LIZ)
    before = {rtype: [clinic.read(rtype, rid).version_id for rid in ids] for rtype, ids in facts.ids.items()}
    run_fhir(
        smart_clinic.base_url, token.access_token, [a for a in fhir_attempts(facts, EMERY) if a.write], facts
    )
    after = {rtype: [clinic.read(rtype, rid).version_id for rid in ids] for rtype, ids in facts.ids.items()}
    assert after == before
    assert clinic.read("Patient", LIZ).resource is not None
