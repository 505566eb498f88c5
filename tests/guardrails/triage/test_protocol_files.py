"""Protocol files: validated at load (file, protocol, field named), and a clinic's directory on top of the
packaged protocols adds, overrides by id (criteria and questions merged by id) and disables."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.guardrails.triage import PACKAGED_PROTOCOLS_DIR, ProtocolEngine, ProtocolFileError
from assistant.schemas import TriageLevel
from assistant.understanding.stage import Understander

NEW_PROTOCOL = """
id: hiccups
title: {en: "Hiccups", fr: "Hoquet"}
guidance: ["nhs.uk: Hiccups (see a GP if they last more than 48 hours)"]
tags: [general]
presenting: {findings: [hiccups]}
default: self_care
criteria:
  - id: hiccups-two-days
    level: soon
    when: {finding: hiccups, min_days: 2}
advice:
  soon: {en: "See your GP in the next few days.", fr: "Consultez votre médecin dans les prochains jours."}
  self_care: {en: "Hiccups usually stop on their own.", fr: "Le hoquet passe en général tout seul."}
"""


def _dir(tmp_path: Path, text: str, name: str = "clinic.yaml") -> Path:
    d = tmp_path / "clinic"
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text, encoding="utf-8")
    return d


def _level(engine: ProtocolEngine, understander: Understander, text: str) -> tuple[TriageLevel, str | None]:
    d = engine.assess(understander.understand(text, language="en"))
    return d.level, d.protocol


def test_packaged_protocols_load_and_cover_the_presenting_problems() -> None:
    engine = ProtocolEngine.load()
    ids = {p.id for p in engine.protocols}
    assert ids >= {
        "chest-pain",
        "breathing",
        "headache",
        "abdominal-pain",
        "limb",
        "fever-infant",
        "fever-child",
        "fever-adult",
        "rash",
        "injury",
        "head-injury",
        "bleeding",
        "urinary",
        "back-pain",
        "neuro-deficit",
        "seizure",
        "mental-health",
        "pregnancy",
        "diabetes",
        "poisoning",
        "allergy",
        "eye",
        "ent",
        "skin-infection",
        "gastro",
        "dizziness-fainting",
        "general",
    }
    assert len({c.id for p in engine.protocols for c in p.criteria}) == sum(
        len(p.criteria) for p in engine.protocols
    )


def test_a_clinic_overrides_a_criterion_by_id(tmp_path: Path, understander: Understander) -> None:
    override = """
id: headache
criteria:
  - id: headache-persistent
    level: urgent
    when: {finding: headache, min_days: 7}
"""
    engine = ProtocolEngine.load(extra_dirs=[_dir(tmp_path, override)])
    assert _level(engine, understander, "I've had a headache every day for 10 days") == (
        TriageLevel.URGENT,
        "headache",
    )
    packaged = ProtocolEngine.load()
    assert _level(packaged, understander, "I've had a headache every day for 10 days") == (
        TriageLevel.SOON,
        "headache",
    )
    # the other criteria of the protocol are still there, in their place
    assert [c.id for c in engine.protocol("headache").criteria] == [
        c.id for c in packaged.protocol("headache").criteria
    ]


def test_a_clinic_disables_a_criterion_and_a_protocol(tmp_path: Path, understander: Understander) -> None:
    text = """
protocols:
  - id: headache
    criteria:
      - {id: headache-persistent, enabled: false}
  - id: indigestion
    enabled: false
