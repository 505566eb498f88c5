"""A named emergency asked about in a question, and what a page or a forum says a symptom could be, are
worries (hypothetical); said as happening they stay findings. Paraphrases written here."""

from __future__ import annotations

import pytest

from tests.understanding.reading import current


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("my ribs hurt when I press on them since I moved the sofa. heart attack??", "heart_attack_named"),
        (
            "my ribs hurt when I press on them since the gym, could it be a heart attack?",
            "heart_attack_named",
        ),
        (
            "j'ai mal aux côtes quand j'appuie depuis le déménagement, infarctus ou juste un muscle ?",
            "heart_attack_named",
        ),
        ("ma main fourmille un peu depuis ce matin, est-ce que c'est un AVC ?", "stroke_named"),
        ("my poo is black since the iron tablets, I read online that it can be a bleed", "heavy_bleeding"),
        ("mes selles sont noires, j'ai lu sur un forum que ça pouvait être une hémorragie", "heavy_bleeding"),
    ],
)
def test_worry_is_not_a_finding(text: str, concept: str) -> None:
    assert concept not in current(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("I think I'm having a heart attack", "heart_attack_named"),
        ("is he having a stroke? his face has dropped", "stroke_named"),
        ("could this be a heart attack?", "heart_attack_named"),  # nothing else told: stays
        ("il fait un AVC ? sa bouche est de travers", "stroke_named"),
        ("I've seen that my wee is red twice this week", "blood_in_urine"),
        ("j'ai vu que mes urines étaient rouges ce matin", "blood_in_urine"),
        ("c'est le zona ? des petits boutons en bande sur le côté gauche", "shingles"),
    ],
)
def test_said_as_happening_stays_a_finding(text: str, concept: str) -> None:
    assert concept in current(text)


def test_hurt_himself_is_an_injury_not_a_pain() -> None:
    assert "headache" not in current("he didn't bang his head or hurt himself")
