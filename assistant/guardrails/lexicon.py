"""Medicine and condition names (English and French) from the data files, plus the record's own.

Both guards need to know a drug or a diagnosis when they see one: the input guard to tell "can I stop
my metformin?" from "can I stop worrying?", the output guard to check that a medicine or condition a
reply attributes to the patient is in a cited resource. Each name maps to a key shared by its English
and French forms, so "insuline" in a French reply matches "Insulin Lispro" in the record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.guardrails._text import fold
from fhir_client.yaml_data import load_yaml as parse_yaml

DATA_DIR = Path(__file__).parent / "data"

__all__ = ["DATA_DIR", "Lexicon", "conditions", "load_yaml", "medicines", "names_regex"]


def load_yaml(path: Path) -> dict[str, Any]:
    """Read one guard data file, naming the file in any error (a clinic edits these by hand)."""
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read guard data file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"guard data file {path} must hold a mapping at the top level")
    return data


def names_regex(names: Iterable[str]) -> str:
    """One alternation, longest names first so "type 2 diabetes" wins over "diabetes"."""
    unique = sorted({n for n in names if n}, key=lambda n: (-len(n), n))
    return "(?:" + "|".join(re.escape(n).replace("\\ ", "[ -]") for n in unique) + ")" if unique else "(?!)"


def _norm(name: str) -> str:
    return name.replace("-", " ")


@dataclass(frozen=True)
class Lexicon:
    """Folded names → keys; ``find`` returns (key, name, start, end) for each name in folded text.

    Hyphens and spaces are interchangeable ("pre-diabetes" = "pre diabetes").
    """

    by_name: Mapping[str, str]
    _pattern: re.Pattern[str] = field(repr=False, compare=False, default=re.compile("(?!)"))

    @classmethod
    def build(cls, by_name: Mapping[str, str]) -> Lexicon:
        normed = {_norm(name): key for name, key in by_name.items() if name.strip()}
        pattern = re.compile(rf"(?<![a-z0-9]){names_regex(normed)}(?![a-z0-9])")
        return cls(by_name=normed, _pattern=pattern)

    def find(self, folded_text: str) -> list[tuple[str, str, int, int]]:
        hits = []
        for m in self._pattern.finditer(folded_text):
            key = self.by_name.get(_norm(m.group(0)))
            if key:
                hits.append((key, m.group(0), m.start(), m.end()))
        return hits

    def keys_in(self, folded_text: str) -> set[str]:
        return {key for key, *_ in self.find(folded_text)}

    def extended(self, extra: Mapping[str, str]) -> Lexicon:
        """This lexicon plus record-specific names (which never replace a curated key)."""
        merged = dict(extra)
        merged.update(self.by_name)
        return Lexicon.build(merged)

    @property
    def names(self) -> list[str]:
        return list(self.by_name)


def _load_lexicon(path: Path, section: str) -> Lexicon:
    data = load_yaml(path)
    entries = data.get(section)
    if not isinstance(entries, dict):
        raise ValueError(f"guard data file {path} needs a '{section}' mapping")
    by_name: dict[str, str] = {}
    for key, langs in entries.items():
        if not isinstance(langs, dict):
            raise ValueError(f"{path}: entry {key!r} must map en/fr to lists of names")
        by_name.setdefault(fold(str(key)), str(key))
        for lang in ("en", "fr"):
            for name in langs.get(lang, []) or []:
                by_name.setdefault(fold(str(name)), str(key))
    return Lexicon.build(by_name)


@lru_cache(maxsize=4)
def medicines(path: Path = DATA_DIR / "medications.yaml") -> Lexicon:
    return _load_lexicon(path, "medicines")


@lru_cache(maxsize=4)
def conditions(path: Path = DATA_DIR / "conditions.yaml") -> Lexicon:
    return _load_lexicon(path, "conditions")
