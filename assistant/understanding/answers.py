"""Answers to the red-flag questions the last reply asked, read as findings.

When the triage asked "Is his neck stiff? Does he have a rash that does not fade under a glass?", the next
message may be only "no", "yes to the first", "non aux deux", "only the left" or "oui, et il vomit". Those
words say nothing clinical on their own; with ``PriorTurn.pending`` they do: each question names the
concept a "yes" asserts and the person it is about. This reader turns the answer into findings of those
concepts — current for a yes, negated for a no, one-sided when the answer names a side — about the same
person, so the triage re-decides with them like any other finding. The words of the answer table are data
(``data/answers.yaml``); a concept the message names in its own words ("no, but his neck is stiff") is read
by the lexicon and not overridden here.

Answers are read at the start of the message only (segments up to the first one that is not an answer): a
long new story that happens to contain "no" somewhere is not taken for an answer. A message that demands a
yes or a no ("oui mais dis-moi juste oui ou non") answers nothing: its "oui" concedes, it does not answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from assistant.understanding.clauses import clause_at
from assistant.understanding.lexicon import Lexicon
from assistant.understanding.model import (
    Assertion,
    Clause,
    ConversationContext,
    Finding,
    PendingQuestion,
    Relation,
    Subject,
)
from assistant.understanding.text import fold_term
from fhir_client.yaml_data import load_yaml

__all__ = ["ANSWER_ENTRY", "AnswerReader"]

DATA_FILE = Path(__file__).parent / "data" / "answers.yaml"
ANSWER_ENTRY = "answer:"  # Finding.entry of a finding read from an answer (followed by the question id)
_SEGMENT = re.compile(r"[^,;.!?\n]+")
_JOINER = re.compile(r"\s+(?:and|but|et|mais|then|puis)\s+")
_FILLER = re.compile(r"^(?:(?:um+|uh+|erm|well|so|ok|okay|hmm+|euh+|ben|bah|alors|bon|eh bien|hm+)\s+)+")
_LEAD_ORDINAL = re.compile(
    r"^(?:(?:for|to|pour|a|au|à)\s+)?(?:the\s+|la\s+|le\s+)?([a-z0-9]+)(?:\s+one)?\s*[:\-]?\s+(?=\S)"
)
_TARGET = re.compile(r"(?:to|for|pour|a|au|aux)\s+(?:the\s+|la\s+|le\s+|les\s+)?([a-z0-9]+)")
_ONLY = re.compile(r"^(?:only|just|que|seulement|juste)\s+(.*)$")


def _alternation(terms: Sequence[str]) -> str:
    folded = sorted((fold_term(str(t)) for t in terms), key=len, reverse=True)
    return "|".join(f"(?:{t})" for t in folded)


def _lang_terms(node: Mapping[str, Any]) -> list[str]:
    return [str(t) for lang in ("en", "fr") for t in (node.get(lang) or ())]


@dataclass(frozen=True)
class _Parsed:
    polarity: str | None  # "yes" | "no" | "all"
    ordinals: tuple[int, ...]
    others: bool
    side: str | None
    start: int
    end: int


class AnswerReader:
    """Reads answers to pending questions (stateless; one instance shared by every thread)."""

    def __init__(self, data: Mapping[str, Any], lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._polar = [
            (name, re.compile(rf"^(?:{_alternation(_lang_terms(data[name]))})(?![a-z0-9])"))
            for name in ("all", "yes", "no")
        ]
        self._ordinals = [
            (int(n), re.compile(rf"(?:{_alternation(_lang_terms(node))})"))
            for n, node in (data.get("ordinals") or {}).items()
        ]
        self._others = re.compile(
            rf"(?<![a-z0-9])(?:{_alternation(_lang_terms(data['others']))})(?![a-z0-9])"
        )
        self._sides = [
            (side, re.compile(rf"^(?:{_alternation(_lang_terms(node))})(?![a-z0-9])"))
            for side, node in (data.get("sides") or {}).items()
        ]
        demand = _lang_terms(data.get("demand") or {})
        self._demand = re.compile(rf"(?<![a-z0-9])(?:{_alternation(demand)})(?![a-z0-9])") if demand else None

    @classmethod
    @cache
    def load(cls, path: Path = DATA_FILE) -> AnswerReader:
        return cls(load_yaml(path.read_text(encoding="utf-8")), Lexicon.load())

    # -- parsing -------------------------------------------------------------------------------------------

    def _parse(self, folded: str, start: int, end: int, sided: bool) -> _Parsed | None:
        """One segment as an answer, or None. Forms: "yes", "no", "both", "the first: yes", "1 no", "yes to
        the first", "non pour la deuxième", "only the left", "les deux côtés" (the side forms only when a
        question asked about a side)."""
        raw = folded[start:end]
        body = _FILLER.sub("", raw.strip())
        offset = start + (len(raw) - len(raw.lstrip())) + (len(raw.strip()) - len(body))
        ordinals: list[int] = []
        # an ordinal first: "the first: yes", "1 no", "la 2e oui"
        lead = _LEAD_ORDINAL.match(body)
        rest = body
        if lead is not None:
            n = self._ordinal(lead.group(1))
            if n is not None:
                ordinals.append(n)
                rest = body[lead.end() :]
        polarity: str | None = None
        for name, pattern in self._polar:
            m = pattern.match(rest)
            if m is not None:
                polarity = name
                rest = rest[m.end() :]
                break
        side: str | None = None
        for name, pattern in self._sides:
            m = pattern.match(body) if sided else None
            if m is None and polarity is None:
                m = _ONLY.match(body)
                m = pattern.match(m.group(1)) if m is not None else None
            if m is not None:
                side = name
                break
        if polarity == "all" and side == "both":
            polarity = None  # "both" answers the side question
        if polarity is None and side is None:
            return None
        # "yes to the first and the third", "non pour la deuxième"
        for m in _TARGET.finditer(rest):
            n = self._ordinal(m.group(1))
            if n is not None and n not in ordinals:
                ordinals.append(n)
        others = bool(self._others.search(rest))
        return _Parsed(polarity, tuple(ordinals), others, side, offset, end)

    def _ordinal(self, word: str) -> int | None:
        for n, pattern in self._ordinals:
            if pattern.fullmatch(word):
                return n
        return None

    def _segments(self, folded: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for m in _SEGMENT.finditer(folded):
            pos = m.start()
            for j in _JOINER.finditer(m.group()):
                spans.append((pos, m.start() + j.start()))
                pos = m.start() + j.end()
            spans.append((pos, m.end()))
        return [(a, b) for a, b in spans if folded[a:b].strip()]

    # -- reading -------------------------------------------------------------------------------------------

    def read(
        self,
        folded: str,
        clauses: tuple[Clause, ...],
        subjects: Sequence[Subject],
        findings: Sequence[Finding],
        context: ConversationContext,
    ) -> tuple[list[Finding], list[Subject]]:
        """Findings the answer asserts, and any subject to add (the person asked about, when this message
        does not name them)."""
        last = context.last
        pending = tuple(last.pending) if last is not None else ()
        if not pending:
            return [], []
        if self._demand is not None and self._demand.search(folded):
            return [], []  # the writer asks for a yes or a no: the message answers nothing
        sided = any(q.laterality is not None for q in pending)
        parsed: list[_Parsed] = []
        for start, end in self._segments(folded):
            p = self._parse(folded, start, end, sided)
            if p is None:
                break
            parsed.append(p)
        if not parsed:
            return [], []
        # "yes, my neck is really stiff": the words name what the yes is about; it answers that question
        # only (a bare yes with several questions answers them all)
        named = {i for i, q in enumerate(pending) if any(f.concept == q.concept for f in findings)}
        decided: dict[int, _Parsed] = {}
        positional = len(parsed) == len(pending) > 1 and all(not p.ordinals and not p.others for p in parsed)
        for n, p in enumerate(parsed):
            if positional:
                targets = [n]
            elif p.ordinals:
                targets = [o - 1 if o <= len(pending) else len(pending) - 1 for o in p.ordinals]
            elif named and p.polarity in ("yes", "all"):
                targets = []
            else:
                targets = [i for i in range(len(pending)) if i not in decided]
            for i in targets:
                if 0 <= i < len(pending):
                    decided.setdefault(i, p)
        extra: list[Subject] = []
        out: list[Finding] = []
        all_subjects = list(subjects)
        for i, p in sorted(decided.items()):
            q = pending[i]
            if any(f.concept == q.concept for f in findings):
                continue  # said in the patient's own words: the lexicon's reading stands
            who = _subject_for(q, all_subjects)
            if who is None:
                who = len(all_subjects)
                added = Subject(
                    index=who,
                    relation=q.relation,
                    is_record_patient=False,
                    age_years=q.age_years,
                    sex=q.sex,
                    evidence="(answer)",
                )
                all_subjects.append(added)
                extra.append(added)
            finding = self._finding(q, p, who, folded, clauses)
            if finding is not None:
                out.append(finding)
        return out, extra

    def _finding(
        self, q: PendingQuestion, p: _Parsed, who: int, folded: str, clauses: tuple[Clause, ...]
    ) -> Finding | None:
        concept = self.lexicon.concepts.get(q.concept)
        if concept is None:
            return None
        negated = p.polarity == "no"
        side = q.laterality
        if p.side is not None:
            negated = False if p.polarity != "no" else negated
            side = p.side
        elif p.polarity is None:
            return None
        return Finding(
            concept=concept.id,
            code=concept.code,
            kind=concept.kind,
            groups=concept.groups,
            text=folded[p.start : p.end].strip(),
            start=p.start,
            end=p.end,
            clause=clause_at(clauses, p.start) if clauses else 0,
            subject=who,
            assertion=Assertion(negated=negated),
            severity=q.severity,
            onset=q.onset,
            sites=q.sites,
            laterality=side,
            entry=ANSWER_ENTRY + q.id,
        )


def _subject_for(q: PendingQuestion, subjects: Sequence[Subject]) -> int | None:
    if q.relation is Relation.SELF:
        return 0
    for s in subjects:
        if s.relation == q.relation and (s.sex is None or q.sex is None or s.sex == q.sex):
            return s.index
    return None
