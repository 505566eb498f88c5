"""Which kind of answer a message wants, decided from word lists in ``data/intents.yaml``.

Keeping the words in data (English and French side by side) makes the offline composer auditable: a
reviewer can read exactly which words steer a message to the allergy list or the trend answer, and a
clinic can extend them without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fhir_client.yaml_data import load_yaml
from retrieval.concepts import normalize

INTENTS_FILE = Path(__file__).parent / "data" / "intents.yaml"


@dataclass(frozen=True)
class WordList:
    """One intent's phrases compiled to a single regular expression over normalised text."""

    name: str
    pattern: re.Pattern[str]

    def matches(self, normalized_text: str) -> bool:
        return self.pattern.search(normalized_text) is not None


def _phrase_regex(phrase: str) -> str:
    words = normalize(phrase.replace("*", " STAR ")).replace(" star", "*").split()
    parts = [re.escape(w[:-1]) + r"[a-z0-9'-]*" if w.endswith("*") else re.escape(w) for w in words]
    return r"\s+".join(parts)


def compile_words(name: str, phrases: list[str]) -> WordList:
    """One word list from phrases in any language (``*`` = any ending); used for topics too."""
    alternatives = sorted({_phrase_regex(p) for p in phrases if p.strip()}, key=len, reverse=True)
    pattern = re.compile(r"(?<![a-z0-9'])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")
    return WordList(name, pattern)


class Intents:
    """Word lists by intent; ``has(text, "allergies")`` looks in both languages at once.

    Both languages are searched whatever the message language, because patients mix them ("mon A1c",
    "my tension") and because a wrong language guess must not hide an intent.
    """

    def __init__(self, lists: dict[str, WordList]) -> None:
        self._lists = lists

    @classmethod
    def load(cls, path: Path = INTENTS_FILE) -> Intents:
        return _load(path)

    @property
    def names(self) -> list[str]:
        return sorted(self._lists)

    def has(self, text: str, name: str) -> bool:
        if name not in self._lists:
            raise KeyError(f"unknown intent word list {name!r}; known: {', '.join(self.names)}")
        return self._lists[name].matches(normalize(text))

    def which(self, text: str, names: list[str]) -> list[str]:
        norm = normalize(text)
        return [n for n in names if self._lists[n].matches(norm)]


@lru_cache(maxsize=4)
def _load(path: Path) -> Intents:
    raw = load_yaml(path.read_text(encoding="utf-8"))
    lists: dict[str, WordList] = {}
    for name, by_lang in raw.items():
        if not isinstance(by_lang, dict) or not {"en", "fr"} <= set(by_lang):
            raise ValueError(f"{path.name}: intent {name!r} needs word lists for both 'en' and 'fr'")
        lists[name] = compile_words(name, [str(p) for p in [*by_lang["en"], *by_lang["fr"]]])
    return Intents(lists)
