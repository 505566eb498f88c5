"""One turn of the conversation: the only entry point the API, the UI and the evals use.

Order inside a turn, always the same so it can be audited: input guard → triage (record-aware) →
route (emergency, refusal, booking, symptom, record question, general health, small talk) → compose
(offline, or an LLM whose reply must pass the output guard) → output guard → persist (turn, state,
audit). The triage level comes from rules only; nothing later in the turn can lower it.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from assistant.account import SELF, AccountHolder
from assistant.backends.base import BackendError
from assistant.booking.commands import BookingCommand
from assistant.booking.state import BookingState
from assistant.composer import conversation
from assistant.composer.draft import CitationList, Draft, join_drafts
from assistant.composer.formatting import pick
from assistant.composer.health_topics import topic_answer, topic_by_id
from assistant.composer.intents import Intents
from assistant.composer.medicine_safety import MedicineSafety
from assistant.composer.numbers import numbers_answer
from assistant.composer.perspective import speak_about
from assistant.composer.record_answers import RecordAnswers, RecordContext
from assistant.composer.symptoms import emergency_number, symptom_answer
from assistant.guardrails.input_guard import EMPTY_FLAG
from assistant.guardrails.output_guard import add_disclaimer, gives_guidance
from assistant.guardrails.refusals import empty_message_text, oversize_text
from assistant.ports import BookingPort, GuardPort, InputVerdictLike, LLMPort, TriageDecisionLike
from assistant.routing import Route, RoutePlan, plan_turn
from assistant.schemas import (
    Language,
    Refusal,
    RefusalCategory,
    SafetyInfo,
    TriageInfo,
    TriageLevel,
    Turn,
)
from assistant.store import SessionNotFoundError, SessionStore
from assistant.understanding import clean_message
from assistant.understanding.intents import IntentReader
from assistant.understanding.learned_crisis import (
    BANK_VECTORS_FILE,
    E5_MARGIN,
    E5_THRESHOLD,
    CrisisBank,
    LearnedCrisisSignals,
    NearestCrisis,
    load_gates,
    load_heads,
)
from assistant.understanding.model import (
    ConversationContext,
    IntentKind,
    PriorTurn,
    RecordQuery,
    RecordQueryKind,
    SignalKind,
    SmallTalkKind,
    Understanding,
)
from assistant.understanding.record_query import RecordQueryReader
from assistant.understanding.signals import SignalTable
from assistant.understanding.stage import Understander
from assistant.understanding.subjects import PatientFacts, age_in_years
from fhir_client import PatientRecord
from retrieval import ConceptMap, E5Embedder, IndexUnavailable, RecordQueries, RecordRetriever

log = logging.getLogger(__name__)

BOOKING_STATE_KEY = "booking"
CONTEXT_STATE_KEY = "context"  # what the understanding stage keeps of earlier turns (PriorTurn list)
CONTEXT_TURNS = 6
NEEDS_CARE = (TriageLevel.URGENT, TriageLevel.SOON)
# Refusals where the useful alternative is a visit with the clinician: offer slots right away.
BOOK_INSTEAD = (
    RefusalCategory.DOSE_CHANGE,
    RefusalCategory.PRESCRIPTION,
    RefusalCategory.DIAGNOSIS_CERTAINTY,
)
STREAM_CHUNK_WORDS = 3
# Routes whose answer gives way to the record's allergy (or interaction) answer (Assistant._allergy_first).
_ALLERGY_FIRST_ROUTES = frozenset(
    {Route.RECORD, Route.MEDICINE, Route.ADVICE, Route.SMALL_TALK, Route.UNKNOWN}
)
_ROUTE_VALUES = frozenset(r.value for r in Route)


class BookingUnavailable(LookupError):
    """This patient's assistant has no booking (no clinic server, or a read-only token)."""


@dataclass
class _Composed:
    draft: Draft
    route: str
    backend: str = "offline"
    state: BookingState | None = None  # the next booking state, or None to leave it as it is
    flags: list[str] = field(default_factory=list)
    plan: RoutePlan | None = None


