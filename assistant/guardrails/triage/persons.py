"""The people a message is about, as the protocols see them: their findings, vitals, age and known facts.

Protocols are evaluated per person, so "my husband has chest pain and I have a headache" is two
presentations, never one chest pain with a headache. What is known of a person:

- what this message says (findings with their assertion, vitals, the stated age and pregnancy), plus what
  earlier turns of the conversation said about the same person (``ClinicalState``) when this message
  continues the story — a finding said again now replaces the earlier one;
- facts (``modifiers.yaml``): for the record's patient, from the record's coded data (a blood thinner, a
  diabetes, a recent operation, a current pregnancy, the age from the birth date) — and for anyone, what
  the message states ("she's on warfarin", "I had my gallbladder out last week"). A relative's words never
  read the account holder's record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from assistant.guardrails.triage.modifiers import Modifier, ModifierMatch, RecordFacts
from assistant.understanding.model import (
    ClinicalState,
    Finding,
    Relation,
    Signal,
    SignalKind,
    Subject,
    Understanding,
    Vital,
)
from fhir_client import PatientRecord

__all__ = ["EARLIER", "FactHit", "Person", "build_people", "merged_state", "person_label", "record_matches"]

EARLIER = -1  # the clause of a finding or vital carried from an earlier turn
HOUSEHOLD = (
    "household"  # lexicon group of an exposure of the home (carbon monoxide), shared by everyone named
)
# lexicon group of a family's risk told through a relative ("my brother died suddenly at 35"): it is the
# risk of each person the message is about, not only a fact about the relative named
KIN = "family_risk"


@dataclass(frozen=True)
class FactHit:
    """A fact about a person and where it comes from (the record resource, or the message)."""

    fact: str
    modifier: Modifier
    source: str  # "record" | "message"
    resource: str | None
    label: str


@dataclass(frozen=True)
class Person:
    index: int
    subject: Subject
    findings: tuple[Finding, ...]  # every finding about this person, whatever its assertion
    vitals: tuple[Vital, ...]
    facts: Mapping[str, FactHit] = field(default_factory=dict)
    signals: tuple[Signal, ...] = ()

    @property
    def age(self) -> float | None:
        return self.subject.age_years

    def current(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.current)

    def mentions(self, concept: str) -> bool:
        """The concept was spoken of for this person, in any way (present, denied, past…)."""
        return any(f.concept == concept for f in self.findings)

    def with_finding(self, finding: Finding) -> Person:
        return Person(
            self.index,
            self.subject,
            (*self.findings, finding),
            self.vitals,
            self.facts,
            self.signals,
        )

    def only(self, findings: Sequence[Finding]) -> Person:
        return Person(self.index, self.subject, tuple(findings), self.vitals, self.facts, self.signals)


def person_label(subject: Subject) -> str:
    """ "self", "child (2 y)", "partner (62 y)", "child (6 mo)"."""
    label = subject.relation.value
    if subject.age_years is not None:
        age = subject.age_years
        label += f" ({round(age * 12)} mo)" if age < 2 else f" ({int(age)} y)"
    return label


def _same_person(a: Subject, b: Subject) -> bool:
    if a.relation != b.relation:
        return False
    if a.relation is Relation.SELF:
        return True
    return a.sex is None or b.sex is None or a.sex == b.sex


def merged_state(u: Understanding, carried: ClinicalState | None) -> ClinicalState:
    """This message's people, findings and vitals, with what earlier turns said about the same people.

    Subjects are matched by relation (and sex when both are known); an earlier finding of a concept this
    message speaks of again (in any way) is replaced by the new one; an earlier vital by a new one of its
    kind. Ages and pregnancy said earlier are kept when this message does not restate them.
    """
    subjects = list(u.subjects)
    findings = list(u.findings)
    vitals = list(u.vitals)
    if carried is None:
        return ClinicalState(subjects=tuple(subjects), findings=tuple(findings), vitals=tuple(vitals))
    mapping: dict[int, int] = {}
    for old in carried.subjects:
        target = next((s.index for s in subjects if _same_person(s, old)), None)
        if target is None:
            target = len(subjects)
            subjects.append(old.model_copy(update={"index": target}))
        else:
            now = subjects[target]
            subjects[target] = now.model_copy(
                update={
                    "age_years": now.age_years if now.age_years is not None else old.age_years,
                    "age_at_most": now.age_at_most if now.age_at_most is not None else old.age_at_most,
                    "sex": now.sex or old.sex,
                    "pregnant": now.pregnant or old.pregnant,
                }
            )
        mapping[old.index] = target
    said_now = {(f.subject, f.concept) for f in u.findings}
    for f in carried.findings:
        who = mapping.get(f.subject, 0)
        if (who, f.concept) not in said_now:
            findings.append(f.model_copy(update={"subject": who, "clause": EARLIER}))
    measured_now = {(v.subject, v.kind) for v in u.vitals}
    for v in carried.vitals:
        who = mapping.get(v.subject, 0)
        if (who, v.kind) not in measured_now:
            vitals.append(v.model_copy(update={"subject": who, "clause": EARLIER}))
    return ClinicalState(subjects=tuple(subjects), findings=tuple(findings), vitals=tuple(vitals))


# Pronouns that start a person of their own when nothing names one; in a first-person message they usually
# point at a body part or a thing ("j'ai la cheville qui a gonflé, elle…", "it", "ça").
_PRONOUNS = frozenset(
    {
        "he",
        "she",
        "it",
        "him",
        "her",
        "his",
        "they",
        "them",
        "their",
        "il",
        "elle",
        "ils",
        "elles",
        "lui",
        "sa",
        "son",
        "ses",
        "leur",
    }
)


def _bare_pronouns(state: ClinicalState) -> dict[int, int]:
    """Subjects started by a bare pronoun, folded into the writer when the writer describes symptoms of
    their own in the same message: "tordu la cheville, elle a gonflé, impossible de poser le pied" is one
    person. When the writer says nothing of themselves and introduces exactly one other person ("my 18
    month old … her tummy", "ma femme … elle"), the pronouns are that person. Otherwise a pronoun subject
    is kept apart (a parent writing "il a 39 de fièvre" about a child)."""
    pronouns = [
        s.index
        for s in state.subjects
        if s.index != 0
        and s.relation is Relation.OTHER
        and s.evidence.strip() in _PRONOUNS
        and s.age_years is None
        and not s.pregnant
    ]
    if not pronouns:
        return {}
    writer_speaks = any(f.subject == 0 and f.current for f in state.findings)
    if writer_speaks:
        return {i: 0 for i in pronouns}
    named = [s.index for s in state.subjects if s.index != 0 and s.index not in pronouns]
    if len(named) == 1:  # "my 18 month old … her tummy": the one person introduced is the one described
        return {i: named[0] for i in pronouns}
    return {}


def _age_fact(mod: Modifier, age: float) -> bool:
    if mod.kind == "age_under_months":
        return age * 12 < mod.months
    return age > mod.years


def _age_label(age: float) -> str:
    if age < 14 / 365:
        return f"{round(age * 365)} days"
    if age < 0.25:
        return f"{round(age * 52)} weeks"
    if age < 2:
        return f"{round(age * 12)} months"
    return f"{int(age)}"


def build_people(
    state: ClinicalState,
    signals: Sequence[Signal],
    modifiers: Sequence[Modifier],
    record_facts: Sequence[ModifierMatch] = (),
    record_ref: str | None = None,
) -> list[Person]:
    """One ``Person`` per subject that has any finding, vital or (the writer) signal.

    ``record_facts``: the modifiers the record triggers today (``RecordFacts.matches``); they are given to
    the record's patient only. A fiction signal drops what is said of people who are neither the writer nor
    a relative ("in the film the guy has chest pain").
    """
    fiction = any(s.kind is SignalKind.FICTION for s in signals)
    merge = _bare_pronouns(state)
    household = tuple(f for f in state.findings if HOUSEHOLD in f.groups and f.current)
    kin = tuple(f for f in state.findings if KIN in f.groups and f.current)
    people: list[Person] = []
    for subject in state.subjects:
        if fiction and subject.relation is Relation.OTHER:
            continue
        if subject.index in merge:
            continue
        owned = {subject.index, *(i for i, to in merge.items() if to == subject.index)}
        findings = tuple(f for f in state.findings if f.subject in owned)
        vitals = tuple(v for v in state.vitals if v.subject in owned)
        own_signals = tuple(signals) if subject.index == 0 else ()
        if not (findings or vitals or own_signals):
            continue
        # an exposure of the home ("since the boiler went back on we all have headaches") is everyone's
        # the message names: the child who vomits breathes the same air as the writer who told of the boiler
        findings += tuple(f for f in household if f.subject not in owned)
        findings += tuple(f for f in kin if f.subject not in owned and f not in findings)
        facts: dict[str, FactHit] = {}
        if subject.is_record_patient:
            for match in record_facts:
                if match.modifier.kind in ("age_under_months", "age_over_years"):
                    continue  # ages are read below from the person's age (the record's when not stated)
                facts.setdefault(
                    match.modifier.fact,
                    FactHit(match.modifier.fact, match.modifier, "record", match.resource, match.label),
                )
        current = {f.concept for f in findings if f.current}
        for mod in modifiers:
            if mod.fact in facts:
                continue
            if mod.kind in ("age_under_months", "age_over_years"):
                if subject.age_years is not None and _age_fact(mod, subject.age_years):
                    source = "record" if subject.is_record_patient and record_ref else "message"
                    resource = record_ref if source == "record" else None
                    facts[mod.fact] = FactHit(mod.fact, mod, source, resource, _age_label(subject.age_years))
                continue
            if mod.kind == "pregnancy" and subject.pregnant:
                facts[mod.fact] = FactHit(mod.fact, mod, "message", None, "pregnant")
                continue
            stated = mod.stated & current
            if stated:
                facts[mod.fact] = FactHit(mod.fact, mod, "message", None, sorted(stated)[0].replace("_", " "))
        people.append(
            Person(
                index=subject.index,
                subject=subject,
                findings=findings,
                vitals=vitals,
                facts=facts,
                signals=own_signals,
            )
        )
    return people


def record_matches(
    facts: RecordFacts, record: PatientRecord | None, today: date | None
) -> tuple[Sequence[ModifierMatch], str | None]:
    """The record's facts today (none without a record or a date)."""
    if record is None or today is None:
        return (), None
    return facts.matches(record, today), record.patient_ref
