"""Missed emergencies of the dev rounds read by mechanism, on paraphrases written here: carbon monoxide at
home said the French way round ("ça va mieux quand on sort", after the boiler was lit again, across a
comma or a full stop), the exposure shared by everyone the message names (the child who vomits breathes the
writer's air), vomiting with it is an emergency; "nobody has passed out" is a negation. Look-alikes: a
stomach bug with a boiler in the same message, headaches that only ease outdoors, "no one knows why"."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, SC, URG
from tests.guardrails.triage.test_protocol_gaps import assert_decides


@pytest.mark.parametrize(
    "case",
    [
        # the writer tells of the stove, their son vomits: the exposure is the son's too
        (
            "on a rallumé le vieux poêle à bois mardi. depuis, mon fils de 6 ans a vomi trois fois et moi j'ai "
            "la tête lourde. dès qu'on sort on se sent mieux",
            "fr",
            EM,
            "poisoning-carbon-monoxide-vomiting",
        ),
        # better outdoors said first, the boiler after a full stop
        (
            "Quand mes grands-parents vont dehors ils se sentent mieux. Ils ont rallumé la chaudière "
            "dimanche et mon grand-père a vomi ce matin",
            "fr",
            EM,
            "poisoning-carbon-monoxide-vomiting",
        ),
        (
            "since we got the gas heater going my partner and I have had headaches all week and the baby "
            "has been throwing up, we all feel better when we go out",
            "en",
            EM,
            "poisoning-carbon-monoxide-vomiting",
        ),
        # headaches alone that ease outdoors after lighting the boiler: seen the same day
        (
            "depuis qu'on a remis la chaudière en route, on a tous mal à la tête le soir, moi et mes deux "
            "ados",
            "fr",
            URG,
            "poisoning-carbon-monoxide",
        ),
    ],
)
def test_carbon_monoxide_at_home(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    "case",
    [
        # a bug with a boiler that is merely mentioned
        (
            "mon fils a vomi deux fois cette nuit, la gastro tourne à l'école ; sinon la chaudière fait un "
            "bruit bizarre, faut-il appeler le chauffagiste ?",
            "fr",
            SC,
            None,
        ),
        # feeling better outdoors with no appliance: not carbon monoxide
        ("quand je sors marcher je me sens mieux, j'ai souvent la tête lourde au bureau", "fr", SC, None),
        # "no one knows" is not a negation of what follows
        ("no one knows why but I've been vomiting since this morning", "en", SC, None),
    ],
)
def test_carbon_monoxide_look_alikes(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("we all had a rough night but nobody has fainted", "fainting"),
        ("the whole family has the flu, no one's been sick though", "vomiting"),
    ],
)
def test_nobody_has_negates(understander: Understander, text: str, concept: str) -> None:
    u = understander.understand(text, language="en")
    hits = [f for f in u.findings if f.concept == concept]
    assert hits, (text, [f.concept for f in u.findings])
    assert all(f.assertion.negated for f in hits), (text, hits)
