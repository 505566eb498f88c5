"""'Connect my health record' on screen: the sign-in link, the return from the clinic, the consent
requests, and the connection and consents in "My data".

The flow a patient sees: **Connect my health record** (pick the clinic when there are several) → the
clinic's own sign-in page (a parent then picks which child's record) → **Allow** → back here: the app
asks, in its own words, whether the assistant may read the record (a FHIR Consent recorded at the
clinic), and — only when answers come from a remote language model — whether parts of it may be sent
there. Nothing of the record is read before the first yes. "My data" lists the consents (withdraw at a
tap: reading stops at once and the app asks again) and **Disconnect** (the sign-in is revoked at the
clinic and everything this app kept for the record is deleted).
"""

from __future__ import annotations

from html import escape

import streamlit as st

from ui import url_state
from ui.backend import ConnectedRecord, ConsentView, CoreClient, CoreError
from ui.i18n import Lang, as_lang, fmt_date, t

CONNECT_URLS = "connect_urls"  # this browser session's sign-in links, one per clinic (each has its own state)
RETURN_PARAMS = ("code", "state", "iss", "error", "error_description")
RECORD = "record-access"
LLM = "remote-llm"


def handle_sign_in_return(client: CoreClient) -> ConnectedRecord | None:
    """Back from the clinic (``?code=…&state=…`` or ``?error=…``): finish the connection, tidy the address.
    Returns the connected record (the caller opens it), or None (with a notice saying why)."""
    state = url_state.get("state")
    code = url_state.get("code")
    error = url_state.get("error")
    if not state or not (code or error):
        return None
    description = url_state.get("error_description")
    for name in RETURN_PARAMS:
        url_state.remember(name, None)
    lang = as_lang(st.session_state.get("lang"))
    if error or not code:
        st.session_state["data_notice"] = (
            "error",
            t("connect_refused", lang, reason=description or error or "?"),
        )
        return None
    try:
        record = client.finish_connection(code, state)
    except CoreError as exc:
        st.session_state["data_notice"] = ("error", t("connect_failed", lang, reason=str(exc)))
        return None
    st.session_state["lang"] = as_lang(record.language)
    st.session_state.pop(CONNECT_URLS, None)
    return record


def _sign_in_url(client: CoreClient, clinic_id: str, lang: Lang) -> str:
    urls: dict[str, str] = st.session_state.setdefault(CONNECT_URLS, {})
    key = f"{clinic_id}:{lang}"
    if key not in urls:
        urls[key] = client.connect_url(clinic_id, lang)
    return urls[key]


def render_connect_link(client: CoreClient, lang: Lang, *, key: str) -> None:
    """The "Connect my health record" link (same tab: the clinic sends the browser back here)."""
    clinics = client.clinics()
    if not clinics:
        return
    chosen = clinics[0].id
    if len(clinics) > 1:
        names = {c.id: c.name for c in clinics}
        chosen = st.selectbox(
            t("choose_clinic", lang), list(names), format_func=lambda i: names[i], key=f"{key}-clinic"
        )
    try:
        url = _sign_in_url(client, chosen, lang)
    except CoreError as exc:
        st.warning(t("connect_failed", lang, reason=str(exc)))
        return
    label = t("connect", lang)
    # st.html keeps the link in this tab (st.link_button opens a new one) and sanitises what it draws.
    st.html(f'<a class="ha-connect" href="{escape(url, quote=True)}">{escape(label)}</a>')


def render_connection_line(record: ConnectedRecord, lang: Lang) -> None:
    if record.relation == "parent":
        st.info(
            t("proxy_banner", lang, name=record.name, clinic=record.clinic), icon=":material/family_restroom:"
        )
    else:
        st.caption(t("connected_line", lang, clinic=record.clinic), help=None)


def consent_needed(view: ConsentView | None) -> str | None:
    """Which consent to ask for before anything is read or sent, or None."""
    if view is None:
        return None
    if view.record_access != "granted":
        return RECORD
    if view.llm_needed and view.remote_llm == "missing":
        return LLM
    return None


