"""The learned crisis reader's head mode at the embedder seam (vectors chosen by hand): a window fires when
the head scores it at or above the threshold, the raise names the nearest bank positive, a head trained on
another model's vectors is refused, and a damaged head file is a clear error."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.understanding.learned_crisis import (
    BANK_VECTORS_FILE,
    HEADS_FILE,
    BankText,
    CrisisBank,
    LinearHead,
    NearestCrisis,
    load_heads,
    read_bank_vectors,
    windows_of,
    write_bank_vectors,
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
    return NearestCrisis(bank, FixedEmbedder({**base, **vectors}), heads=(head,))


def test_a_window_at_the_threshold_fires_and_names_the_nearest_positive() -> None:
    found = _reader({"I will be gone soon": (1.0, 0.0, 0.0, 0.9)}).match("I will be gone soon")
    assert found is not None
    assert (found.source, found.sentence) == ("means", "I will be gone soon")
    assert found.margin >= 0


def test_below_the_threshold_nothing_fires() -> None:
    assert _reader({"I will be gone soon": (0.3, 1.0)}).match("I will be gone soon") is None


def test_the_pair_of_two_sentences_is_read_as_one_window() -> None:
    text = "I have decided. There will not be a next one."
    pair = "I have decided There will not be a next one"
    assert windows_of(text) == [pair]  # every sentence is read inside a pair, with its neighbour
    assert windows_of("I have decided. That is all. Goodbye to everyone here.") == [
        "I have decided That is all",
        "That is all Goodbye to everyone here",
    ]
    assert windows_of("There will not be a next one.") == ["There will not be a next one"]
    found = _reader({pair: (1.0, 0.2)}).match(text)
    assert found is not None and found.sentence == pair


def test_a_sentences_head_reads_a_crisis_sentence_its_pair_dilutes() -> None:
    bank = CrisisBank((BankText("goodbye", "first positive"),), (BankText("neg", "a negative"),))
    weights = np.zeros(DIMENSIONS, dtype=np.float32)
    weights[0] = 1.0
    pairs = LinearHead(weights, 0.0, 0.9, "fixed")
    sentences = LinearHead(weights, 0.0, 0.95, "fixed", reads="sentences")
    text = "I do not want to be here any more. When is my next blood test?"
    pair = "I do not want to be here any more When is my next blood test"
    alone = "I do not want to be here any more"
    vectors = {"first positive": (1.0, 0.0, 0.0), pair: (0.6, 0.0, 0.8), alone: (1.0, 0.0, 0.1)}
    embedder = _CountingEmbedder(vectors)
    assert NearestCrisis(bank, FixedEmbedder(vectors), heads=(pairs,)).match(text) is None  # diluted
    found = NearestCrisis(bank, embedder, heads=(pairs, sentences)).match(text)
    assert found is not None and found.sentence == alone
    read = [t for t in embedder.texts if t not in ("first positive", "a negative")]  # the bank aside
    assert sorted(read) == sorted([pair, alone, "When is my next blood test"])  # each window embedded once
    # a sentence is read at its own head's threshold: just under it, nothing fires
    stricter = LinearHead(weights, 0.0, 0.999, "fixed", reads="sentences")
    assert NearestCrisis(bank, FixedEmbedder(vectors), heads=(pairs, stricter)).match(text) is None


def test_a_head_trained_on_other_vectors_is_refused() -> None:
    head = LinearHead(np.zeros(DIMENSIONS, dtype=np.float32), 0.0, 0.5, "another-model")
    bank = CrisisBank((BankText("p", "positive text"),), (BankText("n", "negative text"),))
    with pytest.raises(ValueError, match="another-model"):
        NearestCrisis(bank, FixedEmbedder({}), heads=(head,))


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
    # self-harm is read over pairs of sentences first, then over single sentences; the refusals over pairs
    assert [h.reads for h in heads[SignalKind.SELF_HARM]] == ["pairs", "sentences"]
    assert [h.reads for h in heads[SignalKind.INJECTION] + heads[SignalKind.HARMFUL_REQUEST]] == ["pairs"] * 2
    for head in (h for hs in heads.values() for h in hs):
        assert head.model_id == E5Embedder.model_id and head.weights.shape == (DIMENSIONS,)
    meta = json.loads(HEADS_FILE.with_suffix(".json").read_text(encoding="utf-8"))
    assert (
        meta["model_id"] == E5Embedder.model_id and 24 in meta["rounds"] and 25 not in meta["rounds"]
    )  # 21 is unscored
    assert {k: v["false_raise_rate"] for k, v in meta["heads"].items()} == {
        "self_harm": 0.002,
        "self_harm@sentences": 0.001,
        "injection": 0.003,
        "harmful_request": 0.003,
    }


class _CountingEmbedder(FixedEmbedder):
    """Counts the texts it is asked to embed (the shipped bank vectors must spare the bank's)."""

    def __init__(self, vectors: dict[str, Sequence[float]]) -> None:
        super().__init__(vectors)
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return super().embed(texts)


def test_shipped_bank_vectors_are_used_only_for_the_bank_and_model_they_were_made_for(tmp_path: Path) -> None:
    bank = CrisisBank((BankText("goodbye", "the first positive"),), (BankText("neg", "just a negative"),))
    given = {"the first positive": (1.0, 0.0, 0.0), "just a negative": (0.0, 1.0, 0.0)}
    vectors = (
        FixedEmbedder(given).embed(["the first positive"]),
        FixedEmbedder(given).embed(["just a negative"]),
    )
    shipped = tmp_path / "bank.npz"
    write_bank_vectors(shipped, bank, "fixed", vectors)

    counting = _CountingEmbedder(given)
    reader = NearestCrisis(bank, counting, shipped=shipped, threshold=0.9, margin=0.1)
    assert reader.match("the first positive") is not None
    assert counting.texts == ["the first positive"]  # the message only: the bank came from the file

    other = CrisisBank(
        (BankText("goodbye", "the first positive"),), (BankText("neg", "yet another negative"),)
    )
    assert read_bank_vectors(shipped, other, "fixed") is None  # another bank: embedded again
    assert read_bank_vectors(shipped, bank, "another-model") is None
    stale = _CountingEmbedder(given)
    assert NearestCrisis(other, stale, shipped=shipped, threshold=0.9, margin=0.1).match("the first positive")
    assert "yet another negative" in stale.texts
    shipped.write_bytes(b"damaged")
    assert read_bank_vectors(shipped, bank, "fixed") is None


def test_the_shipped_bank_vectors_match_the_current_table_and_bank() -> None:
    from assistant.understanding.signals import SignalTable
    from retrieval import E5Embedder

    bank = CrisisBank.load(SignalTable.load())
    found = read_bank_vectors(BANK_VECTORS_FILE, bank, E5Embedder.model_id)
    assert found is not None, (
        "the crisis bank or the signal table changed: python -m benchmarks.crisis_head bank"
    )
    assert found[0].shape == (len(bank.positives), 384) and found[1].shape == (len(bank.negatives), 384)
    assert np.allclose(np.linalg.norm(found[0], axis=1), 1.0, atol=0.01)


def test_the_bank_is_embedded_once_per_cache_and_again_for_another_bank(tmp_path: Path) -> None:
    bank = CrisisBank((BankText("goodbye", "the first positive"),), (BankText("neg", "just a negative"),))
    given = {"the first positive": (1.0, 0.0, 0.0), "just a negative": (0.0, 1.0, 0.0)}
    first = _CountingEmbedder(given)
    assert NearestCrisis(bank, first, cache_dir=tmp_path, threshold=0.9, margin=0.1).match(
        "the first positive"
    )
    assert "just a negative" in first.texts and len(list(tmp_path.glob("crisis-bank-*.npz"))) == 1

    again = _CountingEmbedder(given)
    assert NearestCrisis(bank, again, cache_dir=tmp_path, threshold=0.9, margin=0.1).match(
        "the first positive"
    )
    assert again.texts == ["the first positive"]  # the bank came from the cache

    other = CrisisBank(
        (BankText("goodbye", "the first positive"),), (BankText("neg", "yet another negative"),)
    )
    third = _CountingEmbedder(given)
    NearestCrisis(other, third, cache_dir=tmp_path, threshold=0.9, margin=0.1).match("the first positive")
    assert "yet another negative" in third.texts and len(list(tmp_path.glob("crisis-bank-*.npz"))) == 2
