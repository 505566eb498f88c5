"""Mechanisms added on the round-6 triage failures (dev data), each checked on paraphrases written here.

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
        # a board-hard tummy said with a pronoun, and a bowel that passes nothing
        ("terrible pain in my belly since lunch, it's rigid and I can't move", "en", EM, None),
        (
            "ça fait mal partout dans le ventre et il est dur comme une planche",
            "fr",
            EM,
            "abdomen-rigid-or-collapse",
        ),
        (
            "tummy swollen, been sick three times, haven't had a poo or passed any wind since Monday",
            "en",
            EM,
            "abdomen-obstruction",
        ),
        ("bleeding since this morning and my belly has gone really hard, hurts all the time", "en", EM, None),
        # a cramp in the calf is not a rigid abdomen
        (
            "réveillée par une crampe, le mollet dur comme du bois une minute, ça passe en marchant",
            "fr",
            SC,
            None,
        ),
        # severe skin reaction after a new medicine: blistering or skin that comes away
        (
            "new antibiotic last week, now a fever and a red rash on his back, parts of it look like blisters",
            "en",
            EM,
            "rash-blisters-mouth-eyes",
        ),
        (
            "fièvre et plaques rouges depuis le nouveau traitement, et la peau se décolle quand on la frotte",
            "fr",
            EM,
            "rash-blisters-mouth-eyes",
        ),
        # chickenpox blisters are not that
        (
            "my daughter has chickenpox, itchy spots turning into blisters, temp 38.2, eating fine",
            "en",
            SC,
            None,
        ),
        # shingles: a band of blisters on one side
        (
            "burning on the right of my back for 2 days and now a band of little blisters there",
            "en",
            SOON,
            "rash-shingles",
        ),
        # early pregnancy: one-sided low pain, or shoulder-tip pain with faintness
        (
            "règles en retard de 5 semaines, douleur violente en bas à droite et je me sens partir",
            "fr",
            EM,
            None,
        ),
        (
            "the pregnancy test was positive last week, now pain in the tip of my shoulder and I nearly fainted",
            "en",
            EM,
            "pregnancy-cord-or-heavy-bleeding",
        ),
        # sepsis in an older person: new confusion with a fever, said the way relatives say it
        (
            "grand-père 88 ans, 38,6 de fièvre, il ne sait plus quel jour on est depuis ce midi",
            "fr",
            EM,
            "fever-sepsis-signs",
        ),
        (
            "mum has a temperature and keeps mixing me up with my sister tonight",
            "en",
            EM,
            "fever-sepsis-signs",
        ),
        # bleeding after tonsil removal
        (
            "had his tonsils out 6 days ago and he's spitting out fresh blood",
            "en",
            EM,
            "bleeding-after-tonsillectomy",
        ),
        (
            "amygdalectomie il y a une semaine, elle crache du sang ce soir",
            "fr",
            EM,
            "bleeding-after-tonsillectomy",
        ),
        # COPD: 88–92 % is the usual target, not an emergency on its own; below 88 still is
        (
            "I have emphysema, oximeter 90 which is my normal, but more green phlegm for 4 days",
            "en",
            URG,
            None,
        ),
        ("COPD and my sats are 85, really struggling", "en", EM, "breathing-low-oxygen"),
        ("asthma attack, sats 91", "en", EM, "breathing-low-oxygen"),
        # a 'worst pain ever' that is not in the head is not a thunderclap headache
        ("kidney stone I think, pain in my side going to my groin, worst pain of my life", "en", URG, None),
        ("sudden headache, the worst pain of my life", "en", EM, "headache-thunderclap"),
        # pain under the right ribs after fatty food, in attacks: the gallbladder, not the heart
        (
            "attacks of pain under the right ribs after greasy meals, about four times since the summer, spreads to my shoulder blade",
            "en",
            SOON,
            None,
        ),
        # exertional chest tightness that settles with rest: angina to be seen today, not a call
        (
            "for three weeks she gets a heavy chest whenever she climbs the stairs, it goes after a minute's rest",
            "en",
            URG,
            "chest-pain-on-exertion",
        ),
        # giant cell arteritis and raised pressure headaches
        (
            "mon père 77 ans, mal à la tempe gauche depuis 10 jours, ça lui fait mal quand il se peigne",
            "fr",
            URG,
            "headache-giant-cell-arteritis",
        ),
        (
            "headaches for a month, getting worse, worst when I wake up, and I was sick this morning",
            "en",
            URG,
            "headache-raised-pressure",
        ),
        # a deep cut or a finger that no longer bends
        (
            "sliced my thumb on a tin, the cut gapes apart when I move it",
            "en",
            URG,
            "injury-fracture-or-deep",
        ),
        (
            "coupure au doigt avec un couteau, je n'arrive plus à plier le pouce",
            "fr",
            URG,
            "injury-fracture-or-deep",
        ),
        (
            "mon collègue s'est coupé la paume, il n'arrive pas bien à plier le petit doigt",
            "fr",
            URG,
            "injury-fracture-or-deep",
        ),
        # a child with fever who will not stand on a leg; fever with a urine infection in a toddler
        ("my 4 year old has a temp of 39 and refuses to put weight on his leg", "en", URG, None),
        ("mon fils de 18 mois a 38,9 et il pleure quand il fait pipi", "fr", URG, "fever-child-urinary"),
        # fever after a stay where malaria is common
        (
            "je suis revenue du Mali il y a 3 semaines et j'ai 39 de fièvre avec des frissons",
            "fr",
            URG,
            "fever-after-travel",
        ),
        # painless visible blood in the urine; red urine after beetroot
        ("at 70 I noticed my pee turned bright red this morning, no pain", "en", SOON, "urinary-blood"),
        ("ate loads of beetroot yesterday and now my wee looks pink, I feel fine", "en", SC, None),
        # a brother's febrile fit long ago is not this child's fit
        (
            "my 3 year old has 38.4, runny nose, playing happily; her sister had a febrile convulsion once",
            "en",
            SC,
            None,
        ),
        # "the two sides" of a back are not the ribs
        (
            "mal en bas du dos des deux côtés depuis que j'ai porté un carton, pas de fourmillements",
            "fr",
            SC,
            None,
        ),
        # "he had no breathing pauses" is a negation
        ("bébé de 5 mois enrhumé, 38,2, il n'a pas fait de pause respiratoire, il boit bien", "fr", SC, None),
    ],
)
def test_round6_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


def test_a_gendered_pronoun_goes_back_to_the_person_of_that_sex(understander: Understander) -> None:
    u = understander.understand(
        "ma grand-mère a 80 ans, elle me prend pour mon frère, elle respire très vite",
        language="fr",
        today=TODAY,
    )
    breathing = [f for f in u.findings if f.concept == "fast_breathing"]
    assert breathing
    who = u.subjects[breathing[0].subject]
    assert who.relation is not Relation.SELF and who.sex == "female"


def test_a_baby_named_without_my_takes_the_age_that_follows(understander: Understander) -> None:
    u = understander.understand("baby boy 5 months, temp 39.4 tonight", language="en", today=TODAY)
    babies = [s for s in u.subjects if s.relation is Relation.CHILD]
    assert babies and babies[0].age_years is not None and abs(babies[0].age_years - 5 / 12) < 0.01


def test_a_stay_of_a_month_is_not_a_baby(understander: Understander) -> None:
    u = understander.understand(
        "rentrée d'un séjour d'un mois au Bénin, j'ai de la fièvre", language="fr", today=TODAY
    )
    assert all(s.age_years is None or s.age_years > 1 for s in u.subjects)
