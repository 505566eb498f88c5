"""Risk signals: what in a message the guard must act on, whatever else the message asks.

Self-harm however indirectly said, a request that could hurt the writer or someone else, someone else's
data, an attempt to change the assistant's instructions (in clear or encoded), a question that is not about
health, insisting after a refusal, a dose change, a prescription, a demand for a certain diagnosis, asking
for a lower urgency, understatement, fiction. The signal table (``data/signals.yaml``) holds each way of
saying these as an entry with an id, its kind and detail, a strength, the public guidance it follows,
patterns in English and French over the folded text, and examples and near misses that the tests run.
Entries may also need structured conditions over what the stage already read (the ``Draft``):

- ``owner: other`` — the data asked about belongs to someone who is not the record's patient. The owner is
  the ``owner`` group of the pattern: a name (marked by ``names.py``), a relation ("my wife", "mon
  voisin"), or a pronoun, resolved with the subjects the stage read; "my daughter" on a child's record is
  the patient, on an adult's record someone else;
- ``writer: proxy`` — the person typing is not the record's patient (a parent on a child's record, or a
  writer who says so: "I'm her son, I manage her account");
- ``context: refusal`` — insisting now would keep a refusal (``ConversationContext.kept_refusal``: the last
  reply's, shown or held back under an emergency answer, or the one a run of insisting turns kept);
- ``owner_without_findings`` — asking what is wrong with someone is a request for their data only when the
  message gives no symptom of theirs to assess;
- ``outside_quotes`` / ``inside_quotes`` — instructions inside quoted text (a pasted letter) are data, not
  the writer's words: flagged by their own entry, never obeyed, and not refused as the writer's request.

Disguised text is decoded (``decoders.py``) and read again with the same table; entries with ``decoded``
fire when a message held text disguised that way. A hit just after a negation ("I'm not suicidal", "je ne
veux pas arrêter") does not count; entries marked ``boost`` only strengthen a signal another entry raised.
Several entries of one kind make a stronger signal (``combine_step`` per extra entry).

The reader only reports; the guard decides (``assistant/guardrails/input_guard.py``).
"""

from __future__ import annotations

import re
import re._constants as _sre  # type: ignore[import-not-found]  # stdlib; typeshed has no stub
import re._parser as _sre_parse  # type: ignore[import-not-found]  # stdlib; typeshed has no stub
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from assistant.guardrails.lexicon import medicines
from assistant.schemas import Language
from assistant.understanding.clauses import clause_at, split_sentences
from assistant.understanding.decoders import decode_all
from assistant.understanding.model import (
    ConceptKind,
    ConversationContext,
    NormalisedText,
    Signal,
    SignalKind,
)
from assistant.understanding.names import NAME_MARK, NameFinder
from assistant.understanding.stage import Draft
from assistant.understanding.subjects import CHILD_RECORD_AGE, PatientFacts, elder_may_be_the_patient
from assistant.understanding.text import SpellingTable, clean, fold, fold_term
from fhir_client.yaml_data import load_yaml

__all__ = ["DATA_FILE", "SignalEntry", "SignalTable", "expand_fragments", "fragments_of"]

DATA_FILE = Path(__file__).parent / "data" / "signals.yaml"
LANGS: tuple[Language, Language] = ("en", "fr")
_FRAGMENT = re.compile(r"<<([a-z_0-9]+)>>")
_CONDITIONS = frozenset(
    {"owner", "writer", "context", "owner_without_findings", "outside_quotes", "inside_quotes"}
)
_QUOTES = re.compile(r"«([^»]{12,})»|\"([^\"]{12,})\"|“([^”]{12,})”")


