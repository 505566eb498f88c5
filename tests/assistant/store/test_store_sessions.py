"""Sessions and turns on a real SQLite file: lifecycle, patient isolation, ordering, pending state."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from assistant.schemas import Turn
from assistant.store import SessionNotFoundError, SessionStore
from tests.clocks import frozen

from .conftest import FakeClock


def _turn(session_id: str, text: str = "Your last HbA1c was 7.2 % [1].", language: str = "en") -> Turn:
    return Turn.model_validate(
        {
            "session_id": session_id,
            "text": text,
            "language": language,
            "triage": {"level": "none", "rules": [], "advice": "", "call": None},
            "citations": [{"n": 1, "resource": "Observation/abc", "label": "HbA1c 7.2 %"}],
            "actions": [
                {
                    "kind": "offer_slots",
                    "slots": [{"id": "Slot/s1", "start": "2026-11-24T09:00:00+01:00", "service": "GP"}],
                }
            ],
            "refusal": None,
            "safety": {"flags": [], "backend": "offline", "grounded": True},
        }
    )


def test_created_session_is_listed_with_its_details(store: SessionStore, clock: FakeClock) -> None:
    session_id = store.create_session("patient-a", "fr", backend="openai")

    info = store.get_session(session_id, "patient-a")
    assert info is not None
    assert (info.patient_id, info.language, info.backend, info.turn_count) == ("patient-a", "fr", "openai", 0)
    assert info.created_at == clock.now == info.updated_at
    assert [listed.id for listed in store.list_sessions("patient-a")] == [session_id]


def test_sessions_are_listed_most_recently_active_first(store: SessionStore, clock: FakeClock) -> None:
    first = store.create_session("patient-a")
    clock.advance(minutes=1)
    second = store.create_session("patient-a")
    assert [info.id for info in store.list_sessions("patient-a")] == [second, first]

    clock.advance(minutes=1)
    store.append_turn(first, "patient-a", "user", "hello again")
    listed = store.list_sessions("patient-a")
    assert [info.id for info in listed] == [first, second]
    assert listed[0].turn_count == 1
    assert listed[0].updated_at == clock.now
    assert [info.id for info in store.list_sessions("patient-a", limit=1)] == [first]


def test_a_patient_never_sees_or_changes_another_patients_session(store: SessionStore) -> None:
    theirs = store.create_session("patient-b")
    store.append_turn(theirs, "patient-b", "user", "my private question")
    store.set_state(theirs, "patient-b", {"pending": "x"})

    assert store.get_session(theirs, "patient-a") is None
    assert store.list_sessions("patient-a") == []
    for attempt in (
        lambda: store.history(theirs, "patient-a"),
        lambda: store.append_turn(theirs, "patient-a", "user", "injected"),
        lambda: store.get_state(theirs, "patient-a"),
        lambda: store.set_state(theirs, "patient-a", {}),
        lambda: store.pop_state(theirs, "patient-a", "pending"),
    ):
        with pytest.raises(SessionNotFoundError):
            attempt()
    assert store.delete_session(theirs, "patient-a") is False

    # Nothing of theirs changed.
    assert [turn.text for turn in store.history(theirs, "patient-b")] == ["my private question"]
    assert store.get_state(theirs, "patient-b") == {"pending": "x"}


def test_unknown_and_foreign_sessions_fail_the_same_way(store: SessionStore) -> None:
    theirs = store.create_session("patient-b")
    with pytest.raises(SessionNotFoundError) as foreign:
        store.history(theirs, "patient-a")
    with pytest.raises(SessionNotFoundError) as missing:
        store.history("no-such-session", "patient-a")
    assert type(foreign.value) is type(missing.value)
    assert "patient-b" not in str(foreign.value)


def test_delete_session_removes_it_and_its_turns(store: SessionStore) -> None:
    keep = store.create_session("patient-a")
    drop = store.create_session("patient-a")
    store.append_turn(drop, "patient-a", "user", "one")
    store.append_turn(keep, "patient-a", "user", "two")

    assert store.delete_session(drop, "patient-a") is True
    assert store.get_session(drop, "patient-a") is None
    with pytest.raises(SessionNotFoundError):
        store.history(drop, "patient-a")
    assert [info.id for info in store.list_sessions("patient-a")] == [keep]
    assert [turn.text for turn in store.history(keep, "patient-a")] == ["two"]
    assert store.delete_session(drop, "patient-a") is False


def test_history_is_in_order_and_limit_keeps_the_most_recent(store: SessionStore, clock: FakeClock) -> None:
    session_id = store.create_session("patient-a")
    texts = [f"message {i}" for i in range(5)]
    for text in texts:
        clock.advance(seconds=1)
        store.append_turn(session_id, "patient-a", "user", text)

    history = store.history(session_id, "patient-a")
    assert [turn.text for turn in history] == texts
    assert [turn.seq for turn in history] == [1, 2, 3, 4, 5]
    assert history[0].created_at < history[-1].created_at
    assert [turn.text for turn in store.history(session_id, "patient-a", limit=2)] == texts[-2:]
    with pytest.raises(ValueError, match="limit"):
        store.history(session_id, "patient-a", limit=0)


def test_assistant_turn_is_stored_in_full_and_reads_back_equal(store: SessionStore) -> None:
    session_id = store.create_session("patient-a", "en")
    store.append_turn(session_id, "patient-a", "user", "quelle était ma dernière HbA1c ?")
    shown = _turn(session_id, "Votre dernière HbA1c était de 7,2 % [1].", language="fr")
    stored = store.append_turn(session_id, "patient-a", "assistant", turn=shown)

    assert stored.text == shown.text
    history = store.history(session_id, "patient-a")
    assert [(turn.role, turn.as_turn()) for turn in history] == [("user", None), ("assistant", shown)]
    # The conversation follows the language the assistant last answered in.
    info = store.get_session(session_id, "patient-a")
    assert info is not None
    assert info.language == "fr"


@pytest.mark.parametrize(
    ("role", "text", "with_turn", "message"),
    [
        ("user", None, False, "user turn"),
        ("user", "hi", True, "user turn"),
        ("assistant", "hi", False, "must carry the Turn"),
        ("assistant", "different text", True, "Turn's text"),
        ("system", "hi", False, "role"),
    ],
)
def test_malformed_turns_are_refused_and_nothing_is_stored(
    store: SessionStore, role: Any, text: str | None, with_turn: bool, message: str
) -> None:
    session_id = store.create_session("patient-a")
    with pytest.raises(ValueError, match=message):
        store.append_turn(session_id, "patient-a", role, text, turn=_turn(session_id) if with_turn else None)
    assert store.history(session_id, "patient-a") == []


def test_assistant_turn_for_another_session_is_refused(store: SessionStore) -> None:
    mine = store.create_session("patient-a")
    other = store.create_session("patient-a")
    with pytest.raises(ValueError, match="different session"):
        store.append_turn(mine, "patient-a", "assistant", turn=_turn(other))


def test_bad_session_arguments_are_refused(store: SessionStore) -> None:
    with pytest.raises(ValueError, match="language"):
        store.create_session("patient-a", "de")
    with pytest.raises(ValueError, match="patient id"):
        store.create_session("")
    with pytest.raises(ValueError, match="patient id"):
        store.create_session("p" * 129)
    assert store.list_sessions("patient-a") == []


def test_state_is_replaced_read_back_and_popped_once(store: SessionStore) -> None:
    session_id = store.create_session("patient-a")
    assert store.get_state(session_id, "patient-a") == {}

    pending = {"token": "c0nf1rm", "slot": "Slot/s1", "operation": "book"}
    store.set_state(session_id, "patient-a", {"pending_booking": pending, "lang": "en"})
    assert store.get_state(session_id, "patient-a") == {"pending_booking": pending, "lang": "en"}

    assert store.pop_state(session_id, "patient-a", "pending_booking") == pending
    assert store.pop_state(session_id, "patient-a", "pending_booking") is None
    assert store.get_state(session_id, "patient-a") == {"lang": "en"}


def test_state_that_is_not_json_is_refused_and_the_old_state_kept(store: SessionStore) -> None:
    session_id = store.create_session("patient-a")
    store.set_state(session_id, "patient-a", {"ok": 1})
    with pytest.raises(ValueError, match="JSON"):
        store.set_state(session_id, "patient-a", {"when": object()})
    with pytest.raises(ValueError, match="JSON"):
        store.set_state(session_id, "patient-a", {"x": float("nan")})
    assert store.get_state(session_id, "patient-a") == {"ok": 1}


def test_two_stores_appending_to_one_session_get_distinct_positions(db_url: str, store: SessionStore) -> None:
    """Two processes sharing the file (API + UI) must not lose or duplicate turns."""
    session_id = store.create_session("patient-a")
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            with SessionStore(db_url, clock=frozen) as other:
                for i in range(15):
                    other.append_turn(session_id, "patient-a", "user", f"{name}-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    history = store.history(session_id, "patient-a")
    assert [turn.seq for turn in history] == list(range(1, 31))
    assert sorted(turn.text for turn in history) == sorted(f"{n}-{i}" for n in "ab" for i in range(15))
    # Each writer's own messages stay in the order it sent them.
    for name in "ab":
        mine = [turn.text for turn in history if turn.text.startswith(name)]
        assert mine == [f"{name}-{i}" for i in range(15)]


def test_sessions_survive_reopening_the_file(db_url: str, store: SessionStore) -> None:
    session_id = store.create_session("patient-a")
    store.append_turn(session_id, "patient-a", "user", "remember me")
    store.set_state(session_id, "patient-a", {"k": "v"})
    store.close()

    with SessionStore(db_url, clock=frozen) as reopened:
        assert [turn.text for turn in reopened.history(session_id, "patient-a")] == ["remember me"]
        assert reopened.get_state(session_id, "patient-a") == {"k": "v"}
