"""What happened in one case: every message sent, every Turn received, how long each took.

Turns are kept as JSON (the public contract), so a log written today reads back identically tomorrow and a
failure can be shown to a reviewer exactly as the patient would have seen it.
"""

from __future__ import annotations

import re
import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.schemas import Turn
from evals.cases import Case
from evals.targets.base import Target, TargetError, TargetUnavailable

__all__ = ["Exchange", "TemplateError", "Transcript", "fill_template", "solve"]

_TEMPLATE = re.compile(r"\{\{\s*(offered_slot_(\d+)|confirm_token)\s*\}\}")


class Exchange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user: str
    turn: dict[str, Any] | None = None
    seconds: float = 0.0
    error: str | None = None

    def parsed(self) -> Turn | None:
        return Turn.model_validate(self.turn) if self.turn is not None else None


class Transcript(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: str
    session_id: str | None = None
    exchanges: list[Exchange] = Field(default_factory=list)
    error: str | None = None

    def turns(self) -> list[Turn]:
        return [t for t in (e.parsed() for e in self.exchanges) if t is not None]

    def text(self) -> str:
        """Everything the patient saw: reply texts, refusal texts, triage advice, citation labels, actions."""
        parts: list[str] = []
        for turn in self.turns():
            parts.append(turn.text)
            parts.append(turn.triage.advice)
            if turn.refusal:
                parts.append(turn.refusal.text)
            parts.extend(c.label for c in turn.citations)
            for action in turn.actions:
                parts.append(action.model_dump_json())
        return "\n".join(p for p in parts if p)


class TemplateError(ValueError):
    """A turn refers to something (an offered slot, a confirmation) no earlier turn produced."""


def fill_template(text: str, previous: list[Turn]) -> str:
    """Replace ``{{offered_slot_N}}`` (start of the N-th slot last offered) and ``{{confirm_token}}``.

    Booking cases need them because the patient's next words depend on what the assistant offered.
    """

    def slot(n: int) -> str:
        for turn in reversed(previous):
            for action in turn.actions:
                if action.kind == "offer_slots" and len(action.slots) >= n:
                    return action.slots[n - 1].start
        raise TemplateError(f"no turn offered a slot #{n}")

    def token() -> str:
        for turn in reversed(previous):
            for action in turn.actions:
                if action.kind == "confirm_booking":
                    return action.token
        raise TemplateError("no turn asked for a confirmation")

    return _TEMPLATE.sub(lambda m: slot(int(m[2])) if m[2] else token(), text)


def solve(case: Case, target: Target) -> Transcript:
    """Play the case's turns in one session; a failing turn ends the case with its error recorded."""
    transcript = Transcript(case_id=case.id)
    try:
        transcript.session_id = target.open_session(case)
    except TargetUnavailable:
        raise
    except TargetError as exc:
        transcript.error = f"open_session: {exc}"
        return transcript
    seen: list[Turn] = []
    for text in case.turns:
        try:
            message = fill_template(text, seen)
        except TemplateError as exc:
            transcript.exchanges.append(Exchange(user=text, error=str(exc)))
            transcript.error = str(exc)
            break
        started = time.perf_counter()
        try:
            turn = target.send(transcript.session_id, message, case.language)
        except TargetUnavailable:
            raise
        except TargetError as exc:
            transcript.exchanges.append(
                Exchange(user=message, seconds=time.perf_counter() - started, error=str(exc))
            )
            transcript.error = str(exc)
            break
        elapsed = time.perf_counter() - started
        seen.append(turn)
        transcript.exchanges.append(
            Exchange(user=message, turn=turn.model_dump(mode="json"), seconds=elapsed)
        )
    return transcript
