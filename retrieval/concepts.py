"""Patient words ↔ codes, in English and French (data in ``data/concepts.yaml``).

Patients say "sugar", "tension" or "IMC"; records say LOINC 4548-4, 85354-9, 39156-5. The map turns one
into the other for exact queries, gives every card a plain name in both languages, and tells the ranker
which kind of entry a question is about.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from retrieval.model import Code

_EDGE_PUNCT = re.compile(r"(?<![a-z0-9])[.'/-]+|[.'/-]+(?![a-z0-9])")
_ELISION = re.compile(r"(?<![a-z])(jusqu|lorsqu|puisqu|qu|[cdjlmnst])'")
DEFAULT_CONCEPTS_FILE = Path(__file__).parent / "data" / "concepts.yaml"


def normalize(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, French elisions split: "Glycémie d'hier ?" → 'glycemie d hier'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("œ", "oe").replace("’", "'")
    # French elision: "d'hémoglobine", "l'asthme", "qu'il" → "d hemoglobine" (the noun must stand alone).
    stripped = _ELISION.sub(r"\1 ", stripped)
    spaced = re.sub(r"[^a-z0-9%'./-]+", " ", stripped)
    # Keep "7.2", "a1c" and "pre-diabetes" whole, but drop punctuation at word edges ("sugar." → "sugar").
    return " ".join(_EDGE_PUNCT.sub(" ", spaced).split())


@dataclass(frozen=True)
class UsualRange:
    low: float | None
    high: float | None
    unit: str
    source: str

    def describe(self) -> str:
        return self.source

    def contains(self, value: float) -> bool:
        """``high`` is exclusive: a value at the threshold is already outside the usual range."""
        if self.low is not None and value < self.low:
            return False
        return not (self.high is not None and value >= self.high)


@dataclass(frozen=True)
class Concept:
    key: str
    codes: frozenset[tuple[str, str]]
    en: str
    en_plain: str
    fr: str
    fr_plain: str
    words: tuple[str, ...]
    usual_range: UsualRange | None = None

    def matches(self, code: Code) -> bool:
        return (code.system, code.code) in self.codes

    def plain(self, lang: str = "en") -> str:
        return f"{self.fr} — {self.fr_plain}" if lang == "fr" else f"{self.en} — {self.en_plain}"


@dataclass
class ConceptMap:
    """Look-ups both ways: code → concept, text → concepts and intended resource types."""

    concepts: list[Concept]
    type_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _by_code: dict[tuple[str, str], Concept] = field(default_factory=dict, repr=False)
    _by_key: dict[str, Concept] = field(default_factory=dict, repr=False)
    _phrases: list[tuple[str, str]] = field(default_factory=list, repr=False)
    _type_phrases: list[tuple[str, str]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        for concept in self.concepts:
            self._by_key[concept.key] = concept
            for sys_code in concept.codes:
                self._by_code.setdefault(sys_code, concept)
            for word in {*concept.words, concept.en, concept.fr}:
                self._phrases.append((normalize(word), concept.key))
        for rtype, words in self.type_words.items():
            for word in words:
                self._type_phrases.append((normalize(word), rtype))
        # Longest phrases first, so "bad cholesterol" wins over "cholesterol".
        self._phrases.sort(key=lambda p: -len(p[0]))
        self._type_phrases.sort(key=lambda p: -len(p[0]))

    @classmethod
    def load(cls, path: Path = DEFAULT_CONCEPTS_FILE) -> ConceptMap:
        return _load_cached(path)

    def get(self, key: str) -> Concept | None:
        return self._by_key.get(key)

    def for_code(self, code: Code) -> Concept | None:
        return self._by_code.get((code.system, code.code))

    def for_codes(self, codes: Iterable[Code]) -> Concept | None:
        for code in codes:
            concept = self.for_code(code)
            if concept:
                return concept
        return None

    def find(self, text: str) -> list[Concept]:
        """Concepts named in ``text``, longest phrase first; each phrase consumes its words."""
        return [self._by_key[k] for k in _match(normalize(text), self._phrases)]

    def find_types(self, text: str) -> list[str]:
        return _match(normalize(text), self._type_phrases)

    def resolve(self, term: str) -> list[Concept]:
        """A concept key, a code ("4548-4", "http://loinc.org|4548-4") or patient words → concepts."""
        term = term.strip()
        if term in self._by_key:
            return [self._by_key[term]]
        system, _, code = term.rpartition("|")
        hits = [
            c for c in self.concepts if any(cc == code and (not system or s == system) for s, cc in c.codes)
        ]
        return hits or self.find(term)


def _match(text: str, phrases: list[tuple[str, str]]) -> list[str]:
    padded = f" {text} "
    found: list[str] = []
    consumed: list[str] = []
    for phrase, key in phrases:
        needle = f" {phrase} "
        if phrase and (needle in padded or phrase in consumed):
            if needle in padded:
                padded = padded.replace(needle, " \x00 ")
                consumed.append(phrase)
            if key not in found:
                found.append(key)
    return found


@lru_cache(maxsize=4)
def _load_cached(path: Path) -> ConceptMap:
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    systems: dict[str, str] = raw.get("systems", {})
    concepts = []
    for item in raw.get("concepts", []):
        codes = set()
        for token in item["codes"]:
            alias, _, code = str(token).partition("|")
            codes.add((systems.get(alias, alias), code))
        rng = item.get("range")
        usual = (
            UsualRange(
                low=rng.get("low"), high=rng.get("high"), unit=str(rng.get("unit", "")), source=rng["source"]
            )
            if rng
            else None
        )
        concepts.append(
            Concept(
                key=item["key"],
                codes=frozenset(codes),
                en=item["en"],
                en_plain=item["en_plain"],
                fr=item["fr"],
                fr_plain=item["fr_plain"],
                words=tuple(str(w) for w in item.get("words", [])),
                usual_range=usual,
            )
        )
    types = {k: tuple(str(w) for w in v) for k, v in raw.get("types", {}).items()}
    return ConceptMap(concepts=concepts, type_words=types)
