"""The cues a learned injection refusal needs beside it (``data/learned_gates.yaml``): every example of an
attempt holds one, and the look-alikes (a thank-you, a question about what the assistant is and who reads
the chat) hold none, so the head's refusal cannot fall on them."""

from __future__ import annotations

import pytest
import yaml

from assistant.understanding.learned_crisis import GATES_FILE, load_gates
from assistant.understanding.model import SignalKind
from tests.understanding.reading import read

DATA = yaml.safe_load(GATES_FILE.read_text(encoding="utf-8"))
GATES = load_gates()


def _cases(key: str) -> list[tuple[str, str]]:
    return [
        (name, text) for name, entry in DATA.items() for lang in ("en", "fr") for text in entry[key][lang]
    ]


def test_every_gate_is_a_signal_kind_with_examples_in_both_languages() -> None:
    assert set(GATES) == {SignalKind(name) for name in DATA}
    for entry in DATA.values():
        assert entry["examples"]["en"] and entry["examples"]["fr"]
        assert entry["near_misses"]["en"] and entry["near_misses"]["fr"]


@pytest.mark.parametrize(("kind", "text"), _cases("examples"))
def test_attempts_pass_the_gate(kind: str, text: str) -> None:
    assert GATES[SignalKind(kind)].search(read(text).text.folded)


@pytest.mark.parametrize(("kind", "text"), _cases("near_misses"))
def test_look_alikes_do_not(kind: str, text: str) -> None:
    assert GATES[SignalKind(kind)].search(read(text).text.folded) is None
