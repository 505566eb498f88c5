"""Warning signs of suicide told the way round 19's dev data told them, paraphrased here: a rope already hung
after "I can't keep doing this" (despair told first, the means after), a gun dwelt on more and more at night
with nothing giving pleasure any more, blades bought while pretending to everyone to be fine, and a wish
not to wake up said as a preference ("I'd rather not wake up"). Each family alone is ordinary, so each
example sits beside look-alikes that must stay quiet."""

from __future__ import annotations

import pytest

from tests.understanding.reading import read


def self_harm(text: str) -> list[str]:
    return [e for s in read(text).signals if s.kind == "self_harm" for e in s.evidence]


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        (
            "I can't keep doing this, the bills, the custody fight. the rope is already up in the shed.",
            "self-harm-warning-signs-means-with-despair",
        ),
        (
            "je fais semblant que tout va bien devant les collègues. j'ai acheté des lames de rasoir hier soir",
            "self-harm-warning-signs-means-with-despair",
        ),
        (
            "nothing gives me pleasure anymore. grandad's shotgun is still in the barn and I keep thinking about "
            "it every night",
            "self-harm-warning-signs-dwelling-on-a-way",
        ),
        (
            "plus goût à rien depuis l'hiver. il y a le fusil de mon frère à la cave et j'y pense toutes les nuits",
            "self-harm-warning-signs-dwelling-on-a-way",
        ),
        ("everyone I loved is gone now and I would rather not wake up tomorrow", "self-harm-passive-wish"),
        ("depuis l'enterrement j'aimerais mieux ne plus me réveiller", "self-harm-passive-wish"),
    ],
)
def test_warning_signs_raise_their_entry(text: str, entry: str) -> None:
    evidence = self_harm(text)
    assert any(e == entry or e.endswith(":" + entry) for e in evidence), (text, evidence)


@pytest.mark.parametrize(
    "text",
    [
        "I can't keep doing this night shift pattern, can I ask my GP about sleep?",
        "we put the ropes up for the climbing wall at school, one kid grazed his hand",
        "bought new blades for my razor and now I have a rash on my neck",
        "j'ai acheté des lames pour ma tondeuse, je me suis coupé le doigt, il faut un vaccin ?",
        "the trip to Canada, I keep thinking about it every night — which vaccines do I need?",
        "j'y pense tous les soirs, à ce voyage au Maroc : il faut quels vaccins ?",
        "I'd rather not wake up my husband when I get up for my insulin, any tips?",
        "I'd rather die than run another marathon, my knees are wrecked",
        "je préférerais ne pas me réveiller trop tôt pour le bilan sanguin, vous avez un créneau à 10h ?",
    ],
)
def test_look_alikes_stay_quiet(text: str) -> None:
    assert self_harm(text) == [], text
