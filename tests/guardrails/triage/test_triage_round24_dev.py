"""Triage mechanisms from round 23's dev data (worked on before round 24), checked on paraphrases written
here, each beside a look-alike that must not move.

Missed emergencies:
- meningitis: a neck that hurts when the head bends forward is a stiff neck, crying out when a light is
  switched on is a dislike of light, and a fever with a dislike of light and drowsiness or confusion is an
  emergency even before anyone notices a stiff neck (NICE NG240; nhs.uk "Meningitis"; Ameli "Méningite");
- heavy bleeding after a birth (soaked pads within an hour, clots the size of a plum) told by a partner:
  the pronoun after "our baby" that bleeds is the mother (nhs.uk "Postpartum haemorrhage"; HAS
  "Hémorragie du post-partum");
- all of a named medicine swallowed ("taken all her sertraline") is an overdose, told by a friend or not
  (nhs.uk "Overdose"; centres antipoison), while a course taken as prescribed is not;
- new confusion with a fever in an older person, told as not recognising home or talking to people who are
  not there (nhs.uk "Delirium", "Sepsis"; NICE NG51).

Under-triage:
- reduced fetal movements told with the French "ne … presque plus" or against the baby's usual pattern
  (nhs.uk "Your baby's movements"; HAS: consulter sans attendre), same day;
- visible blood in the urine told as "came out red" or "urines franchement rouges" (NICE NG12: refer; NHS:
  see a GP), within days.

Over-triage:
- a burning behind the breastbone after meals, rising to the throat, is heartburn (nhs.uk "Heartburn and
  acid reflux"; Ameli "Reflux gastro-œsophagien"), not a heart attack.
"""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, SOON, URG
from tests.guardrails.triage.test_protocol_gaps import assert_decides, decide


@pytest.mark.parametrize(
    "case",
    [
        (
            "my daughter is 9, temperature of 39.8, she's so drowsy and screams when I switch the light on",
            "en",
            EM,
            "meningitis-fever-light-drowsy",
        ),
        (
            "ma fille de 10 ans a 39,6, elle est somnolente et ne supporte pas la lumière",
            "fr",
            EM,
            "meningitis-fever-light-drowsy",
        ),
        (
            "he's 12, fever of 39 since this morning, his neck hurts when he looks down and he threw up",
            "en",
            EM,
            "meningitis-fever-stiff-neck",
        ),
        (
            "mon frère a 39,5, il peut pas plier la tête vers l'avant et il a vomi",
            "fr",
            EM,
            "meningitis-fever-stiff-neck",
        ),
        (
            "my partner gave birth 8 days ago and tonight she's bleeding really heavily, she's soaked "
            "through two pads in under an hour",
            "en",
            EM,
            "after-birth-heavy-bleeding",
        ),
        (
            "ma femme a accouché il y a une semaine, elle a rempli deux serviettes en moins d'une heure "
            "avec des caillots gros comme une prune",
            "fr",
            EM,
            "after-birth-heavy-bleeding",
        ),
        ("my flatmate messaged that she's taken all her citalopram with vodka", "en", EM, None),
        ("mon ami m'écrit qu'il a avalé toute sa sertraline avec une bouteille de vin", "fr", EM, None),
        (
            "grandad is 86, since this morning he doesn't recognise the house and he's burning up",
            "en",
            EM,
            "fever-sepsis-signs",
        ),
        (
            "ma grand-mère a 90 ans, elle parle à des gens qui sont pas là et elle a 38,9",
            "fr",
            EM,
            "fever-sepsis-signs",
        ),
    ],
)
def test_round24_dev_emergencies(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # a stiff back, not a neck, and a light that bothers a migraine without a fever
        ("my back hurts when I bend down to tie my shoes", "en"),
        ("migraine avec la lumière qui me gêne, pas de fièvre, je vais m'allonger", "fr"),
        # a course of medicine finished as prescribed
        ("I've taken all my amoxicillin as prescribed, do I need another course?", "en"),
        ("j'ai pris toute mon amoxicilline comme prescrit, faut-il refaire une cure ?", "fr"),
        # the usual light bleeding after a birth
        ("had my baby two weeks ago, still some light bleeding, getting less each day", "en"),
        # heartburn after meals, rising to the throat with an acid taste
        (
            "ça me brûle derrière le sternum après chaque repas, ça remonte dans la gorge avec un goût acide",
            "fr",
        ),
        ("I get a burning behind my breastbone after meals with a sour taste in my mouth", "en"),
    ],
)
def test_round24_dev_look_alikes_are_not_emergencies(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level is not EM, (text, d.rules)


@pytest.mark.parametrize(
    "case",
    [
        (
            "enceinte de 33 SA, je ne sens presque plus bouger le bébé depuis ce matin",
            "fr",
            URG,
            "pregnancy-movements-waters-bleeding",
        ),
        (
            "enceinte de 31 SA, d'habitude il bouge beaucoup après le dîner mais là depuis hier presque rien",
            "fr",
            URG,
            "pregnancy-movements-waters-bleeding",
        ),
        (
            "34 weeks pregnant, usually she kicks loads in the evening but today almost nothing",
            "en",
            URG,
            "pregnancy-movements-waters-bleeding",
        ),
        ("my pee has come out red twice this week, no pain at all, I'm 67", "en", SOON, "urinary-blood"),
        ("70 ans, urines franchement rouges ce matin, aucune douleur", "fr", SOON, "urinary-blood"),
    ],
)
def test_round24_dev_needs_care(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


def test_a_baby_of_a_month_keeps_her_own_bleeding_when_no_birth_is_told(
    engine: ProtocolEngine, understander: Understander
) -> None:
    """The mother takes the bleeding only when a birth is told about her: a baby's own bleed stays the
    baby's, and is not read as a bleed after a birth."""
    d = decide(
        engine, understander, "our baby is a month old and she's bleeding a lot from a cut on her finger"
    )
    assert "after-birth-heavy-bleeding" not in d.rules, d.rules
