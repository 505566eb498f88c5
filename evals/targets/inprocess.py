"""Drive the public ``Assistant`` in this process: the offline suites, and CI, run this way.

The target is built from a factory ``(patient_src) -> assistant`` so it does not care how the assistant is
composed; the composition root (``health_assistant.factory.build_assistant``) passes one bound to its
settings. ``patient_src`` is what ``--patient`` takes on the command line: a Bundle file (here the shared
Synthea file, or a patched copy when the case plants resources in the record) or ``fhir:<id>``.
Assistants are cached per source, so a record is loaded and indexed once per run, not once per case.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from assistant.schemas import Language, Turn
from evals.cases import Case
from evals.records import PatientDirectory
from evals.targets.base import TargetError

__all__ = ["AssistantLike", "InProcessTarget"]


class AssistantLike(Protocol):
    def respond(self, session_id: str, message: str, *, language: Language | None = ...) -> Turn: ...


class InProcessTarget:
    def __init__(
        self,
        factory: Callable[[str], Any],
        directory: PatientDirectory,
        *,
        default_patient: str,
        workdir: str | Path | None = None,
        name: str = "in-process",
        from_server: bool = False,
        closer: Callable[[Any], None] | None = None,
        keep: int = 3,
    ) -> None:
        self._factory = factory
        self._directory = directory
        self._default = default_patient
        self._tmp = None if workdir else tempfile.TemporaryDirectory(prefix="evals-records-")
        self._workdir = Path(workdir) if workdir else Path(self._tmp.name)  # type: ignore[union-attr]
        self._assistants: dict[str, Any] = {}
        self._sessions: dict[str, Any] = {}
        self._name = name
        self._from_server = from_server
        self._closer = closer
        self._keep = max(1, keep)

    @property
    def name(self) -> str:
        return self._name

    def patient_src(self, case: Case) -> str:
        patient = case.patient or self._default
        if patient.startswith("fhir:"):
            if case.record_patch:
                raise TargetError(f"case {case.id}: record_patch needs a file patient, not {patient}")
            return patient
        if case.record_patch:
            return str(self._directory.write_patched(patient, case.record_patch, self._workdir))
        if self._from_server:
            # The clinic's FHIR server holds the same patient under the file name's uuid; reading it from
            # there lets booking act on a patient the scheduling system knows.
            return f"fhir:{self._directory.server_id(patient)}"
        return str(self._directory.path(patient))

    def open_session(self, case: Case) -> str:
        src = self.patient_src(case)
        assistant = self._assistants.pop(src, None)
        if assistant is None:
            try:
                assistant = self._factory(src)
            except Exception as exc:  # the factory is someone else's code: report, don't crash the run
                raise TargetError(f"building the assistant for {src} failed: {exc}") from exc
        self._assistants[src] = assistant  # most recently used last
        while len(self._assistants) > self._keep:
            # An assistant holds its record, index client and store: keep only a few (the runner groups
            # cases by patient, so an evicted one is rarely needed again).
            oldest = next(iter(self._assistants))
            self._release(self._assistants.pop(oldest))
        opener = getattr(assistant, "new_session", None) or getattr(assistant, "open_session", None)
        if not callable(opener):
            session_id = str(uuid.uuid4())
        else:
            try:
                session_id = str(opener(language=case.language))
            except TypeError:
                session_id = str(opener())
        self._sessions[session_id] = assistant
        return session_id

    def send(self, session_id: str, text: str, language: Language) -> Turn:
        assistant = self._sessions.get(session_id)
        if assistant is None:
            raise TargetError(f"no open session {session_id}")
        try:
            turn = assistant.respond(session_id, text, language=language)
        except Exception as exc:
            raise TargetError(f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(turn, Turn):
            raise TargetError(f"respond() returned {type(turn).__name__}, not a Turn")
        return turn

    def _release(self, assistant: Any) -> None:
        self._sessions = {k: v for k, v in self._sessions.items() if v is not assistant}
        if self._closer is not None:
            self._closer(assistant)
        elif callable(getattr(assistant, "close", None)):
            assistant.close()

    def close(self) -> None:
        for assistant in self._assistants.values():
            self._release(assistant)
        self._assistants.clear()
        self._sessions.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
