"""Category names and their public families (``taxonomy.yaml``): a case's category must be listed here."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from fhir_client.yaml_data import load_yaml

__all__ = ["TAXONOMY_FILE", "Category", "load_taxonomy"]

TAXONOMY_FILE = Path(__file__).resolve().parent / "taxonomy.yaml"


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    healthbench: list[str] = Field(default_factory=list)
    promptfoo: list[str] = Field(default_factory=list)
    garak: list[str] = Field(default_factory=list)

    def families(self) -> str:
        parts = [
            f"{k}: {', '.join(v)}"
            for k, v in (
                ("HealthBench", self.healthbench),
                ("promptfoo", self.promptfoo),
                ("garak", self.garak),
            )
            if v
        ]
        return "; ".join(parts)


@lru_cache(maxsize=4)
def load_taxonomy(path: Path = TAXONOMY_FILE) -> dict[str, Category]:
    data = load_yaml(path.read_text(encoding="utf-8"))
    return {name: Category.model_validate(body) for name, body in data["categories"].items()}
