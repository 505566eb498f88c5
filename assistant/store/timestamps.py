"""Time handling shared by the store: the clock type it is given and one UTC column type for every database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

Clock = Callable[[], datetime]
"""The current instant, timezone-aware, passed in by the composition root (``health_assistant.clock``)."""


def require_aware(value: datetime, what: str) -> datetime:
    """Naive datetimes are ambiguous across machines and databases; the store refuses them."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {value.isoformat()}")
    return value.astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always returns aware UTC datetimes.

    PostgreSQL keeps the zone (timestamptz) but SQLite stores a bare string, so without this the same
    code would hand back aware datetimes on one database and naive ones on the other, and comparisons
    (retention cut-offs) would break on one of them.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = require_aware(value, "a stored timestamp")
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
