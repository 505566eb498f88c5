"""A target that answers from a Python function: for tests of the runner, scorers and reports, and for
evaluators who want to see how a scorer treats a reply before pointing it at a real assistant."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from assistant.schemas import Language, SafetyInfo, TriageInfo, TriageLevel, Turn
from evals.cases import Case
from evals.targets.base import TargetError

__all__ = ["Responder", "ScriptedTarget", "plain_turn"]

# (case, 0-based turn index, user text, language) -> the Turn to return
Responder = Callable[[Case, int, str, Language], Turn]


def plain_turn(
    text: str, language: Language = "en", level: TriageLevel = TriageLevel.NONE, **fields: object
) -> Turn:
    """A minimal valid Turn; ``fields`` override anything (citations, refusal, actions, triage...)."""
    data: dict[str, object] = {
        "session_id": "scripted",
        "text": text,
        "language": language,
        "triage": TriageInfo(level=level, call="112" if level is TriageLevel.EMERGENCY else None),
        "safety": SafetyInfo(backend="scripted", grounded=True),
    }
    data.update(fields)
    return Turn.model_validate(data)


class ScriptedTarget:
    def __init__(self, responder: Responder, *, name: str = "scripted") -> None:
        self._responder = responder
        self._name = name
        self._counter = itertools.count(1)
        self._sessions: dict[str, tuple[Case, int]] = {}
        self.closed = False

    @property
    def name(self) -> str:
        return self._name

    def open_session(self, case: Case) -> str:
        session_id = f"s{next(self._counter)}"
        self._sessions[session_id] = (case, 0)
        return session_id

    def send(self, session_id: str, text: str, language: Language) -> Turn:
        if session_id not in self._sessions:
            raise TargetError(f"no open session {session_id}")
        case, index = self._sessions[session_id]
        self._sessions[session_id] = (case, index + 1)
        turn = self._responder(case, index, text, language)
        return turn.model_copy(update={"session_id": session_id})

    def close(self) -> None:
        self.closed = True
