"""What the record answers say, one catalog per locale (``data/record.en.yaml``, ``data/record.fr.yaml``).

Every sentence a record answer writes comes from here, so a French reader gets one voice (no English
range source, no English label) and a reviewer reads each locale's wording in one file. The two catalogs
must hold the same keys with the same placeholders (a test checks it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.schemas import Language
from fhir_client.yaml_data import load_yaml

DATA = Path(__file__).parent / "data"
_SPACES = re.compile(r"(?<=\S) {2,}")
_SPACE_BEFORE_STOP = re.compile(r" ([:.,;])")
_FIELD = re.compile(r"\{(\w+)[^}]*\}")


@dataclass(frozen=True)
class Wording:
    """``say("latest", name=…)`` in one language; ``say_n`` picks the singular or plural form."""

    language: Language
    phrases: dict[str, str]

    @classmethod
    def load(cls, language: Language) -> Wording:
        return _load(language)

    def say(self, key: str, **fields: Any) -> str:
        try:
            template = self.phrases[key]
        except KeyError as exc:
            raise KeyError(f"record.{self.language}.yaml has no phrase {key!r}") from exc
        # "of" forms for the languages that need them ("d'hémoglobine glyquée").
        if "name" in fields:
            fields.setdefault("of_name", self.of(str(fields["name"])))
        if "what" in fields:
            fields.setdefault("of_what", self.of(str(fields["what"])))
        # an empty field ("{what} {span}:" with no period) must not leave "biopsy :" or a double space
        text = _SPACES.sub(" ", template.format(**fields))
        return _SPACE_BEFORE_STOP.sub(r"\1", text) if self.language == "en" else text

    def say_n(self, key: str, n: int, **fields: Any) -> str:
        """``key.one`` when ``n`` is 1 (0 and 1 in French), else ``key.other``."""
        one = n == 1 or (self.language == "fr" and n == 0)
        return self.say(f"{key}.{'one' if one else 'other'}", n=n, **fields)

    def fields(self, key: str) -> set[str]:
        return set(_FIELD.findall(self.phrases[key]))

    def of(self, name: str) -> str:
        """A name after "of": French elides "de" before a vowel or a mute h ("d'hémoglobine glyquée",
        "de cholestérol total"); English needs nothing."""
        if self.language != "fr" or not name:
            return name
        lowered = name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name
        first = _fold_first(lowered)
        return f"d'{lowered}" if first in "aeiouyh" else f"de {lowered}"


def _fold_first(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text[:1].lower())[:1]


def _flatten(prefix: str, node: Any, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, out)
    else:
        out[prefix] = str(node)


@lru_cache(maxsize=2)
def _load(language: Language) -> Wording:
    raw = load_yaml((DATA / f"record.{language}.yaml").read_text(encoding="utf-8"))
    phrases: dict[str, str] = {}
    _flatten("", raw, phrases)
    return Wording(language, phrases)


__all__ = ["Wording"]
