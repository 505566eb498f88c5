"""Context read on round 18's everyday messages escalated though nobody is ill now (dev data): an age given
roughly ("when I was about 9"), an injury said to have healed, a rescue rehearsed for anyone ("if someone
collapses", "si une personne ne respire plus"), the threshold asked in advance ("at what point do we call",
"à partir de quand faut-il appeler le 15"), a crisis envisaged for a child ("si elle refait une crise"), a
prospect feared ("I don't want her wheezing…"), an attack never witnessed, a screen story, and "how would I
even tell…". Paraphrases written here, each beside a look-alike where the same words are a current finding."""

from __future__ import annotations

import pytest

from tests.understanding.reading import current


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # an approximate age is still the age then
        ("When I was about 9 I had a seizure at a swimming gala. None since. Is it on my record?", "seizure"),
        (
            "Quand j'avais environ 12 ans j'ai fait une crise d'épilepsie. Plus rien depuis. C'est noté ?",
            "seizure",
        ),
        # an injury the writer says has healed
        (
            "stepped on a rusty nail at the allotment, healed fine, am I covered for tetanus?",
            "puncture_wound",
        ),
        (
            "je me suis coupé le doigt avec un couteau, c'est bien cicatrisé, je suis à jour du tétanos ?",
            "wound",
        ),
        # a rescue rehearsed for anyone
        (
            "first aid refresher tomorrow: if someone has a seizure, do I put something in their mouth?",
            "seizure",
        ),
        (
            "formation secourisme demain : si une personne ne respire plus, combien de compressions ?",
            "not_breathing",
        ),
        # a crisis envisaged for a child, and the threshold asked in advance
        (
            "si elle refait une crise d'asthme à la cantine, qui doit lui donner la ventoline ?",
            "asthma_attack",
        ),
        ("at what point do we call an ambulance, blue lips or when he can't talk?", "blue_lips"),
        ("at what point do we call an ambulance, blue lips or when he can't talk?", "speech_difficulty"),
        ("à partir de quand faut-il appeler le 15, quand les lèvres deviennent bleues ?", "blue_lips"),
        # a prospect feared for someone
        ("I don't want her wheezing halfway through a race", "wheeze"),
        ("je ne veux pas qu'il fasse un malaise au milieu du match", "fainting"),
        # an attack the writer has never witnessed
        (
            "I've never actually seen my son have a proper asthma attack, what would it look like?",
            "asthma_attack",
        ),
        ("je ne l'ai jamais vue faire de vraie crise d'asthme, à quoi ça ressemble ?", "asthma_attack"),
        # a screen story, and telling two illnesses apart
        (
            "been binge watching Casualty and a man had a stroke in the lift, is that realistic?",
            "stroke_named",
        ),
        (
            "en regardant une série hier, une femme fait un AVC dans l'ascenseur, c'est réaliste ?",
            "stroke_named",
        ),
        ("how would I even tell a stroke from a migraine?", "stroke_named"),
        ("comment on reconnaît un AVC chez une personne âgée ?", "stroke_named"),
    ],
)
def test_not_happening_now(text: str, concept: str) -> None:
    assert concept not in current(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("I was about to sit down when she had a seizure, she is still shaking now", "seizure"),
        ("cut my hand on a tin can on Sunday, it hasn't healed and it's red and oozing", "wound"),
        ("je me suis coupé le doigt la semaine dernière, ça n'a pas cicatrisé et ça suinte", "wound"),
        ("someone at the bus stop is having a seizure right now", "seizure"),
        ("une personne ne respire plus dans la rue, je fais quoi", "not_breathing"),
        ("elle fait une crise d'asthme, la ventoline ne marche pas", "asthma_attack"),
        ("his lips are blue and he can't talk, do we call an ambulance?", "blue_lips"),
        ("ses lèvres sont bleues, il faut appeler le 15 ?", "blue_lips"),
        ("she's wheezing halfway through the race", "wheeze"),
        ("I've never seen him have an asthma attack like this, he can't get words out", "asthma_attack"),
        (
            "je ne l'ai jamais vue faire une crise d'asthme comme ça, elle n'arrive plus à parler",
            "asthma_attack",
        ),
        (
            "I was watching telly and my husband's face dropped on one side, he can't lift his arm",
            "face_weakness",
        ),
        ("c'est un AVC je crois, sa bouche est tordue et il ne lève plus le bras", "face_weakness"),
        # "fine right now" for the general question, then a red flag told now in the next sentence
        ("if someone has chest pain what should I do? my husband has crushing chest pain now", "chest_pain"),
    ],
)
def test_the_same_words_still_current(text: str, concept: str) -> None:
    assert concept in current(text)
