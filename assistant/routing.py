"""The router: which answers a turn gives, and in what order — decided from the understanding of the message.

One place decides the route (the guard and the triage decide safety; this module only orders what is said):

1. Safety first. A crisis (a self-harm signal the guard raised to the crisis protocol) or an emergency in
   THIS message is answered first, and its banner stays at the top. What else the patient asked is still
   answered below it when it is safe to: a record question (paramedics ask for the medicine list), when an
   appointment is, what an emergency number is. Never a new booking, cancellation or general chat then — but
   a booking, move or cancellation the patient asked for is not passed over in silence either: one line says
   nothing was changed now and that it can be done once they are safe (``Route.BOOKING_LATER``).
   When the emergency was raised earlier in the conversation and this message asks something else ("what is
   15? I'm not French", "while we wait, what medicines am I on?"), the reply answers the question under a
   one-line reminder instead of repeating the whole banner.
2. A refusal the guard decided is given (with symptom advice before it when the message also describes a
   symptom, as the triage level says).
3. Otherwise the main intent leads (``Understanding.intents[0]``): booking, a record question, a medicine
   question, health advice, small talk; a symptom report leads when it needs care (urgent / soon) or when
   it is all the message holds; a self-care symptom next to another request follows it.
4. Every other request of a mixed message (one per intent kind) is answered below, in rank order.

The plan is plain data (``RoutePlan``); ``Assistant`` composes each part and joins them. Nothing here reads
the text of the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from assistant.schemas import RefusalCategory, TriageLevel
from assistant.understanding.model import (
    BookingAct,
    ConversationContext,
    Intent,
    IntentKind,
    SignalKind,
    SmallTalkKind,
    Subject,
    Understanding,
)

__all__ = ["Route", "RoutePlan", "plan_turn"]

NEEDS_CARE = (TriageLevel.URGENT, TriageLevel.SOON)
# Refusals still given under an emergency banner: an attempt to change the rules, and a request that could
# hurt (the banner answers the emergency; it does not grant either).
REFUSED_UNDER_EMERGENCY = frozenset({RefusalCategory.INJECTION, RefusalCategory.UNSAFE_REQUEST})
STRONG_REQUEST = 0.7  # an intent at least this sure is a new request, not an answer to a pending question
# Topics whose answer is safe and useful under an emergency banner.
SAFE_DURING_EMERGENCY_TOPICS = frozenset({"emergency_numbers"})


class Route(StrEnum):
    EMERGENCY = "emergency"  # the emergency reply (call now, what to do meanwhile)
    CRISIS = "crisis"  # the crisis reply (self-harm: the crisis line / emergency number, kind words)
    REMINDER = "emergency_reminder"  # one line: the emergency of an earlier turn is still on
    TOO_LONG = "too_long"
    REFUSAL = "refusal"
    BOOKING = "booking"
    BOOKING_LATER = "booking_later"  # one line: the visit asked for is not booked / moved / cancelled now
    SYMPTOM = "symptom"
    RECORD = "record"
    MEDICINE = "medicine"
    ADVICE = "general_health"
    SMALL_TALK = "small_talk"
    UNKNOWN = "unknown"


_ROUTE_OF: dict[IntentKind, Route] = {
    IntentKind.RECORD_QUESTION: Route.RECORD,
    IntentKind.BOOKING: Route.BOOKING,
    IntentKind.SYMPTOM: Route.SYMPTOM,
    IntentKind.MEDICINE_QUESTION: Route.MEDICINE,
    IntentKind.HEALTH_ADVICE: Route.ADVICE,
    IntentKind.SMALL_TALK: Route.SMALL_TALK,
}


@dataclass(frozen=True)
class RoutePlan:
    """What the reply holds, in order: ``parts[0]`` leads."""

    parts: tuple[Route, ...]
    intent: IntentKind  # the main request (reported as Turn.safety.intent)
    booking_act: BookingAct | None = None
    small_talk: SmallTalkKind | None = None
    topic: str | None = None  # health-advice topic id
    about: Subject | None = None  # whose symptoms, when not the record's patient
    refusal: RefusalCategory | None = None

    @property
    def route(self) -> str:
        """The audit name of the turn's route ("emergency", "record", "symptom+record"…)."""
        return "+".join(p.value for p in self.parts)

    def has(self, route: Route) -> bool:
        return route in self.parts


def _detail(intents: tuple[Intent, ...], kind: IntentKind) -> str | None:
    return next((i.detail for i in intents if i.kind == kind and i.detail), None)


