"""One turn of the conversation: the only entry point the API, the UI and the evals use.

Order inside a turn, always the same so it can be audited: input guard → triage (record-aware) →
route (emergency, refusal, booking, symptom, record question, general health, small talk) → compose
(offline, or an LLM whose reply must pass the output guard) → output guard → persist (turn, state,
audit). The triage level comes from rules only; nothing later in the turn can lower it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from assistant.account import SELF, AccountHolder
from assistant.backends.base import BackendError
from assistant.booking.commands import BookingCommand
from assistant.booking.state import BookingState
from assistant.composer import conversation
from assistant.composer.draft import CitationList, Draft
from assistant.composer.formatting import pick
from assistant.composer.health_topics import find_topic, topic_answer
from assistant.composer.intents import Intents
from assistant.composer.medicine_safety import MedicineSafety
from assistant.composer.perspective import speak_about
from assistant.composer.record_answers import RecordAnswers, RecordContext
from assistant.composer.symptoms import emergency_number, symptom_answer
from assistant.guardrails.input_guard import EMPTY_FLAG
from assistant.guardrails.output_guard import add_disclaimer, gives_guidance
from assistant.guardrails.refusals import empty_message_text, oversize_text
from assistant.ports import BookingPort, GuardPort, InputVerdictLike, LLMPort, TriageDecisionLike
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
from assistant.understanding.model import ConversationContext, PriorTurn, RecordQuery, Understanding
from assistant.understanding.stage import Understander
from assistant.understanding.subjects import PatientFacts, age_in_years
from fhir_client import PatientRecord
from retrieval import ConceptMap, IndexUnavailable, RecordQueries, RecordRetriever

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
PUSH_BACK_FLAG = "push-back"
SMALL_TALK_MAX_WORDS = 6
STREAM_CHUNK_WORDS = 3


class BookingUnavailable(LookupError):
    """This patient's assistant has no booking (no clinic server, or a read-only token)."""


