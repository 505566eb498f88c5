"""The "My record" page: what is on file, how the numbers that matter moved, and what is booked.

Appointment buttons do not cancel or move anything here: they open the chat with the request (a
structured command naming the appointment), and the assistant asks "Cancel the appointment" or "Keep it"
first — one confirmation path for every change.
"""

from __future__ import annotations

import streamlit as st

from assistant.booking import BookingCommand, CancelAppointment, MoveAppointment
from ui.backend import CoreClient, CoreError
from ui.charts import chart_description, trend_chart
from ui.chat_view import queue_command
from ui.i18n import Lang, fmt_instant, fmt_short_date, t
from ui.records_data import CHARTS, Appointment, Entry

PAGE = "page"


def _list(title: str, entries: list[Entry], lang: Lang, *, limit: int = 40) -> None:
    st.markdown(f"**{title}**")
    if not entries:
        st.caption(t("none_recorded", lang))
        return
    lines = []
    for entry in entries[:limit]:
        when = f" — {fmt_short_date(entry.date, lang)}" if entry.date else ""
        lines.append(f"- {entry.title.split(' (')[0]}{when}")
    st.markdown("\n".join(lines))
    if len(entries) > limit:
        st.caption(t("more", lang, n=len(entries) - limit))


def go_to_chat(command: BookingCommand, label: str) -> None:
    queue_command(command, label)
    st.session_state[PAGE] = "chat"


def _appointments(client: CoreClient, patient: str, lang: Lang) -> None:
    st.subheader(t("appointments", lang), anchor=False)
    try:
        appointments: list[Appointment] | None = client.appointments(patient)
    except CoreError as exc:
        st.warning(t("error_upstream", lang, detail=str(exc)))
        return
    if appointments is None:
        st.caption(t("appointments_unavailable", lang))
        return
    if not appointments:
        st.caption(t("no_appointments", lang))
        return
    st.caption(t("goes_to_chat", lang))
    for i, appt in enumerate(appointments):
        when = fmt_instant(appt.start, lang, client.timezone)
        who = ", ".join(x for x in (appt.practitioner, appt.location) if x)
        with st.container(border=True):
            st.markdown(f"**{when}** — {appt.service}" + (f"  \n{who}" if who else ""))
            move, cancel = st.columns(2)
            move.button(
                t("reschedule", lang),
                key=f"appt{i}-move",
                on_click=go_to_chat,
                args=(MoveAppointment(appointment=appt.ref), f"{t('reschedule', lang)} — {when}"),
                width="stretch",
            )
            cancel.button(
                t("cancel", lang),
                key=f"appt{i}-cancel",
                on_click=go_to_chat,
                args=(CancelAppointment(appointment=appt.ref), f"{t('cancel', lang)} — {when}"),
                width="stretch",
            )


def render_record(client: CoreClient, patient: str, lang: Lang) -> None:
    try:
        summary = client.summary(patient)
    except CoreError as exc:
        st.warning(t("error_upstream", lang, detail=str(exc)))
        return
    _appointments(client, patient, lang)

    st.subheader(t("summary", lang), anchor=False)
    left, right = st.columns(2)
    with left:
        _list(t("conditions", lang), summary.conditions, lang)
        _list(t("medications", lang), summary.medications, lang)
        _list(t("allergies", lang), summary.allergies, lang)
    with right:
        _list(t("encounters", lang), summary.encounters, lang)
        _list(t("immunizations", lang), summary.immunizations, lang, limit=8)

    st.subheader(t("trends", lang), anchor=False)
    for title_key, keys in CHARTS:
        trends = [client.trend(patient, key) for key in keys]
        shown = [tr for tr in trends if tr.points]
        with st.expander(
            t(title_key, lang), expanded=bool(shown) and title_key in ("chart_hba1c", "chart_blood_pressure")
        ):
            if not shown:
                st.caption(t("no_values", lang))
            for trend in shown:
                description = chart_description(trend, lang)
                st.altair_chart(trend_chart(trend, lang), width="stretch")
                st.caption(description)