class Assistant:
    """The assistant for ONE patient: every tool, query and booking is bound to ``record``'s patient.

    Collaborators are passed in (the composition root builds them from settings): ``guard`` runs the
    safety checks (the assistant holds its own ``PatientGuard``, so what the checks derive from this
    record is built once, here, and never shared with another patient), ``clock`` says what "now" and
    "today" are (in ``timezone``), ``retriever`` ranks record cards (optional: exact queries work without it),
    ``booking`` talks to the clinic's scheduling (optional), ``llm`` composes with a language model
    (optional: the offline composer answers when absent, and whenever the LLM fails a check).
    ``account_holder`` says who is typing (``assistant.account``): the patient, or a parent acting for
    their child — then every reply speaks about "your child" and never greets the child by name.
    """

    def __init__(
        self,
        *,
        record: PatientRecord,
        store: SessionStore,
        guard: GuardPort,
        retriever: RecordRetriever | None = None,
        booking: BookingPort | None = None,
        llm: LLMPort | None = None,
        region: str = "FR",
        timezone: str = "Europe/Paris",
        clock: Callable[[], datetime],
        concepts: ConceptMap | None = None,
        intents: Intents | None = None,
        understander: Understander | None = None,
        account_holder: AccountHolder = SELF,
    ) -> None:
        self.record = record
        self.account_holder = account_holder
        self.store = store
        self.guard = guard
        self.checks = guard.for_record(record)
        self.retriever = retriever
        self.booking = booking
        self.llm = llm
        self.region = region
        self.tz = ZoneInfo(timezone)
        self.clock = clock
        self.concepts = concepts or ConceptMap.load()
        self.intents = intents or Intents.load()
        self.queries = RecordQueries(record, self.concepts)
        self.understander = understander or _default_understander()
        self.medicine_safety = MedicineSafety(self.queries, self.concepts, emergency=emergency_number(region))

    @property
    def patient_id(self) -> str:
        return self.record.patient_id

    @property
    def backend_name(self) -> str:
        return self.llm.backend_name if self.llm is not None else "offline"

    def today(self) -> date:
        return self.clock().astimezone(self.tz).date()

    def patient_facts(self) -> PatientFacts:
        """What the understanding stage may know of the record's patient (to tell them from others)."""
        return patient_facts(
            self.record, self.today(), proxy=self.account_holder.is_proxy, record_end=self.queries.last_date
        )

    def understand(
        self, message: str, *, language: Language | None, state: Mapping[str, Any]
    ) -> Understanding:
        """The one reading of the message that the guard, the triage and the router consume."""
        return self.understander.understand(
            message,
            language=language,
            context=_context_of(state),
            patient=self.patient_facts(),
            today=self.today(),
        )

    # -- sessions -------------------------------------------------------------------------------------

    def new_session(self, language: Language = "en") -> str:
        return self.store.create_session(self.patient_id, language, backend=self.backend_name[:64])

    # -- the turn -------------------------------------------------------------------------------------

    def respond(self, session_id: str, message: str, *, language: Language | None = None) -> Turn:
        """Answer one message. Raises ``SessionNotFoundError`` for a session of another patient.

        The message is cleaned first (``assistant.understanding.clean_message``: invisible and control
        characters out, the same as every interface does); what is stored and read is the cleaned text.
        """
        message = clean_message(message)
        today = self.today()
        info = self.store.get_session(session_id, self.patient_id)
        if info is None:
            raise SessionNotFoundError(f"no session {session_id!r} for this patient")
        history = self.store.history(session_id, self.patient_id)
        state = self.store.get_state(session_id, self.patient_id)
        self.store.append_turn(session_id, self.patient_id, "user", message)

        understanding = self.understand(message, language=language, state=state)
        verdict = self.checks.check_input(understanding)
        lang: Language = language or verdict.language
        # triage: protocols on the understanding, with the conversation (answers, an emergency in force)
        decision = self.checks.triage(understanding, context=_context_of(state), today=today)
        decision = self.checks.with_crisis(decision, verdict)
        refusal = verdict.refusal  # push-back after a refusal keeps it (the verdict says which)
        composed = self._compose(message, lang, refusal, verdict, decision, state, history, understanding)
        flags = [*verdict.flags, *composed.flags, *composed.draft.flags]
        draft = composed.draft
        draft.text = speak_about(draft.text, self.account_holder, lang)
        # The emergency banner goes without the "not a diagnosis" line; anything said below it that
        # reads as guidance (a medicine list's "take them as prescribed") carries it.
        if (draft.guidance and decision.level != TriageLevel.EMERGENCY) or gives_guidance(draft.text):
            draft.text = add_disclaimer(draft.text, lang, self.region)
        check = self.checks.check_output(draft.text, citations=draft.citations, language=lang, today=today)
        if not check.ok:
            flags.extend(f"output:{f}" for f in check.flags)
        turn = Turn(
            session_id=session_id,
            text=draft.text,
            language=lang,
            triage=decision.to_info(),
            citations=draft.citations,
            actions=list(draft.actions),
            refusal=draft.refusal,
            safety=SafetyInfo(
                flags=_unique(flags),
                backend=composed.backend,
                grounded=check.ok,
                intent=understanding.intent.value,
            ),
        )
        self.store.append_turn(session_id, self.patient_id, "assistant", turn=turn)
        new_state = _with_booking(state, composed.state) if composed.state is not None else dict(state)
        new_state[CONTEXT_STATE_KEY] = _remember(
            state, understanding, turn, composed.plan, composed.draft.record_query, decision, refusal
        )
        self.store.set_state(session_id, self.patient_id, new_state)
        self._audit(session_id, composed, turn)
        return turn

    def act(self, session_id: str, command: BookingCommand, *, language: Language | None = None) -> Turn:
        """A booking button or a portal's structured command (choose a slot, confirm with the token,
        decline, cancel or move an appointment) as one turn of the conversation.

        It goes to the same booking flow and leaves the same history as words would — the patient's
        turn reads as what they chose ("Yes, book it") — but nothing is guessed from text. Raises
        ``SessionNotFoundError``, ``BookingUnavailable`` (no booking for this patient), ``NotPending``
        (the command does not match the conversation: nothing changed) and ``AppointmentNotFound``.
        """
        info = self.store.get_session(session_id, self.patient_id)
        if info is None:
            raise SessionNotFoundError(f"no session {session_id!r} for this patient")
        if self.booking is None:
            raise BookingUnavailable("booking is not available for this patient")
        lang: Language = language or info.language
        state = self.store.get_state(session_id, self.patient_id)
        outcome = self.booking.command(
            command, language=lang, state=BookingState.load(state.get(BOOKING_STATE_KEY))
        )
        self.store.append_turn(session_id, self.patient_id, "user", outcome.said or command.command)
        turn = Turn(
            session_id=session_id,
            text=outcome.text,
            language=lang,
            triage=TriageInfo(level=TriageLevel.NONE),
            actions=list(outcome.actions),
            safety=SafetyInfo(flags=[f"booking-command:{command.command}"], backend="offline", grounded=True),
        )
        self.store.append_turn(session_id, self.patient_id, "assistant", turn=turn)
        self._save_booking(session_id, state, outcome.state)
        self._audit(session_id, _Composed(Draft(text=turn.text), f"booking:{command.command}"), turn)
        return turn

    def _save_booking(self, session_id: str, state: Mapping[str, Any], booking: BookingState) -> None:
        """The one place the booking state reaches the session (as the flow returned it)."""
        self.store.set_state(session_id, self.patient_id, _with_booking(state, booking))

    def stream(
        self, session_id: str, message: str, *, language: Language | None = None
    ) -> Iterator[str | Turn]:
        """Text pieces, then the final ``Turn``.

        Only text that has passed the output guard is ever streamed: an LLM reply is checked whole
        before its first word goes out, because a reply that fails grounding must never be shown.
        """
        turn = self.respond(session_id, message, language=language)
        words = turn.text.split(" ")
        for i in range(0, len(words), STREAM_CHUNK_WORDS):
            piece = " ".join(words[i : i + STREAM_CHUNK_WORDS])
            yield piece if i == 0 else " " + piece
        yield turn

    # -- routing --------------------------------------------------------------------------------------

    def _compose(
        self,
        message: str,
        lang: Language,
        refusal: RefusalCategory | None,
        verdict: InputVerdictLike,
        decision: TriageDecisionLike,
        state: Mapping[str, Any],
        history: Sequence[Any],
        understanding: Understanding,
    ) -> _Composed:
        """The reply, from the route plan (``assistant.routing``): its parts composed in order and joined."""
        booking_state = BookingState.load(state.get(BOOKING_STATE_KEY))
        # The booking flow's parser is asked only when its answer matters: a question it is waiting on,
        # or a message the routing table could not place.
        wants = self.booking is not None and (booking_state.pending or not understanding.intents)
        wants = wants and self.booking is not None and self.booking.wants(message, lang, booking_state)
        plan = plan_turn(
            understanding,
            level=decision.level,
            refusal=refusal,
            blocked=verdict.blocked,
            crisis=_is_crisis(understanding, decision),
            context=_context_of(state),
            booking_continues=wants and booking_state.pending,
            booking_asked=wants,
        )
        parts: list[_Composed] = []
        for route in plan.parts:
            part = self._part(
                route, plan, message, lang, decision, booking_state, history, understanding, parts, verdict
            )
            if part is not None:
                parts.append(part)
        parts = self._allergy_first(message, lang, plan, understanding, parts)
        if not parts:
            parts.append(_Composed(conversation.not_understood(lang), Route.UNKNOWN.value))
        draft = join_drafts([p.draft for p in parts])
        new_state: BookingState | None = None
        for p in parts:  # the booking flow is the only writer of its state; an emergency clears it
            if p.state is not None:
                new_state = p.state
        backend = next((p.backend for p in parts if p.backend != "offline"), "offline")
        flags = [f for p in parts for f in p.flags]
        return _Composed(draft, plan.route, backend=backend, state=new_state, flags=flags, plan=plan)

    def _part(
        self,
        route: Route,
        plan: RoutePlan,
        message: str,
        lang: Language,
        decision: TriageDecisionLike,
        booking_state: BookingState,
        history: Sequence[Any],
        u: Understanding,
        before: Sequence[_Composed],
        verdict: InputVerdictLike,
    ) -> _Composed | None:
        """One part of the reply (see ``Route``); ``before`` holds the parts already composed."""
        level = decision.level
        under_banner = any(p.route in (Route.EMERGENCY, Route.CRISIS, Route.REMINDER) for p in before)
        if route in (Route.EMERGENCY, Route.CRISIS):
            draft = symptom_answer(decision, lang, region=self.region, about=plan.about)
            # The emergency comes first: no booking is started or kept under it.
            return _Composed(
                draft, route.value, state=booking_state.idle() if route == Route.EMERGENCY else None
            )
        if route == Route.REMINDER:
            number = decision.call or emergency_number(self.region)
            return _Composed(conversation.emergency_reminder(lang, number), route.value)
        if route == Route.TOO_LONG:
            if EMPTY_FLAG in verdict.flags:
                return _Composed(Draft(text=empty_message_text(lang)), "empty")
            text = oversize_text(len(message), self.checks.max_chars, lang, region=self.region)
            return _Composed(Draft(text=text), route.value)
        if route == Route.REFUSAL and plan.refusal is not None:
            return self._refuse(
                plan.refusal, lang, decision, booking_state, message, plan, verdict.refusal_detail
            )
        if route == Route.BOOKING_LATER:
            return _Composed(conversation.booking_later(lang, plan.booking_act), route.value)
        if route == Route.BOOKING:
            if self.booking is None:
                return _Composed(conversation.booking_unavailable(lang), route.value)
            triage = TriageLevel.NONE if under_banner else level
            outcome = self.booking.handle(message, language=lang, state=booking_state, triage=triage)
            draft = Draft(text=outcome.text, actions=list(outcome.actions))
            return _Composed(draft, route.value, state=outcome.state)
        if route == Route.SYMPTOM:
            if before:
                # Advice after the answer the patient asked for ("when did I have sinusitis?"): said as
                # what to do if they have symptoms now; no appointment is pushed for a question.
                composed = self._symptom(decision, lang, booking_state, message, plan, offer=False)
                composed.draft.text = (
                    pick(lang, "If you have symptoms now: ", "Si vous avez des symptômes en ce moment : ")
                    + composed.draft.text
                )
                return composed
            return self._symptom(decision, lang, booking_state, message, plan)
        if route == Route.SMALL_TALK:
            return _Composed(self._small_talk(plan.small_talk, lang), route.value)
        if route == Route.MEDICINE:
            return self._medicine(message, lang, u)
        if route == Route.ADVICE:
            return self._advice(plan.topic, lang)
        if route == Route.RECORD:
            if len(plan.parts) == 1:
                return self._answer(message, lang, history, u)
            answer = self._record_draft(message, lang, u)
            return _Composed(answer, route.value) if answer is not None else None
        return self._answer(message, lang, history, u)

    def _allergy_first(
        self, message: str, lang: Language, plan: RoutePlan, u: Understanding, parts: list[_Composed]
    ) -> list[_Composed]:
        """An allergy of the record that the message touches ("can I take amoxicillin?" with a penicillin
        allergy, "latex gloves", "an almond cake"), or a question whether to combine something with the
        patient's own medicines, is answered from the record first, whatever the routing table made of the
        words (a record question, a message it could not place). Symptom advice and refusals add the same
        note themselves; an emergency or a crisis comes first and is left as it is; symptoms of another
        person are not checked against the record's allergies."""
        routes = {Route(p.route) for p in parts if p.route in _ROUTE_VALUES}
        if plan.about is not None or len(routes) != len(parts) or not routes <= _ALLERGY_FIRST_ROUTES:
            return parts
        safety = self.medicine_safety.answer(message, lang)
        if safety is None:
            return parts
        lead = _Composed(safety, "medicine_safety")

        def answered_by_safety(part: _Composed) -> bool:
            if part.route in (Route.MEDICINE.value, Route.UNKNOWN.value, Route.SMALL_TALK.value):
                return True
            if part.route != Route.RECORD.value:
                return False
            # The record question is the safety question itself when every clause that asks it names the
            # allergen or the combination ("can I take amoxicillin for my tooth?"); another question in
            # another clause ("and what was my last a1c?") keeps its answer.
            clauses = [
                u.clauses[i.clause]
                for i in u.intents
                if i.kind == IntentKind.RECORD_QUESTION and i.clause is not None and i.clause < len(u.clauses)
            ]
            return not clauses or all(self._touches_safety(c.text) for c in clauses)

        return [lead, *(p for p in parts if not answered_by_safety(p))]

    def _touches_safety(self, text: str) -> bool:
        safety = self.medicine_safety
        return bool(safety.allergy_conflicts(text)) or safety.is_interaction_question(text)

    def _refuse(
        self,
        category: RefusalCategory,
        lang: Language,
        decision: TriageDecisionLike,
        booking_state: BookingState,
        message: str,
        plan: RoutePlan,
        detail: str | None = None,
    ) -> _Composed:
        text = self.checks.refusal_text(category, lang, detail)
        draft = Draft(text=text, refusal=Refusal(category=category, text=text))
        new_state: BookingState | None = None
        if decision.level in (*NEEDS_CARE, TriageLevel.SELF_CARE):
            advice = symptom_answer(decision, lang, region=self.region, about=plan.about)
            draft.text = advice.text + "\n\n" + text
            draft.citations = advice.citations
            draft.guidance = True
        if plan.about is None:
            self._add_medicine_notes(draft, message, lang)
        if category in BOOK_INSTEAD and self.booking is not None:
            level = decision.level if decision.level in NEEDS_CARE else TriageLevel.SOON
            outcome = self.booking.offer_for_triage(
                level, language=lang, state=booking_state, reason=category.value
            )
            if outcome is not None and outcome.actions:
                draft.text += "\n\n" + outcome.text
                draft.actions = list(outcome.actions)
                new_state = outcome.state
        return _Composed(draft, f"refusal:{category.value}", state=new_state)

    def _symptom(
        self,
        decision: TriageDecisionLike,
        lang: Language,
        booking_state: BookingState,
        message: str,
        plan: RoutePlan,
        *,
        offer: bool = True,
    ) -> _Composed:
        draft = symptom_answer(decision, lang, region=self.region, about=plan.about)
        if plan.about is None:  # the record's allergies are the patient's, not the person described
            self._add_medicine_notes(draft, message, lang)
        new_state: BookingState | None = None
        if (
            offer
            and decision.level in NEEDS_CARE
            and self.booking is not None
            and not plan.has(Route.BOOKING)
        ):
            outcome = self.booking.offer_for_triage(
                decision.level, language=lang, state=booking_state, reason=message[:200]
            )
            if outcome is not None:
                draft.text += "\n\n" + outcome.text
                draft.actions = list(outcome.actions)
                new_state = outcome.state
        return _Composed(draft, Route.SYMPTOM.value, state=new_state)

    def _add_medicine_notes(self, draft: Draft, message: str, lang: Language) -> None:
        """An allergy in the record that the message touches, or an interaction question, is never left
        out because the turn went to symptom advice or a refusal: the note and its citation are added."""
        if not message:
            return
        cites = CitationList.continuing(draft.citations)
        lines = self.medicine_safety.notes(message, lang, cites)
        if lines:
            draft.text += "\n\n" + "\n".join(lines)
            draft.citations = cites.items
            draft.resources_read = [*draft.resources_read, *(c.resource for c in cites.items)]

    def _small_talk(self, kind: SmallTalkKind | None, lang: Language) -> Draft:
        if kind == SmallTalkKind.GREETING:
            return conversation.greeting(lang, self._first_name())
        if kind == SmallTalkKind.THANKS:
            return conversation.thanks(lang)
        if kind == SmallTalkKind.GOODBYE:
            return conversation.goodbye(lang)
        if kind == SmallTalkKind.ACK:
            return conversation.acknowledged(lang)
        return conversation.help_text(lang)

    def _medicine(self, message: str, lang: Language, u: Understanding) -> _Composed:
        """A medicine question: the record's allergies and the interaction check first (never a model),
        then the general answer, with the patient's current medicines from the record."""
        safety = self.medicine_safety.answer(message, lang)
        if safety is not None:
            return _Composed(safety, "medicine_safety")
        general = conversation.medicine_general(lang)
        listed = self._records().answer(
            RecordQuery(kind=RecordQueryKind.LIST, categories=("medications",)), lang
        )
        if listed.citations:
            return _Composed(join_drafts([general, listed]), Route.MEDICINE.value)
        return _Composed(general, Route.MEDICINE.value)

    def _advice(self, topic_id: str | None, lang: Language) -> _Composed:
        if topic_id == "emergency_numbers":
            return _Composed(numbers_answer(self.region, lang), Route.ADVICE.value)
        topic = topic_by_id(topic_id) if topic_id else None
        if topic is None:
            return _Composed(conversation.general_advice(lang), Route.ADVICE.value)
        return _Composed(topic_answer(topic, lang, self._records(), region=self.region), Route.ADVICE.value)

    def _records(self, retriever: bool = True) -> RecordAnswers:
        return RecordAnswers(
            RecordContext(
                queries=self.queries,
                concepts=self.concepts,
                intents=self.intents,
                patient_id=self.patient_id,
                today=self.today(),
                retriever=self.retriever if retriever else None,
            )
        )

    def _answer(self, message: str, lang: Language, history: Sequence[Any], u: Understanding) -> _Composed:
        """A record question, or a message the table could not place: the LLM may write these."""
        offline = self._record_draft(message, lang, u)
        route = Route.RECORD.value
        if offline is None:
            offline, route = conversation.not_understood(lang), Route.UNKNOWN.value
        if self.llm is None:
            return _Composed(offline, route)
        pairs = [(t.role, t.text or "") for t in history if t.role in ("user", "assistant")][-8:]
        try:
            llm_draft = self.llm.compose(pairs, message, language=lang)
        except BackendError as exc:
            log.warning("LLM backend failed, answering offline: %s", exc)
            return _Composed(offline, route, flags=[f"llm-fallback:{type(exc).__name__}"])
        text = llm_draft.text
        if offline.guidance or gives_guidance(text):
            text = add_disclaimer(text, lang, self.region)
        check = self.checks.check_output(
            text, citations=llm_draft.citations, language=lang, today=self.today()
        )
        if not check.ok:
            return _Composed(offline, route, flags=["llm-replaced", *(f"llm:{f}" for f in check.flags)])
        draft = Draft(
            text=text,
            citations=list(llm_draft.citations),
            guidance=offline.guidance,
            record_query=offline.record_query,
        )
        return _Composed(draft, route, backend=self.backend_name)

    def _record_draft(self, message: str, lang: Language, u: Understanding) -> Draft | None:
        """The record answer for the understood question; the index may be gone (erased through another
        worker) or unreachable."""
        query = u.record_query
        records = self._records()

        if query is None:
            return None

        def run(answers: RecordAnswers) -> Draft | None:
            return answers.answer(query, lang, text=message)

        try:
            return run(records)
        except LookupError:
            if self.retriever is None:
                raise
            # Erased elsewhere while this process still holds the record: the patient is using the
            # service again, so rebuild their index from the record in hand and answer.
            self.retriever.index_record(self.record)
            return run(records)
        except IndexUnavailable as exc:
            log.warning("record index unavailable, answering from exact queries only: %s", exc)
            draft = run(self._records(retriever=False))
            if draft is not None:
                draft.flags.append("index-unavailable")
            return draft

    def _first_name(self) -> str | None:
        if self.account_holder.is_proxy:
            return None  # the record's patient is not the person typing
        patients = self.record.of_type("Patient")
        names = getattr(patients[0], "name", None) if patients else None
        given = getattr(names[0], "given", None) if names else None
        if not given:
            return None
        return "".join(ch for ch in str(given[0]) if not ch.isdigit()) or None

    # -- audit ----------------------------------------------------------------------------------------

    def _audit(self, session_id: str, composed: _Composed, turn: Turn) -> None:
        audit = self.store.audit
        read = _unique([*composed.draft.resources_read, *(c.resource for c in turn.citations)])
        if read:
            audit.record(
                "record.read",
                patient_id=self.patient_id,
                actor="assistant",
                resources=read,
                session_id=session_id,
                detail={"route": composed.route, "backend": composed.backend},
            )
        for action in turn.actions:
            if action.kind in ("booked", "cancelled", "rescheduled", "booking_failed"):
                ref = getattr(action, "appointment", None)
                audit.record(
                    f"booking.{action.kind}",
                    patient_id=self.patient_id,
                    actor="assistant",
                    resources=[ref] if ref else [],
                    outcome="failed" if action.kind == "booking_failed" else "ok",
                    session_id=session_id,
                    detail={"route": composed.route},
                )
        if turn.triage.level != TriageLevel.NONE:
            audit.record(
                "triage",
                patient_id=self.patient_id,
                actor="assistant",
                session_id=session_id,
                detail={"level": turn.triage.level.value, "rules": list(turn.triage.rules)},
            )


