"""Triage mechanisms from round 25's dev data, checked on paraphrases written here (not the dev sentences),
each beside a look-alike that must not move.

Missed emergencies:
- cauda equina told in lay words: no feeling when wiping after the toilet, and a stream that is slow to
  start, has to be pushed or does not empty (nhs.uk "Cauda equina syndrome": A&E now; NICE CKS "Sciatica");
- acute urinary retention: no urine "at all" for hours with a swollen lower tummy (nhs.uk "Urinary
  retention"; Ameli "Rétention aiguë d'urine");
- French breathlessness told as "du mal à reprendre son souffle", which turns a post-operative swollen calf
  into a clot in the lungs (NICE NG158; Ameli "Embolie pulmonaire") and a diabetic woman's "gêne dans la
  poitrine" with sweating into a possible heart attack (nhs.uk "Heart attack"; HAS);
- a child's head injury told as a fall "sur la tête" several words on, with sleepiness told as "veut dormir
  tout le temps" / "les yeux se ferment tout seuls" (NICE NG232; Ameli "Traumatisme crânien");
- ectopic pregnancy in French: a pain "en bas à gauche du ventre" and a near-faint "je me suis sentie
  partir" (NICE NG126; nhs.uk "Ectopic pregnancy").

Over-triage:
- "elle n'a pas l'air somnolente" denies the drowsiness (a minor bump, child well);
- one intake of paracetamol within the adult 4 g daily maximum, feeling well (nhs.uk "Paracetamol for
  adults"), and a dose taken as "two instead of one".

Also: "no wet nappy" / "hasn't had a wee" no longer opens the baby-dehydration protocol for an adult;
"4 and a half months" is a baby's age, not four years; a doubled dose at 75 or over is advice today.
"""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel, level_rank
from assistant.understanding.measures import find_ages
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, SOON, URG
from tests.guardrails.triage.test_protocol_gaps import assert_decides, decide

SELF = TriageLevel.SELF_CARE


@pytest.mark.parametrize(
    "case",
    [
        (
            "lumbago since Monday, and since last night when I wipe after a wee I can't properly feel it",
            "en",
            EM,
            "back-cauda-equina",
        ),
        (
            "sciatica for a month; today when he wiped after the loo he said it went numb round there",
            "en",
            EM,
            "back-cauda-equina",
        ),
        (
            "my back went when I lifted the sofa, and now when I pee the stream takes forever to start",
            "en",
            EM,
            "back-cauda-equina",
        ),
        (
            "bad back all week and I'm struggling to get a decent flow going, not sure I'm emptying my bladder",
            "en",
            EM,
            "back-cauda-equina",
        ),
        (
            "grandpa is 81, he hasn't passed any water at all since breakfast and his lower belly is swollen "
            "and sore",
            "en",
            EM,
            "urinary-retention-acute-painful",
        ),
        (
            "opérée de la hanche il y a 2 semaines, le mollet gauche a gonflé et ce soir j'ai du mal à "
            "reprendre ma respiration",
            "fr",
            EM,
            None,
        ),
        (
            "ma tante, 72 ans et diabétique, a une drôle de gêne dans la poitrine depuis une heure, elle est "
            "en sueur et a du mal à reprendre son souffle",
            "fr",
            EM,
            None,
        ),
        (
            "mon fils de 5 ans est tombé de la balançoire dans le jardin de sa mamie sur la tête, depuis il "
            "a vomi deux fois",
            "fr",
            EM,
            "head-injury-red-flags",
        ),
        (
            "ma fille de 4 ans s'est cogné la tête contre la table, maintenant elle veut dormir tout le temps",
            "fr",
            EM,
            "head-injury-red-flags",
        ),
        (
            "test de grossesse positif la semaine dernière, douleur en bas à gauche du ventre, je saigne un "
            "peu et je me suis sentie partir dans la cuisine",
            "fr",
            EM,
            None,
        ),
    ],
)
def test_round25_dev_emergencies(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    ("text", "lang", "highest"),
    [
        # wiping told without any numbness, or a slow stream without back trouble, stays what it was
        ("back ache after gardening; when I wipe everything feels normal and peeing is fine", "en", SELF),
        ("my dad is 70 and has to push a bit when he wees, getting up twice a night for months", "en", URG),
        # a minor bump, the child denied drowsy
        (
            "mon fils de 2 ans s'est cogné le front sur la table basse, il a une bosse, il n'a pas l'air "
            "somnolent, il joue et il mange",
            "fr",
            SELF,
        ),
        # paracetamol within the adult daily maximum, well
        (
            "mon mari a pris 2 Doliprane 1000 ce midi au lieu d'un seul, c'est tout pour aujourd'hui, "
            "il va bien",
            "fr",
            SELF,
        ),
        (
            "I took two 1 g paracetamol this morning rather than one, nothing else today, feel totally fine",
            "en",
            SELF,
        ),
        # a stitch while running, not breathlessness
        ("j'ai un point de côté quand je cours, ça passe en marchant", "fr", SELF),
    ],
)
def test_round25_dev_look_alikes_stay_low(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language, highest: TriageLevel
) -> None:
    d = decide(engine, understander, text, lang)
    assert level_rank(d.level) <= level_rank(highest), (text, d.level, d.rules)


