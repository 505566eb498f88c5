"""The narrow protocol every system under test speaks: open a session for a case, send a message, close.

The runner never knows whether the assistant runs in this process or behind a clinic API, so the same
cases and scorers judge both, and a scripted fake stands in for tests.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from assistant.schemas import Language, Turn
from evals.cases import Case

__all__ = ["Target", "TargetError", "TargetUnavailable"]


class TargetError(RuntimeError):
    """One turn failed (bad answer, HTTP error, exception in the assistant); the case fails, the run goes on."""


class TargetUnavailable(TargetError):
    """The target cannot run at all (server down, token refused everywhere); the run stops with exit 3."""


@runtime_checkable
class Target(Protocol):
    @property
    def name(self) -> str: ...

    def open_session(self, case: Case) -> str:
        """Prepare the case's patient (and its record patch) and return a fresh session id."""
        ...

    def send(self, session_id: str, text: str, language: Language) -> Turn: ...

    def close(self) -> None: ...
