"""The "My data" page: open my own exported record, pick a demo patient, delete what the app keeps.

Opening a file keeps it in this process only; "delete my data" removes conversations, the search index
and the cached record (``AssistantService.forget``, or ``DELETE /v1/me`` on a clinic API) and says how
much was removed, so the patient can see it happened.
"""

from __future__ import annotations

import streamlit as st

from ui import url_state
from ui.backend import CoreClient, CoreError, UploadError
from ui.connect_view import render_data_connection
from ui.i18n import Lang, t

PATIENT = "patient"
NOTICE = "data_notice"


def switch_patient(patient_id: str | None) -> None:
    """A new record means a new conversation: nothing of the previous patient stays on screen."""
    st.session_state[PATIENT] = patient_id
    for key in ("history", "session_id", "outbox", "command_outbox"):
        st.session_state.pop(key, None)
    url_state.remember(url_state.SESSION, None)
    url_state.remember(url_state.PATIENT, patient_id)


def render_data(client: CoreClient, patient: str | None, lang: Lang) -> None:
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        kind, text = notice
        (st.success if kind == "ok" else st.warning)(text)
    render_data_connection(client, patient, lang)
    if patient is not None and client.connection(patient) is not None:
        return  # a connected record: no file upload or demo switch until it is disconnected

    if not client.can_choose_patient():
        st.info(t("fixed_patient", lang))
    else:
        st.subheader(t("open_own", lang), anchor=False)
        upload = st.file_uploader(
            t("open_own", lang), type=["json"], key="upload", label_visibility="collapsed"
        )
        st.caption(t("open_own_help", lang))
        if upload is not None and st.session_state.get("upload_done") != upload.file_id:
            st.session_state["upload_done"] = upload.file_id
            try:
                result = client.open_upload(upload.getvalue(), upload.name)
            except UploadError as exc:
                st.error(t("upload_failed", lang, reason=str(exc)))
            else:
                switch_patient(result.patient_id)
                st.success(t("upload_ok", lang, name=result.name, total=result.total))
                if result.skipped:
                    st.warning(t("upload_skipped", lang, n=len(result.skipped)))
                    st.markdown("\n".join(f"- {line}" for line in result.skipped[:50]))
                patient = result.patient_id

        demos = client.demo_patients()
        if demos:
            st.subheader(t("choose_demo", lang), anchor=False)
            ids = [d.id for d in demos]
            names = {d.id: d.name for d in demos}
            current = ids.index(patient) if patient in ids else 0
            chosen = st.selectbox(
                t("choose_demo", lang), ids, index=current, format_func=lambda i: names[i], key="demo_choice"
            )
            st.button(
                t("open_demo", lang),
                key="open_demo",
                disabled=chosen == patient,
                on_click=switch_patient,
                args=(chosen,),
            )

    if patient is None:
        return
    st.subheader(t("delete_title", lang), anchor=False)
    st.caption(t("delete_help", lang))
    sure = st.checkbox(t("delete_confirm", lang), key="delete_sure")
    st.button(
        t("delete_button", lang),
        key="delete",
        type="primary",
        disabled=not sure,
        on_click=_delete,
        args=(client, patient, lang),
    )


def _delete(client: CoreClient, patient: str, lang: Lang) -> None:
    """Button callback (runs before the page is drawn again, so widgets can still be reset)."""
    st.session_state["delete_sure"] = False
    try:
        report = client.forget(patient)
    except CoreError as exc:
        st.session_state[NOTICE] = ("error", t("error_upstream", lang, detail=str(exc)))
        return
    index = t("yes", lang) if report.index_removed else t("no", lang)
    text = t("deleted", lang, sessions=report.sessions, messages=report.messages, index=index)
    switch_patient(client.default_patient() if client.can_choose_patient() else patient)
    st.session_state[NOTICE] = ("ok", text)