@pytest.mark.parametrize(
    "case",
    [
        # fewer movements told against the baby's usual pattern (nhs.uk "Your baby's movements": same day)
        (
            "34 weeks, she's normally really wriggly after dinner but this evening barely anything",
            "en",
            URG,
            None,
        ),
        # a weak, pushed, unemptied stream in an older man for months (NICE CKS "LUTS in men")
        ("my dad is 72, for months his flow is weak and he never feels completely empty", "en", SOON, None),
        (
            "mon père a 70 ans, le jet est faible et il doit pousser pour uriner depuis des mois",
            "fr",
            SOON,
            None,
        ),
        # a low back pain running round to the groin, unbearable (nhs.uk "Kidney stones")
        (
            "une douleur horrible en bas du dos côté gauche, qui file vers l'aine, impossible de tenir en place",
            "fr",
            URG,
            "abdomen-renal-colic",
        ),
        (
            "agonising pain in my lower back on the right, going round to my groin, I can't sit still",
            "en",
            URG,
            None,
        ),
    ],
)
def test_round25_dev_needs_care(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


def test_paracetamol_over_the_daily_maximum_or_in_a_child_is_still_not_home_care(
    engine: ProtocolEngine, understander: Understander
) -> None:
    over = decide(engine, understander, "j'ai pris 6 Doliprane 1000 depuis ce matin, je vais bien", "fr")
    assert over.level is EM, over.rules
    child = decide(engine, understander, "my 4 year old was given two spoons of calpol instead of one", "en")
    assert level_rank(child.level) >= level_rank(URG), child.rules
    unwell = decide(
        engine, understander, "I took two 1 g paracetamol instead of one and now I'm being sick", "en"
    )
    assert level_rank(unwell.level) >= level_rank(URG), unwell.rules


def test_a_doubled_dose_at_75_or_over_is_advice_today(
    engine: ProtocolEngine, understander: Understander
) -> None:
    d = decide(
        engine,
        understander,
        "my nan is 86 and took her ramipril twice this morning by mistake, she's ok",
        "en",
    )
    assert d.level is URG, d.rules
    young = decide(
        engine, understander, "I took my hay fever tablet twice this morning by mistake, I feel fine", "en"
    )
    assert young.level is SELF, young.rules


def test_no_wee_in_an_adult_is_not_a_babys_dehydration(
    engine: ProtocolEngine, understander: Understander
) -> None:
    adult = decide(engine, understander, "my husband is 45 and hasn't had a wee since this morning", "en")
    assert "infant-dehydration" not in {o.protocol for o in adult.outcomes}, adult.rules
    baby = decide(
        engine, understander, "my baby is 5 months and hasn't had a wet nappy since breakfast", "en"
    )
    assert "infant-dehydration" in {o.protocol for o in baby.outcomes}, baby.rules
    assert level_rank(baby.level) >= level_rank(URG)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("my baby is 4 and a half months old", 0.375),
        ("she's 3 and a half weeks old and feeding less", 0.067),
        ("mon fils a 3 mois et demi", 0.292),
        ("ma fille a 2 ans et demi", 2.5),
    ],
)
def test_a_half_counts_in_an_age(text: str, years: float) -> None:
    ages = find_ages(text.lower().replace("'", " "))
    assert [a.years for a in ages] == [years]


@pytest.mark.parametrize(
    "text",
    [
        "back pain for 2 and a half years",
        "enceinte de 5 mois et demi",
        "depuis 3 ans et demi j'ai mal au dos",
    ],
)
def test_a_half_time_or_pregnancy_is_no_age(text: str) -> None:
    assert find_ages(text.lower().replace("'", " ")) == []


def test_a_baby_of_four_and_a_half_months_is_read_as_a_baby(understander: Understander) -> None:
    u = understander.understand(
        "my baby is 4 and a half months old and has a temperature of 38.6", language="en"
    )
    ages = [s.age_years for s in u.subjects if s.age_years is not None]
    assert ages == [0.375], u.subjects
