"""Learned second readers: linear heads over sentence vectors, for a suicidal crisis and two refusals.

Why: the signal table reads self-harm from phrase families, and on every fresh blind round it caught only
about half of the crisis messages — writers rarely use a family's words ("nobody will have to worry about
me after tonight", "random question, how high does a fall have to be"). Meaning carries further than
words, so each two consecutive sentences of a message, and for a second self-harm head each sentence alone
(``windows_of``), are embedded with multilingual-e5-small (``retrieval.E5Embedder``: offline, CPU, French
as well as English) and scored by heads trained on the dev rounds (``benchmarks/crisis_head.py``;
``LinearHead``, ``load_heads``). Beside the self-harm heads, a bank of examples — the table's own self-harm
examples and ``data/crisis_bank.yaml`` (positives), every other example and near miss of the table and the
bank (negatives: lethal-amount questions, missed doses, grief, a film plot…) — names what a raise
resembled, and a near copy of a positive (``threshold`` and ``margin``) raises even under the heads'
thresholds.

They only ever RAISE: a crisis where the table found no self-harm and the message is not framed as
fiction — a passive-wish signal (the crisis line today, never "call now") with ``learned-crisis:<example
id>`` as evidence, so the audit shows which example it resembled — or a refusal where the table asked for
none (``LearnedCrisisSignals``).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import itertools
import os
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
import numpy.typing as npt

from assistant.understanding.clauses import split_sentences
from assistant.understanding.model import SIGNAL_REFUSAL, ConversationContext, Signal, SignalKind
from assistant.understanding.signals import SignalTable
from assistant.understanding.stage import Draft, SignalReader
from fhir_client.yaml_data import load_yaml
from retrieval import Embedder

__all__ = [
    "BankText",
    "CrisisBank",
    "CrisisMatch",
    "LearnedCrisisSignals",
    "LinearHead",
    "NearestCrisis",
    "Reading",
    "bank_file_texts",
    "head_name",
    "load_heads",
    "read_bank_vectors",
    "sentences_of",
    "windows_of",
    "write_bank_vectors",
]

DATA_FILE = Path(__file__).parent / "data" / "crisis_bank.yaml"
HEADS_FILE = Path(__file__).parent / "data" / "signal_heads.npz"
# The bank's vectors as the trainer computed them (``python -m benchmarks.crisis_head bank``), so a fresh
# install does not embed ~1,200 texts before its first crisis check (about half a minute of CPU, minutes on
# a loaded host); used only while its digest matches the bank and the model (else embedded and cached).
BANK_VECTORS_FILE = Path(__file__).parent / "data" / "crisis_bank_vectors.npz"
GATES_FILE = Path(__file__).parent / "data" / "learned_gates.yaml"
VETOES_FILE = Path(__file__).parent / "data" / "learned_vetoes.yaml"
DEFAULT_THRESHOLD = 0.8  # cosine similarity to the nearest positive
DEFAULT_MARGIN = 0.1  # how much closer to that positive than to the nearest negative
# The same rule on multilingual-e5-small vectors, beside the head: e5 puts every pair of sentences at 0.8 or
# more, so only a near copy of a bank example counts (0 false raises on the 4,174 dev non-crisis cases).
E5_THRESHOLD = 0.94
E5_MARGIN = 0.04
MIN_WORDS = 3  # shorter sentences ("et les plaquettes ?") carry too little meaning to compare
LEARNED_STRENGTH = 0.6  # enough for the crisis protocol (the guard's CRISIS_AT is 0.5), below a plan
LEARNED_REFUSAL_STRENGTH = 0.6  # enough to refuse (the guard's REFUSE_AT is 0.5), below a table entry's
LEARNED_DETAIL = "passive"  # what the table calls a wish not to be here: the crisis line, today
_WARM_BATCH = 32  # texts embedded between two checks that the process is not ending
# What a head reads: each two consecutive sentences (``windows_of``), or each sentence alone.
Reading = Literal["pairs", "sentences"]


@dataclass(frozen=True)
class BankText:
    """One example of the bank and where it comes from (a table entry id or a bank group id)."""

    source: str
    text: str


@dataclass(frozen=True)
class CrisisBank:
    positives: tuple[BankText, ...]
    negatives: tuple[BankText, ...]

    @classmethod
    def load(cls, table: SignalTable, path: Path = DATA_FILE) -> CrisisBank:
        """The table's examples (self-harm ones positive, all others and every near miss negative) and the
        bank file's groups."""
        positives: list[BankText] = []
        negatives: list[BankText] = []
        for entry in table.entries:
            for lang in ("en", "fr"):
                examples = [BankText(entry.id, t) for t in entry.examples.get(lang, ())]
                (positives if entry.kind is SignalKind.SELF_HARM else negatives).extend(examples)
                negatives.extend(BankText(entry.id, t) for t in entry.near_misses.get(lang, ()))
        raw = load_yaml(path.read_text(encoding="utf-8"))
        for group in _groups(raw, path):
            gid = str(group["id"])
            positives.extend(BankText(gid, t) for t in _texts(group.get("examples"), f"{path}: {gid}"))
            negatives.extend(BankText(gid, t) for t in _texts(group.get("near_misses"), f"{path}: {gid}"))
        if not positives or not negatives:
            raise ValueError(f"{path}: the crisis bank needs positives and negatives")
        return cls(tuple(positives), tuple(negatives))

    def digest(self, key: str) -> str:
        """What a stored copy of this bank's vectors must name: what made them (``key``: the model, for the
        cache also the embedder and its weights) and every text, in order."""
        digest = hashlib.sha256(key.encode() + b"\x02")
        for b in (*self.positives, None, *self.negatives):
            digest.update(b"\x00" if b is None else b.text.encode() + b"\x01")
        return digest.hexdigest()


