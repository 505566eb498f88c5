"""Statistics, the JSON log round trip, comparison, thresholds and the HTML report."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.schemas import TriageLevel
from evals.log import CaseResult, EvalLog, compare, group_stats
from evals.report_html import render_html
from evals.scorers.base import Score
from evals.stats import percentile, wilson_interval
from evals.thresholds import ThresholdError, Thresholds, check_thresholds
from tests.evals.helpers import transcript, turn


def test_wilson_interval_matches_the_textbook_values() -> None:
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4) and high == pytest.approx(0.9433, abs=1e-4)
    low, high = wilson_interval(0, 20)
    assert low == 0.0 and high == pytest.approx(0.1611, abs=1e-4)
    low, high = wilson_interval(50, 50)
    assert high == 1.0 and low == pytest.approx(0.9287, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_nearest_rank_percentiles() -> None:
    values = [0.1 * n for n in range(1, 21)]  # 0.1 .. 2.0
    assert percentile(values, 50) == pytest.approx(1.0)
    assert percentile(values, 95) == pytest.approx(1.9)
    assert percentile([], 50) is None


def result(
    case_id: str,
    passed: bool,
    *,
    suite: str = "s",
    category: str = "grounding",
    language: str = "en",
    seconds: float = 0.1,
    text: str = "ok",
) -> CaseResult:
    level = TriageLevel.NONE if passed else TriageLevel.SELF_CARE
    return CaseResult(
        case_id=case_id,
        suite=suite,
        category=category,
        language=language,
        patient="Josue_Sipes",
        passed=passed,
        expect={"triage_at_least": "emergency"} if not passed else {},
        scores=[
            Score(
                scorer="triage",
                passed=passed,
                detail="fine" if passed else "under-triaged: self_care < emergency",
            )
        ],
        transcript=transcript(turn(text, level=level), users=[f"user says {case_id}"], seconds=seconds),
    )


def make_log(results: list[CaseResult]) -> EvalLog:
    return EvalLog(
        started="2026-01-01T00:00:00+00:00",
        finished="2026-01-01T00:01:00+00:00",
        target="scripted",
        suites=["s"],
        results=results,
    )


def test_the_json_log_reads_back_identically(tmp_path: Path) -> None:
    log = make_log([result("a", True), result("b", False)])
    path = log.write(tmp_path / "out" / "log.json")
    again = EvalLog.read(path)
    assert again == log
    assert again.results[1].transcript.turns()[0].triage.level is TriageLevel.SELF_CARE


def test_reading_something_else_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    from evals.log import LogReadError

    with pytest.raises(LogReadError, match="not an eval log"):
        EvalLog.read(bad)


def test_group_stats_count_rates_and_latency_per_group() -> None:
    log = make_log(
        [
            result("a", True, language="en", seconds=0.2),
            result("b", False, language="fr", seconds=0.4),
            result("c", True, language="fr", seconds=0.6),
        ]
    )
    stats = {g.key: g for g in group_stats(log.results, lambda r: r.language)}
    assert (stats["fr"].passed, stats["fr"].total) == (1, 2)
    assert stats["fr"].p50 == pytest.approx(0.4) and stats["fr"].p95 == pytest.approx(0.6)
    assert stats["en"].rate == 1.0


def test_compare_lists_cases_that_flipped() -> None:
    before = make_log([result("a", True), result("b", False), result("gone", True)])
    after = make_log([result("a", False), result("b", True), result("new", True)])
    cmp = compare(before, after)
    assert cmp.newly_failing == ["a"] and cmp.newly_passing == ["b"]
    assert cmp.only_in_current == ["new"] and cmp.only_in_previous == ["gone"]
    assert cmp.regressed


def test_thresholds_flag_suites_categories_and_scorers_below_minimum(tmp_path: Path) -> None:
    log = make_log([result("a", True), result("b", False), result("c", True, category="other_patient")])
    path = tmp_path / "t.yaml"
    path.write_text(
        "suites: {s: 0.9}\ncategories: {other_patient: 1.0, absent: 1.0}\nscorers: {triage: 0.5}\n"
    )
    violations = check_thresholds(log, Thresholds.load(path))
    assert [(v.kind, v.name) for v in violations] == [("suite", "s")]
    assert violations[0].observed == pytest.approx(2 / 3)


def test_lower_bound_mode_is_stricter_on_small_groups() -> None:
    log = make_log([result(str(n), True) for n in range(5)])
    assert check_thresholds(log, Thresholds(suites={"s": 0.7})) == []
    assert [v.name for v in check_thresholds(log, Thresholds(suites={"s": 0.7}, use_lower_bound=True))] == [
        "s"
    ]


def test_latency_threshold() -> None:
    log = make_log([result("a", True, seconds=2.5)])
    assert [v.kind for v in check_thresholds(log, Thresholds(max_p95_seconds=1.0))] == ["latency"]


def test_thresholds_file_errors_name_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("suites: {s: 1.5}\n")
    with pytest.raises(ThresholdError, match="between 0 and 1"):
        Thresholds.load(path)
    path.write_text("suits: {}\n")
    with pytest.raises(ThresholdError, match="suits"):
        Thresholds.load(path)


def test_html_report_shows_rates_with_intervals_and_every_failure_with_its_transcript() -> None:
    log = make_log(
        [result(str(n), True) for n in range(8)]
        + [result("fail-1", False, text="Rest at home <b>now</b>"), result("fail-2", False)]
    )
    html = render_html(
        log, violations=check_thresholds(log, Thresholds(overall=0.95)), comparison=compare(log, log)
    )
    assert "8/10" in html
    assert "49.0 % – 94.3 %" in html  # Wilson 95 % for 8/10
    for case_id in ("fail-1", "fail-2"):
        assert f'id="{case_id}"' in html and f"user says {case_id}" in html
    assert "under-triaged: self_care &lt; emergency" in html
    assert "Rest at home &lt;b&gt;now&lt;/b&gt;" in html  # record/LLM text is escaped, never rendered
    assert "the gate fails" in html and "overall all: 80.0% &lt; 95.0%" in html
    assert "<script" not in html and "http" not in html.split("<body>")[1]  # self-contained
