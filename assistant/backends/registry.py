"""Backends by name, so a composition root can turn a setting into a model without importing vendors.

After simonw/llm's plugin registry: a backend is a name and a factory taking keyword options. The
built-in ones ("openai", "fake") are registered when ``assistant.backends`` is imported; a third party
can add one with ``register_backend`` or an entry point in the ``health_assistant.backends`` group (the
entry point names a factory). Factories import their SDK lazily, so listing backends, or running offline,
never loads langchain.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from assistant.backends.base import ChatBackend

__all__ = [
    "ENTRY_POINT_GROUP",
    "BackendFactory",
    "UnknownBackend",
    "available_backends",
    "create_backend",
    "register_backend",
    "unregister_backend",
]

ENTRY_POINT_GROUP = "health_assistant.backends"
BackendFactory = Callable[..., ChatBackend]

_FACTORIES: dict[str, BackendFactory] = {}
_entry_points_loaded = False


class UnknownBackend(ValueError):
    """No backend is registered under that name."""


def register_backend(name: str, factory: BackendFactory, *, replace: bool = False) -> None:
    """Make ``create_backend(name, ...)`` call ``factory``. Names are lower-case words; re-registering a
    name is an error unless ``replace`` says it is meant (a silent override would change which model
    sees patient data)."""
    key = name.strip().lower()
    if not key or not key.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"backend name must be a word of letters, digits, - or _: {name!r}")
    if key in _FACTORIES and not replace:
        raise ValueError(f"a backend named {key!r} is already registered")
    _FACTORIES[key] = factory


def unregister_backend(name: str) -> None:
    _FACTORIES.pop(name.strip().lower(), None)


def available_backends() -> list[str]:
    _load_entry_points()
    return sorted(_FACTORIES)


def create_backend(name: str, **options: Any) -> ChatBackend:
    """A new backend; bad options surface as ``TypeError``/``ValueError`` naming the option."""
    _load_entry_points()
    key = name.strip().lower()
    factory = _FACTORIES.get(key)
    if factory is None:
        known = ", ".join(sorted(_FACTORIES)) or "none"
        raise UnknownBackend(f"unknown LLM backend {name!r} (available: {known})")
    return factory(**options)


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name.lower() not in _FACTORIES:
            _FACTORIES[ep.name.lower()] = _lazy(ep.load)


def _lazy(load: Callable[[], BackendFactory]) -> BackendFactory:
    def factory(**options: Any) -> ChatBackend:
        return load()(**options)

    return factory
