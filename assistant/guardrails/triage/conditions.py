"""Evaluating a protocol condition for one person: is it met, and on what evidence (for the audit).

Pure functions over typed values: no text is read here. A finding counts only when it is current (not
negated, over, hypothetical, a relative's history or fiction); an explanation the writer gives ("black
stools since I started iron") is weighed by the criteria that ask for ``explained: only`` and otherwise
changes nothing.
"""

from __future__ import annotations

from assistant.guardrails.triage.persons import Person
from assistant.guardrails.triage.protocol_model import (
    AgeCond,
    AllCond,
    AnyCond,
    ChildCond,
    Condition,
    CountCond,
    FactCond,
    FindingCond,
    NotCond,
    PregnantCond,
    SexCond,
    SignalCond,
    VitalCond,
)
from assistant.understanding.model import ConceptKind, Finding, Progression, Relation

__all__ = ["ANY_FINDING", "CHILD_UNDER_YEARS", "evaluate", "finding_matches", "is_child", "names_match"]

ANY_FINDING = "any"
CHILD_UNDER_YEARS = 16.0
_LASTING = frozenset({ConceptKind.CONDITION, ConceptKind.CONTEXT})
Evidence = tuple[str, ...]


def names_match(names: tuple[str, ...], finding: Finding) -> bool:
    """A concept id, ``group:<name>`` or ``any`` names this finding."""
    for name in names:
        if name == ANY_FINDING or name == finding.concept:
            return True
        if name.startswith("group:") and name[6:] in finding.groups:
            return True
    return False


def _counts(f: Finding) -> bool:
    """Current; or, for a condition or a situation (a heart condition, a known migraine, a past operation),
    also when told as history — a stent put in years ago is still a heart condition today."""
    if f.current:
        return True
    a = f.assertion
    history_only = a.historical and not (a.negated or a.hypothetical or a.family_history or a.fictional)
    return history_only and f.kind in _LASTING


def finding_matches(cond: FindingCond, f: Finding) -> bool:
    if not _counts(f) or not names_match(cond.finding, f):
        return False
    if cond.current_only and not f.current:
        return False
    explained = f.assertion.explained_by is not None
    if (cond.explained == "exclude" and explained) or (cond.explained == "only" and not explained):
        return False
    if cond.severity is not None and f.severity not in cond.severity:
        return False
    if cond.onset is not None and f.onset not in cond.onset:
        return False
    if cond.progression is not None and f.progression not in cond.progression:
        return False
    if cond.ongoing is not None and (f.progression is not Progression.RESOLVED) != cond.ongoing:
        return False
    if cond.min_days is not None and (f.duration_days is None or f.duration_days < cond.min_days):
        return False
    if cond.max_days is not None and (f.duration_days is None or f.duration_days > cond.max_days):
        return False
    if cond.sites is not None and not set(cond.sites) & set(f.sites):
        return False
    if cond.side is not None:
        side = f.laterality
        # "left" and "right" are each one side
        sides = {side, "one_side"} if side in ("left", "right") else {side}
        if not sides & set(cond.side):
            return False
    return True


def _vital(cond: VitalCond, person: Person) -> Evidence | None:
    for v in person.vitals:
        if v.kind != cond.vital or not v.current:
            continue
        value = v.value2 if cond.of == "diastolic" else v.value
        if value is None:
            continue
        if cond.above is not None and not value > cond.above:
            continue
        if cond.at_least is not None and not value >= cond.at_least:
            continue
        if cond.below is not None and not value < cond.below:
            continue
        if cond.at_most is not None and not value <= cond.at_most:
            continue
        return (f"vital:{v.kind.value}={value:g}",)
    return None


def _age(cond: AgeCond, person: Person) -> Evidence | None:
    bounds = cond.age
    age = person.subject.age_years
    at_most = person.subject.age_at_most
    under = None
    if bounds.under_years is not None:
        under = bounds.under_years
    if bounds.under_months is not None:
        under = bounds.under_months / 12 if under is None else min(under, bounds.under_months / 12)
    if age is None:
        # Words such as "newborn" or "toddler" bound the age from above: enough for "under", never for
        # "at least".
        if bounds.at_least_years is not None or under is None or at_most is None:
            return None
        return ("age:words",) if at_most < under else None
    if under is not None and not age < under:
        return None
    if bounds.at_least_years is not None and not age >= bounds.at_least_years:
        return None
    return (f"age:{age:g}",)


def is_child(person: Person) -> bool:
    s = person.subject
    if s.age_years is not None:
        return s.age_years < CHILD_UNDER_YEARS
    if s.age_at_most is not None:
        return s.age_at_most < CHILD_UNDER_YEARS
    return s.relation is Relation.CHILD


def evaluate(cond: Condition, person: Person) -> Evidence | None:
    """The evidence the condition is met on (possibly empty), or None when it is not met."""
    if isinstance(cond, FindingCond):
        hits = [f.concept for f in person.findings if finding_matches(cond, f)]
        return tuple(dict.fromkeys(hits)) if hits else None
    if isinstance(cond, VitalCond):
        return _vital(cond, person)
    if isinstance(cond, AgeCond):
        return _age(cond, person)
    if isinstance(cond, PregnantCond):
        said, recorded = person.subject.pregnant, "pregnancy" in person.facts
        if (said or recorded) != cond.pregnant:
            return None
        if not cond.pregnant:
            return ()
        return ("pregnant",) if said else ("fact:pregnancy",)
    if isinstance(cond, ChildCond):
        return ("child",) if is_child(person) == cond.child else None
    if isinstance(cond, SexCond):
        return (f"sex:{cond.sex}",) if person.subject.sex == cond.sex else None
    if isinstance(cond, FactCond):
        for name in cond.fact:
            if name in person.facts:
                return (f"fact:{name}",)
        return None
    if isinstance(cond, SignalCond):
        for s in person.signals:
            if s.kind != cond.signal or s.strength < cond.min_strength:
                continue
            if cond.detail is not None and s.detail not in cond.detail:
                continue
            return (f"signal:{s.kind.value}" + (f"/{s.detail}" if s.detail else ""),)
        return None
    if isinstance(cond, AllCond):
        out: list[str] = []
        for sub in cond.all:
            ev = evaluate(sub, person)
            if ev is None:
                return None
            out.extend(ev)
        return tuple(dict.fromkeys(out))
    if isinstance(cond, AnyCond):
        # every branch met adds its evidence: the audit shows all the reasons, and the engine prefers the
        # protocol whose deciding criterion explains more of the presentation
        found: list[str] | None = None
        for sub in cond.any:
            ev = evaluate(sub, person)
            if ev is not None:
                found = [*(found or []), *ev]
        return tuple(dict.fromkeys(found)) if found is not None else None
    if isinstance(cond, NotCond):
        return () if evaluate(cond.not_, person) is None else None
    if isinstance(cond, CountCond):
        met: list[str] = []
        count = 0
        for sub in cond.of:
            ev = evaluate(sub, person)
            if ev is not None:
                count += 1
                met.extend(ev)
        return tuple(dict.fromkeys(met)) if count >= cond.at_least else None
    raise TypeError(f"unknown condition {type(cond).__name__}")
