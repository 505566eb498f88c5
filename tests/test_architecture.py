"""Dependencies point one way: fhir_client → retrieval → assistant → api/ui/evals.

A lower layer importing a higher one would let, say, the FHIR client reach into the assistant, and would
make the layers impossible to test with fakes at their seams. Only composition roots read settings.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["fhir_client", "retrieval", "assistant", "api", "ui", "evals"]
RANK = {"fhir_client": 0, "retrieval": 1, "assistant": 2, "api": 3, "ui": 3, "evals": 3}
# Composition roots may read settings; library code takes constructor arguments instead.
SETTINGS_READERS = {"health_assistant", "api", "ui", "evals"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", LAYERS)
def test_layers_only_import_downwards(package: str) -> None:
    offenders = []
    for path in _modules(package):
        for name in _imports(path):
            if name in RANK and name != package and RANK[name] >= RANK[package]:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
            if name == "health_assistant":
                offenders.append(f"{path.relative_to(ROOT)} imports the composition root")
    assert offenders == []


@pytest.mark.parametrize("package", ["fhir_client", "retrieval", "assistant"])
def test_library_layers_do_not_read_settings_or_environment(package: str) -> None:
    offenders = []
    for path in _modules(package):
        text = path.read_text(encoding="utf-8")
        reads = (
            "pydantic_settings",
            "health_assistant.settings",
            "os.getenv",
            "os.environ.get(",
            "os.environ[",
        )
        if any(marker in text for marker in reads):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from assistant.guardrails import x\nimport retrieval.index\n", encoding="utf-8")
    assert _imports(bad) == {"assistant", "retrieval"}
