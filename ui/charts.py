"""Trend charts a patient reads right (altair, rendered by Streamlit).

- The value axis is drawn around the values (and the usual band when there is one), never from 0 unless
  the values are near 0: a weight between 80 and 90 kg fills the chart.
- Units are written for people (mmHg, °C, µg/L — not ``mm[Hg]``, ``Cel``) and values rounded as a lab sheet
  shows them (three significant digits; blood pressure as whole numbers).
- The usual band is drawn only when a range is known (the concept map's named range, when the record's
  unit matches it); points are called "outside the usual range" only against a known range — with none,
  they are just values, in one colour, with no "usual" label.
- A value that cannot be right (flagged implausible by the record reader) is not drawn as a result; the
  text summary says how many were left out, so nothing is silently dropped.
A text summary goes with every chart for screen readers.
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt

from assistant.composer.formatting import format_measure, format_unit
from ui.i18n import Lang, fmt_short_date, t
from ui.records_data import Point, Trend

IN_RANGE = "#1f6feb"
OUT_OF_RANGE = "#d9480f"
NEUTRAL = "#1f6feb"
BAND = "#2da44e"
PADDING = 0.12  # share of the drawn span added above and below the values


def status_labels(lang: Lang) -> tuple[str, str]:
    """(outside, inside) legend labels against a known range; pinned to this order in both languages."""
    if lang == "fr":
        return "hors des valeurs habituelles", "dans les valeurs habituelles"
    return "outside the usual range", "within the usual range"


def value_label(lang: Lang) -> str:
    return "valeur" if lang == "fr" else "value"


def unit_for_people(trend: Trend) -> str:
    return format_unit(trend.unit)


def drawn_points(trend: Trend) -> list[Point]:
    """The points drawn: every value except those that cannot be right (said in the description)."""
    return [p for p in trend.points if p.flag != "implausible"]


def has_range(trend: Trend) -> bool:
    """A usual range is known for this trend: the named one, or the record's own on some point."""
    return trend.low is not None or trend.high is not None or any(p.flag for p in drawn_points(trend))


def rounded(value: float, trend: Trend) -> float:
    """The value as the lab sheet shows it (the tooltip and the line use the same number)."""
    return float(format_measure(value, trend.unit, "en"))


def trend_rows(trend: Trend, lang: Lang) -> list[dict[str, Any]]:
    label_out, label_in = status_labels(lang)
    known = has_range(trend)
    unit = unit_for_people(trend)
    rows = []
    for p in drawn_points(trend):
        status = (label_out if p.flag else label_in) if known else value_label(lang)
        rows.append(
            {
                "date": p.day.isoformat(),
                "value": rounded(p.value, trend),
                "shown": f"{format_measure(p.value, trend.unit, lang)} {unit}".strip(),
                "status": status,
                "name": trend.name(lang),
            }
        )
    return rows


def value_domain(trend: Trend) -> tuple[float, float] | None:
    """The value axis: around the drawn values and the usual band, padded; from 0 only when the values
    themselves come close to 0 (a count, a score)."""
    values = [p.value for p in drawn_points(trend)]
    if not values:
        return None
    low, high = min(values), max(values)
    for edge in (trend.low, trend.high):
        # Show the range's edge when it is near the values (so "above the band" is visible), not when it
        # would squash them (a band edge at 60 for eGFR values around 100 is still near enough).
        if edge is not None and _near(edge, low, high):
            low, high = min(low, edge), max(high, edge)
    span = high - low or max(abs(high), 1.0) * 0.2
    bottom = low - span * PADDING
    top = high + span * PADDING
    if low >= 0 and bottom < 0:
        bottom = 0.0
    if low > 0 and low < span * 0.3:
        bottom = 0.0  # values close to 0: the axis starts at 0
    return (_nice_down(bottom), _nice_up(top))


def _near(edge: float, low: float, high: float) -> bool:
    span = max(high - low, abs(high) * 0.1, 1e-9)
    return (low - span) <= edge <= (high + span)


def _step(x: float) -> float:
    if x == 0:
        return 1.0
    return float(10 ** math.floor(math.log10(abs(x)) - 1))


