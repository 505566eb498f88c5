"""Triage mechanisms from round 26's dev data (French under-triage), checked on paraphrases written here (not
the dev sentences), each beside a look-alike that must not move.

- Spoken French drops the "ne" of a negation ("j'arrive plus à ouvrir la bouche", "il peut pas poser le
  pied", "je sens plus rien au niveau des fesses"); the folded text puts it back before the verbs symptom
  messages negate most, so the lexicon's full forms read it (data/spelling.yaml, ``contextual``), never when
  "plus" compares ("il bouge plus que d'habitude") and never in "j'en peux plus".
- French lay forms the English side already had: blood named before "dans les urines" (nhs.uk "Blood in
  urine": GP within days; Ameli "Hématurie"), bleeding in early pregnancy after the weeks and a comma or seen
  "quand je m'essuie" (nhs.uk "Vaginal bleeding in pregnancy"; Ameli "Saignements pendant la grossesse"), a
  small burn told reflexively or with what burned (nhs.uk "Burns and scalds"), positional vertigo as "tout
  se met à tourner" (nhs.uk "BPPV"), a bump "derrière la tête" (NICE NG232), "je sens plus trop bébé"
  (nhs.uk / RCOG "Baby's movements": maternity unit now), jaw pain "quand je mange" and a tender scalp
  (NICE CKS "Giant cell arteritis": same day), a boil that grows, red and hot with throbbing pain (nhs.uk
  "Skin abscess"; with fever, same day).
- A fever felt on someone else ("she feels hot", "elle est toute chaude") is the fever that makes new
  confusion a sepsis sign (NICE NG51).
"""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel, level_rank
from assistant.understanding.measures import find_vitals
from assistant.understanding.model import VitalKind
from assistant.understanding.stage import Understander
from assistant.understanding.text import fold
from tests.guardrails.triage.levels import EM, SC, SOON, URG
from tests.guardrails.triage.test_protocol_gaps import assert_decides, decide


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("j'arrive plus à ouvrir la bouche", "je n arrive plus a ouvrir la bouche"),
        ("il peut pas poser le pied par terre", "il ne peut pas poser le pied par terre"),
        ("je sens plus mes orteils", "je ne sens plus mes orteils"),
        ("elle arrive pas à avaler", "elle n arrive pas a avaler"),
    ],
)
def test_the_dropped_ne_of_spoken_french_is_put_back(text: str, expected: str) -> None:
    assert fold(text, language="fr") == expected
    assert fold(expected, language="fr") == expected  # idempotent


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("il bouge plus que d'habitude", "fr", "il bouge plus que d habitude"),
        ("j'en peux plus de cette toux", "fr", "j en peux plus de cette toux"),
        ("je ne peux pas venir mardi", "fr", "je ne peux pas venir mardi"),
        ("il peut pas venir mardi", "en", "il peut pas venir mardi"),  # another language's table: untouched
    ],
)
def test_comparisons_fixed_phrases_and_full_forms_stay_as_written(
    text: str, lang: Language, expected: str
) -> None:
    assert fold(text, language=lang) == expected


