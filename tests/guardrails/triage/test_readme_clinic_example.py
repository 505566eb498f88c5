"""The README's clinic example (a new protocol, a replaced criterion, a disabled protocol) loads and acts.

Keeps the documentation honest: a clinic copying it gets a working directory, not a load error.
"""

from __future__ import annotations

from pathlib import Path

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import TriageLevel

README = Path(__file__).resolve().parents[3] / "README.md"


def _clinic_dir(tmp_path: Path) -> Path:
    text = README.read_text(encoding="utf-8")
    start = text.index("# clinic/dialysis.yaml")
    block = text[start : text.index("```", start)]
    dialysis, overrides = block.split("---\n")
    (tmp_path / "dialysis.yaml").write_text(dialysis, encoding="utf-8")
    (tmp_path / "overrides.yaml").write_text(overrides, encoding="utf-8")
    return tmp_path


def test_the_readme_clinic_directory_adds_replaces_and_disables(tmp_path: Path) -> None:
    packaged = ProtocolEngine.load()
    clinic = ProtocolEngine.load(extra_dirs=(_clinic_dir(tmp_path),))
    assert {p.id for p in clinic.protocols} == ({p.id for p in packaged.protocols} - {"indigestion"}) | {
        "clinic-dialysis-fistula"
    }
    assert packaged.criterion("headache-fever-vomiting")[1].level is TriageLevel.URGENT
    assert clinic.criterion("headache-fever-vomiting")[1].level is TriageLevel.EMERGENCY