def render_consent_request(
    client: CoreClient, patient: str, record: ConnectedRecord, purpose: str, lang: Lang
) -> None:
    """Ask, in plain words, for one consent; nothing of the record is read until the answer is yes."""
    parent = record.relation == "parent"
    with st.container(border=True, key=f"consent-{purpose}"):
        if purpose == RECORD:
            st.subheader(t("consent_record_title", lang), anchor=False)
            st.markdown(
                t(
                    "consent_record_text_child" if parent else "consent_record_text",
                    lang,
                    clinic=record.clinic,
                )
            )
            yes, no = t("consent_yes", lang), t("consent_not_now", lang)
        else:
            st.subheader(t("consent_llm_title", lang), anchor=False)
            st.markdown(t("consent_llm_text", lang))
            yes, no = t("consent_llm_yes", lang), t("consent_llm_no", lang)
        left, right = st.columns(2)
        left.button(
            yes,
            key=f"consent-{purpose}-yes",
            type="primary",
            width="stretch",
            on_click=_decide,
            args=(client, patient, purpose, True, lang),
        )
        if purpose == LLM:
            right.button(
                no,
                key=f"consent-{purpose}-no",
                width="stretch",
                on_click=_decide,
                args=(client, patient, purpose, False, lang),
            )
        else:
            right.button(no, key=f"consent-{purpose}-later", width="stretch", on_click=_go_to_data)


def _go_to_data() -> None:
    st.session_state["page"] = "data"


def _decide(client: CoreClient, patient: str, purpose: str, permit: bool, lang: Lang) -> None:
    try:
        client.decide_consent(patient, purpose, permit=permit)
    except CoreError as exc:
        st.session_state["data_notice"] = ("error", t("error_upstream", lang, detail=str(exc)))


def _withdraw(client: CoreClient, patient: str, purpose: str, lang: Lang) -> None:
    try:
        client.withdraw_consent(patient, purpose)
    except CoreError as exc:
        st.session_state["data_notice"] = ("error", t("error_upstream", lang, detail=str(exc)))
        return
    st.session_state["data_notice"] = ("ok", t("consent_withdrawn", lang))


def render_data_connection(client: CoreClient, patient: str | None, lang: Lang) -> None:
    """My data: connect, or the connected record with its consents and Disconnect."""
    record = client.connection(patient) if patient else None
    if record is None:
        if client.clinics():
            st.subheader(t("connect", lang), anchor=False)
            st.caption(t("connect_help", lang))
            render_connect_link(client, lang, key="data")
        return
    st.subheader(t("connected_title", lang), anchor=False)
    st.markdown(t("connected_as", lang, clinic=record.clinic, name=record.name))
    try:
        view = client.consents(record.patient_id)
    except CoreError as exc:
        st.warning(t("error_upstream", lang, detail=str(exc)))
        view = None
    if view is not None:
        st.markdown(f"**{t('consents_title', lang)}**")
        for purpose in (RECORD, LLM):
            state = view.record_access if purpose == RECORD else view.remote_llm
            if purpose == LLM and not view.llm_needed and state == "missing":
                continue
            latest = next((e for e in view.entries if e.purpose == purpose and e.status == "active"), None)
            when = fmt_date(latest.recorded.date(), lang) if latest and latest.recorded else "—"
            line = t(f"consent_state_{purpose}_{state}", lang, date=when)
            row_text, row_button = st.columns([3, 1])
            row_text.markdown(line)
            if latest is not None:
                row_button.button(
                    t("consent_withdraw", lang),
                    key=f"withdraw-{purpose}",
                    width="stretch",
                    on_click=_withdraw,
                    args=(client, record.patient_id, purpose, lang),
                )
        past = [e for e in view.entries if e.status != "active"]
        if past:
            with st.expander(t("consent_history", lang, n=len(past))):
                st.markdown(
                    "\n".join(
                        f"- {t(f'consent_purpose_{e.purpose}', lang)} — "
                        f"{t('consent_decision_' + e.decision, lang)}, "
                        f"{fmt_date(e.recorded.date(), lang) if e.recorded else '?'} ({t('consent_inactive', lang)})"
                        for e in past
                    )
                )
    st.caption(t("disconnect_help", lang))
    sure = st.checkbox(t("disconnect_confirm", lang), key="disconnect_sure")
    st.button(
        t("disconnect", lang),
        key="disconnect",
        type="primary",
        disabled=not sure,
        on_click=_disconnect,
        args=(client, record.patient_id, lang),
    )


def _disconnect(client: CoreClient, patient: str, lang: Lang) -> None:
    from ui.data_view import NOTICE, switch_patient

    st.session_state["disconnect_sure"] = False
    try:
        report = client.disconnect(patient)
    except CoreError as exc:
        st.session_state[NOTICE] = ("error", t("error_upstream", lang, detail=str(exc)))
    else:
        st.session_state[NOTICE] = (
            "ok",
            t("disconnected", lang, sessions=report.sessions, messages=report.messages),
        )
    st.session_state.pop(CONNECT_URLS, None)
    switch_patient(client.default_patient())
