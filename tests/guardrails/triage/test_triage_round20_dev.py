"""Triage mechanisms from round 20's dev data, checked on paraphrases written here, each beside a look-alike
that must not move.

- an oximeter named with its owner between it and the reading ("the finger clip we bought says 90");
- breathlessness told as "can only get two or three words out";
- a sedative taken again by someone who forgot the first dose, or tablets counted missing from the strip,
  with a person hard to rouse and breathing slowly;
- a child who chewed some of an adult's tablets, well for now (poisoning: emergency whatever the look);
- empty blister packs found beside someone drowsy;
- voices that "are back" and tell him things, reported by the writer ("he told me…"), with a knife taken
  to his room;
- black poo put down to food or iron in someone on a blood thinner or an antiplatelet;
- a pain whose severity and suddenness words sit between it and its site ("une douleur très violente
  d'un coup dans le ventre").
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
        # a child's asthma attack with a low saturation read from a home oximeter
        (
            "my daughter is 7 with asthma, wheezing all evening, the finger clip we bought says 90",
            "en",
            EM,
            "breathing-low-oxygen",
        ),
        (
            "asthma flare, blue inhaler every hour, he can only get two or three words out at a time",
            "en",
            EM,
            None,
        ),
        # an older person who took a sedative twice, now hard to rouse with slow breathing
        (
            "grandad forgot he'd had his sleeping pills and took a few more. we can hardly rouse him and "
            "his breathing is very slow",
            "en",
            EM,
            "poisoning-unconscious",
        ),
        (
            "ma grand-mère a oublié qu'elle avait pris ses somnifères et en a repris plusieurs, elle est "
            "très somnolente",
            "fr",
            EM,
            "poisoning-unconscious",
        ),
        # a toddler who chewed an adult's heart tablets, seemingly well
        (
            "my 2 year old chewed a few of his grandad's heart tablets, he's running around happily",
            "en",
            EM,
            None,
        ),
        # empty blister packs found beside a drowsy young man
        (
            "j'ai trouvé mon frère dans le salon avec trois plaquettes vides à côté de lui, il est somnolent",
            "fr",
            EM,
            "poisoning-unconscious",
        ),
        # slow breathing in someone who will not wake properly, whatever the cause
        ("my flatmate is really drowsy after a night out and her breathing seems slow", "en", EM, None),
        # command voices with a weapon taken to his room, reported by his mother
        (
            "my son is 22. he told me the voices are back and they keep telling him to hurt himself. "
            "he has taken a sharp knife up to his bedroom",
            "en",
            EM,
            "mental-health-danger",
        ),
        # black poo explained away, on an antiplatelet, with dizziness on standing
        (
            "my wife is 66 and on clopidogrel. she's had black sticky poos since Sunday, she says it's the "
            "liquorice. she went dizzy and grey getting up from the sofa",
            "en",
            EM,
            "bleeding-massive",
        ),
        # ... and without dizziness: still a bleed to check today, not iron-tablet self-care
        (
            "I take apixaban, black poos for two days but I've started iron tablets so it's probably that, "
            "I feel well",
            "en",
            URG,
            "bleeding-gut",
        ),
        # sudden, violent pain whose site comes after the severity words, with paleness
        (
            "mon mari a une douleur atroce d'un coup dans le ventre, il est tout pâle et en sueur",
            "fr",
            EM,
            None,
        ),
    ],
)
def test_round20_dev_emergencies(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # taking a forgotten dose later, feeling fine: not an overdose
        ("I forgot my tablets at home this morning and took them when I got back, feel fine", "en"),
        # black poo on iron tablets, no blood thinner, feeling well: self-care
        ("black poo since I started iron tablets last week, I feel fine", "en"),
        # slow breathing as a calming exercise is not a sign
        ("I do slow breathing exercises when I'm stressed, they help", "en"),
        # a knife in the kitchen with no crisis
        ("I took the bread knife to the kitchen to slice the loaf", "en"),
        # a voice that came back after laryngitis
        ("my voice is back after the laryngitis, just a tickly throat", "en"),
    ],
)
def test_round20_dev_look_alikes_are_not_emergencies(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level is not EM, (text, d.rules)
    assert "poisoning-unconscious" not in d.rules and "mental-health-danger" not in d.rules


def test_explained_black_poo_without_thinner_stays_self_care(
    engine: ProtocolEngine, understander: Understander
) -> None:
    d = decide(engine, understander, "black poo since I started iron tablets last week, I feel fine")
    assert d.level is SC, d.rules


def test_severity_words_do_not_part_a_pain_from_its_site(understander: Understander) -> None:
    u = understander.understand(
        "il a une douleur très violente d'un coup dans le ventre", language="fr", today=TODAY
    )
    assert "abdominal_pain" in {f.concept for f in u.findings}
    # a site far away for other reasons still does not compose
    far = understander.understand(
        "il a une douleur au genou depuis hier soir quand il marche et aussi il a mangé trop de ventre de porc",
        language="fr",
        today=TODAY,
    )
    assert "abdominal_pain" not in {f.concept for f in far.findings}


def test_voices_he_told_me_about_are_his(understander: Understander) -> None:
    u = understander.understand(
        "my brother is 30. last night he told me the voices are back", language="en", today=TODAY
    )
    voices = [f for f in u.findings if f.concept == "hallucinations"]
    assert voices and voices[0].subject != 0


@pytest.mark.parametrize(
    "case",
    [
        # a US thermometer read bare, in Fahrenheit, in a 4-month-old
        ("my 4 month old has a cold, the ear thermometer says 102.4", "en", URG, "fever-3-to-6-months-high"),
        # a baby's age in weeks told as "a 6 semaines"
        ("mon fils a tout juste 5 semaines, il a 38,4 en rectal", "fr", URG, "fever-under-3-months"),
        # jabs still to come do not explain a young baby's fever
        (
            "my 9 week old is hot, 38.3 under the arm, his 12 week jabs aren't until next month",
            "en",
            URG,
            "fever-under-3-months",
        ),
        # feeding less is amber (same day), not red; with no wet nappies it is red
        (
            "my 4 month old has 38.5 and is only taking half his usual bottles",
            "en",
            URG,
            "fever-infant-feeding-less",
        ),
        (
            "ma fille de 4 mois a 38,6, elle boit à peine et n'a pas mouillé de couche depuis ce matin",
            "fr",
            EM,
            "fever-infant-red-signs",
        ),
        # weeks of changed bowels at 60-plus: a GP appointment, not self-care
        (
            "I'm 66 and for about 7 weeks my bowels have gone looser, I've lost some weight too",
            "en",
            SOON,
            None,
        ),
        # a few jerks in a faint at a blood test, recovered at once: an ordinary faint
        (
            "my son went pale and fainted while they took blood, a few jerks of his arms, then he came "
            "straight round and was fine after a drink",
            "en",
            SC,
            None,
        ),
        (
            "ma fille s'est évanouie à la vue de l'aiguille, quelques secousses, elle est revenue à elle "
            "tout de suite. le mot convulsion me fait peur",
            "fr",
            SC,
            None,
        ),
        # a faint in a race with a relative who died suddenly young: seen today
        (
            "my son is 17, he collapsed mid-race yesterday and came round quickly. his uncle died suddenly "
            "at 32",
            "en",
            URG,
            "faint-exertion-or-family",
        ),
        # sight lost in one eye, told with French negation inside the words
        ("mon père ne voyait plus rien de cet œil depuis une heure", "fr", EM, None),
        # Bell's palsy with a mouth that feels clumsy is not unsteadiness
        (
            "since this morning the left side of my face has dropped, I can't wrinkle my forehead on that "
            "side and my lips feel clumsy when I drink; arms and legs fine",
            "en",
            URG,
            "neuro-bells-palsy",
        ),
    ],
)
def test_round19_and_20_dev_levels(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


def test_fahrenheit_needs_a_temperature_context_and_not_a_room(understander: Understander) -> None:
    u = understander.understand("my son is 7, he's in room 102.5 for his leg", language="en", today=TODAY)
    assert not u.vitals


def test_a_panic_crise_is_not_a_fit(understander: Understander) -> None:
    u = understander.understand(
        "hier j'ai encore eu une crise où mon cœur s'emballe et j'ai l'impression d'étouffer",
        language="fr",
        today=TODAY,
    )
    assert "seizure" not in {f.concept for f in u.findings}
    fit = understander.understand(
        "mon fils a fait une crise hier soir, il est tout raide", language="fr", today=TODAY
    )
    assert "seizure" in {f.concept for f in fit.findings}


@pytest.mark.parametrize(
    "case",
    [
        # a wrist that looks bent after a fall: a possible fracture, seen today
        (
            "my daughter is 10, she landed on her hand off the climbing frame and her wrist looks a bit "
            "crooked now, she won't use it",
            "en",
            URG,
            "injury-fracture-or-deep",
        ),
        (
            "mon fils de 8 ans est tombé du vélo, son poignet a l'air tout de travers",
            "fr",
            URG,
            "injury-fracture-or-deep",
        ),
        # a deep cut whose skin parts, bleeding stopped: stitches today
        (
            "je me suis entaillé le pouce en coupant du pain, c'est profond et la peau s'écarte",
            "fr",
            URG,
            "injury-fracture-or-deep",
        ),
        # an urge with nothing coming out: retention, not tummy swelling on its own
        (
            "mon mari a pas réussi à faire pipi depuis ce midi, il a envie mais rien ne sort",
            "fr",
            None,
            "urinary-retention",
        ),
        # chest-wall pain when breathing deeply is not breathlessness
        (
            "j'ai mal aux côtes à gauche depuis que j'ai porté des cartons, ça fait mal quand j'appuie et "
            "quand je respire fort, pas essoufflé",
            "fr",
            SC,
            None,
        ),
        # pink urine told after the toilet visit ("…et ce matin c'était rose") is blood in the urine
        (
            "ça pique quand je fais pipi depuis deux jours, j'y cours tout le temps, et hier soir c'était tout rose",
            "fr",
            SOON,
            "urinary-blood",
        ),
        # burning when peeing, in slang, with a discharge in a man: seen within days
        ("homme 40 ans, ça me brûle quand je pisse depuis 4 jours", "fr", SOON, None),
        # "ça m'empoisonne la vie" is not a poisoning
        (
            "j'ai des ballonnements depuis des mois, ça m'empoisonne la vie, pas de sang, pas de perte de poids",
            "fr",
            None,
            None,
        ),
    ],
)
def test_round20_dev_readings(
    engine: ProtocolEngine,
    understander: Understander,
    case: tuple[str, Language, TriageLevel | None, str | None],
) -> None:
    text, lang, level, criterion = case
    d = decide(engine, understander, text, lang)
    if level is not None:
        assert d.level is level, (text, d.level, d.rules)
    else:
        assert d.level is not EM or criterion is not None, (text, d.rules)
    if criterion is not None:
        assert criterion in d.rules, (text, d.rules)
    assert not any(r.startswith("poisoning") for r in d.rules), (text, d.rules)
