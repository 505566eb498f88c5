"""Structured booking commands: what a button (or a clinic's portal) sends instead of words.

A button that says "Tuesday 8 December at 9:00" or "Yes, book it" knows exactly what the patient
chose, so it sends that — the slot's id, the confirmation token — rather than a phrase for the text
parser to guess at. The rules do not change: choosing a slot only asks for confirmation; only
``confirm`` with the token of the confirmation the conversation is waiting for (or of the one it has
just carried out, which replays it) changes anything; a command that no longer matches the
conversation changes nothing and is refused (``NotPending``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.schemas import APPOINTMENT_REF_PATTERN, SLOT_REF_PATTERN

_TOKEN = Field(min_length=1, max_length=256, description="The token of the confirm_booking action.")


class _Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ChooseSlot(_Command):
    """Pick one of the slots this conversation offered; the reply asks for confirmation."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"command": "choose_slot", "slot": "Slot/s1"}]})
    command: Literal["choose_slot"] = "choose_slot"
    slot: str = Field(pattern=SLOT_REF_PATTERN, description="An offered slot, as “Slot/id”.")


class Confirm(_Command):
    """The explicit yes: carry out the pending booking, move or cancellation."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"command": "confirm", "token": "c0nf1rm7f3a"}]}
    )
    command: Literal["confirm"] = "confirm"
    token: str = _TOKEN


class Decline(_Command):
    """The no: don't book, don't move, keep the appointment. Without a token it drops whatever offer or
    question is pending; with one, only that confirmation."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"command": "decline", "token": "c0nf1rm7f3a"}]}
    )
    command: Literal["decline"] = "decline"
    token: str | None = Field(default=None, min_length=1, max_length=256)


class CancelAppointment(_Command):
    """Ask to cancel one of the patient's appointments; the reply asks "Cancel it" or "Keep it"."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"command": "cancel_appointment", "appointment": "Appointment/a1"}]}
    )
    command: Literal["cancel_appointment"] = "cancel_appointment"
    appointment: str = Field(pattern=APPOINTMENT_REF_PATTERN, description="As “Appointment/id”.")


class MoveAppointment(_Command):
    """Ask to move one of the patient's appointments; the reply offers free slots."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"command": "move_appointment", "appointment": "Appointment/a1"}]}
    )
    command: Literal["move_appointment"] = "move_appointment"
    appointment: str = Field(pattern=APPOINTMENT_REF_PATTERN, description="As “Appointment/id”.")


BookingCommand = Annotated[
    ChooseSlot | Confirm | Decline | CancelAppointment | MoveAppointment, Field(discriminator="command")
]


class NotPending(Exception):
    """The command does not match what the conversation is waiting for (an old button, a stale or
    forged token, a slot that was never offered). Nothing was changed."""