def bank_file_texts(key: str, path: Path = DATA_FILE) -> list[str]:
    """The bank file's own ``examples`` or ``near_misses`` (both languages, every group), without the
    table's: what the reader must raise on, or must never raise on (the trainer's floor and the tests)."""
    raw = load_yaml(path.read_text(encoding="utf-8"))
    return [t for g in _groups(raw, path) for t in _texts(g.get(key), f"{path}: {g['id']}")]


def _groups(raw: Any, path: Path) -> list[dict[str, Any]]:
    if not isinstance(raw, dict) or raw.get("version") != 1 or not isinstance(raw.get("groups"), list):
        raise ValueError(f"{path}: expected version 1 with a list of groups")
    groups: list[dict[str, Any]] = []
    for i, group in enumerate(raw["groups"]):
        if not isinstance(group, dict) or not group.get("id") or not group.get("guidance"):
            raise ValueError(f"{path}: group {i} needs an id and the guidance it follows")
        groups.append(group)
    return groups


def _texts(raw: Any, where: str) -> Iterable[str]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or set(raw) - {"en", "fr"}:
        raise ValueError(f"{where}: examples and near misses are given per language (en, fr)")
    texts = [t for lang in ("en", "fr") for t in raw.get(lang) or ()]
    if not all(isinstance(t, str) and t.strip() for t in texts):
        raise ValueError(f"{where}: every example is a non-empty string")
    return texts


