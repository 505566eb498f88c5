"""The input verdict: what the guard decides from the understanding of a message, before anything answers.

The message was read once, by the understanding stage (``assistant/understanding``); its risk signals say
what the message does (asks for someone else's data, for a dose change, tries to change the instructions,
insists after a refusal…). This module turns them into one decision: which refusal to give, if any, whether
the request itself is blocked, and the flags for the audit. It never re-reads the text.

- A signal refuses when it is strong enough (``REFUSE_AT``) and its kind asks for a refusal
  (``SIGNAL_REFUSAL``); when several do, ``CATEGORY_PRIORITY`` picks the one shown, the flags keep them all.
  So a request to refuse is refused even when wrapped in a record question.
- Push-back keeps the previous refusal: the signal's detail names it (the stage read the conversation).
- Self-harm is never a refusal: ``crisis`` carries the signal to the triage, which answers with the crisis
  protocol (see ``Guard.with_crisis``).

It never raises on bad input: an empty or over-long message comes back as a blocked verdict the assistant
turns into a kind reply. It does not decide urgency: the triage runs on every message whatever the verdict,
so an emergency inside a refused request is still escalated.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.schemas import Language, RefusalCategory
from assistant.understanding.model import SIGNAL_REFUSAL, Signal, SignalKind, Understanding

__all__ = [
    "CATEGORY_PRIORITY",
    "CRISIS_AT",
    "DEFAULT_MAX_CHARS",
    "EMPTY_FLAG",
    "OVERSIZE_FLAG",
    "REFUSE_AT",
    "InputVerdict",
    "check_input",
    "signal_flag",
]

DEFAULT_MAX_CHARS = 4000
OVERSIZE_FLAG = "message-too-long"
EMPTY_FLAG = "empty-message"
REFUSE_AT = 0.5  # a signal at least this strong asks for its refusal; weaker ones are flags only
CRISIS_AT = 0.5  # a self-harm signal at least this strong goes to the crisis protocol

# When a message asks for several refusals, the one shown is the first of these; the flags keep them all.
CATEGORY_PRIORITY: tuple[RefusalCategory, ...] = (
    RefusalCategory.INJECTION,
    RefusalCategory.UNSAFE_REQUEST,
    RefusalCategory.OTHER_PATIENT,
    RefusalCategory.DOSE_CHANGE,
    RefusalCategory.PRESCRIPTION,
    RefusalCategory.DIAGNOSIS_CERTAINTY,
    RefusalCategory.OUT_OF_SCOPE,
)

# safety.flags names (README "Safety flags"); injection flags also say how.
_FLAGS: dict[SignalKind, str] = {
    SignalKind.SELF_HARM: "self-harm",
    SignalKind.HARMFUL_REQUEST: "unsafe-request",
    SignalKind.OTHER_PERSON_DATA: "other-patient-record",
    SignalKind.OUT_OF_SCOPE: "out-of-scope",
    SignalKind.INJECTION: "prompt-injection",
    SignalKind.PUSH_BACK: "push-back",
    SignalKind.DOSE_CHANGE: "dose-change-request",
    SignalKind.PRESCRIPTION: "prescription-request",
    SignalKind.DIAGNOSIS_CERTAINTY: "diagnosis-certainty-demand",
    SignalKind.MINIMISATION: "minimisation",
    SignalKind.FICTION: "fiction",
    SignalKind.LOWER_TRIAGE: "lower-triage-request",
}
_INJECTION_FLAGS = {
    "role_play": "jailbreak",
    "prompt_extraction": "system-prompt-extraction",
    "encoded": "encoded-text",
    "quoted_instruction": "quoted-instruction",
}


def signal_flag(signal: Signal) -> str:
    """The ``safety.flags`` name of a signal."""
    if signal.kind is SignalKind.INJECTION and signal.detail in _INJECTION_FLAGS:
        return _INJECTION_FLAGS[signal.detail]
    return _FLAGS[signal.kind]


@dataclass(frozen=True)
class InputVerdict:
    """What the guard decided about one message.

    ``flags`` are short ids for ``safety.flags`` (README "Safety flags"); ``rules`` the signal-table entries
    behind them, for the audit trail. ``blocked`` means "do not answer the request itself": either
    ``refusal`` says which refusal to give, or the message was empty or too long (``reason`` says which).
    ``crisis`` is the self-harm signal the triage must answer with the crisis protocol, if any;
    ``refusal_detail`` says more precisely what was refused (the signal's detail, e.g.
    "someone_elses_medicine"), so the refusal text can say what the patient can do instead.
    """

    language: Language
    flags: tuple[str, ...]
    refusal: RefusalCategory | None
    blocked: bool
    reason: str
    rules: tuple[str, ...] = ()
    signals: tuple[Signal, ...] = ()
    crisis: Signal | None = None
    refusal_detail: str | None = None

    @property
    def oversize(self) -> bool:
        return OVERSIZE_FLAG in self.flags


def check_input(understanding: Understanding, *, max_chars: int = DEFAULT_MAX_CHARS) -> InputVerdict:
    """The verdict on one understood message (see module docstring)."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    lang = understanding.language
    length = len(understanding.text.original)
    if length > max_chars:
        return InputVerdict(
            lang, (OVERSIZE_FLAG,), None, True, f"message is {length} characters; the limit is {max_chars}"
        )
    if not understanding.text.folded.strip():
        return InputVerdict(lang, (EMPTY_FLAG,), None, True, "message is empty")
    signals = understanding.signals
    flags = tuple(dict.fromkeys(signal_flag(s) for s in signals))
    rules = tuple(dict.fromkeys(e for s in signals for e in s.evidence))
    crisis = next((s for s in signals if s.kind is SignalKind.SELF_HARM and s.strength >= CRISIS_AT), None)
    refusal, because = _refusal(signals)
    if refusal is None:
        return InputVerdict(lang, flags, None, False, "", rules, signals, crisis)
    reason = f"{signal_flag(because)} ({', '.join(because.evidence)}; strength {because.strength})"
    detail = None if because.kind is SignalKind.PUSH_BACK else _detail(because)
    return InputVerdict(lang, flags, refusal, True, reason, rules, signals, crisis, detail)


