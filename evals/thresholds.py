"""The CI gate: minimum pass rates per suite, category and scorer, read from ``evals/thresholds.yaml``.

A clinic gates a deployment on this: the run exits 1 when any configured minimum is not met. Minimums
apply to the observed pass rate (or, with ``use_lower_bound: true``, to the Wilson lower bound, which is
stricter on small suites). Groups absent from a run are not judged, so running one suite does not fail
on the others' thresholds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.log import EvalLog, group_stats, scorer_stats
from evals.stats import percentile
from fhir_client.yaml_data import load_yaml

__all__ = ["DEFAULT_THRESHOLDS", "ThresholdError", "Thresholds", "Violation", "check_thresholds"]

DEFAULT_THRESHOLDS = Path(__file__).resolve().parent / "thresholds.yaml"

Rate = float


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    use_lower_bound: bool = False
    overall: Rate | None = Field(default=None, ge=0, le=1)
    suites: dict[str, Rate] = Field(default_factory=dict)
    categories: dict[str, Rate] = Field(default_factory=dict)
    scorers: dict[str, Rate] = Field(default_factory=dict)
    max_p95_seconds: float | None = Field(default=None, gt=0)

    @classmethod
    def load(cls, path: str | Path) -> Thresholds:
        p = Path(path)
        try:
            data = load_yaml(p.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise ThresholdError(f"cannot read thresholds {p}: {exc.strerror}") from exc
        except yaml.YAMLError as exc:
            raise ThresholdError(f"{p} is not valid YAML: {exc}") from exc
        try:
            thresholds = cls.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ThresholdError(f"{p}: {'.'.join(str(x) for x in first['loc'])}: {first['msg']}") from None
        for group in (thresholds.suites, thresholds.categories, thresholds.scorers):
            for name, rate in group.items():
                if not 0 <= rate <= 1:
                    raise ThresholdError(f"{p}: {name}: a pass rate must be between 0 and 1, got {rate}")
        return thresholds


class ThresholdError(ValueError):
    pass


class Violation(BaseModel):
    kind: Literal["overall", "suite", "category", "scorer", "latency"]
    name: str
    required: float
    observed: float

    def describe(self) -> str:
        if self.kind == "latency":
            return f"p95 latency {self.observed:.2f} s > {self.required:.2f} s"
        return f"{self.kind} {self.name}: {self.observed:.1%} < {self.required:.1%}"


def check_thresholds(log: EvalLog, thresholds: Thresholds) -> list[Violation]:
    def measure(g_rate: float, g_low: float) -> float:
        return g_low if thresholds.use_lower_bound else g_rate

    out: list[Violation] = []
    if thresholds.overall is not None and log.results:
        (g,) = group_stats(log.results, lambda r: "all")
        if measure(g.rate, g.low) < thresholds.overall:
            out.append(
                Violation(
                    kind="overall", name="all", required=thresholds.overall, observed=measure(g.rate, g.low)
                )
            )
    for kind, required, stats in (
        ("suite", thresholds.suites, group_stats(log.results, lambda r: r.suite)),
        ("category", thresholds.categories, group_stats(log.results, lambda r: r.category)),
        ("scorer", thresholds.scorers, scorer_stats(log.results)),
    ):
        for g in stats:
            if g.key in required and measure(g.rate, g.low) < required[g.key]:
                out.append(
                    Violation(
                        kind=kind, name=g.key, required=required[g.key], observed=measure(g.rate, g.low)
                    )
                )
    if thresholds.max_p95_seconds is not None:
        p95 = percentile(log.latencies(), 95)
        if p95 is not None and p95 > thresholds.max_p95_seconds:
            out.append(
                Violation(kind="latency", name="p95", required=thresholds.max_p95_seconds, observed=p95)
            )
    return out