@dataclass(frozen=True)
class LinearHead:
    """A linear separator over sentence vectors for one signal kind, trained by ``benchmarks/crisis_head.py``
    (the ``.json`` beside the heads file says on what: the dev rounds, the bank, the false-raise rate each
    threshold was set at).

    Why: nearest examples need a similarity no stranger's wording reaches without false raises; a trained
    direction generalises further (leave-one-round-out figures in ``benchmarks/RESULTS.md``)."""

    weights: npt.NDArray[np.float32]
    bias: float
    threshold: float
    model_id: str
    reads: Reading = "pairs"

    def scores(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        out: npt.NDArray[np.float32] = vectors @ self.weights + np.float32(self.bias)
        return out


def head_name(kind: str, reads: Reading) -> str:
    """How a heads file names a head: its kind ("self_harm": it reads pairs), or the kind and what it reads
    ("self_harm@sentences"). The trainer writes these names and ``load_heads`` reads them back."""
    return kind if reads == "pairs" else f"{kind}@{reads}"


def load_gates(path: Path = GATES_FILE) -> dict[SignalKind, re.Pattern[str]]:
    """The cues a learned refusal needs beside it, by kind (see the data file): one pattern per kind, its
    English and French alternatives joined."""
    raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    return {SignalKind(name): _both_languages(entry, f"{path}: gate {name!r}") for name, entry in raw.items()}


def _both_languages(entry: Mapping[str, Any], where: str) -> re.Pattern[str]:
    """An entry's English and French patterns as one pattern of alternatives (a data file's gate or veto)."""
    patterns = [*(entry.get("en") or ()), *(entry.get("fr") or ())]
    if not patterns:
        raise ValueError(f"{where} has no patterns")
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def load_heads(path: Path = HEADS_FILE) -> dict[SignalKind, tuple[LinearHead, ...]]:
    """Every head of the file, by kind, the pairs head first: ``<name>__weights``, ``<name>__bias``,
    ``<name>__threshold`` and ``model_id``, where a name is the kind ("self_harm": the head reads pairs) or
    the kind and what it reads ("self_harm@sentences")."""
    try:
        with np.load(path) as data:
            model_id = str(data["model_id"])
            names = sorted({name.split("__")[0] for name in data.files if name.endswith("__weights")})
            found: dict[SignalKind, list[LinearHead]] = {}
            for name in names:
                kind, _, reads = name.partition("@")
                if (reads or "pairs") not in get_args(Reading):
                    raise ValueError(f"{name}: a head reads pairs or sentences")
                head = LinearHead(
                    data[f"{name}__weights"].astype(np.float32),
                    float(data[f"{name}__bias"]),
                    float(data[f"{name}__threshold"]),
                    model_id,
                    "sentences" if reads == "sentences" else "pairs",
                )
                found.setdefault(SignalKind(kind), []).append(head)
    except (OSError, KeyError, ValueError) as exc:
        raise ValueError(
            f"{path}: not a file of signal heads (retrain: python -m benchmarks.crisis_head train)"
        ) from exc
    heads = {kind: tuple(sorted(hs, key=lambda h: h.reads != "pairs")) for kind, hs in found.items()}
    if not heads or any(h.weights.ndim != 1 for hs in heads.values() for h in hs):
        raise ValueError(f"{path}: no head, or weights that are not one vector per head")
    return heads


def load_vetoes(path: Path = VETOES_FILE) -> re.Pattern[str]:
    """What keeps the learned crisis reader from raising (see the data file: a means locked away or kept out
    of reach is protective): one pattern, its English and French alternatives joined."""
    raw = (load_yaml(path.read_text(encoding="utf-8")) or {}).get("self_harm") or {}
    return _both_languages(raw, f"{path}: 'self_harm'")


@dataclass(frozen=True)
class CrisisMatch:
    source: str  # the nearest positive's table entry or bank group
    example: str
    similarity: float
    margin: float
    sentence: str


class NearestCrisis:
    """Whether a message holds a sentence close to a known way of saying a crisis (module docstring)."""

    def __init__(
        self,
        bank: CrisisBank,
        embedder: Embedder,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        margin: float = DEFAULT_MARGIN,
        cache_dir: Path | None = None,
        heads: Sequence[LinearHead] = (),
        shipped: Path | None = None,
    ) -> None:
        model_id = getattr(embedder, "model_id", None)
        for head in heads:
            if model_id is not None and head.model_id != model_id:
                raise ValueError(f"the crisis head was trained on {head.model_id} vectors, not {model_id}")
        self.bank = bank
        self.embedder = embedder
        self.heads = tuple(heads)
        self.cache_dir = cache_dir
        self.shipped = shipped
        self.threshold = threshold
        self.margin = margin
        self._matrices: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._last: tuple[str, dict[Reading, tuple[list[str], npt.NDArray[np.float32]]]] | None = None

    def warm(self) -> threading.Thread:
        """Embed the bank in the background (a few seconds), so the first message does not wait for it.

        A process that ends while the model is running aborts in the runtime's own threads ("terminate
        called without an active exception"), so at exit the warm-up is asked to stop after its current
        batch and is waited for (a short command-line call ends at once; the bank is embedded later, on
        first use, if it is ever needed)."""
        thread = threading.Thread(target=self._warm, name="crisis-bank", daemon=True)
        thread.start()

        def stop() -> None:
            self._stop.set()
            thread.join()

        atexit.register(stop)
        return thread

    def _warm(self) -> None:
        self._bank_vectors(interruptible=True)

    def _bank_vectors(
        self, *, interruptible: bool = False
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]] | None:
        with self._lock:
            if self._matrices is None:
                self._matrices = self._shipped() or self._cached()
            if self._matrices is None:
                vectors = []
                for texts in ([b.text for b in self.bank.positives], [b.text for b in self.bank.negatives]):
                    parts = []
                    for start in range(0, len(texts), _WARM_BATCH):
                        if interruptible and self._stop.is_set():
                            return None
                        parts.append(self.embedder.embed(texts[start : start + _WARM_BATCH]))
                    vectors.append(np.vstack(parts))
                self._matrices = (vectors[0], vectors[1])
                self._store(self._matrices)
            return self._matrices

    @functools.cached_property
    def _cache_key(self) -> str:
        """What cached vectors must have been made with: the embedder's class, model and weights (a
        changed bank, model or weights file never reads stale vectors)."""
        parts = (
            type(self.embedder).__qualname__,
            *(getattr(self.embedder, a, "") for a in ("model_id", "model_path")),
        )
        return "|".join(str(p) for p in parts)

    @functools.cached_property
    def _cache_file(self) -> Path | None:
        """Where this bank's vectors are kept between processes, named by the bank's digest."""
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"crisis-bank-{self.bank.digest(self._cache_key)[:24]}.npz"

    def _shipped(self) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]] | None:
        """The packaged vectors, when they were computed for exactly this bank and this model."""
        model_id = getattr(self.embedder, "model_id", None)
        if self.shipped is None or model_id is None or not self.shipped.is_file():
            return None
        return read_bank_vectors(self.shipped, self.bank, str(model_id))

    def _cached(self) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]] | None:
        path = self._cache_file
        if path is None or not path.is_file():
            return None
        return read_bank_vectors(path, self.bank, self._cache_key)

    def _store(self, matrices: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]) -> None:
        path = self._cache_file
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
            write_bank_vectors(tmp, self.bank, self._cache_key, matrices, dtype=np.float32)  # as computed
            os.replace(tmp, path)  # atomic: a reader sees the old file or the whole new one
        except OSError:
            return  # a read-only home: the vectors are simply computed again next time

    def match(self, text: str) -> CrisisMatch | None:
        """What raises a crisis in ``text`` (clean text, not folded: the model reads accents and contractions
        as written), or None: the best window of the first head that reaches its threshold (the pairs head,
        then the sentences head), else (or without heads) the window (without a head: the sentence) nearest
        to a bank positive by ``threshold`` and ``margin`` — the bank stays a memory of known ways of saying
        it, whatever the heads learned."""
        for head in self.heads:
            found = self._match_head(text, head)
            if found is not None:
                return found
        if self.heads:
            sentences, vectors = self.windows(text, self.heads[0].reads)  # already embedded
        else:
            sentences = sentences_of(text)
            vectors = self.embedder.embed(sentences) if sentences else np.zeros((0, 1), dtype=np.float32)
        if not sentences:
            return None
        matrices = self._bank_vectors()
        assert matrices is not None  # only the interrupted warm-up returns None
        positives, negatives = matrices
        to_pos = vectors @ positives.T
        nearest_neg = (vectors @ negatives.T).max(axis=1)
        best: CrisisMatch | None = None
        for i, sentence in enumerate(sentences):
            j = int(np.argmax(to_pos[i]))
            similarity = float(to_pos[i, j])
            margin = similarity - float(nearest_neg[i])
            qualifies = similarity >= self.threshold and margin >= self.margin
            if qualifies and (best is None or margin > best.margin):
                positive = self.bank.positives[j]
                best = CrisisMatch(positive.source, positive.text, similarity, margin, sentence)
        return best

    def windows(self, text: str, reads: Reading = "pairs") -> tuple[list[str], npt.NDArray[np.float32]]:
        """The windows of ``text`` as ``reads`` says and their vectors. Every reading a head needs is embedded
        in one batch (a sentence and a pair that is that sentence share one vector), and the last text's are
        kept, since the refusal heads read the same message right after the crisis heads (one tuple, swapped
        whole: safe across threads)."""
        last = self._last
        if last is not None and last[0] == text and reads in last[1]:
            return last[1][reads]
        wanted: set[Reading] = {h.reads for h in self.heads} | {reads}
        sentences = sentences_of(text)
        split = {r: _cut(sentences, r) for r in sorted(wanted)}
        unique = sorted({w for ws in split.values() for w in ws})
        vectors = self.embedder.embed(unique) if unique else np.zeros((0, 1), dtype=np.float32)
        row = {w: i for i, w in enumerate(unique)}
        readings = {r: (ws, vectors[[row[w] for w in ws]] if ws else vectors[:0]) for r, ws in split.items()}
        self._last = (text, readings)
        return readings[reads]

    def _match_head(self, text: str, head: LinearHead) -> CrisisMatch | None:
        """The window the head scores highest, if it reaches the head's threshold; named after the bank
        positive nearest to it (for the audit: which known way of saying a crisis it resembles)."""
        windows, vectors = self.windows(text, head.reads)
        if not windows:
            return None
        scores = head.scores(vectors)
        i = int(np.argmax(scores))
        if float(scores[i]) < head.threshold:
            return None
        matrices = self._bank_vectors()
        assert matrices is not None  # only the interrupted warm-up returns None
        similarity = matrices[0] @ vectors[i]
        j = int(np.argmax(similarity))
        positive = self.bank.positives[j]
        return CrisisMatch(
            positive.source, positive.text, float(scores[i]), float(scores[i]) - head.threshold, windows[i]
        )


