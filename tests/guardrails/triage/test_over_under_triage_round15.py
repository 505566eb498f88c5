"""Over- and under-triage mechanisms from round 15's dev data, checked on paraphrases written here, each
beside a look-alike that must keep its level: a foot drop that crept in and holds steady (GP within days)
against one that is getting worse or came on suddenly, and a change of course said not to be happening
("it isn't getting worse", "ça ne s'aggrave pas"); someone else's stated intent to act now, cuts found
on a young person with the reason told, and a cut got on glass (an injury, not self-harm)."""

from __future__ import annotations

import functools

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.signals import SignalTable
from assistant.understanding.stage import Understander
from tests.guardrails.triage.test_protocol_gaps import assert_decides, decide

EM, URG, SOON, SC = (TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.SOON, TriageLevel.SELF_CARE)


@pytest.mark.parametrize(
    "case",
    [
        # a foot drop that came on over weeks and is holding steady: the GP within days
        (
            "for three weeks I've been tripping on the pavement, I can't lift the front of my left foot "
            "properly and it slaps when I walk, it hasn't got any worse",
            "en",
            SOON,
            None,
        ),
        (
            "depuis 15 jours je n'arrive pas à relever la pointe du pied droit, je trébuche, ça ne s'aggrave pas",
            "fr",
            SOON,
            None,
        ),
        # look-alikes: the same foot drop getting worse is for today
        (
            "for three weeks I can't lift the front of my left foot properly and it's getting worse every day",
            "en",
            URG,
            "neuro-progressive",
        ),
        (
            "depuis 15 jours je n'arrive pas à relever la pointe du pied droit et ça s'aggrave",
            "fr",
            URG,
            "neuro-progressive",
        ),
        # palpitations and short breath inside a panic attack, panic known for months, no faint or chest pain
        (
            "heart hammering and I can't catch my breath, tingly hands, it's another panic attack, I've been getting "
            "them for the last three months, no chest pain, I haven't passed out",
            "en",
            SOON,
            None,
        ),
        (
            "le cœur qui tape, j'ai du mal à respirer, je fais des crises de panique depuis six semaines, pas "
            "de douleur dans la poitrine",
            "fr",
            SOON,
            None,
        ),
        # look-alikes: the same with chest pain, or a faint, stays an emergency; a first attack is not "known"
        (
            "heart hammering and I can't catch my breath, crushing chest pain, I've had panic attacks for months",
            "en",
            EM,
            None,
        ),
        (
            "heart racing and short of breath and I blacked out for a moment, I've had panic attacks for months",
            "en",
            EM,
            None,
        ),
    ],
)
def test_round15_over_and_under_triage_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@functools.cache
def _with_signals() -> Understander:
    """The stage as a turn builds it, with the signal table (the crisis criteria read its signals)."""
    return Understander.default(signals=SignalTable.load())


@pytest.mark.parametrize(
    "case",
    [
        # someone else's stated intent to act now, told by the person writing: the emergency number
        (
            "my brother is 19, he has been cutting his legs for weeks and tonight he texted that he's "
            "going to do it tonight, he doesn't want to be alive any more",
            "en",
            EM,
            "suicide-intent",
        ),
        ("my wife just told me she wants to kill herself and she has gone out in the car", "en", EM, None),
        ("mon fils m'a dit qu'il allait se tuer, il s'est enfermé dans sa chambre", "fr", EM, None),
        # cuts found on a young person, with the reason told: the crisis line today
        (
            "I saw fresh cuts on my son's forearm when he took his jumper off, he's 15, he told me he does it "
            "when his head gets too loud, he says he doesn't want to die",
            "en",
            URG,
            "self-harm",
        ),
        # the razor blades taken away by the parent are safety, not access to a means: still today, not 999
        (
            "my 14 year old has been cutting her thighs, she says she does it when it all gets too much, she "
            "doesn't want to die; I've hidden the razors and knives and I'm sitting with her",
            "en",
            URG,
            "self-harm",
        ),
    ],
)
def test_round15_someone_elses_self_harm(
    engine: ProtocolEngine, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, _with_signals(), case)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # "going to do it tonight" about homework; a cut got on glass; scratches from a cat
        ("my son says he's going to do it tonight, the science project he's been putting off", "en"),
        ("I cut my arm on a broken window fixing the shed, it's a small cut and it has stopped", "en"),
        ("noticed scratches on my daughter's arms, she says it was the neighbour's cat", "en"),
        ("je me suis coupé la main sur une vitre cassée en rangeant le garage, ça saigne un peu", "fr"),
    ],
)
def test_round15_self_harm_look_alikes(engine: ProtocolEngine, text: str, lang: Language) -> None:
    d = decide(engine, _with_signals(), text, lang)
    assert not {"suicide-intent", "self-harm", "suicidal-thoughts"} & set(d.rules), (text, d.rules)
    assert d.level is not EM, (text, d.level, d.rules)
