"""The learned crisis reader as it ships (multilingual-e5-small vectors, the trained head, the shipped
bank): it raises a crisis the signal table does not read, never lowers or changes what the table read, and
stays quiet on look-alikes — the bank's near misses and paraphrases of them written here. The nearest-example
rule (threshold and margin, the reader without a head) is unit tested at the embedder seam with vectors
chosen by hand; the head rule in test_crisis_head.py."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml

from assistant.understanding.learned_crisis import (
    E5_MARGIN,
    E5_THRESHOLD,
    LEARNED_DETAIL,
    BankText,
    CrisisBank,
    LearnedCrisisSignals,
    NearestCrisis,
    bank_file_texts,
    load_heads,
    sentences_of,
)
from assistant.understanding.model import SignalKind, Understanding
from assistant.understanding.signals import SignalTable
from assistant.understanding.stage import Understander
from retrieval import E5Embedder
from tests.understanding.fixed_embedder import FixedEmbedder

BANK = Path(__file__).resolve().parents[2] / "assistant" / "understanding" / "data" / "crisis_bank.yaml"


@functools.cache
def table() -> SignalTable:
    return SignalTable.load()


@functools.cache
def stages() -> tuple[Understander, Understander]:
    """(table only, table + learned reader)."""
    heads = load_heads()
    nearest = NearestCrisis(
        CrisisBank.load(table()),
        E5Embedder(),
        threshold=E5_THRESHOLD,
        margin=E5_MARGIN,
        heads=heads.pop(SignalKind.SELF_HARM),
    )
    return (
        Understander.default(signals=table()),
        Understander.default(signals=LearnedCrisisSignals(table(), nearest, refusal_heads=heads)),
    )


def read(message: str) -> tuple[Understanding, Understanding]:
    plain, learned = stages()
    return plain.understand(message), learned.understand(message)


@pytest.mark.parametrize("text", bank_file_texts("examples"))
def test_every_bank_example_raises_a_crisis(text: str) -> None:
    _, learned = read(text)
    assert learned.has_signal(SignalKind.SELF_HARM), text


@pytest.mark.parametrize("text", bank_file_texts("near_misses"))
def test_no_bank_near_miss_raises_a_learned_crisis(text: str) -> None:
    # (whether the table reads one is the table's business: "I feel like a burden asking my daughter to
    # drive me" is read as a passive wish by its own entry, a known over-reading left as it is)
    _, learned = read(text)
    assert not any(e.startswith("learned-crisis:") for s in learned.signals for e in s.evidence), text


@pytest.mark.parametrize(
    "text",
    [
        # close rewordings of bank examples (written here, not in the bank): the reader is conservative,
        # it catches what is near an example, not every way of saying it (RESULTS.md)
        "I can't picture still being here by Christmas, and it's a relief",
        "je ne me vois plus là cet été et franchement ça me soulage",
        "j'ai laissé une lettre pour chacun, personne n'aura plus à s'inquiéter pour moi après ce soir",
    ],
)
def test_paraphrases_the_table_misses_are_raised_and_marked_learned(text: str) -> None:
    plain, learned = read(text)
    assert not plain.has_signal(SignalKind.SELF_HARM), "the table reads it now: pick another paraphrase"
    (signal,) = [s for s in learned.signals if s.kind is SignalKind.SELF_HARM]
    assert signal.detail == LEARNED_DETAIL and signal.strength < 0.8  # the crisis line, never "call now"
    assert signal.evidence[0].startswith("learned-crisis:")


@pytest.mark.parametrize(
    "text",
    [
        "thanks for everything today, you've been really helpful, bye",
        "how long should I fast before my cholesterol test?",
        "since my dad died I've been sleeping badly, any tips?",
        "I forgot my metformin last night, should I take two this morning?",
        "j'ai oublié mon insuline hier soir, je fais quoi ?",
        "merci pour tout, bonne journée",
        "et les plaquettes ?",
        "what was my last blood pressure reading?",
    ],
)
def test_ordinary_messages_stay_quiet(text: str) -> None:
    _, learned = read(text)
    assert not learned.has_signal(SignalKind.SELF_HARM), text


def test_it_never_changes_what_the_table_read() -> None:
    said = "I want to kill myself tonight, I've got the pills"
    plain, learned = read(said)
    assert plain.has_signal(SignalKind.SELF_HARM)
    assert learned.signals == plain.signals


def test_a_story_from_a_film_is_left_to_the_table() -> None:
    said = "In the film the mother says her family would manage better if she wasn't in the picture anymore"
    _, learned = read(said)
    assert not learned.has_signal(SignalKind.SELF_HARM)


# --- the decision rule, at the embedder seam -------------------------------------------------------


def _nearest(vectors: dict[str, Sequence[float]]) -> NearestCrisis:
    bank = CrisisBank((BankText("pos", "positive example"),), (BankText("neg", "negative example"),))
    base = {"positive example": (1.0, 0.0), "negative example": (0.0, 1.0)}
    return NearestCrisis(bank, FixedEmbedder({**base, **vectors}), threshold=0.8, margin=0.1)


def test_close_to_a_positive_and_far_from_every_negative_fires() -> None:
    found = _nearest({"one two three": (1.0, 0.1)}).match("one two three")
    assert found is not None and found.source == "pos" and found.sentence == "one two three"


def test_close_to_a_positive_but_as_close_to_a_negative_does_not() -> None:
    assert _nearest({"one two three": (1.0, 0.9)}).match("one two three") is None


def test_below_the_threshold_does_not() -> None:
    assert _nearest({"one two three": (0.7, 0.0, 0.72)}).match("one two three") is None


def test_short_sentences_are_not_compared() -> None:
    assert _nearest({"one two": (1.0, 0.0)}).match("one two") is None
    assert sentences_of("ok. I am fine now! thanks") == ["I am fine now"]


def test_a_bank_file_without_guidance_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bank.yaml"
    bad.write_text("version: 1\ngroups:\n  - id: g\n    examples: {en: [hello there friend]}\n")
    with pytest.raises(ValueError, match="guidance"):
        CrisisBank.load(table(), bad)


def test_every_group_has_an_id_guidance_and_both_languages() -> None:
    raw = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    ids = [g["id"] for g in raw["groups"]]
    assert len(ids) == len(set(ids))
    for group in raw["groups"]:
        assert group["guidance"]
        for key in ("examples", "near_misses"):
            if key in group:
                assert set(group[key]) == {"en", "fr"}, (group["id"], key)
