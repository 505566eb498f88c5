"""What survives a reload: the language, the open conversation and the chosen demo record.

Streamlit forgets a browser tab's state when the page is reloaded; the page's address does not. The app
keeps three query parameters in it — ``lang``, ``session`` and ``patient`` — and reads them back on the
first run of a new browser session. Nothing in them grants access: the core returns a conversation only
to the patient it belongs to, and a ``patient`` value is honoured only for a record the app offers anyway
(one of its demo patients, or the record it opens by default).
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import Lang, as_lang

LANG = "lang"
SESSION = "session"
PATIENT = "patient"


def get(name: str) -> str | None:
    value = st.query_params.get(name)
    return value or None


def remember(name: str, value: str | None) -> None:
    """Put ``value`` in the address (or take the parameter out for ``None``), only when it changed."""
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def initial_lang() -> Lang:
    return as_lang(get(LANG))