# A negation followed by one item and "or"/"nor"/"ni" right before the hit: the hit is the next item
_NEGATED_ALTERNATIVE = re.compile(
    r"\b(?:not|dont|didnt|doesnt|never|wasnt|isnt|hasnt|havent|without|pas|jamais|sans)\b(?: \w+){1,5} (?:or|nor|ni|ou)\s*$"
)
# A negation that reaches a hit through "thoughts of" / "idées de", further back than three words
_NEGATED_THOUGHT = re.compile(
    r"\b(?:no|not|never|dont|without|nor|pas|aucune?|sans|jamais)\b(?: \w+){0,3} "
    r"(?:thoughts?|ideas?|urges?|plans?|intentions?|pensees?|idees?|envie|intention)(?: (?:of|to|about|de|d))? *$"
)
# French elisions after folding ("pas d idees de"): not counted among the words before a hit
_ELISIONS = frozenset({"d", "l", "j", "n", "s", "m", "t", "c", "qu"})


@dataclass(frozen=True)
class SignalEntry:
    """One row of the signal table (see module docstring for the fields' meaning)."""

    id: str
    kind: SignalKind
    strength: float
    guidance: str
    patterns: tuple[re.Pattern[str], ...]
    detail: str | None = None
    also: tuple[re.Pattern[str], ...] = ()
    unless: tuple[re.Pattern[str], ...] = ()
    scope: Literal["sentence", "message"] = "sentence"
    negatable: bool = True
    boost: bool = False
    raw: bool = False  # read the lower-cased clean text (brackets, tags) instead of the folded one
    when: Mapping[str, Any] = field(default_factory=dict)
    decoded: tuple[str, ...] = ()
    examples: Mapping[Language, tuple[str, ...]] = field(default_factory=dict)
    near_misses: Mapping[Language, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class _View:
    """One reading of the message: the message itself, or text decoded from it."""

    source: str  # "message" or a decoder's method
    text: str  # folded, other people's names marked
    raw: str  # lower-cased clean text
    plain: str  # folded, as the stage read it
    sentences: tuple[tuple[int, int], ...]
    quotes: tuple[tuple[int, int], ...] = ()
    raw_quotes: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class _Hit:
    entry: SignalEntry
    source: str
    start: int


class SignalTable:
    """The signal table, compiled, and the reader over it (implements the stage's ``SignalReader``)."""

    def __init__(
        self,
        entries: Sequence[SignalEntry],
        *,
        details: Mapping[SignalKind, Sequence[str]],
        negators: tuple[re.Pattern[str], ...],
        relations: re.Pattern[str],
        child_relations: re.Pattern[str],
        pronouns: re.Pattern[str],
        proxy_writer: tuple[re.Pattern[str], ...],
        combine_step: float,
        names: NameFinder,
        spelling: SpellingTable,
    ) -> None:
        ids = [e.id for e in entries]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"signal table: duplicate entry ids {duplicates}")
        self.entries = tuple(entries)
        self.details = details
        self.negators = negators
        self.relations = relations
        self.child_relations = child_relations
        self.pronouns = pronouns
        self.proxy_writer = proxy_writer
        self.combine_step = combine_step
        self.names = names
        self.spelling = spelling
        # Each pattern with the literals one of which any match contains (empty: none known); testing
        # them is a few substring searches in C, far cheaper than running the pattern.
        self.gated: dict[str, tuple[tuple[re.Pattern[str], tuple[str, ...], bool], ...]] = {
            e.id: tuple((p, tuple(sorted(needles(p) or ())), NAME_MARK in p.pattern) for p in e.patterns)
            for e in entries
        }

    @classmethod
    @cache
    def load(cls, path: Path = DATA_FILE) -> SignalTable:
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"cannot read the signal table {path}: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise ValueError(f"{path}: needs an 'entries' list")
        fragments = fragments_of(data)

        def compile_all(items: Iterable[Any], where: str) -> tuple[re.Pattern[str], ...]:
            return tuple(_compile(_expand(str(p), fragments, where), where) for p in items)

        details = {SignalKind(k): tuple(v) for k, v in (data.get("details") or {}).items()}
        words = data.get("words") or {}
        entries = [_entry(raw, i, path, compile_all) for i, raw in enumerate(data["entries"])]
        return cls(
            entries,
            details=details,
            negators=compile_all(words.get("negators") or (), f"{path} words.negators"),
            relations=compile_all([_expand("<<relation>>", fragments, "relations")], "relations")[0],
            child_relations=compile_all([_expand("<<child_relation>>", fragments, "child")], "child")[0],
            pronouns=compile_all([_expand("<<pronoun>>", fragments, "pronouns")], "pronouns")[0],
            proxy_writer=compile_all(words.get("proxy_writer") or (), f"{path} words.proxy_writer"),
            combine_step=float(data.get("combine_step", 0.15)),
            names=NameFinder.load(),
            spelling=SpellingTable.load(),
        )

    # --- reading ------------------------------------------------------------------------------------------

    def read(self, draft: Draft, context: ConversationContext) -> tuple[Signal, ...]:
        """The message's signals, strongest first (the ``SignalReader`` protocol of the stage)."""
        typed = draft.text.clean
        marked = self.names.mark(draft.text.folded, self.names.find(typed, draft.patient))
        raw = _raw(typed)
        view = _View(
            "message",
            marked,
            raw,
            draft.text.folded,
            draft.sentences,
            _quote_spans(typed, marked, lambda t: fold(t, self.spelling)),
            _quote_spans(typed, raw, _raw),
        )
        hits = self._hits(view, draft, context)
        for decoded in decode_all(typed):
            folded = fold(decoded.text, self.spelling)
            text = self.names.mark(folded, self.names.find(decoded.text, draft.patient))
            inner = _View(decoded.method, text, _raw(decoded.text), folded, tuple(split_sentences(text)))
            found = self._hits(inner, draft, context)
            hits.extend(found)
            for entry in self.entries:
                if decoded.method in entry.decoded:
                    hits.append(_Hit(entry, decoded.method, 0))
            if found:  # disguised text that says something the guard acts on
                hits.extend(_Hit(e, decoded.method, 0) for e in self.entries if "any" in e.decoded)
        return self._combine(hits, draft, context)

    def scan(self, text: str, kinds: Iterable[SignalKind]) -> tuple[str, ...]:
        """Ids of the entries of ``kinds`` that fire on free ``text`` (record notes, a pasted document):
        the same table read without a patient or a conversation."""
        wanted = set(kinds)
        folded = fold(text, self.spelling)
        view = _View("message", folded, _raw(text), folded, tuple(split_sentences(folded)))
        draft = Draft(
            language="en",
            text=NormalisedText(original=text, clean=clean(text), folded=folded),
            clauses=(),
            sentences=view.sentences,
            subjects=(),
            findings=(),
            vitals=(),
            patient=PatientFacts(),
            today=None,
        )
        hits = self._hits(view, draft, ConversationContext(), kinds=wanted)
        return tuple(dict.fromkeys(h.entry.id for h in hits))

    def _hits(
        self,
        view: _View,
        draft: Draft,
        context: ConversationContext,
        kinds: set[SignalKind] | None = None,
    ) -> list[_Hit]:
        hits: list[_Hit] = []
        proxy = None
        for entry in self.entries:
            if kinds is not None and entry.kind not in kinds:
                continue
            if entry.decoded and not entry.patterns:
                continue
            if not self._context_holds(entry, context):
                continue
            if entry.when.get("writer") == "proxy":
                if proxy is None:
                    proxy = self._writer_is_proxy(view, draft)
                if not proxy:
                    continue
            if not entry.patterns:
                if not any(u.search(view.text) for u in entry.unless):
                    hits.append(_Hit(entry, view.source, 0))
                continue
            for hit_start in self._matches(entry, view, draft):
                hits.append(_Hit(entry, view.source, hit_start))
                break
        return hits

    def _matches(self, entry: SignalEntry, view: _View, draft: Draft) -> Iterable[int]:
        for pattern, required, about_people in self.gated[entry.id]:
            # Names are marked only for the patterns that talk about a person: elsewhere a capitalised
            # word the name finder took for a name ("Wellbutrin") is read as typed.
            text = view.raw if entry.raw else view.text if about_people else view.plain
            if required and not any(map(text.__contains__, required)):
                continue
            for m in _candidate_matches(pattern, text):
                if entry.scope == "message" or entry.raw:
                    span = (0, len(text))
                else:  # the sentences the match runs over ("amlodipine? … not saying I want to stop it")
                    first, last = _sentence(view, m.start()), _sentence(view, max(m.start(), m.end() - 1))
                    span = (first[0], max(first[1], last[1]))
                window = text[span[0] : span[1]]
                if entry.also and not any(a.search(window) for a in entry.also):
                    continue
                if any(u.search(window) for u in entry.unless):
                    continue
                if entry.negatable and self._negated(text, m.start(), span[0]):
                    continue
                quotes = view.raw_quotes if entry.raw else view.quotes
                quoted = any(a <= m.start() < b for a, b in quotes)
                if (entry.when.get("outside_quotes") and quoted) or (
                    entry.when.get("inside_quotes") and not quoted
                ):
                    continue
                if entry.when.get("owner") == "other":
                    group = next((g for g in m.re.groupindex if g.startswith("owner") and m.group(g)), None)
                    if group is None or not self._owner_is_other(m.group(group), m.start(group), view, draft):
                        continue
                    where = entry.when.get("owner_without_findings")
                    around = None if where == "message" else _sentence(view, m.start())
                    if where and _others_have_findings(draft, around, view):
                        continue
                yield m.start()

    def _negated(self, text: str, start: int, floor: int) -> bool:
        window = text[max(floor, start - 60) : start]
        # "I'm not having any thoughts of hurting myself": the negation reaches through "thoughts of",
        # more than three words back
        if _NEGATED_THOUGHT.search(re.split(r"[.!?;]", window)[-1]):
            return True
        # "he didn't hit his head or hurt himself": a negation reaches every item of an "or" list it opens
        # (the list ends at a comma: "I don't drink or smoke, but I cut myself" is not negated)
        if _NEGATED_ALTERNATIVE.search(re.split(r"[.!?;,]", window)[-1]):
            return True
        before = text[max(floor, start - 30) : start]
        # a negation does not reach over the end of a sentence or a comma: "no fever. my neighbour gave me…"
        before = re.split(r"[.!?;,]", before)[-1]
        # French elisions ("pas d'idées de me faire du mal") are one-letter words after folding: they do
        # not count towards the three words, or every French negation would fall one word short.
        words = [w for w in before.split() if w not in _ELISIONS][-3:]
        tail = " ".join(words)
        return any(n.search(tail) for n in self.negators)

    @staticmethod
    def _context_holds(entry: SignalEntry, context: ConversationContext) -> bool:
        wanted = entry.when.get("context")
        if wanted is None:
            return True
        refused = context.kept_refusal is not None
        return refused if wanted == "refusal" else not refused

    def _writer_is_proxy(self, view: _View, draft: Draft) -> bool:
        """The person typing is not the record's patient: a parent on a child's record, or a writer who
        says they act for the patient ("I'm her son, I manage her account", "j'utilise son compte")."""
        if draft.subjects and not draft.subjects[0].is_record_patient:
            return True
        return any(p.search(view.text) for p in self.proxy_writer)

    def _typed_for_patient(self, text: str) -> bool:
        """The writer says they type for the record's patient and names nobody else."""
        return NAME_MARK not in text and any(p.search(text) for p in self.proxy_writer)

    def _owner_is_other(self, owner: str, pos: int, view: _View, draft: Draft) -> bool:
        """Whether the person who owns the data asked about is someone other than the record's patient."""
        if NAME_MARK in owner:
            return True
        if _IMPERSONAL.match(view.text, pos):
            # "est-ce qu'il y a des allergies notées pour ma fille ?": the "il" of "il y a" is no one
            return False
        child_record = _child_record(draft)
        pronoun = self.pronouns.fullmatch(owner.strip()) is not None
        if pronoun and self._typed_for_patient(view.text):
            # "c'est ma femme qui tape pour moi … son dossier": the one typing acts for the patient, so
            # "his / her record" is the open record
            return False
        if pronoun:
            # "la nounou de mon fils, Mme Benali, est à jour de son vaccin": a pronoun refers to the person
            # mentioned last; a name mentioned after any relation word is that person.
            last_name = _last_person_name(view.text, pos)
            last_relation = max((m.start() for m in self.relations.finditer(view.text, 0, pos)), default=-1)
            if last_name > last_relation:
                return True
        if view.source == "message" and draft.subject_marks:
            index = _subject_at(draft.subject_marks, pos)
            if index != 0 and index < len(draft.subjects):
                subject = draft.subjects[index]
                if subject.is_record_patient or elder_may_be_the_patient(subject, draft.patient):
                    # "Mum had a fall… when was her last scan?" on the record of a woman of 90: her record
                    return False
                if not self.pronouns.fullmatch(subject.evidence.strip()):
                    return True
        if self.relations.search(owner):
            if self.child_relations.search(owner):
                return not child_record
            return True
        if self.pronouns.search(owner):
            # "his results", "ses traitements": someone named or related in the message ("can you check
            # his vaccines? Jake Moreno, he's registered here too" names him after the question). When the
            # writer says they type for the patient ("I'm her daughter"), "her" is the record's patient.
            text = view.text
            if self._typed_for_patient(text):
                return False
            if NAME_MARK in text:
                return True
            related = [m.group(0) for m in self.relations.finditer(text)]
            if child_record:
                related = [r for r in related if not self.child_relations.search(r)]
            return bool(related)
        return False

    def _combine(
        self, hits: Sequence[_Hit], draft: Draft, context: ConversationContext
    ) -> tuple[Signal, ...]:
        by_kind: dict[SignalKind, list[_Hit]] = {}
        for hit in hits:
            by_kind.setdefault(hit.entry.kind, []).append(hit)
        signals: list[Signal] = []
        for kind, group in by_kind.items():
            main = [h for h in group if not h.entry.boost]
            if not main:
                continue
            ids = list(dict.fromkeys(_evidence(h) for h in group))
            entry_ids = {h.entry.id for h in group}
            strength = max(h.entry.strength for h in main) + self.combine_step * (len(entry_ids) - 1)
            first = min((h for h in main if h.source == "message"), key=lambda h: h.start, default=None)
            signals.append(
                Signal(
                    kind=kind,
                    strength=round(min(1.0, strength), 3),
                    clause=clause_at(draft.clauses, first.start) if first and draft.clauses else None,
                    evidence=tuple(ids),
                    detail=self._detail(kind, group, context),
                )
            )
        signals.sort(key=lambda s: -s.strength)
        return tuple(signals)

    def _detail(self, kind: SignalKind, group: Sequence[_Hit], context: ConversationContext) -> str | None:
        if kind is SignalKind.PUSH_BACK:
            # Push-back keeps the previous refusal: the detail names it for the guard.
            kept = context.kept_refusal
            return kept.value if kept is not None else None
        found = [h.entry.detail for h in group if h.entry.detail]
        order = self.details.get(kind, ())
        for detail in order:
            if detail in found:
                return detail
        return found[0] if found else None


