"""Triage protocols as typed data: what a protocol file holds, checked field by field when it is loaded.

A protocol is one presenting problem (chest pain, headache, fever in a child…) written from public guidance
(NHS 111 / NHS inform, NICE CKS, HAS / Ameli, CDC), cited in ``guidance``. It reads the understanding of a
message — findings with their assertion, qualifiers and person, vitals in canonical units, signals — and the
facts known about that person (the record for the record's patient only; what the message states for anyone
else). Its ``criteria`` are tried in order; every criterion met is kept for the audit and the highest level
wins; ``default`` is the level when the problem is present and no criterion is met.

A criterion's ``when`` is a condition tree. Leaves (one key each, plus their options):

- ``finding: [concept ids or group:<name>]`` — a current finding of this person (not negated, past,
  hypothetical, someone's family history or fiction). Options: ``severity``, ``onset``, ``progression``,
  ``min_days`` / ``max_days`` (its duration), ``sites``, ``side``, and ``explained``: ``any`` (the default:
  a finding counts whatever cause the writer gives it, so an explanation never hides a red flag), ``only``
  (the finding with a cause given: "black stools since I started iron", weighed by a criterion placed before
  the red-flag ones) or ``exclude``; ``current_only: true`` — for a lasting condition or situation (a past
  operation), which otherwise also counts when told as history, only the one told as now or recent;
- ``vital: <kind>`` with ``above`` / ``at_least`` / ``below`` / ``at_most`` (``of: diastolic`` for the second
  blood-pressure number);
- ``age: {under_years | under_months | at_least_years}`` — the stated age, else the record's for its patient;
- ``pregnant: true`` — stated, or a current pregnancy in the record's patient's record;
- ``child: true`` — under 16 by the stated (or record) age, else by the words ("my baby", "ma fille");
- ``sex: male | female`` — as the words say ("my husband", "ma fille"), else the record's for its patient;
- ``fact: <name>`` — a record-aware fact (anticoagulant, diabetes, immunosuppressed…, see ``modifiers.yaml``):
  from the record for its patient, or stated in the message for anyone;
- ``signal: <kind>`` with optional ``detail: [...]`` — a risk signal of the message (self-harm…).
Combinators: ``all: [...]``, ``any: [...]``, ``not: {...}``, ``at_least: N`` with ``of: [...]``.

Everything is validated at load time: an unknown key, concept, group, fact or level names the file, the
protocol and the field (``ProtocolFileError``).
"""

from __future__ import annotations

import string
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.schemas import Language, TriageLevel
from assistant.understanding.model import Onset, Progression, Severity, SignalKind, VitalKind

__all__ = [
    "AgeCond",
    "AllCond",
    "AnyCond",
    "ChildCond",
    "CountCond",
    "Criterion",
    "Example",
    "FactCond",
    "FindingCond",
    "LevelText",
    "LookAlike",
    "NotCond",
    "PregnantCond",
    "Presenting",
    "Protocol",
    "Question",
    "QuestionYes",
    "SexCond",
    "SignalCond",
    "Text",
    "VitalCond",
    "parse_condition",
]

LEVELS_WITH_ADVICE = ("emergency", "urgent", "soon", "self_care")
ID_PATTERN = r"^[a-z0-9][a-z0-9\-]{1,63}$"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


PLACEHOLDERS = frozenset({"call", "crisis", "out_of_hours"})


def _placeholders_known(text: str) -> str:
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None and name not in PLACEHOLDERS:
            raise ValueError(f"unknown placeholder {{{name}}}; use {{call}}, {{crisis}} or {{out_of_hours}}")
    return text


class Text(_Model):
    """Something said to the patient, in both languages. {call}, {crisis} and {out_of_hours} are filled in
    with the region's numbers (the emergency number, the crisis line, who to call when the practice is
    closed), so one protocol serves every country."""

    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)

    @field_validator("en", "fr")
    @classmethod
    def _known(cls, v: str) -> str:
        return _placeholders_known(v)

    def get(self, lang: Language) -> str:
        return self.en if lang == "en" else self.fr


class TextList(_Model):
    en: tuple[str, ...] = ()
    fr: tuple[str, ...] = ()

    def get(self, lang: Language) -> tuple[str, ...]:
        return self.en if lang == "en" else self.fr

    @field_validator("en", "fr")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for line in v:
            _placeholders_known(line)
        return v

    @model_validator(mode="after")
    def _both(self) -> TextList:
        if len(self.en) != len(self.fr):
            raise ValueError("give the same number of lines in en and fr")
        return self


# --- conditions -------------------------------------------------------------------------------------------


