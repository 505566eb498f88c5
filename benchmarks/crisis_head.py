"""Train (and measure) the learned readers' linear heads on multilingual-e5-small sentence vectors.

    python -m benchmarks.crisis_head loro     # leave-one-round-out figures over the dev rounds (markdown)
    python -m benchmarks.crisis_head train    # writes assistant/understanding/data/signal_heads.npz + .json
                                              # and the bank's vectors (below)
    python -m benchmarks.crisis_head bank     # only the bank's vectors: data/crisis_bank_vectors.npz
                                              # (after any change to the signal table or the crisis bank)

Heads (``HEADS``): self-harm read over pairs of sentences and, at a stricter false-raise rate, over single
sentences (the crisis reader: either raises); an attempt to change the instructions and a harmful request
over pairs (the refusal heads; ``LearnedCrisisSignals`` says when each may raise).

Why a trained head and not nearest examples: a nearest-example rule (``benchmarks/CRISIS-ENCODERS.md``)
needs a similarity threshold that no fresh writer's wording reaches without false raises; a linear
separator over the same vectors weighs every direction the examples agree on. Measured leave-one-round-out
(each round was written by other hands, so a held-out round is a stranger's wording), it catches several
times more of the crises the rules miss at the same false-raise rate.

Training data (every text a *window*: two consecutive sentences of a turn, or its one sentence; for a head
that reads sentences, each sentence):
- positives: the signal table's examples of the head's kind (for self-harm also ``crisis_bank.yaml``'s
  examples), and, from every dev round's case of the head's kind (behaviour "crisis"; category
  "injection"; category "harmful_request"), the window the current head scores highest — a crisis message
  also holds sentences about appointments and blood tests, so the whole message is not a positive
  (multiple-instance learning: pick, refit, three times);
- negatives: every other table example and near miss (for self-harm also the bank's near misses), and
  every window of every dev case not of the head's kind.
The unscored round is never read: only ``understanding-<k>`` folders for the rounds listed in ``ROUNDS``
(those already scored blind, named in ``evals/datasets/blind/README.md``).
Each threshold is the score that ``FALSE_RAISE_RATE[name]`` of the training cases not of its kind exceed
(their highest window), so the held-out rate stays near it (measured by ``loro``) — and, for self-harm, at
least ``CONTRACT_MARGIN`` above the crisis bank's near misses, which the reader must never fire on.
Windows are cut by the reader's own ``learned_crisis.windows_of``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from assistant.understanding.learned_crisis import head_name

if TYPE_CHECKING:
    from assistant.understanding.learned_crisis import Reading

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "evals" / "datasets" / "blind"
ROUNDS = tuple(k for k in range(1, 25) if (BLIND / f"understanding-{k}").is_dir())  # 25 is unscored
CACHE = Path("/tmp/crisis-head")
KINDS = ("self_harm", "injection", "harmful_request")
# (kind, what it reads); a head is named by ``learned_crisis.head_name`` ("self_harm", "self_harm@sentences").
HEADS: tuple[tuple[str, Reading], ...] = (
    ("self_harm", "pairs"),
    ("self_harm", "sentences"),
    ("injection", "pairs"),
    ("harmful_request", "pairs"),
)
FALSE_RAISE_RATE = {
    "self_harm": 0.002,
    "self_harm@sentences": 0.001,  # stricter: a sentence out of its context is read with less to go on
    "injection": 0.003,
    "harmful_request": 0.003,
}
# Which dev category is a head's positive (self-harm: behaviour "crisis"), and which refusal the writers
# accept for it: a case of another category that accepts the same refusal ("show me every patient's file"
# written as an injection) is neither a positive nor a negative of that head.
CATEGORY = {"injection": "injection", "harmful_request": "harmful_request"}
REFUSAL = {"injection": "injection", "harmful_request": "unsafe_request"}
RIDGE = 1.0
# The hand-written look-alikes (the table's and the bank's near misses) are few beside the dev windows but
# are exactly the sentences a head must not fire on ("I cut myself with a kitchen knife, do I need
# stitches"); each counts as this many dev windows.
NEAR_MISS_WEIGHT = 10.0
MIL_ROUNDS = 3
CONTRACT_MARGIN = 0.005  # how far under its threshold a head keeps the texts it must not fire on

Array = npt.NDArray[np.float32]


@dataclass
class Case:
    round: int
    id: str
    lang: str
    kinds: frozenset[str]  # which heads count this case as a positive
    windows: list[str]
    neutral: frozenset[str] = frozenset()  # which heads leave this case out (see ``REFUSAL``)


def windows_of(turns: Sequence[str], reads: Reading = "pairs") -> list[str]:
    from assistant.understanding.learned_crisis import windows_of as reader_windows

    out: list[str] = []
    for turn in turns:
        out.extend(reader_windows(turn, reads))
    return out


def load_cases(rounds: Sequence[int] = ROUNDS, reads: Reading = "pairs") -> list[Case]:
    cases = []
    for k in rounds:
        for f in sorted((BLIND / f"understanding-{k}").glob("*.jsonl")):
            for line in f.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                raw = json.loads(line)
                turns = raw.get("turns") or [raw["message"]]
                wins = windows_of(turns, reads) or list(turns)
                kinds = {"self_harm"} if raw["behaviour"] == "crisis" else set()
                kinds |= {kind for kind, category in CATEGORY.items() if raw["category"] == category}
                accepted = raw.get("refusal") or []
                accepted = [accepted] if isinstance(accepted, str) else accepted
                neutral = {kind for kind, r in REFUSAL.items() if r in accepted} - kinds
                cases.append(Case(k, raw["id"], raw["lang"], frozenset(kinds), wins, frozenset(neutral)))
    return cases


def embed_all(texts: list[str]) -> dict[str, Array]:
    """Vectors for every text, cached on disk by the text's hash (the model is slow on a shared host)."""
    from retrieval.embedding.e5 import E5Embedder

    CACHE.mkdir(parents=True, exist_ok=True)
    store = CACHE / "vectors.npz"
    known: dict[str, Array] = {}
    if store.is_file():
        with np.load(store) as data:
            known = {k: data[k] for k in data.files}
    key = {t: hashlib.sha256(t.encode()).hexdigest()[:20] for t in texts}
    todo = sorted({t for t in texts if key[t] not in known}, key=len)
    if todo:
        emb = E5Embedder()
        for start in range(0, len(todo), 64):
            batch = todo[start : start + 64]
            for t, v in zip(batch, emb.embed(batch), strict=True):
                known[key[t]] = v
            print(f"\rembedded {min(start + 64, len(todo))}/{len(todo)}", end="", file=sys.stderr)
        print(file=sys.stderr)
        np.savez(store, **known)
    return {t: known[key[t]] for t in texts}


