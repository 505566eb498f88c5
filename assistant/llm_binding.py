"""Binds an LLM chat backend to one patient: tools on that patient's record, pseudonymised when remote.

The assistant only sees ``LLMPort.compose``; everything that makes a remote call safe happens here in
one place: the tools are bound to the record (no patient id argument), each tool call is written to the
audit log, and when the backend is remote every text sent is masked by the pseudonymiser and the reply
restored before the output guard checks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from assistant.account import SELF, AccountHolder
from assistant.backends.base import ChatBackend
from assistant.composer.perspective import llm_note
from assistant.llm import LLMComposer, PatientTools
from assistant.llm.composer import Draft as LLMDraft
from assistant.ports import GuardPort
from assistant.prompts import load_prompt
from assistant.schemas import Language
from assistant.store import AuditLog
from fhir_client import PatientRecord
from retrieval import RecordRetriever

PROMPT_VERSION = "v1"


@dataclass
class BoundLLM:
    """An ``LLMPort``: ``compose`` runs the tool loop for this patient only."""

    composer: LLMComposer
    name: str

    @property
    def backend_name(self) -> str:
        return self.name

    def compose(
        self, history: Sequence[tuple[str, str]], message: str, *, language: Language = "en"
    ) -> LLMDraft:
        return self.composer.compose(history, message, language=language)


def _language(code: str) -> Language:
    return "fr" if code == "fr" else "en"


def bind_llm(
    backend: ChatBackend,
    record: PatientRecord,
    *,
    guard: GuardPort,
    audit: AuditLog | None = None,
    retriever: RecordRetriever | None = None,
    prompt_version: str = PROMPT_VERSION,
    today: date,
    holder: AccountHolder = SELF,
) -> BoundLLM:
    """``backend`` bound to ``record``'s tools; ``today`` (the caller's clock) dates the age hints the
    pseudonymiser gives a remote model in place of a birth date."""
    patient_id = record.patient_id

    def on_tool_call(name: str, arguments: dict[str, Any], refs: list[str]) -> None:
        if audit is not None:
            audit.record(
                f"tool.{name}",
                patient_id=patient_id,
                actor="assistant",
                resources=refs,
                detail={"arguments": arguments, "backend": backend.name},
            )

    tools = PatientTools(record, retriever=retriever, on_tool_call=on_tool_call)
    prompts = {lang: load_prompt(prompt_version, lang) for lang in ("en", "fr")}
    if backend.remote:
        pseudonymiser = guard.pseudonymiser(record, today=today)
        composer = LLMComposer(
            backend,
            tools,
            prompts,
            mask=pseudonymiser.mask,
            restore=pseudonymiser.restore,
            audience=lambda lang: llm_note(holder, _language(lang)),
        )
    else:
        composer = LLMComposer(
            backend, tools, prompts, audience=lambda lang: llm_note(holder, _language(lang))
        )
    return BoundLLM(composer, backend.name)
