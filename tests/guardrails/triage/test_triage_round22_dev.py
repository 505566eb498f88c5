"""Triage mechanisms from round 21's dev data (worked on before round 22), checked on paraphrases written
here, each beside a look-alike that must not move.

Missed emergencies:
- a child's asthma attack whose reliever "has barely touched it" told with commas between the puffs and
  the result, who cannot say "more than a couple of words", with lips "greyish" (NHS "Asthma attacks": 999);
- vomited blood told as "it's been quite a lot of bright red blood" (nhs.uk "Vomiting blood": 999);
- spoken French "il boit pas mal" (quite a lot) is an amount, not a negation of what follows;
- clots told with vomited blood are the vomit's, not a heavy period's (bleeding read in its site);
- a button battery a toddler had in her mouth and "I think she swallowed it" (RoSPA / NHS: A&E now);
- an adult's tablet box open by a toddler with "maybe 2 or 3 missing" (NHS "Poisoning", centres antipoison);
- a saddle "asleep" between the buttocks, or a leak of urine not felt, with a lumbago (nhs.uk "Cauda equina
  syndrome": A&E now).

Over-triage:
- "food poisoning" / "intoxication alimentaire" is a stomach bug, not a poison swallowed;
- a little blood vomited after a nosebleed, in a well child, is swallowed blood (nhs.uk "Nosebleed");
- "it smells awful" after burning pee is the urine's smell, not an infected wound's;
- "rhume des foins" is hay fever, not a cold;
- a collapse the person came round from, back to normal, is a same-day cardiac check (NICE CG109), and a
  racing heart before a faint that has passed is the urgent check, not 999;
- dizziness with sight greying or blurring for seconds on standing (nhs.uk "Low blood pressure") is not a
  stroke sign nor an eye problem.
"""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, SC, SOON, URG
from tests.guardrails.triage.test_protocol_gaps import TODAY, assert_decides, decide


