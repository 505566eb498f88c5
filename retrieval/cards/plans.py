"""CarePlan and Goal cards: what the care team planned and what the patient is aiming for."""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import as_date, clean, codes_of, concept_text, first_concept, iso, period_dates
from retrieval.model import Card


def careplan_card(res: Any, ctx: CardContext) -> Card:
    ref = f"CarePlan/{res.id}"
    cat = first_concept(res.category)
    codes = codes_of(cat)
    title, plain, fr, concept = naming(concept_text(cat) or clean(res.title) or "Care plan", codes, ctx)
    start, end = period_dates(res.period)
    status = str(res.status or "unknown")
    parts = [f"Care plan: {plain} ({status}), from {iso(start)}" + (f" to {iso(end)}." if end else ".")]
    activities = []
    for a in res.activity or []:
        detail = getattr(a, "detail", None)
        name = concept_text(getattr(detail, "code", None)) if detail is not None else ""
        if name and name not in activities:
            activities.append(name)
    if activities:
        parts.append(f"Activities: {'; '.join(activities)}.")
    addresses = [clean(a.display) for a in res.addresses or [] if a.display]
    if addresses:
        parts.append(f"For: {', '.join(addresses)}.")
    note = code_note(codes)
    if note:
        parts.append(f"({note})")
    return Card(
        id=ref,
        ref=ref,
        kind="CarePlan",
        resource_type="CarePlan",
        title=f"{title} ({status})",
        text=" ".join(parts),
        refs=(ref,),
        category="care plan",
        codes=codes,
        date=start,
        end=end,
        status=status,
        concept=concept,
        name_fr=fr,
        extra={"semantic": f"care plan {title} {' '.join(activities)}"},
    )


def goal_card(res: Any, ctx: CardContext) -> Card:
    ref = f"Goal/{res.id}"
    codes = codes_of(res.description)
    description = concept_text(res.description) or "goal"
    status = str(res.lifecycleStatus or "unknown")
    achievement = concept_text(getattr(res, "achievementStatus", None))
    start = as_date(getattr(res, "startDate", None))
    parts = [
        f"Health goal: {description}.",
        f"Status: {status}" + (f", {achievement}." if achievement else "."),
    ]
    if start:
        parts.append(f"Set on {iso(start)}.")
    targets = []
    for t in res.target or []:
        due = as_date(getattr(t, "dueDate", None))
        if due:
            targets.append(f"due {iso(due)}")
    if targets:
        parts.append(f"Target: {', '.join(targets)}.")
    note = code_note(codes)
    if note:
        parts.append(f"({note})")
    return Card(
        id=ref,
        ref=ref,
        kind="Goal",
        resource_type="Goal",
        title=f"Goal: {description} ({status})",
        text=" ".join(parts),
        refs=(ref,),
        category="goal",
        codes=codes,
        date=start,
        status=status,
        interpretation=achievement or None,
        extra={"semantic": f"health goal target {description}"},
    )