# --- loading ---------------------------------------------------------------------------------------------


def fragments_of(data: Mapping[str, Any]) -> dict[str, str]:
    """The named fragments of a loaded signal table: its own (health-data words, relations, medicine
    classes…), the shared medicine names and a marked name. The scope reader expands the same ones, so
    both readers know the same health words."""
    fragments = {str(k): str(v) for k, v in (data.get("fragments") or {}).items()}
    fragments["med"] = _medicine_names()
    fragments["person"] = f"{NAME_MARK}+(?: {NAME_MARK}+)*"
    return fragments


def expand_fragments(pattern: str, fragments: Mapping[str, str], where: str) -> str:
    """``pattern`` with every ``<<name>>`` replaced by its fragment (an unknown name stops loading)."""
    return _expand(pattern, fragments, where)


@cache
def _medicine_names() -> str:
    """The shared medicine names (``guardrails/data/medications.yaml``) as one prefix tree: matching a
    hundred names at every word start is the costliest thing the table does, and a tree tries one branch
    per letter instead of every name."""
    names = {fold_term(n).replace("-", " ").strip() for n in medicines().names}
    return f"(?:{_trie({n for n in names if len(n) > 2})}|{_INN_STEMS})"


# Medicines the name list does not hold, known by their international non-proprietary name's stem (WHO,
# "The use of stems in the selection of INNs"): labetalol, ramipril, atorvastatine, apixaban… At least
# three letters come before the stem, so "april" or "cholesterol" are not medicines.
_INN_STEMS = (
    r"[a-z]{3,}(?:olol|alol|pril|sartan|statine?|dipine|formine?|prazole|oxetine|azepam|azolam|afil|gliptine?"
    r"|gliflozine?|tidine|triptan|olone|asone|isone|cilline?|mycine?|cycline|floxacine?|azole|mab|tinib"
    r"|parine?|xaban|gatran|semide|thiazide|zepine|peridol|zapine|tiapine|lukast|dronate|setron|profene?"
    r"|coxib|codone|buterol|moterol|navir|ciclovir|tegravir|sonide)\b"
)


