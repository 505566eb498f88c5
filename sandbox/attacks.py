"""Attempts to reach another patient's data with a patient's own SMART token, and the leak detector.

Used by the security tests and the security benchmark against the demo clinic under ``--auth``: every
way a FHIR client can name or reach a resource — read by id, search by reference / identifier / name,
chained and reverse-chained searches, ``_include`` / ``_revinclude`` (with ``:iterate``),
compartment searches, ``_history`` at every level, totals (``_summary=count``, ``_count=0``),
projections, operations, batch and transaction bundles, and writes of every verb.

An attempt **succeeds** (a breach) when the answer is 2xx and carries anything of the victim — their
patient id, the id of any of their resources, or their name — outside the echo of the request itself
(a search Bundle's ``link`` repeats the query the attacker sent), or counts anything for a search that
names the victim (``total`` > 0: the attacker's own resources never match the victim), or when a write
aimed at the victim is accepted. Nothing is judged by status code alone: a 200 that leaks is a breach,
a 200 with only the attacker's own data is not.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import httpx

from fhir_client import FhirClient
from fhir_client.search import Search

# Types whose resources the victim's record holds in the demo data (compartment types).
VICTIM_TYPES = (
    "Observation",
    "Condition",
    "Encounter",
    "Immunization",
    "MedicationRequest",
    "Procedure",
    "Claim",
    "ExplanationOfBenefit",
    "DiagnosticReport",
    "CarePlan",
    "AllergyIntolerance",
    "Goal",
    "CareTeam",
    "Appointment",
    "Consent",
    "RelatedPerson",
)
PATIENT_PARAM = {"AllergyIntolerance": "patient", "Immunization": "patient", "Claim": "patient"}


@dataclass(frozen=True)
class Attempt:
    kind: str  # what is tried: "read", "search", "chained", "include", "history", "write", ...
    method: str
    path: str  # relative to the FHIR base, e.g. "Observation" or "Patient/123/_history"
    params: tuple[tuple[str, str], ...] = ()
    body: Any = None
    write: bool = False  # a write aimed at the victim: any 2xx is a breach


@dataclass
class VictimFacts:
    """What must never show up in an answer to someone else: ids and names of the victim's data."""

    patient_id: str
    names: tuple[str, ...]
    ids: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def gather(cls, clinic: FhirClient, patient_id: str, *, per_type: int = 3) -> VictimFacts:
        """Read as the clinic (system client): the victim's name and a few resource ids of each type."""
        patient = clinic.read("Patient", patient_id).resource or {}
        names: list[str] = []
        for name in patient.get("name") or []:
            names += [str(n) for n in name.get("given") or []] + [str(name.get("family") or "")]
        facts = cls(patient_id, tuple(n for n in names if len(n) >= 4))
        for rtype in VICTIM_TYPES:
            param = PATIENT_PARAM.get(rtype, "patient")
            found = islice(
                clinic.iter(Search(rtype).param(param, f"Patient/{patient_id}").count(per_type)), per_type
            )
            facts.ids[rtype] = [str(r["id"]) for r in found if r.get("id")]
        return facts

    def markers(self) -> list[str]:
        out = [self.patient_id, *self.names]
        for ids in self.ids.values():
            out += ids
        return [m for m in out if m]

    def first(self, rtype: str) -> str | None:
        ids = self.ids.get(rtype) or []
        return ids[0] if ids else None


def _without_echo(body: Any) -> Any:
    """The answer minus what only repeats the request: a Bundle's ``link`` (self/next URLs)."""
    if isinstance(body, dict):
        return {
            k: _without_echo(v)
            for k, v in body.items()
            if not (k == "link" and body.get("resourceType") == "Bundle")
        }
    if isinstance(body, list):
        return [_without_echo(v) for v in body]
    return body


def leaks(text: str, facts: VictimFacts) -> list[str]:
    """Markers of the victim found in an answer (JSON answers without the echo of the request)."""
    with contextlib.suppress(ValueError):
        text = json.dumps(_without_echo(json.loads(text)))
    found = [m for m in facts.markers() if m not in facts.names and m in text]
    # Names are whole words ("Johns" must not match "Johnson", a practitioner's name).
    found += [n for n in facts.names if re.search(rf"\b{re.escape(n)}\b", text)]
    return found


def counted(text: str) -> int:
    """The ``total`` of a search answer (0 when absent or not a Bundle)."""
    try:
        body = json.loads(text)
    except ValueError:
        return 0
    total = body.get("total") if isinstance(body, dict) and body.get("resourceType") == "Bundle" else None
    return int(total) if isinstance(total, int) else 0