@pytest.mark.parametrize(
    "case",
    [
        ("je me suis tordu le genou au foot, j'arrive pas à marcher dessus depuis", "fr", URG, None),
        ("mal au dos depuis hier et je sens plus rien entre les fesses", "fr", EM, "back-cauda-equina"),
        (
            "angine depuis 4 jours et c'est pire, j'arrive plus à ouvrir la bouche, très mal d'un côté, 39",
            "fr",
            URG,
            "ent-quinsy-mastoid-hearing",
        ),
        (
            "j'ai 70 ans, du sang bien rouge dans les urines ce matin, aucune douleur",
            "fr",
            SOON,
            "urinary-blood",
        ),
        ("enceinte de 9 semaines, léger saignement brun ce matin, pas de douleur", "fr", URG, None),
        ("je suis à 37 SA et je sens plus vraiment mon bébé depuis hier soir", "fr", URG, None),
        (
            "68 ans, mal à la tempe gauche depuis 10 jours, et quand je mâche la mâchoire se fatigue vite",
            "fr",
            URG,
            "headache-giant-cell-arteritis",
        ),
        (
            "un bouton dans le pli de l'aine qui a grossi depuis lundi, rouge, chaud, ça lance, 38,4 ce soir",
            "fr",
            URG,
            "skin-cellulitis",
        ),
        (
            "mon fils de 12 ans est tombé du trampoline, grosse bosse derrière la tête, il a vomi trois fois",
            "fr",
            EM,
            "head-injury-red-flags",
        ),
        (
            "my dad is 86, since this morning he doesn't know where he is or what day it is, and he feels hot "
            "to the touch",
            "en",
            EM,
            "fever-sepsis-signs",
        ),
        (
            "mon père a 85 ans, depuis hier il ne sait plus quel jour on est, il est tout chaud et ne boit rien",
            "fr",
            EM,
            "fever-sepsis-signs",
        ),
    ],
)
def test_round26_dev_french_lay_forms_reach_their_protocol(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    ("text", "lang", "lowest"),
    [
        ("quand je tourne la tête ou que je me couche, tout se met à tourner quelques secondes", "fr", SC),
        ("je me suis brûlé le doigt sur la plaque, c'est rouge, pas de cloque", "fr", SC),
    ],
)
def test_round26_dev_minor_problems_are_read_not_missed(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language, lowest: TriageLevel
) -> None:
    d = decide(engine, understander, text, lang)
    assert level_rank(d.level) >= level_rank(lowest), (text, d.level, d.rules)
    assert d.level is not EM, (text, d.rules)


@pytest.mark.parametrize(
    ("text", "lang", "highest"),
    [
        ("enceinte de 30 semaines, il bouge plus que d'habitude ce soir, c'est normal ?", "fr", SC),
        ("ma fille de 3 semaines saigne un peu du nombril", "fr", SOON),
        ("tout tourne bien au boulot, je voulais juste un rendez-vous", "fr", TriageLevel.NONE),
        ("j'ai des brûlures d'estomac après les repas de fête", "fr", SOON),
        ("she feels hot and bothered about her exam tomorrow", "en", TriageLevel.NONE),
    ],
)
def test_round26_dev_look_alikes_stay_low(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language, highest: TriageLevel
) -> None:
    d = decide(engine, understander, text, lang)
    assert level_rank(d.level) <= level_rank(highest), (text, d.level, d.rules)


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("depuis une semaine le soir j'ai 38,6 et je transpire", "fr", 38.6),
        ("il a 39,2 au réveil ce matin", "fr", 39.2),
        ("at night I'm up to 38.4 and shivering", "en", 38.4),
    ],
)
def test_a_decimal_a_person_has_in_the_evening_is_a_temperature(
    text: str, lang: Language, value: float
) -> None:
    vitals = find_vitals(fold(text, language=lang), lang)
    assert [v.value for v in vitals if v.kind is VitalKind.TEMPERATURE] == [value]


def test_an_age_or_a_weight_is_not_a_temperature() -> None:
    for text in ("j'ai 38 ans et le soir je suis fatigué", "le soir j'ai 38,5 kg sur la balance"):
        temps = [v for v in find_vitals(fold(text, language="fr"), "fr") if v.kind is VitalKind.TEMPERATURE]
        assert not temps, text


def test_back_pain_with_an_evening_temperature_is_seen_today(
    engine: ProtocolEngine, understander: Understander
) -> None:
    d = decide(
        engine,
        understander,
        "j'ai 61 ans, mal au milieu du dos depuis 10 jours, de pire en pire, et le soir j'ai 38,4",
        "fr",
    )
    assert d.level is URG and "back-red-flags" in d.rules, (d.level, d.rules)


def test_a_feverish_child_eating_little_but_drinking_well_stays_home_care(
    engine: ProtocolEngine, understander: Understander
) -> None:
    d = decide(
        engine,
        understander,
        "mon fils de 5 ans a 38,7 depuis hier avec un rhume, il mange pas beaucoup mais il boit bien et il joue",
        "fr",
    )
    assert level_rank(d.level) <= level_rank(SC), (d.level, d.rules)
    worse = decide(
        engine, understander, "mon bébé de 9 mois a 38,7 et il boit plus rien depuis ce matin", "fr"
    )
    assert level_rank(worse.level) >= level_rank(URG), (worse.level, worse.rules)
