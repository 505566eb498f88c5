"""An illness named as what a test looked for (round 20 dev, a follow-up "and flu, did they test for it?"
read as a flu of the moment): "tested for flu", "un dépistage du covid", "pour la grippe ils avaient testé".
Look-alikes keep the illness: a positive test ("tested positive for flu"), the illness itself told, and
"for" meaning how long ("coughing and tested for days")."""

from __future__ import annotations

import pytest

from tests.understanding.reading import read


def current(text: str) -> set[str]:
    return {f.concept for f in read(text, patient="Lupe_Little").findings if f.current}


@pytest.mark.parametrize(
    "text",
    [
        "did they swab him for flu when he was in last winter?",
        "was I tested for flu at the same time as covid? what did it say",
        "et pour la grippe, ils avaient testé aussi ? ça donnait quoi",
        "le test de la grippe à l'hôpital en janvier était négatif ?",
    ],
)
def test_an_illness_a_test_looked_for_is_not_current(text: str) -> None:
    assert "cold_symptoms" not in current(text), text


@pytest.mark.parametrize(
    "text",
    [
        "I tested positive for flu yesterday and I'm aching everywhere",
        "j'ai la grippe depuis lundi, 39 de fièvre",
        "I've got flu, had it for days now",
    ],
)
def test_the_illness_itself_stays_current(text: str) -> None:
    assert "cold_symptoms" in current(text), text


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("I did a covid test for my cough this morning, it was negative", "cough"),
        ("j'ai fait un test pour ma toux ce matin, négatif", "cough"),
        ("j'ai de la toux depuis lundi, ils m'ont testé pour le covid hier", "cough"),
        ("I've had a cough since Monday, did they test for it at the walk-in?", "cough"),
    ],
)
def test_the_reason_a_test_was_done_stays_current(text: str, concept: str) -> None:
    assert concept in current(text), text


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        (
            "When my son had flu in January 2019 he was wheezy and struggling to breathe. Did they give him steroids?",
            "wheeze",
        ),
        (
            "quand ma fille a eu la bronchiolite en mars 2021 elle respirait très mal, ils lui avaient donné quoi ?",
            "breathing_difficulty",
        ),
    ],
)
def test_a_sentence_opened_by_an_illness_dated_in_a_past_year_is_past(text: str, concept: str) -> None:
    assert concept not in current(text), text


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # the same story told as now
        ("My son has flu and he is wheezy and struggling to breathe right now", "wheeze"),
        (
            "When my son had flu in January 2019 he was fine. Now he is wheezy and struggling to breathe.",
            "wheeze",
        ),
    ],
)
def test_the_same_findings_told_as_now_stay_current(text: str, concept: str) -> None:
    assert concept in current(text), text
