"""Retention (purge by age, with an injected clock) and the right to erasure."""

from __future__ import annotations

import pytest

from assistant.store import SessionNotFoundError, SessionStore

from .conftest import FakeClock


def _session_with_turns(store: SessionStore, patient_id: str, turns: int) -> str:
    session_id = store.create_session(patient_id)
    for i in range(turns):
        store.append_turn(session_id, patient_id, "user", f"{patient_id} message {i}")
    return session_id


def test_purge_removes_idle_sessions_and_keeps_active_ones(store: SessionStore, clock: FakeClock) -> None:
    old = _session_with_turns(store, "patient-a", 3)
    revived = _session_with_turns(store, "patient-a", 1)
    clock.advance(days=40)
    store.append_turn(revived, "patient-a", "user", "back again")  # activity resets its age
    clock.advance(days=5)
    fresh = _session_with_turns(store, "patient-b", 2)

    result = store.purge_older_than(30)

    assert (result.sessions, result.turns, result.audit_entries) == (1, 3, 0)
    assert store.get_session(old, "patient-a") is None
    with pytest.raises(SessionNotFoundError):
        store.history(old, "patient-a")
    assert [turn.text for turn in store.history(revived, "patient-a")] == [
        "patient-a message 0",
        "back again",
    ]
    assert len(store.history(fresh, "patient-b")) == 2


def test_purge_keeps_the_audit_trail_unless_told_otherwise(store: SessionStore, clock: FakeClock) -> None:
    old = _session_with_turns(store, "patient-a", 1)
    clock.advance(days=100)

    store.purge_older_than(30)

    actions = [entry.action for entry in store.audit.query("patient-a")]
    assert actions == ["session.create"]
    assert store.audit.query("patient-a")[0].session_id == old


def test_audit_has_its_own_retention_period(store: SessionStore, clock: FakeClock) -> None:
    store.audit.record("tool.search_record", patient_id="patient-a", actor="assistant")
    clock.advance(days=400)
    store.audit.record("tool.get_latest", patient_id="patient-a", actor="assistant")
    clock.advance(days=10)

    result = store.purge_older_than(30, audit_days=365)

    assert result.audit_entries == 1
    remaining = [entry.action for entry in store.audit.query()]
    assert remaining == ["tool.get_latest", "retention.purge"]


def test_the_purge_itself_is_audited_with_its_counts(store: SessionStore, clock: FakeClock) -> None:
    _session_with_turns(store, "patient-a", 2)
    clock.advance(days=31)

    store.purge_older_than(30)

    purges = store.audit.query(action="retention.purge")
    assert len(purges) == 1
    entry = purges[0]
    assert (entry.actor, entry.patient_id, entry.at) == ("system", None, clock.now)
    assert entry.detail == {"days": 30, "audit_days": None, "sessions": 1, "turns": 2, "audit_entries": 0}


def test_purge_at_the_boundary_keeps_a_session_exactly_that_old(
    store: SessionStore, clock: FakeClock
) -> None:
    session_id = _session_with_turns(store, "patient-a", 1)
    clock.advance(days=30)
    assert store.purge_older_than(30).sessions == 0
    assert store.get_session(session_id, "patient-a") is not None


def test_negative_retention_is_refused(store: SessionStore) -> None:
    _session_with_turns(store, "patient-a", 1)
    with pytest.raises(ValueError, match="negative"):
        store.purge_older_than(-1)
    with pytest.raises(ValueError, match="negative"):
        store.purge_older_than(30, audit_days=-5)
    assert len(store.list_sessions("patient-a")) == 1


def test_erasure_removes_every_session_of_that_patient_only(store: SessionStore) -> None:
    mine = [_session_with_turns(store, "patient-a", n) for n in (1, 2)]
    theirs = _session_with_turns(store, "patient-b", 2)
    store.audit.record("record.read", patient_id="patient-a", actor="assistant", resources=["Observation/o1"])

    result = store.delete_patient_data("patient-a")

    assert (result.sessions, result.turns) == (2, 3)
    assert store.list_sessions("patient-a") == []
    for session_id in mine:
        with pytest.raises(SessionNotFoundError):
            store.history(session_id, "patient-a")
    assert len(store.history(theirs, "patient-b")) == 2


def test_erasure_is_audited_and_earlier_access_records_are_kept(
    store: SessionStore, clock: FakeClock
) -> None:
    _session_with_turns(store, "patient-a", 1)
    store.audit.record("record.read", patient_id="patient-a", actor="assistant", resources=["Observation/o1"])
    clock.advance(minutes=1)

    store.delete_patient_data("patient-a", actor="clinician")

    actions = [entry.action for entry in store.audit.query("patient-a")]
    assert actions == ["session.create", "record.read", "patient.erase"]
    erasure = store.audit.query("patient-a", action="patient.erase")[0]
    assert (erasure.actor, erasure.at, erasure.detail) == (
        "clinician",
        clock.now,
        {"sessions": 1, "turns": 1},
    )


def test_erasing_a_patient_with_no_data_is_recorded_as_nothing_deleted(store: SessionStore) -> None:
    result = store.delete_patient_data("patient-z")
    assert (result.sessions, result.turns) == (0, 0)
    entries = store.audit.query("patient-z")
    assert [(entry.action, entry.detail) for entry in entries] == [
        ("patient.erase", {"sessions": 0, "turns": 0})
    ]
