"""Mechanisms added on the round-7 triage failures (dev data), each checked on paraphrases written here.

Each case names a general mechanism — a lexicon reading, a context cue, a criterion, a subject rule — and
pairs it, where it matters, with a look-alike that must not move.
"""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.model import Relation
from assistant.understanding.stage import Understander
from tests.guardrails.triage.test_protocol_gaps import TODAY, assert_decides

EM, URG, SOON, SC = TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.SOON, TriageLevel.SELF_CARE


@pytest.mark.parametrize(
    "case",
    [
        # "never had cancer": the verb is not part of the concept, so the negation reaches it
        (
            "sore lower back for a fortnight after moving house, no leg pain, never had cancer, 44",
            "en",
            SC,
            None,
        ),
        # saddle numbness said with several parts, and a bladder that barely empties
        (
            "sciatica in both legs since Monday, my bottom and between my legs have gone numb and hardly anything comes out when I pee",
            "en",
            EM,
            "back-cauda-equina",
        ),
        # a baby's sunken soft spot said at a distance
        (
            "my 7 month old has had diarrhoea for 3 days and the soft spot on his head seems sunken",
            "en",
            EM,
            None,
        ),
        # French texting without "ne": sentences, recession, grey lips, an inhaler that "fait rien"
        (
            "ma fille 6 ans crise d'asthme, la ventoline ça fait rien, elle arrive plus à finir ses phrases et ses lèvres sont un peu grises",
            "fr",
            EM,
            None,
        ),
        # purple pinpoint spots in a feverish toddler
        ("mon fils 2 ans a 39,5 et des petits points violets sur les jambes", "fr", EM, None),
        # a hypo with confusion and no safe swallow: trying to give juice is not a treated hypo
        (
            "ma mère diabétique, le lecteur affiche 0,50 g/L, elle répond à côté et elle avale de travers quand je lui donne du jus",
            "fr",
            EM,
            "diabetes-severe-hypo",
        ),
        # sudden loss of sight said without "ne", a curtain that has come down
        ("je vois plus rien de l'oeil gauche depuis ce matin, un voile noir est tombé", "fr", EM, None),
        # reduced movements with "sent presque plus"
        ("enceinte de 34 semaines, je sens presque plus bouger le bébé depuis hier soir", "fr", URG, None),
        # a headbutt at sport with a lump and no warning sign
        (
            "ma fille a pris un coup de tête au handball, petite bosse au front, pas de vomissement, elle va bien",
            "fr",
            SC,
            None,
        ),
        # a swollen knee for weeks is a joint problem, not a clot; the leg below the knee still is one
        ("genou gauche gonflé depuis un mois, pas de choc, pas de fièvre", "fr", SOON, "limb-joint-weeks"),
        ("my right leg is swollen from the knee down since yesterday, no injury", "en", URG, "limb-dvt"),
        # a tummy bug with cramps is not a kidney stone; vomiting with tummy pain and no diarrhoea still counts
        (
            "gastro since yesterday, sick twice, diarrhoea every few hours, mild cramps before the loo, drinking ok",
            "en",
            SC,
            None,
        ),
        # heavy period: a pad and a tampon every hour with clots and light-headedness
        (
            "period much heavier than usual, going through a pad and tampon every hour with big clots and I feel lightheaded",
            "en",
            URG,
            "genital-heavy-bleeding-faint",
        ),
        # a red painful eye in a contact-lens wearer with light hurting it
        (
            "left eye red and gritty since I slept in my lenses, light makes it hurt and it's blurry",
            "en",
            URG,
            "eye-glaucoma-or-keratitis",
        ),
        # reflux told as such stays self-care; with an arm or sweating it is the heart until proved otherwise
        (
            "burning in my chest after a big dinner, rises into my throat with a sour taste, not sweaty, not short of breath",
            "en",
            SC,
            None,
        ),
        (
            "burning in my chest after dinner and now the pain goes into my left arm and I'm sweating",
            "en",
            EM,
            None,
        ),
        # round 8 (French): confusion said as "sentences that make no sense", a reading after a colon
        (
            "mon père diabétique transpire, il dit des phrases qui n'ont pas de sens, dextro : 0,38 g/L",
            "fr",
            EM,
            "diabetes-severe-hypo",
        ),
        # an inability is a finding: "je n'arrive plus à relever le pied" (worse week after week)
        (
            "sciatique depuis 3 semaines et depuis quelques jours je n'arrive plus à relever le pied droit, ça empire",
            "fr",
            URG,
            None,
        ),
        # the back of the head knocked, on a blood thinner, at 80
        (
            "mon grand-père a 80 ans, sous Eliquis, il s'est tapé l'arrière de la tête contre le placard, il va bien",
            "fr",
            URG,
            None,
        ),
        # "bb" is a baby in French texting
        ("bb de 2 mois, 38,4 ce soir, il tète moins", "fr", URG, "fever-under-3-months"),
        # months of heavy periods, tired, breathless on stairs: anaemia, see the GP within days
        (
            "depuis 3-4 mois règles énormes, je change ma serviette toutes les heures, crevée, essoufflée dans les escaliers",
            "fr",
            SOON,
            "breathing-exertion-with-heavy-periods",
        ),
        # French reflux after meals, relieved by an antacid
        (
            "des brûlures qui remontent dans la gorge après les repas, le Gaviscon soulage, pas essoufflé",
            "fr",
            SC,
            None,
        ),
        # "feels like he's been hit by a bus" is how flu feels, not an accident
        (
            "my husband (42) has a sore throat and aches, says he feels like he's been hit by a truck, drinking fine",
            "en",
            SC,
            None,
        ),
        # an adult son's age in brackets: a walkable sprain is self-care, not a child's limp
        ("my son (24) twisted his ankle at football, swollen, he can walk on it", "en", SC, None),
        # heart failure: puffier ankles and a fast weight gain are not the usual breathlessness
        (
            "my mum has heart failure, her ankles are puffier and she's put on 2kg in 3 days, more puffed on the stairs",
            "en",
            URG,
            None,
        ),
        # a urine infection in a man is never simple cystitis; "chez moi" does not make it the writer's
        (
            "pour mon père (70 ans) qui vit chez moi : ça le brûle quand il fait pipi depuis hier, pas de fièvre",
            "fr",
            SOON,
            "urinary-men-or-lasting",
        ),
        ("it stings when I pee since this morning, I'm 28, no fever, no back pain", "en", SC, None),
        # a gaping cut said in French, and an earache a child complains of
        ("mon fils s'est coupé la main, la plaie bâille quand il ouvre la main", "fr", URG, None),
        ("ma fille se plaint de l'oreille depuis hier, 38,2, elle mange bien", "fr", SC, None),
        # a fictional patient in a French TV series
        (
            "dans Dr House un patient avait mal au bras gauche, ça arrive vraiment ?",
            "fr",
            TriageLevel.NONE,
            None,
        ),
    ],
)
def test_round7_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


