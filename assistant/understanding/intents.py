"""Ranked intents: what the patient asks for, read clause by clause from the routing table.

The routing table (``data/intents.yaml``) is data: each entry has an id, the intent it stands for (with a
detail: a booking act, a kind of small talk, a health-advice topic), a priority, cues in English and French,
structured conditions over what the stage already read (a current finding of a real person, a medicine, a
record concept, a question, the previous turn), and examples and near misses that the tests run. Nothing in
code lists words: a reviewer reads the table to see why "check-up" in "what did they say at my last
check-up?" is a record question and not a booking, or why "Great, what about my cholesterol?" is not thanks.

Every clause is read on its own, so a mixed message keeps every request ("my chest has been tight since
lunch, prob nothing. anyway when is my appointment?" → booking lookup, and a symptom report). The intents of
a message are ranked by the priority of the entries that matched (best first); the first is the message's
main intent, the one ``Turn.safety.intent`` reports. Each ``Intent`` names its clause and the entry ids that
produced it (``evidence``), for the audit and for ``health-assistant understand``.

An optional learned signal (``nearest``: the routing table's own examples embedded with the project's
embedding model) may add an intent where no entry matched; it never removes or outranks one, and its
evidence says it came from the model (``learned:<entry id>``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assistant.guardrails.lexicon import medicines
from assistant.schemas import Language
from assistant.understanding.cues import CueError, alternation, compile_cues
from assistant.understanding.model import (
    ConceptKind,
    ConversationContext,
    Finding,
    Intent,
    IntentKind,
    SmallTalkKind,
)
from assistant.understanding.prefilter import Grams, Prefilter
from assistant.understanding.stage import Draft
from assistant.understanding.text import fold_term
from fhir_client.yaml_data import load_yaml
from retrieval import ConceptMap

__all__ = [
    "DATA_FILE",
    "NEEDS",
    "IntentReader",
    "LearnedIntents",
    "RouteEntry",
    "RoutingTable",
    "TopicNames",
]

DATA_FILE = Path(__file__).parent / "data" / "intents.yaml"
LANGS: tuple[Language, Language] = ("en", "fr")
PREVIOUS = "previous"
TOPIC_DETAIL = "topic"
SHORT_WORDS = 12
NEEDS = frozenset(
    {
        "question",
        "own",
        "target",
        "target_in_message",
        "target_in_sentence",
        "own_in_message",
        "own_in_sentence",
        "coming_visit_in_sentence",
        "medicine",
        "medicine_here",
        "finding",
        "finding_in_message",
        "no_finding_in_message",
        "topic",
        "after",
        "after_refusal",
        "after_problem",
        "pending",
        "short",
        "no_fiction",
    }
)
_REPORTED_KINDS = (ConceptKind.SYMPTOM, ConceptKind.SIGN, ConceptKind.EVENT)
_DETAILS: Mapping[IntentKind, frozenset[str]] = {
    IntentKind.BOOKING: frozenset({"book", "reschedule", "cancel", "lookup"}),
    IntentKind.SMALL_TALK: frozenset(k.value for k in SmallTalkKind),
}


@dataclass(frozen=True)
class RouteEntry:
    """One row of the routing table (see the module docstring and the file's header)."""

    id: str
    intent: IntentKind | None  # None: the previous turn's main intent (follow-ups)
    priority: int
    why: str
    pattern: re.Pattern[str] | None
    detail: str | None = None
    unless: re.Pattern[str] | None = None
    needs: frozenset[str] = frozenset()
    context: IntentKind | None = None  # the previous turn's intent for the examples and near misses
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    near_misses: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class TopicNames:
    """A health-advice topic and the words that name it (the advice text lives with the composer)."""

    id: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class RoutingTable:
    """The routing table, compiled: entries (in file order), topics, and the feature patterns."""

    entries: tuple[RouteEntry, ...]
    topics: tuple[TopicNames, ...]
    ask: re.Pattern[str]
    own: re.Pattern[str]
    target: re.Pattern[str]
    medicine: re.Pattern[str]
    fiction: re.Pattern[str]
    source: Path
    # a visit or test still to come, named with its time ("my kidney appointment next week", "l'écho jeudi")
    coming_visit: re.Pattern[str] = re.compile(r"(?!)")
    filters: tuple[Prefilter, ...] = ()  # one per entry: may its cues match a text at all?

    def __post_init__(self) -> None:
        if not self.filters:
            filters = tuple(
                Prefilter(None) if e.pattern is None else Prefilter.of(e.pattern) for e in self.entries
            )
            object.__setattr__(self, "filters", filters)

    @classmethod
    def load(cls, path: Path = DATA_FILE, concepts: ConceptMap | None = None) -> RoutingTable:
        """Read and compile the table; ``concepts`` gives the record's lay names (default: the packaged map)."""
        if concepts is None and path == DATA_FILE:
            return _default_table()
        return _load(path, concepts or ConceptMap.load())

    def entry(self, entry_id: str) -> RouteEntry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise KeyError(f"no routing-table entry {entry_id!r}")

    def topic_in(self, text: str) -> str | None:
        """The first topic (table order) named in ``text`` (folded), if any."""
        for topic in self.topics:
            if topic.pattern.search(text):
                return topic.id
        return None


@cache
def _default_table() -> RoutingTable:
    return _load(DATA_FILE, ConceptMap.load())


def _lay_names(concepts: ConceptMap) -> list[str]:
    words: list[str] = []
    for concept in concepts.concepts:
        words.extend(fold_term(w) for w in (*concept.words, concept.en, concept.fr))
    return [w.strip() for w in words if len(w.strip()) >= 2]


def _by_lang(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CueError(f"{where}: expected a mapping of en/fr lists")
    return {lang: tuple(str(x) for x in raw.get(lang) or ()) for lang in LANGS}


def _load(path: Path, concepts: ConceptMap) -> RoutingTable:
    name = path.name
    try:
        raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CueError(f"cannot read routing table {path}: {exc}") from exc
    fragments = {
        str(k): " ".join(str(v).split()).replace("| ", "|") for k, v in (raw.get("fragments") or {}).items()
    }
    topic_rows = raw.get("topics") or []
    fragments["target"] = alternation(_lay_names(concepts))
    fragments["medicine_name"] = alternation(n for n in medicines().by_name if len(n) >= 3)
    fragments["topic"] = "|".join(
        f"(?:{'|'.join(str(t) for lang in LANGS for t in row.get(lang) or ())})" for row in topic_rows
    )
    topics = []
    for row in topic_rows:
        pattern = compile_cues(
            [*row.get("en", []), *row.get("fr", [])], fragments, f"{name}: topic {row['id']}"
        )
        if pattern is None:
            raise CueError(f"{name}: topic {row['id']!r} has no words")
        topics.append(TopicNames(str(row["id"]), pattern))

    def feature(cues: Sequence[str], what: str) -> re.Pattern[str]:
        pattern = compile_cues(cues, fragments, f"{name}: {what}")
        assert pattern is not None
        return pattern

    entries: list[RouteEntry] = []
    seen: set[str] = set()
    for row in raw.get("entries") or []:
        entries.append(_entry(row, fragments, name, seen, {t.id for t in topics}))
    return RoutingTable(
        entries=tuple(entries),
        topics=tuple(topics),
        ask=feature(["<<ask>>", "<<aux_first>>"], "ask"),
        own=feature(["<<own>>"], "own"),
        target=feature(["<<target>>", "<<record_noun>>"], "target"),
        medicine=feature(["<<medicine>>"], "medicine"),
        fiction=feature(["<<fiction>>"], "fiction"),
        source=path,
        coming_visit=feature(["<<coming_visit>>"], "coming_visit"),
    )


def _entry(
    row: Mapping[str, Any], fragments: Mapping[str, str], name: str, seen: set[str], topic_ids: set[str]
) -> RouteEntry:
    entry_id = str(row.get("id") or "")
    where = f"{name}: entry {entry_id or '?'}"
    if not entry_id:
        raise CueError(f"{where}: missing id")
    if entry_id in seen:
        raise CueError(f"{where}: duplicate id")
    seen.add(entry_id)
    for key in ("intent", "priority", "why"):
        if key not in row:
            raise CueError(f"{where}: missing {key!r}")
    intent_raw = str(row["intent"])
    try:
        intent = None if intent_raw == PREVIOUS else IntentKind(intent_raw)
    except ValueError as exc:
        raise CueError(f"{where}: unknown intent {intent_raw!r}") from exc
    detail = row.get("detail")
    detail = str(detail) if detail is not None else None
    if detail is not None and intent is not None:
        allowed = _DETAILS.get(intent)
        if intent == IntentKind.HEALTH_ADVICE:
            allowed = frozenset({TOPIC_DETAIL, *topic_ids})
        if allowed is None or detail not in allowed:
            raise CueError(f"{where}: detail {detail!r} is not one of {sorted(allowed or ())}")
    needs = frozenset(str(n) for n in row.get("needs") or ())
    unknown = needs - NEEDS
    if unknown:
        raise CueError(f"{where}: unknown condition(s) {sorted(unknown)}; known: {sorted(NEEDS)}")
    cues = [*(row.get("en") or []), *(row.get("fr") or [])]
    pattern = compile_cues(cues, fragments, where)
    if pattern is None and not needs:
        raise CueError(f"{where}: an entry needs cues or conditions")
    context_raw = row.get("context")
    priority = int(row["priority"])
    if not 0 <= priority <= 100:
        raise CueError(f"{where}: priority must be 0..100")
    return RouteEntry(
        id=entry_id,
        intent=intent,
        priority=priority,
        why=str(row["why"]),
        pattern=pattern,
        detail=detail,
        unless=compile_cues(row.get("unless") or [], fragments, f"{where} (unless)"),
        needs=needs,
        context=IntentKind(str(context_raw)) if context_raw else None,
        examples=_by_lang(row.get("examples"), f"{where} (examples)"),
        near_misses=_by_lang(row.get("near_misses"), f"{where} (near_misses)"),
    )


# --- reading ----------------------------------------------------------------------------------------


@dataclass
class _Message:
    """What every clause of one message shares (computed once per message)."""

    draft: Draft
    context: ConversationContext
    question_sentence: list[bool]
    fiction_sentence: list[bool]
    real_findings: list[Finding]
    real_vitals: bool
    words: int
    asking_words: int  # Draft.asking_words: a short question followed by a remark is still short
    names: frozenset[str]
    previous: IntentKind | None
    previous_about_medicine: bool
    medicine_named: bool
    topic: str | None


@dataclass(frozen=True)
class _Candidate:
    kind: IntentKind
    detail: str | None
    priority: int
    clause: int
    entry: str


LearnedIntents = Callable[[Draft, ConversationContext], Sequence[Intent]]


class IntentReader:
    """Reads ranked intents from a ``Draft`` with the routing table (the stage's ``IntentReader``)."""

    def __init__(self, table: RoutingTable, learned: LearnedIntents | None = None) -> None:
        self.table = table
        self.learned = learned

    @classmethod
    def load(cls, path: Path = DATA_FILE, *, learned: LearnedIntents | None = None) -> IntentReader:
        return cls(RoutingTable.load(path), learned)

    def read(self, draft: Draft, context: ConversationContext) -> tuple[Intent, ...]:
        message = self._message(draft, context)
        grams = Grams.of(draft.text.folded)
        # Entries whose cues cannot occur anywhere in the message are not tried clause by clause.
        entries = [
            e for e, f in zip(self.table.entries, self.table.filters, strict=True) if f.may_match(grams)
        ]
        candidates: list[_Candidate] = []
        for clause in draft.clauses:
            text = clause.text
            cache: dict[str, bool] = {}
            for entry in entries:
                if entry.pattern is not None and entry.pattern.search(text) is None:
                    continue
                if entry.unless is not None and entry.unless.search(text) is not None:
                    continue
                if not all(self._holds(need, clause.index, message, cache) for need in entry.needs):
                    continue
                kind = entry.intent or message.previous
                if kind is None:
                    continue
                detail = entry.detail
                if detail == TOPIC_DETAIL or (detail is None and kind == IntentKind.HEALTH_ADVICE):
                    detail = self.table.topic_in(text) or message.topic
                if entry.intent is None and kind == IntentKind.HEALTH_ADVICE and detail is None:
                    detail = context.last.topic if context.last is not None else None
                candidates.append(_Candidate(kind, detail, entry.priority, clause.index, entry.id))
        intents = _rank(candidates)
        if self.learned is not None and not intents:
            intents = tuple(self.learned(draft, context))
        return intents

    # -- features --

    def _message(self, draft: Draft, context: ConversationContext) -> _Message:
        folded = draft.text.folded
        question = [folded[end:].lstrip()[:1] == "?" for _, end in draft.sentences]
        fiction = [self.table.fiction.search(folded[s:e]) is not None for s, e in draft.sentences]
        real: list[Finding] = []
        for f in draft.findings:
            if not f.current or f.kind not in _REPORTED_KINDS:
                continue
            sentence = _sentence_of(draft, f.start)
            if sentence is not None and fiction[sentence]:
                continue
            real.append(f)
        last = context.last
        previous = last.intents[0] if last is not None and last.intents else None
        about_medicine = last is not None and (
            IntentKind.MEDICINE_QUESTION in last.intents
            or (last.record_query is not None and "medications" in last.record_query.categories)
        )
        names = frozenset(fold_term(n) for n in draft.patient.given_names if len(n) >= 2)
        return _Message(
            draft=draft,
            context=context,
            question_sentence=question,
            fiction_sentence=fiction,
            real_findings=real,
            real_vitals=any(v.current for v in draft.vitals),
            words=draft.words(),
            asking_words=draft.asking_words(),
            names=names,
            previous=previous,
            previous_about_medicine=about_medicine,
            medicine_named=self.table.medicine.search(folded) is not None,
            topic=self.table.topic_in(folded),
        )

    def _holds(self, need: str, clause_index: int, m: _Message, cache: dict[str, bool]) -> bool:
        if need in cache:
            return cache[need]
        clause = m.draft.clauses[clause_index]
        text = clause.text
        value: bool
        if need == "question":
            ends_sentence = clause_index + 1 >= len(m.draft.clauses) or (
                m.draft.clauses[clause_index + 1].sentence != clause.sentence
            )
            asked = clause.sentence < len(m.question_sentence) and m.question_sentence[clause.sentence]
            value = (asked and ends_sentence) or self.table.ask.search(text) is not None
        elif need == "own":
            value = self.table.own.search(text) is not None or any(w in m.names for w in text.split())
        elif need == "target":
            value = self.table.target.search(text) is not None
        elif need in ("target_in_sentence", "own_in_sentence", "coming_visit_in_sentence"):
            start, end = (
                m.draft.sentences[clause.sentence] if clause.sentence < len(m.draft.sentences) else (0, 0)
            )
            sentence = m.draft.text.folded[start:end] or text
            pattern = {
                "target_in_sentence": self.table.target,
                "own_in_sentence": self.table.own,
                "coming_visit_in_sentence": self.table.coming_visit,
            }[need]
            value = pattern.search(sentence) is not None or (
                need == "own_in_sentence" and any(w in m.names for w in sentence.split())
            )
        elif need == "target_in_message":
            value = self.table.target.search(m.draft.text.folded) is not None
        elif need == "own_in_message":
            folded = m.draft.text.folded
            value = self.table.own.search(folded) is not None or any(w in m.names for w in folded.split())
        elif need == "medicine":
            value = m.medicine_named or (m.previous_about_medicine and m.words <= SHORT_WORDS * 2)
        elif need == "medicine_here":
            value = self.table.medicine.search(text) is not None
        elif need == "finding":
            value = any(f.clause == clause_index for f in m.real_findings) or any(
                v.clause == clause_index and v.current for v in m.draft.vitals
            )
        elif need == "finding_in_message":
            value = bool(m.real_findings) or m.real_vitals
        elif need == "no_finding_in_message":
            value = not (m.real_findings or m.real_vitals)
        elif need == "topic":
            value = self.table.topic_in(text) is not None
        elif need == "after":
            value = m.previous is not None
        elif need == "after_refusal":
            value = m.context.last is not None and m.context.last.refusal is not None
        elif need == "after_problem":
            last = m.context.last
            value = last is not None and (
                last.refusal is not None or m.previous in (IntentKind.SYMPTOM, IntentKind.MEDICINE_QUESTION)
            )
        elif need == "pending":
            value = m.context.last is not None and bool(m.context.last.pending_questions)
        elif need == "short":
            value = m.asking_words <= SHORT_WORDS
        elif need == "no_fiction":
            value = not (clause.sentence < len(m.fiction_sentence) and m.fiction_sentence[clause.sentence])
        else:  # guarded at load time
            raise KeyError(need)
        cache[need] = value
        return value


def _sentence_of(draft: Draft, offset: int) -> int | None:
    for i, (start, end) in enumerate(draft.sentences):
        if start <= offset < end:
            return i
    return None


def _rank(candidates: Sequence[_Candidate]) -> tuple[Intent, ...]:
    """One intent per (kind, detail): its best priority and clause, the ids of every entry behind it."""
    best: dict[tuple[IntentKind, str | None], _Candidate] = {}
    evidence: dict[tuple[IntentKind, str | None], list[str]] = {}
    for c in candidates:
        key = (c.kind, c.detail)
        current = best.get(key)
        if current is None or (c.priority, -c.clause) > (current.priority, -current.clause):
            best[key] = c
        ids = evidence.setdefault(key, [])
        if c.entry not in ids:
            ids.append(c.entry)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1].priority, kv[1].clause))
    return tuple(
        Intent(
            kind=c.kind,
            score=round(c.priority / 100, 2),
            clause=c.clause,
            detail=c.detail,
            evidence=tuple(evidence[key]),
        )
        for key, c in ranked
    )
