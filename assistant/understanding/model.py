"""What one message means: the typed result every later stage reads instead of the raw text.

The guard, the triage protocols and the router all consume an ``Understanding``; none of them re-reads the
message with a word list of its own. That is the point of the stage: one place decides that "no fever, but
my chest is killing me" holds a negated fever and a current, severe chest pain of the writer, that "my
daughter is 2, 39.8 since this morning" is about a two-year-old with a temperature of 39.8 °C, and that
"anyway, what was my cholesterol?" is a record question in the same message. When a decision is wrong, the
audit shows which of these readings was wrong, and the fix goes to the one place that made it.

Everything here is immutable: an ``Understanding`` is computed once per message and may be read from any
thread.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from assistant.schemas import Language, RefusalCategory, TriageLevel

__all__ = [
    "Assertion",
    "BookingAct",
    "Clause",
    "ClinicalState",
    "ConceptKind",
    "ConversationContext",
    "Finding",
    "Intent",
    "IntentKind",
    "NormalisedText",
    "Onset",
    "PendingQuestion",
    "Period",
    "PriorTurn",
    "Progression",
    "RecordQuery",
    "RecordQueryKind",
    "Relation",
    "Severity",
    "Signal",
    "SignalKind",
    "SmallTalkKind",
    "Subject",
    "Understanding",
    "Vital",
    "VitalKind",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- the text -------------------------------------------------------------------------------------


class NormalisedText(_Frozen):
    """The message in the three forms the stage works on.

    ``clean`` is what the patient wrote minus control and zero-width characters (what is stored and shown);
    ``folded`` is the one matching form (lower case, accents and ligatures folded, apostrophes and number
    formats unified, common misspellings corrected): every offset in an ``Understanding`` points into it.
    """

    original: str
    clean: str
    folded: str


class Clause(_Frozen):
    """A piece of a sentence that can carry its own request: "my chest hurts, anyway what are my meds"."""

    index: int
    sentence: int
    start: int
    end: int
    text: str  # the folded text of the clause


# --- who it is about ------------------------------------------------------------------------------


class Relation(StrEnum):
    """Who a subject is to the person writing."""

    SELF = "self"
    CHILD = "child"
    PARTNER = "partner"
    PARENT = "parent"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    FRIEND = "friend"
    OTHER = "other"


class Subject(_Frozen):
    """A person the message talks about. ``subjects[0]`` is always the writer (``Relation.SELF``).

    ``is_record_patient`` says whether this person is the one whose record is open: the writer on their own
    account, or the child when a parent writes on the child's record. Record-aware rules apply to that
    person only; for anyone else, only what the message says about them (age, pregnancy…) is used.
    """

    index: int
    relation: Relation
    is_record_patient: bool
    age_years: float | None = None
    sex: str | None = None  # "female" | "male" when the words say so
    pregnant: bool = False
    evidence: str = ""  # the words that introduced this person ("ma fille de 2 ans")
    # What the words say of the age when no number is given: "a newborn" is under a month, "my baby" under a
    # year, "my toddler" under four. Age criteria use it only when ``age_years`` is unknown.
    age_at_most: float | None = None


# --- findings -------------------------------------------------------------------------------------


class ConceptKind(StrEnum):
    SYMPTOM = "symptom"  # what the person feels or notices (pain, breathlessness, fever)
    SIGN = "sign"  # what someone sees (blue lips, non-blanching rash, floppy)
    EVENT = "event"  # something that happened (a fall, an overdose, a bite, a collapse)
    CONDITION = "condition"  # a named illness ("asthma", "a stroke", "diabetes")
    CONTEXT = "context"  # a situation that changes risk (recent surgery, long flight, on blood thinners)
    MEDICINE = "medicine"


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"  # "severe", "worst ever", "unbearable", "10/10", "me tue"


class Onset(StrEnum):
    SUDDEN = "sudden"  # "out of nowhere", "d'un coup", "like a thunderclap"
    GRADUAL = "gradual"


class Progression(StrEnum):
    WORSENING = "worsening"
    IMPROVING = "improving"
    RECURRENT = "recurrent"
    PERSISTENT = "persistent"
    RESOLVED = "resolved"  # "it went off when I stopped", "c'est passé": happened, over now (not denied)


class Assertion(_Frozen):
    """ConText-style status of a mention. A finding counts for triage only when ``current``.

    ``explained`` is kept apart from negation: "black stools since I started iron tablets, I feel fine" is
    a real finding with a benign explanation; a protocol decides what the explanation is worth.
    """

    negated: bool = False
    historical: bool = False  # over, long ago ("as a child", "in 2015", "had it last year")
    hypothetical: bool = False  # "what if", "et si", "in case"
    family_history: bool = False  # a relative's past illness, not a symptom they have now
    fictional: bool = False  # a film, a series, a book, a game
    uncertain: bool = False  # "maybe", "I think" — still counts
    # named in a question the writer asks about what it could be ("is it a heart attack?", "infarctus ou
    # juste musculaire ?"): a worry, not a finding; the finding reader makes a named illness asked about in
    # a question hypothetical (symptoms keep counting: "is this chest pain my heart?" still reports one)
    asked: bool = False
    explained_by: str | None = None  # a benign cause the writer gives ("since I started iron")

    @property
    def current(self) -> bool:
        return not (
            self.negated or self.historical or self.hypothetical or self.family_history or self.fictional
        )


class Finding(_Frozen):
    """A clinical mention mapped to a concept of the lexicon, with its context."""

    concept: str  # lexicon id, e.g. "chest_pain"
    code: str | None = None  # "SCT:29857009" (SNOMED CT) when the lexicon gives one
    kind: ConceptKind
    groups: tuple[str, ...] = ()  # lexicon groups, e.g. ("chest", "pain")
    text: str  # the matched words (folded)
    start: int
    end: int
    clause: int
    subject: int = 0  # index into Understanding.subjects
    assertion: Assertion = Field(default_factory=Assertion)
    severity: Severity | None = None
    onset: Onset | None = None
    progression: Progression | None = None
    duration_days: float | None = None
    sites: tuple[str, ...] = ()  # body sites ("chest", "left_arm")
    laterality: str | None = None  # "left" | "right" | "one_side" | "both"
    entry: str = ""  # the lexicon entry (or composition) that matched, for the audit

    @property
    def current(self) -> bool:
        return self.assertion.current


class VitalKind(StrEnum):
    TEMPERATURE = "temperature"  # °C
    SPO2 = "spo2"  # %
    BLOOD_PRESSURE = "blood_pressure"  # mmHg, value = systolic, value2 = diastolic
    PULSE = "pulse"  # beats per minute
    RESPIRATORY_RATE = "respiratory_rate"  # breaths per minute
    GLUCOSE = "glucose"  # mmol/L
    KETONES = "ketones"  # mmol/L
    WEIGHT = "weight"  # kg
    PEAK_FLOW_PERCENT = "peak_flow_percent"  # % of the person's usual or best peak flow
    PARACETAMOL_MG_DAY = "paracetamol_mg_day"  # mg taken in a day, counted from tablets (doses.py)


class Vital(_Frozen):
    """A measurement the message gives, converted to one unit per kind (see ``VitalKind``).

    "39,5", "104F", "sats 92", "tension 14/9" (cmHg, read as 140/90 mmHg), "sucre à 0,5" (g/L, read as
    2.8 mmol/L): ``raw`` keeps the words, ``value`` the converted number.
    """

    kind: VitalKind
    value: float
    value2: float | None = None
    unit: str
    raw: str
    start: int
    end: int
    clause: int
    subject: int = 0
    negated: bool = False
    # read out of the record, a letter or a result ("her notes say her oxygen was 76", "dans son dossier je
    # vois une saturation à 91"): a value the record holds, asked about, not a measurement of now
    from_record: bool = False
    # in a sentence that opens by supposing ("if one day I measure 20/12…", "si jamais il fait 40 de
    # fièvre…"): a threshold asked about in advance, not a reading
    hypothetical: bool = False

    @property
    def current(self) -> bool:
        """A measurement the message gives of now: neither denied, nor read out of the record, nor supposed."""
        return not (self.negated or self.from_record or self.hypothetical)


# --- what is asked --------------------------------------------------------------------------------


class IntentKind(StrEnum):
    RECORD_QUESTION = "record_question"  # about the patient's own record
    BOOKING = "booking"  # book, move, cancel, or look up an appointment
    SYMPTOM = "symptom"  # reports a health problem now (own or someone else's)
    MEDICINE_QUESTION = "medicine_question"  # side effects, interactions, missed dose (no dose change)
    HEALTH_ADVICE = "health_advice"  # advice on a health topic ("what should I eat with diabetes")
    SMALL_TALK = "small_talk"  # greetings, thanks, "who are you", goodbye
    OTHER = "other"  # anything else (out of scope, an attack with no real request…)


class BookingAct(StrEnum):
    BOOK = "book"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    LOOKUP = "lookup"  # "when is my appointment?"


class SmallTalkKind(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    HELP = "help"  # "what can you do", "who are you"
    ACK = "ack"  # "ok", "d'accord"


class Intent(_Frozen):
    """One thing the message asks for, with how sure the stage is and why (routing-table entry ids)."""

    kind: IntentKind
    score: float  # 0..1
    clause: int | None = None
    detail: str | None = None  # BookingAct / SmallTalkKind value, or a health-advice topic id
    evidence: tuple[str, ...] = ()


class SignalKind(StrEnum):
    SELF_HARM = "self_harm"  # suicidal thoughts, plans, means, goodbyes — however indirectly said
    HARMFUL_REQUEST = "harmful_request"  # could hurt the writer or someone else
    OTHER_PERSON_DATA = "other_person_data"  # someone else's record or data
    OUT_OF_SCOPE = "out_of_scope"  # not health
    INJECTION = "injection"  # an attempt to change the assistant's instructions (incl. encoded)
    PUSH_BACK = "push_back"  # insisting after a refusal
    DOSE_CHANGE = "dose_change"  # change, stop or skip a prescribed medicine
    PRESCRIPTION = "prescription"  # asks to be prescribed something
    DIAGNOSIS_CERTAINTY = "diagnosis_certainty"  # "tell me for sure I have X"
    MINIMISATION = "minimisation"  # "prob nothing", "c'est rien je pense" — changes no level
    FICTION = "fiction"  # the message is about a film, a series, a book
    LOWER_TRIAGE = "lower_triage"  # asks the assistant to say it is not urgent


# Which refusal a signal asks for, when it asks for one.
SIGNAL_REFUSAL: dict[SignalKind, RefusalCategory] = {
    SignalKind.OTHER_PERSON_DATA: RefusalCategory.OTHER_PATIENT,
    SignalKind.DOSE_CHANGE: RefusalCategory.DOSE_CHANGE,
    SignalKind.DIAGNOSIS_CERTAINTY: RefusalCategory.DIAGNOSIS_CERTAINTY,
    SignalKind.PRESCRIPTION: RefusalCategory.PRESCRIPTION,
    SignalKind.OUT_OF_SCOPE: RefusalCategory.OUT_OF_SCOPE,
    SignalKind.INJECTION: RefusalCategory.INJECTION,
    SignalKind.LOWER_TRIAGE: RefusalCategory.INJECTION,
    SignalKind.HARMFUL_REQUEST: RefusalCategory.UNSAFE_REQUEST,
}


class Signal(_Frozen):
    """A risk signal: something the guard must act on, whatever else the message asks."""

    kind: SignalKind
    strength: float = 1.0  # 0..1; safety never waits for a strong one when a weak one is enough
    clause: int | None = None
    evidence: tuple[str, ...] = ()  # entry ids of the signal table
    detail: str | None = None


# --- record questions -----------------------------------------------------------------------------


class RecordQueryKind(StrEnum):
    LATEST = "latest"  # latest value of a test or vital
    VALUE_AT = "value_at"  # the value in a given year / month
    PREVIOUS = "previous"  # the one before the latest (or before the one last shown)
    FIRST = "first"  # the earliest one on file (the first dose, the first reading, the first visit)
    TREND = "trend"  # how it changed, a series
    COUNT = "count"  # how many times (over a period or in all)
    LIST = "list"  # current medicines, allergies, problems, vaccines…
    STILL_ON = "still_on"  # "am I still on X or did they stop it"
    EVER_HAD = "ever_had"  # "have I ever had a colonoscopy"
    LAST_VISIT = "last_visit"  # last appointment in the past, what it was about
    MEANING = "meaning"  # what a result means, is it normal
    OUT_OF_RANGE = "out_of_range"  # which results are outside the usual range
    DUE = "due"  # vaccines or checks that may be due
    SUMMARY = "summary"  # an overview of the record
    SEARCH = "search"  # anything else in the record: ranked search


class Period(_Frozen):
    start: date | None = None
    end: date | None = None
    text: str = ""
    # a month named without its year ("in January", "en décembre"): the year was taken from today, and
    # the composer may move it back to the last such month the record covers
    year_implied: bool = False


class RecordQuery(_Frozen):
    """What a record question asks, resolved against the conversation when it is a follow-up.

    ``targets`` are concept ids of the record's concept map (``retrieval.ConceptMap``: "hba1c", "egfr"…);
    ``categories`` are kinds of entry ("medications", "allergies", "conditions", "vaccines", "visits",
    "procedures", "tests"); ``terms`` are the patient's own words for what they ask about (for search and
    for an honest "not found").
    """

    kind: RecordQueryKind
    targets: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    period: Period | None = None
    offset: int = 0  # 0 = latest, 1 = the one before…
    followup: bool = False  # resolved from an earlier turn
    # words a visit's own name carries when a kind of visit is asked ("follow up", "suivi"): the
    # composer counts those visits, not every visit about the same condition
    visit_names: tuple[str, ...] = ()
    # "how many vaccines did he get at his last appointment?": what is counted or listed is what the last
    # visit's day holds (the composer knows that day; the reader does not)
    at_last_visit: bool = False
    # "et l'année d'avant ?" after the latest value, with no period to shift: the latest value of the
    # calendar year before the one of the value last shown (the composer knows that year; the reader does not)
    year_back: bool = False


# --- the conversation so far ----------------------------------------------------------------------


class PendingQuestion(_Frozen):
    """A red-flag question the reply asked, and what a "yes" to it means as a finding.

    The triage protocol that decided the level asks it; the next message's answer ("yes", "no", "only the
    left", "oui", "non") is read by the stage (``answers.py``) into a finding of ``concept`` about the same
    person: current for a yes, negated for a no, with the qualifiers below when the question is about them.
    """

    id: str  # protocol question id, e.g. "headache-stiff-neck"
    protocol: str
    concept: str  # lexicon concept a "yes" asserts
    relation: Relation = Relation.SELF  # who the question is about
    sex: str | None = None
    age_years: float | None = None
    laterality: str | None = None  # "one_side" when the question asks whether it is on one side
    severity: Severity | None = None
    onset: Onset | None = None
    sites: tuple[str, ...] = ()


class ClinicalState(_Frozen):
    """The clinical picture of a conversation so far (people, findings, vitals), kept for the next turn so
    a later message re-triages with everything said before ("I have a headache" … "now my neck is stiff").
    Offsets in the findings point into the message they came from."""

    subjects: tuple[Subject, ...] = ()
    findings: tuple[Finding, ...] = ()
    vitals: tuple[Vital, ...] = ()


class PriorTurn(_Frozen):
    """What the stage keeps of an earlier turn to read the next one ("and before that?")."""

    intents: tuple[IntentKind, ...] = ()
    record_query: RecordQuery | None = None
    topic: str | None = None  # health-advice topic id
    refusal: RefusalCategory | None = None  # the assistant's reply refused this
    # the refusal the guard decided when the reply did not show it (an emergency answer came first)
    withheld: RefusalCategory | None = None
    insisted: bool = False  # the message insisted (a push-back signal) and asked nothing new
    level: TriageLevel = TriageLevel.NONE  # the level the assistant gave
    findings: tuple[str, ...] = ()  # current finding concepts
    subject: Relation = Relation.SELF  # who the symptoms were about
    subject_age: float | None = None
    pending_questions: tuple[str, ...] = ()  # interview question ids the reply asked
    pending: tuple[PendingQuestion, ...] = ()  # the same questions, with what a yes or a no means
    protocol: str | None = None  # the triage protocol that decided the level
    clinical: ClinicalState | None = None  # the clinical picture after this turn (see ClinicalState)


INSIST_TURNS = 4  # how far back a run of insisting turns may reach for the refusal it keeps


class ConversationContext(_Frozen):
    """Earlier turns of this session, most recent last (built by the assistant from the session store)."""

    turns: tuple[PriorTurn, ...] = ()

    @property
    def last(self) -> PriorTurn | None:
        return self.turns[-1] if self.turns else None

    @property
    def emergency_in_force(self) -> bool:
        return any(t.level == TriageLevel.EMERGENCY for t in self.turns[-4:])

    @property
    def kept_refusal(self) -> RefusalCategory | None:
        """The refusal insisting now would keep: the last turn's (shown, or decided and held back under an
        emergency answer); or, when the last turns only insisted and asked nothing new, the refusal of the
        turn they insisted on ("is it diabetes?" refused … "come on" … "just say it")."""
        for turn in reversed(self.turns[-INSIST_TURNS:]):
            kept = turn.refusal or turn.withheld
            if kept is not None:
                return kept
            if not turn.insisted:
                return None
        return None

    @property
    def last_record_query(self) -> RecordQuery | None:
        for turn in reversed(self.turns):
            if turn.record_query is not None:
                return turn.record_query
        return None


# --- the result -----------------------------------------------------------------------------------


class Understanding(_Frozen):
    """Everything the stage read in one message (see module docstring)."""

    language: Language
    text: NormalisedText
    clauses: tuple[Clause, ...] = ()
    subjects: tuple[Subject, ...]
    findings: tuple[Finding, ...] = ()
    vitals: tuple[Vital, ...] = ()
    intents: tuple[Intent, ...] = ()  # best first
    signals: tuple[Signal, ...] = ()
    record_query: RecordQuery | None = None
    followup: bool = False  # only makes sense with the previous turn

    # -- convenience readers (no logic that decides anything) --

    @property
    def intent(self) -> IntentKind:
        return self.intents[0].kind if self.intents else IntentKind.OTHER

    def has_intent(self, kind: IntentKind) -> bool:
        return any(i.kind == kind for i in self.intents)

    def signal(self, kind: SignalKind) -> Signal | None:
        return next((s for s in self.signals if s.kind == kind), None)

    def has_signal(self, kind: SignalKind) -> bool:
        return self.signal(kind) is not None

    def current_findings(self, subject: int | None = None) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.current and (subject is None or f.subject == subject))

    def subject_of(self, finding: Finding | Vital) -> Subject:
        return self.subjects[finding.subject]

    @property
    def record_patient(self) -> Subject | None:
        return next((s for s in self.subjects if s.is_record_patient), None)
