"""Many patients, one process: hands out an ``Assistant`` bound to the authenticated patient.

The clinic API and the patient app serve many patients from one process. They never build an
assistant themselves: they ask this service for the one bound to the token's patient, so isolation is
decided in one place. Records are cached briefly (a FHIR read per message would be slow and the record
rarely changes within minutes) and indexed on first use; nothing else is kept in memory that a second
process would need — sessions, state and audit live in the store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from assistant.account import SELF, AccountHolder
from assistant.assistant import Assistant
from assistant.ports import BookingPort, GuardPort, LLMPort
from assistant.store import ErasureResult, SessionStore
from assistant.store.timestamps import utc_now
from fhir_client import PatientRecord
from retrieval import ConceptMap, RecordRetriever

RecordLoader = Callable[[str], PatientRecord]
BookingFactory = Callable[[str], BookingPort | None]
LLMFactory = Callable[[PatientRecord, SessionStore, AccountHolder], LLMPort | None]


@dataclass
class _Cached:
    record: PatientRecord
    loaded_at: float


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
        retriever: RecordRetriever | None = None,
        booking_for: BookingFactory | None = None,
        llm_for: LLMFactory | None = None,
        region: str = "FR",
        timezone: str = "Europe/Paris",
        clock: Callable[[], datetime] = utc_now,
        record_ttl_seconds: float = 300.0,
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
        self.concepts = ConceptMap.load()
        self._records: dict[str, _Cached] = {}
        self._llms: dict[tuple[str, AccountHolder], tuple[PatientRecord, LLMPort | None]] = {}
        self._assistants: dict[tuple[str, bool, bool, AccountHolder], Assistant] = {}
        self._lock = threading.Lock()

    def record(self, patient_id: str, *, refresh: bool = False) -> PatientRecord:
        """The patient's record, loaded (and indexed) at most once per TTL."""
        with self._lock:
            cached = self._records.get(patient_id)
            if cached is not None and not refresh and time.monotonic() - cached.loaded_at < self.ttl:
                return cached.record
        record = self._load_record(patient_id)
        if self.retriever is not None:
            self.retriever.index_record(record)
        with self._lock:
            self._records[patient_id] = _Cached(record, time.monotonic())
        return record

    def assistant(
        self,
        patient_id: str,
        *,
        can_book: bool = True,
        use_llm: bool = True,
        holder: AccountHolder = SELF,
    ) -> Assistant:
        """The patient's assistant, reused while their record is unchanged: it holds the record's parsed
        readings and cards, which are costly to rebuild for every message of a large record.

        ``can_book=False`` (e.g. a read-only SMART token) gives an assistant with no booking at all;
        ``use_llm=False`` (the patient refused that context goes to a remote model) one that answers
        offline; ``holder`` says who is typing (a parent for their child). Each combination is a separate
        instance, so one caller's rights or perspective never leak into another's.
        """
        record = self.record(patient_id)
        key = (patient_id, can_book, use_llm, holder)
        with self._lock:
            cached = self._assistants.get(key)
        if cached is not None and cached.record is record:
            return cached
        assistant = Assistant(
            record=record,
            store=self.store,
            guard=self.guard,
            retriever=self.retriever,
            booking=self._booking_for(patient_id) if self._booking_for and can_book else None,
            llm=self._llm(patient_id, record, holder) if use_llm else None,
            region=self.region,
            timezone=self.timezone,
            clock=self.clock,
            concepts=self.concepts,
            account_holder=holder,
        )
        with self._lock:
            self._assistants[key] = assistant
        return assistant

    def _llm(self, patient_id: str, record: PatientRecord, holder: AccountHolder) -> LLMPort | None:
        """One LLM binding per loaded record: its pseudonymiser keeps one mapping per patient (the same
        placeholder for the same name across turns) and is costly to build from a large record."""
        if self._llm_for is None:
            return None
        with self._lock:
            cached = self._llms.get((patient_id, holder))
        if cached is not None and cached[0] is record:
            return cached[1]
        llm = self._llm_for(record, self.store, holder)
        with self._lock:
            self._llms[(patient_id, holder)] = (record, llm)
        return llm

    def drop_cached(self, patient_id: str) -> None:
        """Forget the in-memory copy of the record (and the assistants holding it): the next read loads it
        again from its source — e.g. a record now connected with the patient's own sign-in."""
        with self._lock:
            self._records.pop(patient_id, None)
            for llm_key in [k for k in self._llms if k[0] == patient_id]:
                self._llms.pop(llm_key, None)
            for key in [k for k in self._assistants if k[0] == patient_id]:
                self._assistants.pop(key, None)

    def forget(self, patient_id: str) -> Erasure:
        """Delete the patient's sessions, pending state, index and cached record."""
        result = self.store.delete_patient_data(patient_id)
        removed = self.retriever.erase(patient_id) if self.retriever is not None else False
        self.drop_cached(patient_id)
        return Erasure(store=result, index_removed=removed)
