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

from fhir_client.yaml_data import load_yaml
from retrieval.model import Code

_EDGE_PUNCT = re.compile(r"(?<![a-z0-9])[.'/-]+|[.'/-]+(?![a-z0-9])")
_ELISION = re.compile(r"(?<![a-z])(jusqu|lorsqu|puisqu|qu|[cdjlmnst])'")
# A slash between two words joins names, not a value: "diphtheria/tetanus/whooping cough jabs",
# "tension/pouls" name each word; "14/9" and "1/2" stay whole.
_WORD_SLASH = re.compile(r"(?<=[a-z])/(?=[a-z])")
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
    """A usual adult range named with the public guidance it follows, in English and French.

    ``adult_only`` ranges (heart rate, BMI, blood pressure…) are not applied to a child's result.
    """

    low: float | None
    high: float | None
    unit: str
    source: str
    source_fr: str = ""
    adult_only: bool = False

    def describe(self, language: str = "en") -> str:
        return self.source_fr if language == "fr" and self.source_fr else self.source

    def contains(self, value: float) -> bool:
        """``high`` is exclusive: a value at the threshold is already outside the usual range."""
        if self.low is not None and value < self.low:
            return False
        return not (self.high is not None and value >= self.high)


@dataclass(frozen=True)
class PlausibleRange:
    """What a living person's result can be at all; a value outside is a recording error, never a result
    to call normal or abnormal (an HbA1c of 1 %, a temperature of 60 °C)."""

    low: float | None
    high: float | None
    unit: str

    def contains(self, value: float) -> bool:
        return not (
            (self.low is not None and value < self.low) or (self.high is not None and value > self.high)
        )


@dataclass(frozen=True)
class Concept:
    """A thing patients ask about: a test, a vital sign, a condition, a vaccine, a medicine, a procedure,
    or a group of them ("my kidney test" → eGFR, creatinine…).

    Record entries belong to it by code (``codes``) or, for kinds named in many code systems (medicines,
    cancers), by the words of their display (``display``: regular expressions over the folded display).
    """

    key: str
    codes: frozenset[tuple[str, str]]
    en: str
    en_plain: str
    fr: str
    fr_plain: str
    words: tuple[str, ...]
    usual_range: UsualRange | None = None
    kind: str = "test"
    members: tuple[str, ...] = ()
    display: tuple[re.Pattern[str], ...] = ()
    plausible: PlausibleRange | None = None
    # the measurement that follows this condition (hypertension → blood pressure), or that this procedure
    # gives (spirometry → FEV1/FVC)
    measure: str | None = None

    def matches(self, code: Code) -> bool:
        return (code.system, code.code) in self.codes

    def matches_display(self, display: str) -> bool:
        if not self.display or not display:
            return False
        folded = normalize(display)
        return any(p.search(folded) for p in self.display)

    @property
    def is_group(self) -> bool:
        return bool(self.members)

    def name(self, lang: str = "en") -> str:
        return self.fr if lang == "fr" else self.en

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
    _display_concepts: list[Concept] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._display_concepts = [c for c in self.concepts if c.display]
        for concept in self.concepts:
            self._by_key[concept.key] = concept
            for sys_code in concept.codes:
                self._by_code.setdefault(sys_code, concept)
            phrases = {normalize(w) for w in {*concept.words, concept.en, concept.fr}}
            for phrase in sorted(phrases | {_without_article(p) for p in phrases}):
                self._phrases.append((phrase, concept.key))
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

    def expand(self, key: str) -> list[Concept]:
        """A group's members (recursively), or the concept itself; unknown keys expand to nothing."""
        concept = self._by_key.get(key)
        if concept is None:
            return []
        if not concept.members:
            return [concept]
        out: list[Concept] = []
        for member in concept.members:
            for c in self.expand(member):
                if c not in out:
                    out.append(c)
        return out

    def find_named(self, text: str) -> list[Concept]:
        """Concepts (groups kept whole) named in ``text``, longest phrase first."""
        return [self._by_key[k] for k in _match(_named_words(text), self._phrases)]

    def for_entry(self, codes: Iterable[Code], display: str = "") -> Concept | None:
        """The concept a record entry belongs to: by code first, else by the words of its display."""
        found = self.for_codes(codes)
        if found is not None or not display:
            return found
        return next((c for c in self._display_concepts if c.matches_display(display)), None)

    def entry_matches(self, concept: Concept, codes: Iterable[Code], display: str = "") -> bool:
        """Does an entry with these codes/display belong to ``concept`` (or to one of its members)?"""
        targets = self.expand(concept.key) or [concept]
        pairs = {(c.system, c.code) for c in codes}
        return any(pairs & t.codes or t.matches_display(display) for t in targets)

    def for_code(self, code: Code) -> Concept | None:
        return self._by_code.get((code.system, code.code))

    def for_codes(self, codes: Iterable[Code]) -> Concept | None:
        for code in codes:
            concept = self.for_code(code)
            if concept:
                return concept
        return None

    def find(self, text: str) -> list[Concept]:
        """Concepts named in ``text``, longest phrase first; each phrase consumes its words. A group is
        given as its members ("blood sugar" → HbA1c and glucose)."""
        out: list[Concept] = []
        for concept in self.find_named(text):
            for c in self.expand(concept.key) if concept.members else [concept]:
                if c not in out:
                    out.append(c)
        return out

    def find_types(self, text: str) -> list[str]:
        return _match(_named_words(text), self._type_phrases)

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


