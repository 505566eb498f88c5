"""Context read on round 8's look-alikes (dev data): a plot told past a clause break, a month named as the
past, a statement about people in general, things to watch for, "paranoid" as worry. Paraphrases written
here, each with a look-alike where the same words are a current finding."""

from __future__ import annotations

import pytest

from tests.understanding.reading import current


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # the plot goes on past ", elle": the frame is the sentence that names the film
        (
            "j'ai regardé un film hier où la mère s'effondre, elle n'arrive plus à respirer, c'était horrible",
            "breathing_difficulty",
        ),
        # a month named as the past, and "fine since"
        (
            "back in January I had an asthma attack at work. all sorted now, what should I do next time?",
            "asthma_attack",
        ),
        # about people in general
        ("is it true that diabetics can get a silent heart attack?", "heart_attack_named"),
        # things to watch for are not things that happen
        ("the nurse said to watch out for a fever after the jab, what number counts?", "fever"),
        ("le médecin nous a dit de surveiller : fièvre, vomissements. Pour l'instant il va bien", "fever"),
        # round 9: a plot told after the book is named, without "I" coming back
        ("je lis un polar où l'héroïne fait une embolie, elle s'effondre à l'aéroport", "collapse"),
        # heart attacks in the plural, a hypothetical "if I ever", a sign "we'd use the EpiPen" for
        ("what do heart attacks feel like in women?", "heart_attack_named"),
        (
            "if I ever woke up gasping at night, or my ankles suddenly swelled, who do I call?",
            "limb_swelling",
        ),
        ("remind me what the signs are that mean we'd use the epipen?", "anaphylaxis"),
        ("comment savoir si je fais une hypo, genre si je tombe dans les pommes ?", "fainting"),
        # "paranoid" said of one's own worry
        ("I'm a bit paranoid about my moles, can I book a skin check?", "psychosis"),
        # a belief about being poisoned is not a poisoning
        ("she thinks the neighbours are poisoning her tea and hasn't slept for days", "poisoning"),
    ],
)
def test_not_a_current_finding(text: str, concept: str) -> None:
    assert concept not in current(text), text


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("since I watched that film my chest hurts when I climb the stairs", "chest_pain"),
        (
            "since January my breathing has been bad and I get breathless on the stairs",
            "breathing_difficulty",
        ),
        ("I can get a silent heart attack feeling, crushing chest pain right now", "chest_pain"),
        ("he has a fever of 39 after the jab", "fever"),
        ("my brother has become paranoid and hears voices", "psychosis"),
    ],
)
def test_the_same_words_stay_current(text: str, concept: str) -> None:
    assert concept in current(text), text
