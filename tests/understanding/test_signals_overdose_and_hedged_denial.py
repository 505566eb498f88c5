"""Self-harm read from an overdose already taken in distress (NICE NG225: self-poisoning is self-harm
whatever the intent), from an open denial nobody asked for next to another warning-sign family, and from a
wish for everything to stop said in the past tense. Paraphrases written here, never a scored sentence.
Look-alikes stay quiet: a double dose by mistake, a child in the medicine box, tablets taken for a
toothache, two paracetamol after a bad night, a denial about the diet, an overdose years ago."""

from __future__ import annotations

import pytest

from assistant.understanding.model import SignalKind
from tests.understanding.reading import read


def _self_harm(text: str) -> tuple[str | None, tuple[str, ...]]:
    signal = next(
        (s for s in read(text, patient="Lupe_Little").signals if s.kind is SignalKind.SELF_HARM), None
    )
    return (signal.detail, signal.evidence) if signal else (None, ())


@pytest.mark.parametrize(
    "text",
    [
        "downed about fifteen of the co-codamol after the fight with my dad last night, feel ok now",
        "my girlfriend swallowed the whole bottle of her sertraline after we split up, she says she's fine",
        "had such a shit evening and necked 24 ibuprofen, I regret it already",
        "he took an overdose after another row with his mum, he won't let me call anyone",
        "j'ai pris une trentaine de comprimés de paracétamol après la rupture, là ça va",
        "mon frère a avalé toute sa boîte de somnifères, il était pas bien dans sa tête",
        "elle a gobé la plaquette de xanax exprès hier soir",
    ],
)
def test_an_overdose_taken_in_distress_is_self_harm_to_act_on_now(text: str) -> None:
    detail, evidence = _self_harm(text)
    assert "self-harm-overdose-taken" in evidence, text
    assert detail in {"intent", "plan", "means", "goodbye", "overdose"}, (text, detail)


@pytest.mark.parametrize(
    "text",
    [
        "took my levothyroxine twice today, I forgot I'd already had it",
        "my 3 year old found grandad's pill box open and might have eaten a couple",
        "after a rubbish night with the baby I took 2 paracetamol, can I take more at lunch?",
        "I've had maybe 20 paracetamol over the weekend for the toothache, is that too much?",
        "j'ai avalé mon comprimé deux fois par erreur ce matin",
        "après la dispute avec mon mari j'ai pris un doliprane pour la migraine",
        "ma fille de 4 ans a avalé la plaquette de vitamines",
        "overdosed on coffee before the exam lol, heart racing",
        "I took an overdose when I was 16, I'm fine now, can I book a smear?",
    ],
)
def test_overdose_look_alikes_stay_quiet(text: str) -> None:
    assert _self_harm(text) == (None, ()), text


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        (
            "my dad's old shotgun is in the loft. I doubt I'd actually do it",
            "self-harm-warning-signs-hedged-denial-with-means",
        ),
        (
            "got all my sleeping tablets lined up. not saying I'll do anything",
            "self-harm-warning-signs-hedged-denial-with-means",
        ),
        (
            "je me retrouve sur le viaduc tous les soirs. je ferai rien, je pense",
            "self-harm-warning-signs-hedged-denial-with-means",
        ),
        (
            "I feel like nothing left to live for. probably won't do anything tonight",
            "self-harm-warning-signs-hedged-denial-with-despair",
        ),
        (
            "j'en peux plus. je crois que je vais rien faire, mais bon",
            "self-harm-warning-signs-hedged-denial-with-despair",
        ),
    ],
)
def test_an_open_denial_counts_next_to_another_family(text: str, entry: str) -> None:
    assert entry in _self_harm(text)[1], text


@pytest.mark.parametrize(
    "text",
    [
        "I wouldn't do anything, I don't think",
        "je ferais rien… enfin je crois",
        "I don't think I'd do anything differently, what was my cholesterol?",
        "I'm not going to do anything stupid, I don't have thoughts like that, I just feel flat",
        "the bridge was closed so I doubt I'd do it again by bike, when is my physio?",
        "je ferai rien sans l'accord du médecin, je pense. j'ai sorti toutes mes boîtes pour le pilulier",
    ],
)
def test_an_open_denial_alone_or_about_something_else_stays_quiet(text: str) -> None:
    assert _self_harm(text) == (None, ()), text


@pytest.mark.parametrize(
    "text",
    [
        "I just wanted it all to end. my tablets are all lined up on the bedside table",
        "I only ever wanted everything to stop, and I've been keeping the spare insulin pens aside",
        "je voulais juste que tout s'arrête, j'ai mis de côté tous mes somnifères",
    ],
)
def test_a_past_wish_for_everything_to_stop_is_despair(text: str) -> None:
    assert _self_harm(text)[0] is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "I just wanted it to stop hurting so I took my tablets out of the box",
        "I wanted everything to stop itching, I've got all my antihistamines out",
    ],
)
def test_a_past_wish_about_a_symptom_stays_quiet(text: str) -> None:
    assert _self_harm(text) == (None, ()), text
