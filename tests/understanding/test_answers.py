"""Answers to the red-flag questions of the last reply, read as findings by the stage (answers.py).

Each case gives the questions the last reply asked (``PriorTurn.pending``) and checks the findings the
answer becomes: current for a yes, negated for a no, with the side when one is named, about the person the
questions were about.
"""

from __future__ import annotations

import pytest

from assistant.understanding.answers import ANSWER_ENTRY
from assistant.understanding.model import ConversationContext, PendingQuestion, PriorTurn, Relation
from assistant.understanding.stage import Understander

UNDERSTANDER = Understander.default()

NECK = PendingQuestion(id="headache-stiff-neck", protocol="headache", concept="neck_stiffness")
RASH = PendingQuestion(id="fever-child-rash", protocol="fever-child", concept="non_blanching_rash")
SIDE = PendingQuestion(id="limb-one-side", protocol="limb", concept="limb_swelling", laterality="one_side")


def _context(*questions: PendingQuestion) -> ConversationContext:
    return ConversationContext(
        turns=(PriorTurn(pending=questions, pending_questions=tuple(q.id for q in questions)),)
    )


def _answers(text: str, *questions: PendingQuestion, lang: str = "en") -> dict[str, tuple[bool, str | None]]:
    u = UNDERSTANDER.understand(text, language=lang, context=_context(*questions))  # type: ignore[arg-type]
    return {
        f.entry.removeprefix(ANSWER_ENTRY): (f.assertion.negated, f.laterality)
        for f in u.findings
        if f.entry.startswith(ANSWER_ENTRY)
    }


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("no", "en", {"headache-stiff-neck": (True, None), "fever-child-rash": (True, None)}),
        ("Nope, neither", "en", {"headache-stiff-neck": (True, None), "fever-child-rash": (True, None)}),
        ("yes", "en", {"headache-stiff-neck": (False, None), "fever-child-rash": (False, None)}),
        (
            "yes to the first, no to the second",
            "en",
            {"headache-stiff-neck": (False, None), "fever-child-rash": (True, None)},
        ),
        (
            "no to the first but yes to the second",
            "en",
            {"headache-stiff-neck": (True, None), "fever-child-rash": (False, None)},
        ),
        ("yes, no", "en", {"headache-stiff-neck": (False, None), "fever-child-rash": (True, None)}),
        ("the first: yes", "en", {"headache-stiff-neck": (False, None)}),
        ("non", "fr", {"headache-stiff-neck": (True, None), "fever-child-rash": (True, None)}),
        ("non aux deux", "fr", {"headache-stiff-neck": (True, None), "fever-child-rash": (True, None)}),
        ("oui pour la deuxième", "fr", {"fever-child-rash": (False, None)}),
        (
            "euh oui, les deux",
            "fr",
            {"headache-stiff-neck": (False, None), "fever-child-rash": (False, None)},
        ),
    ],
)
def test_yes_no_and_which_question(
    text: str, lang: str, expected: dict[str, tuple[bool, str | None]]
) -> None:
    assert _answers(text, NECK, RASH, lang=lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "side"),
    [("only the left", "en", "left"), ("just my right leg", "en", "right"), ("que la gauche", "fr", "left")],
)
def test_a_side_answers_a_question_about_one_side(text: str, lang: str, side: str) -> None:
    assert _answers(text, SIDE, lang=lang) == {"limb-one-side": (False, side)}


def test_both_sides_is_not_one_side() -> None:
    assert _answers("both legs", SIDE) == {"limb-one-side": (False, "both")}
    assert _answers("les deux côtés", SIDE, lang="fr") == {"limb-one-side": (False, "both")}


def test_no_pending_questions_means_no_answers() -> None:
    u = UNDERSTANDER.understand("no", language="en")
    assert [f for f in u.findings if f.entry.startswith(ANSWER_ENTRY)] == []


def test_a_new_story_is_not_read_as_an_answer() -> None:
    text = "Actually something else: my knee has been swollen for a week, no injury"
    assert _answers(text, NECK, RASH) == {}


def test_words_of_the_answer_are_still_read_and_win_over_the_answer() -> None:
    u = UNDERSTANDER.understand("no, but his neck is stiff now", language="en", context=_context(NECK, RASH))
    neck = [f for f in u.findings if f.concept == "neck_stiffness"]
    assert [f.assertion.negated for f in neck] == [False]
    assert not neck[0].entry.startswith(ANSWER_ENTRY)
    rash = [f for f in u.findings if f.concept == "non_blanching_rash"]
    assert [f.assertion.negated for f in rash] == [True]


def test_yes_and_more_symptoms() -> None:
    u = UNDERSTANDER.understand("yes and now he's vomiting", language="en", context=_context(NECK))
    concepts = {(f.concept, f.assertion.negated) for f in u.findings}
    assert ("neck_stiffness", False) in concepts
    assert ("vomiting", False) in concepts


def test_the_answer_is_about_the_person_the_question_was_about() -> None:
    asked = PendingQuestion(
        id="fever-child-rash",
        protocol="fever-child",
        concept="non_blanching_rash",
        relation=Relation.CHILD,
        age_years=2,
    )
    u = UNDERSTANDER.understand("yes", language="en", context=_context(asked))
    (finding,) = [f for f in u.findings if f.entry.startswith(ANSWER_ENTRY)]
    person = u.subjects[finding.subject]
    assert person.relation is Relation.CHILD
    assert person.age_years == 2
    assert not person.is_record_patient


def test_a_yes_with_the_words_of_one_question_answers_that_one_only() -> None:
    u = UNDERSTANDER.understand("yes, my neck is really stiff", language="en", context=_context(NECK, RASH))
    assert [f for f in u.findings if f.entry.startswith(ANSWER_ENTRY)] == []
    assert [(f.concept, f.assertion.negated) for f in u.findings] == [("neck_stiffness", False)]
