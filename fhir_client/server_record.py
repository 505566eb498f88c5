"""Load a patient's own record from a FHIR server into the same ``PatientRecord`` a Bundle file gives.

``Patient/$everything`` would be one call, but many servers (Medplum among them) lack it, so the record is
gathered by one search per resource type for that one patient, every page, then handed to
``bundle.build_record`` — the file loader's own last step — so that both sources validate, report and
skip bad resources in exactly the same way.

Searches use ``subject=Patient/<id>`` where the type has a ``subject`` parameter (it is what servers
index best; Medplum is slow on ``patient=``) and ``patient=`` where the type only has that. When the
server's CapabilityStatement lists search parameters, a type it does not support, or supports with
neither parameter, is reported as a warning instead of silently coming back empty.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fhir_client.bundle import build_record
from fhir_client.capabilities import ServerCapabilities
from fhir_client.client import AsyncFhirClient, FhirClient
from fhir_client.errors import FhirHTTPError, FhirNotFound, FhirProtocolError, RecordLoadError
from fhir_client.record import LoadIssue, PatientRecord
from fhir_client.search import Search

# The clinical types Synthea records carry, plus appointments (what the assistant books).
DEFAULT_TYPES: tuple[str, ...] = (
    "Condition",
    "Observation",
    "MedicationRequest",
    "AllergyIntolerance",
    "Immunization",
    "Procedure",
    "Encounter",
    "DiagnosticReport",
    "CarePlan",
    "Goal",
    "ImagingStudy",
    "Claim",
    "ExplanationOfBenefit",
    "Appointment",
)

# Which search parameter ties each type to its patient (FHIR R4 search parameter registry).
PATIENT_PARAMS: dict[str, tuple[str, ...]] = {
    "Condition": ("subject", "patient"),
    "Observation": ("subject", "patient"),
    "MedicationRequest": ("subject", "patient"),
    "MedicationStatement": ("subject", "patient"),
    "MedicationAdministration": ("subject", "patient"),
    "Procedure": ("subject", "patient"),
    "Encounter": ("subject", "patient"),
    "DiagnosticReport": ("subject", "patient"),
    "CarePlan": ("subject", "patient"),
    "CareTeam": ("subject", "patient"),
    "Goal": ("subject", "patient"),
    "ImagingStudy": ("subject", "patient"),
    "DocumentReference": ("subject", "patient"),
    "ServiceRequest": ("subject", "patient"),
    "AllergyIntolerance": ("patient",),
    "Immunization": ("patient",),
    "Claim": ("patient",),
    "ExplanationOfBenefit": ("patient",),
    "Appointment": ("patient", "actor"),
    "Coverage": ("beneficiary", "patient"),
    "Device": ("patient",),
}

# Shared resources the record's resources point at; fetched by id so references resolve as in a file.
REFERENCED_TYPES: tuple[str, ...] = (
    "Practitioner",
    "Organization",
    "Location",
    "PractitionerRole",
    "Medication",
)

PAGE_SIZE = 500
ID_CHUNK = 50


@dataclass
class _Plan:
    """Which searches to run, and what was skipped and why (reported on the record)."""

    searches: list[Search] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)


def _plan(patient_id: str, types: Sequence[str], caps: ServerCapabilities | None, page_size: int) -> _Plan:
    plan = _Plan()
    ref = f"Patient/{patient_id}"
    for rtype in types:
        if rtype == "Patient":
            continue
        candidates = PATIENT_PARAMS.get(rtype, ("patient", "subject"))
        param = candidates[0]
        if caps is not None and caps.resources:
            if rtype not in caps.resources:
                plan.issues.append(
                    LoadIssue(rtype, None, None, f"the server does not offer {rtype}; none loaded", "warning")
                )
                continue
            listed = caps.search_params(rtype)
            if caps.resources[rtype].search_params:
                usable = [p for p in candidates if p in listed]
                if not usable:
                    plan.issues.append(
                        LoadIssue(
                            rtype,
                            None,
                            None,
                            f"the server cannot search {rtype} by patient ({' or '.join(candidates)}); none loaded",
                            "warning",
                        )
                    )
                    continue
                param = usable[0]
        plan.searches.append(Search(rtype).param(param, ref).count(page_size))
    return plan


def _referenced_searches(raw: Iterable[tuple[str | None, dict[str, Any]]]) -> list[Search]:
    """Searches by ``_id`` for shared resources referenced but not loaded (practitioners, organisations…)."""
    have: set[str] = set()
    wanted: dict[str, set[str]] = {t: set() for t in REFERENCED_TYPES}
    items = list(raw)
    for _, res in items:
        have.add(f"{res.get('resourceType')}/{res.get('id')}")
    for _, res in items:
        for ref in _references(res):
            rtype, _, rid = ref.partition("/")
            if rtype in wanted and rid and "/" not in rid and ref not in have:
                wanted[rtype].add(rid)
    searches = []
    for rtype, ids in wanted.items():
        ordered = sorted(ids)
        for i in range(0, len(ordered), ID_CHUNK):
            chunk = ordered[i : i + ID_CHUNK]
            searches.append(Search(rtype).param("_id", chunk).count(len(chunk)))
    return searches


def _references(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            elif isinstance(value, dict | list):
                yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def _finish(
    patient: dict[str, Any],
    raw: list[tuple[str | None, dict[str, Any]]],
    plan_issues: list[LoadIssue],
    patient_id: str,
    started: float,
) -> PatientRecord:
    record = build_record(
        [(None, patient), *raw], source=f"fhir:{patient_id}", patient_id=patient_id, started=started
    )
    record.issues[:0] = plan_issues
    record.seconds = time.perf_counter() - started
    return record


def _not_found(patient_id: str, base_url: str) -> RecordLoadError:
    return RecordLoadError(f"the FHIR server at {base_url} has no Patient with id {patient_id!r}")


def load_patient_from_server(
    client: FhirClient,
    patient_id: str,
    *,
    types: Sequence[str] = DEFAULT_TYPES,
    include_referenced: bool = True,
    page_size: int = PAGE_SIZE,
) -> PatientRecord:
    """Read the Patient, then every resource of ``types`` for that patient, all pages.

    An unknown patient is bad input (``RecordLoadError``); an unreachable server is a
    ``FhirTransportError`` whose message says so ("could not reach the FHIR server at …").
    """
    started = time.perf_counter()
    try:
        patient = client.read("Patient", patient_id).resource or {}
    except FhirNotFound as exc:
        raise _not_found(patient_id, client.base_url) from exc
    try:
        caps: ServerCapabilities | None = client.capabilities()
    except (FhirHTTPError, FhirProtocolError):
        caps = None  # no usable CapabilityStatement: search every type and trust the answers
    plan = _plan(patient_id, types, caps, page_size)
    raw: list[tuple[str | None, dict[str, Any]]] = []
    for search in plan.searches:
        raw.extend((None, res) for res in client.search_all(search))
    if include_referenced:
        for search in _referenced_searches(raw):
            raw.extend((None, res) for res in client.search_all(search))
    return _finish(patient, raw, plan.issues, patient_id, started)


async def load_patient_from_server_async(
    client: AsyncFhirClient,
    patient_id: str,
    *,
    types: Sequence[str] = DEFAULT_TYPES,
    include_referenced: bool = True,
    page_size: int = PAGE_SIZE,
    concurrency: int = 4,
) -> PatientRecord:
    """Async twin of ``load_patient_from_server``; runs up to ``concurrency`` type searches at once."""
    started = time.perf_counter()
    try:
        patient = (await client.read("Patient", patient_id)).resource or {}
    except FhirNotFound as exc:
        raise _not_found(patient_id, client.base_url) from exc
    try:
        caps: ServerCapabilities | None = await client.capabilities()
    except (FhirHTTPError, FhirProtocolError):
        caps = None
    plan = _plan(patient_id, types, caps, page_size)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def run(search: Search) -> list[dict[str, Any]]:
        async with gate:
            return (await client.search_all(search)).resources

    raw: list[tuple[str | None, dict[str, Any]]] = []
    for found in await asyncio.gather(*(run(s) for s in plan.searches)):
        raw.extend((None, res) for res in found)
    if include_referenced:
        for found in await asyncio.gather(*(run(s) for s in _referenced_searches(raw))):
            raw.extend((None, res) for res in found)
    return _finish(patient, raw, plan.issues, patient_id, started)
