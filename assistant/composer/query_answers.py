"""A record question answered from its ``RecordQuery`` (what the understanding stage read), not from words.

This is the glue between the understanding stage and the record answers: it picks the answer for the
query's kind, targets, categories, period and offset, using the answer pieces of ``RecordAnswers``. The
record answerer is being rewritten to take a ``RecordQuery`` itself; until then this adapter is the one
place that maps a query onto the existing pieces. When the query says too little (a SEARCH), the record
answerer's own reading of the words is used, as before.
"""

from __future__ import annotations

from datetime import date

from assistant.composer.draft import CitationList, Draft
from assistant.composer.formatting import format_date, pick
from assistant.composer.naming import card_name, explanation, lower_first, reading_name
from assistant.composer.record_answers import MAX_LISTED, RecordAnswers, _flag_text, _label, reading_value
from assistant.schemas import Language
from assistant.understanding.model import Period, RecordQuery, RecordQueryKind
from retrieval.concepts import Concept

__all__ = ["QueryAnswers"]


def _period_text(period: Period | None, language: Language) -> str:
    if period is None:
        return ""
    if period.start and period.end:
        if (period.start.month, period.start.day, period.end.month, period.end.day) == (1, 1, 12, 31) and (
            period.start.year == period.end.year
        ):
            return pick(language, f" in {period.start.year}", f" en {period.start.year}")
        return pick(
            language,
            f" between {format_date(period.start, language)} and {format_date(period.end, language)}",
            f" entre le {format_date(period.start, language)} et le {format_date(period.end, language)}",
        )
    if period.start:
        return pick(
            language,
            f" since {format_date(period.start, language)}",
            f" depuis le {format_date(period.start, language)}",
        )
    if period.end:
        return pick(
            language,
            f" before {format_date(period.end, language)}",
            f" avant le {format_date(period.end, language)}",
        )
    return ""


_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


def _period_words(period: Period | None) -> str:
    """The period as the record answers' date reader understands it ("since 2018", "in 2016")."""
    if period is None:
        return ""
    if period.start and period.end:
        if (period.start.year, period.start.month) == (period.end.year, period.end.month):
            return f" in {_MONTH_NAMES[period.start.month - 1]} {period.start.year}"
        if period.start.year == period.end.year:
            return f" in {period.start.year}"
        return f" since {period.start.year}"
    if period.start:
        return f" since {period.start.year}"
    if period.end:
        return f" before {period.end.year + 1}"
    return ""


_COUNTABLE = (
    RecordQueryKind.COUNT,
    RecordQueryKind.LIST,
    RecordQueryKind.TREND,
    RecordQueryKind.VALUE_AT,
    RecordQueryKind.EVER_HAD,
)
_ENTRY_WORDS = {
    "Procedure": (("procedure", "procedures"), ("acte ou examen", "actes ou examens")),
    "DiagnosticReport": (("blood test report", "blood test reports"), ("bilan sanguin", "bilans sanguins")),
}