def plan_turn(
    u: Understanding,
    *,
    level: TriageLevel,
    refusal: RefusalCategory | None,
    blocked: bool,
    crisis: bool,
    context: ConversationContext,
    booking_continues: bool = False,
    booking_asked: bool = False,
) -> RoutePlan:
    """The plan for one turn (see module docstring).

    ``crisis``: the guard raised the turn to the crisis protocol (a self-harm signal); ``booking_continues``:
    the booking flow says this message answers the question it is waiting on (a slot choice, "yes");
    ``booking_asked``: the booking flow's own parser reads a scheduling request in a message the routing
    table could not place (it leads only then).
    """
    intents = u.intents
    main = intents[0].kind if intents else IntentKind.OTHER
    # An answer to the booking flow's pending question ("the first one", "yes") leads, unless the message
    # plainly asks something else (a strong entry of the routing table).
    booking_leads = (
        booking_continues
        and (
            not intents
            or main == IntentKind.BOOKING
            or intents[0].score < STRONG_REQUEST
            or main in (IntentKind.SMALL_TALK, IntentKind.SYMPTOM)
        )
    ) or (booking_asked and not intents)
    if booking_leads:
        main = IntentKind.BOOKING
    booking_act = _booking_act(_detail(intents, IntentKind.BOOKING))
    small_talk = _small_talk(_detail(intents, IntentKind.SMALL_TALK))
    topic = _detail(intents, IntentKind.HEALTH_ADVICE)
    about = _about(u)

    def plan(parts: list[Route]) -> RoutePlan:
        return RoutePlan(
            parts=tuple(dict.fromkeys(parts)),
            intent=main,
            booking_act=booking_act,
            small_talk=small_talk,
            topic=topic,
            about=about,
            refusal=refusal,
        )

    findings_now = bool(u.current_findings()) or any(v.current for v in u.vitals)
    requests = _requests(intents, booking_leads)

    if blocked and refusal is None:
        return plan([Route.TOO_LONG])

    if crisis or (
        u.has_signal(SignalKind.SELF_HARM) and level in (TriageLevel.URGENT, TriageLevel.EMERGENCY)
    ):
        parts = [Route.CRISIS]
        if refusal in REFUSED_UNDER_EMERGENCY:
            parts.append(Route.REFUSAL)
        else:
            # Other refusals give way, as under an emergency; below a crisis that is not an emergency,
            # a visit the patient asks for is kept (care they reach for), never cancelled.
            crisis_only = level != TriageLevel.EMERGENCY
            parts.extend(_safe_during_emergency(requests, booking_act, topic, crisis=crisis_only))
            parts.extend(_booking_later(requests, parts))
        return plan(parts)

    if level == TriageLevel.EMERGENCY:
        from_earlier = context.emergency_in_force and not findings_now
        if refusal in REFUSED_UNDER_EMERGENCY:
            # An emergency does not grant what was refused (a lower urgency, a hidden test result, someone
            # else's tablets): the banner first, then the refusal, as under the crisis protocol. Other
            # refusals (a record question read as someone else's) give way to the emergency's answers.
            return plan([Route.REMINDER if from_earlier else Route.EMERGENCY, Route.REFUSAL])
        if from_earlier and requests:
            # The banner is up already: one line keeps it, and the question gets its answer.
            answers = _safe_during_emergency(requests, booking_act, topic, earlier=True)
            answers.extend(_booking_later(requests, answers))
            return plan([Route.REMINDER, *answers] if answers else [Route.EMERGENCY])
        answers = _safe_during_emergency(requests, booking_act, topic)
        return plan([Route.EMERGENCY, *answers, *_booking_later(requests, answers)])

    if refusal is not None:
        # The refusal answers what was refused; the patient's own record question or visit asked in
        # another clause of the message is still answered below it.
        return plan([Route.REFUSAL, *_beside_refusal(u, intents, refusal)])

    symptom_level = level in (*NEEDS_CARE, TriageLevel.SELF_CARE)
    symptom_asked = main == IntentKind.SYMPTOM or (findings_now and symptom_level)
    # "Combien de sinusites j'ai eu d'après mon dossier ?": the illness is what the record question is
    # about, not how the patient feels now — the record answer leads, the advice for symptoms follows.
    named_in_question = main == IntentKind.RECORD_QUESTION and _findings_inside(u, IntentKind.RECORD_QUESTION)
    routes: list[Route] = []
    if (
        symptom_level
        and symptom_asked
        and not named_in_question
        and (level in NEEDS_CARE or main == IntentKind.SYMPTOM or not requests)
    ):
        routes.append(Route.SYMPTOM)
    routes.extend(requests)
    if symptom_level and symptom_asked and Route.SYMPTOM not in routes:
        routes.append(Route.SYMPTOM)  # self-care advice after the answer the patient asked for
    if not routes:
        routes.append(Route.SYMPTOM if symptom_level else Route.UNKNOWN)
    # Small talk only when nothing else was asked ("thanks! and what about my cholesterol?" → the record).
    if len(routes) > 1 and Route.SMALL_TALK in routes:
        routes.remove(Route.SMALL_TALK)
    return plan(routes)


