"""The patient app driven headless (Streamlit AppTest) over a real AssistantService.

Chat with cited footnotes, the emergency banner above everything, the en/fr switch, the record page and
the data page (upload, erasure). Booking is in ``test_ui_booking.py`` (it needs the demo clinic).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from streamlit.testing.v1 import AppTest

from assistant.schemas import TriageLevel
from assistant.store import SessionStore
from tests.ui.conftest import bundle, latest_loinc
from ui.backend import InProcessClient
from ui.chat_view import ChatItem
from ui.i18n import t


def send(at: AppTest, text: str) -> AppTest:
    at.chat_input[0].set_value(text).run()
    assert not at.exception, at.exception
    return at


def flat(node: Any) -> Iterator[Any]:
    """Every element under ``node`` in page order."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for key in sorted(children):
            yield from flat(children[key])
    else:
        yield node


def history(at: AppTest) -> list[ChatItem]:
    items: list[ChatItem] = at.session_state["history"]
    return items


def test_the_privacy_note_says_answers_stay_on_this_machine(app: AppTest) -> None:
    captions = " ".join(c.value for c in app.caption)
    assert t("note_offline", "en") in captions
    assert app.title[0].value == "My health assistant"
    assert "Josue Sipes" in " ".join(m.value for m in app.markdown)


def test_a_record_question_gets_the_value_and_a_footnote_that_opens_the_cited_entry(app: AppTest) -> None:
    gold: Any = latest_loinc(bundle("Josue_Sipes"), "4548-4")
    send(app, "What was my last HbA1c?")

    reply = app.chat_message[-1]
    assert reply.name == "assistant" and app.chat_message[-2].name == "user"
    text = " ".join(m.value for m in reply.markdown)
    assert f"{round(gold['valueQuantity']['value'], 2)} %" in text
    assert "[1]" in text
    footnote = reply.expander[0]
    assert footnote.label.startswith("[1] ")
    # Opening the footnote shows the record entry's own card text and its reference.
    assert "Hemoglobin A1c" in " ".join(m.value for m in footnote.markdown)
    assert f"Observation/{gold['id']}" in [c.value for c in footnote.caption]
    turn = history(app)[-1].turn
    assert turn is not None and turn.citations[0].resource == f"Observation/{gold['id']}"


def test_an_emergency_puts_the_number_to_call_above_everything_on_every_page(app: AppTest) -> None:
    send(app, "I have crushing chest pain and I am sweating")

    elements = list(flat(app.main))
    errors = [i for i, e in enumerate(elements) if e.type == "error" and "Call 15 now" in str(e.value)]
    title = next(i for i, e in enumerate(elements) if e.type == "title")
    assert errors and errors[0] < title, [e.type for e in elements[:5]]
    assert elements[0].type == "error"  # nothing at all before the banner
    turn = history(app)[-1].turn
    assert turn is not None and turn.triage.level is TriageLevel.EMERGENCY and turn.triage.call == "15"

    app.radio(key="page").set_value("record").run()
    elements = list(flat(app.main))
    assert elements[0].type == "error" and "Call 15 now" in str(elements[0].value)

    app.radio(key="page").set_value("data").run()
    assert "Call 15 now" in str(next(flat(app.main)).value)


def test_switching_to_french_translates_the_page_and_the_reply(app: AppTest) -> None:
    app.radio(key="lang").set_value("fr").run()
    assert app.title[0].value == "Mon assistant santé"
    assert app.chat_input[0].placeholder == t("chat_placeholder", "fr")
    assert t("note_offline", "fr") in " ".join(c.value for c in app.caption)

    send(app, "Quelle était ma dernière HbA1c ?")
    turn = history(app)[-1].turn
    assert turn is not None and turn.language == "fr"
    assert turn.citations, turn.text

    send(app, "J'ai une douleur écrasante dans la poitrine et je transpire")
    assert "Appelez le 15 maintenant" in str(next(flat(app.main)).value)


def test_the_record_page_lists_the_summary_and_draws_the_trends(app: AppTest) -> None:
    app.radio(key="page").set_value("record").run()
    assert not app.exception

    page = " ".join(m.value for m in app.markdown)
    assert "**Current health problems**" in page
    assert "Hypertension" in page and "Chronic kidney disease stage 2" in page
    assert "Metformin" in page  # an active medicine of the demo patient
    charts = [e for e in flat(app.main) if e.type == "vega_lite_chart"]
    # HbA1c, glucose, systolic + diastolic, weight + BMI, 3 cholesterols, eGFR + creatinine.
    assert len(charts) == 11
    descriptions = [c.value for c in app.caption if "values from" in c.value]
    assert len(descriptions) == 11
    assert any("ADA Standards of Care" in d for d in descriptions)
    # Uploaded records are not on the clinic's server: the page says appointments are unavailable.
    assert t("appointments_unavailable", "en") in [c.value for c in app.caption]