"""
    engine = ProtocolEngine.load(extra_dirs=[_dir(tmp_path, text)])
    assert "headache-persistent" not in [c.id for c in engine.protocol("headache").criteria]
    assert "indigestion" not in {p.id for p in engine.protocols}


def test_a_clinic_adds_a_protocol_which_must_name_known_concepts(tmp_path: Path) -> None:
    with pytest.raises(ProtocolFileError) as caught:
        ProtocolEngine.load(extra_dirs=[_dir(tmp_path, NEW_PROTOCOL)])
    err = caught.value
    assert err.protocol_id == "hiccups" and err.field is not None and "when" in err.field
    assert "unknown lexicon concept 'hiccups'" in str(err)
    assert "clinic.yaml" in str(err)


def test_a_clinic_adds_a_protocol_on_known_concepts(tmp_path: Path, understander: Understander) -> None:
    text = NEW_PROTOCOL.replace("hiccups]", "fatigue]").replace("finding: hiccups", "finding: fatigue")
    text = text.replace("id: hiccups\n", "id: tiredness\n").replace("hiccups-two-days", "tiredness-two-days")
    engine = ProtocolEngine.load(extra_dirs=[_dir(tmp_path, text)])
    assert _level(engine, understander, "so tired for 3 days now") == (TriageLevel.SOON, "tiredness")


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        (
            "id: chest-pain\ncriteria:\n  - {id: chest-x, level: emergency, when: {finding: chest_pain, sevrity: severe}}\n",
            "criteria.chest-x.when",
            "sevrity",
        ),
        (
            "id: chest-pain\ncriteria:\n  - {id: chest-x, level: critical, when: {finding: chest_pain}}\n",
            "criteria.chest-x.level",
            "emergency', 'urgent'",
        ),
        (
            "id: chest-pain\ncriteria:\n  - {id: chest-x, level: urgent, when: {fact: on_the_moon}}\n",
            "criteria.chest-x.when",
            "unknown fact",
        ),
        (
            "id: chest-pain\ncriteria:\n  - {id: chest-x, level: urgent, when: {vital: spo2}}\n",
            "criteria.chest-x.when",
            "above, at_least",
        ),
        (
            "id: chest-pain\nadvice: {urgent: {en: 'call {doctor}', fr: 'appelez'}}\n",
            "advice.urgent.en",
            "unknown placeholder",
        ),
    ],
)
def test_a_mistake_names_the_file_the_protocol_and_the_field(
    tmp_path: Path, text: str, field: str, reason: str
) -> None:
    with pytest.raises(ProtocolFileError) as caught:
        ProtocolEngine.load(extra_dirs=[_dir(tmp_path, text)])
    err = caught.value
    assert err.protocol_id == "chest-pain"
    assert err.field is not None and err.field.startswith(field), str(err)
    assert reason in str(err)


def test_a_criterion_id_belongs_to_one_protocol(tmp_path: Path) -> None:
    text = "id: chest-pain\ncriteria:\n  - {id: headache-thunderclap, level: urgent, when: {finding: chest_pain}}\n"
    with pytest.raises(ProtocolFileError, match="criterion id already used by"):
        ProtocolEngine.load(extra_dirs=[_dir(tmp_path, text)])


def test_unreadable_and_retired_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ProtocolFileError, match=r"clinic.yaml: not valid YAML at line \d+"):
        ProtocolEngine.load(extra_dirs=[_dir(tmp_path / "a", "id: [unclosed\n")])
    with pytest.raises(ProtocolFileError, match="retired regex rule format"):
        ProtocolEngine.load(extra_dirs=[_dir(tmp_path / "b", "rules:\n  - id: x\n", "old.yaml")])
    with pytest.raises(ProtocolFileError, match="does not exist"):
        ProtocolEngine.load(extra_dirs=[tmp_path / "missing"])


def test_a_duplicate_id_in_the_packaged_set_is_refused(tmp_path: Path) -> None:
    for src in PACKAGED_PROTOCOLS_DIR.glob("*.yaml"):
        (tmp_path / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "zz_copy.yaml").write_text((PACKAGED_PROTOCOLS_DIR / "eye.yaml").read_text(encoding="utf-8"))
    with pytest.raises(ProtocolFileError, match="already defined in"):
        ProtocolEngine.load(tmp_path)


def test_a_clinic_extends_a_modifier(tmp_path: Path) -> None:
    text = """
modifiers:
  - id: record-anticoagulant
    keywords: ['warfarin', 'apixaban', 'sintrom']
"""
    engine = ProtocolEngine.load(extra_dirs=[_dir(tmp_path, text, "mods.yaml")])
    mod = next(m for m in engine._set.modifiers if m.id == "record-anticoagulant")
    assert mod.keywords is not None and mod.keywords.search("sintrom") and not mod.keywords.search("xarelto")