def fhir_attempts(victim: VictimFacts, attacker_patient: str) -> list[Attempt]:
    """Every way to ask a FHIR server for the victim's data, as the attacker's token would."""
    v = victim.patient_id
    ref = f"Patient/{v}"
    out: list[Attempt] = []
    add = out.append

    # Reads by id: the victim's Patient and resources of every type, plus their versions.
    add(Attempt("read", "GET", f"Patient/{v}"))
    add(Attempt("history", "GET", f"Patient/{v}/_history"))
    add(Attempt("history", "GET", f"Patient/{v}/_history/1"))
    for rtype, ids in victim.ids.items():
        for rid in ids:
            add(Attempt("read", "GET", f"{rtype}/{rid}"))
        if ids:
            add(Attempt("history", "GET", f"{rtype}/{ids[0]}/_history"))
            add(Attempt("search", "GET", rtype, (("_id", ids[0]),)))
            add(Attempt("search", "GET", rtype, (("_id", ids[0]), ("_summary", "true"))))

    # Searches naming the victim, with every parameter spelling.
    for rtype in VICTIM_TYPES:
        for param in ("patient", "subject", "subject:Patient", "patient:Patient", "actor"):
            add(Attempt("search", "GET", rtype, ((param, ref),)))
        add(Attempt("search", "GET", rtype, (("patient", v),)))
        add(Attempt("count", "GET", rtype, (("patient", ref), ("_summary", "count"))))
        add(Attempt("count", "GET", rtype, (("subject", ref), ("_count", "0"))))
        add(Attempt("search", "GET", rtype, (("_count", "50"),)))  # everything the server would give
        add(Attempt("search", "GET", rtype, (("_lastUpdated", "gt2000-01-01"), ("_sort", "-_lastUpdated"))))
    for family in victim.names:
        add(Attempt("search", "GET", "Patient", (("name", family),)))
        add(Attempt("chained", "GET", "Observation", (("subject.name", family),)))
        add(Attempt("chained", "GET", "Encounter", (("subject:Patient.name", family),)))
        add(Attempt("chained", "GET", "Condition", (("patient.family", family),)))
    add(Attempt("search", "GET", "Patient", (("_id", v),)))
    add(Attempt("search", "GET", "Patient", (("_id", f"{attacker_patient},{v}"),)))
    add(Attempt("search", "GET", "Patient", ()))
    add(Attempt("search", "GET", "Patient", (("_count", "100"), ("_summary", "count"))))
    add(Attempt("chained", "GET", "Patient", (("_has:Observation:subject:status", "final"),)))
    add(Attempt("chained", "GET", "Patient", (("_has:Encounter:patient:status", "finished"),)))

    # _include / _revinclude pulling the victim in from shared or own resources.
    for rtype, inc in (
        ("Observation", "Observation:subject"),
        ("Encounter", "Encounter:patient"),
        ("Condition", "Condition:subject"),
        ("Claim", "Claim:patient"),
    ):
        add(Attempt("include", "GET", rtype, ((PATIENT_PARAM.get(rtype, "patient"), ref), ("_include", inc))))
        add(Attempt("include", "GET", rtype, (("_include", inc), ("_count", "50"))))
    for shared, rev in (
        ("Practitioner", "Encounter:practitioner"),
        ("Practitioner", "Encounter:participant"),
        ("Organization", "Encounter:service-provider"),
        ("Organization", "Patient:organization"),
        ("Organization", "Claim:provider"),
        ("Location", "Encounter:location"),
        ("Practitioner", "Patient:general-practitioner"),
        ("Schedule", "Appointment:actor"),
    ):
        add(Attempt("revinclude", "GET", shared, (("_revinclude", rev), ("_count", "20"))))
        add(Attempt("revinclude", "GET", shared, (("_revinclude:iterate", rev), ("_count", "20"))))
    add(Attempt("revinclude", "GET", "Patient", (("_id", v), ("_revinclude", "Observation:subject"))))
    add(Attempt("revinclude", "GET", "Patient", (("_revinclude", "Observation:subject"),)))
    add(Attempt("include", "GET", "RelatedPerson", (("_include", "RelatedPerson:patient"),)))
    if victim.first("Encounter"):
        add(
            Attempt(
                "revinclude",
                "GET",
                "Encounter",
                (("_id", str(victim.first("Encounter"))), ("_revinclude", "Observation:encounter")),
            )
        )

    # Compartment searches and history at every level.
    for rtype in ("Observation", "Condition", "Encounter", "MedicationRequest", "Consent", "*"):
        add(Attempt("compartment", "GET", f"Patient/{v}/{rtype}"))
    for rtype in ("Observation", "Patient", "Encounter", "Condition", "Consent"):
        add(Attempt("history", "GET", f"{rtype}/_history"))
    add(Attempt("history", "GET", "_history"))
    add(Attempt("system", "GET", "", (("_type", "Observation,Patient"),)))
    add(Attempt("system", "GET", "", (("_type", "Patient"), ("_id", v))))

    # Operations.
    add(Attempt("operation", "GET", f"Patient/{v}/$everything"))
    add(Attempt("operation", "GET", "Patient/$everything", (("patient", v),)))
    add(Attempt("operation", "POST", "Observation/$validate", body={"resourceType": "Observation"}))
    add(Attempt("operation", "GET", "$graphql", (("query", f'{{Patient(id:"{v}"){{name{{family}}}}}}'),)))
    add(Attempt("search", "POST", "Observation/_search", body={"subject": ref}))

    # Batch and transaction bundles reading or writing the victim.
    reads = [{"request": {"method": "GET", "url": u}} for u in (f"Patient/{v}", f"Observation?subject={ref}")]
    add(Attempt("batch", "POST", "", body={"resourceType": "Bundle", "type": "batch", "entry": reads}))
    add(
        Attempt(
            "transaction", "POST", "", body={"resourceType": "Bundle", "type": "transaction", "entry": reads}
        )
    )
    note = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"text": "x"},
        "subject": {"reference": ref},
    }
    add(
        Attempt(
            "transaction",
            "POST",
            "",
            body={
                "resourceType": "Bundle",
                "type": "transaction",
                "entry": [{"resource": note, "request": {"method": "POST", "url": "Observation"}}],
            },
            write=True,
        )
    )

    # Writes aimed at the victim, with every verb.
    add(Attempt("write", "POST", "Observation", body=note, write=True))
    consent = {
        "resourceType": "Consent",
        "status": "active",
        "scope": {"text": "x"},
        "category": [{"text": "x"}],
        "patient": {"reference": ref},
        "policyRule": {"text": "x"},
    }
    add(Attempt("write", "POST", "Consent", body=consent, write=True))
    add(
        Attempt(
            "write",
            "PUT",
            f"Patient/{v}",
            body={"resourceType": "Patient", "id": v, "active": False},
            write=True,
        )
    )
    add(Attempt("write", "DELETE", f"Patient/{v}", write=True))
    add(
        Attempt(
            "write",
            "PATCH",
            f"Patient/{v}",
            body=[{"op": "replace", "path": "/active", "value": False}],
            write=True,
        )
    )
    for rtype in ("Observation", "Condition", "Consent", "Appointment"):
        target = victim.first(rtype)
        if target:
            add(Attempt("write", "DELETE", f"{rtype}/{target}", write=True))
            add(
                Attempt(
                    "write",
                    "PUT",
                    f"{rtype}/{target}",
                    body={"resourceType": rtype, "id": target},
                    write=True,
                )
            )
    return out


