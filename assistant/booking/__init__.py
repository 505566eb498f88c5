"""Booking appointments in conversation: offer slots, confirm explicitly, then book over FHIR.

``BookingFlow`` is what the assistant calls for scheduling messages, for answers to a pending offer
or confirmation, and for the structured commands buttons send; ``BookingOutcome`` is its reply
(text, contract actions, the next ``BookingState``). ``read_message`` is the pure text reader.
"""

from assistant.booking.commands import (
    BookingCommand,
    CancelAppointment,
    ChooseSlot,
    Confirm,
    Decline,
    MoveAppointment,
    NotPending,
)
from assistant.booking.flow import BookingFlow, BookingOutcome
from assistant.booking.parsing import BookingMessage, read_message
from assistant.booking.state import BookingState, SlotRequest

__all__ = [
    "BookingCommand",
    "BookingFlow",
    "BookingMessage",
    "BookingOutcome",
    "BookingState",
    "CancelAppointment",
    "ChooseSlot",
    "Confirm",
    "Decline",
    "MoveAppointment",
    "NotPending",
    "SlotRequest",
    "read_message",
]