def _with_booking(state: Mapping[str, Any], booking: BookingState) -> dict[str, Any]:
    new_state = dict(state)
    dumped = booking.dump()
    if dumped:
        new_state[BOOKING_STATE_KEY] = dumped
    else:
        new_state.pop(BOOKING_STATE_KEY, None)
    return new_state


_STAGE_LOCK = threading.Lock()


def _default_understander() -> Understander:
    """The process-wide stage; a caller that comes while it is being built waits for that build (two
    threads building it at once would each take the whole cost, on a shared CPU)."""
    with _STAGE_LOCK:
        return _build_default_understander()


@functools.cache
def _build_default_understander() -> Understander:
    """Built once per process: the stage holds only immutable data and stateless readers. Self-harm is read
    by the signal table and, where it saw none, by the learned readers (which only raise): linear heads over
    multilingual-e5-small vectors, which read French as well as English — self-harm, and two refusals (an
    attempt to change the instructions, a harmful request). The bank positives that name what a crisis
    raise resembled are embedded in the background from here."""
    table = SignalTable.load()
    cache = Path.home() / ".cache" / "health-assistant"  # vectors only: safe to delete, rebuilt on use
    heads = load_heads()
    crisis_heads = heads.pop(SignalKind.SELF_HARM)
    nearest = NearestCrisis(
        CrisisBank.load(table),
        E5Embedder(),
        threshold=E5_THRESHOLD,
        margin=E5_MARGIN,
        cache_dir=cache,
        heads=crisis_heads,
        shipped=BANK_VECTORS_FILE,
    )
    nearest.warm()
    return Understander.default(
        intents=IntentReader.load(),
        signals=LearnedCrisisSignals(table, nearest, refusal_heads=heads, gates=load_gates()),
        record_queries=RecordQueryReader.load(),
    )


