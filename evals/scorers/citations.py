"""Grounding: every citation resolves to a resource of this patient's record, and the facts a case names
are cited and shown with the record's own value.

A number in a reply is only trustworthy if it is the number in the cited resource; a citation to a
resource that is not in the record is either a hallucination or another patient's data.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from evals.cases import CiteExpectation
from evals.scorers.base import Score, ScoreContext

__all__ = ["observation_values", "score_citations", "value_shown"]


def _codes(concept: Any) -> set[str]:
    return {str(c.code) for c in (getattr(concept, "coding", None) or []) if getattr(c, "code", None)}


def _value(holder: Any) -> float | str | None:
    quantity = getattr(holder, "valueQuantity", None)
    if quantity is not None and quantity.value is not None:
        return float(quantity.value)
    concept = getattr(holder, "valueCodeableConcept", None)
    if concept is not None:
        if concept.text:
            return str(concept.text)
        for coding in concept.coding or []:
            if coding.display:
                return str(coding.display)
    string = getattr(holder, "valueString", None)
    return str(string) if string is not None else None


def observation_values(resource: Any, code: str) -> list[float | str]:
    """Values the resource holds for ``code``: its own value, or a component's (blood pressure)."""
    values: list[float | str] = []
    if code in _codes(getattr(resource, "code", None)):
        v = _value(resource)
        if v is not None:
            values.append(v)
    for component in getattr(resource, "component", None) or []:
        if code in _codes(component.code):
            v = _value(component)
            if v is not None:
                values.append(v)
    return values


def _matches(found: float | str, gold: float | str, tolerance: float) -> bool:
    if isinstance(gold, str) or isinstance(found, str):
        return str(found).casefold() == str(gold).casefold()
    return abs(found - gold) <= max(tolerance, abs(gold) * 1e-6)


def value_shown(text: str, gold: float | str) -> bool:
    """The reply shows the value, rounded as a person would (0-2 decimals, point or comma)."""
    if isinstance(gold, str):
        return gold.casefold() in text.casefold()
    numbers = {Decimal(m.replace(",", ".")) for m in re.findall(r"\d+(?:[.,]\d+)?", text)}
    return any(Decimal(str(round(gold, places))) in numbers for places in (0, 1, 2))


def _expectation_met(ctx: ScoreContext, want: CiteExpectation, cited: list[str], text: str) -> str | None:
    """None when met, else why not."""
    if want.code is None:
        return None if want.ref in cited else f"{want.ref} not cited"
    if ctx.record is None:
        return f"cannot check code {want.code} without the record"
    candidates = [ref for ref in cited if want.ref is None or ref == want.ref]
    for ref in candidates:
        resource = ctx.record.get(ref)
        if resource is None:
            continue
        values = observation_values(resource, want.code)
        if not values:
            continue
        if want.value is None:
            return None
        if any(_matches(v, want.value, want.tolerance) for v in values):
            if value_shown(text, want.value):
                return None
            return f"cited {ref} for {want.code} but the reply does not show its value {want.value}"
        return f"cited {ref} holds {values} for {want.code}, gold is {want.value}"
    where = f" ({want.ref})" if want.ref else ""
    return f"no citation of a {want.code} observation{where}"


def score_citations(ctx: ScoreContext) -> Score | None:
    turns = ctx.transcript.turns()
    cited = [c.resource for t in turns for c in t.citations]
    wants = ctx.case.expect.must_cite
    any_of = ctx.case.expect.must_cite_any
    if not cited and not wants and not any_of:
        return None
    problems: list[str] = []
    if ctx.record is not None:
        own_patient = {ctx.record.patient_ref, *ctx.own_refs}
        unresolved = sorted({ref for ref in cited if ref not in ctx.record and ref not in own_patient})
        if unresolved:
            problems.append(f"citations not in this patient's record: {', '.join(unresolved[:5])}")
    for turn in turns:
        numbers = {c.n for c in turn.citations}
        markers = {int(n) for n in re.findall(r"\[(\d+)\]", turn.text)}
        dangling = sorted(markers - numbers)
        if dangling:
            problems.append(f"markers without a citation: {dangling}")
    text = "\n".join(t.text for t in turns)
    for want in wants:
        why = _expectation_met(ctx, want, cited, text)
        if why:
            problems.append(why)
    if any_of and not set(any_of) & set(cited):
        problems.append(f"none of {', '.join(any_of[:3])}{' …' if len(any_of) > 3 else ''} cited")
    detail = "; ".join(problems) if problems else f"{len(cited)} citation(s) resolve"
    return Score(scorer="citations", passed=not problems, detail=detail)
