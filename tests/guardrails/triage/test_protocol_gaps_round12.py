"""Mechanisms added on rounds 11 and 12's failures (dev data once scored), each checked on paraphrases
written here, with look-alikes that must not move: sight lost "like a curtain" without the word "lost",
"tiny purplish dots" that don't fade, "was sick once" (UK for vomited) after a head knock, a paracetamol
amount over the daily maximum counted from tablets, a muddle after a usual fit, acute urinary retention
read in French with "plus du tout", a past febrile fit told with "last month my
daughter…", and "can't get up from the chair" after a fall."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.doses import find_paracetamol_amounts
from assistant.understanding.model import VitalKind
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, NONE, SC, SOON, URG
from tests.guardrails.triage.test_protocol_gaps import assert_decides
from tests.understanding.reading import read


@pytest.mark.parametrize(
    ("folded", "mg"),
    [
        ("ive taken 12 paracetamol today for my tooth", 6000.0),
        ("j ai pris 5 doliprane 1000 depuis ce matin", 5000.0),
        ("took 5 x 1g paracetamol today", 5000.0),
        ("j ai avale 9 comprimes de dafalgan hier", 4500.0),
        ("ive had 16 paracetamol over the last 4 days for my back", 2000.0),
        ("took two paracetamol 500mg for a headache", 1000.0),
    ],
)
def test_paracetamol_amount_is_counted_per_day(folded: str, mg: float) -> None:
    assert max(v.value for v in find_paracetamol_amounts(folded)) == mg


@pytest.mark.parametrize(
    "folded",
    [
        "i bought a box of 32 paracetamol",  # a pack size, nothing said to be taken
        "would 10 paracetamol be too many",  # a question, not an amount taken
        "i took 12 ibuprofen",  # another medicine: the overdose words handle it, not this count
        "j ai une boite de 16 doliprane a la maison",
    ],
)
def test_no_paracetamol_amount_without_tablets_taken(folded: str) -> None:
    assert find_paracetamol_amounts(folded) == []


def test_paracetamol_amount_is_a_measure_of_the_understanding() -> None:
    u = read("I've had 11 paracetamol since breakfast for this migraine", language="en")
    assert [v.value for v in u.vitals if v.kind is VitalKind.PARACETAMOL_MG_DAY] == [5500.0]


@pytest.mark.parametrize(
    "case",
    [
        # sight going dark "like a curtain", in words other than "lost my vision"
        ("half an hour ago the sight in my right eye went dark, no pain at all, I'm 70", "en", EM, None),
        ("it was like a grey curtain coming down over my left eye this morning", "en", EM, None),
        ("my screen went dark and I had to restart it, can you book my eye test?", "en", NONE, None),
        # a non-blanching rash in a child with fever, said as dots that don't fade
        ("my son is 4, fever of 39 since lunch and now purplish spots on his legs", "en", EM, None),
        (
            "she's 2 with a temperature and the little dots on her chest don't fade when I press",
            "en",
            EM,
            None,
        ),
        ("he's 5 with a temperature and a red rash, it goes white when I press it", "en", SC, None),
        # "was sick" is vomiting after a head injury
        ("Dad is 83 and banged his head on the door frame, he was sick twice since", "en", EM, None),
        # paracetamol over the daily maximum, counted from the tablets
        ("I've had 11 paracetamol since breakfast for this migraine, feel ok", "en", EM, "poisoning:default"),
        (
            "j'ai pris 5 Doliprane 1000 depuis ce matin pour une rage de dents, ça va",
            "fr",
            EM,
            "poisoning:default",
        ),
        # the muddled spell after a usual fit in known epilepsy belongs to the fit
        (
            "I have epilepsy, had one of my usual seizures at lunch, groggy and muddled for ten minutes "
            "which is normal for me, all fine now",
            "en",
            SC,
            "seizure-known-epilepsy-usual",
        ),
        (
            "ma femme a fait sa première crise convulsive il y a 10 minutes, confuse pendant 5 minutes",
            "fr",
            EM,
            None,
        ),
        # acute retention: same day (A&E or urgent care) — but no urine at all with a swollen, painful lower
        # tummy is the emergency NHS inform names (urinary-retention-acute-painful; rounds 14–16's writers)
        (
            "he's 75 and hasn't managed to pass any urine since last night, his belly is swollen and sore",
            "en",
            EM,
            "urinary-retention-acute-painful",
        ),
        (
            "mon mari n'arrive plus du tout à faire pipi depuis ce matin, il a très mal au bas du ventre",
            "fr",
            URG,
            "urinary-retention",
        ),
        # the colour of spots is not a red eye
        # a past febrile fit told with "last month my daughter…" is history; the fever now decides
        (
            "last month my son (he's 3) had a febrile fit and we went to A&E. now he has 38.4 with a cold, "
            "drinking well and playing, no fit this time",
            "en",
            SC,
            None,
        ),
        (
            "le mois dernier ma fille de 2 ans a fait une convulsion avec la fièvre. là elle a 38,5, elle joue "
            "et boit bien, pas de convulsion",
            "fr",
            SC,
            None,
        ),
        # unable to get up after a fall
        ("my mum is 86, she fell on Sunday and now she can't get up from the armchair", "en", URG, None),
    ],
)
def test_round12_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("took 2 paracetamol this morning and the headache has gone", "en"),
        ("j'ai pris 3 Doliprane 1000 aujourd'hui pour mon dos", "fr"),
        ("j'ai pris 4 Doliprane 500 hier pour une rage de dents", "fr"),
    ],
)
def test_paracetamol_within_the_daily_maximum_is_not_an_overdose(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    from tests.guardrails.triage.test_protocol_gaps import decide

    d = decide(engine, understander, text, lang)
    assert d.level is not EM and not any(r.startswith("poisoning") for r in d.rules), (text, d.rules)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I was sick last week with a cold, anyway can I book a check-up?", "en"),
        ("I'm sick of waiting for my results", "en"),
    ],
)
def test_being_sick_as_ill_is_not_vomiting(text: str, lang: Language) -> None:
    assert not [f for f in read(text, language=lang).findings if f.concept == "vomiting"], text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("little red spots around his eyes after coughing all night", "en"),
        ("des petits points rouges autour des yeux depuis ce matin", "fr"),
    ],
)
def test_the_colour_of_spots_is_not_a_red_eye(text: str, lang: Language) -> None:
    assert not [f for f in read(text, language=lang).findings if f.concept == "red_eye"], text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my left eye is red and gritty since this morning", "en"),
        ("j'ai l'œil droit tout rouge depuis hier", "fr"),
    ],
)
def test_a_red_eye_is_still_a_red_eye(text: str, lang: Language) -> None:
    assert [f for f in read(text, language=lang).findings if f.concept == "red_eye"], text


@pytest.mark.parametrize(
    "case",
    [
        # an age opening the message names the child the pronoun after it speaks of
        (
            "5 month old has 39.3 this evening, his vaccines were last month, feeding a bit less",
            "en",
            URG,
            None,
        ),
        ("3 year old has had a runny nose for 2 days, she's eating fine", "en", SC, None),
        # reduced movements late in pregnancy, as people say it
        (
            "33 weeks pregnant and she's been really quiet since last night, only felt two little kicks",
            "en",
            URG,
            None,
        ),
        ("enceinte de 35 SA, je le sens nettement moins bouger depuis hier soir", "fr", URG, None),
        ("I'm 28 weeks and he kicks a lot, mostly at night, is that normal?", "en", NONE, None),
        # early pregnancy bleeding told as blood on the paper
        (
            "7 weeks pregnant, some bright red blood on the toilet paper this morning, no cramps",
            "en",
            URG,
            None,
        ),
        (
            "enceinte de 10 semaines, un peu de sang rouge dans ma culotte ce matin, pas mal au ventre",
            "fr",
            URG,
            None,
        ),
        # pain moving from the belly button to the lower right
        (
            "tummy ache since last night, started round my belly button, now it's bottom right, 38.1",
            "en",
            URG,
            None,
        ),
        ("mal au ventre depuis hier, au départ autour du nombril, là c'est en bas à droite", "fr", URG, None),
        # a hot, swollen knee with a fever, told as stiff
        (
            "my ankle came up red, hot and swollen, can't bend it, and I've got a temperature of 38.5",
            "en",
            URG,
            "limb-hot-joint-fever",
        ),
    ],
)
def test_round12_mechanisms_part_two(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    ("text", "lang", "percent"),
    [
        ("peak flow is 180, normally i'm around 550", "en", 32.73),
        ("my peak flow was 300 this morning, my best is 500", "en", 60.0),
        ("mon DEP est à 200 alors que d'habitude je suis à 450", "fr", 44.44),
    ],
)
def test_peak_flow_is_read_as_a_share_of_the_usual(text: str, lang: Language, percent: float) -> None:
    shares = [v.value for v in read(text, language=lang).vitals if v.kind is VitalKind.PEAK_FLOW_PERCENT]
    assert shares == [percent], text


@pytest.mark.parametrize(
    ("text", "lang"),
    [("my peak flow is normally 500", "en"), ("ça dépend, 200 mg le matin d'habitude", "fr")],
)
def test_no_peak_flow_share_without_a_reading_and_a_usual(text: str, lang: Language) -> None:
    assert not [v for v in read(text, language=lang).vitals if v.kind is VitalKind.PEAK_FLOW_PERCENT], text


@pytest.mark.parametrize(
    ("text", "lang", "subject_age"),
    [
        ("my son is 7 weeks old and I got 38.2 under his arm tonight", "en", 0.13),
        ("ma fille a 2 mois, j'ai pris 38,3 sous son bras ce soir", "fr", 0.17),
    ],
)
def test_a_reading_taken_on_someone_is_theirs(text: str, lang: Language, subject_age: float) -> None:
    u = read(text, language=lang)
    temps = [v for v in u.vitals if v.kind is VitalKind.TEMPERATURE]
    assert temps and u.subjects[temps[0].subject].age_years == pytest.approx(subject_age, abs=0.02), text


@pytest.mark.parametrize(
    "case",
    [
        (
            "asthma, peak flow 190 and my best is 500, the blue inhaler isn't helping much",
            "en",
            EM,
            "breathing-severe",
        ),
        ("a bit wheezy, peak flow 360, usually about 480", "en", URG, None),
        ("asthma playing up, I can only get a few words out at a time", "en", EM, "breathing-severe"),
        (
            "can't lie flat at night and I'm coughing up pinky frothy stuff",
            "en",
            EM,
            "breathing-pulmonary-oedema",
        ),
        ("my little boy is 5 weeks old and I got 38.2 under his arm twice", "en", URG, None),
    ],
)
def test_round12_mechanisms_part_three(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    ("text", "hurt"),
    [
        ("he didn't hit his head or hurt himself, and he's breathing fine", False),
        ("she never fell or hurt herself during the fit", False),
        ("I don't drink or smoke but I cut myself when it gets too much", True),
        ("he didn't eat or sleep, and now he's been hurting himself again", True),
    ],
)
def test_a_negation_reaches_each_item_of_its_or_list(text: str, hurt: bool) -> None:
    from assistant.understanding.model import SignalKind

    signals = [s for s in read(text, language="en").signals if s.kind is SignalKind.SELF_HARM]
    assert bool(signals) is hurt, text


@pytest.mark.parametrize(
    "case",
    [
        # sight greying out just before a faint is part of the faint; sight lost on its own is still 999
        (
            "my daughter (15) fainted in a hot assembly, she said her vision went grey then she went down, "
            "out for a few seconds, fine now",
            "en",
            SOON,
            None,
        ),
        ("my vision went black in one eye this morning and it hasn't come back", "en", EM, None),
    ],
)
def test_round12_mechanisms_part_four(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)
