"""What the triage engine returns, the numbers to call per region, and the level-generic advice.

The decision is immutable: a later step (an LLM, the conversation) can only ask for a *raised* copy,
so nothing downstream can quietly lower what the rules decided.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.region import RegionNumbers, numbers_for
from assistant.schemas import Language, TriageInfo, TriageLevel, TriageQuestion, level_rank
from assistant.understanding.model import ClinicalState, PendingQuestion

__all__ = [
    "LEVEL_ADVICE",
    "AskedQuestion",
    "FindingNote",
    "ModifierHit",
    "ProtocolOutcome",
    "RegionNumbers",
    "TriageDecision",
    "fill_numbers",
    "level_advice",
    "region_numbers",
]


def region_numbers(region: str) -> RegionNumbers:
    """Numbers for an ISO country code ("FR", "US", "de"...); unknown countries get 112. The table itself
    is ``assistant.region`` (one table for every text, not only triage)."""
    return numbers_for(region)


# Said when a record-aware modifier (or an LLM) raised the level above what the symptom rule says.
LEVEL_ADVICE: dict[TriageLevel, dict[Language, str]] = {
    TriageLevel.EMERGENCY: {
        "en": "Call {call} now, or ask someone to call for you. Do not drive yourself.",
        "fr": "Appelez le {call} maintenant, ou demandez à quelqu'un d'appeler. Ne conduisez pas vous-même.",
    },
    TriageLevel.URGENT: {
        "en": "Please get seen by a doctor today (your practice or {out_of_hours}). "
        "If it gets worse, call {call}.",
        "fr": "Faites-vous examiner par un médecin aujourd'hui (votre médecin ou {out_of_hours}). "
        "Si cela s'aggrave, appelez le {call}.",
    },
    TriageLevel.SOON: {
        "en": "Book an appointment with your doctor in the next few days.",
        "fr": "Prenez rendez-vous avec votre médecin dans les prochains jours.",
    },
    TriageLevel.SELF_CARE: {
        "en": "This can usually be looked after at home; contact your doctor if it does not improve.",
        "fr": "Cela se soigne en général à la maison ; consultez votre médecin si cela ne s'améliore pas.",
    },
    TriageLevel.NONE: {"en": "", "fr": ""},
}


def fill_numbers(text: str, numbers: RegionNumbers, language: Language) -> str:
    """A protocol's text with the region's numbers: {call} (emergency), {crisis} (crisis line) and
    {out_of_hours} (who to call when the practice is closed: "the out-of-hours service (111)")."""
    return text.format(
        call=numbers.emergency, crisis=numbers.crisis, out_of_hours=numbers.out_of_hours_text(language)
    )


def level_advice(level: TriageLevel, language: Language, numbers: RegionNumbers) -> str:
    """The level's generic advice with the region's numbers filled in."""
    return LEVEL_ADVICE[level][language].format(
        call=numbers.emergency, out_of_hours=numbers.out_of_hours_text(language)
    )


_BECAUSE: dict[Language, str] = {
    "en": "This is more urgent for you because {reasons}.",
    "fr": "C'est plus urgent dans votre cas car {reasons}.",
}


def because(lang: Language, reasons: list[str]) -> str:
    joiner = " and " if lang == "en" else " et "
    return _BECAUSE[lang].format(reasons=joiner.join(reasons))


@dataclass(frozen=True)
class ModifierHit:
    """A record fact that raised the level, citing the resource it came from (e.g. "Condition/abc")."""

    id: str
    reason: str
    resource: str | None


@dataclass(frozen=True)
class AskedQuestion:
    """A red-flag question the reply asks (``text`` in the reply's language)."""

    id: str
    text: str
    protocol: str


@dataclass(frozen=True)
class FindingNote:
    """One finding as the triage read it, for the audit and ``triage --json``."""

    concept: str
    person: str  # "self", "child (2 y)", "partner"…
    status: str  # "current", "negated", "explained", "historical+uncertain"…
    text: str
    severity: str | None = None
    onset: str | None = None
    progression: str | None = None
    duration_days: float | None = None
    side: str | None = None
    earlier: bool = False  # said in an earlier turn of the conversation

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"concept": self.concept, "person": self.person, "status": self.status}
        out["text"] = self.text
        for key in ("severity", "onset", "progression", "duration_days", "side"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.earlier:
            out["earlier"] = True
        return out


@dataclass(frozen=True)
class ProtocolOutcome:
    """A protocol that applied to one person: its level (after record-aware modifiers) and why."""

    protocol: str
    person: str
    level: TriageLevel
    base_level: TriageLevel
    criteria: tuple[str, ...]  # every criterion met, in file order ("<protocol>:default" when none)
    modifiers: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "protocol": self.protocol,
            "person": self.person,
            "level": self.level.value,
            "base_level": self.base_level.value,
            "criteria": list(self.criteria),
            "modifiers": list(self.modifiers),
        }


@dataclass(frozen=True)
class TriageDecision:
    level: TriageLevel
    rules: tuple[str, ...]
    advice: str
    call: str | None
    language: Language
    modifiers: tuple[ModifierHit, ...] = ()
    watch_for: tuple[str, ...] = ()
    region: str = "FR"
    protocol: str | None = None  # the protocol that decided (its advice and watch-for are shown)
    criteria: tuple[str, ...] = ()  # the deciding protocol's criteria met
    questions: tuple[AskedQuestion, ...] = ()
    findings: tuple[FindingNote, ...] = ()
    outcomes: tuple[ProtocolOutcome, ...] = ()  # every protocol that applied, highest first
    pending: tuple[
        PendingQuestion, ...
    ] = ()  # ``questions`` with what a yes or no means (kept for the next turn)
    clinical: ClinicalState | None = None  # the clinical picture so far (kept for the next turn)

    def to_info(self) -> TriageInfo:
        return TriageInfo(
            level=self.level,
            rules=list(self.rules),
            advice=self.advice,
            call=self.call,
            protocol=self.protocol,
            questions=[TriageQuestion(id=q.id, text=q.text) for q in self.questions],
        )

    def raised_to(self, level: TriageLevel, rule_id: str) -> TriageDecision:
        """A copy at ``level`` if that is higher, else this decision unchanged: nobody may lower it."""
        level = TriageLevel(level)
        if not rule_id:
            raise ValueError("raising a triage level needs the id of what raised it")
        if level_rank(level) <= level_rank(self.level):
            return self
        numbers = region_numbers(self.region)
        call = numbers.emergency if level is TriageLevel.EMERGENCY else self.call
        advice = level_advice(level, self.language, numbers)
        # the questions were asked to decide between lower levels: a raised level does not wait for them
        return replace(
            self,
            level=level,
            rules=(rule_id, *self.rules),
            advice=advice,
            call=call,
            questions=(),
            pending=(),
        )

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of ``health-assistant triage --json`` and ``--batch``."""
        return {
            "level": self.level.value,
            "rules": list(self.rules),
            "advice": self.advice,
            "call": self.call,
            "language": self.language,
            "modifiers": [{"id": m.id, "reason": m.reason, "resource": m.resource} for m in self.modifiers],
            "watch_for": list(self.watch_for),
            "protocol": self.protocol,
            "criteria": list(self.criteria),
            "questions": [{"id": q.id, "text": q.text} for q in self.questions],
            "findings": [f.as_dict() for f in self.findings],
            "protocols": [o.as_dict() for o in self.outcomes],
        }
