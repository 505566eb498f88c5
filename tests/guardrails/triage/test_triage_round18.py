"""Level mechanisms from round 18's dev data (disguised emergencies and messages about someone else), checked
on paraphrases written here, each beside a look-alike that must keep its level:

- a coin-cell battery missing from a device ("the scales are missing their round battery") is a possible
  swallowed button battery (nhs.uk: button batteries, A&E now even when the child seems well);
- an asthma attack where the reliever is taken every few minutes, the person can barely talk for breath and
  the lips look "kinda grey", or "3 mots max" in French, is an emergency (nhs.uk: asthma attack, 999);
- someone on insulin who can no longer swallow and dozes off in the chair, hard to rouse, is a severe hypo;
- a child who will not use an arm after a fall has a possible fracture (urgent); a sprained ankle that bears
  weight where pressing the bony bump does not hurt is not a deformity;
- shingles near the eye is seen today (nhs.uk: shingles), elsewhere within days;
- a head injury with one vomit and no blackout is A&E today, not 999 (nhs.uk: head injury; NICE NG232 scans
  for more than one vomit), while repeated vomiting or a blackout with vomiting stays an emergency; "a knee
  to the head" is a head injury;
- over-triage: mouth ulcers with spots on the hands and feet are hand, foot and mouth disease, not a severe
  drug reaction; pallor round the mouth beside flushed cheeks (scarlet fever) is not a pale, mottled child;
  a small cut that "stopped with a plaster" has stopped; drinking a lot with diarrhoea is not diabetic thirst;
- under-triage in French: dehydration signs said with a verb ("sa bouche est sèche", "pleure sans larmes",
  "qu'une couche mouillée"), a day with only a couple of fetal movements, sudden confusion told as a wrong
  year or "complètement à côté".
"""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, SC, SOON, URG
from tests.guardrails.triage.test_protocol_gaps import assert_decides, decide


@pytest.mark.parametrize(
    "case",
    [
        (
            "my 18 month old has ulcers in her mouth and red spots on her palms and soles, the childminder says "
            "hand foot and mouth, she's drinking",
            "en",
            SC,
            None,
        ),
        # look-alike: mouth sores with a rash spreading after a new medicine stay an emergency
        ("sores in my mouth and a blistering rash all over since starting a new antibiotic", "en", EM, None),
        (
            "my son is 7, 38.5, sore throat, a rough red rash on his chest, bright red cheeks and pale round the "
            "mouth, still drinking",
            "en",
            None,
            None,
        ),
        ("sliced my thumb opening a parcel, it bled for a minute but stopped with a plaster", "en", SC, None),
        (
            "mon fils de 3 ans a la diarrhée depuis hier, il boit énormément d'eau et il joue",
            "fr",
            SC,
            "diabetes-thirst-with-fluid-loss",
        ),
        (
            "ma fille de 9 mois a une gastro, depuis ce matin qu'une couche mouillée, sa bouche est sèche et elle "
            "pleure sans larmes",
            "fr",
            URG,
            None,
        ),
        (
            "enceinte de 34 semaines, d'habitude il bouge beaucoup, aujourd'hui presque rien, peut-être deux "
            "petits mouvements",
            "fr",
            URG,
            None,
        ),
        (
            "mon grand-père de 85 ans croit qu'on est en 1982 depuis ce matin, il est complètement à côté",
            "fr",
            URG,
            None,
        ),
        # look-alike: a nearby pharmacy is not confusion
        (
            "la pharmacie est complètement à côté de chez moi, je peux y aller pour mon rhume ?",
            "fr",
            SC,
            None,
        ),
    ],
)
def test_round18_over_and_under_triage(
    engine: ProtocolEngine,
    understander: Understander,
    case: tuple[str, Language, TriageLevel | None, str | None],
) -> None:
    text, lang, level, criterion = case
    if level is None:  # the pallor is not a red sign: whatever else it is, not an emergency
        assert decide(engine, understander, text, lang).level is not EM, text
        return
    assert_decides(engine, understander, (text, lang, level, criterion))


@pytest.mark.parametrize(
    "case",
    [
        # a missing coin cell, told the other way round
        (
            "my toddler was playing with the bathroom scales and now they're missing their little round "
            "battery, he seems happy enough",
            "en",
            EM,
            None,
        ),
        ("la balance de cuisine n'a plus sa pile plate et ma fille de 2 ans jouait avec", "fr", EM, None),
        # look-alike: a battery that is merely flat
        ("the pile in the TV remote is flat, I need to buy a button battery", "en", None, None),
        # reliever every few minutes, barely able to talk, greyish lips
        (
            "asthma playing up, I've been taking my reliever every couple of minutes since dinner and I can "
            "hardly talk now, my lips look sort of grey",
            "en",
            EM,
            None,
        ),
        (
            "crise d'asthme, j'ai pris 12 bouffées et j'arrive à sortir deux mots de suite max",
            "fr",
            EM,
            None,
        ),
        # look-alike: a sore throat that stops someone talking is not a breathing emergency
        ("my throat is so sore I can barely talk, no trouble breathing", "en", None, None),
        # severe hypo on insulin, told by the partner
        (
            "ma femme est sous insuline, elle transpire, elle dit des choses sans queue ni tête, elle n'arrive "
            "plus à avaler le jus et elle s'endort sur le canapé, je la réveille difficilement",
            "fr",
            EM,
            None,
        ),
        # a child not using an arm after a fall
        (
            "my daughter fell off the trampoline this morning and won't use her left arm, it's puffy above the "
            "wrist",
            "en",
            URG,
            "injury-fracture-or-deep",
        ),
        (
            "mon fils est tombé du vélo, il a le poignet gonflé et il ne veut plus se servir de son bras",
            "fr",
            URG,
            "injury-fracture-or-deep",
        ),
        # a sprain that bears weight, with the bony bump pressed and not tender
        (
            "je me suis tordu la cheville hier, elle a gonflé, je marche dessus, et quand j'appuie sur l'os qui "
            "dépasse ça ne fait pas mal",
            "fr",
            SC,
            None,
        ),
        # shingles near the eye, and away from it
        (
            "ma mère a des petites cloques en bande sur le front depuis hier qui descendent vers la paupière, "
            "ça brûle, c'est un zona",
            "fr",
            URG,
            "rash-shingles-eye",
        ),
        (
            "I think I've got shingles, a band of blisters round my left side, nowhere near my eye",
            "en",
            SOON,
            "rash-shingles",
        ),
        # head injury: one vomit, no blackout → urgent; repeated vomiting or a blackout → emergency
        (
            "my son headed the goalpost at training, he has a lump on his forehead and was sick once, he's "
            "talking normally",
            "en",
            URG,
            "head-injury-knocked-out",
        ),
        (
            "il s'est cogné la tête contre l'étagère et il a vomi une fois, il parle normalement",
            "fr",
            URG,
            None,
        ),
        ("he hit his head on the wardrobe and has been sick three times", "en", EM, "head-injury-red-flags"),
        (
            "she caught a knee to the head at hockey, was out for a few seconds and has since thrown up",
            "en",
            EM,
            "head-injury-red-flags",
        ),
    ],
)
def test_round18_levels(
    engine: ProtocolEngine,
    understander: Understander,
    case: tuple[str, Language, TriageLevel | None, str | None],
) -> None:
    text, lang, level, criterion = case
    if level is None:  # a look-alike: whatever else it is, not an emergency
        assert decide(engine, understander, text, lang).level is not EM, text
        return
    assert_decides(engine, understander, (text, lang, level, criterion))