@dataclass
class Outcome:
    attempt: Attempt
    status: int
    leaked: list[str]
    total: int = 0

    @property
    def breach(self) -> bool:
        counts_victim = self.attempt.kind == "count" and self.total > 0
        return 200 <= self.status < 300 and (bool(self.leaked) or self.attempt.write or counts_victim)

    def __str__(self) -> str:
        query = "&".join(f"{k}={val}" for k, val in self.attempt.params)
        return f"{self.attempt.method} {self.attempt.path}?{query} -> {self.status} leaked={self.leaked[:3]}"


def run_fhir(base_url: str, token: str, attempts: Sequence[Attempt], victim: VictimFacts) -> list[Outcome]:
    """Send each attempt with ``token``; record status and what of the victim came back."""
    out: list[Outcome] = []
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}
    with httpx.Client(base_url=base_url.rstrip("/") + "/", headers=headers, timeout=30) as http:
        for a in attempts:
            content = json.dumps(a.body) if a.body is not None else None
            ctype = "application/json-patch+json" if a.method == "PATCH" else "application/fhir+json"
            response = http.request(
                a.method,
                a.path,
                params=list(a.params) or None,
                content=content,
                headers={"Content-Type": ctype},
            )
            out.append(Outcome(a, response.status_code, leaks(response.text, victim), counted(response.text)))
    return out


def breaches(outcomes: Iterable[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.breach]