# French names a thing "de la prostate", "du sein", "de sa prostate" or just "de prostate" ("biopsies de
# prostate", "cancer de sein"): each phrase is also known without the article after "de"
_FR_ARTICLE = re.compile(r"\b(?:de (?:la|l|le|les|sa|son|ses|ma|mon|mes)|du|des)\b(?= \w)")


def _without_article(phrase: str) -> str:
    """ "biopsie de la prostate" → "biopsie de prostate"; a phrase that opens with the article keeps it."""
    head, space, rest = phrase.partition(" ")
    return f"{head}{space}{_FR_ARTICLE.sub('de', rest)}" if space else phrase


def split_joined_words(text: str) -> str:
    """Words joined by a slash read one by one ("diphtheria/tetanus/whooping cough"); a slash between numbers
    ("14/9") is kept. Positions are kept (the slash becomes a space)."""
    return _WORD_SLASH.sub(" ", text)


def _named_words(text: str) -> str:
    """``text`` normalised for finding names in it: words joined by a slash are read one by one."""
    return split_joined_words(normalize(text))


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
    raw: dict[str, Any] = load_yaml(path.read_text(encoding="utf-8"))
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
                low=rng.get("low"),
                high=rng.get("high"),
                unit=str(rng.get("unit", "")),
                source=rng["source"],
                source_fr=str(rng.get("source_fr", "")),
                adult_only=bool(rng.get("adult_only", False)),
            )
            if rng
            else None
        )
        limits = item.get("plausible")
        plausible = (
            PlausibleRange(low=limits.get("low"), high=limits.get("high"), unit=str(limits.get("unit", "")))
            if limits
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
                kind=str(item.get("kind", "test")),
                members=tuple(item.get("members", [])),
                display=tuple(re.compile(str(p)) for p in item.get("display", [])),
                plausible=plausible,
                measure=item.get("measure"),
            )
        )
    keys = {c.key for c in concepts}
    for c in concepts:
        unknown = [m for m in c.members if m not in keys]
        if unknown:
            raise ValueError(f"{path.name}: group {c.key!r} names unknown members {unknown}")
    types = {k: tuple(str(w) for w in v) for k, v in raw.get("types", {}).items()}
    return ConceptMap(concepts=concepts, type_words=types)
