"""Run cases against a target, score them, and return the log (the eval runner's core, no I/O of its own).

Order per case: count the patient's appointments in the FHIR server (only when the case checks booking
state and the run has a server), play the turns, count again, then score. A target that cannot run at all
stops the run (``TargetUnavailable``); any other failure fails just that case, with its reason logged.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from evals.cases import Case
from evals.log import CaseResult, EvalLog, Usage
from evals.records import PatientDirectory
from evals.scorers import DETERMINISTIC_SCORERS, Score, ScoreContext, Scorer
from evals.targets.base import Target
from evals.transcript import solve
from fhir_client import FhirClient, FhirError, PatientRecord

__all__ = ["AppointmentCounter", "FhirAppointmentCounter", "Progress", "run_cases"]

Progress = Callable[[int, int, Case], None]


class AppointmentCounter(Protocol):
    def __call__(self, patient_server_id: str) -> int: ...


class FhirAppointmentCounter:
    """Counts a patient's booked/pending Appointments in the clinic's FHIR server."""

    def __init__(self, client: FhirClient) -> None:
        self._client = client

    def __call__(self, patient_server_id: str) -> int:
        results = self._client.search_all("Appointment", actor=f"Patient/{patient_server_id}")
        return sum(1 for r in results.resources if r.get("status") not in ("cancelled", "entered-in-error"))


def _stamp(clock: Callable[[], datetime]) -> str:
    return clock().astimezone(UTC).isoformat(timespec="seconds")


def _patch_key(patch: Sequence[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(list(patch), sort_keys=True).encode()).hexdigest() if patch else ""


class _Records:
    def __init__(self, directory: PatientDirectory) -> None:
        self._directory = directory
        self._cache: dict[str, PatientRecord] = {}

    def get(self, patient: str, patch: Sequence[dict[str, Any]]) -> PatientRecord | None:
        if patient.startswith("fhir:"):
            return None
        key = patient + _patch_key(patch)
        if key not in self._cache:
            self._cache[key] = self._directory.record(patient, patch)
        return self._cache[key]


def run_cases(
    cases: Sequence[Case],
    target: Target,
    directory: PatientDirectory,
    *,
    default_patient: str,
    scorers: Sequence[Scorer] = DETERMINISTIC_SCORERS,
    extra_scorers: Sequence[Scorer] = (),
    appointments: AppointmentCounter | None = None,
    progress: Progress | None = None,
    suites: Sequence[str] = (),
    settings: dict[str, Any] | None = None,
    clock: Callable[[], datetime],
) -> EvalLog:
    """Play and score ``cases``; ``clock`` (from the eval command) stamps the log's start and finish."""
    log = EvalLog(
        started=_stamp(clock),
        target=target.name,
        suites=list(suites) or sorted({c.suite for c in cases}),
        settings=settings or {},
    )
    records = _Records(directory)
    backends: set[str] = set()
    # Cases run grouped by patient record (a stable sort), so an in-process target builds each patient's
    # assistant once; results are put back in suite order at the end.
    order = {case.id: i for i, case in enumerate(cases)}
    planned = sorted(cases, key=lambda c: (c.patient or default_patient, _patch_key(c.record_patch)))
    for n, case in enumerate(planned, 1):
        patient = case.patient or default_patient
        counts_booking = bool(case.expect.booking and case.expect.booking.appointments_created is not None)
        before = after = None
        server_id = directory.server_id(patient)
        started = time.perf_counter()
        if counts_booking and appointments is not None:
            try:
                before = appointments(server_id)
            except FhirError:
                before = None
        transcript = solve(case, target)
        if before is not None and appointments is not None:
            try:
                after = appointments(server_id)
            except FhirError:
                after = None
        ctx = ScoreContext(
            case=case,
            transcript=transcript,
            record=records.get(patient, case.record_patch),
            own_refs=frozenset({f"Patient/{server_id}"}),
            others=directory.others(patient),
            appointments_before=before,
            appointments_after=after,
        )
        scores: list[Score] = []
        for scorer in (*scorers, *extra_scorers):
            score = scorer(ctx)
            if score is not None:
                scores.append(score)
        backends.update(t.safety.backend for t in transcript.turns())
        log.results.append(
            CaseResult(
                case_id=case.id,
                suite=case.suite,
                category=case.category,
                language=case.language,
                patient=case.patient,
                passed=all(s.passed is not False for s in scores),
                expect=case.expect.model_dump(mode="json", exclude_defaults=True),
                scores=scores,
                transcript=transcript,
                seconds=time.perf_counter() - started,
            )
        )
        if progress is not None:
            progress(n, len(cases), case)
    log.results.sort(key=lambda r: order[r.case_id])
    log.backends = sorted(backends)
    usage = getattr(target, "usage", None)
    if callable(usage):
        got = usage()
        if got is not None:
            log.assistant_usage = Usage(prompt_tokens=got[0], completion_tokens=got[1])
    log.finished = _stamp(clock)
    return log
