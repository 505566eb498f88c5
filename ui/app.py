"""The patient app: one Streamlit page with Chat, My record and My data.

``main(client)`` draws the app for whatever ``CoreClient`` the caller built: the composition root
(``health_assistant/ui_main.py``, started by ``health-assistant ui`` and ``make run``) passes the
in-process core or a clinic API client; tests pass a client over a real ``AssistantService``.

Layout rules that are about safety, not looks: an emergency banner with the number to call (a ``tel:``
link) is drawn first, above the title and on every page, and stays pinned at the top of the view while
the emergency stands (until a new conversation); the note saying where answers come from (offline
composer or a named model, and whether anything leaves the machine) is always visible. The language, the
open conversation and the demo record survive a reload (``ui.url_state``).
"""

from __future__ import annotations

import streamlit as st

from ui import url_state
from ui.backend import BackendInfo, ConnectedRecord, CoreClient, CoreError
from ui.chat_view import history, latest_emergency, open_conversation, render_chat, render_emergency_banner
from ui.connect_view import (
    consent_needed,
    handle_sign_in_return,
    render_connect_link,
    render_connection_line,
    render_consent_request,
)
from ui.data_view import NOTICE, PATIENT, render_data, switch_patient
from ui.i18n import LANG_NAMES, LANGS, Lang, as_lang, t
from ui.record_view import PAGE, render_record
from ui.theme import CSS

PAGES = ("chat", "record", "data")


def backend_note(info: BackendInfo, lang: Lang) -> str:
    if info.kind == "offline":
        return t("note_offline", lang)
    if info.kind == "remote_api":
        return t("note_remote_api", lang, host=info.host or "?")
    key = "note_llm_remote" if info.leaves_machine else "note_llm_local"
    return t(key, lang, model=info.name, host=info.host or "?")


def _header(client: CoreClient, patient: str | None, lang: Lang, connected: ConnectedRecord | None) -> None:
    title_col, lang_col = st.columns([3, 1])
    title_col.title(t("app_title", lang), anchor=False)
    lang_col.radio(
        t("language", lang),
        LANGS,
        format_func=lambda code: LANG_NAMES[code],
        key="lang",
        horizontal=True,
    )
    info = client.info()
    icon = ":material/public:" if info.leaves_machine else ":material/lock:"
    st.caption(f"{icon} {backend_note(info, lang)} {t('note_safety', lang)}")
    if connected is not None:
        key = "patient_line_child" if connected.relation == "parent" else "patient_line"
        st.markdown(t(key, lang, name=f"**{connected.name}**"))
        render_connection_line(connected, lang)
    elif patient is not None:
        try:
            name = client.summary(patient).name
        except CoreError:
            name = patient
        st.markdown(t("patient_line", lang, name=f"**{name}**"))


def _first_patient(client: CoreClient) -> str | None:
    """The record a new browser session opens: the one in the address if the app offers it, else the
    default (a reload keeps the demo patient the patient chose)."""
    default = client.default_patient()
    wanted = url_state.get(url_state.PATIENT)
    offered = {d.id for d in client.demo_patients()} | {default}
    return wanted if wanted in offered and client.can_choose_patient() else default


def _start_browser_session(client: CoreClient) -> None:
    """First run after opening or reloading the page: language, record and conversation from the address."""
    state = st.session_state
    state["lang"] = url_state.initial_lang()
    session = url_state.get(url_state.SESSION)  # before switch_patient, which starts a new conversation
    switch_patient(_first_patient(client))
    patient = state.get(PATIENT)
    if patient is not None and session is not None and not open_conversation(client, patient, session):
        url_state.remember(url_state.SESSION, None)  # deleted or someone else's: start afresh


def main(client: CoreClient) -> None:
    st.set_page_config(
        page_title="Health assistant", page_icon=":material/medical_services:", layout="centered"
    )
    banner = st.empty()  # the emergency banner: first on the page, filled once this run's turn is known
    st.markdown(CSS, unsafe_allow_html=True)
    state = st.session_state
    if PATIENT not in state:
        _start_browser_session(client)
    returned = handle_sign_in_return(client)  # back from the clinic's sign-in page
    if returned is not None:
        switch_patient(returned.patient_id)
        state[PAGE] = "chat"
    lang: Lang = as_lang(state.setdefault("lang", "en"))
    patient: str | None = state.get(PATIENT)
    connected = client.connection(patient) if patient else None
    _header(client, patient, lang, connected)
    url_state.remember(url_state.LANG, lang)
    if connected is None and client.clinics() and state.get(PAGE, "chat") != "data":
        render_connect_link(client, lang, key="top")

    state.setdefault(PAGE, "chat")
    page = st.radio(
        t("page", lang),
        PAGES,
        format_func=lambda p: t(f"page_{p}", lang),
        key=PAGE,
        horizontal=True,
        label_visibility="collapsed",
    )
    needed = None
    if connected is not None and patient is not None and page != "data":
        try:
            needed = consent_needed(client.consents(patient))
        except CoreError as exc:
            state[NOTICE] = ("error", t("error_upstream", lang, detail=str(exc)))
            page = "data"
    if page == "data" or patient is None:
        render_data(client, patient, lang)
        if patient is None:
            st.info(t("no_patient", lang))
    elif needed is not None and connected is not None and patient is not None:
        render_consent_request(client, patient, connected, needed, lang)  # nothing is read before a yes
    elif page == "record":
        render_record(client, patient, lang)
    else:
        render_chat(client, patient, lang)

    emergency = latest_emergency(history())
    if emergency is not None:
        render_emergency_banner(emergency, lang, banner)
