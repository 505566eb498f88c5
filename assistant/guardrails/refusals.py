"""What the assistant says when it declines: kind, short, and always with something useful to do next.

A bare "I can't help with that" leaves a patient stuck; each refusal names who can help (the prescriber, the
pharmacist, the clinic) and what the assistant can still do (book a visit, explain the record). The words
live in one catalog per locale (``catalog/en.yaml``, ``catalog/fr.yaml``): a category's text, refined by the
detail of the signal that asked for it when the catalog has a variant ("someone else's medicine" is not
answered like "how much is a lethal dose"). Numbers are never written in the catalogs: ``{emergency}`` and
``{crisis}`` come from the deployment's region (``assistant.region``), so a patient in the US reads 988 and
911 where a patient in France reads 3114 and 15.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assistant.region import numbers_for
from assistant.schemas import Language, RefusalCategory
from fhir_client.yaml_data import load_yaml

__all__ = ["CATALOG_DIR", "REFUSAL_TEXTS", "Catalog", "empty_message_text", "oversize_text", "refusal_text"]

CATALOG_DIR = Path(__file__).parent / "catalog"
LANGUAGES: tuple[Language, Language] = ("en", "fr")


class Catalog:
    """One locale's texts: refusals by category (and ``category.detail``), and the size/empty replies."""

    def __init__(self, language: Language, data: Mapping[str, Any], source: Path) -> None:
        refusals = data.get("refusals")
        if not isinstance(refusals, dict):
            raise ValueError(f"{source}: needs a 'refusals' mapping")
        self.language = language
        self.refusals: dict[str, str] = {str(k): " ".join(str(v).split()) for k, v in refusals.items()}
        for key in self.refusals:
            category = key.split(".", 1)[0]
            if category not in {c.value for c in RefusalCategory}:
                raise ValueError(f"{source}: unknown refusal category in key {key!r}")
        missing = [c.value for c in RefusalCategory if c.value not in self.refusals]
        if missing:
            raise ValueError(f"{source}: no text for {missing}")
        self.oversize = " ".join(str(data.get("oversize", "")).split())
        self.empty = " ".join(str(data.get("empty", "")).split())
        if not self.oversize or not self.empty:
            raise ValueError(f"{source}: needs 'oversize' and 'empty' texts")

    @classmethod
    @cache
    def load(cls, language: Language, directory: Path = CATALOG_DIR) -> Catalog:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}; expected 'en' or 'fr'")
        path = directory / f"{language}.yaml"
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"cannot read the {language} catalog {path}: {exc}") from exc
        return cls(language, data or {}, path)

    def refusal(self, category: RefusalCategory, detail: str | None, region: str) -> str:
        text = self.refusals.get(f"{category.value}.{detail}") if detail else None
        numbers = numbers_for(region)
        return (text or self.refusals[category.value]).format(
            emergency=numbers.emergency_text(self.language), crisis=numbers.crisis_text(self.language)
        )


def refusal_text(
    category: RefusalCategory | str, language: Language, *, detail: str | None = None, region: str = "FR"
) -> str:
    """The refusal for ``category`` in ``language`` (an unknown category is a programming error)."""
    try:
        chosen = RefusalCategory(category)
    except ValueError:
        allowed = ", ".join(c.value for c in RefusalCategory)
        raise ValueError(f"unknown refusal category {category!r}; expected one of {allowed}") from None
    return Catalog.load(language).refusal(chosen, detail, region)


def oversize_text(length: int, limit: int, language: Language, *, region: str = "FR") -> str:
    """Why an over-long message was not read, and what to do instead."""
    emergency = numbers_for(region).emergency_text(language)
    return Catalog.load(language).oversize.format(length=length, limit=limit, emergency=emergency)


def empty_message_text(language: Language) -> str:
    """What an empty message (nothing left once spaces and invisible characters are removed) gets."""
    return Catalog.load(language).empty


class _Texts(Mapping[RefusalCategory, Mapping[Language, str]]):
    """The category texts of every locale (for audits and tests), read from the catalogs on demand."""

    def __getitem__(self, category: RefusalCategory) -> Mapping[Language, str]:
        return {lang: refusal_text(category, lang) for lang in LANGUAGES}

    def __iter__(self) -> Any:
        return iter(RefusalCategory)

    def __len__(self) -> int:
        return len(RefusalCategory)


REFUSAL_TEXTS: Mapping[RefusalCategory, Mapping[Language, str]] = _Texts()
