"""The turn contract: the DESIGN.md example, strict validation, the action union, OpenAPI metadata."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from assistant.schemas import (
    ACTION_KINDS,
    REFUSAL_CATEGORIES,
    TRIAGE_LEVELS,
    Action,
    AppointmentDetails,
    Booked,
    BookingFailed,
    Cancelled,
    Citation,
    ConfirmBooking,
    OfferSlots,
    Refusal,
    RefusalCategory,
    Rescheduled,
    SafetyInfo,
    SlotOffer,
    TriageInfo,
    TriageLevel,
    Turn,
    level_rank,
    max_level,
)

# Copied verbatim from DESIGN.md, "One public contract: the turn".
DESIGN_EXAMPLE = """
{
  "session_id": "…",
  "text": "Your most recent HbA1c was 7.2 % on 2020-03-01 [1]. …",
  "language": "en",
  "triage": {"level": "urgent", "rules": ["chest-pain-exertional"], "advice": "…", "call": null},
  "citations": [{"n": 1, "resource": "Observation/abc", "label": "Hemoglobin A1c 7.2 % (2020-03-01)"}],
  "actions": [{"kind": "offer_slots", "slots": [{"id": "Slot/s1", "start": "…", "service": "…"}]}],
  "refusal": null,
  "safety": {"flags": ["dose-change-request"], "backend": "offline", "grounded": true}
}
"""
# The one placeholder the contract cannot accept as is: a slot start must be a real zoned time.
FILLED_EXAMPLE = DESIGN_EXAMPLE.replace('"start": "…"', '"start": "2026-11-24T09:00:00+01:00"')

ALL_MODELS: list[type[BaseModel]] = [
    Turn,
    TriageInfo,
    Citation,
    SlotOffer,
    AppointmentDetails,
    OfferSlots,
    ConfirmBooking,
    Booked,
    Cancelled,
    Rescheduled,
    BookingFailed,
    Refusal,
    SafetyInfo,
]


def _example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FILLED_EXAMPLE)
    return data


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def test_design_example_validates_and_round_trips_to_the_same_json() -> None:
    turn = Turn.model_validate_json(FILLED_EXAMPLE)

    assert turn.triage.level is TriageLevel.URGENT
    assert turn.citations[0].resource == "Observation/abc"
    assert isinstance(turn.actions[0], OfferSlots)
    assert turn.actions[0].slots[0].end is None
    assert _canonical(json.loads(turn.model_dump_json())) == _canonical(_example())
    assert _canonical(turn.model_dump(mode="json")) == _canonical(_example())
    # And back again: a dumped turn is a valid turn equal to the first.
    assert Turn.model_validate_json(turn.model_dump_json()) == turn


def test_design_example_keeps_top_level_nulls_and_key_order() -> None:
    dumped = json.loads(Turn.model_validate_json(FILLED_EXAMPLE).model_dump_json())

    assert list(dumped) == list(_example())
    assert dumped["refusal"] is None
    assert dumped["triage"]["call"] is None
    assert "end" not in dumped["actions"][0]["slots"][0]


def test_design_example_placeholder_start_is_the_only_thing_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        Turn.model_validate_json(DESIGN_EXAMPLE)
    errors = caught.value.errors()
    assert [error["loc"] for error in errors] == [("actions", 0, "offer_slots", "slots", 0, "start")]


@pytest.mark.parametrize("level", ["critical", "URGENT", "", "self-care"])
def test_unknown_triage_level_is_rejected(level: str) -> None:
    data = _example()
    data["triage"]["level"] = level
    with pytest.raises(ValidationError, match="level"):
        Turn.model_validate(data)


@pytest.mark.parametrize("category", ["medical_advice", "dose-change", "Injection"])
def test_unknown_refusal_category_is_rejected(category: str) -> None:
    data = _example()
    data["refusal"] = {"category": category, "text": "No."}
    with pytest.raises(ValidationError, match="category"):
        Turn.model_validate(data)


def test_every_refusal_category_is_accepted() -> None:
    for category in REFUSAL_CATEGORIES:
        data = _example()
        data["refusal"] = {"category": str(category), "text": "I can't do that, but I can book a visit."}
        turn = Turn.model_validate(data)
        assert turn.refusal is not None
        assert turn.refusal.category is RefusalCategory(category)


def test_unknown_action_kind_is_rejected() -> None:
    data = _example()
    data["actions"] = [{"kind": "pay_invoice", "amount": 12}]
    with pytest.raises(ValidationError, match="pay_invoice"):
        Turn.model_validate(data)


def test_action_without_kind_is_rejected() -> None:
    data = _example()
    data["actions"] = [{"slots": [{"id": "Slot/s1", "start": "2026-11-24T09:00:00Z", "service": "GP"}]}]
    with pytest.raises(ValidationError, match="kind"):
        Turn.model_validate(data)


def test_unknown_keys_are_rejected_at_every_level() -> None:
    data = _example()
    data["triage"]["colour"] = "red"
    with pytest.raises(ValidationError, match="colour"):
        Turn.model_validate(data)
    data = _example()
    data["mood"] = "cheerful"
    with pytest.raises(ValidationError, match="mood"):
        Turn.model_validate(data)


def test_language_is_english_or_french_only() -> None:
    data = _example()
    data["language"] = "de"
    with pytest.raises(ValidationError, match="language"):
        Turn.model_validate(data)
    data["language"] = "fr"
    assert Turn.model_validate(data).language == "fr"


@pytest.mark.parametrize(
    "resource", ["abc", "observation/abc", "Observation/", "http://x/Observation/abc", "Observation/a b"]
)
def test_citation_must_reference_type_slash_id(resource: str) -> None:
    with pytest.raises(ValidationError, match="resource"):
        Citation(n=1, resource=resource, label="HbA1c")


def test_citation_numbers_start_at_one_and_are_unique() -> None:
    with pytest.raises(ValidationError, match="n"):
        Citation(n=0, resource="Observation/abc", label="HbA1c")
    data = _example()
    data["citations"].append({"n": 1, "resource": "Observation/def", "label": "Glucose"})
    with pytest.raises(ValidationError, match="unique"):
        Turn.model_validate(data)


def test_emergency_without_a_number_to_call_is_rejected() -> None:
    with pytest.raises(ValidationError, match="number to call"):
        TriageInfo(level=TriageLevel.EMERGENCY, rules=["chest-pain-crushing"], advice="Call now.")
    triage = TriageInfo(
        level=TriageLevel.EMERGENCY, rules=["chest-pain-crushing"], advice="Call.", call="112"
    )
    assert triage.call == "112"


def test_call_must_look_like_a_phone_number() -> None:
    with pytest.raises(ValidationError, match="call"):
        TriageInfo(level="urgent", rules=[], advice="", call="the doctor")


@pytest.mark.parametrize("start", ["2026-11-24", "2026-11-24T09:00:00", "tomorrow 9am"])
def test_slot_start_needs_a_zoned_date_time(start: str) -> None:
    with pytest.raises(ValidationError, match="start"):
        SlotOffer(id="Slot/s1", start=start, service="GP")


def test_slot_id_must_be_a_slot_reference() -> None:
    with pytest.raises(ValidationError, match="id"):
        SlotOffer(id="Appointment/a1", start="2026-11-24T09:00:00Z", service="GP")


def test_slot_start_string_is_kept_exactly_as_the_server_sent_it() -> None:
    slot = SlotOffer(id="Slot/s1", start="2026-11-24T09:00:00.000+01:00", service="GP")
    assert json.loads(slot.model_dump_json())["start"] == "2026-11-24T09:00:00.000+01:00"


ACTION_SAMPLES: dict[str, dict[str, Any]] = {
    "offer_slots": {
        "kind": "offer_slots",
        "slots": [{"id": "Slot/s1", "start": "2026-11-24T09:00:00Z", "service": "GP", "location": "Room 2"}],
    },
    "confirm_booking": {
        "kind": "confirm_booking",
        "operation": "book",
        "slot": {"id": "Slot/s1", "start": "2026-11-24T09:00:00Z", "service": "GP"},
        "token": "tok-1",
        "summary": "Book GP on 24 November at 09:00?",
    },
    "booked": {
        "kind": "booked",
        "appointment": "Appointment/a1",
        "details": {"start": "2026-11-24T09:00:00Z", "service": "GP", "practitioner": "Dr Who"},
    },
    "cancelled": {
        "kind": "cancelled",
        "appointment": "Appointment/a1",
        "details": {"start": "2026-11-24T09:00:00Z", "service": "GP"},
    },
    "rescheduled": {
        "kind": "rescheduled",
        "appointment": "Appointment/a2",
        "details": {"start": "2026-11-25T09:00:00Z", "service": "GP"},
        "previous_appointment": "Appointment/a1",
        "previous": {"start": "2026-11-24T09:00:00Z", "service": "GP"},
    },
    "booking_failed": {
        "kind": "booking_failed",
        "reason": "That slot was just taken.",
        "alternatives": [{"id": "Slot/s2", "start": "2026-11-24T09:20:00Z", "service": "GP"}],
    },
}
ACTION_CLASSES: dict[str, type[BaseModel]] = {
    "offer_slots": OfferSlots,
    "confirm_booking": ConfirmBooking,
    "booked": Booked,
    "cancelled": Cancelled,
    "rescheduled": Rescheduled,
    "booking_failed": BookingFailed,
}


def test_action_samples_cover_every_kind() -> None:
    assert set(ACTION_SAMPLES) == {str(kind) for kind in ACTION_KINDS} == set(ACTION_CLASSES)


@pytest.mark.parametrize("kind", sorted(ACTION_SAMPLES))
def test_discriminated_union_picks_the_class_by_kind_and_round_trips(kind: str) -> None:
    adapter: TypeAdapter[Action] = TypeAdapter(Action)
    action = adapter.validate_python(ACTION_SAMPLES[kind])

    assert type(action) is ACTION_CLASSES[kind]
    assert _canonical(adapter.dump_python(action, mode="json")) == _canonical(ACTION_SAMPLES[kind])


def test_discriminator_reports_the_wrong_fields_of_the_chosen_kind() -> None:
    adapter: TypeAdapter[Action] = TypeAdapter(Action)
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python({"kind": "booked", "slots": []})
    locations = {error["loc"] for error in caught.value.errors()}
    assert ("booked", "appointment") in locations
    assert ("booked", "slots") in locations


def test_confirmation_needs_what_it_acts_on() -> None:
    slot = {"id": "Slot/s1", "start": "2026-11-24T09:00:00Z", "service": "GP"}
    with pytest.raises(ValidationError, match="needs the slot"):
        ConfirmBooking(token="t", summary="Book?")
    with pytest.raises(ValidationError, match="existing appointment"):
        ConfirmBooking.model_validate({"operation": "cancel", "token": "t", "summary": "Cancel?"})
    with pytest.raises(ValidationError, match="existing appointment"):
        ConfirmBooking.model_validate(
            {"operation": "reschedule", "slot": slot, "token": "t", "summary": "Move?"}
        )
    cancel = ConfirmBooking.model_validate(
        {"operation": "cancel", "appointment": "Appointment/a1", "token": "t", "summary": "Cancel?"}
    )
    assert json.loads(cancel.model_dump_json()) == {
        "kind": "confirm_booking",
        "operation": "cancel",
        "appointment": "Appointment/a1",
        "token": "t",
        "summary": "Cancel?",
    }


def test_offer_needs_at_least_one_slot() -> None:
    with pytest.raises(ValidationError, match="slots"):
        OfferSlots(slots=[])


def test_level_rank_orders_levels_from_none_to_emergency() -> None:
    ordered = ["none", "self_care", "soon", "urgent", "emergency"]
    assert [level_rank(level) for level in ordered] == [0, 1, 2, 3, 4]
    assert sorted(TRIAGE_LEVELS, key=level_rank) == [TriageLevel(level) for level in ordered]
    with pytest.raises(ValueError, match="unknown triage level"):
        level_rank("critical")


def test_max_level_never_lowers_the_floor() -> None:
    assert max_level() is TriageLevel.NONE
    assert max_level("soon", "self_care") is TriageLevel.SOON
    assert max_level(TriageLevel.URGENT, ["none", "soon"]) is TriageLevel.URGENT
    assert max_level(["self_care"], "emergency", "none") is TriageLevel.EMERGENCY
    with pytest.raises(ValueError, match="unknown triage level"):
        max_level("soon", "critical")


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda model: model.__name__)
def test_every_model_publishes_descriptions_and_valid_examples(model: type[BaseModel]) -> None:
    schema = model.model_json_schema()
    for name, prop in schema["properties"].items():
        assert prop.get("description"), f"{model.__name__}.{name} has no description"
    examples = schema.get("examples")
    assert examples, f"{model.__name__} has no example"
    for example in examples:
        # Each published example is itself valid and survives a round trip unchanged.
        instance = model.model_validate(example)
        assert _canonical(instance.model_dump(mode="json")) == _canonical(example)


def test_turn_schema_lists_the_contract_enums() -> None:
    defs = Turn.model_json_schema()["$defs"]
    assert defs["TriageLevel"]["enum"] == [str(level) for level in TRIAGE_LEVELS]
    assert defs["RefusalCategory"]["enum"] == [str(category) for category in REFUSAL_CATEGORIES]
    assert set(Turn.model_json_schema()["properties"]) == {
        "session_id",
        "text",
        "language",
        "triage",
        "citations",
        "actions",
        "refusal",
        "safety",
    }