def read_bank_vectors(
    path: Path, bank: CrisisBank, key: str
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]] | None:
    """A stored copy of the bank's vectors, or None when it is damaged or was made for another bank or by
    another ``key`` (see ``CrisisBank.digest``; a stale copy is never trusted: the bank is embedded again)."""
    try:
        with np.load(path) as data:
            digest = str(data["digest"])
            pos, neg = data["positives"], data["negatives"]
    except (OSError, ValueError, KeyError):
        return None
    if digest != bank.digest(key):
        return None
    if pos.shape[0] != len(bank.positives) or neg.shape[0] != len(bank.negatives):
        return None
    return pos.astype(np.float32), neg.astype(np.float32)


def write_bank_vectors(
    path: Path,
    bank: CrisisBank,
    key: str,
    vectors: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]],
    *,
    dtype: type[np.floating[Any]] = np.float16,
) -> None:
    """Store the bank's vectors with the digest they were made for — the shipped copy and the per-user cache
    alike (the shipped copy in half precision: the rule compares cosines at two decimals)."""
    np.savez_compressed(
        path,
        digest=np.array(bank.digest(key)),
        positives=vectors[0].astype(dtype),
        negatives=vectors[1].astype(dtype),
    )


def windows_of(text: str, reads: Reading = "pairs") -> list[str]:
    """What a head reads: each two consecutive sentences worth comparing (a decision said over two
    sentences: "I've decided. There won't be a next one."), or the one sentence of a one-sentence message;
    or, for a head that reads sentences, each sentence alone.

    Why pairs first: a pair carries the sentence's context ("my dog died. I can't go on without him"
    against "I can't go on with this cough"), so the pairs head fires less on a sentence out of its
    context; but a short crisis sentence beside an unrelated question is diluted in its pair ("I don't want
    to be here any more. When is my next blood test?"), so a second head reads sentences alone at a
    stricter false-raise rate (leave-one-round-out figures of both and of the two together in
    ``benchmarks/RESULTS.md``)."""
    return _cut(sentences_of(text), reads)


