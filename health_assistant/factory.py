"""Composition root: builds the assistant and its collaborators from ``Settings``.

Everything below this module takes plain constructor arguments; this is the one place (with the API
app factory and the UI, which call it) that decides URLs, directories and which backend runs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from zoneinfo import ZoneInfo

from assistant import Assistant
from assistant.account import SELF, AccountHolder
from assistant.booking import BookingFlow
from assistant.guardrails import Guard
from assistant.ports import BookingPort, LLMPort
from assistant.region import region_code
from assistant.service import AssistantService
from assistant.store import SessionStore, sqlite_url
from fhir_client import FhirError, PatientRecord, load_patient_from_server
from fhir_client.scheduling import SchedulingClient
from health_assistant.clock import Clock, clock_at
from health_assistant.fhir_access import clinic_fhir
from health_assistant.settings import Settings
from health_assistant.sources import load_patient_source
from retrieval import EmbeddingModelMissing, RecordRetriever

log = logging.getLogger(__name__)


def region_of(locale: str) -> str:
    """ "fr-FR" → "FR", "en_US" → "US"; a bare language falls back to France (the demo clinic)."""
    parts = locale.replace("_", "-").split("-")
    return region_code(locale) if len(parts) > 1 and parts[1] else "FR"


def clock_for(settings: Settings) -> Clock:
    """The one clock of a process: the machine's, or the instant ``HEALTH_ASSISTANT_NOW`` freezes it at."""
    return clock_at(settings.now)


def open_store(settings: Settings, clock: Clock | None = None) -> SessionStore:
    clock = clock or clock_for(settings)
    if settings.database_url:
        return SessionStore(settings.database_url, clock=clock)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SessionStore(sqlite_url(settings.data_dir), clock=clock)


def open_retriever(settings: Settings) -> RecordRetriever | None:
    """The record index: embedded chromadb under DATA_DIR, or the Chroma server at CHROMA_URL (shared by
    every worker, nothing on local disk); ``None`` (exact queries only) if the embedding model is missing."""
    try:
        return RecordRetriever(settings.data_dir / "index", chroma_url=settings.chroma_url)
    except EmbeddingModelMissing as exc:  # pragma: no cover - the wheel is a hard dependency
        log.warning("record index disabled: %s", exc)
        return None


def build_guard(settings: Settings) -> Guard:
    rules_dir = getattr(settings, "triage_rules_dir", None)
    extra = [Path(rules_dir)] if rules_dir else []
    return Guard.default(region=region_of(settings.locale), extra_rules_dirs=extra)


def open_scheduling(settings: Settings, clock: Clock | None = None) -> SchedulingClient:
    """One scheduling client for every patient: httpx pools connections and is thread-safe, and each
    call names the patient it acts for. Writes go through the clinic's system credential when set
    (``FHIR_SYSTEM_TOKEN``, or the SMART Backend Services client of ``FHIR_SYSTEM_CLIENT_ID``)."""
    client = clinic_fhir(settings)
    system = None
    separate = settings.fhir_system_token and settings.fhir_system_token != settings.fhir_token
    if separate and not settings.fhir_system_client_id:
        system = clinic_fhir(settings, writes=True)
    return SchedulingClient(client, system_client=system, clock=clock or clock_for(settings))


def booking_factory(
    settings: Settings,
    scheduling: SchedulingClient | None = None,
    *,
    recheck_seconds: float = 300.0,
    clock: Clock | None = None,
) -> Callable[[str], BookingPort | None]:
    """Booking for a patient who exists on the clinic's FHIR server; ``None`` when it cannot work.

    Built once per process: the flows (and whether the patient exists on the server) are remembered per
    patient, so a message costs no extra FHIR round trip; a missing patient is asked again after
    ``recheck_seconds`` (the server may have come up since).
    """
    clock = clock or clock_for(settings)
    shared = scheduling or open_scheduling(settings, clock)
    flows: dict[str, BookingFlow] = {}
    missing: dict[str, float] = {}
    lock = threading.Lock()

    def make(patient_id: str) -> BookingPort | None:
        with lock:
            flow = flows.get(patient_id)
            checked = missing.get(patient_id)
        if flow is not None:
            return flow
        if checked is not None and time.monotonic() - checked < recheck_seconds:
            return None
        try:
            shared.client.read("Patient", patient_id)
        except FhirError as exc:
            log.info("booking off for Patient/%s: %s", patient_id, exc)
            with lock:
                missing[patient_id] = time.monotonic()
            return None
        flow = BookingFlow(
            shared,
            patient_id=patient_id,
            timezone=settings.timezone,
            clock=clock,
            region=region_of(settings.locale),
        )
        with lock:
            flows[patient_id] = flow
            missing.pop(patient_id, None)
        return flow

    return make


def llm_factory(
    settings: Settings, guard: Guard, retriever: RecordRetriever | None, clock: Clock | None = None
) -> Callable[..., LLMPort | None]:
    now = clock or clock_for(settings)

    def make(record: PatientRecord, store: SessionStore, holder: AccountHolder = SELF) -> LLMPort | None:
        if settings.offline:
            return None
        from assistant.backends import create_backend
        from assistant.llm_binding import bind_llm

        backend = create_backend(
            settings.llm_backend,
            base_url=settings.llm_base_url or "https://api.openai.com/v1",
            model=settings.llm_model or "gpt-4o-mini",
            api_key=settings.llm_api_key,
            timeout=settings.llm_timeout,
        )
        today = now().astimezone(ZoneInfo(settings.timezone)).date()
        return bind_llm(
            backend, record, guard=guard, audit=store.audit, retriever=retriever, today=today, holder=holder
        )

    return make


def build_service(
    settings: Settings,
    *,
    load_record: Callable[[str], PatientRecord] | None = None,
    scheduling: SchedulingClient | None = None,
    clock: Clock | None = None,
) -> AssistantService:
    """The multi-patient service the API and the UI use; records come from the FHIR server by default.

    ``clock`` is the one clock of everything built here (the store's timestamps, triage's "today", the
    booking flow's "tomorrow", slot searches): the machine's, unless a test or a reproducible run passes
    a fixed one (or ``HEALTH_ASSISTANT_NOW`` freezes it)."""
    clock = clock or clock_for(settings)
    guard = build_guard(settings)
    retriever = open_retriever(settings)

    def from_server(patient_id: str) -> PatientRecord:
        with clinic_fhir(settings) as fhir:  # as the clinic (system client when the server wants SMART)
            return load_patient_from_server(fhir, patient_id)

    return AssistantService(
        store=open_store(settings, clock),
        guard=guard,
        load_record=load_record or from_server,
        clock=clock,
        retriever=retriever,
        booking_for=booking_factory(settings, scheduling, clock=clock),
        llm_for=llm_factory(settings, guard, retriever, clock),
        region=region_of(settings.locale),
        timezone=settings.timezone,
    )


def build_assistant(
    source: str, settings: Settings, *, fhir_url: str | None = None, clock: Clock | None = None
) -> Assistant:
    """One patient's assistant for the CLI: SRC is a Bundle file or ``fhir:<id>``."""
    if fhir_url:
        settings = settings.model_copy(update={"fhir_url": fhir_url})
    record = load_patient_source(source, fhir_url=settings.fhir_url)
    service = build_service(settings, load_record=lambda _pid: record, clock=clock)
    return service.assistant(record.patient_id)


def close_quietly(assistant: Assistant) -> None:
    with suppress(Exception):
        assistant.store.close()
    if assistant.retriever is not None:
        with suppress(Exception):
            assistant.retriever.close()
