"""The patient's own record: a summary for the portal, one observation series for charts, ranked search."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import Audit, ObservationRecord, Record, RecordReader, Service, load_record
from api.models import (
    ObservationPoint,
    ObservationSeries,
    PatientInfo,
    RecordEntry,
    RecordSummary,
    SearchHitOut,
    SearchResultsOut,
)
from api.problems import ApiProblem, Code, problem_responses
from fhir_client import PatientRecord
from retrieval import Card, RecordQueries, UnknownConcept

router = APIRouter(prefix="/v1/record", tags=["record"])

RECENT = 10
ERRORS = problem_responses(401, 403, 404, 422, 429, 502)
LOINC_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z\-.]{0,31}$"


def _entry(card: Card) -> RecordEntry:
    return RecordEntry(
        resource=card.ref, title=card.title, text=card.text, date=card.date, status=card.status
    )


def _patient(record: PatientRecord) -> PatientInfo:
    patients = record.of_type("Patient")
    resource: Any = patients[0] if patients else None
    name = None
    names = getattr(resource, "name", None) or []
    if names:
        parts = [*(getattr(names[0], "given", None) or []), getattr(names[0], "family", None) or ""]
        name = " ".join(re.sub(r"\d+", "", str(p)) for p in parts if p).strip() or None
    return PatientInfo(
        resource=record.patient_ref,
        name=name,
        birth_date=getattr(resource, "birthDate", None),
        gender=getattr(resource, "gender", None),
    )


@router.get("/summary", response_model=RecordSummary, summary="My record at a glance", responses=ERRORS)
def record_summary(record: Record, audit: Audit) -> RecordSummary:
    queries = RecordQueries(record)
    summary = RecordSummary(
        patient=_patient(record),
        conditions=[_entry(c) for c in queries.conditions()],
        medications=[_entry(c) for c in queries.medications()],
        allergies=[_entry(c) for c in queries.allergies()],
        immunizations=[_entry(c) for c in queries.immunizations()[-RECENT:][::-1]],
        recent_encounters=[_entry(c) for c in queries.encounters()[-RECENT:][::-1]],
        counts=dict(record.counts()),
    )
    shown = [
        summary.patient.resource,
        *(
            e.resource
            for group in (summary.conditions, summary.medications, summary.allergies)
            for e in group
        ),
        *(e.resource for e in summary.immunizations),
        *(e.resource for e in summary.recent_encounters),
    ]
    audit.record("api.record.summary", resources=shown)
    return summary


@router.get(
    "/observations",
    response_model=ObservationSeries,
    summary="One measurement over time (for charts)",
    responses=ERRORS,
)
def record_observations(
    record: ObservationRecord,
    audit: Audit,
    code: Annotated[
        str,
        Query(
            pattern=LOINC_PATTERN, description="LOINC code, e.g. 4548-4 (HbA1c) or 85354-9 (blood pressure)."
        ),
    ],
) -> ObservationSeries:
    queries = RecordQueries(record)
    try:
        readings = [r for r in queries.series(code) if any(c.code == code for c in r.codes)]
    except UnknownConcept:
        readings = []
    if not readings:
        audit.record("api.record.observations", outcome="not_found", detail={"code": code})
        raise ApiProblem(404, Code.UNKNOWN_CODE, f"no observation with code {code} in this record")
    points = [
        ObservationPoint(
            resource=r.ref,
            date=r.date,
            value=r.value,
            display=r.display_value,
            unit=r.unit,
            flag=r.flag if r.flag in ("high", "low", "abnormal") else None,
        )
        for r in readings
    ]
    audit.record("api.record.observations", resources=[p.resource for p in points], detail={"code": code})
    return ObservationSeries(code=code, name=readings[-1].name, unit=readings[-1].unit, points=points)


@router.get(
    "/search",
    response_model=SearchResultsOut,
    summary="Search my record",
    responses=problem_responses(401, 403, 404, 422, 429, 502, 503),
)
def record_search(
    principal: RecordReader,
    svc: Service,
    audit: Audit,
    q: Annotated[
        str, Query(min_length=1, max_length=500, description="What to look for, in English or French.")
    ],
    k: Annotated[int, Query(ge=1, le=50, description="How many results.")] = 10,
) -> SearchResultsOut:
    if not q.strip():
        raise ApiProblem(422, Code.VALIDATION_ERROR, "the search query q is blank")
    load_record(svc, principal.patient_id)  # loads and indexes on first use
    if svc.retriever is None:
        raise ApiProblem(503, Code.SEARCH_UNAVAILABLE, "the record index is not available on this server")
    try:
        hits = svc.retriever.search(principal.patient_id, q, k=k)
    except LookupError:  # the index was erased (e.g. DELETE /v1/me on another worker): rebuild it
        svc.record(principal.patient_id, refresh=True)
        hits = svc.retriever.search(principal.patient_id, q, k=k)
    out = SearchResultsOut(
        query=q,
        hits=[
            SearchHitOut(
                resource=h.card.ref, title=h.card.title, text=h.card.text, date=h.card.date, score=h.score
            )
            for h in hits
        ],
    )
    audit.record(
        "api.record.search", resources=[h.resource for h in out.hits], detail={"hits": len(out.hits)}
    )
    return out