def _cut(sentences: list[str], reads: Reading) -> list[str]:
    """``windows_of`` on sentences already split (the reader cuts both readings from one split)."""
    if reads == "sentences" or len(sentences) < 2:
        return sentences
    return [f"{a} {b}" for a, b in itertools.pairwise(sentences)]


def sentences_of(text: str) -> list[str]:
    """The sentences worth comparing: each of at least ``MIN_WORDS`` words."""
    spans = split_sentences(text)
    return [s for s in (text[a:b].strip() for a, b in spans) if len(s.split()) >= MIN_WORDS]


class LearnedCrisisSignals:
    """A ``SignalReader``: the table's signals, plus learned ones where the table saw none of their kind.

    - a crisis (self-harm, passive: the crisis line today) when the table read no self-harm;
    - a refusal signal (``refusal_heads``: an attempt to change the instructions, a harmful request) when
      the table asked for no refusal and read no self-harm — the crisis protocol comes first, and one
      refusal is enough: the head that clears its threshold by the most wins.
    A message framed as fiction is left to the table. Every learned signal says so in its evidence
    (``learned-crisis:<example>``, ``learned-<kind>``), so the audit shows which reader decided."""

    def __init__(
        self,
        table: SignalReader,
        nearest: NearestCrisis,
        refusal_heads: Mapping[SignalKind, Sequence[LinearHead]] | None = None,
        gates: Mapping[SignalKind, re.Pattern[str]] | None = None,
        vetoes: re.Pattern[str] | None = None,
    ) -> None:
        """``gates``: for a kind of learned refusal, what the folded message must hold for it to stand
        (``load_gates``); a kind without a gate stands on the head alone. ``vetoes``: what in the folded
        message keeps the learned crisis reader from raising (``load_vetoes``, the shipped file by default)."""
        self.table = table
        self.nearest = nearest
        self.refusal_heads = dict(refusal_heads or {})
        self.gates = dict(gates or {})
        self.vetoes = load_vetoes() if vetoes is None else vetoes

    def read(self, draft: Draft, context: ConversationContext) -> tuple[Signal, ...]:
        signals = self.table.read(draft, context)
        if any(s.kind is SignalKind.FICTION for s in signals):
            return signals
        if any(s.kind is SignalKind.SELF_HARM for s in signals):
            return signals  # the table read a crisis: nothing learned is added, not even a refusal
        text = draft.text.clean
        found = None if self.vetoes.search(draft.text.folded) else self.nearest.match(text)
        if found is not None:
            learned = Signal(
                kind=SignalKind.SELF_HARM,
                strength=LEARNED_STRENGTH,
                detail=LEARNED_DETAIL,
                evidence=(f"learned-crisis:{found.source}",),
            )
            return (*signals, learned)
        if self.refusal_heads and not any(s.kind in SIGNAL_REFUSAL for s in signals):
            refusal = self._refusal(text, draft.text.folded)
            if refusal is not None:
                return (*signals, refusal)
        return signals

    def _refusal(self, text: str, folded: str) -> Signal | None:
        best: tuple[float, SignalKind] | None = None
        for kind, heads in self.refusal_heads.items():
            gate = self.gates.get(kind)
            if gate is not None and gate.search(folded) is None:
                continue
            for head in heads:
                windows, vectors = self.nearest.windows(text, head.reads)  # the crisis heads' windows
                if not windows:
                    continue
                over = float(head.scores(vectors).max()) - head.threshold
                if over >= 0 and (best is None or over > best[0]):
                    best = (over, kind)
        if best is None:
            return None
        return Signal(kind=best[1], strength=LEARNED_REFUSAL_STRENGTH, evidence=(f"learned-{best[1].value}",))
