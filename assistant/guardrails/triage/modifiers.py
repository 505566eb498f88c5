"""Record-aware modifiers: facts in the patient's own record that make the same symptom more urgent.

A head knock is one thing; a head knock on warfarin is another (NICE NG232). Modifiers are data too
(``modifiers:`` in the rule files) so a clinic can extend the code lists. Each hit cites the FHIR resource
that triggered it, so the decision stays explainable: "raised because MedicationRequest/abc (warfarin)".

Kinds:
- ``age_under_months`` (``months``) and ``age_over_years`` (``years``): Patient.birthDate against today;
- ``condition``: a Condition active on ``today`` whose SNOMED code is in ``codes`` or whose text contains one
  of ``keywords``; onset and abatement dates win over the exported status, so a record can be replayed at
  any date;
- ``medication``: an active MedicationRequest (RxNorm ``codes`` or ``keywords`` in its name) authored on or
  before today;
- ``recent_procedure``: a Procedure matching ``codes``/``keywords`` performed within ``days`` before today;
- ``pregnancy``: a pregnancy Condition active today, or a pregnancy that ended (Condition abatement or a
  delivery/termination Procedure) within ``postpartum_days``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from assistant.guardrails.triage.text import fold_accents, normalise
from assistant.schemas import LANGUAGES, Language, TriageLevel, level_rank
from fhir_client import PatientRecord

__all__ = ["MODIFIER_KINDS", "Modifier", "ModifierError", "ModifierMatch", "RecordFacts", "compile_modifier"]


class ModifierError(ValueError):
    """A modifier that cannot be used, naming the file, the modifier id and the field."""

    def __init__(self, path: str, modifier_id: str | None, field_name: str | None, reason: str) -> None:
        self.path = path
        self.modifier_id = modifier_id
        self.field = field_name
        self.reason = reason
        super().__init__(f"{path}: modifier {modifier_id!r}: field {field_name!r}: {reason}")


MODIFIER_KINDS = (
    "age_under_months",
    "age_over_years",
    "condition",
    "medication",
    "recent_procedure",
    "pregnancy",
)
_KEYS = frozenset(
    {
        "id",
        "kind",
        "guidance",
        "codes",
        "keywords",
        "months",
        "years",
        "days",
        "postpartum_days",
        "applies_to",
        "raise_by",
        "at_least",
        "reason",
        "enabled",
        "fact",
        "stated",
    }
)
_LEVELS_UP = [
    TriageLevel.NONE,
    TriageLevel.SELF_CARE,
    TriageLevel.SOON,
    TriageLevel.URGENT,
    TriageLevel.EMERGENCY,
]
# A pregnancy Condition left "active" for longer than a pregnancy lasts is a stale record, not a pregnancy.
_PREGNANCY_DAYS = 300
_ACTIVE = frozenset({"active", "recurrence", "relapse"})


@dataclass(frozen=True)
class Modifier:
    id: str
    kind: str
    guidance: str
    codes: frozenset[str]
    keywords: re.Pattern[str] | None
    months: int
    years: int
    days: int
    postpartum_days: int
    applies_to: frozenset[str]  # rule tags; "*" = any symptom
    raise_by: int
    at_least: TriageLevel
    reason: Mapping[Language, str]
    fact: str = ""  # the name protocols use for this fact ("anticoagulant"); defaults to the id
    stated: frozenset[str] = frozenset()  # lexicon concepts that state it in a message ("on warfarin")

    def raise_level(self, level: TriageLevel) -> TriageLevel:
        up = _LEVELS_UP[min(level_rank(level) + self.raise_by, 4)]
        return up if level_rank(up) >= level_rank(self.at_least) else self.at_least

    def applies(self, tags: frozenset[str]) -> bool:
        return "*" in self.applies_to or bool(self.applies_to & tags)


@dataclass(frozen=True)
class ModifierMatch:
    modifier: Modifier
    resource: str | None  # "Condition/abc", or None for age (derived from Patient.birthDate -> cites Patient)
    label: str  # what in the record triggered it, e.g. "warfarin" or "age 82"

    def reason(self, lang: Language) -> str:
        return self.modifier.reason[lang].format(label=self.label)


def compile_modifier(mid: str, spec: Mapping[str, Any], path: str) -> Modifier:
    unknown = set(spec) - _KEYS
    if unknown:
        raise ModifierError(path, mid, sorted(unknown)[0], "unknown field for a modifier")
    kind = spec.get("kind")
    if kind not in MODIFIER_KINDS:
        raise ModifierError(path, mid, "kind", f"kind must be one of {', '.join(MODIFIER_KINDS)}")
    guidance = spec.get("guidance")
    if not isinstance(guidance, str) or not guidance.strip():
        raise ModifierError(path, mid, "guidance", "say which public guidance the modifier follows")
    codes = spec.get("codes", [])
    if not isinstance(codes, list):
        raise ModifierError(path, mid, "codes", "expected a list of codes")
    keywords = spec.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k for k in keywords):
        raise ModifierError(path, mid, "keywords", "expected a list of words")
    if kind in ("condition", "medication", "recent_procedure", "pregnancy") and not (codes or keywords):
        raise ModifierError(path, mid, "codes", f"a {kind} modifier needs codes or keywords")
    try:
        kw = re.compile("|".join(f"(?:{fold_accents(k.lower())})" for k in keywords)) if keywords else None
    except re.error as exc:
        raise ModifierError(path, mid, "keywords", f"invalid keyword pattern: {exc}") from None
    numbers: dict[str, int] = {}
    for name, default in (
        ("months", 0),
        ("years", 0),
        ("days", 30),
        ("postpartum_days", 42),
        ("raise_by", 1),
    ):
        value = spec.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ModifierError(path, mid, name, "expected a whole number ≥ 0")
        numbers[name] = value
    if kind == "age_under_months" and numbers["months"] <= 0:
        raise ModifierError(path, mid, "months", "age_under_months needs months > 0")
    if kind == "age_over_years" and numbers["years"] <= 0:
        raise ModifierError(path, mid, "years", "age_over_years needs years > 0")
    fact = spec.get("fact", mid.replace("-", "_"))
    if not isinstance(fact, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", fact):
        raise ModifierError(path, mid, "fact", "expected a fact name of a-z, 0-9 and '_'")
    stated = spec.get("stated", [])
    if not isinstance(stated, list) or not all(isinstance(c, str) and c for c in stated):
        raise ModifierError(path, mid, "stated", "expected a list of lexicon concept ids")
    applies = spec.get("applies_to")
    if (
        not isinstance(applies, list)
        or not (applies or "fact" in spec)
        or not all(isinstance(t, str) for t in applies)
    ):
        raise ModifierError(path, mid, "applies_to", "expected a non-empty list of rule tags (or '*')")
    at_least = spec.get("at_least", "self_care")
    if at_least not in ("self_care", "soon", "urgent", "emergency"):
        raise ModifierError(path, mid, "at_least", "expected self_care, soon, urgent or emergency")
    reason = spec.get("reason")
    if not isinstance(reason, dict) or any(not isinstance(reason.get(lang), str) for lang in LANGUAGES):
        raise ModifierError(path, mid, "reason", "expected en and fr text (may use {label})")
    return Modifier(
        id=mid,
        kind=kind,
        guidance=guidance.strip(),
        codes=frozenset(str(c) for c in codes),
        keywords=kw,
        months=numbers["months"],
        years=numbers["years"],
        days=numbers["days"],
        postpartum_days=numbers["postpartum_days"],
        applies_to=frozenset(applies),
        raise_by=numbers["raise_by"],
        at_least=TriageLevel(at_least),
        reason={lang: reason[lang] for lang in LANGUAGES},
        fact=fact,
        stated=frozenset(stated),
    )


# --- reading the record ---------------------------------------------------------------------------


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 4:
        try:
            return date.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value[:10])
        except ValueError:
            return None
    return None


def _codings(concept: Any) -> list[tuple[str, str]]:
    """(code, normalised display text) pairs of a CodeableConcept, plus its text."""
    if concept is None:
        return []
    out = [(str(c.code or ""), normalise(c.display or "")) for c in (concept.coding or [])]
    if concept.text:
        out.append(("", normalise(concept.text)))
    return out


def _label(concept: Any) -> str:
    if concept is None:
        return ""
    if concept.text:
        return str(concept.text)
    for c in concept.coding or []:
        if c.display:
            return str(c.display)
    return ""


def _hit(mod: Modifier, concept: Any) -> bool:
    for code, text in _codings(concept):
        if code and code in mod.codes:
            return True
        if mod.keywords is not None and text and mod.keywords.search(text):
            return True
    return False


def _of(record: PatientRecord, resource_type: str) -> list[Any]:
    """Resources of one type, typed loosely: fhir.resources models have no precise stubs."""
    return list(record.of_type(resource_type))


def _age_years(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _age_months(birth: date, today: date) -> int:
    return (today.year - birth.year) * 12 + today.month - birth.month - (today.day < birth.day)


def _condition_active(cond: Any, today: date) -> bool:
    onset = (
        _day(cond.onsetDateTime) or _day(getattr(cond.onsetPeriod, "start", None)) or _day(cond.recordedDate)
    )
    if onset is not None and onset > today:
        return False
    abated = _day(cond.abatementDateTime) or _day(getattr(cond.abatementPeriod, "end", None))
    if abated is not None:
        return abated > today
    status = (
        cond.clinicalStatus.coding[0].code if cond.clinicalStatus and cond.clinicalStatus.coding else None
    )
    return status is None or status in _ACTIVE


def _condition_ended(cond: Any) -> date | None:
    return _day(cond.abatementDateTime) or _day(getattr(cond.abatementPeriod, "end", None))


def _procedure_day(proc: Any) -> date | None:
    return _day(proc.performedDateTime) or _day(getattr(proc.performedPeriod, "start", None))


class RecordFacts:
    """Which modifiers a record triggers on a given day.

    Stateless, so one instance serves every patient from any thread: per-patient results are cached by
    whoever holds that patient (``assistant.guardrails.PatientGuard``), never here in a shared slot.
    """

    def __init__(self, modifiers: Mapping[str, Modifier]) -> None:
        self.modifiers = modifiers

    def matches(self, record: PatientRecord, today: date) -> tuple[ModifierMatch, ...]:
        return tuple(m for mod in self.modifiers.values() if (m := self._match(mod, record, today)))

    def _match(self, mod: Modifier, record: PatientRecord, today: date) -> ModifierMatch | None:
        if mod.kind in ("age_under_months", "age_over_years"):
            birth = _day(record.patient.birthDate)
            if birth is None or birth > today:
                return None
            if mod.kind == "age_under_months":
                months = _age_months(birth, today)
                if months >= mod.months:
                    return None
                days = (today - birth).days
                label = (
                    f"{days} days"
                    if days < 14
                    else f"{days // 7} weeks"
                    if months < 3
                    else f"{months} months"
                )
                return ModifierMatch(mod, record.patient_ref, label)
            years = _age_years(birth, today)
            return ModifierMatch(mod, record.patient_ref, f"{years}") if years > mod.years else None
        if mod.kind == "condition":
            for cond in _of(record, "Condition"):
                if _hit(mod, cond.code) and _condition_active(cond, today):
                    return ModifierMatch(mod, f"Condition/{cond.id}", _label(cond.code))
            return None
        if mod.kind == "medication":
            for req in _of(record, "MedicationRequest"):
                authored = _day(req.authoredOn)
                if req.status not in ("active", "on-hold") or (authored is not None and authored > today):
                    continue
                if _hit(mod, req.medicationCodeableConcept):
                    return ModifierMatch(
                        mod, f"MedicationRequest/{req.id}", _label(req.medicationCodeableConcept)
                    )
            return None
        if mod.kind == "recent_procedure":
            for proc in _of(record, "Procedure"):
                when = _procedure_day(proc)
                if when is not None and 0 <= (today - when).days <= mod.days and _hit(mod, proc.code):
                    return ModifierMatch(
                        mod, f"Procedure/{proc.id}", f"{_label(proc.code)} ({when.isoformat()})"
                    )
            return None
        # pregnancy: ongoing, or ended within the postpartum window
        for cond in _of(record, "Condition"):
            if not _hit(mod, cond.code):
                continue
            onset = _day(cond.onsetDateTime) or _day(cond.recordedDate)
            recent_onset = onset is None or (today - onset).days <= _PREGNANCY_DAYS
            if _condition_active(cond, today) and recent_onset:
                return ModifierMatch(mod, f"Condition/{cond.id}", _label(cond.code))
            ended = _condition_ended(cond)
            if ended is not None and 0 <= (today - ended).days <= mod.postpartum_days:
                return ModifierMatch(
                    mod, f"Condition/{cond.id}", f"{_label(cond.code)} (ended {ended.isoformat()})"
                )
        for proc in _of(record, "Procedure"):
            when = _procedure_day(proc)
            if when is not None and 0 <= (today - when).days <= mod.postpartum_days and _hit(mod, proc.code):
                return ModifierMatch(mod, f"Procedure/{proc.id}", f"{_label(proc.code)} ({when.isoformat()})")
        return None
