"""Context read on round 13's look-alikes (dev data): a story opened in a remote past and told to the end of its
sentence, a second event listed after a past one, a condition seen in the record, "tomber sur" a word, the
writer compared with a character, the warning signs of a condition. Paraphrases written here, each with a
look-alike where the same words are a current finding."""

from __future__ import annotations

import pytest

from tests.understanding.reading import current


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # a story opened in a remote past goes on past "and her …" and ", we …"
        (
            "Last summer my son ate a peanut at a party and his tongue swelled up, "
            "we gave him the EpiPen and he was right as rain by the evening. Which pen is he on?",
            "anaphylaxis",
        ),
        (
            "L'été dernier mon fils a mangé une cacahuète et ses lèvres ont gonflé, on a utilisé le stylo "
            "d'adrénaline et tout est rentré dans l'ordre le soir. Il a quelle dose ?",
            "anaphylaxis",
        ),
        # a second event listed after a past one
        (
            "ages ago I had the heart attack and then the stroke, doing well since. Is my statin still on?",
            "stroke_named",
        ),
        (
            "il y a des années j'ai fait un infarctus puis un AVC, tout va bien. Je prends toujours le Kardegic ?",
            "stroke_named",
        ),
        # a condition seen in the record
        (
            "I spotted STROKE listed under my conditions, no symptoms at all, when was it added?",
            "stroke_named",
        ),
        (
            "en parcourant mon dossier j'ai vu « AVC », je vais très bien, c'est noté depuis quand ?",
            "stroke_named",
        ),
        # "tomber sur" a word or a page is coming across it
        ("je suis tombé sur « infarctus » dans mes papiers, c'est quoi exactement ?", "fall"),
        ("je suis tombée sur un article sur le diabète, c'est vrai que le sucre donne le diabète ?", "fall"),
        # the writer compared with a character is not the writer's story
        (
            "watching a hospital show last night and a man with diabetes like me suddenly collapsed at work, "
            "does that happen for real?",
            "collapse_unresponsive",
        ),
        # telling two conditions apart, and what one has read about people in general
        ("how could I tell a stroke from one of my migraines? all fine today", "stroke_named"),
        ("comment différencier un infarctus d'une crise d'angoisse ?", "heart_attack_named"),
        ("I've heard that a heart attack can feel like bad indigestion", "heart_attack_named"),
        # the warning signs of a condition, with an adjective in between
        ("c'est quoi les vrais signes d'un AVC ? je veux savoir réagir", "stroke_named"),
    ],
)
def test_not_a_current_finding(text: str, concept: str) -> None:
    assert concept not in current(text), text


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # the past story brought back to now by a present-tense word
        (
            "last summer he was stung by a wasp and his lips swelled up and now his tongue is swelling again",
            "face_swelling",
        ),
        (
            "l'été dernier il a été piqué et maintenant ses lèvres gonflent, il respire mal",
            "breathing_difficulty",
        ),
        ("years ago I had a stroke and my face is drooping again this morning", "face_weakness"),
        # a second event said as happening now
        ("a few years back I had the heart attack and then the chest pain again today", "chest_pain"),
        # a real fall
        ("je suis tombé sur le dos dans l'escalier", "fall"),
        ("ma mère est tombée sur le carrelage ce matin", "fall"),
        # the writer's own story after the show
        ("watching a hospital show last night and then I collapsed in the kitchen", "collapse_unresponsive"),
        # telling someone something is not a question about a condition
        ("how do I tell my wife, I have crushing chest pain right now", "chest_pain"),
        # a real stroke sign
        ("sa bouche est de travers depuis une heure, il n'arrive plus à parler", "face_weakness"),
    ],
)
def test_the_same_words_stay_current(text: str, concept: str) -> None:
    assert concept in current(text), text
