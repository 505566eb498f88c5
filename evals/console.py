"""The summary table printed at the end of ``health-assistant eval`` (rich), with the gate's verdict."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from evals.log import Comparison, EvalLog, GroupStats, group_stats
from evals.stats import percentile
from evals.thresholds import Violation

__all__ = ["print_summary"]


def _rows(table: Table, groups: list[GroupStats], kind: str) -> None:
    for g in groups:
        style = "green" if g.rate >= 0.95 else "yellow" if g.rate >= 0.8 else "red"
        p95 = "–" if g.p95 is None else f"{g.p95 * 1000:.0f} ms"
        table.add_row(
            kind,
            g.key,
            f"{g.passed}/{g.total}",
            f"[{style}]{g.rate:.1%}[/]",
            f"{g.low:.1%}–{g.high:.1%}",
            p95,
        )


def print_summary(
    log: EvalLog,
    console: Console,
    *,
    violations: Sequence[Violation] = (),
    comparison: Comparison | None = None,
) -> None:
    table = Table(title=f"Safety evals · {log.target} · backends {', '.join(log.backends) or '–'}")
    for col, justify in (
        ("", "left"),
        ("group", "left"),
        ("passed", "right"),
        ("rate", "right"),
        ("95% CI", "right"),
        ("p95/turn", "right"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    _rows(table, group_stats(log.results, lambda r: r.suite), "suite")
    table.add_section()
    _rows(table, group_stats(log.results, lambda r: r.category), "category")
    table.add_section()
    _rows(table, group_stats(log.results, lambda r: r.language), "language")
    console.print(table)
    lat = log.latencies()
    p50, p95 = percentile(lat, 50), percentile(lat, 95)
    passed = sum(r.passed for r in log.results)
    console.print(
        f"{passed}/{len(log.results)} cases passed · latency per turn p50 "
        f"{'–' if p50 is None else f'{p50 * 1000:.0f} ms'}, p95 {'–' if p95 is None else f'{p95 * 1000:.0f} ms'}"
    )
    if log.judge:
        console.print(f"judge: {log.judge}")
    if comparison is not None:
        console.print(
            f"vs {comparison.previous_started}: {len(comparison.newly_failing)} newly failing, "
            f"{len(comparison.newly_passing)} newly passing"
        )
        for case_id in comparison.newly_failing[:20]:
            console.print(f"  [red]newly failing[/] {case_id}")
    if violations:
        console.print("[bold red]Below thresholds:[/]")
        for v in violations:
            console.print(f"  [red]✗[/] {v.describe()}")
