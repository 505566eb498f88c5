"""Opening the database: named migration steps, idempotency, upgrades, SQLite settings, portability."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import Connection, create_mock_engine, inspect, text
from sqlalchemy.schema import ExecutableDDLElement

from assistant.store import (
    MIGRATIONS,
    Database,
    Migration,
    SchemaVersionError,
    SessionStore,
    StoreConfigError,
    StoreUnavailableError,
    applied_migrations,
    migrate,
    open_engine,
    sqlite_url,
)
from assistant.store import migrations as migrations_module
from assistant.store.tables import Base
from tests.clocks import frozen

LATEST = ["0001_create_sessions", "0002_create_audit", "0003_create_api_tokens"]


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    with Database(db_url, clock=frozen) as opened:
        yield opened


def _recorded(db_url: str) -> list[tuple[str, str]]:
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        return [(str(n), str(at)) for n, at in conn.execute("SELECT name, applied_at FROM schema_migrations")]


def test_steps_are_named_and_ordered() -> None:
    names = [migration.name for migration in MIGRATIONS]
    assert names == LATEST
    assert names == sorted(names)


def test_fresh_database_gets_every_step_recorded(db: Database, db_url: str) -> None:
    assert db.applied == LATEST
    assert [name for name, _ in _recorded(db_url)] == LATEST
    assert applied_migrations(db.engine) == LATEST


def test_opening_twice_applies_nothing(db: Database, db_url: str) -> None:
    before = _recorded(db_url)
    with Database(db_url, clock=frozen) as again:
        assert again.applied == []
    assert migrate(db.engine, clock=frozen) == []
    assert _recorded(db_url) == before


def test_database_at_step_one_upgrades_to_the_latest_and_keeps_its_data(db_url: str) -> None:
    engine = open_engine(db_url)
    assert migrate(engine, target="0001_create_sessions", clock=frozen) == ["0001_create_sessions"]
    assert set(inspect(engine).get_table_names()) == {"schema_migrations", "conversations", "turns"}
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO conversations (id, patient_id, language, backend, created_at, updated_at, state) "
                "VALUES ('s-old', 'patient-a', 'en', 'offline', '2026-01-01 00:00:00', "
                "'2026-01-01 00:00:00', '{}')"
            )
        )
    engine.dispose()

    with SessionStore(db_url, clock=frozen) as store:
        assert store.db.applied == ["0002_create_audit", "0003_create_api_tokens"]
        assert [info.id for info in store.list_sessions("patient-a")] == ["s-old"]
        store.append_turn("s-old", "patient-a", "user", "still here")
        assert [entry.action for entry in store.audit.query("patient-a")] == []
    assert [name for name, _ in _recorded(db_url)] == LATEST


def test_unknown_target_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="unknown migration"):
        migrate(db.engine, target="0009_nope", clock=frozen)


def test_database_from_a_newer_version_is_refused(db: Database, db_url: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_migrations VALUES ('0099_future_step', '2026-11-23 00:00:00')"))
    with pytest.raises(SchemaVersionError, match="0099_future_step"):
        Database(db_url, clock=frozen)


def test_a_failing_step_leaves_the_database_untouched(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(conn: Connection) -> None:
        raise RuntimeError("step failed")

    monkeypatch.setattr(migrations_module, "MIGRATIONS", (MIGRATIONS[0], Migration("0002_will_fail", boom)))
    engine = open_engine(db_url)
    with pytest.raises(RuntimeError, match="step failed"):
        migrate(engine, clock=frozen)
    # DDL is transactional here: step 1's tables were rolled back with the failed run.
    assert applied_migrations(engine) == []
    assert "conversations" not in inspect(engine).get_table_names()
    engine.dispose()


def test_migrated_schema_matches_the_orm_mapping(db: Database) -> None:
    inspector = inspect(db.engine)
    for table in Base.metadata.sorted_tables:
        columns = {column["name"]: column["nullable"] for column in inspector.get_columns(table.name)}
        expected = {column.name: column.nullable for column in table.columns}
        assert columns == expected, table.name
        indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        assert {index.name for index in table.indexes} <= indexes, table.name
    unique = {constraint["name"] for constraint in inspector.get_unique_constraints("turns")}
    assert "uq_turns_session_seq" in unique
    foreign = inspector.get_foreign_keys("turns")
    assert [(fk["referred_table"], fk["options"].get("ondelete")) for fk in foreign] == [
        ("conversations", "CASCADE")
    ]


def test_sqlite_runs_in_wal_mode_with_foreign_keys_enforced(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with SessionStore(db, clock=frozen) as store:
        session_id = store.create_session("patient-a")
        store.append_turn(session_id, "patient-a", "user", "hello")
    # Deleting the conversation row directly still removes its turns: the cascade is in the database.
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM conversations WHERE id = :id"), {"id": session_id})
        assert conn.execute(text("SELECT count(*) FROM turns")).scalar() == 0


def test_sqlite_file_and_missing_folders_are_created_on_demand(tmp_path: Path) -> None:
    data_dir = tmp_path / "not" / "there" / "yet"
    url = sqlite_url(data_dir)
    assert url == f"sqlite:///{(data_dir / 'assistant.db').resolve()}"
    with Database(url, clock=frozen) as db:
        assert db.applied == LATEST
    assert (data_dir / "assistant.db").is_file()


@pytest.mark.parametrize("url", ["not a url", "://nothing"])
def test_malformed_url_is_a_config_error(url: str) -> None:
    with pytest.raises(StoreConfigError, match="not a database URL"):
        Database(url, clock=frozen)


def test_missing_driver_is_a_config_error_that_does_not_echo_the_password() -> None:
    with pytest.raises(StoreConfigError, match="driver") as caught:
        Database("postgresql+nosuchdriver://user:secret@127.0.0.1/db", clock=frozen)
    assert "secret" not in str(caught.value)


def test_a_file_that_is_not_a_database_is_reported_without_a_traceback(tmp_path: Path) -> None:
    bogus = tmp_path / "assistant.db"
    bogus.write_text("this is not sqlite, " * 100, encoding="utf-8")
    with pytest.raises(StoreUnavailableError, match="cannot open the database"):
        Database(f"sqlite:///{bogus}", clock=frozen)
    assert bogus.read_text(encoding="utf-8").startswith("this is not sqlite")


def test_migration_ddl_compiles_for_postgresql() -> None:
    """Portability without a server: every step renders as PostgreSQL DDL with the intended types."""
    statements: list[str] = []

    def capture(sql: ExecutableDDLElement, *_: Any, **__: Any) -> None:
        statements.append(str(sql.compile(dialect=engine.dialect)))

    engine = create_mock_engine("postgresql+psycopg2://", capture)
    for migration in MIGRATIONS:
        migration.apply(cast(Connection, engine))
    ddl = "\n".join(statements)

    assert "CREATE TABLE conversations" in ddl
    assert "CREATE TABLE audit_log" in ddl
    assert "TIMESTAMP WITH TIME ZONE" in ddl
    assert "BIGSERIAL" in ddl
    assert "JSON" in ddl
    assert "ON DELETE CASCADE" in ddl
    assert "CREATE INDEX ix_audit_patient_at ON audit_log (patient_id, at)" in ddl
    assert "CREATE TABLE api_tokens" in ddl
