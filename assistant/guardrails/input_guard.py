"""The input guard: the first thing every patient message meets.

It never raises on bad input: an empty or over-long message, an injection attempt or a request the
assistant must decline all come back as an ``InputVerdict`` the assistant turns into a kind reply.
It does not decide urgency: the triage engine runs on the message whatever the verdict, so an emergency
hidden inside a blocked message is still escalated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.guardrails._text import fold
from assistant.guardrails.patterns import PatternRule
from assistant.guardrails.people import KnownNames, mark_people
from assistant.guardrails.requests import classify, strongest_category
from assistant.guardrails.triage import detect_language
from assistant.schemas import Language, RefusalCategory

__all__ = ["DEFAULT_MAX_CHARS", "EMPTY_FLAG", "OVERSIZE_FLAG", "InputVerdict", "check_input"]

DEFAULT_MAX_CHARS = 4000
OVERSIZE_FLAG = "message-too-long"
EMPTY_FLAG = "empty-message"


@dataclass(frozen=True)
class InputVerdict:
    """What the input guard saw.

    ``flags`` are short ids for ``safety.flags`` (see the README's list); ``rules`` the pattern rules
    that fired, for the audit trail. ``blocked`` means "do not answer the request itself": either
    ``refusal`` says which refusal to give, or the message was empty or too long (``reason`` says which).
    """

    language: Language
    flags: tuple[str, ...]
    refusal: RefusalCategory | None
    blocked: bool
    reason: str
    rules: tuple[str, ...] = ()

    @property
    def oversize(self) -> bool:
        return OVERSIZE_FLAG in self.flags


def check_input(
    text: str,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    language: Language | None = None,
    rules: Sequence[PatternRule] | None = None,
    known_names: KnownNames | None = None,
) -> InputVerdict:
    """Check one patient message. ``language`` forces the language; otherwise it is detected.

    ``known_names`` (the patient's own names and their care team's) keeps "Lupe Little's blood
    pressure", typed by Lupe Little, from reading as a request about another person.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    # One detector for the whole turn (the triage engine's), so refusals and advice agree on language.
    lang = language or detect_language(text[:max_chars])
    if len(text) > max_chars:
        return InputVerdict(
            lang,
            (OVERSIZE_FLAG,),
            None,
            True,
            f"message is {len(text)} characters; the limit is {max_chars}",
        )
    folded = fold(text)
    if not folded:
        return InputVerdict(lang, (EMPTY_FLAG,), None, True, "message is empty")
    marked, _names = mark_people(text, folded, known_names)
    hits = classify(marked, rules)
    flags = tuple(dict.fromkeys(hit.flag for hit in hits))
    refusal = strongest_category(hits)
    if refusal is None:
        return InputVerdict(lang, flags, None, False, "", tuple(hit.rule for hit in hits))
    first = next(hit for hit in hits if hit.category is refusal)
    reason = f"{first.flag} (rule {first.rule}): matched {first.matched!r}"
    return InputVerdict(lang, flags, refusal, True, reason, tuple(hit.rule for hit in hits))
