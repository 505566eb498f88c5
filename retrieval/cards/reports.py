"""DiagnosticReport cards (a panel with its results) and ImagingStudy cards."""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import (
    as_date,
    clean,
    codes_of,
    concept_text,
    first_concept,
    first_date,
    iso,
    ref_of,
)
from retrieval.model import Card

MAX_RESULTS = 20


def report_card(res: Any, ctx: CardContext) -> Card:
    ref = f"DiagnosticReport/{res.id}"
    codes = codes_of(res.code)
    title, plain, fr, concept = naming(concept_text(res.code) or "Report (type not recorded)", codes, ctx)
    period = getattr(res, "effectivePeriod", None)
    found = first_date(
        getattr(res, "effectiveDateTime", None), getattr(period, "start", None), getattr(res, "issued", None)
    )
    when = found.day if found else None
    status = str(res.status or "unknown")
    parts = [f"Report: {plain}, {iso(when)} ({status})."]
    refs = [ref]
    results = []
    flagged = 0
    for r in (res.result or [])[:MAX_RESULTS]:
        rref = ref_of(r)
        obs = ctx.record.get(rref) if rref else None
        if obs is None or obs.get_resource_type() != "Observation":
            if r.display:
                results.append(clean(r.display))
            continue
        reading = ctx.reading(obs)
        mark = " (outside usual range)" if reading.out_of_range else ""
        flagged += bool(reading.out_of_range)
        results.append(f"{reading.name} {reading.display_value}{mark}")
        refs.extend(reading.all_refs)
    if results:
        parts.append(f"Results: {'; '.join(results)}.")
    if flagged:
        parts.append(f"{flagged} result(s) outside the usual range.")
    if res.conclusion:
        parts.append(f"Conclusion: {clean(res.conclusion)}.")
    cat = first_concept(res.category)
    note = code_note(codes)
    if note:
        parts.append(f"({note})")
    return Card(
        id=ref,
        ref=ref,
        kind="DiagnosticReport",
        resource_type="DiagnosticReport",
        title=f"{title} ({iso(when)})",
        text=" ".join(parts),
        refs=tuple(refs),
        category=concept_text(cat) or None,
        codes=codes,
        date=when,
        status=status,
        concept=concept,
        name_fr=fr,
        extra={"semantic": f"report {title}"},
    )


def imaging_card(res: Any, ctx: CardContext) -> Card:
    ref = f"ImagingStudy/{res.id}"
    when = as_date(getattr(res, "started", None))
    series = []
    for s in res.series or []:
        modality = clean(getattr(s.modality, "display", None)) or clean(getattr(s.modality, "code", None))
        site = clean(getattr(getattr(s, "bodySite", None), "display", None))
        series.append(f"{modality} of {site}" if site else modality)
    what = ", ".join(x for x in series if x) or "imaging"
    status = str(res.status or "unknown")
    n_images = res.numberOfInstances or sum(len(s.instance or []) for s in res.series or [])
    text = (
        f"Imaging study: {what}, {iso(when)} ({status}); {len(res.series or [])} series, {n_images} image(s)."
    )
    reason = [concept_text(c) for c in getattr(res, "reasonCode", None) or []]
    if reason:
        text += f" Reason: {', '.join(reason)}."
    enc = ref_of(getattr(res, "encounter", None))
    return Card(
        id=ref,
        ref=ref,
        kind="ImagingStudy",
        resource_type="ImagingStudy",
        title=f"Imaging: {what} ({iso(when)})",
        text=text,
        refs=(ref,),
        category="imaging",
        date=when,
        status=status,
        extra={"semantic": f"imaging study {what} scan", "encounter": enc or ""},
    )
