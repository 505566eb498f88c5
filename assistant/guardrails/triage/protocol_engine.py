"""The triage decision, from the understanding of a message and the protocols (the one place it is made).

Order of work, the same for every message, all of it visible in the decision for the audit:

1. the clinical picture: this message's people, findings and vitals, with what earlier turns said about the
   same people when this message continues the story (new findings, or answers to the questions asked);
2. for each person, every protocol their presentation concerns (a presenting finding, signal or measure):
   its criteria are tried in file order and the first one met sets the protocol's level (every criterion
   met is recorded); none met gives the protocol's ``default``. Current findings that no protocol is about
   go to the catch-all protocol(s) (``presenting: {unclaimed: true}``), so every symptom gets a level;
3. record-aware modifiers raise the protocols whose tags they concern, for the person they are about (the
   record for its patient; the stated age and situation for anyone);
4. the highest level decides; its protocol's advice and "watch for" are the ones shown;
5. the interview: when that protocol has red-flag questions the message did not answer and a "yes" would
   raise the level, the 1–3 most important are asked, with the level so far as the floor;
6. the conversation: when this message answers the questions of the last reply, the level of that reply
   is a floor (a "no" lowers nothing); an emergency of the last turns stays in force.

Nothing here reads text: negation, time, person, explanations and minimisation were read by the
understanding stage; a minimising message ("it's probably nothing") changes no criterion.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.guardrails.triage.conditions import evaluate, names_match
from assistant.guardrails.triage.decision import (
    AskedQuestion,
    FindingNote,
    ModifierHit,
    ProtocolOutcome,
    RegionNumbers,
    TriageDecision,
    because,
    fill_numbers,
    level_advice,
    region_numbers,
)
from assistant.guardrails.triage.modifiers import ModifierMatch, RecordFacts
from assistant.guardrails.triage.persons import (
    EARLIER,
    FactHit,
    Person,
    build_people,
    merged_state,
    person_label,
    record_matches,
)
from assistant.guardrails.triage.protocol_files import ProtocolSet, read_protocol_dirs
from assistant.guardrails.triage.protocol_model import Criterion, Protocol, Question
from assistant.schemas import Language, TriageLevel, level_rank
from assistant.understanding.answers import ANSWER_ENTRY
from assistant.understanding.lexicon import Lexicon
from assistant.understanding.model import (
    ClinicalState,
    ConceptKind,
    ConversationContext,
    Finding,
    PendingQuestion,
    SignalKind,
    Understanding,
)
from fhir_client import PatientRecord

__all__ = ["ANSWER_ENTRY", "MAX_QUESTIONS", "ProtocolEngine"]

MAX_QUESTIONS = 3
FEATURE_GROUP = (
    "feature"  # lexicon group of what qualifies a symptom (spreads, pressing hurts…), not one itself
)
MAX_CARRIED_FINDINGS = 60
_SYMPTOM_KINDS = frozenset({ConceptKind.SYMPTOM, ConceptKind.SIGN, ConceptKind.EVENT})


@dataclass(frozen=True)
class _Outcome:
    protocol: Protocol
    person: Person
    base: TriageLevel
    level: TriageLevel
    deciding: Criterion | None
    met: tuple[Criterion, ...]
    facts: tuple[FactHit, ...]  # the facts whose modifiers raised this outcome
    evidence: tuple[str, ...] = ()  # what the deciding criterion was met on

    def sort_key(self) -> tuple[int, int, int, int, int, int]:
        """Highest level first; between protocols at the same level, one decided by a criterion before one at
        its default, then the protocol's priority (the more specific presentation), then the criterion that
        explains more of what was said."""
        explained = len([e for e in self.evidence if not e.startswith(("age:", "child"))])
        return (
            level_rank(self.level),
            level_rank(self.base),
            int(self.deciding is not None),
            self.protocol.priority,
            explained,
            -self.person.index,
        )


def _higher(a: TriageLevel, b: TriageLevel) -> TriageLevel:
    return a if level_rank(a) >= level_rank(b) else b


class ProtocolEngine:
    """Protocols on findings (en, fr), record-aware. Build once (``load``); ``assess`` is thread-safe."""

    def __init__(self, protocols: ProtocolSet, lexicon: Lexicon | None = None) -> None:
        self._set = protocols
        self._protocols = tuple(p for p in protocols.protocols if p.enabled)
        self._specific = tuple(p for p in self._protocols if not p.presenting.unclaimed)
        self._catch_all = tuple(p for p in self._protocols if p.presenting.unclaimed)
        self._by_id = {p.id: p for p in self._protocols}
        self._modifiers = protocols.modifiers
        self._facts = RecordFacts({m.id: m for m in self._modifiers})
        self._lexicon = lexicon or Lexicon.load()

    @classmethod
    def load(cls, base_dir: Path | None = None, *, extra_dirs: Sequence[Path] = ()) -> ProtocolEngine:
        """Packaged protocols (or ``base_dir``), then a clinic's directories (add, override by id, disable).
        Raises ``ProtocolFileError`` naming the file, protocol and field of any mistake."""
        lexicon = Lexicon.load()
        concepts = {cid: c.groups for cid, c in lexicon.concepts.items()}
        return cls(read_protocol_dirs(base_dir, [Path(d) for d in extra_dirs], concepts=concepts), lexicon)

    @property
    def protocols(self) -> tuple[Protocol, ...]:
        return self._protocols

    def protocol(self, protocol_id: str) -> Protocol:
        return self._by_id[protocol_id]

    def record_facts(self, record: PatientRecord, today: date) -> tuple[ModifierMatch, ...]:
        """The modifiers the record's coded data triggers on ``today`` (computed once per patient and day by
        whoever holds that patient: ``PatientGuard``)."""
        return self._facts.matches(record, today)

    def criterion(self, criterion_id: str) -> tuple[Protocol, Criterion]:
        for p in self._protocols:
            for c in p.live_criteria:
                if c.id == criterion_id:
                    return p, c
        raise KeyError(criterion_id)

    # --- one protocol, one person -----------------------------------------------------------------------

    @staticmethod
    def presents(protocol: Protocol, person: Person) -> bool:
        pres = protocol.presenting
        if pres.findings and any(f.current and names_match(pres.findings, f) for f in person.findings):
            return True
        if pres.signals and any(s.kind in pres.signals for s in person.signals):
            return True
        return pres.when is not None and evaluate(pres.when, person) is not None

    @staticmethod
    def level_for(
        protocol: Protocol, person: Person
    ) -> tuple[TriageLevel, Criterion | None, tuple[Criterion, ...], tuple[str, ...]]:
        """The protocol's level for this person: the first criterion met (in file order), else the default;
        with every criterion met and the evidence of the deciding one."""
        met: list[Criterion] = []
        evidence: tuple[str, ...] = ()
        for c in protocol.live_criteria:
            ev = evaluate(c.when, person)
            if ev is not None:
                if not met:
                    evidence = ev
                met.append(c)
        if met:
            return met[0].level, met[0], tuple(met), evidence
        return protocol.default, None, (), ()

    def _outcomes(self, person: Person) -> list[_Outcome]:
        out: list[_Outcome] = []
        claimed: set[int] = set()
        for protocol in self._specific:
            if not self.presents(protocol, person):
                continue
            claims = (*protocol.presenting.findings, *protocol.presenting.accounts_for)
            for n, f in enumerate(person.findings):
                if f.current and names_match(claims, f):
                    claimed.add(n)
            base, deciding, met, evidence = self.level_for(protocol, person)
            out.append(self._raised(protocol, person, base, deciding, met, evidence))
        unclaimed = [
            f
            for n, f in enumerate(person.findings)
            if n not in claimed and f.current and f.kind in _SYMPTOM_KINDS and FEATURE_GROUP not in f.groups
        ]
        if unclaimed:
            view = person.only(unclaimed)
            for protocol in self._catch_all:
                base, deciding, met, evidence = self.level_for(protocol, view)
                out.append(self._raised(protocol, view, base, deciding, met, evidence))
        return out

    def _raised(
        self,
        protocol: Protocol,
        person: Person,
        base: TriageLevel,
        deciding: Criterion | None,
        met: tuple[Criterion, ...],
        evidence: tuple[str, ...] = (),
    ) -> _Outcome:
        level = base
        used: list[FactHit] = []
        tags = frozenset(protocol.tags)
        for hit in person.facts.values():
            mod = hit.modifier
            if not mod.applies_to or not mod.applies(tags):
                continue
            if f"fact:{hit.fact}" in evidence:
                continue  # the deciding criterion already weighed this fact
            raised = mod.raise_level(base)
            if level_rank(raised) > level_rank(base):
                used.append(hit)
                level = _higher(level, raised)
        return _Outcome(protocol, person, base, level, deciding, met, tuple(used), evidence)

    # --- the decision -------------------------------------------------------------------------------------

    def assess(
        self,
        understanding: Understanding,
        *,
        record: PatientRecord | None = None,
        context: ConversationContext | None = None,
        region: str = "FR",
        today: date | None = None,
        facts: Sequence[ModifierMatch] | None = None,
    ) -> TriageDecision:
        """The decision for one message (see module docstring). ``facts``: the record's facts for ``today``
        when the caller already has them (else they are read from ``record``)."""
        u = understanding
        lang: Language = u.language
        numbers = region_numbers(region)
        context = context or ConversationContext()
        last = context.last
        answered = any(f.entry.startswith(ANSWER_ENTRY) for f in u.findings)
        new_content = bool(u.current_findings()) or any(v.current for v in u.vitals)
        new_content = new_content or u.has_signal(SignalKind.SELF_HARM)
        continuing = answered or new_content
        carried = _last_clinical(context) if continuing else None
        state = merged_state(u, carried)
        if facts is not None:
            matches: Sequence[ModifierMatch] = facts
            patient_ref = record.patient_ref if record is not None else None
        else:
            matches, patient_ref = record_matches(self._facts, record, today)
        people = build_people(state, u.signals, self._modifiers, matches, patient_ref)

        outcomes = [o for person in people for o in self._outcomes(person)]
        outcomes.sort(key=lambda o: o.sort_key(), reverse=True)
        floor, floor_reason = self._floor(context, answered or (new_content and bool(last and last.pending)))
        notes = _notes(state, people)
        keep = _keep(state) if (outcomes or carried is not None) else None

        if not outcomes:
            if floor is None:
                return TriageDecision(
                    TriageLevel.NONE, (), "", None, lang, region=region, findings=notes, clinical=keep
                )
            return self._floor_decision(floor, floor_reason, lang, region, notes, keep)

        top = outcomes[0]
        if floor is not None and level_rank(floor[0]) > level_rank(top.level):
            return self._floor_decision(floor, floor_reason, lang, region, notes, keep, outcomes)
        return self._decide(top, outcomes, lang, region, numbers, notes, keep, context)

    def _decide(
        self,
        top: _Outcome,
        outcomes: Sequence[_Outcome],
        lang: Language,
        region: str,
        numbers: RegionNumbers,
        notes: tuple[FindingNote, ...],
        keep: ClinicalState | None,
        context: ConversationContext,
    ) -> TriageDecision:
        protocol, level, crit = top.protocol, top.level, top.deciding
        call_number, crisis_number = numbers.emergency, numbers.crisis

        def fill(text: str) -> str:
            return fill_numbers(text, numbers, lang)

        if crit is not None and crit.advice is not None and level == top.base:
            advice = fill(crit.advice.get(lang))
        else:
            own = protocol.advice.for_level(level)
            advice = fill(own.get(lang)) if own is not None else level_advice(level, lang, numbers)
        reasons = [hit.modifier.reason[lang].format(label=hit.label) for hit in top.facts]
        if reasons:
            advice += " " + because(lang, reasons)
        watch_src = crit.watch_for if crit is not None and crit.watch_for is not None else protocol.watch_for
        watch = tuple(fill(w) for w in watch_src.get(lang))[:5]

        call: str | None = None
        if level is TriageLevel.EMERGENCY or (crit is not None and crit.call == "emergency"):
            call = call_number
        elif crit is not None and crit.call == "crisis":
            call = crisis_number

        criteria = tuple(c.id for c in top.met) or (f"{protocol.id}:default",)
        others = [c.id for o in outcomes[1:] for c in o.met if level_rank(o.level) > 0]
        cited = _cited(top)
        mods = tuple(dict.fromkeys(h.modifier.id for h in cited))
        rules = tuple(dict.fromkeys((*mods, *criteria, *others)))
        modifier_hits = tuple(
            ModifierHit(h.modifier.id, h.modifier.reason[lang].format(label=h.label), h.resource)
            for h in cited
        )
        questions, pending = self._questions(outcomes, lang, context)
        return TriageDecision(
            level=level,
            rules=rules,
            advice=advice,
            call=call,
            language=lang,
            modifiers=modifier_hits,
            watch_for=watch,
            region=region,
            protocol=protocol.id,
            criteria=criteria,
            questions=questions,
            findings=notes,
            outcomes=tuple(_outcome_info(o) for o in outcomes),
            pending=pending,
            clinical=keep,
        )

    # --- the interview ------------------------------------------------------------------------------------

    def _questions(
        self, outcomes: Sequence[_Outcome], lang: Language, context: ConversationContext
    ) -> tuple[tuple[AskedQuestion, ...], tuple[PendingQuestion, ...]]:
        """The 1–3 most important red-flag questions: of the protocols at the decided level for the person
        the decision is about, those a "yes" would raise, the ones that would raise it most first."""
        top = outcomes[0]
        if top.level is TriageLevel.EMERGENCY:
            return (), ()
        asked_before = {q for turn in context.turns for q in turn.pending_questions}
        candidates: list[tuple[int, int, int, _Outcome, Question]] = []
        for rank, outcome in enumerate(outcomes):
            if outcome.level is not top.level or outcome.person.index != top.person.index:
                continue
            for order, q in enumerate(outcome.protocol.live_questions):
                if q.id in asked_before or outcome.person.mentions(q.means.concept):
                    continue
                raised = self._raised_by_yes(outcome, q)
                if level_rank(raised) > level_rank(outcome.base):
                    candidates.append((-level_rank(raised), rank, order, outcome, q))
        candidates.sort(key=lambda c: c[:3])
        asked: list[AskedQuestion] = []
        pending: list[PendingQuestion] = []
        seen: set[str] = set()
        for *_, outcome, q in candidates:
            if len(asked) >= MAX_QUESTIONS or q.means.concept in seen:
                continue
            seen.add(q.means.concept)
            asked.append(AskedQuestion(q.id, q.ask.get(lang), outcome.protocol.id))
            s = outcome.person.subject
            pending.append(
                PendingQuestion(
                    id=q.id,
                    protocol=outcome.protocol.id,
                    concept=q.means.concept,
                    relation=s.relation,
                    sex=s.sex,
                    age_years=s.age_years,
                    laterality=q.means.side,
                    severity=q.means.severity,
                    onset=q.means.onset,
                    sites=q.means.sites,
                )
            )
        return tuple(asked), tuple(pending)

    def _raised_by_yes(self, top: _Outcome, q: Question) -> TriageLevel:
        """The protocol's level for this person if the answer to ``q`` were yes."""
        concept = self._lexicon.concepts.get(q.means.concept)
        if concept is None:
            return top.base
        yes = Finding(
            concept=concept.id,
            code=concept.code,
            kind=concept.kind,
            groups=concept.groups,
            text="",
            start=0,
            end=0,
            clause=EARLIER,
            subject=top.person.index,
            severity=q.means.severity,
            onset=q.means.onset,
            sites=q.means.sites,
            laterality=q.means.side,
            entry=ANSWER_ENTRY + q.id,
        )
        level, _, _, _ = self.level_for(top.protocol, top.person.with_finding(yes))
        return level

    # --- the conversation ---------------------------------------------------------------------------------

    def _floor(
        self, context: ConversationContext, interview: bool
    ) -> tuple[tuple[TriageLevel, str | None] | None, str]:
        """(level, protocol) that this turn may not go below, and why ("interview" / "earlier-emergency")."""
        last = context.last
        if context.emergency_in_force:
            for turn in reversed(context.turns[-4:]):
                if turn.level is TriageLevel.EMERGENCY:
                    return (TriageLevel.EMERGENCY, turn.protocol), "earlier-emergency"
        if interview and last is not None and level_rank(last.level) > 0:
            return (last.level, last.protocol), "interview-floor"
        return None, ""

    def _floor_decision(
        self,
        floor: tuple[TriageLevel, str | None],
        reason: str,
        lang: Language,
        region: str,
        notes: tuple[FindingNote, ...],
        keep: ClinicalState | None,
        outcomes: Sequence[_Outcome] = (),
    ) -> TriageDecision:
        level, pid = floor
        numbers = region_numbers(region)
        protocol = self._by_id.get(pid) if pid else None
        own = protocol.advice.for_level(level) if protocol is not None else None
        advice = (
            fill_numbers(own.get(lang), numbers, lang)
            if own is not None
            else level_advice(level, lang, numbers)
        )
        watch = (
            tuple(fill_numbers(w, numbers, lang) for w in protocol.watch_for.get(lang))[:5]
            if protocol is not None
            else ()
        )
        others = [c.id for o in outcomes for c in o.met]
        return TriageDecision(
            level=level,
            rules=tuple(dict.fromkeys((reason, *others))),
            advice=advice,
            call=numbers.emergency if level is TriageLevel.EMERGENCY else None,
            language=lang,
            watch_for=watch,
            region=region,
            protocol=pid,
            criteria=(reason,),
            findings=notes,
            outcomes=tuple(_outcome_info(o) for o in outcomes),
            clinical=keep,
        )