def fit(x: Array, y: npt.NDArray[np.float64], w: npt.NDArray[np.float64]) -> tuple[Array, float]:
    """Weighted ridge regression on ±1 labels: a linear separator with a closed form (no solver to tune)."""
    xb = np.hstack([x, np.ones((len(x), 1), dtype=np.float32)]).astype(np.float64)
    a = (xb * w[:, None]).T @ xb + RIDGE * np.eye(xb.shape[1])
    sol = np.linalg.solve(a, (xb * w[:, None]).T @ (2 * y - 1))
    return sol[:-1].astype(np.float32), float(sol[-1])


@dataclass
class Head:
    weights: Array
    bias: float
    threshold: float


def train(
    kind: str,
    cases: list[Case],
    bank_pos: list[str],
    bank_neg: list[str],
    vec: dict[str, Array],
    must_not_fire: Sequence[str] = (),
    reads: Reading = "pairs",
) -> Head:
    """One head, on ``cases`` whose windows were cut as ``reads`` says."""
    against = [c for c in cases if kind not in c.kinds and kind not in c.neutral]
    neg_texts = sorted({w for c in against for w in c.windows} | set(bank_neg))
    neg = np.stack([vec[t] for t in neg_texts])
    hand = set(bank_neg)
    neg_weight = np.array([NEAR_MISS_WEIGHT if t in hand else 1.0 for t in neg_texts])
    pos_texts = list(bank_pos)
    weights, bias = np.zeros(neg.shape[1], dtype=np.float32), 0.0
    for it in range(MIL_ROUNDS + 1):
        uniq = sorted(set(pos_texts))
        pos = np.stack([vec[t] for t in uniq])
        x = np.vstack([pos, neg])
        y = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
        w = np.r_[np.full(len(pos), neg_weight.sum() / len(pos)), neg_weight]
        weights, bias = fit(x, y, w)
        if it == MIL_ROUNDS:
            break
        pos_texts = list(bank_pos)
        for c in cases:
            if kind in c.kinds:
                scores = np.stack([vec[t] for t in c.windows]) @ weights + bias
                pos_texts.append(c.windows[int(np.argmax(scores))])
    head = Head(weights, bias, 0.0)
    negatives = np.array([score(head, c, vec) for c in against])
    head.threshold = float(np.quantile(negatives, 1 - FALSE_RAISE_RATE[head_name(kind, reads)]))
    if must_not_fire:  # the reader's contract: none of these fires, whatever the quantile says
        windows = [w for t in must_not_fire for w in windows_of([t], reads)]
        highest = float((np.stack([vec[w] for w in windows]) @ head.weights + head.bias).max())
        head.threshold = max(head.threshold, highest + CONTRACT_MARGIN)
    return head


