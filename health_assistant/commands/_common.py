"""Helpers every command shares: consistent exit codes and one-line errors instead of tracebacks."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer

from health_assistant import exit_codes

# One wording for an empty message in every command (the API answers 422 ``empty_message``, the app and
# the assistant say the same in the patient's language): "empty" means nothing is left once spaces and
# invisible characters are removed (``assistant.understanding.is_blank``).
EMPTY_MESSAGE = (
    "the message is empty (nothing is left once spaces and invisible characters are removed); "
    "give the patient's words, e.g. 'what was my last A1c?'"
)


def fail(message: str, code: int = exit_codes.BAD_INPUT) -> NoReturn:
    """Print one actionable sentence on stderr and exit with ``code`` (2 bad input, 3 upstream)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def not_available(command: str, arrives_with: str) -> NoReturn:
    typer.echo(
        f"`health-assistant {command}` is not available yet: it arrives with {arrives_with}.",
        err=True,
    )
    raise typer.Exit(exit_codes.NOT_AVAILABLE)


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM (``kill``, a service manager) stops like Ctrl+C: the command's cleanup
    runs and the servers it started (Node, Streamlit) do not outlive it."""
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main_thread else None
    try:
        yield
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
