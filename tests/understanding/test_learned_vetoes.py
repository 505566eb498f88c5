"""The learned crisis reader stands down where a means is locked away or kept out of reach
(``data/learned_vetoes.yaml``): securing a means is protective, and the learned reader's meaning-nearness
cannot tell it from a means kept at hand. A means at hand still raises, and the signal table still reads a
crisis said in words beside a locked cabinet."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.understanding.learned_crisis import VETOES_FILE, load_vetoes
from assistant.understanding.model import SignalKind
from tests.understanding.reading import read
from tests.understanding.test_learned_crisis import read as read_both

RAW = yaml.safe_load(Path(VETOES_FILE).read_text(encoding="utf-8"))["self_harm"]
VETO = load_vetoes()


def folded(text: str) -> str:
    return read(text).text.folded


@pytest.mark.parametrize("text", [*RAW["examples"]["en"], *RAW["examples"]["fr"]])
def test_a_means_secured_is_read_as_protective(text: str) -> None:
    assert VETO.search(folded(text)), text


@pytest.mark.parametrize("text", [*RAW["near_misses"]["en"], *RAW["near_misses"]["fr"]])
def test_a_means_at_hand_is_not(text: str) -> None:
    assert VETO.search(folded(text)) is None, text


def test_the_learned_reader_stands_down_on_a_locked_cabinet() -> None:
    _, learned = read_both(
        "the grandkids stay with us at weekends so his rifle now lives in a locked cabinet"
    )
    assert not any(e.startswith("learned-crisis:") for s in learned.signals for e in s.evidence)


def test_a_crisis_said_in_words_beside_a_locked_cabinet_is_still_read() -> None:
    _, learned = read_both(
        "the gun is in a locked cabinet but I know where the key is and I want to die tonight"
    )
    assert learned.has_signal(SignalKind.SELF_HARM)