def _requests(intents: tuple[Intent, ...], booking_leads: bool) -> list[Route]:
    """The routes of the requests (not symptom reports), best first, one per kind and one per clause: a
    clause read two ways ("how many flu jabs have I had": a record question, and a medicine named) is
    answered the best way only; a request in another clause is answered too."""
    routes: list[Route] = []
    clauses: set[int | None] = set()
    if booking_leads:
        routes.append(Route.BOOKING)
    for intent in intents:
        route = _ROUTE_OF.get(intent.kind)
        # a symptom is not a request: its advice comes from the triage whatever the clause, so a clause
        # also read as asking ("what was that number and is it normal?" beside swollen ankles) keeps its
        # request
        if route is None or route == Route.SYMPTOM or intent.clause in clauses:
            continue
        clauses.add(intent.clause)
        if route not in routes:
            routes.append(route)
    return routes


def _findings_inside(u: Understanding, kind: IntentKind) -> bool:
    """Every current finding sits in a clause the table read as ``kind`` (and there is at least one)."""
    clauses = {i.clause for i in u.intents if i.kind == kind}
    findings = u.current_findings()
    return bool(findings) and all(f.clause in clauses for f in findings)


# Requests answered below a refusal when they sit in a clause no refusing signal was read in.
_BESIDE_REFUSAL = {IntentKind.RECORD_QUESTION: Route.RECORD, IntentKind.BOOKING: Route.BOOKING}


def _beside_refusal(u: Understanding, intents: tuple[Intent, ...], refusal: RefusalCategory) -> list[Route]:
    """The patient's own record question or booking in a clause apart from every signal the guard acted
    on (a self-harm signal is answered by the triage, not refused). An attempt to change the rules refuses
    the rules, not the patient's question: only the other signals' clauses are kept apart then. A signal
    not tied to a clause keeps the whole message refused."""
    refused: set[int] = set()
    for signal in u.signals:
        if signal.kind is SignalKind.SELF_HARM:
            continue
        if refusal is RefusalCategory.INJECTION and signal.kind is SignalKind.INJECTION:
            continue
        if signal.clause is None:
            return []
        refused.add(signal.clause)
    routes: list[Route] = []
    for intent in intents:
        route = _BESIDE_REFUSAL.get(intent.kind)
        if route is None or intent.clause is None or intent.clause in refused or route in routes:
            continue
        if route == Route.BOOKING and intent.detail == BookingAct.CANCEL.value:
            continue
        routes.append(route)
    return routes


def _safe_during_emergency(
    requests: list[Route],
    act: BookingAct | None,
    topic: str | None,
    *,
    earlier: bool = False,
    crisis: bool = False,
) -> list[Route]:
    """Requests that are safe and useful to answer under an emergency or crisis banner (``crisis``: a
    crisis that is not an emergency, where a visit asked for is booked too)."""
    allowed = {
        Route.RECORD: True,
        Route.BOOKING: act == BookingAct.LOOKUP or (crisis and act != BookingAct.CANCEL),
        Route.ADVICE: topic in SAFE_DURING_EMERGENCY_TOPICS or earlier,
        Route.MEDICINE: earlier,
    }
    return [route for route in requests if allowed.get(route, False)]


def _booking_later(requests: list[Route], answered: list[Route]) -> list[Route]:
    """A booking request that the banner above keeps from being carried out (a new visit or a cancellation
    under an emergency, a cancellation under a crisis): one line says so, rather than leaving the patient to
    wonder whether the physio session is still on."""
    return [Route.BOOKING_LATER] if Route.BOOKING in requests and Route.BOOKING not in answered else []


def _about(u: Understanding) -> Subject | None:
    """The person whose symptoms the message describes, when it is not the record's patient."""
    for finding in u.current_findings():
        subject = u.subjects[finding.subject]
        if not subject.is_record_patient and subject.index != 0:
            return subject
    for vital in u.vitals:
        subject = u.subjects[vital.subject]
        if not subject.is_record_patient and subject.index != 0 and vital.current:
            return subject
    return None


def _booking_act(detail: str | None) -> BookingAct | None:
    try:
        return BookingAct(detail) if detail else None
    except ValueError:
        return None


def _small_talk(detail: str | None) -> SmallTalkKind | None:
    try:
        return SmallTalkKind(detail) if detail else None
    except ValueError:
        return None