def _context_of(state: Mapping[str, Any]) -> ConversationContext:
    raw = state.get(CONTEXT_STATE_KEY) or []
    turns = []
    for item in raw:
        try:
            turns.append(PriorTurn.model_validate(item))
        except ValueError:  # a state written by an older version: start the context afresh
            return ConversationContext()
    return ConversationContext(turns=tuple(turns))


def _remember(
    state: Mapping[str, Any],
    understanding: Understanding,
    turn: Turn,
    plan: RoutePlan | None = None,
    answered: RecordQuery | None = None,
    decision: TriageDecisionLike | None = None,
    refused: RefusalCategory | None = None,
) -> list[dict[str, Any]]:
    """The context kept for the next turns: what this one was about and what the reply did (the record
    question the reply answered, as the record answerer resolved it, for follow-ups; the triage interview:
    questions asked, the deciding protocol and the clinical picture so far)."""
    subject = next(
        (understanding.subjects[f.subject] for f in understanding.current_findings() if f.subject != 0), None
    )
    prior = PriorTurn(
        intents=tuple(i.kind for i in understanding.intents),
        record_query=answered or understanding.record_query,
        topic=plan.topic if plan is not None else None,
        refusal=turn.refusal.category if turn.refusal is not None else None,
        withheld=refused if turn.refusal is None else None,
        insisted=understanding.has_signal(SignalKind.PUSH_BACK) and not understanding.record_query,
        level=turn.triage.level,
        findings=tuple(dict.fromkeys(f.concept for f in understanding.current_findings())),
        subject=subject.relation if subject is not None else understanding.subjects[0].relation,
        subject_age=subject.age_years if subject is not None else None,
        # the interview: questions asked, the deciding protocol and the clinical picture so far
        pending_questions=tuple(q.id for q in decision.pending) if decision is not None else (),
        pending=tuple(decision.pending) if decision is not None else (),
        protocol=decision.protocol if decision is not None else None,
        clinical=decision.clinical if decision is not None else None,
    )
    kept = [*_context_of(state).turns, prior][-CONTEXT_TURNS:]
    return [t.model_dump(mode="json") for t in kept]