def _cited(top: _Outcome) -> tuple[FactHit, ...]:
    """The facts behind the decision, each citing where it comes from: the modifiers that raised the
    level, the facts the deciding criterion asked for ("fact:anticoagulant"), and the age when the
    criterion used the age of the record's patient (read from the record's birth date)."""
    hits: dict[str, FactHit] = {h.modifier.id: h for h in top.facts}
    facts = top.person.facts
    for item in top.evidence:
        if item.startswith("fact:") and item[5:] in facts:
            hit = facts[item[5:]]
            hits.setdefault(hit.modifier.id, hit)
        elif item.startswith("age:") and top.person.subject.is_record_patient:
            for hit in facts.values():
                if hit.modifier.kind in ("age_under_months", "age_over_years") and hit.source == "record":
                    hits.setdefault(hit.modifier.id, hit)
                    break
    return tuple(hits.values())


def _last_clinical(context: ConversationContext) -> ClinicalState | None:
    for turn in reversed(context.turns):
        if turn.clinical is not None:
            return turn.clinical
    return None


def _keep(state: ClinicalState) -> ClinicalState:
    """The picture kept for the next turn (bounded: the most recent findings)."""
    findings = state.findings[-MAX_CARRIED_FINDINGS:]
    return ClinicalState(subjects=state.subjects, findings=findings, vitals=state.vitals[-20:])


