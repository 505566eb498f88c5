"""Under-triage mechanisms from round 17's dev data, checked on paraphrases written here, each beside a
look-alike that must keep its level:

- a new mother's voices, strange beliefs about the baby or racing speech, told by her partner: a "she" after
  "the baby" that reports a mental state is the mother (a baby cannot tell anyone it hears voices), and
  postpartum psychosis is an emergency (NHS: postpartum psychosis);
- spoken French negates a change of course from behind ("ça s'améliore pas"): a child's asthma attack that
  does not improve with repeated reliever is not read as improving (NHS asthma attack: 999 if the reliever
  is not helping); an oximeter "of" someone else ("le saturomètre de mon mari") still gives the reading;
- no stool and no wind said in two separate sentences, with a swollen tummy and vomiting, is a possible
  bowel obstruction (NHS: bowel obstruction, 999 / A&E);
- a new headache that wakes the person, is worse on coughing or bending and comes with vomiting or blurred
  sight is seen today (NICE CKS headache: features of raised pressure), "I never used to get headaches" tells
  of new ones; "she's 74." and "I'm 40" give ages (giant cell arteritis is over 50);
- a weak grip or trouble finding words that came and went is a transient neurological deficit;
- over-triage by the limb protocol: a limp after a sprain, a swollen hand after a sting, a hot swollen toe
  in known gout are not a child's unexplained limp, a swollen joint for the GP or a clot.
"""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.model import Progression
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, SC, URG
from tests.guardrails.triage.test_protocol_gaps import assert_decides, decide


@pytest.mark.parametrize(
    "case",
    [
        # postpartum: voices or delusions about the baby, told by the partner
        (
            "my partner gave birth ten days ago. since then the baby cries a lot and she says she hears a voice "
            "telling her that the baby is not really hers",
            "en",
            EM,
            "mental-health-postpartum-psychosis",
        ),
        (
            "ma compagne a accouché il y a 12 jours, le bébé dort mal et elle entend une voix qui lui dit de "
            "partir avec lui",
            "fr",
            EM,
            "mental-health-postpartum-psychosis",
        ),
        # look-alike: a voice that is really there; a tired new mother with no strange beliefs
        (
            "my sister had her baby last week, I can hear the neighbours telling their kids off",
            "en",
            None,
            None,
        ),
        # a child's asthma attack that is not improving with repeated reliever
        (
            "mon fils de 8 ans est asthmatique, il siffle, 6 bouffées de ventoline depuis une heure et ça "
            "s'améliore toujours pas, il respire vite",
            "fr",
            EM,
            None,
        ),
        # look-alike: the attack settled with the reliever
        (
            "mon fils de 8 ans est asthmatique, il sifflait ce soir, 4 bouffées de ventoline et ça s'est calmé, "
            "il respire normalement",
            "fr",
            None,
            None,
        ),
        # no stool, then no wind, in two sentences, with a swollen tummy and vomiting
        (
            "mon père n'est pas allé à la selle depuis 4 jours. Depuis ce matin il ne fait plus de gaz non plus. "
            "Son ventre est gonflé et il a vomi",
            "fr",
            EM,
            "abdomen-obstruction",
        ),
        (
            "my nan hasn't had a poo for four days. today she hasn't even passed wind, her tummy is swollen and "
            "she's been sick twice",
            "en",
            EM,
            "abdomen-obstruction",
        ),
        # raised-pressure headache features
        (
            "I've never been prone to headaches but for two weeks I've been waking up with a headache, bending "
            "down makes it throb and I threw up this morning",
            "en",
            URG,
            "headache-raised-pressure",
        ),
        (
            "je n'avais jamais eu de maux de tête avant, depuis 10 jours ils sont pires au réveil et j'ai vomi "
            "deux matins de suite",
            "fr",
            URG,
            "headache-raised-pressure",
        ),
        # giant cell arteritis: the age is read from "she's 78."
        (
            "my aunt, she's 78. she has a new headache at her temple and her jaw hurts when she chews",
            "en",
            URG,
            "headache-giant-cell-arteritis",
        ),
        # look-alike: the same headache words at 35 are not arteritis
        ("I'm 35. new headache at my temple since yesterday", "en", SC, None),
        # a weak grip and trouble finding words that passed: transient deficit, seen at least today
        (
            "hier ma mère (74 ans) n'arrivait plus à serrer la main droite et avait du mal à trouver ses mots, "
            "ça a duré 10 minutes et c'est revenu",
            "fr",
            "at-least-urgent",
            None,
        ),
        # limb over-triage look-alikes
        ("son 13 sprained his ankle at rugby, bit swollen, he's limping but can walk", "en", SC, None),
        (
            "my daughter (9) got stung by a bee on the hand, it's swollen and red, she's fine otherwise",
            "en",
            SC,
            None,
        ),
        (
            "ma crise de goutte est revenue au gros orteil droit, rouge, chaud et gonflé, comme les fois d'avant",
            "fr",
            "below-urgent",
            None,
        ),
    ],
)
def test_round17_under_triage_mechanisms(
    engine: ProtocolEngine,
    understander: Understander,
    case: tuple[str, Language, TriageLevel | str | None, str | None],
) -> None:
    text, lang, level, criterion = case
    if level == "at-least-urgent":
        assert decide(engine, understander, text, lang).level in (URG, EM), text
        return
    if level == "below-urgent":  # known gout is not a clot
        assert decide(engine, understander, text, lang).level not in (URG, EM), text
        return
    if level is None:  # a look-alike: not an emergency (an asthma attack that settled is still seen today)
        assert decide(engine, understander, text, lang).level is not EM, text
        return
    assert isinstance(level, TriageLevel)
    assert_decides(engine, understander, (text, lang, level, criterion))


def test_a_mental_state_after_the_baby_is_the_mothers(understander: Understander) -> None:
    u = understander.understand(
        "my wife had our baby a week ago. she barely sleeps even when the baby sleeps, and she keeps saying "
        "the baby was switched at the hospital",
        language="en",
    )
    wife = next(s for s in u.subjects if s.relation.value == "partner")
    psychosis = [f for f in u.findings if f.concept == "psychosis"]
    assert psychosis and all(f.subject == wife.index for f in psychosis)


def test_a_fever_after_the_baby_stays_the_babys(understander: Understander) -> None:
    u = understander.understand("my wife says the baby feels hot, she's 38.5", language="en")
    baby = next(s for s in u.subjects if s.relation.value == "child")
    assert any(v.subject == baby.index for v in u.vitals)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sa toux s'améliore pas depuis hier", False),
        ("sa toux s'améliore toujours pas", False),
        ("sa toux s'améliore depuis hier", True),
    ],
)
def test_french_negation_after_the_verb(understander: Understander, text: str, expected: bool) -> None:
    u = understander.understand(text, language="fr")
    cough = next(f for f in u.findings if f.concept == "cough")
    assert (cough.progression is Progression.IMPROVING) is expected


def test_an_oximeter_of_someone_else_gives_the_reading(understander: Understander) -> None:
    u = understander.understand("ma fille tousse, l'oxymètre de ma voisine indique 92", language="fr")
    assert [v.value for v in u.vitals if v.kind.value == "spo2"] == [92.0]


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("my uncle, he's 81. he fell", 81.0),
        ("I'm 52 and my knee hurts", 52.0),
        ("his temp is 39. he's hot", None),
    ],
)
def test_ages_said_with_a_pronoun(understander: Understander, text: str, age: float | None) -> None:
    u = understander.understand(text, language="en")
    ages = [s.age_years for s in u.subjects if s.age_years is not None]
    assert ages == ([age] if age is not None else [])
