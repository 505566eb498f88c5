"""The audit log: what is recorded, how it is queried, what is refused, what survives deletion."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.store import AuditLog, SessionStore

from .conftest import FakeClock


def test_record_returns_the_stored_entry(store: SessionStore, clock: FakeClock) -> None:
    entry = store.audit.record(
        "tool.get_latest",
        patient_id="patient-a",
        actor="assistant",
        resources=["Observation/hba1c-1", "Patient/patient-a"],
        outcome="ok",
        session_id="s-1",
        detail={"code": "4548-4", "results": 1},
    )

    assert entry.id > 0
    assert entry.at == clock.now
    assert (entry.patient_id, entry.actor, entry.action, entry.outcome) == (
        "patient-a",
        "assistant",
        "tool.get_latest",
        "ok",
    )
    assert entry.resources == ("Observation/hba1c-1", "Patient/patient-a")
    assert store.audit.query("patient-a") == [entry]


def test_query_filters_by_patient_time_action_and_session(store: SessionStore, clock: FakeClock) -> None:
    start = clock.now
    store.audit.record("record.read", patient_id="patient-a", actor="patient", session_id="s-1")
    clock.advance(hours=1)
    store.audit.record(
        "booking.book",
        patient_id="patient-a",
        actor="patient",
        session_id="s-2",
        resources=["Slot/s1", "Appointment/a1"],
    )
    clock.advance(hours=1)
    store.audit.record("record.read", patient_id="patient-b", actor="patient", session_id="s-3")

    assert [e.action for e in store.audit.query("patient-a")] == ["record.read", "booking.book"]
    assert [e.session_id for e in store.audit.query("patient-a", since=start + timedelta(minutes=30))] == [
        "s-2"
    ]
    assert [e.patient_id for e in store.audit.query(action="record.read")] == ["patient-a", "patient-b"]
    assert [e.action for e in store.audit.query(session_id="s-2")] == ["booking.book"]
    assert [e.session_id for e in store.audit.query(until=start + timedelta(minutes=30))] == ["s-1"]
    assert [e.session_id for e in store.audit.query(limit=2)] == ["s-1", "s-2"]
    assert store.audit.query("patient-c") == []


def test_since_accepts_any_time_zone(store: SessionStore, clock: FakeClock) -> None:
    store.audit.record("record.read", patient_id="patient-a", actor="patient")
    paris = clock.now.astimezone(ZoneInfo("Europe/Paris"))
    assert len(store.audit.query("patient-a", since=paris)) == 1
    assert store.audit.query("patient-a", since=paris + timedelta(seconds=1)) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": "Read Record"}, "action"),
        ({"action": ""}, "action"),
        ({"actor": "hacker"}, "actor"),
        ({"outcome": "Maybe!"}, "outcome"),
        ({"resources": ["Observation"]}, "resources"),
        ({"resources": ["http://evil/Observation/1"]}, "resources"),
        ({"patient_id": ""}, "patient id"),
        ({"detail": {"when": object()}}, "JSON"),
    ],
)
def test_malformed_entries_are_refused_and_nothing_is_written(
    store: SessionStore, kwargs: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {"action": "record.read", "patient_id": "patient-a", "actor": "patient"}
    fields.update(kwargs)
    with pytest.raises(ValueError, match=message):
        store.audit.record(**fields)  # type: ignore[arg-type]
    assert store.audit.query() == []


def test_naive_times_are_refused(store: SessionStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.audit.query("patient-a", since=datetime(2026, 1, 1))


def test_session_lifecycle_is_audited_and_survives_deletion(store: SessionStore) -> None:
    session_id = store.create_session("patient-a", "fr")
    store.audit.record("tool.search_record", patient_id="patient-a", actor="assistant", session_id=session_id)
    store.delete_session(session_id, "patient-a")
    store.delete_session(session_id, "patient-a")

    entries = store.audit.query(session_id=session_id)
    assert [(e.action, e.outcome) for e in entries] == [
        ("session.create", "ok"),
        ("tool.search_record", "ok"),
        ("session.delete", "ok"),
        ("session.delete", "not_found"),
    ]
    assert entries[0].detail == {"language": "fr", "backend": "offline"}


def test_an_attempt_on_another_patients_session_is_audited_under_the_caller(store: SessionStore) -> None:
    theirs = store.create_session("patient-b")
    assert store.delete_session(theirs, "patient-a") is False
    attempts = store.audit.query("patient-a")
    assert [(e.action, e.outcome, e.session_id) for e in attempts] == [
        ("session.delete", "not_found", theirs)
    ]


def test_a_standalone_audit_log_shares_the_file_with_the_store(
    db_url: str, store: SessionStore, clock: FakeClock
) -> None:
    store.audit.record("record.read", patient_id="patient-a", actor="patient")
    clock.advance(minutes=1)
    with_own_connection = AuditLog(db_url, clock=clock)
    try:
        with_own_connection.record(
            "booking.cancel",
            patient_id="patient-a",
            actor="patient",
            resources=["Appointment/a1"],
            outcome="error",
        )
        assert [e.action for e in with_own_connection.query("patient-a")] == ["record.read", "booking.cancel"]
    finally:
        with_own_connection.close()
    assert [e.outcome for e in store.audit.query("patient-a")] == ["ok", "error"]