@pytest.mark.parametrize(
    "case",
    [
        # reliever not helping, said with commas between the puffs and what they did
        (
            "my daughter is 9 with asthma. gave her 8 puffs of the blue one via the spacer, then again after "
            "20 minutes, and it's hardly touched it, she's wheezing and breathing hard",
            "en",
            EM,
            "breathing-severe",
        ),
        # too breathless to say more than a couple of words
        (
            "my son's asthma is bad tonight, he can't say more than a couple of words without stopping",
            "en",
            EM,
            "breathing-severe",
        ),
        # lips a greyish colour while breathless
        (
            "wheezy and struggling to breathe, her lips look a bit greyish",
            "en",
            EM,
            "breathing-not-breathing",
        ),
        ("il a du mal à respirer et ses lèvres ont l'air grisâtres", "fr", EM, "breathing-not-breathing"),
        # vomited blood told after the vomiting, with an amount
        (
            "been sick three times tonight and it was mostly dark red blood, feel a bit faint",
            "en",
            EM,
            "bleeding-massive",
        ),
        ("j'ai vomi deux fois ce soir et c'était beaucoup de sang rouge", "fr", EM, "bleeding-massive"),
        # "pas mal" as "quite a lot" before a vomited bleed: not a negation
        ("mon père fume pas mal, il vient de vomir du sang", "fr", EM, "bleeding-massive"),
        # a button battery mouthed, then missing and probably swallowed
        (
            "my 18 month old had a flat round battery from the remote in his mouth, now I can't find it, "
            "he's playing happily",
            "en",
            EM,
            None,
        ),
        (
            "ma fille de 2 ans avait une pile plate dans la bouche, je crois qu'elle l'a avalée, elle a l'air bien",
            "fr",
            EM,
            None,
        ),
        # a toddler with an adult's heart tablets, a few missing whatever the count
        (
            "my 3 year old got into my mum's handbag, the packet of her heart pills is open and maybe two "
            "are missing, he seems totally normal",
            "en",
            EM,
            None,
        ),
        (
            "mon fils de 2 ans a ouvert la boîte de médicaments pour le cœur de son grand-père, il en manque "
            "peut-être un ou deux, il joue normalement",
            "fr",
            EM,
            None,
        ),
        # cauda equina told in a lumbago's words
        (
            "sciatique depuis une semaine, et depuis ce matin je ne sens presque rien entre les fesses",
            "fr",
            EM,
            "back-cauda-equina",
        ),
        (
            "bad back since lifting boxes on Monday, today I dribbled some urine without noticing",
            "en",
            EM,
            "back-cauda-equina",
        ),
    ],
)
def test_round22_dev_emergencies(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    ("text", "lang", "rule"),
    [
        # a reliever that worked
        ("had a wheezy spell, 4 puffs of the blue inhaler and it settled, chatting away now", "en", None),
        # greyish weather, not lips
        ("the sky is greyish and I have a runny nose", "en", None),
        # vomiting with no blood, said after it
        (
            "threw up twice last night, it was just bile, no blood, keeping water down",
            "en",
            "bleeding-massive",
        ),
        # the pain denied with "pas mal" after avoir / faire stays denied
        ("il n'a pas mal au ventre et il n'a pas vomi, juste un rhume", "fr", None),
        # a button battery bought or flat, nothing swallowed
        ("the button battery in the remote is flat and I can't find a new one in the shop", "en", None),
        ("il faut racheter une pile bouton pour la montre, l'ancienne est à plat", "fr", None),
        # tablets left in one's own strip, no one swallowed any
        ("I'm on the last strip of my blood pressure tablets, only two left, can I get more?", "en", None),
        # a small leak on sneezing with a sore back is not cauda equina
        (
            "un peu mal au dos, et une petite fuite urinaire quand j'éternue depuis mon accouchement",
            "fr",
            None,
        ),
        # a limb "asleep" is not a drowsy person
        ("j'ai le bras comme endormi le matin au réveil, ça passe en le secouant", "fr", None),
    ],
)
def test_round22_dev_look_alikes_are_not_emergencies(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language, rule: str | None
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level is not EM, (text, d.rules)
    if rule is not None:
        assert rule not in d.rules


def test_clots_with_vomited_blood_are_not_a_period(understander: Understander) -> None:
    u = understander.understand(
        "mon frère vient de vomir du sang rouge foncé avec des caillots, il est tout pâle",
        language="fr",
        today=TODAY,
    )
    concepts = {f.concept for f in u.findings if f.current}
    assert "vomiting_blood" in concepts
    assert "vaginal_bleeding" not in concepts
    # clots of a heavy period keep their reading
    period = understander.understand(
        "mes règles sont très abondantes, je perds des caillots", language="fr", today=TODAY
    )
    assert "vaginal_bleeding" in {f.concept for f in period.findings if f.current}


def test_pas_mal_after_a_verb_is_an_amount(understander: Understander) -> None:
    u = understander.understand("il tousse pas mal et il a de la fièvre", language="fr", today=TODAY)
    current = {f.concept for f in u.findings if f.current}
    assert {"cough", "fever"} <= current
    denied = understander.understand("j'ai pas mal à la tête", language="fr", today=TODAY)
    assert "headache" not in {f.concept for f in denied.findings if f.current}


def test_a_leak_on_sneezing_with_back_pain_stays_self_care(
    engine: ProtocolEngine, understander: Understander
) -> None:
    d = decide(engine, understander, "bit of a bad back, and I leak a little wee when I sneeze since my baby")
    assert d.level is SC, d.rules


@pytest.mark.parametrize(
    ("text", "lang", "level"),
    [
        # food poisoning is a stomach bug (nhs.uk "Food poisoning"), not a poison swallowed
        ("food poisoning from a dodgy kebab, sick twice, keeping fluids down, no fever", "en", SC),
        ("intoxication alimentaire avec les moules d'hier, j'ai vomi deux fois, je bois bien", "fr", SC),
        # a little swallowed blood vomited after a nosebleed in a well child
        (
            "my son had a nosebleed in the night, this morning he was sick with a bit of dark blood in it, "
            "he's eating his breakfast and fine",
            "en",
            SC,
        ),
        # burning pee that smells bad, with fever and loin pain: a kidney infection to see today, not a
        # spreading skin infection
        (
            "burning when I pee and it smells awful, ache in my right side at the back, temp 38.6",
            "en",
            URG,
        ),
        # a collapse on exertion that passed, back to normal: a same-day check (NICE CG109), not 999
        (
            "my son just collapsed at football, the coach says he was out for a few seconds then came round "
            "and was fine, his heart was racing before it, he feels completely normal now",
            "en",
            URG,
        ),
    ],
)
def test_round22_dev_over_triage(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language, level: TriageLevel
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level is level, (text, d.level, d.rules)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # a real poison stays an emergency
        ("my toddler drank some bleach, I think it's poisoning", "en"),
        ("ma fille a bu du produit vaisselle, c'est une intoxication ?", "fr"),
        # vomited blood without a nosebleed stays an emergency
        ("my son vomited a bit of dark blood this morning, he seems ok", "en"),
        # vomited blood after a nosebleed with paleness is a bleed
        ("après un saignement de nez elle a vomi un peu de sang et maintenant elle est toute pâle", "fr"),
        # a collapse still not responding, or that came round confused
        ("my dad has collapsed and is not responding", "en"),
        ("mum collapsed in the kitchen, she came round but she's confused", "en"),
        # a faint with a racing heart still going on
        ("she fainted and her heart is racing now, she feels dizzy", "en"),
    ],
)
def test_round22_dev_emergencies_kept(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level is EM, (text, d.level, d.rules)


def test_a_smell_is_read_in_its_site(understander: Understander) -> None:
    pee = understander.understand("burning when I pee and it smells awful", language="en", today=TODAY)
    assert "skin_infection" not in {f.concept for f in pee.findings}
    wound = understander.understand(
        "burning when I pee and the wound on my foot smells awful", language="en", today=TODAY
    )
    assert "skin_infection" in {f.concept for f in wound.findings if f.current}


@pytest.mark.parametrize(
    ("text", "lang", "level"),
    [
        # sight that blurs for seconds with dizziness on standing, on blood pressure tablets: postural
        (
            "I'm 78, since my water tablets were added I go dizzy when I get up out of bed and my eyes go "
            "blurry for a few seconds, for ten days now",
            "en",
            SOON,
        ),
        (
            "depuis une semaine et demie, quand je me lève du fauteuil j'ai des vertiges et la vue floue "
            "quelques secondes, depuis le nouveau médicament pour la tension",
            "fr",
            SOON,
        ),
        # dizziness with blurred sight at rest stays a possible stroke
        ("suddenly dizzy and my vision is blurry, I'm sitting down", "en", EM),
    ],
)
def test_round22_dev_dizziness_on_standing(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language, level: TriageLevel
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level is level, (text, d.level, d.rules)
