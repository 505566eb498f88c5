"""Errors the store raises, so callers (CLI, API) can map them to exit codes and HTTP statuses."""

from __future__ import annotations


class StoreError(Exception):
    """Base class: anything the session and audit store refuses or cannot do."""


class StoreConfigError(StoreError, ValueError):
    """The database URL is malformed or names a driver that is not installed (bad input, exit 2)."""


class StoreUnavailableError(StoreError):
    """The database could not be reached or answered with an error (upstream failure, exit 3)."""


class SchemaVersionError(StoreError):
    """The database was migrated by a newer version of this program; refusing beats corrupting it."""


class SessionNotFoundError(StoreError, LookupError):
    """No such session for this patient.

    Deliberately the same error whether the session does not exist or belongs to someone else, so
    probing session ids tells an attacker nothing.
    """