# Criteria of the mental-health crisis protocol (assistant/guardrails/protocols/mental_health.yaml).
CRISIS_RULES = frozenset({"suicide-intent", "suicidal-thoughts", "suicidal-thoughts-said", "self-harm"})


def _is_crisis(understanding: Understanding, decision: TriageDecisionLike) -> bool:
    """The turn follows the crisis protocol: a self-harm signal, or a crisis rule decided the level."""
    return understanding.has_signal(SignalKind.SELF_HARM) or bool(CRISIS_RULES & set(decision.rules))


def patient_facts(
    record: PatientRecord, today: date, *, proxy: bool = False, record_end: date | None = None
) -> PatientFacts:
    """The record's patient as the understanding stage may know them: age, sex, their own names and their
    care team's (so that neither reads as "someone else" when typed). ``record_end``: the last date the
    record holds, for the age a relative may reckon from when the record stopped years ago."""
    patient = record.patient
    birth = getattr(patient, "birthDate", None)
    died = _death_date(patient)
    deceased = died is not None or bool(getattr(patient, "deceasedBoolean", None))
    if died is not None and died < today:
        today = died  # a deceased patient's age is their age at death
    age = age_in_years(birth, today) if isinstance(birth, date) else None  # babies: in fractions
    age_at_end = (
        age_in_years(birth, record_end)
        if isinstance(birth, date) and record_end is not None and birth <= record_end < today
        else None
    )
    names = getattr(patient, "name", None) or []
    given = tuple(_no_digits(g) for n in names for g in (getattr(n, "given", None) or []))
    family = tuple(_no_digits(f) for n in names if (f := getattr(n, "family", None)))
    team = tuple(
        n
        for rtype in ("Practitioner", "Organization", "Location")
        for r in record.of_type(rtype)
        for n in _display_names(r)
    )
    gender = getattr(patient, "gender", None)
    return PatientFacts(
        age_years=age,
        sex=str(gender) if gender in ("female", "male") else None,
        given_names=given,
        family_names=family,
        care_team_names=team,
        proxy=proxy,
        age_at_record_end=age_at_end,
        deceased=deceased,
    )


