"""How one result is said: its value as a lab sheet shows it, its date as precise as the record wrote it,
what it means next to its usual range, and whether it is old or impossible.

Rules a patient relies on (issue 16):
- "within the usual range" is said only against a known range (the record's own, or a named public one
  in the reader's language); with no range, nothing is claimed;
- a value outside what a living person can have is shown as a probable recording error, never as normal,
  even when the record's own flag says normal;
- a result older than a year says how old it is, and older than two years suggests asking whether it
  should be repeated (never for a deceased patient's record), counted from the clock the caller passes.
"""

from __future__ import annotations

from datetime import date

from assistant.composer.formatting import format_date, format_measure, format_unit
from assistant.composer.naming import clean_display
from assistant.composer.record_wording import Wording
from assistant.schemas import Language
from retrieval import Card, ConceptMap, Reading
from retrieval.readings import DIASTOLIC, SYSTOLIC, component

OLD_DAYS = 365  # older than this: say how old
REPEAT_YEARS = 2  # at least this many years: suggest asking whether to repeat it


def when_text(day: date | None, precision: str, language: Language) -> str:
    if day is None:
        return Wording.load(language).say("date.unknown")
    return format_date(day, language, precision)


def on_text(day: date | None, precision: str, language: Language) -> str:
    """ "on 22 January 2021", "in January 2015", "in 2015" (French: "le …", "en …")."""
    words = Wording.load(language)
    if day is None:
        return words.say("date.unknown")
    return words.say(f"on_date.{precision}", when=format_date(day, language, precision))


def value_text(reading: Reading, language: Language) -> str:
    """ "7.3 %", "158/102 mmHg", "Positive", or "no value recorded (a placeholder…)"."""
    words = Wording.load(language)
    if reading.components:
        syst, dias = component(reading, SYSTOLIC), component(reading, DIASTOLIC)
        if syst is not None and dias is not None and _num(syst) is not None and _num(dias) is not None:
            s = format_measure(_num(syst) or 0.0, syst.unit or "mm[Hg]", language)
            d = format_measure(_num(dias) or 0.0, dias.unit or "mm[Hg]", language)
            return f"{s}/{d} mmHg"
        return "; ".join(f"{clean_display(c.name)} {value_text(c, language)}" for c in reading.components)
    if reading.value is None:
        if reading.note and reading.note.startswith("a placeholder"):
            return words.say("value.placeholder")
        if reading.note and reading.note.startswith("data absent"):
            return words.say("value.absent", reason=reading.note.removeprefix("data absent: "))
        return words.say("value.none")
    if isinstance(reading.value, str):
        return reading.value
    unit = format_unit(reading.unit)
    return f"{format_measure(reading.value, reading.unit, language)} {unit}".strip()


def _num(reading: Reading) -> float | None:
    return reading.value if isinstance(reading.value, int | float) else None


def reading_name(reading: Reading, concepts: ConceptMap, language: Language) -> str:
    concept = concepts.get(reading.concept) if reading.concept else None
    if concept is not None:
        return concept.name(language)
    return clean_display(reading.name) or Wording.load(language).say("name.result")


def entry_name(card: Card, concepts: ConceptMap, language: Language) -> str:
    """An entry named as the record wrote it (any language, kept as written); in French, the plain French
    name first when the concept map knows it: "Hypothyroïdie (Severe hypothyroidism)"."""
    written = clean_display(card.title.rsplit(" (", 1)[0]) if card.title else ""
    if not written and card.codes:
        written = clean_display(card.codes[0].display)
    concept = concepts.get(card.concept) if card.concept else None
    if concept is None or concept.is_group:
        return written or Wording.load(language).say("name.result")
    if language == "fr":
        french = concept.fr
        if not written or _same(written, french):
            return french
        return f"{french} ({written})"
    return written or concept.en


def _same(a: str, b: str) -> bool:
    from retrieval.concepts import normalize

    return normalize(a) == normalize(b) or normalize(a) in normalize(b)


def citation_label(reading: Reading) -> str:
    """The citation's label (kept in the record's words; the guard reads the resource, not this)."""
    when = f" ({reading.date.isoformat()})" if reading.date else ""
    return f"{clean_display(reading.name)} {reading.display_value}{when}"


