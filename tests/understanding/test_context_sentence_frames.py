"""Readings that reach across a sentence (found on round 17's look-alikes, dev data; paraphrases written
here): a sentence that dates the one before ("That was years ago"), examples given of a hypothetical ("Like
his face drooping"), a named illness told before a discharge from hospital, and a condition quoted from the
record ("it says 'cardiac arrest'"). Each with look-alikes where the same words are a current finding."""

from __future__ import annotations

import pytest

from tests.understanding.reading import current


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # a sentence that dates what was just told
        ("I blacked out on the bus and they took me to A&E. That was years ago, all fine now.", "fainting"),
        ("Had a fit at my sister's wedding. That was back in 2012, nothing since.", "seizure"),
        (
            "J'ai fait une grosse crise d'asthme au ski. C'était il y a dix ans, plus rien depuis.",
            "asthma_attack",
        ),
        ("Il a fait un malaise au travail. Ça remonte à il y a plusieurs années.", "fainting"),
        # examples of a hypothetical
        (
            "My husband wants to know what to do if it ever happens again. Like his face going droopy on "
            "one side or his arm giving way. Do we ring 999 straight off?",
            "face_weakness",
        ),
        (
            "Que faire si jamais ça revient ? Genre le bras qui ne répond plus ou la parole bizarre. "
            "On appelle le 15 ?",
            "limb_weakness",
        ),
        # a named illness told before the discharge from hospital
        (
            "My dad just had a heart attack, he came home from hospital on Monday and he's doing well. "
            "Should I get my heart checked too?",
            "heart_attack_named",
        ),
        (
            "Ma mère a fait un AVC, elle est sortie de l'hôpital vendredi et elle récupère bien. "
            "Est-ce que c'est héréditaire ?",
            "stroke_named",
        ),
        # a condition quoted from the record
        (
            "Looking at my notes online and it says heart attack, I think from 2015. When exactly?",
            "heart_attack_named",
        ),
        # an earlier occasion ("last time I …", "la dernière fois que …")
        (
            "Last time I went swimming I was wheezing afterwards. Should I use the blue inhaler first?",
            "wheeze",
        ),
        ("La dernière fois que j'ai couru j'ai sifflé en rentrant. Je prends la Ventoline avant ?", "wheeze"),
        # what a medicine is for, or what it may do
        ("Which of his inhalers is the one for when he's wheezy?", "wheeze"),
        ("Le sirop c'est pour quand elle tousse la nuit ?", "cough"),
        ("Est-ce que l'antihistaminique peut le rendre somnolent avant son examen ?", "drowsy"),
        # the writer's mind wandering, names mixed up
        ("The nurse explained my diet sheet but honestly I zoned out.", "drowsy"),
        ("Je m'embrouille toujours entre le Lasix et le fer, lequel le matin ?", "confusion"),
    ],
)
def test_told_as_past_or_hypothetical_is_not_current(text: str, concept: str) -> None:
    assert concept not in current(text), text


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # the dating sentence says now: the story is happening again
        ("I blacked out on the bus. That was years ago but today it happened again.", "fainting"),
        # no dating sentence: the event is told as it happens
        ("I blacked out on the bus this morning. That was scary.", "fainting"),
        # an example sentence after a report, not after a hypothetical
        ("My mum is not right since lunch. Like her face is drooping on one side.", "face_weakness"),
        # examples that say now
        (
            "What should we do if he gets it again? Like right now his arm is weak and his face droops.",
            "face_weakness",
        ),
        # the discharge first, then the illness now
        ("My dad came home from hospital yesterday and now he's having a stroke.", "stroke_named"),
        # a symptom beside a treated illness stays a report
        ("He had a heart attack, was discharged on Monday and now has chest pain again.", "chest_pain"),
        # an earlier occasion, then now
        ("Last time I had this I ended up in hospital, and now I'm wheezing again.", "wheeze"),
        # someone else is zoned out and hard to wake; the writer muddled
        ("Grandad is zoned out and hard to wake this afternoon.", "drowsy"),
        ("Depuis ce matin elle s'embrouille et ne sait plus quel jour on est.", "confusion"),
    ],
)
def test_the_same_words_said_as_now_stay_current(text: str, concept: str) -> None:
    assert concept in current(text), text
