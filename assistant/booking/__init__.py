"""Booking appointments in conversation: offer slots, confirm explicitly, then book over FHIR.

``BookingFlow`` is what the assistant calls for scheduling messages and for answers to a pending
offer or confirmation; ``BookingOutcome`` is its reply (text, contract actions, session state).
"""

from assistant.booking.flow import BookingFlow, BookingOutcome

__all__ = ["BookingFlow", "BookingOutcome"]