def test_opening_my_own_file_reports_what_was_skipped_and_switches_the_record(
    app: AppTest, client: InProcessClient
) -> None:
    app.radio(key="page").set_value("data").run()
    bad = bundle("Emery_Purdy").read_text(encoding="utf-8")
    # One Observation with an unreadable date: the loader skips it and says why.
    bad = bad.replace('"effectiveDateTime": "', '"effectiveDateTime": "yesterday-', 1)
    app.file_uploader[0].upload("emery.json", bad.encode("utf-8"), "application/json").run()
    assert not app.exception

    assert any("Opened the record of Emery Purdy" in s.value for s in app.success)
    assert any("1 entries could not be read" in w.value for w in app.warning)
    assert "field 'effectiveDateTime': 'yesterday-" in " ".join(m.value for m in app.markdown)
    assert app.session_state["patient"] not in (None, client.default_patient())


def test_a_file_that_is_not_json_is_refused_with_the_reason(app: AppTest, client: InProcessClient) -> None:
    app.radio(key="page").set_value("data").run()
    app.file_uploader[0].upload("notes.json", b"{not json", "application/json").run()
    assert any("notes.json is not valid JSON (line 1" in e.value for e in app.error)
    assert app.session_state["patient"] == client.default_patient()


def test_delete_my_data_removes_the_conversations_from_the_store(
    app: AppTest, client: InProcessClient, store: SessionStore
) -> None:
    patient = str(client.default_patient())
    send(app, "What was my last HbA1c?")
    assert store.list_sessions(patient)

    app.radio(key="page").set_value("data").run()
    assert app.button(key="delete").disabled  # nothing is deleted without ticking the box first
    app.checkbox(key="delete_sure").check().run()
    app.button(key="delete").click().run()

    assert any("Deleted: 1 conversations and 2 messages" in s.value for s in app.success)
    assert store.list_sessions(patient) == []
    # The record was opened from a file: erasing closes it, and nothing of the chat is left on screen.
    assert app.session_state["patient"] is None
    assert t("no_patient", "en") in [i.value for i in app.info]
    assert not app.chat_message


def test_triage_questions_get_one_tap_answers_that_the_next_turn_reads(app: AppTest) -> None:
    send(app, "I have a headache and a fever")
    turn = history(app)[-1].turn
    assert turn is not None and turn.triage.questions
    assert t("questions_title", "en") in " ".join(str(i.value) for i in app.info)
    labels = [b.label for b in app.button]
    assert "No" in labels and "Yes to question 1" in labels
    asked = [q.id for q in turn.triage.questions]
    which = asked.index("headache-stiff-neck") + 1
    next(b for b in app.button if b.label == f"Yes to question {which}").click().run()
    assert not app.exception, app.exception
    answered = history(app)[-1].turn
    assert answered is not None and answered.triage.level is TriageLevel.EMERGENCY
    assert history(app)[-2].text == ("yes to the first", "yes to the second", "yes to the third")[which - 1]


def test_a_message_left_waiting_by_a_run_cut_short_is_answered_first_and_in_order(app: AppTest) -> None:
    """Streamlit may stop a run at any drawing call — a second message typed before the first is answered,
    a browser reconnecting. The first message then waits in the history: the next run answers it before
    the new one, each reply right after its own message, and only the last reply's buttons are live."""
    app.session_state["history"] = [ChatItem("user", "What was my last HbA1c?", waiting=True)]
    send(app, "I have had a sore throat since yesterday")

    items = history(app)
    assert [(i.role, i.text) for i in items[::2]] == [
        ("user", "What was my last HbA1c?"),
        ("user", "I have had a sore throat since yesterday"),
    ]
    assert [i.role for i in items] == ["user", "assistant", "user", "assistant"]
    assert not any(i.waiting for i in items)
    first, second = items[1].turn, items[3].turn
    assert first is not None and first.citations and first.triage.level is TriageLevel.NONE
    assert second is not None and second.triage.level is not TriageLevel.NONE
    # The page shows both exchanges in that order.
    names = [m.name for m in app.chat_message]
    assert names[-4:] == ["user", "assistant", "user", "assistant"]


def test_the_same_words_sent_twice_get_two_replies(app: AppTest) -> None:
    send(app, "What was my last HbA1c?")
    send(app, "What was my last HbA1c?")
    assert [i.role for i in history(app)] == ["user", "assistant", "user", "assistant"]


def test_a_message_whose_streamed_reply_was_cut_off_says_so_and_is_not_sent_again(app: AppTest) -> None:
    app.session_state["history"] = [ChatItem("user", "What was my last HbA1c?")]  # sent, no reply kept
    app.run()
    assert len(history(app)) == 1
    assert t("reply_interrupted", "en") in [c.value for c in app.chat_message[-1].caption]