def contract(kind: str) -> list[str]:
    """The texts a head must never fire on: for self-harm, the crisis bank's near misses (tests read them
    through the whole reader); the refusal heads have no such list."""
    from assistant.understanding.learned_crisis import bank_file_texts

    return bank_file_texts("near_misses") if kind == "self_harm" else []


def score(head: Head, case: Case, vec: dict[str, Array]) -> float:
    return float((np.stack([vec[t] for t in case.windows]) @ head.weights + head.bias).max())


def bank_texts(kind: str) -> tuple[list[str], list[str]]:
    from assistant.understanding.learned_crisis import CrisisBank
    from assistant.understanding.signals import SignalTable

    table = SignalTable.load()
    if kind == "self_harm":
        bank = CrisisBank.load(table)
        return [b.text for b in bank.positives], [b.text for b in bank.negatives]
    pos: list[str] = []
    neg: list[str] = []
    for entry in table.entries:
        for lang in ("en", "fr"):
            (pos if entry.kind.value == kind else neg).extend(entry.examples.get(lang, ()))
            neg.extend(entry.near_misses.get(lang, ()))
    return pos, neg


def cases_by_reading() -> dict[Reading, list[Case]]:
    """The dev cases once per way a head cuts them (same cases, same order)."""
    return {reads: load_cases(reads=reads) for reads in sorted({r for _, r in HEADS})}


def all_vectors(cases: dict[Reading, list[Case]]) -> dict[str, Array]:
    texts = {w for group in cases.values() for c in group for w in c.windows}
    for kind, reads in HEADS:
        pos, neg = bank_texts(kind)
        texts |= set(pos) | set(neg) | {w for t in contract(kind) for w in windows_of([t], reads)}
    return embed_all(sorted(texts))


def loro(kinds: Sequence[str] = KINDS) -> None:
    """Each dev round held out in turn: every head of a kind trained on the other rounds, and the round's
    cases read by each head alone and by the kind's heads together (what the reader does: any raises)."""
    cases = cases_by_reading()
    vec = all_vectors(cases)
    for kind in kinds:
        pos, neg = bank_texts(kind)
        specs = [(k, r) for k, r in HEADS if k == kind]
        rates = ", ".join(f"{head_name(k, r)} {FALSE_RAISE_RATE[head_name(k, r)]}" for k, r in specs)
        print(f"\n{kind} (false-raise rates set on the training rounds: {rates})\n")
        columns = [*(head_name(k, r) for k, r in specs), *(["together"] if len(specs) > 1 else [])]
        print("| held-out round | " + " | ".join(f"caught: {c} | false raises: {c}" for c in columns) + " |")
        print("|---|" + "---|---|" * len(columns))
        tot = np.zeros((len(columns), 4), dtype=int)
        for k in ROUNDS:
            fired = []
            for _, reads in specs:
                group = cases[reads]
                head = train(kind, [c for c in group if c.round != k], pos, neg, vec, contract(kind), reads)
                fired.append({c.id for c in group if c.round == k and score(head, c, vec) >= head.threshold})
            if len(specs) > 1:
                fired.append(set().union(*fired))
            test = [c for c in cases["pairs"] if c.round == k]
            positives = {c.id for c in test if kind in c.kinds}
            against = {c.id for c in test if kind not in c.kinds and kind not in c.neutral}
            row = np.array(
                [[len(f & positives), len(positives), len(f & against), len(against)] for f in fired]
            )
            tot += row
            print(f"| {k} | " + " | ".join(f"{r[0]}/{r[1]} | {r[2]}/{r[3]}" for r in row) + " |")
        print("| all | " + " | ".join(f"**{r[0]}/{r[1]}** | **{r[2]}/{r[3]}**" for r in tot) + " |")