class QueryAnswers:
    """Answers one ``RecordQuery`` (``text`` is used only for a SEARCH, where the words are the query)."""

    def __init__(self, records: RecordAnswers) -> None:
        self.records = records

    def answer(self, query: RecordQuery, text: str, language: Language) -> Draft | None:
        r = self.records
        concepts = [c for c in (r.ctx.concepts.get(t) for t in query.targets) if c is not None]
        measured = [c for c in concepts if r._has_readings(c)]
        kind = query.kind
        period = _period_words(query.period)
        if measured:
            if kind == RecordQueryKind.MEANING and query.offset:
                return self.nth(measured[0], query.offset, language, meaning=True)
            if kind == RecordQueryKind.PREVIOUS:
                return self.nth(measured[0], query.offset or 1, language)
            if kind in (RecordQueryKind.TREND, RecordQueryKind.COUNT, RecordQueryKind.VALUE_AT):
                if kind == RecordQueryKind.VALUE_AT and query.period is None:
                    return r.latest(measured[:2], language)
                return r.trend(f"trend{period}", measured[0], language)
            if kind == RecordQueryKind.OUT_OF_RANGE:
                return r.out_of_range(measured[0], language)
            return r.latest(measured[:3], language)
        medicine = [c for c in concepts if r._medication_cards(c)]
        if medicine:
            return r.medicine(medicine[0], language)
        categories = set(query.categories)
        if kind == RecordQueryKind.LAST_VISIT or (categories == {"visits"}):
            return r.visits(f"visits{period}", language)
        if "allergies" in categories:
            return r.allergies(language)
        if "vaccines" in categories or any(c.key.endswith("_vaccine") for c in concepts):
            due = " missing" if kind == RecordQueryKind.DUE else ""
            return r.vaccines(f"vaccines{due}", language)
        if "medications" in categories:
            return r.medications(language)
        if "procedures" in categories and not concepts:
            if r.ctx.retriever is not None and query.period is None and kind != RecordQueryKind.COUNT:
                return r.listed_cards(text, "Procedure", language)  # ranked by the index
            return self.entries("Procedure", query, language)
        if categories == {"tests"} and not concepts and kind in _COUNTABLE:
            return self.entries("DiagnosticReport", query, language)
        if "goals" in categories and r.ctx.retriever is not None:
            return r.listed_cards(text, "Goal", language)
        if "care_plans" in categories and r.ctx.retriever is not None:
            return r.listed_cards(text, "CarePlan", language)
        if "demographics" in categories:
            return r.demographics(language)
        if "conditions" in categories and not concepts:
            return r.conditions(language)
        for concept in concepts:
            if r._condition_cards(concept):
                return r.condition(concept, language)
            entries = r._coded_cards(concept)
            if entries:
                return r.coded_entries(concept, entries, language)
        if concepts:
            return r.not_found(concepts[0], language)
        return r.answer(text, language)

    def entries(self, resource_type: str, query: RecordQuery, language: Language) -> Draft:
        """How many entries of one kind the record holds in the query's period, and the latest ones."""
        r = self.records
        period = query.period
        cards = [c for c in r._all_cards() if c.resource_type == resource_type and c.kind == resource_type]
        if period is not None:
            cards = [
                c
                for c in cards
                if c.date is not None
                and (period.start is None or c.date >= period.start)
                and (period.end is None or c.date <= period.end)
            ]
        cards.sort(key=lambda c: (c.date or date.min, c.ref), reverse=True)
        (en_one, en_many), (fr_one, fr_many) = _ENTRY_WORDS[resource_type]
        when = _period_text(period, language)
        if not cards:
            return Draft(
                text=pick(
                    language,
                    f"I found no {en_many} in your record{when}.",
                    f"Je n'ai trouvé aucun {fr_one} dans votre dossier{when}.",
                )
            )
        cites = CitationList()
        lines = [
            f"- {card_name(c, r.ctx.concepts, language)} ({format_date(c.date, language) if c.date else '?'}) "
            f"{cites.cite(c.ref, c.title)}"
            for c in cards[:MAX_LISTED]
        ]
        n = len(cards)
        head = pick(
            language,
            f"Your record holds {n} {en_one if n == 1 else en_many}{when}, most recent first:",
            f"Votre dossier contient {n} {fr_one if n == 1 else fr_many}{when}, du plus récent au plus ancien :",
        )
        more = (
            ""
            if n <= MAX_LISTED
            else pick(language, f"\n(and {n - MAX_LISTED} more)", f"\n(et {n - MAX_LISTED} de plus)")
        )
        return Draft(
            text=head + "\n" + "\n".join(lines) + more,
            citations=cites.items,
            resources_read=[c.ref for c in cards[:MAX_LISTED]],
        )

    def nth(self, concept: Concept, offset: int, language: Language, *, meaning: bool = False) -> Draft:
        """The value ``offset`` steps before the most recent one ("and the one before that?"); with
        ``meaning``, what that value means (its usual range and what the test measures) instead of what
        came after it."""
        r = self.records
        series = r.ctx.queries.series(concept.key)
        name = concept.fr if language == "fr" else concept.en
        if len(series) <= offset:
            shown = len(series)
            return Draft(
                text=pick(
                    language,
                    f"Your record holds {shown} {lower_first(name)} result{'s' if shown != 1 else ''}; there is "
                    "no earlier one.",
                    f"Votre dossier contient {shown} résultat{'s' if shown != 1 else ''} de {name} ; il n'y en a "
                    "pas de plus ancien.",
                )
            )
        reading = series[-1 - offset]
        cites = CitationList()
        marker = cites.cite(reading.ref, _label(reading, r.ctx.concepts))
        when = (
            format_date(reading.date, language)
            if reading.date
            else pick(language, "an unknown date", "une date inconnue")
        )
        value = reading_value(reading, language)
        label = reading_name(reading, r.ctx.concepts, language)
        ordinal = _ordinal(offset, language)
        text = pick(
            language,
            f"The {ordinal} {lower_first(label)} result was {value} on {when} {marker}",
            f"Le {ordinal} résultat ({label}) était {value} le {when} {marker}",
        )
        judged = _flag_text(reading, language)
        text += f", {judged}." if judged else "."
        newer = series[-offset:]
        if meaning:
            what = explanation(concept.key, r.ctx.concepts, language)
            if what:
                text += " " + pick(language, f"({name} is {what}.)", f"({name} : {what}.)")
            text += " " + pick(
                language,
                "Your care team can tell you what this means for you.",
                "Votre équipe soignante peut vous dire ce que cela signifie pour vous.",
            )
            return Draft(text=text, citations=cites.items, resources_read=[reading.ref])
        if newer:
            after = [
                f"{reading_value(x, language)} ({format_date(x.date, language) if x.date else '?'}) "
                f"{cites.cite(x.ref, _label(x, r.ctx.concepts))}"
                for x in newer
            ]
            text += " " + pick(
                language,
                f"Since then: {', '.join(after)}.",
                f"Depuis : {', '.join(after)}.",
            )
        return Draft(text=text, citations=cites.items, resources_read=[reading.ref, *(x.ref for x in newer)])


def _ordinal(offset: int, language: Language) -> str:
    en = {1: "previous", 2: "one before that (third most recent)"}
    fr = {1: "précédent", 2: "d'avant (avant-avant-dernier)"}
    if language == "fr":
        return fr.get(offset, f"{offset + 1}e plus récent")
    return en.get(offset, f"{_nth_en(offset + 1)} most recent")


def _nth_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
