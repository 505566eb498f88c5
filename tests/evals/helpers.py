"""Small builders for eval tests: cases, turns and transcripts without any assistant."""

from __future__ import annotations

from typing import Any

from assistant.schemas import Turn
from evals.cases import Case
from evals.targets.scripted import plain_turn
from evals.transcript import Exchange, Transcript


def case(expect: dict[str, Any] | None = None, **fields: Any) -> Case:
    data: dict[str, Any] = {"id": "c1", "category": "grounding", "language": "en", "turns": ["hello"]}
    data.update(fields)
    data["expect"] = expect or {}
    return Case.model_validate(data)


def transcript(*turns: Turn, users: list[str] | None = None, seconds: float = 0.1) -> Transcript:
    users = users or [f"message {n}" for n in range(len(turns))]
    return Transcript(
        case_id="c1",
        session_id="scripted",
        exchanges=[
            Exchange(user=u, turn=t.model_dump(mode="json"), seconds=seconds)
            for u, t in zip(users, turns, strict=True)
        ],
    )


def turn(text: str = "ok", **fields: Any) -> Turn:
    return plain_turn(text, **fields)