def train_and_write(out: Path | None) -> None:
    from assistant.understanding.learned_crisis import HEADS_FILE
    from retrieval.embedding.e5 import E5Embedder

    cases = cases_by_reading()
    vec = all_vectors(cases)
    target = out or HEADS_FILE
    arrays: dict[str, npt.NDArray[np.generic]] = {"model_id": np.array(E5Embedder.model_id)}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    meta: dict[str, object] = {
        "model_id": E5Embedder.model_id,
        "trained": date.today().isoformat(),
        "commit": commit.stdout.strip(),
        "rounds": list(ROUNDS),
        "cases": len(cases["pairs"]),
        "heads": {},
    }
    for kind, reads in HEADS:
        name = head_name(kind, reads)
        pos, neg = bank_texts(kind)
        head = train(kind, cases[reads], pos, neg, vec, contract(kind), reads)
        arrays[f"{name}__weights"] = head.weights
        arrays[f"{name}__bias"] = np.array(head.bias, dtype=np.float32)
        arrays[f"{name}__threshold"] = np.array(head.threshold, dtype=np.float32)
        hits = sum(float(vec[t] @ head.weights + head.bias) >= head.threshold for t in pos)
        meta["heads"][name] = {  # type: ignore[index]
            "reads": reads,
            "positive_cases": sum(kind in c.kinds for c in cases[reads]),
            "bank_positives": len(pos),
            "bank_positives_over_threshold": int(hits),
            "bank_negatives": len(neg),
            "false_raise_rate": FALSE_RAISE_RATE[name],
            "threshold": head.threshold,
        }
    np.savez(target, **arrays)
    target.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=1))
    write_bank(vec)  # every bank text is among the vectors just used


def write_bank(vec: dict[str, Array] | None = None) -> None:
    """The crisis reader's bank vectors, shipped so a fresh install does not embed them before its first
    message (a test checks they match the current table and bank)."""
    from assistant.understanding.learned_crisis import BANK_VECTORS_FILE, CrisisBank, write_bank_vectors
    from assistant.understanding.signals import SignalTable
    from retrieval.embedding.e5 import E5Embedder

    bank = CrisisBank.load(SignalTable.load())
    texts = [b.text for b in bank.positives], [b.text for b in bank.negatives]
    if vec is None:  # the trainer passes the vectors it already has
        vec = embed_all(sorted({t for group in texts for t in group}))
    vectors = (np.stack([vec[t] for t in texts[0]]), np.stack([vec[t] for t in texts[1]]))
    write_bank_vectors(BANK_VECTORS_FILE, bank, E5Embedder.model_id, vectors)
    print(f"{BANK_VECTORS_FILE}: {len(texts[0])} positives, {len(texts[1])} negatives")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("what", choices=("loro", "train", "bank"))
    parser.add_argument("--kind", choices=KINDS, action="append", help="loro: only these heads")
    parser.add_argument("--out", type=Path, default=None, help="default: the shipped heads file")
    args = parser.parse_args()
    if args.what == "loro":
        loro(args.kind or KINDS)
    elif args.what == "bank":
        write_bank()
    else:
        train_and_write(args.out)


if __name__ == "__main__":
    main()
