"""Many patients, one process: hands out an ``Assistant`` bound to the authenticated patient.

The clinic API and the patient app serve many patients from one process. They never build an
assistant themselves: they ask this service for the one bound to the token's patient, so isolation is
decided in one place. Records are cached briefly (a FHIR read per message would be slow and the record
rarely changes within minutes) and indexed on first use; nothing else is kept in memory that a second
process would need — sessions, state and audit live in the store.

Thread safety (the API serves requests from a thread pool): everything derived from a patient's record
lives in that patient's entry (``_Patient``) and is built under that entry's lock, once; the objects
shared by all patients (the guard, the concepts, the store, the retriever) hold no per-patient slot.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from assistant.account import SELF, AccountHolder
from assistant.assistant import Assistant
from assistant.ports import BookingPort, GuardPort, LLMPort
from assistant.store import ErasureResult, SessionStore
from fhir_client import PatientRecord
from retrieval import ConceptMap, RecordRetriever

RecordLoader = Callable[[str], PatientRecord]
BookingFactory = Callable[[str], BookingPort | None]
LLMFactory = Callable[[PatientRecord, SessionStore, AccountHolder], LLMPort | None]
# An assistant per (can book, may use the LLM, who is typing): rights and perspective never mix.
_AssistantKey = tuple[bool, bool, AccountHolder]


@dataclass
class _Patient:
    """Everything this process holds for ONE patient, loaded together and replaced together.

    The record, its assistants (with booking and without) and the LLM binding (whose pseudonymiser keeps
    one mapping per patient) all belong to the same loaded record, so a refresh can never pair one
    patient's record with another load's assistant. The lock makes "load if missing or stale" happen once
    per patient, however many requests for that patient arrive together; other patients never wait on it.
    """

    lock: threading.Lock = field(default_factory=threading.Lock)
    record: PatientRecord | None = None
    loaded_at: float = 0.0
    assistants: dict[_AssistantKey, Assistant] = field(default_factory=dict)
    llms: dict[AccountHolder, LLMPort | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Erasure:
    """What ``forget`` removed for the patient (right to erasure)."""

    store: ErasureResult
    index_removed: bool


class AssistantService:
    def __init__(
        self,
        *,
        store: SessionStore,
        guard: GuardPort,
        load_record: RecordLoader,
        clock: Callable[[], datetime],
        retriever: RecordRetriever | None = None,
        booking_for: BookingFactory | None = None,
        llm_for: LLMFactory | None = None,
        region: str = "FR",
        timezone: str = "Europe/Paris",
        record_ttl_seconds: float = 300.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.guard = guard
        self.retriever = retriever
        self._load_record = load_record
        self._booking_for = booking_for
        self._llm_for = llm_for
        self.region = region
        self.timezone = timezone
        self.clock = clock
        self.ttl = record_ttl_seconds
        self._monotonic = monotonic  # record freshness is a duration, not a date
        self.concepts = ConceptMap.load()
        self._patients: dict[str, _Patient] = {}
        self._lock = threading.Lock()  # guards ``_patients`` itself, held only to find an entry

    def _entry(self, patient_id: str) -> _Patient:
        with self._lock:
            entry = self._patients.get(patient_id)
            if entry is None:
                entry = self._patients[patient_id] = _Patient()
            return entry

    def _loaded(self, entry: _Patient, patient_id: str, refresh: bool) -> PatientRecord:
        """The entry's record, (re)loaded and indexed if missing, stale or asked for; hold ``entry.lock``."""
        fresh = entry.record is not None and self._monotonic() - entry.loaded_at < self.ttl
        if entry.record is not None and fresh and not refresh:
            return entry.record
        record = self._load_record(patient_id)
        if self.retriever is not None:
            self.retriever.index_record(record)
        entry.record, entry.loaded_at = record, self._monotonic()
        entry.assistants.clear()
        entry.llms.clear()
        return record

    def record(self, patient_id: str, *, refresh: bool = False) -> PatientRecord:
        """The patient's record, loaded (and indexed) at most once per TTL."""
        entry = self._entry(patient_id)
        with entry.lock:
            return self._loaded(entry, patient_id, refresh)

    def assistant(
        self,
        patient_id: str,
        *,
        can_book: bool = True,
        use_llm: bool = True,
        holder: AccountHolder = SELF,
    ) -> Assistant:
        """The patient's assistant, reused while their record is unchanged: it holds the record's parsed
        readings and cards and its own ``PatientGuard``, which are costly to rebuild for every message of
        a large record and must never be shared with another patient.

        ``can_book=False`` (e.g. a read-only SMART token) gives an assistant with no booking at all;
        ``use_llm=False`` (the patient refused that context goes to a remote model) one that answers
        offline; ``holder`` says who is typing (a parent for their child). Each combination is a separate
        instance, so one caller's rights or perspective never leak into another's.
        """
        entry = self._entry(patient_id)
        with entry.lock:
            record = self._loaded(entry, patient_id, refresh=False)
            key = (can_book, use_llm, holder)
            cached = entry.assistants.get(key)
            if cached is not None:
                return cached
            llm: LLMPort | None = None
            if use_llm and self._llm_for is not None:
                if holder not in entry.llms:
                    # One LLM binding per loaded record and holder: its pseudonymiser keeps one mapping
                    # per patient (the same placeholder for the same name across turns).
                    entry.llms[holder] = self._llm_for(record, self.store, holder)
                llm = entry.llms[holder]
            assistant = Assistant(
                record=record,
                store=self.store,
                guard=self.guard,
                retriever=self.retriever,
                booking=self._booking_for(patient_id) if self._booking_for and can_book else None,
                llm=llm,
                region=self.region,
                timezone=self.timezone,
                clock=self.clock,
                concepts=self.concepts,
                account_holder=holder,
            )
            entry.assistants[key] = assistant
            return assistant

    def drop_cached(self, patient_id: str) -> None:
        """Forget the in-memory copy of the record (and the assistants holding it): the next read loads it
        again from its source — e.g. a record now connected with the patient's own sign-in."""
        with self._lock:
            self._patients.pop(patient_id, None)

    def forget(self, patient_id: str) -> Erasure:
        """Delete the patient's sessions, pending state, index and cached record."""
        result = self.store.delete_patient_data(patient_id)
        removed = self.retriever.erase(patient_id) if self.retriever is not None else False
        self.drop_cached(patient_id)
        return Erasure(store=result, index_removed=removed)