def _notes(state: ClinicalState, people: Iterable[Person]) -> tuple[FindingNote, ...]:
    labels = {p.index: person_label(p.subject) for p in people}
    out: list[FindingNote] = []
    for f in state.findings:
        a = f.assertion
        flags = [k for k, v in a.model_dump().items() if v and k != "explained_by"]
        if a.explained_by is not None:
            flags.append("explained")
        out.append(
            FindingNote(
                concept=f.concept,
                person=labels.get(f.subject) or person_label(state.subjects[f.subject]),
                status="+".join(flags) if flags else "current",
                text=f.text,
                severity=f.severity.value if f.severity else None,
                onset=f.onset.value if f.onset else None,
                progression=f.progression.value if f.progression else None,
                duration_days=round(f.duration_days, 3) if f.duration_days is not None else None,
                side=f.laterality,
                earlier=f.clause == EARLIER,
            )
        )
    return tuple(out)


def _outcome_info(o: _Outcome) -> ProtocolOutcome:
    return ProtocolOutcome(
        protocol=o.protocol.id,
        person=person_label(o.person.subject),
        level=o.level,
        base_level=o.base,
        criteria=tuple(c.id for c in o.met) or (f"{o.protocol.id}:default",),
        modifiers=tuple(h.modifier.id for h in o.facts),
    )
