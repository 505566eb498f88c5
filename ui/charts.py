"""Trend charts with the usual range drawn behind the values (altair, rendered by Streamlit).

The band is the named guidance range from the concept map (ADA, NCEP ATP III, KDIGO, WHO...), drawn only
when the record's unit matches it; values outside it are drawn as larger orange points, so "is this
high?" is visible without reading numbers. A text summary goes with every chart for screen readers.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from ui.i18n import Lang, fmt_short_date, t
from ui.records_data import Trend

IN_RANGE = "#1f6feb"
OUT_OF_RANGE = "#d9480f"
BAND = "#2da44e"


def status_labels(lang: Lang) -> tuple[str, str]:
    """(outside, inside) legend labels; the colour scale is pinned to this order in both languages."""
    if lang == "fr":
        return "hors des valeurs habituelles", "habituel"
    return "outside usual range", "usual"


def trend_rows(trend: Trend, lang: Lang) -> list[dict[str, Any]]:
    label_out, label_in = status_labels(lang)
    return [
        {
            "date": p.day.isoformat(),
            "value": round(p.value, 2),
            "status": label_out if p.flag else label_in,
            "name": trend.name(lang),
        }
        for p in trend.points
    ]


def band_limits(trend: Trend) -> tuple[float, float] | None:
    """The band to shade: an open-ended range is closed at the edge of the drawn values."""
    if trend.low is None and trend.high is None:
        return None
    values = [p.value for p in trend.points] or [trend.low or 0.0, trend.high or 0.0]
    bottom = trend.low if trend.low is not None else min(0.0, min(values))
    top = trend.high if trend.high is not None else max(values) * 1.1
    return (bottom, top) if top > bottom else None


def trend_chart(trend: Trend, lang: Lang, *, height: int = 220) -> alt.LayerChart:
    rows = trend_rows(trend, lang)
    domain = list(status_labels(lang))
    title = f"{trend.name(lang)} ({trend.unit})" if trend.unit else trend.name(lang)
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%Y", labelAngle=0, tickCount=6))
    y = alt.Y("value:Q", title=trend.unit or None, scale=alt.Scale(zero=False))
    base = alt.Chart(alt.InlineData(values=rows))
    line = base.mark_line(color=IN_RANGE, strokeWidth=2).encode(x=x, y=y)
    points = base.mark_circle(opacity=1).encode(
        x=x,
        y=y,
        size=alt.Size("status:N", scale=alt.Scale(domain=domain, range=[70, 30]), legend=None),
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=domain, range=[OUT_OF_RANGE, IN_RANGE]),
            legend=alt.Legend(orient="bottom", title=None),
        ),
        tooltip=[
            alt.Tooltip("date:T", title="Date", format="%Y-%m-%d"),
            alt.Tooltip("value:Q", title=trend.unit or trend.name(lang)),
            alt.Tooltip("status:N", title=""),
        ],
    )
    layers: list[Any] = []
    limits = band_limits(trend)
    if limits is not None:
        band = (
            alt.Chart(alt.InlineData(values=[{"low": limits[0], "high": limits[1]}]))
            .mark_rect(color=BAND, opacity=0.14)
            .encode(y="low:Q", y2="high:Q")
        )
        layers.append(band)
    layers.extend([line, points])
    return alt.LayerChart(layer=layers).properties(title=title, height=height, width="container")


def chart_description(trend: Trend, lang: Lang) -> str:
    """One or two sentences a screen reader (or a patient on a slow phone) gets instead of the picture."""
    if not trend.points:
        return t("no_values", lang)
    first, last = trend.points[0], trend.points[-1]
    value = f"{last.value:.4g} {trend.unit}".strip()
    parts = [
        t(
            "chart_alt",
            lang,
            title=trend.name(lang),
            n=len(trend.points),
            first=fmt_short_date(first.day, lang),
            last=fmt_short_date(last.day, lang),
        ),
        t("latest_value", lang, value=value, date=fmt_short_date(last.day, lang)) + ".",
    ]
    if trend.range_source:
        parts.append(t("usual_range", lang, source=trend.range_source) + ".")
    if trend.out_of_range:
        parts.append(t("out_of_range_count", lang, n=trend.out_of_range, total=len(trend.points)))
    return " ".join(parts)