def _nice_down(x: float) -> float:
    step = _step(x)
    return math.floor(x / step) * step


def _nice_up(x: float) -> float:
    step = _step(x)
    return math.ceil(x / step) * step


def band_limits(trend: Trend) -> tuple[float, float] | None:
    """The usual band to shade, only for a known named range, closed at the edge of the drawn axis when
    the range is open-ended ("below 200 mg/dL" is shaded from the axis bottom to 200)."""
    if trend.low is None and trend.high is None:
        return None
    domain = value_domain(trend)
    if domain is None:
        return (
            (trend.low or 0.0, trend.high or 0.0)
            if trend.low is not None and trend.high is not None
            else None
        )
    bottom = trend.low if trend.low is not None else domain[0]
    top = trend.high if trend.high is not None else domain[1]
    bottom, top = max(bottom, domain[0]), min(top, domain[1])
    return (bottom, top) if top > bottom else None


def trend_chart(trend: Trend, lang: Lang, *, height: int = 220) -> alt.LayerChart:
    rows = trend_rows(trend, lang)
    unit = unit_for_people(trend)
    title = f"{trend.name(lang)} ({unit})" if unit else trend.name(lang)
    domain = value_domain(trend)
    scale = alt.Scale(domain=list(domain), zero=False, nice=False) if domain else alt.Scale(zero=False)
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%Y", labelAngle=0, tickCount=6))
    y = alt.Y("value:Q", title=unit or None, scale=scale)
    base = alt.Chart(alt.InlineData(values=rows))
    line = base.mark_line(color=IN_RANGE, strokeWidth=2).encode(x=x, y=y)
    tooltip = [
        alt.Tooltip("date:T", title="Date", format="%Y-%m-%d"),
        alt.Tooltip("shown:N", title=trend.name(lang)),
    ]
    if has_range(trend):
        labels = list(status_labels(lang))
        tooltip.append(alt.Tooltip("status:N", title=""))
        points = base.mark_circle(opacity=1).encode(
            x=x,
            y=y,
            size=alt.Size("status:N", scale=alt.Scale(domain=labels, range=[70, 30]), legend=None),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=labels, range=[OUT_OF_RANGE, IN_RANGE]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=tooltip,
        )
    else:
        points = base.mark_circle(opacity=1, size=36, color=NEUTRAL).encode(x=x, y=y, tooltip=tooltip)
    layers: list[Any] = []
    limits = band_limits(trend)
    if limits is not None:
        band = (
            alt.Chart(alt.InlineData(values=[{"low": limits[0], "high": limits[1]}]))
            .mark_rect(color=BAND, opacity=0.14)
            .encode(y=alt.Y("low:Q", scale=scale), y2="high:Q")
        )
        layers.append(band)
    layers.extend([line, points])
    return alt.LayerChart(layer=layers).properties(title=title, height=height, width="container")


def chart_description(trend: Trend, lang: Lang) -> str:
    """One or two sentences a screen reader (or a patient on a slow phone) gets instead of the picture."""
    points = drawn_points(trend)
    left_out = len(trend.points) - len(points)
    if not points:
        if left_out:
            return t("implausible_left_out", lang, n=left_out)
        return t("no_values", lang)
    first, last = points[0], points[-1]
    unit = unit_for_people(trend)
    value = f"{format_measure(last.value, trend.unit, lang)} {unit}".strip()
    parts = [
        t(
            "chart_alt",
            lang,
            title=trend.name(lang),
            n=len(points),
            first=fmt_short_date(first.day, lang),
            last=fmt_short_date(last.day, lang),
        ),
        t("latest_value", lang, value=value, date=fmt_short_date(last.day, lang)) + ".",
    ]
    source = trend.source(lang)
    if source:
        parts.append(t("usual_range", lang, source=source) + ".")
    flagged = sum(1 for p in points if p.flag)
    if has_range(trend) and flagged:
        parts.append(t("out_of_range_count", lang, n=flagged, total=len(points)))
    if left_out:
        parts.append(t("implausible_left_out", lang, n=left_out))
    return " ".join(parts)
