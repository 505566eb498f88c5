"""Context read on round 21's look-alikes (dev data once scored), by mechanism, on paraphrases written here,
each beside a report of now that must stay current.

Mechanisms: a sentence dated "back in <month> <year>" tells a story of then to its end; "haven't had one like
that since" puts the story before it in the past; a French passé composé ("je me suis cassé", "j'ai glissé")
is not a present tense; a supposition opened after a lead-in ("Petite question : si un jour…"); "celle de
l'AVC" after a date asked is the date of a past event; the injury a past tetanus jab was given after; and a
double dose one does not want to get.
"""

from __future__ import annotations

import pytest

from tests.understanding.reading import current


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        (
            "Back in March 2018 I had a terrible asthma attack and ended up in A&E, I couldn't finish a sentence. "
            "All fine now, haven't had one like that since. What did they give me?",
            "cant_speak_sentences",
        ),
        (
            "L'été dernier je suis tombé de vélo et je me suis cassé la clavicule. C'est bien consolidé, je refais du sport.",
            "suspected_fracture",
        ),
        (
            "Petite question : si un jour mon fils fait une grosse crise et que la Ventoline ne fait plus rien, on fait quoi ?",
            "asthma_attack",
        ),
        (
            "Vous pouvez me donner la date de mon infarctus ? Et aussi celle de l'AVC si c'est noté.",
            "stroke_named",
        ),
    ],
)
def test_over_or_supposed(text: str, concept: str) -> None:
    assert concept not in current(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        (
            "Back in March I had an asthma attack. Tonight I can't finish a sentence and the blue inhaler isn't helping.",
            "cant_speak_sentences",
        ),
        ("je me suis cassé le poignet ce matin en tombant, il est tout gonflé", "suspected_fracture"),
        (
            "Petite question : là il fait une grosse crise et la Ventoline ne fait plus rien, on fait quoi ?",
            "asthma_attack",
        ),
    ],
)
def test_reports_of_now_stay_current(text: str, concept: str) -> None:
    assert concept in current(text)
