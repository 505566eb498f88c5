"""Opening the sessions-and-audit database: one engine, the right connection settings, migrations.

SQLite by default (a file under the data directory, created on demand) and PostgreSQL by URL with the
same code. SQLite needs three things PostgreSQL does by itself: foreign keys switched on (so deleting a
conversation deletes its turns), WAL (readers do not block the writer, which matters when the API and
the UI share a file), and real transactions (the stdlib driver does not BEGIN before DDL or SELECT, so
we emit BEGIN ourselves; writers use BEGIN IMMEDIATE so two writers queue on the busy timeout instead
of failing with "database is locked" halfway through a read-then-write).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from assistant.store.errors import StoreConfigError, StoreUnavailableError
from assistant.store.migrations import migrate
from assistant.store.timestamps import Clock

__all__ = ["DATABASE_FILE_NAME", "Database", "open_engine", "sqlite_url"]

DATABASE_FILE_NAME = "assistant.db"
_BUSY_TIMEOUT_MS = 10_000


def sqlite_url(data_dir: Path) -> str:
    """The default database URL for a data directory: ``sqlite:///<data_dir>/assistant.db``."""
    return f"sqlite:///{(Path(data_dir) / DATABASE_FILE_NAME).resolve()}"


def _parse(url: str | URL) -> URL:
    try:
        return make_url(url)
    except ArgumentError:
        raise StoreConfigError(
            "not a database URL; expected e.g. sqlite:///path/to/assistant.db or "
            "postgresql+psycopg://user@host/dbname"
        ) from None


def _is_sqlite_file(url: URL) -> bool:
    database = url.database or ""
    return (
        url.get_backend_name() == "sqlite"
        and database not in ("", ":memory:")
        and not (database.startswith("file:"))
    )


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # Hand transaction control to SQLAlchemy (see module docstring); then per-connection pragmas.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a commit no longer waits for fsync (the database stays consistent; a power cut
        # may lose the last few turns). Each turn commits several small writes, so this halves its cost.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    mode = str(conn.get_execution_options().get("sqlite_begin", "")).upper()
    conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")


def open_engine(url: str | URL, **engine_options: Any) -> Engine:
    """An engine with this project's connection settings, creating the SQLite file's folder if needed."""
    parsed = _parse(url)
    if _is_sqlite_file(parsed):
        Path(str(parsed.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed, **engine_options)
    except (NoSuchModuleError, ModuleNotFoundError, ImportError) as exc:
        raise StoreConfigError(
            f"the database driver for {parsed.drivername!r} is not installed ({exc})"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


class Database:
    """An open, migrated database shared by the session store and the audit log.

    Opening applies any missing migration steps (``applied`` lists them), so a fresh data directory
    and an old one both end up at the latest schema without a separate setup command.
    """

    def __init__(self, url: str | URL, *, clock: Clock, **engine_options: Any) -> None:
        self.clock = clock  # from the composition root: every timestamp the store writes comes from it
        self.engine = open_engine(url, **engine_options)
        self.url = self.engine.url.render_as_string(hide_password=True)
        try:
            self.applied: list[str] = migrate(self.engine, clock=clock)
        except DBAPIError as exc:
            self.engine.dispose()
            raise StoreUnavailableError(f"cannot open the database at {self.url}: {exc.orig}") from exc
        except BaseException:
            self.engine.dispose()
            raise
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work; an unreachable or locked database becomes ``StoreUnavailableError``."""
        try:
            with self._read() as session, session.begin():
                yield session
        except (OperationalError, InterfaceError) as exc:
            raise StoreUnavailableError(f"database error at {self.url}: {exc.orig}") from exc

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A read-write unit of work, committed at the end or rolled back as a whole."""
        try:
            with self._write() as session, session.begin():
                yield session
        except (OperationalError, InterfaceError) as exc:
            raise StoreUnavailableError(f"database error at {self.url}: {exc.orig}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
