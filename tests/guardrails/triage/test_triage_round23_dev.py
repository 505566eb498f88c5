"""Triage mechanisms from round 22's dev data (worked on before round 23), checked on paraphrases written
here, each beside a look-alike that must not move.

Missed emergencies:
- an overdose counted in tablets of a named medicine ("twenty of her amitriptyline", "20 zolpidem"), the
  medicine read from the shared medicine list, with or without alcohol (nhs.uk "Overdose": 999 / A&E;
  centres antipoison, 15), beside a usual dose in mg and a figurative "overdosed on chocolate";
- a first fit told as "a fit in the kitchen" ("fit in" is only fitting in with a slot, a size, a group);
- speech that "made no sense" during a spell that has passed (nhs.uk "TIA": 999 even if it is over);
- the baby's movements, told before the term of the pregnancy, belong to the pregnant writer, so that they
  count with her bleeding and constant pain (nhs.uk "Your baby's movements"; possible abruption: 999);
- a gestation given on its own at the head of a sentence ("34 weeks.") is a pregnancy (pre-eclampsia with
  162/111: NICE NG133, 999).

Under-triage:
- a collapse "with no warning" keeps the collapse ("no warning" says how sudden, it denies nothing);
- self-harm told by a parent ("she's been cutting her arms") and "everyone would be better off without
  her" (NICE NG225: a same-day assessment).

Over-triage:
- a usual dose taken twice by mistake by a well adult is advice (NHS medicines A-Z "If you take too much":
  ask a pharmacist or 111; centres antipoison), not 999;
- a febrile fit last spring, told with the child's age today ("she's 2 now"), is in the past: a feverish
  toddler who is well today is self-care (NHS "Febrile seizures").
"""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, NONE, SC, URG
from tests.guardrails.triage.test_protocol_gaps import TODAY, assert_decides, decide


@pytest.mark.parametrize(
    "case",
    [
        # a named medicine counted in tablets, with alcohol
        (
            "she's swallowed about twenty of her amitriptyline with half a bottle of vodka, says she's fine",
            "en",
            EM,
            None,
        ),
        ("took 15 of my venlafaxine an hour ago, I just want to sleep", "en", EM, None),
        ("j'ai pris 20 zolpidem ce soir avec du whisky", "fr", EM, None),
        ("il a avalé une trentaine de comprimés de sertraline", "fr", EM, None),
        # a first fit in a room of the house
        (
            "my brother (19) just had a fit in the bathroom, he went rigid and jerked, never had one before, "
            "he's confused now",
            "en",
            EM,
            None,
        ),
        # words that made no sense, over now (a TIA)
        (
            "for ten minutes this morning my dad was saying words that made no sense, he's back to normal now",
            "en",
            EM,
            "stroke-signs-speech",
        ),
        (
            "mon mari disait des mots qui n'avaient aucun sens pendant un quart d'heure, c'est passé",
            "fr",
            EM,
            "stroke-signs-speech",
        ),
        # the baby's movements told before the term, with bleeding and constant pain
        (
            "the baby has not really been kicking much since last night and I've had some bleeding and a "
            "constant tummy ache. I'm 35 weeks",
            "en",
            EM,
            "pregnancy-bleeding-with-pain",
        ),
        # a gestation alone at the head of the message, with severe pre-eclampsia signs
        (
            "36 weeks. Bad headache, flashing lights, my BP was 165/112 at the pharmacy",
            "en",
            EM,
            "pregnancy-pre-eclampsia-severe",
        ),
    ],
)
def test_round23_dev_emergencies(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # a usual dose in mg, years on a medicine, a figurative overdose
        ("I take 50 mg of sertraline every morning, is it ok to have a glass of wine?", "en"),
        ("I've had 10 years of sertraline and it works well", "en"),
        ("overdosed on chocolate over christmas, feeling sluggish", "en"),
        ("je prends 50 mg de sertraline le matin", "fr"),
        ("j'ai fait une overdose de séries ce week-end", "fr"),
        # fitting in, not a fit
        ("I can't fit in an appointment before Friday, is Monday ok?", "en"),
        # words that make no sense in a leaflet
        ("the leaflet is full of words that make no sense to me", "en"),
        # a duration of weeks at the head of a sentence is not a pregnancy
        ("6 weeks. cough won't go away, no fever", "en"),
        # a born baby who moves little in her sleep
        ("the baby hasn't been moving much in her sleep, she's 3 months old", "en"),
    ],
)
def test_round23_dev_look_alikes_are_not_emergencies(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level is not EM, (text, d.rules)


@pytest.mark.parametrize(
    ("text", "lang", "level"),
    [
        ("I took my allergy tablet twice this morning by mistake, I feel completely fine", "en", SC),
        (
            "mon père a pris son comprimé de cholestérol deux fois ce soir par erreur, il va très bien",
            "fr",
            SC,
        ),
        ("overdosed on coffee this morning, so jittery lol", "en", NONE),
    ],
)
def test_a_dose_taken_twice_by_mistake_is_advice(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language, level: TriageLevel
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level is level, (text, d.rules)


def test_many_tablets_are_an_overdose_not_a_double_dose(
    engine: ProtocolEngine, understander: Understander
) -> None:
    d = decide(
        engine,
        understander,
        "dad took his sleeping tablet twice by mistake and then he swallowed 12 of his diazepam",
        "en",
    )
    assert d.level is EM, d.rules


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "just found out my 15 year old has been cutting her arms, the marks aren't deep, she says she's ok",
            "en",
        ),
        ("mon fils de 16 ans se scarifie les bras depuis un mois, les coupures sont superficielles", "fr"),
        ("he keeps saying everyone would be better off without him, he's been low for weeks", "en"),
        ("elle dit parfois que tout le monde serait mieux sans elle", "fr"),
    ],
)
def test_self_harm_and_passive_wishes_told_by_a_parent_are_seen_today(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level is URG, (text, d.rules)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I cut my finger on a tin opening the beans, it stopped bleeding with a plaster", "en"),
        ("je me suis coupé le doigt en cuisinant, ça ne saigne plus", "fr"),
        ("honestly the team would be better off without the new manager", "en"),
    ],
)
def test_an_accidental_cut_or_a_figure_of_speech_is_not_self_harm(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    d = decide(engine, understander, text, lang)
    assert "self-harm-told" not in d.rules and "suicidal-thoughts-said" not in d.rules, (text, d.rules)


def test_no_warning_keeps_the_collapse(understander: Understander) -> None:
    u = understander.understand(
        "my teammate just collapsed with no warning while running, out cold for 30 seconds",
        language="en",
        today=TODAY,
    )
    assert "loss_of_consciousness" in {f.concept for f in u.findings if f.current}
    # an absence still reads as one
    denied = understander.understand("no chest pain, no warning signs", language="en", today=TODAY)
    assert "chest_pain" not in {f.concept for f in denied.findings if f.current}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "last summer my son (he's 6 now) had a febrile fit with tonsillitis. Today he has a cold and "
            "38.2, playing happily, no fit",
            "en",
        ),
        (
            "l'été dernier ma fille (elle a 3 ans maintenant) a fait une convulsion avec de la fièvre. "
            "Aujourd'hui elle a 38,4 mais elle joue, pas de convulsion",
            "fr",
        ),
    ],
)
def test_a_past_febrile_fit_told_with_todays_age_stays_past(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level is SC, (text, d.rules)


def test_a_fit_again_today_after_one_last_spring_is_an_emergency(
    engine: ProtocolEngine, understander: Understander
) -> None:
    d = decide(engine, understander, "last spring my daughter had a fit and now she's fitting again", "en")
    assert d.level is EM, d.rules
