"""The understanding stage: the one place a message is read. Every turn goes through ``understand`` first.

    understander = Understander.default()          # once, at start-up (loads and compiles the data)
    u = understander.understand("no fever but my chest is killing me", context=ctx, patient=facts, today=d)

Steps, in order: clean and fold the text, detect the language, split sentences and clauses, read numbers
(vitals, durations, ages), read findings (lexicon + composition + qualifiers + ConText), read who each part
is about, then the readers that depend on all of that: ranked intents, risk signals and the record
question (with follow-ups resolved against ``context``). Those readers are separate objects behind small
protocols so each can be developed, replaced and measured on its own; ``Understander`` only orders them.

An ``Understander`` holds only immutable data and stateless readers: one instance serves every patient and
every thread.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from assistant.schemas import Language, RefusalCategory
from assistant.understanding.answers import AnswerReader
from assistant.understanding.clauses import clause_at, split_clauses, split_sentences
from assistant.understanding.context import ContextReader, fiction_cue, reader
from assistant.understanding.doses import find_paracetamol_amounts
from assistant.understanding.findings import FindingReader, Qualifiers, supposed_at
from assistant.understanding.lexicon import Lexicon
from assistant.understanding.measures import find_durations, find_vitals, read_from_record
from assistant.understanding.model import (
    Clause,
    ConversationContext,
    Finding,
    Intent,
    IntentKind,
    NormalisedText,
    RecordQuery,
    Relation,
    Signal,
    Subject,
    Understanding,
    Vital,
)
from assistant.understanding.subjects import PatientFacts, SubjectReader, SubjectTrack
from assistant.understanding.text import SpellingTable, clean, detect_language, fold

if TYPE_CHECKING:  # scope reads the signal table's words, and the signal table reads the stage's Draft
    from assistant.understanding.scope import ScopeReader

_WORD = re.compile(r"[a-z0-9]+")

__all__ = ["Draft", "IntentReader", "RecordQueryReader", "SignalReader", "Understander"]


@dataclass(frozen=True)
class Draft:
    """What the clinical readers found, handed to the intent, signal and record-question readers."""

    language: Language
    text: NormalisedText
    clauses: tuple[Clause, ...]
    sentences: tuple[tuple[int, int], ...]
    subjects: tuple[Subject, ...]
    findings: tuple[Finding, ...]
    vitals: tuple[Vital, ...]
    patient: PatientFacts
    today: date | None
    subject_marks: tuple[tuple[int, int], ...] = ()  # (offset, subject index): whose story from there on

    def words(self) -> int:
        """How many words the message has."""
        return len(_WORD.findall(self.text.folded))

    def asking_words(self) -> int:
        """How long the message is, for the readers that only take short follow-ups: its word count, or
        the first sentence's when that sentence is a question and the rest a remark ("and the time before?
        trying to see if she's gaining enough"). A remark after the question does not make it a new
        question; a real request in it is read by its own, higher, entries."""
        folded = self.text.folded
        words = self.words()
        if len(self.sentences) > 1:
            _, end = self.sentences[0]
            if folded[end:].lstrip()[:1] == "?":
                return min(words, len(_WORD.findall(folded[:end])))
        return words


class IntentReader(Protocol):
    def read(self, draft: Draft, context: ConversationContext) -> tuple[Intent, ...]: ...


class SignalReader(Protocol):
    def read(self, draft: Draft, context: ConversationContext) -> tuple[Signal, ...]: ...


class RecordQueryReader(Protocol):
    def read(
        self, draft: Draft, intents: Sequence[Intent], context: ConversationContext
    ) -> tuple[RecordQuery | None, bool]:
        """The record question (or None) and whether the message is a follow-up of an earlier turn."""
        ...


class Understander:
    """Reads messages (see module docstring). Build with ``default()`` or inject readers in tests."""

    def __init__(
        self,
        *,
        findings: FindingReader,
        subjects: SubjectReader,
        spelling: SpellingTable,
        intents: IntentReader | None = None,
        signals: SignalReader | None = None,
        record_queries: RecordQueryReader | None = None,
        answers: AnswerReader | None = None,
        scope: ScopeReader | None = None,
    ) -> None:
        self.findings = findings
        self.scope = scope
        self.answers = answers
        self.subjects = subjects
        self.spelling = spelling
        self.intents = intents
        self.signals = signals
        self.record_queries = record_queries

    @classmethod
    def default(
        cls,
        *,
        intents: IntentReader | None = None,
        signals: SignalReader | None = None,
        record_queries: RecordQueryReader | None = None,
    ) -> Understander:
        from assistant.understanding.scope import ScopeReader  # here: an import cycle, see above

        context: dict[Language, ContextReader] = {"en": reader("en"), "fr": reader("fr")}
        return cls(
            findings=FindingReader(Lexicon.load(), Qualifiers.load(), context),
            subjects=SubjectReader.load(),
            spelling=SpellingTable.load(),
            intents=intents,
            signals=signals,
            record_queries=record_queries,
            answers=AnswerReader.load(),
            # the "nothing about health" reader only completes a signal table: without one, no signals
            scope=ScopeReader.load() if signals is not None else None,
        )

    def read_clinical(
        self,
        message: str,
        *,
        language: Language | None = None,
        context: ConversationContext | None = None,
        patient: PatientFacts | None = None,
        today: date | None = None,
    ) -> Draft:
        """Text, clauses, findings, vitals and subjects (what triage needs), without intents."""
        context = context or ConversationContext()
        patient = patient or PatientFacts()
        cleaned = clean(message)
        lang: Language = language or detect_language(cleaned)
        folded = fold(cleaned, self.spelling, lang)
        sentences = tuple(split_sentences(folded))
        clauses = split_clauses(folded)
        durations = find_durations(folded)
        raw_findings = self.findings.read(folded, lang, clauses, sentences, durations)
        raw_vitals = sorted(
            (*find_vitals(folded, lang), *find_paracetamol_amounts(folded)), key=lambda v: v.start
        )
        last = context.last
        follow_subject = last.subject if last is not None and last.subject.value != "self" else None
        track = self.subjects.read(folded, lang, sentences, patient, default_other=follow_subject)
        findings = _fiction_frame(
            _carried_by_the_mother(
                _told_by_an_adult(
                    tuple(f.model_copy(update={"subject": track.subject_at(f.start)}) for f in raw_findings),
                    track,
                ),
                track,
            ),
            folded,
            sentences,
            track.subjects,
        )
        vitals = tuple(
            v.model_copy(
                update={
                    "subject": _measured_on(v, folded, track),
                    "clause": clause_at(clauses, v.start),
                    "from_record": read_from_record(folded, sentences, v.start),
                    "hypothetical": supposed_at(folded, sentences, v.start),
                }
            )
            for v in raw_vitals
        )
        subjects = tuple(track.subjects)
        if self.answers is not None:
            # "yes", "no", "only the left": answers to the questions the last reply asked
            answered, added = self.answers.read(folded, clauses, subjects, findings, context)
            findings = (*findings, *answered)
            subjects = (*subjects, *added)
        return Draft(
            language=lang,
            text=NormalisedText(original=message, clean=cleaned, folded=folded),
            clauses=clauses,
            sentences=sentences,
            subjects=subjects,
            findings=findings,
            vitals=vitals,
            patient=patient,
            today=today,
            subject_marks=tuple(track.marks),
        )

    def understand(
        self,
        message: str,
        *,
        language: Language | None = None,
        context: ConversationContext | None = None,
        patient: PatientFacts | None = None,
        today: date | None = None,
    ) -> Understanding:
        context = context or ConversationContext()
        draft = self.read_clinical(message, language=language, context=context, patient=patient, today=today)
        intents = self.intents.read(draft, context) if self.intents is not None else ()
        signals = self.signals.read(draft, context) if self.signals is not None else ()
        query, followup = (
            self.record_queries.read(draft, intents, context)
            if self.record_queries is not None
            else (None, False)
        )
        if query is not None and not any(i.kind is IntentKind.RECORD_QUESTION for i in intents):
            # the record-question reader found a question about the record that no routing entry named
            intents = (
                Intent(kind=IntentKind.RECORD_QUESTION, score=0.5, evidence=("record-query-unprompted",)),
                *intents,
            )
        if self.scope is not None and not _awaits_answer(context):
            outside = self.scope.read(
                draft.text.folded,
                draft.language,
                has_findings=bool(draft.findings or draft.vitals),
                intents=intents,
                signals=signals,
                record_query=query,
            )
            if outside is not None:
                signals = (*signals, outside)
        return Understanding(
            language=draft.language,
            text=draft.text,
            clauses=draft.clauses,
            subjects=draft.subjects,
            findings=draft.findings,
            vitals=draft.vitals,
            intents=intents,
            signals=signals,
            record_query=query,
            followup=followup,
        )


# "a lady with heart failure, same as me, collapsed": a comparison with the writer does not start their story
_FIRST_PERSON = re.compile(
    r"\b(?:i|im|ive|id|(?<!same as )(?<!like )(?<!just like )me|my|myself|je|j|(?<!comme )moi|mon|ma|mes|m)\b"
)


# Findings only a person who talks can report: voices, strange beliefs, mania, low mood, thoughts of
# harm. A baby cannot tell anyone about them.
_SPOKEN_STATES = frozenset({"psychosis", "mental_health"})
_INFANT_AGE = 1.0
# the words of a heavy bleed after a birth, which only the mother can have
_AFTER_BIRTH_BLEEDING = frozenset({"much_blood", "heavy_bleeding", "vaginal_bleeding"})


def _told_by_an_adult(findings: tuple[Finding, ...], track: SubjectTrack) -> tuple[Finding, ...]:
    """A pronoun after "the baby" that reports voices, strange beliefs or mania is about the grown-up named
    before the baby ("my wife had our baby… she can hear someone telling her…"): a finding of a mental
    state attached to an infant goes to the last person named before it who is neither the writer nor an
    infant. Anything else ("the baby… she's 38.5") stays with the baby."""

    def infant(index: int) -> bool:
        s = track.subjects[index]
        if s.relation is Relation.SELF:
            return False
        age = s.age_years if s.age_years is not None else s.age_at_most
        return age is not None and age <= _INFANT_AGE

    # a birth told about an adult ("my wife had our baby 10 days ago"): heavy bleeding with clots or soaked
    # pads that a pronoun attached to the baby is the mother's bleeding after the birth (nhs.uk "Postpartum
    # haemorrhage"); a baby's own bleeding in a message with no birth told about an adult stays the baby's
    mothers = [f.subject for f in findings if f.concept == "after_birth" and f.subject != 0]
    mothers = [i for i in mothers if i < len(track.subjects) and not infant(i)]
    out = []
    for f in findings:
        if (
            mothers
            and f.concept in _AFTER_BIRTH_BLEEDING
            and f.subject < len(track.subjects)
            and infant(f.subject)
        ):
            f = f.model_copy(update={"subject": mothers[0]})
        if _SPOKEN_STATES.intersection(f.groups) and f.subject < len(track.subjects) and infant(f.subject):
            earlier = [
                i for pos, i in track.marks if pos <= f.start and i != 0 and i != f.subject and not infant(i)
            ]
            if earlier:
                f = f.model_copy(update={"subject": earlier[-1]})
        out.append(f)
    return tuple(out)


# Signs of a pregnancy (the baby's movements, waters, bleeding in pregnancy): whoever is pregnant has them
_PREGNANCY_SIGNS = frozenset({"pregnancy"})


def _carried_by_the_mother(findings: tuple[Finding, ...], track: SubjectTrack) -> tuple[Finding, ...]:
    """ "The baby hasn't been moving much … I'm 33 weeks": the unborn baby opens a subject of its own (an
    infant), but a sign of the pregnancy told about it belongs to the person who is pregnant, so that it
    counts with her bleeding and pain (nhs.uk "Your baby's movements"; "Pregnancy — symptoms you should not
    ignore"). It goes to the one pregnant person the message names (the writer first); with no one pregnant,
    or a baby with an age of its own in weeks or months, nothing moves."""
    pregnant = [i for i, s in enumerate(track.subjects) if s.pregnant]
    if not pregnant:
        return findings
    mother = pregnant[0]

    def unborn(index: int) -> bool:
        if index >= len(track.subjects) or index == mother:
            return False
        s = track.subjects[index]
        return (
            s.relation is not Relation.SELF
            and s.age_years is None
            and (s.age_at_most is not None and s.age_at_most <= _INFANT_AGE)
        )

    return tuple(
        f.model_copy(update={"subject": mother})
        if _PREGNANCY_SIGNS.intersection(f.groups) and unborn(f.subject)
        else f
        for f in findings
    )


def _fiction_frame(
    findings: tuple[Finding, ...],
    folded: str,
    sentences: Sequence[tuple[int, int]],
    subjects: Sequence[Subject],
) -> tuple[Finding, ...]:
    """Findings told after a film, a series or a book is named in the sentence, with no "I" / "je" coming
    back in between, are the plot's: "je lis un roman où l'héroïne … s'effondre, n'arrive plus à respirer" is
    no one's emergency; so are findings about someone other than the writer anywhere in that sentence.
    The writer's own findings stay as read ("since that film I get chest pain")."""
    cue = fiction_cue()
    cues = {i: m for i, (s, e) in enumerate(sentences) if (m := cue.search(folded, s, e)) is not None}
    if not cues:
        return findings

    def in_frame(f: Finding) -> bool:
        sentence = next((i for i, (s, e) in enumerate(sentences) if s <= f.start < e), -1)
        m = cues.get(sentence)
        if m is None or f.assertion.fictional:
            return False
        if m.end() <= f.start and not _FIRST_PERSON.search(folded, m.end(), f.start):
            return True
        return not (f.subject < len(subjects) and subjects[f.subject].relation is Relation.SELF)

    return tuple(
        f.model_copy(update={"assertion": f.assertion.model_copy(update={"fictional": True})})
        if in_frame(f)
        else f
        for f in findings
    )


def _awaits_answer(context: ConversationContext) -> bool:
    """The conversation is under way: a short turn ("the left one?", "why not?", "et l'année d'avant ?")
    continues it and is never read as a request outside health. Only a first message, or one after an
    out-of-scope refusal, is read for scope."""
    last = context.last
    return last is not None and last.refusal is not RefusalCategory.OUT_OF_SCOPE


# "I got 38.1 under her arm", "j'ai pris 38,5 sous son bras": the writer took the reading, on the person
# the body part belongs to.
_MEASURED_ON = re.compile(
    r"^ ?(?:c|°c|degrees?|degres?|f)?,? ?(?:\w+ ){0,2}(?:under|in|on|from|sous|dans|sur) "
    r"(?P<who>her|his|their|son|sa|ses) (?:arm|armpit|ear|mouth|forehead|bottom|bum|bras|aisselle|oreille|bouche|front|fesses?)"
)


def _measured_on(vital: Vital, folded: str, track: SubjectTrack) -> int:
    """The subject a reading is about: where it is written, unless the words right after it say whose body it
    was taken on (then that person, as their possessive names them)."""
    m = _MEASURED_ON.match(folded[vital.end : vital.end + 40])
    if m is not None:
        return track.subject_at(vital.end + m.start("who"))
    return track.subject_at(vital.start)
