"""The learned crisis reader's head mode at the embedder seam (vectors chosen by hand): a window fires when
the head scores it at or above the threshold, the raise names the nearest bank positive, a head trained on
another model's vectors is refused, and a damaged head file is a clear error."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.understanding.learned_crisis import (
    HEADS_FILE,
    BankText,
    CrisisBank,
    LinearHead,
    NearestCrisis,
    load_heads,
    windows_of,
)
from assistant.understanding.model import SignalKind
from retrieval.embedding.minilm import DIMENSIONS
from tests.understanding.fixed_embedder import FixedEmbedder


def _reader(vectors: dict[str, Sequence[float]], threshold: float = 0.5) -> NearestCrisis:
    bank = CrisisBank(
        (BankText("goodbye", "first positive"), BankText("means", "second positive")),
        (BankText("neg", "a negative"),),
    )
    weights = np.zeros(DIMENSIONS, dtype=np.float32)
    weights[0] = 1.0  # the crisis direction is the first axis
    head = LinearHead(weights, 0.0, threshold, "fixed")
    base = {"first positive": (1.0, 0.0, 0.0, 0.0), "second positive": (1.0, 0.0, 0.0, 1.0)}
    return NearestCrisis(bank, FixedEmbedder({**base, **vectors}), head=head)


def test_a_window_at_the_threshold_fires_and_names_the_nearest_positive() -> None:
    found = _reader({"I will be gone soon": (1.0, 0.0, 0.0, 0.9)}).match("I will be gone soon")
    assert found is not None
    assert (found.source, found.sentence) == ("means", "I will be gone soon")
    assert found.margin >= 0


def test_below_the_threshold_nothing_fires() -> None:
    assert _reader({"I will be gone soon": (0.3, 1.0)}).match("I will be gone soon") is None


def test_the_pair_of_two_sentences_is_read_as_one_window() -> None:
    text = "I have decided. There will not be a next one."
    assert windows_of(text) == [
        "I have decided",
        "There will not be a next one",
        "I have decided There will not be a next one",
    ]
    pair = "I have decided There will not be a next one"
    found = _reader({pair: (1.0, 0.2)}).match(text)
    assert found is not None and found.sentence == pair


def test_a_head_trained_on_other_vectors_is_refused() -> None:
    head = LinearHead(np.zeros(DIMENSIONS, dtype=np.float32), 0.0, 0.5, "another-model")
    bank = CrisisBank((BankText("p", "positive text"),), (BankText("n", "negative text"),))
    with pytest.raises(ValueError, match="another-model"):
        NearestCrisis(bank, FixedEmbedder({}), head=head)


def test_a_damaged_heads_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "heads.npz"
    bad.write_bytes(b"not an archive")
    with pytest.raises(ValueError, match="retrain"):
        load_heads(bad)
    empty = tmp_path / "empty.npz"
    np.savez(empty, model_id=np.array("m"))
    with pytest.raises(ValueError, match="no head"):
        load_heads(empty)


def test_the_shipped_heads_are_for_the_shipped_encoder_and_say_how_they_were_trained() -> None:
    import json

    from retrieval import E5Embedder

    heads = load_heads()
    assert set(heads) == {SignalKind.SELF_HARM, SignalKind.INJECTION, SignalKind.HARMFUL_REQUEST}
    for head in heads.values():
        assert head.model_id == E5Embedder.model_id and head.weights.shape == (DIMENSIONS,)
    meta = json.loads(HEADS_FILE.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["model_id"] == E5Embedder.model_id and 16 not in meta["rounds"]  # round 16 is unscored
    assert {k: v["false_raise_rate"] for k, v in meta["heads"].items()} == {
        "self_harm": 0.002,
        "injection": 0.003,
        "harmful_request": 0.003,
    }