def _death_date(patient: Any) -> date | None:
    """The day of death the record gives (``Patient.deceasedDateTime``), if any."""
    died = getattr(patient, "deceasedDateTime", None)
    if isinstance(died, datetime):
        return died.date()
    return died if isinstance(died, date) else None


def _no_digits(name: Any) -> str:
    """Synthea writes "Lupe126 Little434": the digits are not part of the name."""
    return "".join(ch for ch in str(name) if not ch.isdigit())


def _display_names(resource: Any) -> list[str]:
    """Name words of a practitioner (given and family) or an organisation / location (its name)."""
    words: list[str] = []
    name = getattr(resource, "name", None)
    if isinstance(name, str):
        return [w for w in name.replace(",", " ").split() if len(w) >= 2]
    for human in name or []:
        words.extend(str(g) for g in getattr(human, "given", None) or [])
        family = getattr(human, "family", None)
        if family:
            words.append(str(family))
    return [_no_digits(w) for w in words if len(w) >= 2]


def _unique(items: Sequence[str] | list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def default_understander() -> Understander:
    """The process-wide understanding stage (what every assistant uses), for tools such as the CLI."""
    return _default_understander()


_BUILDER: threading.Thread | None = None
_BUILDER_LOCK = threading.Lock()


def build_understander_in_background() -> threading.Thread:
    """Start building the process-wide stage now, for a server that will answer patients: building it reads
    and compiles every lexicon and rule table (seconds on a quiet machine, a minute or more on a busy one),
    which the first patient's first message would otherwise wait for. A message that comes first waits
    for this build; nothing is built twice, and a second call while it runs returns the same thread."""
    global _BUILDER
    with _BUILDER_LOCK:
        if _BUILDER is None or not (_BUILDER.is_alive() or understander_ready()):
            _BUILDER = threading.Thread(target=_default_understander, name="understanding-stage", daemon=True)
            _BUILDER.start()
        return _BUILDER


def understander_ready() -> bool:
    """Whether the process-wide stage is built, so a message is answered without waiting for it: a
    server's readiness probe reports this, and a load balancer keeps patients off a worker still building."""
    return _build_default_understander.cache_info().currsize > 0


def conversation_context(state: Mapping[str, Any]) -> ConversationContext:
    """The conversation context kept in a session's state (earlier turns), as the stage reads it."""
    return _context_of(state)