class FindingCond(_Model):
    finding: tuple[str, ...]
    severity: tuple[Severity, ...] | None = None
    onset: tuple[Onset, ...] | None = None
    progression: tuple[Progression, ...] | None = None
    ongoing: bool | None = None  # true: not told as over ("it passed", "fine since"); false: told as over
    min_days: float | None = Field(default=None, ge=0)
    max_days: float | None = Field(default=None, ge=0)
    sites: tuple[str, ...] | None = None
    side: tuple[Literal["left", "right", "one_side", "both"], ...] | None = None
    explained: Literal["exclude", "only", "any"] = "any"
    current_only: bool = False  # true: told as happening now, not only as history ("had X 3 years ago")

    @field_validator("finding", "severity", "onset", "progression", "sites", "side", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class VitalCond(_Model):
    vital: VitalKind
    of: Literal["value", "diastolic"] = "value"
    above: float | None = None
    at_least: float | None = None
    below: float | None = None
    at_most: float | None = None

    @model_validator(mode="after")
    def _bound(self) -> VitalCond:
        if all(v is None for v in (self.above, self.at_least, self.below, self.at_most)):
            raise ValueError("a vital condition needs above, at_least, below or at_most")
        return self


class AgeBounds(_Model):
    under_years: float | None = Field(default=None, gt=0)
    under_months: float | None = Field(default=None, gt=0)
    at_least_years: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _bound(self) -> AgeBounds:
        if self.under_years is None and self.under_months is None and self.at_least_years is None:
            raise ValueError("an age condition needs under_years, under_months or at_least_years")
        return self


class AgeCond(_Model):
    age: AgeBounds


class PregnantCond(_Model):
    pregnant: bool


class ChildCond(_Model):
    """A child (under 16): by the stated age, else by the words ("my baby", "ma fille"), else no."""

    child: bool


class SexCond(_Model):
    """The person's sex as the message says it ("my dad", "ma fille"), else the record's for its patient:
    some guidance differs by it (a urine infection in a man is never simple cystitis, NICE CKS)."""

    sex: Literal["male", "female"]


class FactCond(_Model):
    fact: tuple[str, ...]

    @field_validator("fact", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class SignalCond(_Model):
    signal: SignalKind
    detail: tuple[str, ...] | None = None
    min_strength: float = Field(default=0.0, ge=0, le=1)


class AllCond(_Model):
    all: tuple[Condition, ...] = Field(min_length=1)


class AnyCond(_Model):
    any: tuple[Condition, ...] = Field(min_length=1)


class NotCond(_Model):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    not_: Condition = Field(alias="not")


class CountCond(_Model):
    at_least: int = Field(ge=1)
    of: tuple[Condition, ...] = Field(min_length=1)


Condition = Annotated[
    FindingCond
    | VitalCond
    | AgeCond
    | PregnantCond
    | ChildCond
    | SexCond
    | FactCond
    | SignalCond
    | AllCond
    | AnyCond
    | NotCond
    | CountCond,
    "condition",
]
for _model in (AllCond, AnyCond, NotCond, CountCond):
    _model.model_rebuild()

_BY_KEY: dict[str, type[_Model]] = {
    "finding": FindingCond,
    "vital": VitalCond,
    "age": AgeCond,
    "pregnant": PregnantCond,
    "child": ChildCond,
    "sex": SexCond,
    "fact": FactCond,
    "signal": SignalCond,
    "all": AllCond,
    "any": AnyCond,
    "not": NotCond,
    "at_least": CountCond,
}


def parse_condition(raw: Any, where: str = "when") -> Condition:
    """One condition from its YAML form; the key present says which kind (``ValueError`` naming the path)."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a mapping with one of {', '.join(_BY_KEY)}")
    kinds = [k for k in _BY_KEY if k in raw]
    if "at_least" in kinds and ("of" not in raw or "vital" in raw):
        kinds.remove("at_least")  # a vital's bound ("vital: spo2, at_least: 92"), not "at least N of"
    if len(kinds) != 1:
        found = ", ".join(sorted(raw)) or "nothing"
        raise ValueError(f"{where}: expected exactly one of {', '.join(_BY_KEY)}, found {found}")
    kind = kinds[0]
    model = _BY_KEY[kind]
    if kind in ("all", "any", "at_least"):
        key = "of" if kind == "at_least" else kind
        items = raw.get(key)
        if not isinstance(items, list):
            raise ValueError(f"{where}.{key}: expected a list of conditions")
        parsed = tuple(parse_condition(item, f"{where}.{key}[{n}]") for n, item in enumerate(items, 1))
        raw = {**raw, key: parsed}
    elif kind == "not":
        raw = {"not": parse_condition(raw["not"], f"{where}.not")}
    try:
        return model.model_validate(raw)  # type: ignore[return-value]
    except ValueError as exc:
        raise ValueError(f"{where}: {_first_error(exc)}") from None


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        items = errors()
        if items:
            first = items[0]
            loc = ".".join(str(p) for p in first.get("loc", ()))
            return f"{loc + ': ' if loc else ''}{first.get('msg', exc)}"
    return str(exc)


# --- protocol parts -----------------------------------------------------------------------------------------


class Criterion(_Model):
    """A way the presenting problem reaches a level (first met in file order is shown first)."""

    id: str = Field(pattern=ID_PATTERN)
    level: TriageLevel
    when: Condition
    because: Text | None = None  # a short reason, shown in the audit and ``triage --json``
    advice: Text | None = None  # overrides the protocol's advice for this level
    watch_for: TextList | None = None
    call: Literal["emergency", "crisis"] | None = None
    enabled: bool = True

    @field_validator("when", mode="before")
    @classmethod
    def _parse_when(cls, v: Any) -> Any:
        return v if isinstance(v, BaseModel) else parse_condition(v, "when")

    @field_validator("level")
    @classmethod
    def _not_none(cls, v: TriageLevel) -> TriageLevel:
        if v is TriageLevel.NONE:
            raise ValueError("a criterion decides emergency, urgent, soon or self_care")
        return v


class Presenting(_Model):
    """What makes the protocol relevant to a person: any of these (current, for that person)."""

    findings: tuple[str, ...] = ()  # concept ids or group:<name>
    signals: tuple[SignalKind, ...] = ()
    when: Condition | None = None  # e.g. a measured temperature of 38 °C or more
    # findings that belong to this presentation when it is present (the sleepiness after a fit), so they
    # are not also triaged on their own by the catch-all
    accounts_for: tuple[str, ...] = ()
    unclaimed: bool = False  # the catch-all: findings no other protocol is about

    @field_validator("when", mode="before")
    @classmethod
    def _parse_when(cls, v: Any) -> Any:
        return v if v is None or isinstance(v, BaseModel) else parse_condition(v, "presenting.when")

    @model_validator(mode="after")
    def _something(self) -> Presenting:
        if not (self.findings or self.signals or self.when is not None or self.unclaimed):
            raise ValueError("say which findings, signals or condition present this problem")
        return self


class QuestionYes(_Model):
    """The finding a "yes" to the question asserts."""

    concept: str
    side: Literal["left", "right", "one_side", "both"] | None = None
    severity: Severity | None = None
    onset: Onset | None = None
    sites: tuple[str, ...] = ()


class Question(_Model):
    """A red-flag question (most important first). Asked only when a "yes" would raise the level."""

    id: str = Field(pattern=ID_PATTERN)
    ask: Text
    means: QuestionYes  # the finding a "yes" asserts (a "no" denies it)
    enabled: bool = True


class LevelText(_Model):
    emergency: Text | None = None
    urgent: Text | None = None
    soon: Text | None = None
    self_care: Text | None = None

    def for_level(self, level: TriageLevel) -> Text | None:
        return getattr(self, level.value, None) if level is not TriageLevel.NONE else None


class Example(_Model):
    """A message this protocol must decide at ``level`` (with ``criterion`` met when given)."""

    lang: Language
    text: str = Field(min_length=1)
    level: TriageLevel
    criterion: str | None = None
    asks: tuple[str, ...] | None = None  # the questions the reply must ask (ids), when given


class LookAlike(_Model):
    """A message that sounds like this problem but must not reach its higher criteria: decided at ``level``,
    and no criterion of this protocol above that level is met."""

    lang: Language
    text: str = Field(min_length=1)
    level: TriageLevel


class Protocol(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: Text
    guidance: tuple[str, ...] = Field(min_length=1)
    tags: tuple[str, ...] = ()  # what record-aware modifiers look at (fever, breathing, head_injury…)
    presenting: Presenting
    default: TriageLevel = TriageLevel.SELF_CARE
    priority: int = 0  # breaks ties between protocols at the same level (higher decides)
    criteria: tuple[Criterion, ...] = ()
    advice: LevelText
    watch_for: TextList = TextList()
    questions: tuple[Question, ...] = ()
    examples: tuple[Example, ...] = ()
    look_alikes: tuple[LookAlike, ...] = ()
    enabled: bool = True
    source_file: str = ""

    @field_validator("guidance", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @model_validator(mode="after")
    def _check(self) -> Protocol:
        if self.default is TriageLevel.NONE:
            raise ValueError("default: a presenting problem is at least self_care")
        seen: set[str] = set()
        for c in self.criteria:
            if c.id in seen:
                raise ValueError(f"criteria: the id {c.id!r} appears twice")
            seen.add(c.id)
        levels = {c.level for c in self.criteria if c.advice is None} | {self.default}
        for level in levels:
            if self.advice.for_level(level) is None:
                raise ValueError(f"advice.{level.value}: a criterion or the default reaches {level.value}")
        qids = [q.id for q in self.questions]
        if len(set(qids)) != len(qids):
            raise ValueError("questions: the same id appears twice")
        return self

    @property
    def live_criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.enabled)

    @property
    def live_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.enabled)
