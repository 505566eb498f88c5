"""What survives a reload and what "New conversation" does, driven headless over a real AssistantService.

A reload is a new AppTest (Streamlit's state is gone) with the address the previous page left behind
(its query parameters): the language, the conversation and the chosen record must come back from it.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from assistant.store import SessionStore
from tests.ui.conftest import SCRIPT
from tests.ui.test_ui_app import flat, history, send
from ui.backend import InProcessClient
from ui.i18n import STRINGS, t

EMERGENCY = "I have crushing chest pain and I am sweating"


def reload(at: AppTest) -> AppTest:
    """The same address in a fresh browser session."""
    fresh = AppTest.from_file(SCRIPT, default_timeout=120)
    for name, value in at.query_params.items():
        fresh.query_params[name] = value
    fresh.run()
    assert not fresh.exception, fresh.exception
    return fresh


def test_the_language_choice_survives_a_reload(app: AppTest) -> None:
    assert app.query_params["lang"] == "en"
    app.radio(key="lang").set_value("fr").run()
    assert app.query_params["lang"] == "fr"

    again = reload(app)
    assert again.title[0].value == "Mon assistant santé"
    assert again.radio(key="lang").value == "fr"
    assert again.chat_input[0].placeholder == t("chat_placeholder", "fr")


def test_the_conversation_survives_a_reload(
    app: AppTest, store: SessionStore, client: InProcessClient
) -> None:
    send(app, "What was my last HbA1c?")
    session = app.session_state["session_id"]
    assert app.query_params["session"] == session

    again = reload(app)
    restored = history(again)
    assert [i.role for i in restored] == ["user", "assistant"]
    assert restored[0].text == "What was my last HbA1c?"
    assert restored[1].turn is not None and restored[1].turn.citations  # the full turn, footnotes and all
    assert again.session_state["session_id"] == session
    assert [m.name for m in again.chat_message] == ["assistant", "user", "assistant"]  # welcome + the two

    # The next message continues the same stored conversation.
    send(again, "and my blood pressure?")
    assert len(store.history(session, str(client.default_patient()))) == 4


def test_a_session_id_that_is_not_this_patients_is_ignored(app: AppTest, store: SessionStore) -> None:
    other = store.create_session("someone-else", language="en")
    app.query_params["session"] = other
    again = reload(app)
    assert history(again) == []
    assert "session" not in again.query_params


def test_new_conversation_starts_empty_and_keeps_the_old_one_in_the_list(
    app: AppTest, store: SessionStore, client: InProcessClient
) -> None:
    patient = str(client.default_patient())
    assert app.button(key="new_conversation").disabled  # nothing to leave yet
    send(app, EMERGENCY)
    first = app.session_state["session_id"]
    assert app.link_button[0].url == "tel:15"

    app.button(key="new_conversation").click().run()
    assert history(app) == [] and "session_id" not in app.session_state
    assert "session" not in app.query_params
    assert not [e for e in flat(app.main) if e.type == "error"]  # the emergency was the old conversation's
    assert not app.link_button
    assert [s.id for s in store.list_sessions(patient)] == [first]  # nothing was deleted

    send(app, "What was my last HbA1c?")
    second = app.session_state["session_id"]
    assert second != first
    label = app.expander[0].label
    assert label == t("earlier_conversations", "en", n=1)
    app.button(key=f"open-{first}").click().run()
    assert app.session_state["session_id"] == first
    assert history(app)[0].text == EMERGENCY
    assert app.link_button[0].url == "tel:15"  # that conversation's emergency stands again
    assert app.expander[0].label == t("earlier_conversations", "en", n=1)  # now the HbA1c one is listed
    assert app.button(key=f"open-{second}")


def test_the_emergency_banner_dials_the_number_the_turn_gives(app: AppTest) -> None:
    app.radio(key="lang").set_value("fr").run()
    send(app, "J'ai une douleur écrasante dans la poitrine et je transpire")
    turn = history(app)[-1].turn
    assert turn is not None and turn.triage.call == "15"
    button = app.link_button[0]
    assert button.url == f"tel:{turn.triage.call}"
    assert button.label == t("call_button", "fr", call="15")


def test_every_string_uses_glyphs_the_bundled_and_system_fonts_have() -> None:
    from tests.ui.a11y import unsafe_glyphs

    offenders = {
        f"{key}/{lang}": unsafe_glyphs(text) for key, langs in STRINGS.items() for lang, text in langs.items()
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert unsafe_glyphs("🚨 Call 15") == ["🚨"]  # the check sees an emoji