@dataclass
class _Composed:
    draft: Draft
    route: str
    backend: str = "offline"
    state: BookingState | None = None  # the next booking state, or None to leave it as it is
    flags: list[str] = field(default_factory=list)


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
        patient = self.record.patient
        birth = getattr(patient, "birthDate", None)
        age = age_in_years(birth, self.today()) if isinstance(birth, date) else None  # babies: in fractions
        names = getattr(patient, "name", None) or []
        given = tuple(
            "".join(ch for ch in str(g) if not ch.isdigit())
            for n in names
            for g in (getattr(n, "given", None) or [])
        )
        gender = getattr(patient, "gender", None)
        return PatientFacts(
            age_years=age,
            sex=str(gender) if gender in ("female", "male") else None,
            given_names=given,
            proxy=self.account_holder.is_proxy,
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
        verdict = self.checks.check_input(message, language=language, today=today)
        lang: Language = language or verdict.language
        # triage: protocols on the understanding, with the conversation (answers, an emergency in force)
        decision = self.checks.triage(understanding, context=_context_of(state), today=today)
        refusal = verdict.refusal
        if refusal is None and PUSH_BACK_FLAG in verdict.flags:
            # Insisting after a refusal ("just say yes", "she said it's fine") does not change the answer.
            refusal = _last_refusal(history)
        previous = _context_of(state).last_record_query
        composed = self._compose(message, lang, refusal, verdict, decision, state, history, previous)
        flags = [*verdict.flags, *composed.flags, *composed.draft.flags]
        draft = composed.draft
        draft.text = speak_about(draft.text, self.account_holder, lang)
        if (draft.guidance or gives_guidance(draft.text)) and decision.level != TriageLevel.EMERGENCY:
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
            safety=SafetyInfo(flags=_unique(flags), backend=composed.backend, grounded=check.ok),
        )
        self.store.append_turn(session_id, self.patient_id, "assistant", turn=turn)
        new_state = _with_booking(state, composed.state) if composed.state is not None else dict(state)
        new_state[CONTEXT_STATE_KEY] = _remember(
            state, understanding, turn, composed.draft.record_query, decision
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
        previous: RecordQuery | None = None,
    ) -> _Composed:
        booking_state = BookingState.load(state.get(BOOKING_STATE_KEY))
        level = decision.level
        if level == TriageLevel.EMERGENCY:
            # The emergency reply comes first and alone: no booking, no record chat before it.
            return _Composed(
                symptom_answer(decision, lang, region=self.region), "emergency", state=booking_state.idle()
            )
        if verdict.blocked and refusal is None:
            if EMPTY_FLAG in verdict.flags:
                return _Composed(Draft(text=empty_message_text(lang)), "empty")
            limit = self.checks.max_chars
            text = oversize_text(len(message), limit, lang, region=self.region)
            return _Composed(Draft(text=text), "too_long")
        if refusal is not None:
            return self._refuse(refusal, lang, decision, booking_state, message)
        if self.booking is not None and self.booking.wants(message, lang, booking_state):
            outcome = self.booking.handle(message, language=lang, state=booking_state, triage=level)
            draft = Draft(text=outcome.text, actions=list(outcome.actions))
            return _Composed(draft, "booking", state=outcome.state)
        if level == TriageLevel.SELF_CARE and self._asks_about_the_record(message):
            # "When did I have sinusitis?", "my last flu vaccine?": a question about the record that
            # names an illness. Answer it from the record; the self-care advice follows, and the level
            # (a floor) stays as the rules set it.
            record_turn = self._answer(message, lang, history, previous)
            if record_turn.draft.citations:
                advice = decision.advice or symptom_answer(decision, lang, region=self.region).text
                record_turn.draft.text += (
                    "\n\n"
                    + pick(lang, "If you have symptoms now: ", "Si vous avez des symptômes en ce moment : ")
                    + advice
                )
                record_turn.draft.guidance = True
                return record_turn
        if level in (*NEEDS_CARE, TriageLevel.SELF_CARE):
            return self._symptom(decision, lang, booking_state, message)
        return self._answer(message, lang, history, previous)

    def _asks_about_the_record(self, message: str) -> bool:
        """A question about the past or the record ("when did I…", "quand ai-je eu…", "do I have any
        allergies"), as opposed to a report of how the patient feels now."""
        return self.intents.has(message, "record_question")

    def _refuse(
        self,
        category: RefusalCategory,
        lang: Language,
        decision: TriageDecisionLike,
        booking_state: BookingState,
        message: str = "",
    ) -> _Composed:
        text = self.checks.refusal_text(category, lang)
        draft = Draft(text=text, refusal=Refusal(category=category, text=text))
        new_state: BookingState | None = None
        if decision.level in (*NEEDS_CARE, TriageLevel.SELF_CARE):
            advice = symptom_answer(decision, lang, region=self.region)
            draft.text = advice.text + "\n\n" + text
            draft.citations = advice.citations
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
        self, decision: TriageDecisionLike, lang: Language, booking_state: BookingState, message: str
    ) -> _Composed:
        draft = symptom_answer(decision, lang, region=self.region)
        self._add_medicine_notes(draft, message, lang)
        new_state: BookingState | None = None
        if decision.level in NEEDS_CARE and self.booking is not None:
            outcome = self.booking.offer_for_triage(
                decision.level, language=lang, state=booking_state, reason=message[:200]
            )
            if outcome is not None:
                draft.text += "\n\n" + outcome.text
                draft.actions = list(outcome.actions)
                new_state = outcome.state
        return _Composed(draft, "symptom", state=new_state)

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

    def _answer(
        self, message: str, lang: Language, history: Sequence[Any], previous: RecordQuery | None = None
    ) -> _Composed:
        """Record questions, general health questions and small talk: the LLM may write these."""
        offline, route = self._offline_answer(message, lang, previous)
        if self.llm is None or route in ("small_talk", "medicine_safety"):
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

    def _offline_answer(
        self, message: str, lang: Language, previous: RecordQuery | None = None
    ) -> tuple[Draft, str]:
        words = len(message.split())
        if words <= SMALL_TALK_MAX_WORDS:
            for intent, reply in (
                ("help", conversation.help_text),
                ("thanks", conversation.thanks),
                ("goodbye", conversation.goodbye),
            ):
                if self.intents.has(message, intent):
                    return reply(lang), "small_talk"
            if self.intents.has(message, "greeting") and words <= 3:
                return conversation.greeting(lang, self._first_name()), "small_talk"
        records = RecordAnswers(
            RecordContext(
                queries=self.queries,
                concepts=self.concepts,
                intents=self.intents,
                patient_id=self.patient_id,
                today=self.today(),
                retriever=self.retriever,
            )
        )
        safety = self.medicine_safety.answer(message, lang)
        if safety is not None:
            # Allergy conflicts and interaction questions are answered from the record, never by a model.
            return safety, "medicine_safety"
        topic = find_topic(message)
        asks_general = self.intents.has(message, "question_words") and not self._about_own_record(message)
        if topic is not None and asks_general:
            return topic_answer(topic, lang, records, region=self.region), "general_health"
        answer = self._record_answer(records, message, lang, previous)
        if answer is not None:
            return answer, "record"
        if topic is not None:
            return topic_answer(topic, lang, records, region=self.region), "general_health"
        return conversation.not_understood(lang), "unknown"

    def _record_answer(
        self, records: RecordAnswers, message: str, lang: Language, previous: RecordQuery | None = None
    ) -> Draft | None:
        """The record answer; the index may be gone (erased through another worker) or unreachable.

        Until the router passes the understanding stage's ``RecordQuery``, the message is read by the
        composer's text entry point, with the previous record question for follow-ups."""
        try:
            return records.answer_text(message, lang, previous)
        except LookupError:
            if self.retriever is None:
                raise
            # Erased elsewhere while this process still holds the record: the patient is using the
            # service again, so rebuild their index from the record in hand and answer.
            self.retriever.index_record(self.record)
            return records.answer_text(message, lang, previous)
        except IndexUnavailable as exc:
            log.warning("record index unavailable, answering from exact queries only: %s", exc)
            ctx = replace(records.ctx, retriever=None)
            draft = RecordAnswers(ctx).answer_text(message, lang, previous)
            if draft is not None:
                draft.flags.append("index-unavailable")
            return draft

    def _about_own_record(self, message: str) -> bool:
        """ "What is my last A1c" is about the record; "what is an A1c" is a general question."""
        return (
            self.intents.has(message, "latest")
            or self.intents.has(message, "trend")
            or any(w in message.lower().split() for w in ("my", "mon", "ma", "mes", "am", "i"))
        )

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


@functools.cache
def _default_understander() -> Understander:
    """Built once per process: the stage holds only immutable data and stateless readers."""
    return Understander.default()


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
    answered: RecordQuery | None = None,
    decision: TriageDecisionLike | None = None,
) -> list[dict[str, Any]]:
    """The context kept for the next turns: what this one was about and what the reply did (the record
    question the reply answered, when the stage did not read one: the composer's text entry point; the
    triage interview: questions asked, the deciding protocol and the clinical picture so far)."""
    subject = next(
        (understanding.subjects[f.subject] for f in understanding.current_findings() if f.subject != 0), None
    )
    prior = PriorTurn(
        intents=tuple(i.kind for i in understanding.intents),
        record_query=understanding.record_query or answered,
        refusal=turn.refusal.category if turn.refusal is not None else None,
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


def _last_refusal(history: Sequence[Any]) -> RefusalCategory | None:
    """The refusal of the assistant's last reply, if it was one."""
    for stored in reversed(history):
        if stored.role != "assistant":
            continue
        turn = stored.as_turn()
        return turn.refusal.category if turn is not None and turn.refusal is not None else None
    return None


def _unique(items: Sequence[str] | list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