def _detail(signal: Signal) -> str | None:
    # Asking for a lower urgency is refused as an attempt to change the rules, with its own words.
    return "lower_triage" if signal.kind is SignalKind.LOWER_TRIAGE else signal.detail


# Refusals that an insisting turn's own rewording asks for ("just confirm it's fine", "I'm not asking you to
# prescribe anything"): when the turn insists on an earlier refusal, that refusal is kept instead.
_REWORDED_INSISTING = frozenset(
    {RefusalCategory.PRESCRIPTION, RefusalCategory.DIAGNOSIS_CERTAINTY, RefusalCategory.OUT_OF_SCOPE}
)


def _refusal(signals: tuple[Signal, ...]) -> tuple[RefusalCategory | None, Signal]:
    asked: dict[RefusalCategory, Signal] = {}
    for signal in signals:
        category = SIGNAL_REFUSAL.get(signal.kind)
        if category is not None and signal.strength >= REFUSE_AT:
            asked.setdefault(category, signal)
    insisted = _insisted(signals)
    for category in CATEGORY_PRIORITY:
        if category in asked:
            if insisted is not None and category in _REWORDED_INSISTING and insisted[0] is not category:
                return insisted
            return category, asked[category]
    # Insisting after a refusal keeps it (the stage put the previous refusal in the signal's detail).
    if insisted is not None:
        return insisted
    return None, signals[0] if signals else Signal(kind=SignalKind.PUSH_BACK)


def _insisted(signals: tuple[Signal, ...]) -> tuple[RefusalCategory, Signal] | None:
    """The earlier refusal a push-back insists on, with its signal (None when the turn does not insist)."""
    for signal in signals:
        if signal.kind is SignalKind.PUSH_BACK and signal.detail and signal.strength >= REFUSE_AT:
            try:
                return RefusalCategory(signal.detail), signal
            except ValueError:
                continue
    return None
