"""The triage engine: message (+ conversation so far, + the patient's record) -> a TriageDecision.

Order of work, all deterministic and explainable:
1. normalise the message and the last few patient messages;
2. run every rule: a rule fires when one of its patterns is found *affirmed* (not negated, not long ago,
   not another adult's history; see ``scope.py``). Multi-part patterns may collect their parts across
   turns ("I have a headache" ... "and now my neck is stiff and I have a fever"), provided the current
   message adds a part; an emergency already stated earlier in the conversation stays in force;
3. record-aware modifiers raise the level of rules whose tags they concern, each citing its resource;
4. the most severe level wins; advice comes from the most severe rule (or the level's generic advice
   plus the reasons when a modifier raised it), with the region's number to call.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.guardrails.triage.decision import (
    ModifierHit,
    TriageDecision,
    because,
    level_advice,
    region_numbers,
)
from assistant.guardrails.triage.literals import LiteralIndex
from assistant.guardrails.triage.modifiers import Modifier, ModifierMatch, RecordFacts, compile_modifier
from assistant.guardrails.triage.rules import (
    PACKAGED_RULES_DIR,
    Branch,
    Rule,
    compile_rules,
    read_rule_dirs,
)
from assistant.guardrails.triage.scope import scope_of
from assistant.guardrails.triage.text import detect_language, normalise
from assistant.schemas import Language, TriageLevel, level_rank
from fhir_client import PatientRecord

__all__ = ["HISTORY_TURNS", "RuleHit", "TriageEngine"]

HISTORY_TURNS = 8  # how many earlier patient messages can contribute to escalation
_CHILD_AGE = 18


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: Rule
    subject: str  # "self" | "child" | "other": who the affirmed evidence is about
    from_history: bool  # fired only on earlier turns (an emergency still in force)


@dataclass(frozen=True, slots=True)
class _Text:
    """A normalised message and the rule literals it contains (computed once, used by every rule)."""

    text: str
    found: set[str]


def _affirmed(rule: Rule, branch: Branch, segment: _Text) -> str | None:
    """Subject of the first affirmed match of a pattern in the segment, or None."""
    if not branch.may_match(segment.found):
        return None
    text = segment.text
    pattern = branch.regex
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        sc = scope_of(text, m.start(), m.end(), history_sensitive=rule.history_sensitive)
        if sc.counts:
            return sc.subject
        # a suppressed long match must not hide a shorter affirmed one that starts inside it
        pos = m.start() + 1
    return None


def _gate(rule: Rule) -> frozenset[str] | None:
    """Literals of which one must be present (in the conversation) for the rule to possibly fire."""
    gate: set[str] = set()
    alternatives = ([rule.single] if rule.single else []) + [
        min(c.parts, key=lambda b: len(b.literals) if b.literals is not None else 10**9) for c in rule.combos
    ]
    for branch in alternatives:
        if branch.literals is None:
            return None
        gate |= branch.literals
    return frozenset(gate)


class TriageEngine:
    """Rule-based, record-aware triage in English and French. Build it once (``load``), reuse it."""

    def __init__(
        self, rules: Sequence[Rule], modifiers: Sequence[Modifier], typos: Mapping[str, str] | None = None
    ) -> None:
        self._rules = tuple(rules)
        self._typos = dict(typos or {})
        self._typo_re = (
            re.compile(
                r"(?<![a-z0-9])(?:"
                + "|".join(re.escape(k) for k in sorted(self._typos, key=len, reverse=True))
                + r")(?![a-z0-9])"
            )
            if self._typos
            else None
        )
        self._modifiers = {m.id: m for m in modifiers}
        self._facts = RecordFacts(self._modifiers)
        literals: set[str] = set()
        for rule in self._rules:
            branches = [rule.single] if rule.single else []
            branches += [part for combo in rule.combos for part in combo.parts]
            for branch in branches:
                literals |= branch.literals or set()
        self._index = LiteralIndex(literals)
        # literal -> rules it can wake up; rules with a pattern of unknown literals are always tried
        self._always: list[int] = []
        self._by_literal: dict[str, list[int]] = {}
        for n, rule in enumerate(self._rules):
            gate = _gate(rule)
            if gate is None:
                self._always.append(n)
                continue
            for lit in gate:
                self._by_literal.setdefault(lit, []).append(n)

    @classmethod
    def load(cls, rules_dir: Path | None = None, *, extra_dirs: Sequence[Path] = ()) -> TriageEngine:
        """Packaged rules (or ``rules_dir``), then each extra dir: new ids add rules, known ids override
        fields of a rule, ``enabled: false`` removes one. Raises RuleFileError on any invalid file."""
        raw = read_rule_dirs(
            Path(rules_dir) if rules_dir else PACKAGED_RULES_DIR, [Path(d) for d in extra_dirs]
        )
        rules, _ = compile_rules(raw)
        modifiers = [
            compile_modifier(mid, spec, raw.modifier_files[mid]) for mid, spec in raw.modifiers.items()
        ]
        return cls(rules, modifiers, raw.typos)

    def record_facts(self, record: PatientRecord, today: date) -> tuple[ModifierMatch, ...]:
        """The modifiers ``record`` triggers on ``today`` (pure: the engine keeps no per-patient data)."""
        return self._facts.matches(record, today)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._rules

    @property
    def modifiers(self) -> tuple[Modifier, ...]:
        return tuple(self._modifiers.values())

    def rule(self, rule_id: str) -> Rule:
        for r in self._rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    # --- matching ---------------------------------------------------------------------------------

    def _fire(self, rule: Rule, current: _Text, earlier: Sequence[_Text]) -> RuleHit | None:
        if rule.exclude is not None and rule.exclude.search(current.text):
            return None
        carry = rule.level is TriageLevel.EMERGENCY
        if rule.single is not None:
            subject = _affirmed(rule, rule.single, current)
            if subject is not None:
                return RuleHit(rule, subject, False)
            if carry:
                for text in reversed(earlier):
                    subject = _affirmed(rule, rule.single, text)
                    if subject is not None:
                        return RuleHit(rule, subject, True)
        for combo in rule.combos:
            subjects: list[str] = []
            in_current = False
            for part in combo.parts:
                subject = _affirmed(rule, part, current)
                if subject is not None:
                    in_current = True
                else:
                    for text in reversed(earlier):
                        subject = _affirmed(rule, part, text)
                        if subject is not None:
                            break
                if subject is None:
                    break
                subjects.append(subject)
            else:
                if in_current or carry:
                    who = "self" if "self" in subjects else subjects[0]
                    return RuleHit(rule, who, not in_current)
        return None

    def _segment(self, message: str) -> _Text:
        text = normalise(message)
        if self._typo_re is not None:
            text = self._typo_re.sub(lambda m: self._typos[m.group()], text)
        return _Text(text, self._index.found(text))

    def hits(self, message: str, history: Sequence[str] = ()) -> list[RuleHit]:
        """Every rule that fires, most severe first (file order within a level)."""
        current = self._segment(message)
        earlier = [self._segment(h) for h in history[-HISTORY_TURNS:]]
        present = set(current.found).union(*(e.found for e in earlier))
        candidates = set(self._always)
        for lit in present:
            candidates.update(self._by_literal.get(lit, ()))
        rules = self._rules
        found = [h for n in sorted(candidates) if (h := self._fire(rules[n], current, earlier))]
        found.sort(key=lambda h: -level_rank(h.rule.level))
        return found

    # --- deciding ---------------------------------------------------------------------------------

    def assess(
        self,
        message: str,
        *,
        language: Language | None = None,
        record: PatientRecord | None = None,
        history: Sequence[str] = (),
        region: str = "FR",
        today: date | None = None,
        facts: Sequence[ModifierMatch] | None = None,
    ) -> TriageDecision:
        """The decision for ``message``. With a ``record``, ``today`` is required (ages, recent
        operations and pregnancies are counted from it; nothing here reads the machine's clock), and
        ``facts`` may carry the record's modifiers for that day, already computed by the caller that
        holds the patient (``record_facts``), so a turn does not walk the whole record again."""
        if record is not None and today is None:
            raise ValueError("record-aware triage needs today's date (pass today=)")
        lang: Language = language or detect_language(message)
        numbers = region_numbers(region)
        hits = self.hits(message, history)
        if not hits:
            return TriageDecision(TriageLevel.NONE, (), "", None, lang, region=region)

        base = hits[0].rule.level
        level = base
        applied: list[ModifierMatch] = []
        if record is not None and today is not None and self._modifiers:
            day = today
            if facts is None:
                facts = self._facts.matches(record, day)
            patient_is_child = any(f.modifier.kind == "age_under_months" for f in facts) or self._is_child(
                record, day
            )
            for hit in hits:
                if hit.subject != "self" and not patient_is_child:
                    continue  # a relative's symptoms say nothing about this adult's record
                # (a child's record is read by a parent: "he", "my son" are the patient)
                for fact in facts:
                    if fact.modifier.applies(hit.rule.tags):
                        raised = fact.modifier.raise_level(hit.rule.level)
                        if level_rank(raised) > level_rank(hit.rule.level):
                            if fact not in applied:
                                applied.append(fact)
                            if level_rank(raised) > level_rank(level):
                                level = raised

        rule_ids = [h.rule.id for h in hits]
        mod_ids = [m.modifier.id for m in applied if level_rank(m.modifier.raise_level(base)) > 0]
        if level_rank(level) > level_rank(base):
            reasons = [m.reason(lang) for m in applied]
            advice = level_advice(level, lang, numbers) + " " + because(lang, reasons)
        else:
            advice = hits[0].rule.advice[lang].format(call=numbers.emergency, crisis=numbers.crisis)

        call: str | None = None
        if level is TriageLevel.EMERGENCY:
            call = numbers.emergency
        elif any(h.rule.call == "crisis" for h in hits):
            call = numbers.crisis

        watch: list[str] = []
        for h in hits:
            for line in h.rule.watch_for[lang]:
                line = line.format(call=numbers.emergency, crisis=numbers.crisis)
                if line not in watch:
                    watch.append(line)
        return TriageDecision(
            level=level,
            rules=(*mod_ids, *rule_ids),
            advice=advice,
            call=call,
            language=lang,
            modifiers=tuple(ModifierHit(m.modifier.id, m.reason(lang), m.resource) for m in applied),
            watch_for=tuple(watch[:5]),
            region=region,
        )

    @staticmethod
    def _is_child(record: PatientRecord, today: date) -> bool:
        birth = record.patient.birthDate
        if not isinstance(birth, date):
            return False
        return (today.year - birth.year) < _CHILD_AGE
