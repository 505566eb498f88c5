"""A self-contained HTML report (no scripts, no external files): what an evaluator files or attaches to a
change. Pass rates carry their Wilson 95 % intervals, latency its p50/p95 per turn, and every failing
case is shown with the full conversation as the patient saw it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

from evals.log import CaseResult, Comparison, EvalLog, GroupStats, group_stats, scorer_stats
from evals.stats import percentile
from evals.taxonomy import load_taxonomy
from evals.thresholds import Violation

__all__ = ["render_html", "write_html"]

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1180px;color:#1d2330;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dde6;padding-bottom:4px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff4;vertical-align:top}
th{background:#f5f7fa;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.bar{position:relative;height:10px;width:160px;background:#eef1f5;border-radius:3px}
.bar .fill{position:absolute;left:0;top:0;bottom:0;background:#3b82f6;border-radius:3px}
.bar .ci{position:absolute;top:-2px;bottom:-2px;border-left:1px solid #111;border-right:1px solid #111}
.ok{color:#137333;font-weight:600}.bad{color:#b3261e;font-weight:600}.muted{color:#6b7280}
.verdict{padding:10px 14px;border-radius:6px;margin:12px 0;font-weight:600}
.verdict.pass{background:#e6f4ea;color:#137333}.verdict.fail{background:#fce8e6;color:#b3261e}
details{border:1px solid #e3e7ee;border-radius:6px;margin:8px 0;padding:6px 10px}summary{cursor:pointer}
.msg{margin:6px 0;padding:6px 10px;border-radius:6px;white-space:pre-wrap}.user{background:#eef4ff}.bot{background:#f6f6f6}
.meta{font-size:12px;color:#4b5563}code{font-size:12px;background:#f3f4f6;padding:1px 4px;border-radius:3px}
ul.scores{margin:4px 0 4px 18px;padding:0}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.1f} %"


def _secs(x: float | None) -> str:
    return "–" if x is None else f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def _bar(g: GroupStats) -> str:
    return (
        f'<div class="bar" title="{_pct(g.rate)} (95 % CI {_pct(g.low)}–{_pct(g.high)})">'
        f'<div class="fill" style="width:{g.rate * 100:.1f}%"></div>'
        f'<div class="ci" style="left:{g.low * 100:.1f}%;width:{(g.high - g.low) * 100:.1f}%"></div></div>'
    )


def _table(
    title: str, groups: list[GroupStats], *, latency: bool = True, notes: dict[str, str] | None = None
) -> str:
    head = "<tr><th>" + _e(title) + "</th><th>passed</th><th>rate</th><th>95 % CI</th><th></th>"
    head += "<th>p50 / turn</th><th>p95 / turn</th>" if latency else ""
    head += "<th>families</th>" if notes else ""
    rows = []
    for g in groups:
        row = (
            f"<tr><td>{_e(g.key)}</td><td class=num>{g.passed}/{g.total}</td><td class=num>{_pct(g.rate)}</td>"
            f"<td class=num>{_pct(g.low)} – {_pct(g.high)}</td><td>{_bar(g)}</td>"
        )
        if latency:
            row += f"<td class=num>{_secs(g.p50)}</td><td class=num>{_secs(g.p95)}</td>"
        if notes:
            row += f"<td class=muted>{_e(notes.get(g.key, ''))}</td>"
        rows.append(row + "</tr>")
    return f"<table>{head}</tr>{''.join(rows)}</table>"


def _failure(result: CaseResult) -> str:
    scores = "".join(
        f"<li><b>{_e(s.scorer)}</b>: <span class={'bad' if s.passed is False else 'muted'}>{_e(s.detail)}</span></li>"
        for s in result.scores
        if s.passed is not True
    )
    msgs = []
    for ex in result.transcript.exchanges:
        msgs.append(f'<div class="msg user"><b>Patient:</b> {_e(ex.user)}</div>')
        if ex.error:
            msgs.append(f'<div class="msg bot bad">error: {_e(ex.error)}</div>')
        turn = ex.parsed()
        if turn is None:
            continue
        meta = [f"triage <b>{_e(turn.triage.level.value)}</b>"]
        if turn.triage.rules:
            meta.append("rules " + _e(", ".join(turn.triage.rules)))
        if turn.triage.call:
            meta.append(f"call {_e(turn.triage.call)}")
        if turn.refusal:
            meta.append(f"refusal <b>{_e(turn.refusal.category.value)}</b>")
        if turn.citations:
            meta.append("cites " + _e(", ".join(f"[{c.n}] {c.resource}" for c in turn.citations)))
        if turn.actions:
            meta.append("actions " + _e(", ".join(a.kind for a in turn.actions)))
        if turn.safety.flags:
            meta.append("flags " + _e(", ".join(turn.safety.flags)))
        meta.append(f"{_e(turn.safety.backend)} · {_secs(ex.seconds)}")
        body = _e(turn.text)
        if turn.refusal and turn.refusal.text not in turn.text:
            body += "\n\n" + _e(turn.refusal.text)
        if turn.triage.advice and turn.triage.advice not in turn.text:
            body += "\n\n" + _e(turn.triage.advice)
        msgs.append(
            f'<div class="msg bot"><b>Assistant:</b> {body}<div class="meta">{" · ".join(meta)}</div></div>'
        )
    if result.transcript.error and not any(ex.error for ex in result.transcript.exchanges):
        msgs.append(f'<div class="msg bot bad">error: {_e(result.transcript.error)}</div>')
    expect = result.expect
    expect_html = (
        f"<div class=meta>expected: <code>{_e(json.dumps(expect, ensure_ascii=False))}</code></div>"
        if expect
        else ""
    )
    return (
        f'<details id="{_e(result.case_id)}"><summary><b>{_e(result.case_id)}</b> · {_e(result.category)} · '
        f"{_e(result.language)} · {_e(result.patient or 'default patient')} · "
        f"<span class=bad>{_e(', '.join(s.scorer for s in result.failures()))}</span></summary>"
        f"<ul class=scores>{scores}</ul>{expect_html}{''.join(msgs)}</details>"
    )


def render_html(
    log: EvalLog,
    *,
    violations: Sequence[Violation] | None = None,
    comparison: Comparison | None = None,
) -> str:
    results = log.results
    total = len(results)
    passed = sum(r.passed for r in results)
    (overall,) = group_stats(results, lambda r: "all cases") if results else (None,)
    lat = log.latencies()
    parts = [
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Safety eval report – {_e(log.started)}</title>"
    ]
    parts.append(f"<style>{_CSS}</style></head><body>")
    parts.append("<h1>Safety evaluation report</h1>")
    parts.append(
        f"<div class=muted>target <b>{_e(log.target)}</b> · backends {_e(', '.join(log.backends) or '–')} · "
        f"suites {_e(', '.join(log.suites))} · started {_e(log.started)} · finished {_e(log.finished)}</div>"
    )
    if violations is not None:
        if violations:
            items = "".join(f"<li>{_e(v.describe())}</li>" for v in violations)
            parts.append(
                f'<div class="verdict fail">Below thresholds — the gate fails:<ul>{items}</ul></div>'
            )
        else:
            parts.append('<div class="verdict pass">All thresholds met — the gate passes.</div>')
    if overall is not None:
        parts.append(
            f"<p><b>{passed}/{total}</b> cases passed ({_pct(overall.rate)}, 95 % CI {_pct(overall.low)}–{_pct(overall.high)}). "
            f"Latency per turn: p50 {_secs(percentile(lat, 50))}, p95 {_secs(percentile(lat, 95))} over {len(lat)} turns.</p>"
        )
    usage_rows = []
    if log.assistant_usage:
        u = log.assistant_usage
        cost = f" · cost {u.cost:.4f}" if u.cost is not None else ""
        usage_rows.append(
            f"<li>assistant LLM: {u.prompt_tokens} prompt + {u.completion_tokens} completion tokens{cost}</li>"
        )
    if log.judge:
        usage_rows.append(f"<li>judge: {_e(json.dumps(log.judge, ensure_ascii=False))}</li>")
    if usage_rows:
        parts.append(f"<h2>Tokens and cost</h2><ul>{''.join(usage_rows)}</ul>")
    if comparison is not None:
        rows = "".join(
            f"<tr><td>{_e(s)}</td><td class=num>{_pct(a)}</td><td class=num>{_pct(b)}</td>"
            f"<td class=num>{'' if a is None or b is None else f'{(b - a) * 100:+.1f} pts'}</td></tr>"
            for s, a, b in comparison.rows
        )
        flips = (
            f"<p>Newly failing ({len(comparison.newly_failing)}): "
            + ", ".join(f'<a href="#{_e(c)}">{_e(c)}</a>' for c in comparison.newly_failing)
            + f"</p><p>Newly passing ({len(comparison.newly_passing)}): {_e(', '.join(comparison.newly_passing))}</p>"
        )
        parts.append(
            f"<h2>Compared with the run of {_e(comparison.previous_started)}</h2><table><tr><th>suite</th>"
            f"<th>previous</th><th>now</th><th>change</th></tr>{rows}</table>{flips}"
        )
    taxonomy = load_taxonomy()
    parts.append("<h2>By suite</h2>" + _table("suite", group_stats(results, lambda r: r.suite)))
    parts.append(
        "<h2>By category</h2>"
        + _table(
            "category",
            group_stats(results, lambda r: r.category),
            notes={k: v.families() for k, v in taxonomy.items()},
        )
    )
    parts.append("<h2>By language</h2>" + _table("language", group_stats(results, lambda r: r.language)))
    parts.append(
        "<h2>By scorer</h2><p class=muted>Of the cases each scorer checked; a case passes when no scorer fails it.</p>"
        + _table("scorer", scorer_stats(results), latency=False)
    )
    failures = [r for r in results if not r.passed]
    parts.append(f"<h2>Failures ({len(failures)})</h2>")
    if not failures:
        parts.append("<p class=ok>No failing case.</p>")
    parts.extend(_failure(r) for r in failures)
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(path: str | Path, log: EvalLog, **kwargs: object) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(render_html(log, **kwargs), encoding="utf-8")  # type: ignore[arg-type]
    return p
