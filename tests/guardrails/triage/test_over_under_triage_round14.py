"""Over- and under-triage mechanisms from round 14's dev data, checked on paraphrases written here, each
beside a look-alike that must keep its level: a heavy bleed that has stopped with pressure, a nosebleed
that will not stop (A&E today, not the emergency number, unless faint), nosebleeds that keep coming back
(see a GP), dark poo on iron tablets, "rien d'engourdi" read as a negation, and a hypo whose later
readings ("then 0,88, now 1,20") show it has been corrected."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.stage import Understander
from tests.guardrails.triage.test_protocol_gaps import assert_decides

EM, URG, SOON, SC = (TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.SOON, TriageLevel.SELF_CARE)


@pytest.mark.parametrize(
    "case",
    [
        # a heavy-looking nosebleed that stopped with pressure
        (
            "my son's nose bled in the night, there was blood all over his sheets, but it stopped once we "
            "pinched it for ten minutes and he's fine now",
            "en",
            SC,
            "bleeding-nose-simple",
        ),
        (
            "ma fille a saigné du nez cette nuit, du sang partout sur l'oreiller, ça s'est arrêté en appuyant "
            "10 minutes et elle va très bien",
            "fr",
            SC,
            "bleeding-nose-simple",
        ),
        # look-alike: a bleed that will not stop stays an emergency; a stopped bleed with dizziness too
        ("I cut my leg on a saw, there's blood everywhere and it won't stop", "en", EM, None),
        (
            "deep cut on my leg, blood was spurting everywhere, we pressed on it and it stopped but I feel dizzy",
            "en",
            EM,
            None,
        ),
        # a nosebleed still running after 15+ minutes of pressure: A&E today
        (
            "my nose has been bleeding for 20 minutes and it won't stop even though I'm pinching it",
            "en",
            URG,
            "bleeding-nose-not-stopping",
        ),
        # look-alike: the same with faintness on a blood thinner is an emergency
        (
            "my nose has been pouring for half an hour despite pinching it, I'm on apixaban, and now I feel faint",
            "en",
            EM,
            None,
        ),
        # nosebleeds several times a week: see a GP in the next days
        (
            "my 6 year old keeps getting nosebleeds, three or four a week for the last month, they stop with "
            "pinching",
            "en",
            SOON,
            None,
        ),
        (
            "mon fils de 10 ans saigne du nez 3 ou 4 fois par semaine depuis trois semaines, ça s'arrête en "
            "appuyant",
            "fr",
            SOON,
            None,
        ),
        # look-alike: a second nosebleed this week, stopping with pressure, stays self-care
        (
            "mon fils de 8 ans saigne du nez pour la deuxième fois cette semaine, ça s'arrête en pinçant",
            "fr",
            SC,
            None,
        ),
        # look-alike: a single nosebleed that stopped stays self-care
        ("my nose bled this morning for five minutes, it stopped when I pinched it", "en", SC, None),
        # dark poo on iron tablets, feeling well
        (
            "the GP put me on iron tablets ten days ago and my stools have turned really dark, I feel fine, no "
            "tummy pain, not dizzy",
            "en",
            SC,
            "bleeding-black-stool-explained",
        ),
        (
            "je prends des comprimés de fer depuis dix jours et mon caca est tout noir, pas mal au ventre, je me sens bien",
            "fr",
            SC,
            "bleeding-black-stool-explained",
        ),
        # look-alike: dark poo with no iron and dizziness is not self-care
        ("my stools have turned really dark since yesterday and I feel dizzy and weak", "en", EM, None),
        ("mon caca est tout noir depuis deux jours, je ne prends aucun médicament", "fr", URG, None),
        # "rien d'engourdi entre les jambes" is a negation: sciatica with a weak foot, no cauda equina
        (
            "sciatique à droite depuis 3 semaines, mon pied droit traîne de plus en plus, je n'arrive plus à "
            "marcher sur le talon. je fais pipi normalement, rien d'engourdi entre les jambes",
            "fr",
            URG,
            None,
        ),
        # look-alike: numbness between the legs said as present stays an emergency
        (
            "sciatique depuis une semaine et depuis ce matin c'est engourdi entre les jambes et j'ai du mal à "
            "uriner",
            "fr",
            EM,
            None,
        ),
        # a hypo whose later readings came back up, feeling well
        (
            "diabétique de type 1, après le vélo j'étais à 0,52 g/l avec des sueurs, j'ai pris du sucre, 15 "
            "minutes après 0,88 puis 1,20, je me sens bien",
            "fr",
            SC,
            "diabetes-hypo-treated",
        ),
        (
            "type 1 diabetic, sugar was 2.9 mmol after my swim, shaky and sweaty, had some juice. 15 min later "
            "then 4.8 and now 6.3, feeling fine",
            "en",
            SC,
            "diabetes-hypo-treated",
        ),
        # look-alike: a low reading with symptoms now, nothing after it
        ("type 1, my sugar is 2.9 and I'm shaky and sweaty right now", "en", URG, "diabetes-hypo-symptoms"),
    ],
)
def test_round14_over_and_under_triage_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)
