"""Checking a model's tool arguments against the tool's declared schema.

A model's tool call is untrusted input: a weak model invents arguments, a steered one tries to add a
patient id. Our tool schemas are deliberately flat (an object of strings, integers, booleans, enums and
dates, ``additionalProperties: false``), so a small exact checker is enough and keeps the error message
short and useful for the model to correct itself on the next round.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from assistant.backends.base import ToolSpec

__all__ = ["decode_arguments", "find_tool", "validate_arguments"]

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def find_tool(name: str | None, tools: Sequence[ToolSpec]) -> ToolSpec | None:
    return next((t for t in tools if t.name == name), None)


def decode_arguments(raw: str | Mapping[str, Any] | None) -> dict[str, Any]:
    """Arguments as a dict; servers send a JSON string ("" or "null" meaning none). Raises ValueError."""
    if raw is None:
        return {}
    if isinstance(raw, Mapping):
        return dict(raw)
    text = raw.strip()
    if text in ("", "null"):
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"arguments are not valid JSON ({exc.msg} at position {exc.pos})") from None
    if not isinstance(value, dict):
        raise ValueError(f"arguments must be a JSON object, got {type(value).__name__}")
    return value


def validate_arguments(spec: ToolSpec, arguments: Mapping[str, Any]) -> str | None:
    """``None`` when the arguments fit the schema, else one sentence saying what is wrong."""
    schema = spec.parameters
    properties: Mapping[str, Any] = schema.get("properties", {})
    unknown = sorted(set(arguments) - set(properties))
    if unknown and schema.get("additionalProperties", True) is False:
        allowed = ", ".join(sorted(properties)) or "none"
        return f"{spec.name} does not take {', '.join(unknown)} (allowed: {allowed})"
    missing = [name for name in schema.get("required", []) if arguments.get(name) in (None, "")]
    if missing:
        return f"{spec.name} needs {', '.join(missing)}"
    for name, value in arguments.items():
        if value is None or name not in properties:
            continue
        problem = _check_value(name, value, properties[name])
        if problem:
            return f"{spec.name}: {problem}"
    return None


def _check_value(name: str, value: Any, prop: Mapping[str, Any]) -> str | None:
    kind = prop.get("type")
    expected = _TYPES.get(str(kind))
    # bool is an int in Python; a model sending true for a count is still wrong.
    if expected and (not isinstance(value, expected) or (kind != "boolean" and isinstance(value, bool))):
        return f"{name} must be a {kind}, got {json.dumps(value)[:40]}"
    enum = prop.get("enum")
    if enum is not None and value not in enum:
        return f"{name} must be one of {', '.join(map(str, enum))}, got {json.dumps(value)[:40]}"
    if isinstance(value, str):
        if prop.get("format") == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                return f"{name} must be a date as YYYY-MM-DD, got {json.dumps(value)[:40]}"
        pattern = prop.get("pattern")
        if pattern and not re.search(pattern, value):
            return f"{name} does not look like {prop.get('description') or pattern}"
        max_length = prop.get("maxLength")
        if max_length is not None and len(value) > int(max_length):
            return f"{name} is longer than {max_length} characters"
        if prop.get("minLength") and len(value.strip()) < int(prop["minLength"]):
            return f"{name} must not be empty"
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = prop.get("minimum"), prop.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            return f"{name} must be between {low} and {high}"
    return None
