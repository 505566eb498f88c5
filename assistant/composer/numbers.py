"""What the numbers to call are, per country (``data/emergency_numbers.yaml``), for "what is 15?"."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from assistant.composer.draft import Draft
from assistant.composer.formatting import pick
from assistant.schemas import Language
from fhir_client.yaml_data import load_yaml

__all__ = ["numbers_answer"]

DATA_FILE = Path(__file__).parent / "data" / "emergency_numbers.yaml"


@cache
def _texts() -> dict[str, dict[str, str]]:
    raw = load_yaml(DATA_FILE.read_text(encoding="utf-8")) or {}
    texts: dict[str, dict[str, str]] = {}
    for region, row in raw.items():
        if not {"en", "fr", "source"} <= set(row):
            raise ValueError(f"{DATA_FILE.name}: {region} needs en, fr and source")
        texts[str(region).upper()] = {k: " ".join(str(v).split()) for k, v in row.items()}
    if "DEFAULT" not in texts:
        raise ValueError(f"{DATA_FILE.name}: a 'default' entry is required")
    return texts


def numbers_answer(region: str, language: Language) -> Draft:
    """The numbers of ``region`` (an ISO country code) explained; countries not listed get the default."""
    row = _texts().get(region.strip().upper()[:2]) or _texts()["DEFAULT"]
    return Draft(text=pick(language, row["en"], row["fr"]))
