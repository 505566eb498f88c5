"""General guidance on common chronic-care topics, with the patient's own latest value cited beside it.

The texts live in ``data/topics.yaml`` with the public guidance each follows, so a clinician can review
and a clinic can replace them without code. Which topic a message asks about is read by the understanding
stage (the ``topics`` of its routing table, same ids); this module only says what the topic's advice is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.composer.draft import Draft
from assistant.composer.record_answers import RecordAnswers
from assistant.region import numbers_for
from assistant.schemas import Language
from assistant.understanding.model import RecordQuery, RecordQueryKind
from fhir_client.yaml_data import load_yaml

TOPICS_FILE = Path(__file__).parent / "data" / "topics.yaml"


@dataclass(frozen=True)
class Topic:
    id: str
    source: str
    record_concept: str | None
    en: str
    fr: str


@lru_cache(maxsize=2)
def load_topics(path: Path = TOPICS_FILE) -> tuple[Topic, ...]:
    raw = load_yaml(path.read_text(encoding="utf-8"))
    topics = []
    for item in raw:
        for field in ("id", "source", "en", "fr"):
            if field not in item:
                raise ValueError(f"{path.name}: topic {item.get('id', '?')!r} is missing {field!r}")
        topics.append(
            Topic(item["id"], item["source"], item.get("record"), item["en"].strip(), item["fr"].strip())
        )
    return tuple(topics)


def topic_by_id(topic_id: str) -> Topic | None:
    """The advice of a topic the understanding stage named (None when no text is written for it)."""
    return next((t for t in load_topics() if t.id == topic_id), None)


def topic_answer(
    topic: Topic, language: Language, records: RecordAnswers | None, *, region: str = "FR"
) -> Draft:
    """The guidance text, preceded by the patient's latest related value when the record has one.

    Topic texts name numbers only as ``{emergency}`` / ``{crisis}``, filled from the region table."""
    numbers = numbers_for(region)
    body = (
        (topic.fr if language == "fr" else topic.en)
        .replace("{emergency}", numbers.emergency_text(language))
        .replace("{crisis}", numbers.crisis_text(language))
    )
    draft = Draft(text=body, guidance=True)
    if records is not None and topic.record_concept:
        concept = records.ctx.concepts.get(topic.record_concept)
        if concept is not None and records.ctx.queries.latest_date_group(concept):
            latest = records.answer(
                RecordQuery(kind=RecordQueryKind.LATEST, targets=(concept.key,)), language
            )
            first_sentence = latest.text.split(". ")[0].rstrip(".") + "."
            draft = Draft(
                text=first_sentence + "\n\n" + body,
                citations=latest.citations[:1],
                resources_read=latest.resources_read[:1],
                guidance=True,
            )
    return draft
