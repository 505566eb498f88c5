"""The eval log: everything a run did, as JSON that reads back into the same objects.

One file holds the configuration, every case's transcript and scores, and usage, so a report can be
rebuilt from it later, and two runs (before/after a change) can be compared case by case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.scorers.base import Score
from evals.stats import percentile, wilson_interval
from evals.transcript import Transcript

__all__ = ["CaseResult", "Comparison", "EvalLog", "GroupStats", "LogReadError", "compare", "group_stats"]

LOG_VERSION = 1


class CaseResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: str
    suite: str
    category: str
    language: str
    patient: str | None
    passed: bool
    expect: dict[str, Any] = Field(default_factory=dict)
    scores: list[Score]
    transcript: Transcript
    seconds: float = 0.0

    def failures(self) -> list[Score]:
        return [s for s in self.scores if s.passed is False]


class Usage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = None  # in the currency of the configured prices


class EvalLog(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = LOG_VERSION
    started: str
    finished: str = ""
    target: str
    suites: list[str]
    backends: list[str] = Field(default_factory=list)
    assistant_usage: Usage | None = None
    judge: dict[str, Any] | None = None  # model, votes, mean agreement, usage
    settings: dict[str, Any] = Field(default_factory=dict)
    results: list[CaseResult] = Field(default_factory=list)

    def write(self, path: str | Path) -> Path:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(self.model_dump_json(indent=1), encoding="utf-8")
        return p

    @classmethod
    def read(cls, path: str | Path) -> EvalLog:
        p = Path(path)
        try:
            return cls.model_validate_json(p.read_text(encoding="utf-8"))
        except OSError as exc:
            raise LogReadError(f"cannot read eval log {p}: {exc.strerror}") from exc
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise LogReadError(f"{p} is not an eval log ({where}: {first['msg']})") from None

    def latencies(self) -> list[float]:
        return [e.seconds for r in self.results for e in r.transcript.exchanges if e.turn is not None]


class LogReadError(ValueError):
    pass


class GroupStats(BaseModel):
    key: str
    passed: int
    total: int
    rate: float
    low: float
    high: float
    p50: float | None = None
    p95: float | None = None


def group_stats(results: Iterable[CaseResult], key: Callable[[CaseResult], str]) -> list[GroupStats]:
    """Pass counts, rate, Wilson 95 % interval and per-turn latency p50/p95 for each group, sorted by key."""
    groups: dict[str, list[CaseResult]] = defaultdict(list)
    for r in results:
        groups[key(r)].append(r)
    out = []
    for name in sorted(groups):
        items = groups[name]
        passed = sum(r.passed for r in items)
        low, high = wilson_interval(passed, len(items))
        lat = [e.seconds for r in items for e in r.transcript.exchanges if e.turn is not None]
        out.append(
            GroupStats(
                key=name,
                passed=passed,
                total=len(items),
                rate=passed / len(items),
                low=low,
                high=high,
                p50=percentile(lat, 50),
                p95=percentile(lat, 95),
            )
        )
    return out


def scorer_stats(results: Iterable[CaseResult]) -> list[GroupStats]:
    """Per scorer: of the cases it scored (passed is not None), how many passed."""
    counts: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        for s in r.scores:
            if s.passed is not None:
                counts[s.scorer].append(s.passed)
    out = []
    for name in sorted(counts):
        vals = counts[name]
        low, high = wilson_interval(sum(vals), len(vals))
        out.append(
            GroupStats(
                key=name, passed=sum(vals), total=len(vals), rate=sum(vals) / len(vals), low=low, high=high
            )
        )
    return out


class Comparison(BaseModel):
    """What changed between two runs: per-suite rates, and the cases that flipped."""

    previous_started: str
    rows: list[tuple[str, float | None, float | None]]  # (suite, previous rate, current rate)
    newly_failing: list[str]
    newly_passing: list[str]
    only_in_current: list[str]
    only_in_previous: list[str]

    @property
    def regressed(self) -> bool:
        return bool(self.newly_failing)


def compare(previous: EvalLog, current: EvalLog) -> Comparison:
    prev = {r.case_id: r for r in previous.results}
    cur = {r.case_id: r for r in current.results}
    prev_suites = {g.key: g.rate for g in group_stats(previous.results, lambda r: r.suite)}
    cur_suites = {g.key: g.rate for g in group_stats(current.results, lambda r: r.suite)}
    rows = [(s, prev_suites.get(s), cur_suites.get(s)) for s in sorted(set(prev_suites) | set(cur_suites))]
    both = sorted(set(prev) & set(cur))
    return Comparison(
        previous_started=previous.started,
        rows=rows,
        newly_failing=[c for c in both if prev[c].passed and not cur[c].passed],
        newly_passing=[c for c in both if not prev[c].passed and cur[c].passed],
        only_in_current=sorted(set(cur) - set(prev)),
        only_in_previous=sorted(set(prev) - set(cur)),
    )