def _trie(words: set[str]) -> str:
    """A regular expression matching exactly ``words``, longest first, factored by common prefixes."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return "(?:" + emit(tree) + ")"


def _expand(pattern: str, fragments: Mapping[str, str], where: str) -> str:
    for _ in range(6):
        expanded = _FRAGMENT.sub(lambda m: _fragment(m.group(1), fragments, where), pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ValueError(f"{where}: fragments nest too deep in {pattern!r}")


def _fragment(name: str, fragments: Mapping[str, str], where: str) -> str:
    if name not in fragments:
        raise ValueError(f"{where}: unknown fragment <<{name}>>")
    return f"(?:{fragments[name]})"


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{where}: invalid regular expression ({exc}): {pattern!r}") from exc


# --- a literal prefilter -----------------------------------------------------------------------------------
# Hundreds of patterns that start at any word would each scan every message in full. Most patterns hold a
# literal that any match must contain ("how many", "killing myself", one of "je veux|je voudrais"): when
# none of those strings is in the message, the pattern cannot match and is not run. The strings are read
# from the compiled pattern itself, so the prefilter can never disagree with it.

_MAX_NEEDLES = 24
_Needles = frozenset[str]


def needles(pattern: re.Pattern[str]) -> _Needles | None:
    """Strings one of which every match of ``pattern`` contains (None when no useful set is known)."""
    try:
        tree = _sre_parse.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None
    if pattern.flags & re.IGNORECASE:
        return None
    best = _best(_candidates(list(tree)))
    return best if best is not None and min(len(n) for n in best) >= 2 else None


def _fixed(item: tuple[Any, Any]) -> set[str] | None:
    """The exact strings a node matches when it is a literal or an alternation of literals."""
    op, av = item
    if op is _sre.LITERAL:
        return {chr(av)}
    if op is _sre.SUBPATTERN:
        return _fixed_seq(list(av[3]))
    if op is _sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            strings = _fixed_seq(list(branch))
            if strings is None:
                return None
            out |= strings
            if len(out) > _MAX_NEEDLES:
                return None
        return out
    return None


def _fixed_seq(items: list[tuple[Any, Any]]) -> set[str] | None:
    out = {""}
    for item in items:
        strings = _fixed(item)
        if strings is None:
            return None
        out = {a + b for a in out for b in strings}
        if len(out) > _MAX_NEEDLES:
            return None
    return out


def _candidates(items: list[tuple[Any, Any]]) -> list[_Needles]:
    """Needle sets found in a sequence: runs of literal nodes, and what mandatory sub-nodes require."""
    found: list[_Needles] = []
    run: set[str] = {""}

    def close() -> None:
        nonlocal run
        if run != {""}:
            found.append(frozenset(run))
        run = {""}

    for op, av in items:
        strings = _fixed((op, av))
        if strings is not None:
            grown = {a + b for a in run for b in strings}
            if len(grown) <= _MAX_NEEDLES:
                run = grown
                continue
            close()
            found.append(frozenset(strings))
            continue
        close()
        if op is _sre.SUBPATTERN:
            found.extend(_candidates(list(av[3])))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            found.extend(_candidates(list(av[2])))
        elif op is _sre.BRANCH:
            per_branch = [_best(_candidates(list(b))) for b in av[1]]
            if all(b is not None for b in per_branch):
                union = frozenset().union(*(b for b in per_branch if b is not None))
                if len(union) <= _MAX_NEEDLES:
                    found.append(union)
    close()
    return found


def _best(candidates: list[_Needles]) -> _Needles | None:
    usable = [c for c in candidates if c and "" not in c]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(len(n) for n in c), -len(c)))


def _lang_map(raw: Any, where: str) -> Mapping[Language, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a mapping of en/fr lists")
    return {lang: tuple(str(x) for x in raw.get(lang) or ()) for lang in LANGS}


def _entry(raw: Any, index: int, path: Path, compile_all: Any) -> SignalEntry:
    where = f"{path} entry #{index + 1}"
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("kind"):
        raise ValueError(f"{where}: each entry needs an 'id' and a 'kind'")
    where = f"{path} entry {raw['id']!r}"
    try:
        kind = SignalKind(raw["kind"])
    except ValueError:
        raise ValueError(f"{where}: unknown kind {raw['kind']!r}") from None
    when = dict(raw.get("when") or {})
    unknown = set(when) - _CONDITIONS
    if unknown:
        raise ValueError(f"{where}: unknown conditions {sorted(unknown)}")
    if not raw.get("guidance"):
        raise ValueError(f"{where}: say which public guidance or policy the entry follows ('guidance')")
    patterns = compile_all([*(raw.get("en") or ()), *(raw.get("fr") or ())], where)
    if when.get("owner") == "other" and not all(
        any(g.startswith("owner") for g in p.groupindex) for p in patterns
    ):
        raise ValueError(f"{where}: 'owner: other' needs an (?P<owner>…) group in every pattern")
    strength = float(raw.get("strength", 1.0))
    if not 0.0 < strength <= 1.0:
        raise ValueError(f"{where}: strength must be in (0, 1]")
    return SignalEntry(
        id=str(raw["id"]),
        kind=kind,
        strength=strength,
        guidance=str(raw["guidance"]),
        patterns=patterns,
        detail=raw.get("detail"),
        also=compile_all(raw.get("also") or (), where),
        unless=compile_all(raw.get("unless") or (), where),
        scope="message" if raw.get("scope") == "message" else "sentence",
        negatable=bool(raw.get("negatable", True)),
        boost=bool(raw.get("boost", False)),
        raw=bool(raw.get("raw", False)),
        when=when,
        decoded=tuple(str(d) for d in raw.get("decoded") or ()),
        examples=_lang_map(raw.get("examples"), where),
        near_misses=_lang_map(raw.get("near_misses"), where),
    )


# --- helpers ---------------------------------------------------------------------------------------------


def _raw(text: str) -> str:
    return " ".join(fold_term(text).split())


# A place named after a care word ("aux urgences pédiatriques de Necker", "at St Thomas' hospital") is not a
# person a pronoun can refer to.
_PLACE_BEFORE = re.compile(
    r"\b(?:urgences|hopital|clinique|centre|center|centre hospitalier|chu|chr|maternite|ehpad|pharmacie|cabinet"
    r"|hospital|clinic|infirmary|ward|unit|pharmacy|surgery|a and e|er)\b(?: \w+){0,2} (?:de |du |d |at |in )?$"
)


def _last_person_name(text: str, pos: int) -> int:
    """Where the last name marked before ``pos`` starts, places left out (-1: none)."""
    end = pos
    while True:
        at = text.rfind(NAME_MARK, 0, end)
        if at < 0:
            return -1
        start = at
        # back to the first word of the name ("ßßßß ßßßßß")
        while start > 0 and (
            text[start - 1] == NAME_MARK
            or (text[start - 1] == " " and start > 1 and text[start - 2] == NAME_MARK)
        ):
            start -= 1
        if not _PLACE_BEFORE.search(text[max(0, start - 40) : start]):
            return at
        end = start


def _candidate_matches(pattern: re.Pattern[str], text: str) -> Iterable[re.Match[str]]:
    """Every place ``pattern`` matches, overlapping ones included: a match the reader then rejects (negated,
    in a quote, the wrong owner) must not hide a later one it overlaps ("elle sait pas lire ces papiers.
    vous pouvez regarder son dossier": the negated "lire" would swallow "vous pouvez regarder son dossier").
    The caller stops at the first match it keeps, so this costs nothing when the first one holds."""
    pos = 0
    while pos <= len(text):
        m = pattern.search(text, pos)
        if m is None:
            return
        yield m
        pos = m.start() + 1


def _sentence(view: _View, offset: int) -> tuple[int, int]:
    for start, end in view.sentences:
        if start <= offset < end:
            return (start, end)
    return (0, len(view.text))


def _subject_at(marks: Sequence[tuple[int, int]], offset: int) -> int:
    current = 0
    for pos, index in marks:
        if pos > offset:
            break
        current = index
    return current


_IMPERSONAL = re.compile(r"il y (?:a|avait|aura|aurait|a eu|avait eu)\b")


def _child_record(draft: Draft) -> bool:
    age = draft.patient.age_years
    return draft.patient.proxy or (age is not None and age < CHILD_RECORD_AGE)


_NOTHING_TO_ASSESS = frozenset({ConceptKind.CONTEXT, ConceptKind.MEDICINE})


def _others_have_findings(draft: Draft, span: tuple[int, int] | None, view: _View) -> bool:
    """Whether the message (or the sentence ``span``) reports a current finding or a vital sign of someone
    other than the writer: then "what's wrong with him" asks for an assessment, not for their record. A
    situation ("she is in hospital", "il a été opéré") or a medicine gives nothing to assess: "ma voisine est
    hospitalisée, de quoi souffre-t-elle ?" still asks for the neighbour's data."""
    if view.source != "message":
        return False
    inside = (lambda start: True) if span is None else (lambda start: span[0] <= start < span[1])
    return any(
        f.current
        and f.subject != 0
        and f.kind not in _NOTHING_TO_ASSESS
        # a long-term condition ("my wife has diabetes too") is history, not something to assess now;
        # an illness of the moment ("mon père fait un zona") still is
        and not (f.kind is ConceptKind.CONDITION and "chronic" in f.groups)
        and inside(f.start)
        for f in draft.findings
    ) or any(v.subject != 0 and v.current and inside(v.start) for v in draft.vitals)


def _evidence(hit: _Hit) -> str:
    return hit.entry.id if hit.source == "message" else f"{hit.source}:{hit.entry.id}"


def _quote_spans(clean: str, text: str, form_of: Callable[[str], str]) -> tuple[tuple[int, int], ...]:
    """Where quoted passages (« … », "…") sit in ``text`` (a form of ``clean``): a pasted letter or report
    is data, and instructions inside it are not the writer's."""
    spans: list[tuple[int, int]] = []
    for m in _QUOTES.finditer(clean):
        inner = next(g for g in m.groups() if g)
        form = form_of(inner)
        if len(form.split()) < 4:
            continue
        at = text.find(form[:40])
        if at >= 0:
            spans.append((at, at + len(form)))
    return tuple(spans)
