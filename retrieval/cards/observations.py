"""Observation cards (vitals, labs, surveys, social history) and one series card per observation code.

Series cards exist because "how has my blood pressure changed?" needs every value over time, not only
the latest one, and a backend should get that as one short card rather than dozens of raw results.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from retrieval.cards._context import CardContext, code_note
from retrieval.fhir_values import fmt_number, fmt_unit, iso
from retrieval.model import Card
from retrieval.readings import Reading

CATEGORY_WORDS = {
    "vital-signs": "Vital sign",
    "vital-sign": "Vital sign",
    "laboratory": "Lab result",
    "survey": "Questionnaire answer",
    "social-history": "Social history",
    "exam": "Examination finding",
    "procedure": "Procedure finding",
    "imaging": "Imaging finding",
}
SERIES_SHOWN = 12


def readings(ctx: CardContext) -> list[Reading]:
    """Every reading, blood pressures written as two Observations paired (see ``readings.py``)."""
    return ctx.all_readings()


def observation_card(r: Reading, ctx: CardContext) -> Card:
    concept = ctx.concepts.get(r.concept) if r.concept else None
    label = CATEGORY_WORDS.get(r.category or "", "Measurement")
    name = f"{r.name} ({concept.en} — {concept.en_plain})" if concept else r.name
    when = iso(r.date, r.precision)
    if r.is_panel:
        members = [ctx.reading(m) for m in (ctx.record.get(ref) for ref in r.members) if m is not None]
        listed = "; ".join(f"{m.name} {m.display_value}" for m in members[:12])
        parts = [f"{label} panel: {r.name} on {when}, grouping {len(r.members)} result(s): {listed}."]
    else:
        parts = [f"{label}: {name}: {r.display_value} on {when}."]
    parts.extend(_flag_sentences(r))
    if concept:
        parts.append(f"En français : {concept.fr}.")
    note = code_note(r.codes)
    if note:
        parts.append(f"({note})")
    paired = len(r.all_refs) > 1
    return Card(
        id=f"pair:{r.ref}" if paired else r.ref,
        ref=r.ref,
        kind="Observation",
        resource_type="Observation",
        title=f"{r.name} {r.display_value} ({when})",
        text=" ".join(parts),
        refs=r.all_refs,
        category=r.category,
        codes=r.codes,
        date=r.date,
        status=r.status,
        value=r.value if not r.components else r.display_value,
        unit=r.unit,
        reference_range=r.range_text or next((c.range_text for c in r.components if c.range_text), None),
        interpretation=r.interpretation or _flag_word(r),
        concept=r.concept,
        name_fr=concept.fr if concept else None,
        extra={"semantic": f"{label} {concept.en if concept else r.name}"},
        precision=r.precision,
    )


def _flag_word(r: Reading) -> str | None:
    flags = [r.flag] if r.flag else [c.flag for c in r.components if c.flag]
    return flags[0] if flags else None


def _flag_sentences(r: Reading) -> list[str]:
    out = []
    for item in (r, *r.components):
        what = item.name if item is not r else "This value"
        if item.flag == "implausible":
            out.append(f"{what} is impossible in a living person: probably a recording error.")
            continue
        if item.flag:
            where = f" ({item.range_text})" if item.range_text else ""
            out.append(f"{what} is {_flag_phrase(item.flag)} the usual range{where}.")
    if r.interpretation and not r.flag:
        out.append(f"Interpretation: {r.interpretation}.")
    return out


def _flag_phrase(flag: str) -> str:
    return {"high": "above", "low": "below"}.get(flag, "outside")


def series_key(r: Reading) -> str | None:
    return f"{r.codes[0].system}|{r.codes[0].code}" if r.codes else None


def series_cards(all_readings: list[Reading], ctx: CardContext) -> list[Card]:
    groups: dict[str, list[Reading]] = defaultdict(list)
    for r in all_readings:
        key = series_key(r)
        if key and r.date is not None and r.has_value:
            groups[key].append(r)
    cards = []
    for key, items in groups.items():
        if len(items) >= 2:
            cards.append(_series_card(key, sorted(items, key=_order), ctx))
    return cards


def _order(r: Reading) -> tuple[date, str]:
    return (r.date or date.min, r.ref)


def _series_card(key: str, items: list[Reading], ctx: CardContext) -> Card:
    latest, previous, first = items[-1], items[-2], items[0]
    concept = ctx.concepts.get(latest.concept) if latest.concept else None
    name = concept.en if concept else latest.name
    plain = f" — {concept.en_plain}" if concept else ""
    out_count = sum(1 for r in items if r.out_of_range)
    shown = items[-SERIES_SHOWN:][::-1]
    parts = [
        f"{name}{plain} over time: {len(items)} results from {iso(first.date)} to {iso(latest.date)}.",
        f"Latest {latest.display_value} on {iso(latest.date)}; previous {previous.display_value} on "
        f"{iso(previous.date)}.",
    ]
    trend = _trend(first, latest)
    if trend:
        parts.append(trend)
    numeric = [r for r in items if isinstance(r.value, float)]
    extremes: list[Reading] = []
    if len(numeric) >= 3:
        low = min(numeric, key=lambda r: (r.value, _order(r)))
        high = max(numeric, key=lambda r: (r.value, _order(r)))
        extremes = [low, high]
        parts.append(
            f"Lowest {low.display_value} ({iso(low.date)}), highest {high.display_value} ({iso(high.date)})."
        )
    parts.append(f"Outside the usual range: {out_count} of {len(items)}.")
    listed = "; ".join(f"{iso(r.date)} {r.display_value}{' (!)' if r.out_of_range else ''}" for r in shown)
    more = f" (and {len(items) - len(shown)} earlier)" if len(items) > len(shown) else ""
    parts.append(f"Most recent values: {listed}{more}.")
    if concept:
        parts.append(f"En français : {concept.fr}.")
    refs = list(dict.fromkeys(x for r in [*shown, first, *extremes] for x in r.all_refs))
    return Card(
        id=f"series:{key}",
        ref=latest.ref,
        kind="ObservationSeries",
        resource_type="Observation",
        title=f"{name}: {len(items)} results, latest {latest.display_value} ({iso(latest.date)})",
        text=" ".join(parts),
        refs=tuple(refs),
        category=latest.category,
        codes=latest.codes,
        date=latest.date,
        end=latest.date,
        value=latest.value if not latest.components else latest.display_value,
        unit=latest.unit,
        reference_range=latest.range_text,
        interpretation=f"{out_count} of {len(items)} outside the usual range",
        concept=latest.concept,
        name_fr=concept.fr if concept else None,
        extra={
            "semantic": f"{name} over time, trend and history",
            "first": iso(first.date),
            "count": len(items),
        },
    )


def _trend(first: Reading, latest: Reading) -> str:
    pairs: list[tuple[str, Reading, Reading]] = []
    if first.components and latest.components:
        for lc in latest.components:
            fc = next((c for c in first.components if c.codes == lc.codes), None)
            if fc is not None:
                pairs.append((lc.name, fc, lc))
    else:
        pairs.append(("", first, latest))
    bits = []
    for name, a, b in pairs:
        if isinstance(a.value, float) and isinstance(b.value, float):
            delta = b.value - a.value
            direction = "up" if delta > 0 else "down" if delta < 0 else "unchanged"
            unit = fmt_unit(b.unit)
            amount = f" by {fmt_number(abs(delta))} {unit}".rstrip() if delta else ""
            label = f"{name} " if name else ""
            bits.append(f"{label}{direction}{amount}")
    if not bits:
        return ""
    return f"Since the first result: {', '.join(bits)}."
