"""Context read on round 25's questions (dev data once scored), by mechanism, on paraphrases written here,
each beside a report of now that must stay current.

Mechanisms: a sentence that opens with "if I ever" / "if one day" / "s'il m'arrivait" supposes to its end, and
a measurement inside it is a threshold asked about, not a reading; an outcome the writer fears ("scared I'll end
up…", "peur de finir…") is not happening; the first illness of a pair of vaccines ("her flu and Covid jabs")
is what the vaccines are for; refusing to talk ("elle ne veut rien me dire") is not refusing to drink.
"""

from __future__ import annotations

import pytest

from tests.understanding.reading import current, understander


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        (
            "If I ever went hypo on my own at night, the shakes and the sweats and being all confused, what would I "
            "do? Never had a bad one so far.",
            "confusion",
        ),
        (
            "If my husband ever had a stroke while I was at work, the face drooping and the slurred words, how "
            "would anyone know?",
            "face_weakness",
        ),
        ("I'm scared I'll end up wheezing halfway round the park when I start running again", "wheeze"),
        (
            "j'ai toujours peur de finir plié en deux au bout de trois kilomètres avec mon asthme",
            "writhing_pain",
        ),
        ("is my lodger up to date with his flu and covid jabs?", "cold_symptoms"),
        ("les vaccins grippe et covid de ma mère sont à jour ?", "cold_symptoms"),
        ("ma fille ne veut rien me dire de ses analyses, vous pouvez regarder ?", "not_drinking"),
    ],
)
def test_supposed_feared_or_named_for_a_vaccine(text: str, concept: str) -> None:
    assert concept not in current(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("If I ever get chest pain like the one I have right now, do I call? It's crushing.", "chest_pain"),
        ("I'm scared, I'm wheezing and the blue inhaler isn't helping", "wheeze"),
        ("I've had a fever since my flu jab yesterday", "fever"),
        ("mon bébé ne veut plus rien boire depuis ce matin", "not_drinking"),
    ],
)
def test_reports_of_now_stay_current(text: str, concept: str) -> None:
    assert concept in current(text)


@pytest.mark.parametrize(
    ("text", "supposed"),
    [
        (
            "Question idiote : si un jour ma tension est à 20/12 à la maison, c'est les urgences direct ?",
            True,
        ),
        ("If one day my sats read 88 on the finger monitor, is that 999 or the GP?", True),
        ("my blood pressure is 200/120 right now and I have a headache", False),
        ("tension à 20/12 ce matin, je me sens bien", False),
    ],
)
def test_a_measurement_in_a_supposing_sentence_is_not_a_reading(text: str, supposed: bool) -> None:
    u = understander().understand(text)
    assert u.vitals, text
    assert all(v.hypothetical is supposed for v in u.vitals)
    assert all(v.current is not supposed for v in u.vitals)