def test_a_french_negation_reaches_over_an_elision() -> None:
    from tests.understanding.reading import understander as reading_understander

    understander = reading_understander()
    said = understander.understand(
        "je me sens vide depuis des semaines mais j'ai pas d'idées de me faire du mal",
        language="fr",
        today=TODAY,
    )
    assert not [s for s in said.signals if s.kind == "self_harm"]
    meant = understander.understand("j'ai des idées de me faire du mal", language="fr", today=TODAY)
    assert [s for s in meant.signals if s.kind == "self_harm"]


def test_a_time_with_about_or_a_range_is_not_an_age_but_months_old_is(understander: Understander) -> None:
    period = understander.understand(
        "depuis environ 6 mois mes règles sont très abondantes", language="fr", today=TODAY
    )
    assert all(s.age_years is None for s in period.subjects if s.relation is Relation.CHILD)
    assert not [s for s in period.subjects if s.relation is Relation.CHILD]
    for text in ("depuis 3-4 mois je suis essoufflée", "pas de rendez-vous avant 3 semaines, mal au dos"):
        said = understander.understand(text, language="fr", today=TODAY)
        assert not [s for s in said.subjects if s.relation is Relation.CHILD], text
    baby = understander.understand("my baby is about 6 months old and feverish", language="en", today=TODAY)
    ages = [s.age_years for s in baby.subjects if s.relation is Relation.CHILD]
    assert ages and ages[0] is not None and abs(ages[0] - 0.5) < 0.01
