"""The argument checker that stands between a model's tool call and the patient's record."""

from __future__ import annotations

import pytest

from assistant.backends import ToolSpec
from assistant.backends.tool_args import decode_arguments, validate_arguments

SPEC = ToolSpec(
    "demo",
    "demo tool",
    {
        "type": "object",
        "properties": {
            "query": {"type": "string", "minLength": 1, "maxLength": 10},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "since": {"type": "string", "format": "date"},
            "slot": {"type": "string", "pattern": "^Slot/[a-z0-9]+$", "description": "'Slot/id'"},
            "limit": {"type": "integer", "minimum": 1, "maximum": 5},
            "past": {"type": "boolean"},
        },
        "required": ["query"],
        "additionalProperties": False,
    },
)


def test_valid_arguments_pass() -> None:
    args = {"query": "a1c", "kind": "a", "since": "2020-01-31", "slot": "Slot/x1", "limit": 5, "past": False}
    assert validate_arguments(SPEC, args) is None
    assert validate_arguments(SPEC, {"query": "a1c", "kind": None}) is None  # null means "not given"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"query": "x", "patient_id": "p2"}, "does not take patient_id"),
        ({}, "needs query"),
        ({"query": ""}, "needs query"),
        ({"query": 3}, "query must be a string"),
        ({"query": "x", "kind": "c"}, "kind must be one of a, b"),
        ({"query": "x", "since": "last year"}, "since must be a date"),
        ({"query": "x", "slot": "tomorrow"}, "slot does not look like 'Slot/id'"),
        ({"query": "x", "limit": 50}, "limit must be between 1 and 5"),
        ({"query": "x", "limit": True}, "limit must be a integer"),
        ({"query": "x", "past": "yes"}, "past must be a boolean"),
        ({"query": "a" * 11}, "longer than 10"),
        ({"query": "   "}, "must not be empty"),
    ],
)
def test_invalid_arguments_say_what_is_wrong(args: dict[str, object], message: str) -> None:
    problem = validate_arguments(SPEC, args)
    assert problem is not None and message in problem


@pytest.mark.parametrize(("raw", "expected"), [("", {}), ("null", {}), (None, {}), ('{"a": 1}', {"a": 1})])
def test_decode_arguments(raw: str | None, expected: dict[str, object]) -> None:
    assert decode_arguments(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"), [('{"a": 1', "not valid JSON"), ("[1, 2]", "must be a JSON object")]
)
def test_decode_rejects_non_objects(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_arguments(raw)
