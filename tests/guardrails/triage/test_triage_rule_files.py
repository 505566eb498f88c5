"""Rule files: a clinic adds, overrides or disables rules; a broken file names its file, rule and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.guardrails.triage import PACKAGED_RULES_DIR, RuleFileError, TriageEngine
from assistant.schemas import TriageLevel

NEW_RULE = """
rules:
  - id: clinic-dialysis-fistula
    level: urgent
    guidance: "Clinic protocol, following NHS kidney dialysis advice"
    tags: [bleeding]
    patterns:
      en: ['fistula ~ (?:no buzz|no thrill|not buzzing|stopped buzzing)']
      fr: ['fistule ~ (?:ne vibre plus|plus de thrill|ne frémit plus)']
    advice:
      en: "Call the dialysis unit today."
      fr: "Appelez le centre de dialyse aujourd'hui."
    examples:
      en: ["my fistula has stopped buzzing"]
      fr: ["ma fistule ne vibre plus"]
    near_misses:
      en: ["my fistula is buzzing as usual"]
      fr: ["ma fistule vibre normalement"]
"""


def _write(tmp_path: Path, text: str, name: str = "clinic.yaml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_clinic_adds_a_rule(tmp_path: Path) -> None:
    engine = TriageEngine.load(extra_dirs=[_write(tmp_path, NEW_RULE)])
    assert engine.assess("my fistula has stopped buzzing").rules == ("clinic-dialysis-fistula",)
    assert engine.assess("ma fistule ne vibre plus").level is TriageLevel.URGENT
    assert len(engine.rules) == len(TriageEngine.load().rules) + 1


def test_a_clinic_overrides_one_field_of_a_packaged_rule(tmp_path: Path) -> None:
    text = "rules:\n  - id: sore-throat\n    level: soon\n    guidance: 'Clinic policy: see all sore throats (NHS sore throat)'\n"
    engine = TriageEngine.load(extra_dirs=[_write(tmp_path, text)])
    decision = engine.assess("I have a sore throat")
    assert decision.level is TriageLevel.SOON and decision.rules == ("sore-throat",)
    assert engine.rule("sore-throat").examples["fr"]  # everything not overridden is kept


def test_a_clinic_disables_a_rule(tmp_path: Path) -> None:
    engine = TriageEngine.load(
        extra_dirs=[_write(tmp_path, "rules:\n  - id: cold-flu\n    enabled: false\n")]
    )
    assert "cold-flu" not in {r.id for r in engine.rules}
    assert engine.assess("I have a cold").level is TriageLevel.NONE


def test_a_clinic_can_extend_a_modifier(tmp_path: Path) -> None:
    text = (
        "modifiers:\n  - id: record-over-75\n    years: 70\n"
    )  # fmt: skip
    engine = TriageEngine.load(extra_dirs=[_write(tmp_path, text)])
    assert next(m for m in engine.modifiers if m.id == "record-over-75").years == 70


@pytest.mark.parametrize(
    ("text", "rule_id", "field", "reason"),
    [
        (
            NEW_RULE.replace("level: urgent", "level: critical"),
            "clinic-dialysis-fistula",
            "level",
            "level must be",
        ),
        (
            NEW_RULE.replace("(?:no buzz", "(?:no buzz("),
            "clinic-dialysis-fistula",
            "patterns.en[1]",
            "invalid pattern",
        ),
        (
            NEW_RULE.replace('      fr: ["ma fistule ne vibre plus"]\n', ""),
            "clinic-dialysis-fistula",
            "examples.fr",
            "at least one",
        ),
        (
            NEW_RULE.replace("fistula ~", "@nope fistula ~"),
            "clinic-dialysis-fistula",
            "patterns.en[1]",
            "unknown lexicon name @nope",
        ),
        (
            NEW_RULE.replace("    tags: [bleeding]\n", "    tags: [bleeding]\n    colour: red\n"),
            "clinic-dialysis-fistula",
            "colour",
            "unknown field",
        ),
        (
            NEW_RULE.replace("Call the dialysis unit today.", "Call {ambulance}."),
            "clinic-dialysis-fistula",
            "advice.en",
            "placeholder",
        ),
        (
            NEW_RULE.replace('    guidance: "Clinic protocol, following NHS kidney dialysis advice"\n', ""),
            "clinic-dialysis-fistula",
            "guidance",
            "guidance",
        ),
        (
            NEW_RULE.replace("fistula ~", "fistula\\\\w* ~"),
            "clinic-dialysis-fistula",
            "patterns.en[1]",
            "doubled backslash",
        ),
        ("rules:\n  - id: Bad Id\n", "Bad Id", "id", "id must be"),
        ("modifiers:\n  - id: record-x\n    kind: horoscope\n", "record-x", "kind", "kind must be"),
    ],
)
def test_invalid_rule_files_name_the_file_the_rule_and_the_field(
    tmp_path: Path, text: str, rule_id: str, field: str, reason: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(RuleFileError) as caught:
        TriageEngine.load(extra_dirs=[path])
    err = caught.value
    assert err.path == str(path / "clinic.yaml")
    assert err.rule_id == rule_id and err.field == field
    assert reason in str(err) and "clinic.yaml" in str(err)


def test_not_yaml_and_unknown_top_level_keys_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match=r"clinic.yaml: not valid YAML at line \d+: "):
        TriageEngine.load(extra_dirs=[_write(tmp_path, "rules:\n  - id: [unclosed\n")])
    with pytest.raises(RuleFileError, match="unknown top-level key"):
        TriageEngine.load(extra_dirs=[_write(tmp_path, "rulez: []\n")])
    with pytest.raises(RuleFileError, match="does not exist"):
        TriageEngine.load(extra_dirs=[tmp_path / "missing"])


def test_the_same_id_twice_in_the_packaged_set_is_an_error(tmp_path: Path) -> None:
    for src in PACKAGED_RULES_DIR.glob("*.yaml"):
        (tmp_path / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "zz_copy.yaml").write_text((PACKAGED_RULES_DIR / "urgent.yaml").read_text(encoding="utf-8"))
    with pytest.raises(RuleFileError, match="already defined in"):
        TriageEngine.load(tmp_path)


def test_a_clinic_can_add_misspellings(tmp_path: Path) -> None:
    before = TriageEngine.load()
    assert before.assess("I have a sor throt").level is TriageLevel.NONE
    engine = TriageEngine.load(extra_dirs=[_write(tmp_path, "typos:\n  sor: sore\n  throt: throat\n")])
    assert engine.assess("I have a sor throt").rules == ("sore-throat",)
    with pytest.raises(RuleFileError, match="typos"):
        TriageEngine.load(extra_dirs=[_write(tmp_path, "typos:\n  - sor\n")])
