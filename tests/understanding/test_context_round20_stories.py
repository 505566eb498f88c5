"""Context read on round 20's look-alikes that escalated though nobody is ill now (dev data), paraphrased here:
a sentence that opens by supposing ("what if…", "et si…") is a supposition to its end; a story opened in a
remote past stays past though the finding's own words sound present ("gorge qui gonfle"); a relative's
emergency told as treated and over ("the paramedics sorted him out and he's home"); a relative who died of an
illness, with the time between ("décédée le mois dernier d'un AVC"); the record's words asked about ("why
does my record say…"); a pluperfect story ("j'avais fait un malaise"); a book being read or a TV film; a fall
one wants to prevent; a cut that opens when the fingers are spread ("écarte" is not "ruled
out" there). Each beside a look-alike where the same words are a current finding."""

from __future__ import annotations

import pytest

from tests.understanding.reading import current


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("what if my blood pressure shot up at work and I fainted? just want a plan", "fainting"),
        (
            "il y a 3 ans j'ai eu une grosse réaction au kiwi, gorge qui gonfle, SAMU, une nuit à l'hôpital.",
            "throat_swelling",
        ),
        (
            "my brother went into anaphylaxis at a barbecue on Sunday, lips and tongue swelling. The paramedics "
            "sorted him out and he's home and fine.",
            "face_swelling",
        ),
        ("my brother went into anaphylaxis at a barbecue on Sunday. He's fine now.", "anaphylaxis"),
        ("ma tante est décédée le mois dernier d'un AVC, je suis inquiète pour moi", "stroke_named"),
        ("why does my record say heart attack? I've never had one, I'm fine", "heart_attack_named"),
        ("j'avais fait un malaise au travail, tout allait bien après, c'est noté ?", "fainting"),
        (
            "reading a crime novel where the detective has a stroke mid-chase, is that realistic?",
            "stroke_named",
        ),
        (
            "dans le téléfilm d'hier un homme fait un arrêt cardiaque au volant, ça arrive vraiment ?",
            "heart_attack_named",
        ),
        ("what can I do to keep myself from having a fall on the stairs?", "fall"),
        ("le scanner est rassurant, l'AVC est écarté", "stroke_named"),
        (
            "Two years back I woke with burning in my chest. Turned out to be reflux. No problems since, fine for years.",
            "heartburn",
        ),
        ("J'ai fait une grosse crise de reflux au printemps. Plus rien depuis des mois.", "heartburn"),
    ],
)
def test_not_happening_now(text: str, concept: str) -> None:
    assert concept not in current(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("what if this is a heart attack right now? crushing pain in my chest", "chest_pain"),
        ("my brother just went into anaphylaxis, his lips are swelling", "anaphylaxis"),
        ("j'avais fait un malaise hier soir au travail", "fainting"),
        ("my record says asthma but tonight I can't breathe", "breathing_difficulty"),
        ("il y a 3 ans j'ai eu une réaction au kiwi et là maintenant ma gorge gonfle", "throat_swelling"),
        # spreading one's fingers is not a result "ruled out" (écarté); a cut that opens, with commas between
        ("la coupure fait 2-3 cm, elle s'ouvre quand il écarte les doigts", "gaping_wound"),
        ("the cut on her thumb is 2cm, it opens up when she bends it", "gaping_wound"),
        ("he had a fit at nursery after lunch. He's been fine since.", "seizure"),
    ],
)
def test_the_same_words_still_current(text: str, concept: str) -> None:
    assert concept in current(text)
