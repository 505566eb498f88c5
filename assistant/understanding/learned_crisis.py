"""A learned second reader for suicidal crisis: sentences nearest in meaning to known ways of saying it.

Why: the signal table reads self-harm from phrase families, and on every fresh blind round it caught only
about half of the crisis messages — writers rarely use a family's words ("nobody will have to worry about
me after tonight", "random question, how high does a fall have to be"). Meaning carries further than
words, so each sentence of a message is embedded with the model the project already ships
(all-MiniLM-L6-v2 as int8 ONNX, ``retrieval.MiniLMEmbedder``: offline, CPU) and compared with a bank of
examples: the table's own self-harm examples and ``data/crisis_bank.yaml`` (positives), and every other
example and near miss of the table and the bank (negatives: lethal-amount questions, missed doses,
grief, a film plot…).

A sentence raises a crisis only when it is close to a positive (``threshold``) AND closer to it than to
any negative by ``margin``: on the project's 2,606 non-crisis dev messages this fired on none (RESULTS.md).
It only ever RAISES: it runs when the table found no self-harm at all and the message is not framed as
fiction, and what it adds is a passive-wish signal (the crisis line today, never "call now"), with
``learned-crisis:<example id>`` as evidence so the audit shows which example it resembled.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from assistant.understanding.clauses import split_sentences
from assistant.understanding.model import ConversationContext, Signal, SignalKind
from assistant.understanding.signals import SignalTable
from assistant.understanding.stage import Draft, SignalReader
from retrieval import Embedder

__all__ = ["BankText", "CrisisBank", "CrisisMatch", "LearnedCrisisSignals", "NearestCrisis", "sentences_of"]

DATA_FILE = Path(__file__).parent / "data" / "crisis_bank.yaml"
DEFAULT_THRESHOLD = 0.8  # cosine similarity to the nearest positive
DEFAULT_MARGIN = 0.1  # how much closer to that positive than to the nearest negative
MIN_WORDS = 3  # shorter sentences ("et les plaquettes ?") carry too little meaning to compare
LEARNED_STRENGTH = 0.6  # enough for the crisis protocol (the guard's CRISIS_AT is 0.5), below a plan
LEARNED_DETAIL = "passive"  # what the table calls a wish not to be here: the crisis line, today
_WARM_BATCH = 32  # texts embedded between two checks that the process is not ending


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
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for group in _groups(raw, path):
            gid = str(group["id"])
            positives.extend(BankText(gid, t) for t in _texts(group.get("examples"), f"{path}: {gid}"))
            negatives.extend(BankText(gid, t) for t in _texts(group.get("near_misses"), f"{path}: {gid}"))
        if not positives or not negatives:
            raise ValueError(f"{path}: the crisis bank needs positives and negatives")
        return cls(tuple(positives), tuple(negatives))


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
    ) -> None:
        self.bank = bank
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.threshold = threshold
        self.margin = margin
        self._matrices: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()

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
                self._matrices = self._cached()
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
    def _cache_file(self) -> Path | None:
        """Where this bank's vectors are kept between processes: named by a hash of the model and every
        text, so a changed bank or model never reads stale vectors."""
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256()
        digest.update(type(self.embedder).__qualname__.encode())
        digest.update(str(getattr(self.embedder, "model_path", "")).encode())
        for b in (*self.bank.positives, None, *self.bank.negatives):
            digest.update(b"\x00" if b is None else b.text.encode() + b"\x01")
        return self.cache_dir / f"crisis-bank-{digest.hexdigest()[:24]}.npz"

    def _cached(self) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]] | None:
        path = self._cache_file
        if path is None or not path.is_file():
            return None
        try:
            with np.load(path) as data:
                pos, neg = data["positives"], data["negatives"]
        except (OSError, ValueError, KeyError):  # a damaged cache is recomputed, never trusted
            return None
        if pos.shape[0] != len(self.bank.positives) or neg.shape[0] != len(self.bank.negatives):
            return None
        return pos.astype(np.float32), neg.astype(np.float32)

    def _store(self, matrices: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]) -> None:
        path = self._cache_file
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
            np.savez(tmp, positives=matrices[0], negatives=matrices[1])
            os.replace(tmp, path)  # atomic: a reader sees the old file or the whole new one
        except OSError:
            return  # a read-only home: the vectors are simply computed again next time

    def match(self, text: str) -> CrisisMatch | None:
        """The closest qualifying sentence of ``text`` (clean text, not folded: the model reads accents and
        contractions as written), or None."""
        sentences = sentences_of(text)
        if not sentences:
            return None
        matrices = self._bank_vectors()
        assert matrices is not None  # only the interrupted warm-up returns None
        positives, negatives = matrices
        vectors = self.embedder.embed(sentences)
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


def sentences_of(text: str) -> list[str]:
    """The sentences worth comparing: each of at least ``MIN_WORDS`` words."""
    spans = split_sentences(text)
    return [s for s in (text[a:b].strip() for a, b in spans) if len(s.split()) >= MIN_WORDS]


class LearnedCrisisSignals:
    """A ``SignalReader``: the table's signals, plus a learned crisis signal when the table saw none."""

    def __init__(self, table: SignalReader, nearest: NearestCrisis) -> None:
        self.table = table
        self.nearest = nearest

    def read(self, draft: Draft, context: ConversationContext) -> tuple[Signal, ...]:
        signals = self.table.read(draft, context)
        if any(s.kind in (SignalKind.SELF_HARM, SignalKind.FICTION) for s in signals):
            return signals
        found = self.nearest.match(draft.text.clean)
        if found is None:
            return signals
        learned = Signal(
            kind=SignalKind.SELF_HARM,
            strength=LEARNED_STRENGTH,
            detail=LEARNED_DETAIL,
            evidence=(f"learned-crisis:{found.source}",),
        )
        return (*signals, learned)