def range_text(reading: Reading, concepts: ConceptMap, language: Language) -> str | None:
    """The range a result was judged against, in the reader's language: the record's own range as written,
    or the named public range (NCEP ATP III, KDIGO…) translated."""
    if reading.range_source and reading.range_source != "record":
        concept = concepts.get(reading.range_source)
        if concept is not None and concept.usual_range is not None:
            return concept.usual_range.describe(language)
    if reading.range_source == "record" and (reading.range_low is not None or reading.range_high is not None):
        return Wording.load(language).say("range.record", range=_bounds(reading, language))
    if reading.range_text and reading.range_source == "record":
        return Wording.load(language).say("range.record", range=reading.range_text)
    return None


def printed_range(reading: Reading, language: Language) -> str | None:
    """The range the lab printed beside a result, whether or not the result was judged against it (an
    impossible value is not), in the reader's number format: "4,4–6,4 %"."""
    if reading.range_low is None and reading.range_high is None:
        return None
    return _bounds(reading, language)


def _bounds(reading: Reading, language: Language) -> str:
    """The lab's own range in the reader's number format: "57,92–154 ng/mL"."""
    unit = format_unit(reading.unit)
    low = format_measure(reading.range_low, reading.unit, language) if reading.range_low is not None else None
    high = (
        format_measure(reading.range_high, reading.unit, language) if reading.range_high is not None else None
    )
    if low is not None and high is not None:
        text = f"{low}–{high}"
    elif low is not None:
        text = f"≥ {low}"
    else:
        text = f"≤ {high}"
    return f"{text} {unit}".strip()


def judgement(reading: Reading, concepts: ConceptMap, language: Language) -> str:
    """ "above the usual range (NCEP ATP III: below 200 mg/dL)", "within the usual range (…)", a probable
    recording error, or "" when no range is known. Panels (blood pressure) are judged part by part."""
    words = Wording.load(language)
    if reading.implausible:
        return words.say("judge.implausible")
    # A panel is judged on each part, the top number first (systolic before diastolic).
    parts = (
        sorted(reading.components, key=lambda c: not any(x.code == SYSTOLIC for x in c.codes))
        if reading.components
        else [reading]
    )
    flags = [p.flag for p in parts if p.flag]
    ranges = [r for r in dict.fromkeys(range_text(p, concepts, language) for p in parts) if r]
    where = f" ({'; '.join(ranges)})" if ranges else ""
    if flags:
        flag = flags[0]
        key = {"high": "judge.high", "low": "judge.low"}.get(flag, "judge.outside")
        if reading.components and len(set(flags)) == 1 and len(flags) < len(parts):
            key = "judge.part_high" if flag == "high" else "judge.part_low" if flag == "low" else key
        return words.say(key) + where
    if ranges:
        return words.say("judge.within") + where
    return ""


def implausible_note(reading: Reading, name: str, language: Language) -> str:
    words = Wording.load(language)
    said_normal = reading.record_interpretation in ("N", "normal") or any(
        c.record_interpretation in ("N", "normal") for c in reading.components
    )
    key = "implausible.marked_normal" if said_normal else "implausible.plain"
    return words.say(key, name=name)


def age_note(day: date | None, today: date, language: Language, *, deceased: bool = False) -> str:
    """ "(5 years ago)"-style note for an old result; the repeat suggestion from two years on."""
    if day is None or (today - day).days <= OLD_DAYS:
        return ""
    words = Wording.load(language)
    years = today.year - day.year - ((today.month, today.day) < (day.month, day.day))
    if years < 1:
        months = max(12, (today.year - day.year) * 12 + today.month - day.month)
        return words.say("age.months", n=months)
    if deceased or years < REPEAT_YEARS:
        return words.say_n("age.years", years)
    return words.say_n("age.repeat", years)


__all__ = [
    "age_note",
    "citation_label",
    "entry_name",
    "implausible_note",
    "judgement",
    "on_text",
    "printed_range",
    "range_text",
    "reading_name",
    "value_text",
    "when_text",
]
