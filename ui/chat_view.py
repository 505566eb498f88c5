"""The chat page: history, the turn as the patient sees it, buttons that answer for the patient.

A conversation lives in the core's session store; the page keeps its id in the address (``url_state``),
so a reload reopens it. "New conversation" starts an empty one and the previous one stays listed under
"Earlier conversations", from where it can be reopened.

Booking buttons send structured commands into the same conversation (``client.act``): the slot's id
when a slot is chosen, the confirmation token with "Yes, book it" / "Cancel the appointment", a decline
with "No, don't book" / "Keep it". Nothing is rephrased for the text parser and the token is never
lost; the assistant's booking flow — with its confirmation step — stays the only path to a booking.
Offered slots are shown once, as buttons carrying the full date.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from assistant.booking import BookingCommand, ChooseSlot, Confirm, Decline
from assistant.booking.wording import said_confirm, said_decline
from assistant.schemas import (
    Booked,
    BookingFailed,
    Cancelled,
    ConfirmBooking,
    OfferSlots,
    Rescheduled,
    SlotOffer,
    TriageLevel,
    Turn,
)
from ui import url_state
from ui.backend import CommandRefused, ConsentNeeded, Conversation, CoreClient, CoreError, SessionExpired
from ui.i18n import Lang, fmt_instant, fmt_spoken, t
from ui.theme import EMERGENCY_KEY

OUTBOX = "outbox"
COMMAND_OUTBOX = "command_outbox"
HISTORY = "history"
SESSION = "session_id"


@dataclass(eq=False)  # an item is itself: the same words sent twice are two messages
class ChatItem:
    role: Literal["user", "assistant", "error"]
    text: str
    turn: Turn | None = None
    sources: dict[str, Any] = field(default_factory=dict)
    command: BookingCommand | None = None  # a booking button's command (``text`` is the button's label)
    waiting: bool = False  # the patient's message or button, not yet handed to the assistant


def queue_message(text: str) -> None:
    """Button callback: the next run sends ``text`` as if the patient had typed it."""
    st.session_state[OUTBOX] = text


def queue_command(command: BookingCommand, label: str) -> None:
    """Button callback: the next run sends ``command``; ``label`` (the button's text) is shown as the
    patient's side of the conversation."""
    st.session_state[COMMAND_OUTBOX] = (command, label)


def history() -> list[ChatItem]:
    items: list[ChatItem] = st.session_state.setdefault(HISTORY, [])
    return items


def md(text: str) -> str:
    """Patient-facing text as Markdown: a "$" must stay a dollar sign, not start a formula."""
    return text.replace("$", "\\$")


def slot_label(slot: SlotOffer, lang: Lang, timezone: str) -> str:
    """ "Tuesday 8 December at 09:00 — General practice (Dr Claire Martin, main site)": the full date."""
    who = ", ".join(x for x in (slot.practitioner, slot.location) if x)
    return f"{fmt_spoken(slot.start, lang, timezone)} — {slot.service}" + (f" ({who})" if who else "")


def latest_emergency(items: list[ChatItem]) -> Turn | None:
    """The most recent emergency turn of this conversation: its banner stays on top until a new chat."""
    for item in reversed(items):
        if item.turn is not None and item.turn.triage.level is TriageLevel.EMERGENCY:
            return item.turn
    return None


def tel_href(number: str) -> str:
    """A ``tel:`` link a phone dials at a tap: "15" → "tel:15", "+33 1 23" → "tel:+33123"."""
    return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")


def render_emergency_banner(turn: Turn, lang: Lang, slot: DeltaGenerator) -> None:
    """Pinned at the top of the view (``ui.theme``) until the patient starts a new conversation: the
    number from the turn's triage (the deployment's region table decides it), as a link a phone dials.

    ``slot`` is the placeholder the page reserved first; the banner's container replaces it directly, so
    the pinned element's parent is the whole page (a sticky element only sticks within its parent)."""
    call = turn.triage.call or ""
    with slot.container(key=EMERGENCY_KEY):
        st.error(
            f"**{t('emergency_title', lang, call=call)}** — {t('emergency_banner', lang)}",
            icon=":material/emergency:",
        )
        if call:
            st.link_button(
                t("call_button", lang, call=call),
                tel_href(call),
                type="primary",
                icon=":material/call:",
                width="stretch",
            )


def _triage_box(turn: Turn, lang: Lang) -> None:
    level = turn.triage.level
    if level is TriageLevel.NONE:
        return
    label = t(f"triage_{level.value}", lang)
    call = f" — {t('emergency_title', lang, call=turn.triage.call)}" if turn.triage.call else ""
    box = {
        TriageLevel.EMERGENCY: st.error,
        TriageLevel.URGENT: st.warning,
        TriageLevel.SOON: st.info,
        TriageLevel.SELF_CARE: st.success,
    }[level]
    box(f"**{label}**{call}")


def render_turn(
    turn: Turn, index: int, client: CoreClient, patient: str, lang: Lang, *, active: bool, text: bool = True
) -> None:
    """One assistant turn: triage, text, cited sources, then booking actions (buttons only if ``active``)."""
    _triage_box(turn, lang)
    if text:
        st.markdown(md(turn.text))
    if turn.triage.questions:
        _question_buttons(turn, f"t{index}q", lang, active)
    if turn.citations:
        st.caption(t("sources", lang))
        for citation in turn.citations:
            with st.expander(f"[{citation.n}] {citation.label}"):
                entry = _entry(client, patient, citation.resource)
                if entry is None:
                    st.write(t("source_missing", lang, ref=citation.resource))
                else:
                    st.markdown(f"**{md(entry.title)}**\n\n{md(entry.text)}")
                    st.caption(citation.resource)
    for a, action in enumerate(turn.actions):
        key = f"t{index}a{a}"
        if isinstance(action, OfferSlots):
            _slot_buttons(action.slots, key, lang, client.timezone, active)
        elif isinstance(action, ConfirmBooking):
            # The reply usually asks the question already; the box then only frames the buttons.
            repeat = "" if action.summary in turn.text else f" — {md(action.summary)}"
            st.info(f"**{t('confirm_title', lang)}**{repeat}", icon=":material/help:")
            if active:
                # Labels say what each button does for THIS question ("Cancel the appointment" /
                # "Keep it"), never a bare yes/no that could read backwards.
                yes_label, no_label = (
                    said_confirm(action.operation, lang),
                    said_decline(action.operation, lang),
                )
                yes, no = st.columns(2)
                yes.button(
                    yes_label,
                    key=f"{key}-yes",
                    type="primary",
                    on_click=queue_command,
                    args=(Confirm(token=action.token), yes_label),
                    width="stretch",
                )
                no.button(
                    no_label,
                    key=f"{key}-no",
                    on_click=queue_command,
                    args=(Decline(token=action.token), no_label),
                    width="stretch",
                )
        elif isinstance(action, Booked | Cancelled | Rescheduled):
            when = fmt_instant(action.details.start, lang, client.timezone)
            st.success(
                t(action.kind, lang, when=when, what=action.details.service),
                icon=":material/event_available:",
            )
        elif isinstance(action, BookingFailed):
            st.warning(t("booking_failed", lang, reason=action.reason))
            if action.alternatives:
                _slot_buttons(action.alternatives, key, lang, client.timezone, active)


# How a quick answer is said, so the assistant reads it as it would read it typed ("yes to the second").
_ORDINALS = {"en": ("first", "second", "third"), "fr": ("première", "deuxième", "troisième")}


def _question_buttons(turn: Turn, key: str, lang: Lang, active: bool) -> None:
    """The triage's red-flag questions (``TriageInfo.questions``) with one-tap answers: "No" to all, or
    "Yes" to one of them. Each button sends the words a patient would type, so the next turn is the same
    whether they tap or type; the questions are in the reply's text as well."""
    questions = turn.triage.questions[:3]
    st.info(f"**{t('questions_title', lang)}**", icon=":material/help:")
    if not active:
        return
    columns = st.columns(len(questions) + 1)
    no = t("answer_no", lang)
    columns[0].button(no, key=f"{key}-no", on_click=queue_message, args=(no,), width="stretch")
    for n, (column, question) in enumerate(zip(columns[1:], questions, strict=True)):
        said = t("answer_yes_to", lang, which=_ORDINALS[lang][n])
        column.button(
            t("answer_yes_n", lang, n=n + 1),
            key=f"{key}-yes{n}",
            help=question.text,
            on_click=queue_message,
            args=(said,),
            width="stretch",
        )


def _entry(client: CoreClient, patient: str, ref: str) -> Any:
    try:
        return client.entry(patient, ref)
    except CoreError:
        return None


def _slot_buttons(slots: list[SlotOffer], key: str, lang: Lang, timezone: str, active: bool) -> None:
    st.markdown(f"**{t('slots_title', lang)}**")
    for i, slot in enumerate(slots, start=1):
        label = f"{i}. {slot_label(slot, lang, timezone)}"
        if active:
            st.button(
                label,
                key=f"{key}-slot{i}",
                on_click=queue_command,
                args=(ChooseSlot(slot=slot.id), slot_label(slot, lang, timezone)),
                width="stretch",
            )
        else:
            st.caption(md(label))


def _ensure_session(client: CoreClient, patient: str, lang: Lang) -> str:
    session: str | None = st.session_state.get(SESSION)
    if session is None:
        session = client.new_session(patient, lang)
        st.session_state[SESSION] = session
        url_state.remember(url_state.SESSION, session)
    return session


def _pieces(stream: Iterator[str | Turn], sink: list[Turn]) -> Iterator[str]:
    for piece in stream:
        if isinstance(piece, Turn):
            sink.append(piece)
        else:
            yield piece


def _send(client: CoreClient, patient: str, item: ChatItem, lang: Lang) -> Turn:
    """Send one message, streaming when a language model writes the reply; a lost session is renewed."""
    message = item.text
    for attempt in (1, 2):
        session = _ensure_session(client, patient, lang)
        try:
            if client.info().streams:
                final: list[Turn] = []
                # Streaming draws as it goes, so a run may be cut short mid-reply: the message has been
                # sent by then and is not sent again (the page says its reply was interrupted).
                item.waiting = False
                st.write_stream(_pieces(client.stream(patient, session, message, lang), final))
                if not final:
                    raise CoreError("the reply ended without its final turn")
                return final[0]
            return client.send(patient, session, message, lang)
        except SessionExpired:
            st.session_state[SESSION] = None
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def start_new_conversation() -> None:
    """Button callback: an empty chat. The previous conversation stays in the store (and in the list)."""
    for key in (HISTORY, SESSION, OUTBOX, COMMAND_OUTBOX):
        st.session_state.pop(key, None)
    url_state.remember(url_state.SESSION, None)


def open_conversation(client: CoreClient, patient: str, session_id: str) -> bool:
    """Show a stored conversation and continue it; False (nothing changed) when the core has no such
    conversation for this patient."""
    try:
        messages = client.transcript(patient, session_id)
    except CoreError:
        return False
    st.session_state[HISTORY] = [ChatItem(m.role, m.text, m.turn) for m in messages]
    st.session_state[SESSION] = session_id
    st.session_state.pop(OUTBOX, None)
    url_state.remember(url_state.SESSION, session_id)
    return True


def _reopen(client: CoreClient, patient: str, session_id: str) -> None:
    """Button callback; the list only offers this patient's stored conversations, so it opens."""
    open_conversation(client, patient, session_id)


def conversation_label(conversation: Conversation, lang: Lang, timezone: str) -> str:
    when = fmt_instant(conversation.updated.isoformat(), lang, timezone)
    title = conversation.title or ""
    if len(title) > 60:
        title = title[:57].rstrip() + "…"
    count = t("conversation_messages", lang, n=conversation.messages)
    return f"{when} — {title} ({count})" if title else f"{when} ({count})"


def _conversation_bar(client: CoreClient, patient: str, lang: Lang) -> None:
    current = st.session_state.get(SESSION)
    st.button(
        t("new_conversation", lang),
        key="new_conversation",
        icon=":material/add_comment:",
        on_click=start_new_conversation,
        disabled=current is None and not history(),
    )
    try:
        earlier = [c for c in client.conversations(patient) if c.id != current and c.messages]
    except CoreError:
        earlier = []
    if not earlier:
        return
    with st.expander(t("earlier_conversations", lang, n=len(earlier))):
        for conversation in earlier:
            st.button(
                md(conversation_label(conversation, lang, client.timezone)),
                key=f"open-{conversation.id}",
                on_click=_reopen,
                args=(client, patient, conversation.id),
                width="stretch",
            )


def _act(client: CoreClient, patient: str, command: BookingCommand, lang: Lang) -> Turn:
    session = _ensure_session(client, patient, lang)
    return client.act(patient, session, command, lang)


def render_chat(client: CoreClient, patient: str, lang: Lang) -> None:
    bar = st.container()  # filled last, so it knows about a conversation this run has just started
    _converse(client, patient, lang)
    with bar:
        _conversation_bar(client, patient, lang)


def _converse(client: CoreClient, patient: str, lang: Lang) -> None:
    items = history()
    prompt = st.chat_input(t("chat_placeholder", lang), key="chat_input", max_chars=4000)
    message: str | None = prompt or st.session_state.pop(OUTBOX, None)
    queued: tuple[BookingCommand, str] | None = st.session_state.pop(COMMAND_OUTBOX, None)
    # What the patient sent is kept before anything is drawn. Streamlit may cut a run short at any drawing
    # call (a second message sent before the first is answered, a browser reconnecting); the message then
    # stays waiting and the next run answers it first, in the order it was sent — never dropped.
    if message:
        items.append(ChatItem("user", message, waiting=True))
    elif queued is not None:
        items.append(ChatItem("user", queued[1], command=queued[0], waiting=True))
    waiting = [item for item in items if item.waiting]

    connected = client.connection(patient)
    welcome = (
        "chat_welcome_child" if connected is not None and connected.relation == "parent" else "chat_welcome"
    )
    with st.chat_message("assistant"):
        st.markdown(t(welcome, lang))
    last_turn = max((i for i, item in enumerate(items) if item.turn is not None), default=-1)
    for i, item in enumerate(items):
        if item.waiting:
            continue  # drawn below, with its answer
        with st.chat_message("user" if item.role == "user" else "assistant"):
            if item.turn is not None:
                render_turn(item.turn, i, client, patient, lang, active=i == last_turn and not waiting)
            elif item.role == "error":
                st.warning(item.text)
            else:
                st.markdown(md(item.text))
                if item.role == "user" and not _answered(items, i):
                    st.caption(t("reply_interrupted", lang))
    for item in waiting:
        if not _answer(client, patient, lang, item, active=item is waiting[-1]):
            return


def _answered(items: list[ChatItem], i: int) -> bool:
    """Whether the patient's message ``items[i]`` has the assistant's reply (or an error) after it."""
    return i + 1 < len(items) and items[i + 1].role != "user"


def _answer(client: CoreClient, patient: str, lang: Lang, item: ChatItem, *, active: bool) -> bool:
    """Send one waiting message (or booking button) and show it with its reply (its buttons only when
    ``active``: nothing else waits after it); False when the ones still waiting should not be sent (the
    service failed)."""
    items = history()
    with st.chat_message("user"):
        st.markdown(md(item.text))
    with st.chat_message("assistant"):
        try:
            if item.command is not None:
                turn = _act(client, patient, item.command, lang)
            else:
                turn = _send(client, patient, item, lang)
        except ConsentNeeded:
            # Consent was withdrawn meanwhile (here or elsewhere): the page asks for it again.
            for pending in [i for i in items if i.waiting]:
                items.remove(pending)
            st.rerun()
        except CommandRefused:
            return _failed(items, item, t("command_refused", lang))
        except CoreError as exc:
            return _failed(items, item, t("error_upstream", lang, detail=str(exc)))
        # No drawing call between the reply's arrival and here: a run cut short keeps both or neither.
        item.waiting = False
        at = items.index(item) + 1
        items.insert(at, ChatItem("assistant", turn.text, turn))
        streamed = item.command is None and client.info().streams
        render_turn(turn, at, client, patient, lang, active=active, text=not streamed)
    return True


def _failed(items: list[ChatItem], item: ChatItem, text: str) -> bool:
    item.waiting = False
    items.insert(items.index(item) + 1, ChatItem("error", text))
    st.warning(text)
    return False
