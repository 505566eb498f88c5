"""Context read on round 14's everyday messages escalated by a word (dev data): an event used as a time
anchor ("since the stroke", "depuis l'AVC"), the known event of one's history ("had the stroke"), the
illness an injection or a vaccination is for ("the shingles injection", "vacciné contre le zona"), and a
device that "dit n'importe quoi". Paraphrases written here, each beside a look-alike where the same words
are a current finding."""

from __future__ import annotations

import pytest

from tests.understanding.reading import current


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # an event named as the time things are counted from
        ("ever since the stroke my wife does the shopping list, can you show my tablets?", "stroke_named"),
        ("depuis l'AVC c'est ma fille qui gère mes rendez-vous, c'est quand le prochain ?", "stroke_named"),
        # the known event of one's history, listed with "the"
        ("I'm 67, had the heart attack and the stroke, is the flu jab worth it for me?", "stroke_named"),
        # the illness an injection or a vaccination is for
        ("did I ever get the shingles injection, my neighbour says I should have", "shingles"),
        ("je ne sais plus si j'ai été vaccinée contre le zona, c'est noté ?", "shingles"),
        # a device or a site that is wrong is not a confused person
        (
            "mon tensiomètre du salon qui dit n'importe quoi, je peux voir les chiffres du cabinet ?",
            "confusion",
        ),
    ],
)
def test_named_but_not_current(text: str, concept: str) -> None:
    assert concept not in current(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("I think she's having a stroke, her arm went weak ten minutes ago", "stroke_named"),
        ("shingles on my side since Monday, a band of blisters", "shingles"),
        ("c'est mon grand-père qui dit n'importe quoi depuis ce matin", "confusion"),
        ("ma mère dit n'importe quoi depuis hier soir", "confusion"),
    ],
)
def test_the_same_words_still_current(text: str, concept: str) -> None:
    assert concept in current(text)
