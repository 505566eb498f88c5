"""Answers to questions about the patient's own record, from a typed ``RecordQuery``.

``RecordAnswers.answer(query, language)`` is the one entry point: the understanding stage says what is
asked (latest value, value in a year, the one before, how many, still on it, ever had it, last visit, what
a result means…), and this module writes the answer from exact queries over the record. Every fact comes
from a ``Reading``, a ``MedicineEntry`` or a ``Card`` and is cited to the resource it came from, so the
output guard can check each number and date. ``answer_text`` is the text entry point kept until the
router passes the understanding stage's query (``record_text_query.TextQueryReader`` reads the text).

What a patient can rely on in these answers:
- several results on the same latest date are all shown, and a large disagreement between them is said;
- "within the usual range" only against a known range, in the reader's language; an impossible value is a
  probable recording error, never normal; an old result says how old it is (from the clock passed in);
- "still on it" gives the status and the dates of every entry of that medicine, including entries whose
  status the record does not state and medicines known only by a code;
- "have I ever had" looks in problems, procedures, vaccines (given, or offered and not given), tests,
  medicines and devices, and says an honest "not in your record" otherwise;
- statements of absence ("no known food allergy") are said as statements, never counted as items.
No language model is involved: this is the offline backend, and also what replaces an LLM reply that fails
a check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from assistant.composer.draft import CitationList, Draft, join_drafts
from assistant.composer.formatting import format_date, join_words
from assistant.composer.intents import Intents
from assistant.composer.naming import clean_display, lower_first
from assistant.composer.record_text_query import TextQueryReader
from assistant.composer.record_values import (
    age_note,
    citation_label,
    entry_name,
    implausible_note,
    judgement,
    on_text,
    printed_range,
    range_text,
    reading_name,
    value_text,
    when_text,
)
from assistant.composer.record_wording import Wording
from assistant.schemas import Language
from assistant.understanding.model import Period, RecordQuery, RecordQueryKind
from assistant.understanding.record_query import last_month_span
from retrieval import Card, ConceptMap, Reading, RecordQueries, RecordRetriever
from retrieval.concepts import Concept, normalize
from retrieval.medicines import CURRENT, GIVEN, NOT_TAKEN, ON_HOLD, STOPPED, MedicineEntry

MAX_LISTED = 8
# A vaccine given this many times or fewer is listed with the date of every dose (the citations name as many)
DOSES_DATED = 6
MAX_PAST = 5  # medicines no longer taken shown after the current ones
MAX_DATES = 12
FEW_VALUES = 4  # a count of at most this many results gives each value, not only its date
RELEVANT_SIMILARITY = 0.45
DISAGREEMENT = 0.25  # two results of one test on one day differing by more than this share are pointed out
# Social and administrative "conditions" Synthea records (employment, stress, education...) are real
# entries but not health problems a patient means by "my conditions"; they stay searchable.
_NOT_A_HEALTH_PROBLEM = (
    "employment", "education", "social", "stress", "housing", "criminal", "unemployed", "isolation",
    "transport", "medication review", "received higher", "limited social", "reports of violence",
    "not in labor force", "part-time", "full-time", "misuses drugs", "intimate partner",
)  # fmt: skip
MEASURED_KINDS = ("test", "vital")
ENTRY_TYPES = {
    "condition": ("Condition",),
    "procedure": ("Procedure",),
    "vaccine": ("Immunization",),
    "device": ("Device", "Procedure"),
    "medicine": (
        "MedicationRequest",
        "MedicationStatement",
        "MedicationAdministration",
        "MedicationDispense",
    ),
}
ALL_ENTRY_TYPES = (
    "Condition",
    "Procedure",
    "Immunization",
    "Device",
    "DiagnosticReport",
    "Observation",
    "AllergyIntolerance",
    *ENTRY_TYPES["medicine"],
)


@dataclass(frozen=True)
class RecordContext:
    """What the record answers read: the patient's queries, optional index, and today's date."""

    queries: RecordQueries
    concepts: ConceptMap
    intents: Intents
    patient_id: str
    today: date
    retriever: RecordRetriever | None = None


def reading_value(reading: Reading, language: Language) -> str:
    """The value as a lab sheet shows it (kept for callers outside this module)."""
    return value_text(reading, language)


class RecordAnswers:
    """Chooses and writes the answer for one record question."""

    def __init__(self, ctx: RecordContext) -> None:
        self.ctx = ctx

    @property
    def reader(self) -> TextQueryReader:
        return TextQueryReader(self.ctx.concepts, self.ctx.intents, self.ctx.queries.vocabulary)

    # -- entry points --------------------------------------------------------------------------------

    def answer_text(self, text: str, language: Language, previous: RecordQuery | None = None) -> Draft | None:
        """The text entry point: the message read into a ``RecordQuery`` (follow-ups resolved against
        ``previous``), then answered; ``None`` when the message is not a record question."""
        query = self.reader.read(text, previous)
        if query is None:
            return None
        draft = self.answer(query, language, text=text)
        return draft

    def answer(self, query: RecordQuery, language: Language, *, text: str = "") -> Draft:
        """The answer to ``query`` in ``language`` (``text``, when given, only helps a ranked search)."""
        words = Wording.load(language)
        if query.at_last_visit:
            query = self._on_last_visit_day(query)
        query = self._within_record(query)
        handler = {
            RecordQueryKind.LATEST: self._latest,
            RecordQueryKind.MEANING: self._latest,
            RecordQueryKind.VALUE_AT: self._value_at,
            RecordQueryKind.PREVIOUS: self._previous,
            RecordQueryKind.FIRST: self._first,
            RecordQueryKind.TREND: self._trend,
            RecordQueryKind.COUNT: self._count,
            RecordQueryKind.LIST: self._list,
            RecordQueryKind.STILL_ON: self._still_on,
            RecordQueryKind.EVER_HAD: self._ever_had,
            RecordQueryKind.LAST_VISIT: self._last_visit,
            RecordQueryKind.OUT_OF_RANGE: self._out_of_range,
            RecordQueryKind.DUE: self._due,
            RecordQueryKind.SUMMARY: self._summary,
            RecordQueryKind.SEARCH: self._search,
        }[query.kind]
        draft = handler(query, language, words, text)
        draft.record_query = query
        return draft

    # -- helpers ----------------------------------------------------------------------------------------

    def _on_last_visit_day(self, query: RecordQuery) -> RecordQuery:
        """The question bounded ("how many vaccines at his last appointment?") to the last visit's day (the
        reader cannot know that day); unchanged when the record holds no dated visit."""
        days = [c.date for c in self.q.encounters() if c.date]
        if not days:
            return query
        day = max(days)
        return query.model_copy(update={"period": Period(start=day, end=day), "at_last_visit": False})

    def _within_record(self, query: RecordQuery) -> RecordQuery:
        """A month named without its year ("my A1c in January", "mes résultats de décembre") is the last
        such month the record covers: a record that stops in 2021 was read in 2021, so its "January" is
        January 2021 or earlier, not the January of today's year. A year the patient wrote is kept."""
        period = query.period
        last = self.q.last_date
        if period is None or not period.year_implied or period.start is None or last is None:
            return query
        if period.start <= last:
            return query
        start, end = last_month_span(period.start.month, last)
        moved = period.model_copy(update={"start": start, "end": end})
        return query.model_copy(update={"period": moved})

    @property
    def q(self) -> RecordQueries:
        return self.ctx.queries

    @property
    def deceased(self) -> bool:
        patient = self.q.record.patient
        return bool(getattr(patient, "deceasedDateTime", None) or getattr(patient, "deceasedBoolean", None))

    def _targets(self, query: RecordQuery) -> list[Concept]:
        """The concepts asked about. A group is dropped when one of its members is named too: "my eGFR
        kidney number" asks for the eGFR, not for every kidney test (nor for the eGFR twice)."""
        found = [c for c in (self.ctx.concepts.get(t) for t in query.targets) if c is not None]
        named = {c.key for c in found if not c.is_group}
        kept_groups: set[str] = set()
        stood_for: set[str] = set()
        for group in (c for c in found if c.is_group and self._measured(c)):
            members = named & {m.key for m in self.ctx.concepts.expand(group.key)}
            if (
                members
                and not any(self.q.values_for([self.ctx.concepts.get(k) or group]) for k in members)
                and self.q.values_for([group])
            ):
                # "a 'heart blood test' number, the BNP or something": the record holds no BNP, but the test
                # named with it does (NT-proBNP): the group answers for the member the record does not hold
                kept_groups.add(group.key)
                stood_for |= members
        return [
            c
            for c in found
            if (
                c.is_group
                and (c.key in kept_groups or not named & {m.key for m in self.ctx.concepts.expand(c.key)})
            )
            or (not c.is_group and c.key not in stood_for)
        ]

    def _measures_of(self, query: RecordQuery) -> list[Concept]:
        """The result a named procedure gives, when the record holds it: "what did my spirometry give in
        2019?" asks for the FEV1/FVC of 2019, not for the date of the latest breathing test."""
        out: list[Concept] = []
        for target in self._targets(query):
            measure = self.ctx.concepts.get(target.measure) if target.measure else None
            if (
                measure is not None
                and target.kind == "procedure"
                and self._measured(measure)
                and measure not in out
                and self.q.values_for([measure])
            ):
                out.append(measure)
        return out

    def _measured(self, concept: Concept) -> bool:
        return concept.kind in MEASURED_KINDS or (
            concept.is_group and any(m.kind in MEASURED_KINDS for m in self.ctx.concepts.expand(concept.key))
        )

    def _name(self, concept: Concept, language: Language) -> str:
        return concept.name(language)

    def _what(self, query: RecordQuery, language: Language, words: Wording) -> str:
        """What the patient asked about, in their language, for a "not found" sentence."""
        targets = self._targets(query)
        if targets:
            return join_words([lower_first(t.name(language)) for t in targets], language)
        if query.categories:
            return join_words(
                [words.say(f"category.{c}") for c in query.categories if f"category.{c}" in words.phrases],
                language,
            )
        if query.terms:
            return (
                "« " + " ".join(query.terms[:4]) + " »"
                if language == "fr"
                else '"' + " ".join(query.terms[:4]) + '"'
            )
        return words.say("name.that")

    def _cite_card(self, cites: CitationList, card: Card) -> str:
        markers = [cites.cite(ref, card.title) for ref in card.refs[:1]]
        return "".join(markers)

    def _cite_reading(self, cites: CitationList, reading: Reading) -> str:
        return "".join(cites.cite(ref, citation_label(reading)) for ref in reading.all_refs)

    def _cite_entry(self, cites: CitationList, entry: MedicineEntry) -> str:
        return cites.cite(entry.ref, f"{entry.name} ({entry.status})")

    def _not_found(
        self, query: RecordQuery, language: Language, words: Wording, *, key: str = "notfound.thing"
    ) -> Draft:
        return Draft(text=words.say(key, what=self._what(query, language, words)))

    def _date_of(self, card: Card, language: Language) -> str:
        return when_text(card.date, card.precision, language)

    def _on(self, card: Card, language: Language) -> str:
        """ "on 2 June 2015" / "in January 2015 (until March 2015)": a condition says when it ended."""
        out = on_text(card.date, card.precision, language)
        if card.kind == "Condition" and card.end is not None:
            out += Wording.load(language).say(
                "until", when=format_date(card.end, language, card.end_precision)
            )
        return out

    # -- LATEST / MEANING -----------------------------------------------------------------------------

    def _latest(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        targets = self._targets(query)
        measured = [t for t in targets if self._measured(t)]
        if not measured:
            if len(targets) > 1:
                # "since my breast cancer I have a mammogram every year, when was the last one?": each thing
                # named gets its own latest entry or honest "not in your record" — what is done (a scan, a
                # vaccine) first, an illness named beside it after — so the illness found never stands in
                # for the scan that is not recorded
                ordered = sorted(targets, key=lambda t: t.kind == "condition")
                parts = [
                    self._occurrences(
                        query.model_copy(update={"targets": (t.key,)}), language, words, latest_only=True
                    )
                    for t in ordered
                ]
                return join_drafts(parts)
            if targets or query.terms:
                return self._occurrences(query, language, words, latest_only=True)
            if "visits" in query.categories:
                return self._last_visit(query, language, words, text)
            if query.categories:
                return self._list(query, language, words, text)
            return self._search(query, language, words, text)
        cites = CitationList()
        sentences: list[str] = []
        read: list[str] = []
        missing: list[str] = []
        explain = query.kind == RecordQueryKind.MEANING
        newest: date | None = None
        for target in measured:
            members = self.ctx.concepts.expand(target.key) if target.is_group else [target]
            found: list[Reading] = []
            for member in members:
                group = self.q.latest_date_group(member)
                if not group:
                    if not target.is_group:
                        missing.append(lower_first(member.name(language)))
                    continue
                found.extend(group)
                read.extend(r for g in group for r in g.all_refs)
                sentences.append(
                    self._result_sentence(
                        member,
                        group,
                        cites,
                        language,
                        words,
                        explain=explain and not target.is_group,
                        aged=False,
                    )
                )
            if target.is_group and not found:
                missing.append(lower_first(target.name(language)))
            if target.is_group and found:
                report = self._report_of(found)
                if report is not None:
                    sentences.append(
                        words.say(
                            "latest.report",
                            name=entry_name(report, self.ctx.concepts, language),
                            when=self._date_of(report, language),
                            cite=self._cite_card(cites, report),
                        )
                    )
                plain = target.fr_plain if language == "fr" else target.en_plain
                sentences.append(words.say("explain", Name=target.name(language), plain=plain))
            days = [r.date for r in found if r.date]
            if days and (newest is None or max(days) > newest):
                newest = max(days)
        if not sentences:
            if any(t.display for t in measured):
                return self._occurrences(query, language, words, latest_only=True)
            return self._not_found_result(query, missing, language, words)
        age = age_note(newest, self.ctx.today, language, deceased=self.deceased)
        if age:
            sentences.append(age)
        if missing:
            sentences.append(words.say("latest.missing", what=join_words(missing, language)))
        sentences.append(words.say("latest.care_team"))
        return Draft(text=" ".join(sentences), citations=cites.items, resources_read=read)

    def _report_of(self, readings: list[Reading]) -> Card | None:
        """The report (DiagnosticReport) that holds these results, when the record groups them in one."""
        wanted = {ref for r in readings for ref in r.all_refs}
        best: Card | None = None
        for card in self.q.entries(("DiagnosticReport",)):
            shared = len(wanted & set(card.refs[1:]))
            if shared and (best is None or shared > len(wanted & set(best.refs[1:]))):
                best = card
        return best

    def _result_sentence(
        self,
        concept: Concept,
        group: list[Reading],
        cites: CitationList,
        language: Language,
        words: Wording,
        *,
        explain: bool,
        lead: str = "latest",
        aged: bool = True,
    ) -> str:
        """The latest result(s) of one test on one day, judged (each value, the range named once), aged
        and (for "what does it mean") explained."""
        name = concept.name(language)
        first = group[0]
        when = when_text(first.date, first.precision, language)
        # entries an export left as placeholders ("{entry.value}") are said apart, after the values: "flu A
        # negative, flu B negative; 2 more entries have no value", not four results in a row
        valued, empty = _placeholders_apart(group)
        if len(valued) == 1:
            r = valued[0]
            marker = self._cite_reading(cites, r)
            out = words.say(
                f"{lead}.one",
                name=lower_first(name),
                Name=name,
                value=value_text(r, language),
                when=when,
                cite=marker,
            )
            judged = self._judged(r, concept, language, words)
            if judged:
                out += " " + judged
            if r.comment:
                # the record's own note on the result ("Above stated goal of 7.0 %") may hold the target
                # the patient's team set, which the usual range does not know
                out += " " + words.say("judge.comment", comment=r.comment)
        else:
            # same-day results of one test under different names (influenza A and B) each say which it is
            items = []
            for r, label in zip(valued, _name_labels(valued), strict=True):
                tag = self._short_verdict(r, words)
                items.append(f"{label}{value_text(r, language)} {self._cite_reading(cites, r)}{tag}")
            out = words.say(
                f"{lead}.several",
                name=lower_first(name),
                Name=name,
                when=when,
                n=len(valued),
                values=join_words(items, language),
            )

            ranges = [
                x for x in dict.fromkeys(range_text(r, self.ctx.concepts, language) for r in group) if x
            ]
            if ranges:
                out += " " + words.say("range.named", range="; ".join(ranges))
            for r in group:
                if r.implausible:
                    out += " " + implausible_note(r, lower_first(name), language)
                    break
            if _disagree(group):
                out += " " + words.say("latest.disagree")
        if empty:
            out += " " + self._placeholders_note(empty, cites, words)
        if aged:
            age = age_note(first.date, self.ctx.today, language, deceased=self.deceased)
            if age:
                out += " " + age
        if explain or (concept.kind == "test" and lead == "latest"):
            plain = concept.fr_plain if language == "fr" else concept.en_plain
            if explain or not _obvious(concept):
                out += " " + words.say("explain", Name=name, plain=plain)
        return out

    def _short_verdict(self, reading: Reading, words: Wording) -> str:
        """ " (above the usual range)" after one of several values; nothing without a known range."""
        if reading.implausible:
            return " (" + words.say("judge.implausible") + ")"
        flags = [reading.flag, *(c.flag for c in reading.components)]
        flag = next((f for f in flags if f), None)
        if flag is None:
            known = reading.range_source or any(c.range_source for c in reading.components)
            return " (" + words.say("judge.within") + ")" if known else ""
        key = {"high": "judge.high", "low": "judge.low"}.get(flag, "judge.outside")
        return " (" + words.say(key) + ")"

    def _judged(self, reading: Reading, concept: Concept, language: Language, words: Wording) -> str:
        if reading.implausible:
            # the range the lab printed beside it still helps the patient see how far off it is
            note = implausible_note(reading, lower_first(concept.name(language)), language)
            shown = printed_range(reading, language)
            return f"{note} {words.say('implausible.printed', range=shown)}" if shown else note
        verdict = judgement(reading, self.ctx.concepts, language)
        if not verdict:
            return ""
        if len(reading.all_refs) > 1 or reading.components:
            return words.say("judge.sentence_bp", verdict=verdict)
        return words.say("judge.sentence", verdict=verdict)

    def _not_found_result(
        self, query: RecordQuery, missing: list[str], language: Language, words: Wording
    ) -> Draft:
        what = join_words(missing, language) if missing else self._what(query, language, words)
        return Draft(text=words.say("notfound.result", what=what))

    # -- VALUE_AT ---------------------------------------------------------------------------------------

    def _value_at(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        targets = [t for t in self._targets(query) if self._measured(t)] or self._measures_of(query)
        period = query.period
        if not targets or period is None or (period.start is None and period.end is None):
            return self._latest(
                query.model_copy(update={"kind": RecordQueryKind.LATEST}), language, words, text
            )
        cites = CitationList()
        sentences: list[str] = []
        read: list[str] = []
        span = _period_text(period, language, words)
        for target in targets:
            members = self.ctx.concepts.expand(target.key) if target.is_group else [target]
            for member in members:
                inside = self.q.values_for([member], period.start, period.end)
                name = member.name(language)
                if inside:
                    read.extend(x for r in inside for x in r.all_refs)
                    # placeholders said apart, after the values; results under different names say which
                    # they are (influenza A, influenza B), as for the latest results
                    valued, empty = _placeholders_apart(inside)
                    shown = valued[-MAX_DATES:]
                    items = [
                        f"{label}{value_text(r, language)} {on_text(r.date, r.precision, language)} "
                        f"{self._cite_reading(cites, r)}"
                        for r, label in zip(shown, _name_labels(shown), strict=True)
                    ]
                    key = "value_at.one" if len(valued) == 1 else "value_at.several"
                    sentences.append(
                        words.say(
                            key,
                            name=lower_first(name),
                            Name=name,
                            span=span,
                            n=len(valued),
                            values=join_words(items, language),
                        )
                    )
                    if empty:
                        sentences.append(self._placeholders_note(empty, cites, words))
                    judged = [self._judged(r, member, language, words) for r in shown[-2:]]
                    sentences.extend(j for j in dict.fromkeys(judged) if j)
                    continue
                if target.is_group:
                    continue
                before = self.q.values_for([member], until=_day_before(period.start)) if period.start else []
                after = self.q.values_for([member], since=_day_after(period.end)) if period.end else []
                near = []
                if before:
                    group = [r for r in before if r.date == before[-1].date]
                    near.append(
                        words.say(
                            "value_at.before",
                            values=join_words(
                                [f"{value_text(r, language)} {self._cite_reading(cites, r)}" for r in group],
                                language,
                            ),
                            when=when_text(group[0].date, group[0].precision, language),
                        )
                    )
                    read.extend(x for r in group for x in r.all_refs)
                if after:
                    group = [r for r in after if r.date == after[0].date]
                    near.append(
                        words.say(
                            "value_at.after",
                            values=join_words(
                                [f"{value_text(r, language)} {self._cite_reading(cites, r)}" for r in group],
                                language,
                            ),
                            when=when_text(group[0].date, group[0].precision, language),
                        )
                    )
                    read.extend(x for r in group for x in r.all_refs)
                sentence = words.say("value_at.none", name=lower_first(name), span=span)
                if near:
                    sentence += " " + words.say("value_at.closest", near=join_words(near, language))
                sentences.append(sentence)
        if not read:
            return Draft(
                text=" ".join(sentences)
                or words.say("notfound.result", what=self._what(query, language, words))
            )
        return Draft(text=" ".join(sentences), citations=cites.items, resources_read=read)

    # -- PREVIOUS ---------------------------------------------------------------------------------------

    def _previous(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        targets = self._targets(query)
        measured = [t for t in targets if self._measured(t)]
        if not measured:
            if targets or query.categories or query.terms:
                return self._occurrences(query, language, words, previous=max(1, query.offset))
            return self._not_found(query, language, words)
        cites = CitationList()
        sentences: list[str] = []
        read: list[str] = []
        for target in measured:
            members = self.ctx.concepts.expand(target.key) if target.is_group else [target]
            for member in members:
                series = [r for r in self.q.values_for([member]) if r.date is not None]
                if not series:
                    continue
                if query.year_back and query.period is None:
                    # "et l'année d'avant ?": the latest result of the calendar year before the latest one's
                    year = max(r.date for r in series if r.date).year - 1
                    earlier = [r for r in series if r.date and r.date.year == year]
                    steps = 0
                elif query.period is not None and query.period.start is not None:
                    earlier = [r for r in series if r.date and r.date < query.period.start]
                    steps = max(0, query.offset - 1)
                else:
                    earlier = series
                    steps = max(1, query.offset)
                days = sorted({r.date for r in earlier if r.date})
                if len(days) <= steps:
                    sentences.append(words.say("previous.none", name=lower_first(member.name(language))))
                    continue
                day = days[-1 - steps]
                group = [r for r in earlier if r.date == day]
                read.extend(x for r in group for x in r.all_refs)
                sentences.append(
                    self._result_sentence(
                        member, group, cites, language, words, explain=False, lead="previous"
                    )
                )
                later = [d for d in sorted({r.date for r in series if r.date}) if d > day]
                if later and query.period is None:
                    nxt = [r for r in series if r.date == later[0]]
                    items = [f"{value_text(r, language)} {self._cite_reading(cites, r)}" for r in nxt]
                    sentences.append(
                        words.say(
                            "previous.then",
                            values=join_words(items, language),
                            when=when_text(later[0], nxt[0].precision, language),
                        )
                    )
                    read.extend(x for r in nxt for x in r.all_refs)
        if not read:
            return Draft(text=" ".join(sentences) or self._not_found(query, language, words).text)
        return Draft(text=" ".join(sentences), citations=cites.items, resources_read=read)

    # -- FIRST ----------------------------------------------------------------------------------------

    def _first(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        """The earliest entry of what is asked: a test's first result(s) (every reading of that day), or the
        first dose, procedure or visit on file."""
        targets = self._targets(query)
        measured = [t for t in targets if self._measured(t)]
        if not measured:
            if targets or query.categories or query.terms:
                return self._occurrences(query, language, words, first=True)
            return self._not_found(query, language, words)
        cites = CitationList()
        sentences: list[str] = []
        read: list[str] = []
        since = query.period.start if query.period else None
        until = query.period.end if query.period else None
        for target in measured:
            members = self.ctx.concepts.expand(target.key) if target.is_group else [target]
            for member in members:
                series = [r for r in self.q.values_for([member], since, until) if r.date is not None]
                if not series:
                    continue
                day = min(r.date for r in series if r.date)
                group = [r for r in series if r.date == day]
                read.extend(x for r in group for x in r.all_refs)
                sentences.append(
                    self._result_sentence(member, group, cites, language, words, explain=False, lead="first")
                )
        if not read:
            return self._not_found(query, language, words)
        return Draft(text=" ".join(sentences), citations=cites.items, resources_read=read)

    # -- TREND ----------------------------------------------------------------------------------------

    def _trend(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        targets = [t for t in self._targets(query) if self._measured(t)]
        if not targets:
            return self._latest(
                query.model_copy(update={"kind": RecordQueryKind.LATEST}), language, words, text
            )
        concept = targets[0]
        members = self.ctx.concepts.expand(concept.key) if concept.is_group else [concept]
        member = next((m for m in members if self.q.values_for([m])), members[0])
        since = query.period.start if query.period else None
        until = query.period.end if query.period else None
        series = [r for r in self.q.values_for([member], since, until) if r.has_value]
        name = member.name(language)
        if not series:
            return Draft(text=words.say("notfound.result", what=lower_first(name)))
        cites = CitationList()
        first, last = series[0], series[-1]
        out = [
            words.say_n(
                "trend.count",
                len(series),
                name=lower_first(name),
                Name=name,
                since=when_text(first.date, first.precision, language),
            ),
            words.say(
                "trend.latest",
                value=value_text(last, language),
                when=when_text(last.date, last.precision, language),
                cite=self._cite_reading(cites, last),
            ),
        ]
        judged = self._judged(last, member, language, words)
        if judged:
            out.append(judged)
        if len(series) > 1:
            prev = series[-2]
            out.append(
                words.say(
                    "trend.previous",
                    value=value_text(prev, language),
                    when=when_text(prev.date, prev.precision, language),
                    cite=self._cite_reading(cites, prev),
                )
            )
        if len(series) > 2:
            out.append(
                words.say(
                    "trend.first",
                    value=value_text(first, language),
                    when=when_text(first.date, first.precision, language),
                    cite=self._cite_reading(cites, first),
                    direction=words.say(f"direction.{_direction(first, last)}"),
                )
            )
        flagged = [r for r in series if r.out_of_range]
        if flagged:
            out.append(words.say("trend.flagged", n=len(flagged), total=len(series)))
        age = age_note(last.date, self.ctx.today, language, deceased=self.deceased)
        if age:
            out.append(age)
        out.append(words.say("trend.chart"))
        return Draft(
            text=" ".join(out), citations=cites.items, resources_read=[x for r in series for x in r.all_refs]
        )

    # -- COUNT ----------------------------------------------------------------------------------------

    def _count(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        targets = self._targets(query)
        period = query.period
        span = _period_text(period, language, words) if period else ""
        measured = [t for t in targets if self._measured(t)]
        if measured:
            readings = self.q.values_for(
                measured, period.start if period else None, period.end if period else None
            )
            readings = [r for r in readings if r.has_value]
            name = join_words([lower_first(t.name(language)) for t in measured], language)
            if not readings:
                return Draft(text=words.say("count.none", what=name, span=span))
            cites = CitationList()
            if len(readings) <= FEW_VALUES:
                # a few results: each with its value ("how much was my blood pressure in 2019?" is often
                # worded as a count, "j'avais combien de tension en 2019 ?"), not only when it was taken
                dates = [
                    f"{value_text(r, language)} {on_text(r.date, r.precision, language)} "
                    f"{self._cite_reading(cites, r)}"
                    for r in readings
                ]
            else:
                dates = [
                    f"{when_text(r.date, r.precision, language)} {self._cite_reading(cites, r)}"
                    for r in readings[-MAX_DATES:]
                ]
            text_out = words.say_n(
                "count.results", len(readings), what=name, span=span, dates=join_words(dates, language)
            )
            return Draft(
                text=text_out, citations=cites.items, resources_read=[x for r in readings for x in r.all_refs]
            )
        cards, what = self._entries_asked(query, language, words)
        if period is not None:
            cards = [c for c in cards if _in_period(c.date, period)]
        if "visits" in query.categories:
            cards = self._visits_matching(query, period)
            what = self._visit_words(query, language, words)
        if not cards:
            # nothing named to count ("how many times have I ended up there?"): no "any that"
            key = "count.none_unnamed" if what == words.say("name.that") else "count.none"
            return Draft(text=words.say(key, what=what, span=span))
        cites = CitationList()
        shown = cards[-30:]
        if len({c.date for c in shown}) == 1 and len(shown) > 1:
            # all on one day (a visit's): which ones, not the same date again and again
            dates = [
                f"{entry_name(c, self.ctx.concepts, language)} {self._cite_card(cites, c)}" for c in shown
            ]
        else:
            dates = [f"{self._date_of(c, language)} {self._cite_card(cites, c)}" for c in shown]
        more = words.say("count.earlier", n=len(cards) - len(shown)) if len(cards) > len(shown) else ""
        text_out = (
            words.say_n("count.entries", len(cards), what=what, span=span, dates=join_words(dates, language))
            + more
        )
        not_given = (
            self._not_given(query)
            if any(t.kind == "vaccine" for t in targets) or "vaccines" in query.categories
            else []
        )
        if period is not None:
            not_given = [c for c in not_given if _in_period(c.date, period)]
        if not_given:
            text_out += " " + self._not_given_sentence(not_given, cites, language, words)
        return Draft(text=text_out, citations=cites.items, resources_read=[c.ref for c in cards])

    def _entries_asked(
        self, query: RecordQuery, language: Language, words: Wording
    ) -> tuple[list[Card], str]:
        """Entries of the asked things (targets by concept, else the record's own names, else categories)."""
        targets = self._targets(query)
        cards: list[Card] = []
        for target in targets:
            kinds = {m.kind for m in (self.ctx.concepts.expand(target.key) if target.is_group else [target])}
            types = tuple(t for k in kinds for t in ENTRY_TYPES.get(k, ()))
            if target.kind == "vaccine" or "vaccine" in kinds:
                cards.extend(
                    c for c in self.q.entries_for(target, ("Immunization",)) if c.status == "completed"
                )
            elif types:
                found = self.q.entries_for(target, types)
                cards.extend(c for c in found if c.status not in ("not-done", "entered-in-error"))
        if targets:
            what = join_words([lower_first(t.name(language)) for t in targets], language)
        elif query.categories:
            what = self._what(query, language, words)
            for category in query.categories:
                cards.extend(self._category_cards(category))
        elif query.terms:
            cards = [
                c for c in self.q.entries_named(list(query.terms), ALL_ENTRY_TYPES) if c.status != "not-done"
            ]
            what = self._what(query, language, words)
        else:
            what = self._what(query, language, words)
        unique = {c.ref: c for c in cards}
        return sorted(unique.values(), key=lambda c: (c.date or date.min, c.ref)), what

    def _category_cards(self, category: str) -> list[Card]:
        if category == "vaccines":
            return self.q.immunizations()
        if category == "procedures":
            return [c for c in self.q.entries(("Procedure",)) if c.status != "not-done"]
        if category == "conditions":
            return self.q.conditions(active_only=False)
        if category == "medications":
            return self.q.medications(active_only=False)
        if category == "allergies":
            return self.q.allergies(active_only=False)
        if category == "visits":
            return self.q.encounters()
        if category == "devices":
            return self.q.entries(("Device",))
        return []

    def _not_given(self, query: RecordQuery) -> list[Card]:
        targets = [t for t in self._targets(query) if t.kind == "vaccine"]
        pool = [c for c in self.q.immunizations(given_only=False) if c.status != "completed"]
        if not targets:
            return pool
        return [c for c in pool if any(self.ctx.concepts.entry_matches(t, c.codes, c.title) for t in targets)]

    def _not_given_sentence(
        self, cards: list[Card], cites: CitationList, language: Language, words: Wording
    ) -> str:
        items = []
        for c in cards[-4:]:
            reason = c.text.split("(")[-1].rstrip(").") if "NOT given" in c.text and "(" in c.text else ""
            item = f"{entry_name(c, self.ctx.concepts, language)} {self._on(c, language)}"
            if reason and reason != c.text:
                item += f" ({reason})"
            items.append(f"{item} {self._cite_card(cites, c)}")
        return words.say("vaccine.not_given", items=join_words(items, language))

    # -- LIST -------------------------------------------------------------------------------------------

    def _list(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        categories = list(query.categories)
        targets = self._targets(query)
        if not categories and targets:
            return self._ever_had(query, language, words, text)
        if not categories:
            return self._search(query, language, words, text)
        drafts = [self._list_one(c, query, language, words, text) for c in categories[:2]]
        if len(drafts) == 1:
            return drafts[0]
        return _merge(drafts)

    def _list_one(
        self, category: str, query: RecordQuery, language: Language, words: Wording, text: str
    ) -> Draft:
        if category == "medications":
            return self._medicines(query, language, words)
        if category == "allergies":
            return self._allergies(language, words)
        if category == "conditions":
            return self._conditions(query, language, words)
        if category == "vaccines":
            return self._vaccines(query, language, words)
        if category == "visits":
            return self._visits_list(query, language, words)
        if category == "procedures":
            return self._cards_list(self._category_cards("procedures"), query, language, words, "procedures")
        if category == "devices":
            return self._cards_list(self._category_cards("devices"), query, language, words, "devices")
        if category == "demographics":
            return self._demographics(language, words)
        if category == "billing":
            return self._billing(language, words)
        if category in ("care_plans", "goals", "tests"):
            return self._search(query, language, words, text)
        return self._search(query, language, words, text)

    def _cards_list(
        self, cards: list[Card], query: RecordQuery, language: Language, words: Wording, what: str
    ) -> Draft:
        if query.period is not None:
            cards = [c for c in cards if _in_period(c.date, query.period)]
        if not cards:
            return Draft(text=words.say("notfound.category", what=words.say(f"category.{what}")))
        cites = CitationList()
        newest = sorted(cards, key=lambda c: c.date or date.min, reverse=True)
        lines = [
            f"- {entry_name(c, self.ctx.concepts, language)} ({self._date_of(c, language)}) {self._cite_card(cites, c)}"
            for c in newest[:MAX_LISTED]
        ]
        head = words.say_n(f"list.{what}", len(cards))
        more = "\n" + words.say("list.more", n=len(cards) - MAX_LISTED) if len(cards) > MAX_LISTED else ""
        return Draft(
            text=head + "\n" + "\n".join(lines) + more,
            citations=cites.items,
            resources_read=[c.ref for c in cards],
        )

    def _medicines(self, query: RecordQuery, language: Language, words: Wording) -> Draft:
        entries = self.q.medicine_entries
        absent = self.q.absences("medications")
        cites = CitationList()
        if not entries:
            if absent:
                marks = " ".join(cites.cite(a.ref, a.display) for a in absent)
                return Draft(
                    text=words.say("meds.absent", statement=absent[0].words(language), cite=marks),
                    citations=cites.items,
                )
            return Draft(text=words.say("meds.none_at_all"))
        current = [e for e in entries if e.current]
        unknown = [e for e in entries if e.state not in (CURRENT, ON_HOLD, STOPPED, GIVEN, NOT_TAKEN)]
        lines: list[str] = []
        read: list[str] = []
        if current:
            lines.append(words.say_n("meds.current", len(current)))
            for e in sorted(current, key=lambda e: e.when or date.min, reverse=True)[:MAX_LISTED]:
                lines.append(self._medicine_line(e, cites, language, words))
                read.extend(e.refs)
        if unknown:
            lines.append(words.say_n("meds.unknown", len(unknown)))
            for e in sorted(unknown, key=lambda e: e.when or date.min, reverse=True)[:MAX_LISTED]:
                lines.append(self._medicine_line(e, cites, language, words))
                read.extend(e.refs)
        past = sorted(
            (e for e in entries if e not in current and e not in unknown),
            key=lambda e: e.when or date.min,
            reverse=True,
        )
        if not current and not unknown:
            lines.append(words.say("meds.none_current"))
        if past:
            # Also what is no longer taken (a summary's medicine section lists both): the most recent few.
            lines.append(words.say_n("meds.past", len(past), shown=min(len(past), MAX_PAST)))
            for e in past[:MAX_PAST]:
                lines.append(self._medicine_line(e, cites, language, words))
                read.extend(e.refs)
        if any(e.coded_only for e in current + unknown):
            lines.append(words.say("meds.coded_only"))
        lines.append(words.say("meds.advice"))
        return Draft(text="\n".join(lines), citations=cites.items, resources_read=read)

    def _medicine_line(
        self, e: MedicineEntry, cites: CitationList, language: Language, words: Wording
    ) -> str:
        name = self._medicine_name(e, language)
        marker = self._cite_entry(cites, e)
        span = self._medicine_span(e, language, words)
        dosage = words.say("meds.as_written", dosage=e.dosage) if e.dosage else ""
        return f"- {name}{span}{dosage} {marker}"

    def _medicine_name(self, e: MedicineEntry, language: Language) -> str:
        if e.coded_only:
            return Wording.load(language).say("meds.coded", code=e.code_name())
        return clean_display(e.name)

    def _medicine_span(self, e: MedicineEntry, language: Language, words: Wording) -> str:
        start = when_text(e.start.day, e.start.precision, language) if e.start else ""
        end = when_text(e.end.day, e.end.precision, language) if e.end else ""
        if start and end:
            return words.say("meds.from_to", start=start, end=end)
        if start:
            return words.say("meds.given_on" if e.state == GIVEN else "meds.since", start=start)
        if end:
            return words.say("meds.until", end=end)
        if e.asserted:
            return words.say("meds.stated", when=when_text(e.asserted.day, e.asserted.precision, language))
        return ""

    def _allergies(self, language: Language, words: Wording) -> Draft:
        cards = self.q.allergies(active_only=False)
        absent = self.q.absences("allergies")
        cites = CitationList()
        lines: list[str] = []
        if cards:
            lines.append(words.say_n("allergies.head", len(cards)))
            for card in cards[:MAX_LISTED]:
                detail = _allergy_detail(card, language, words)
                status = (
                    ""
                    if card.status in ("active", "unknown")
                    else words.say("allergies.status", status=card.status)
                )
                lines.append(
                    f"- {entry_name(card, self.ctx.concepts, language)}{detail}{status} {self._cite_card(cites, card)}"
                )
        for a in absent:
            marker = cites.cite(a.ref, a.display)
            key = "allergies.also_absent" if cards else "allergies.only_absent"
            lines.append(words.say(key, statement=a.words(language), cite=marker))
        if not cards and not absent:
            return Draft(text=words.say("allergies.none"))
        if cards:
            lines.append(words.say("allergies.advice"))
        return Draft(
            text="\n".join(lines),
            citations=cites.items,
            resources_read=[c.ref for c in cards] + [a.ref for a in absent],
        )

    def _conditions(self, query: RecordQuery, language: Language, words: Wording) -> Draft:
        cards = [c for c in self.q.conditions() if not _social(c)]
        absent = self.q.absences("problems")
        cites = CitationList()
        if query.period is not None:
            cards = [
                c
                for c in self.q.conditions(active_only=False)
                if not _social(c) and _in_period(c.date, query.period)
            ]
        if not cards:
            if absent:
                marker = cites.cite(absent[0].ref, absent[0].display)
                return Draft(
                    text=words.say("conditions.absent", statement=absent[0].words(language), cite=marker),
                    citations=cites.items,
                )
            past = [c for c in self.q.conditions(active_only=False) if not _social(c)]
            if past:
                return self._cards_list(past, query, language, words, "past_conditions")
            return Draft(text=words.say("conditions.none"))
        problems = [c for c in cards if c.category in ("problem", None)]
        others = [c for c in cards if c not in problems]
        newest = sorted(problems, key=lambda c: c.date or date.min, reverse=True)
        lines = [words.say_n("conditions.head", len(problems) or len(cards))]
        for card in (newest or sorted(others, key=lambda c: c.date or date.min, reverse=True))[:12]:
            lines.append(self._condition_line(card, cites, language, words))
        if problems and others:
            lines.append(words.say("conditions.others"))
            for card in others[:6]:
                lines.append(self._condition_line(card, cites, language, words))
        if len(newest) > 12:
            lines.append(words.say("list.more", n=len(newest) - 12))
        remission = self._in_remission() if query.period is None else []
        if remission:
            # FHIR clinicalStatus "remission": no symptoms now, but the problem may come back and is still
            # followed (a cancer in remission): a new doctor needs it, so it is listed, said as such
            lines.append(words.say("conditions.remission"))
            lines.extend(self._condition_line(card, cites, language, words) for card in remission[:6])
        read = [c.ref for c in cards] + [c.ref for c in remission]
        return Draft(text="\n".join(lines), citations=cites.items, resources_read=read)

    def _in_remission(self) -> list[Card]:
        """The record's problems in remission, most recent first."""
        cards = [
            c for c in self.q.conditions(active_only=False) if c.status == "remission" and not _social(c)
        ]
        return sorted(cards, key=lambda c: c.date or date.min, reverse=True)

    def _condition_line(self, card: Card, cites: CitationList, language: Language, words: Wording) -> str:
        since = words.say("conditions.since", when=self._date_of(card, language)) if card.date else ""
        status = (
            words.say(f"status.{card.status}")
            if f"status.{card.status}" in words.phrases and card.status != "active"
            else ""
        )
        return (
            f"- {entry_name(card, self.ctx.concepts, language)}{since}{status} {self._cite_card(cites, card)}"
        )

    def _vaccines(self, query: RecordQuery, language: Language, words: Wording) -> Draft:
        cards = self.q.immunizations()
        if query.period is not None:
            cards = [c for c in cards if _in_period(c.date, query.period)]
        not_given = self._not_given(query)
        cites = CitationList()
        if not cards and not not_given:
            absent = self.q.absences("immunizations")
            if absent:
                marker = cites.cite(absent[0].ref, absent[0].display)
                return Draft(
                    text=words.say("vaccines.absent", statement=absent[0].words(language), cite=marker),
                    citations=cites.items,
                )
            return Draft(text=words.say("vaccines.none"))
        groups: dict[str, list[Card]] = {}
        for card in cards:
            groups.setdefault(card.concept or (card.codes[0].code if card.codes else card.title), []).append(
                card
            )
        lines = [words.say_n("vaccines.head", len(cards))] if cards else []
        ordered = sorted(groups.values(), key=lambda g: g[-1].date or date.min, reverse=True)
        for group in ordered[:MAX_LISTED]:
            last = group[-1]
            markers = "".join(self._cite_card(cites, c) for c in group[-DOSES_DATED:])
            name = entry_name(last, self.ctx.concepts, language)
            if 1 < len(group) <= DOSES_DATED:
                # every dose of a short series with its date ("2 doses, on 26 January and 30 March 2021")
                dates = join_words(
                    [words.say("vaccines.dose_date", when=self._date_of(c, language)) for c in group],
                    language,
                )
                lines.append(words.say("vaccines.dates", name=name, n=len(group), dates=dates, cite=markers))
                continue
            lines.append(
                words.say_n(
                    "vaccines.line", len(group), name=name, when=self._date_of(last, language), cite=markers
                )
            )
        if len(ordered) > MAX_LISTED:
            lines.append(words.say("list.more", n=len(ordered) - MAX_LISTED))
        if not_given:
            lines.append(self._not_given_sentence(not_given, cites, language, words))
        return Draft(
            text="\n".join(lines), citations=cites.items, resources_read=[c.ref for c in cards + not_given]
        )

    def _visits_list(self, query: RecordQuery, language: Language, words: Wording) -> Draft:
        cards = self._visits_matching(query, query.period)
        if not cards:
            return Draft(
                text=words.say(
                    "visits.none", span=_period_text(query.period, language, words) if query.period else ""
                )
            )
        cites = CitationList()
        newest = list(reversed(cards))
        lines = [
            words.say_n(
                "visits.head",
                len(cards),
                span=_period_text(query.period, language, words) if query.period else "",
            )
        ]
        for card in newest[:MAX_LISTED]:
            lines.append(
                f"- {self._date_of(card, language)}: {entry_name(card, self.ctx.concepts, language)} {self._cite_card(cites, card)}"
            )
        if len(cards) > MAX_LISTED:
            lines.append(words.say("list.more", n=len(cards) - MAX_LISTED))
        return Draft(text="\n".join(lines), citations=cites.items, resources_read=[c.ref for c in cards])

    # -- STILL_ON ---------------------------------------------------------------------------------------

    def _still_on(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        targets = [t for t in self._targets(query) if t.kind in ("medicine", "group")]
        found: list[MedicineEntry] = []
        for target in targets:
            for member in self.ctx.concepts.expand(target.key) if target.is_group else [target]:
                found.extend(self.q.medicines_for(member))
        if not found and query.terms:
            found = self.q.medicines_for(None, list(query.terms))
        if not targets and not query.terms:
            return self._medicines(query, language, words)
        unique = {e.ref: e for e in found}
        entries = sorted(unique.values(), key=lambda e: (e.when or date.min, e.ref))
        cites = CitationList()
        coded = [e for e in self.q.medicine_entries if e.coded_only]
        what = self._what(query, language, words) if targets else self._term_name(query, language)
        if not entries:
            out = words.say("still_on.not_found", what=what)
            if coded:
                items = [
                    f"{self._medicine_name(e, language)}{self._medicine_span(e, language, words)} {self._cite_entry(cites, e)}"
                    for e in coded[:4]
                ]
                out += " " + words.say("still_on.coded_maybe", items=join_words(items, language))
            return Draft(text=out, citations=cites.items, resources_read=[e.ref for e in coded])
        current = [e for e in entries if e.current]
        stopped = [e for e in entries if e.state in (STOPPED, NOT_TAKEN)]
        given = [e for e in entries if e.state == GIVEN]
        unknown = [e for e in entries if e not in current + stopped + given]
        lines: list[str] = []
        if current:
            lines.append(words.say_n("still_on.current", len(current), what=what))
        elif unknown and not stopped:
            lines.append(words.say_n("still_on.unknown", len(unknown), what=what))
        elif stopped or given:
            lines.append(words.say("still_on.stopped", what=what))
        else:
            lines.append(words.say_n("still_on.unknown", len(unknown), what=what))
        for e in sorted(entries, key=lambda e: (not e.current, -(e.when or date.min).toordinal()))[
            :MAX_LISTED
        ]:
            state = words.say(f"state.{e.state}")
            lines.append(
                f"- {self._medicine_name(e, language)}: {state}{self._medicine_span(e, language, words)} {self._cite_entry(cites, e)}"
            )
        if len(entries) > MAX_LISTED:
            lines.append(words.say("list.more", n=len(entries) - MAX_LISTED))
        same = [c for c in coded if c.ref not in unique and any(_same_instructions(c, e) for e in entries)]
        for c in same:
            lines.append(
                words.say(
                    "still_on.same_code",
                    code=c.code_name(),
                    state=words.say(f"state.{c.state}"),
                    span=self._medicine_span(c, language, words),
                    cite=self._cite_entry(cites, c),
                )
            )
        lines.append(words.say("still_on.advice"))
        read = [r for e in entries + same for r in e.refs]
        return Draft(text="\n".join(lines), citations=cites.items, resources_read=read)

    def _term_name(self, query: RecordQuery, language: Language) -> str:
        return " ".join(query.terms[:2])

    # -- EVER_HAD ---------------------------------------------------------------------------------------

    def _ever_had(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        terms = list(query.terms)
        if (
            not query.targets
            and not query.categories
            and terms
            and self.ctx.retriever is not None
            and not self.q.entries_named(terms, ALL_ENTRY_TYPES)
            and not self.q.medicines_for(None, terms)
        ):
            # Nothing the record names with these words: the ranked search looks by meaning, and says so
            # plainly when nothing is about the question.
            return self._search(query, language, words, text or " ".join(terms))
        targets = self._targets(query)
        if (
            targets
            and query.period is not None
            and all(t.kind == "test" and not t.is_group for t in targets)
            and any(self.q.values_for([t]) for t in targets)
        ):
            # "when she had covid in 2020, did she have flu too? they tested lots of viruses": whether a test of
            # that time found it is its result, not a "yes" for the test being on file
            return self._value_at(
                query.model_copy(update={"kind": RecordQueryKind.VALUE_AT}), language, words, text
            )
        if len(targets) > 1:
            # "the pneumococcal jab? (the flu one she has every year)": each thing asked gets its own yes
            # or honest no, so one found never reads as "yes" for the one that is not in the record
            parts = [
                self._occurrences(query.model_copy(update={"targets": (t.key,)}), language, words)
                for t in targets
            ]
            return join_drafts(parts)
        return self._occurrences(query, language, words)

    def _occurrences(
        self,
        query: RecordQuery,
        language: Language,
        words: Wording,
        *,
        latest_only: bool = False,
        previous: int = 0,
        first: bool = False,
    ) -> Draft:
        """Everything the record holds of the asked thing: problems, procedures, vaccines (and vaccines
        not given), tests, medicines, devices — or an honest "not in your record"."""
        targets = self._targets(query)
        cites = CitationList()
        cards: list[Card] = []
        readings: list[Reading] = []
        medicines: list[MedicineEntry] = []
        for target in targets:
            members = self.ctx.concepts.expand(target.key) if target.is_group else [target]
            for member in members:
                if member.kind in MEASURED_KINDS:
                    readings.extend(r for r in self.q.values_for([member]) if r.has_value)
                    if member.display:
                        cards.extend(self.q.entries_for(member, ("Observation", "DiagnosticReport")))
                elif member.kind == "medicine":
                    medicines.extend(self.q.medicines_for(member))
                else:
                    cards.extend(self.q.entries_for(member, ENTRY_TYPES.get(member.kind, ALL_ENTRY_TYPES)))
            if target.kind == "condition":
                cards.extend(self._related_tests(target, readings))
        if not targets and query.terms:
            cards = self.q.entries_named(list(query.terms), ALL_ENTRY_TYPES)
            medicines = [
                m
                for m in self.q.medicines_for(None, list(query.terms))
                if m.ref not in {c.ref for c in cards}
            ]
        if not targets and not query.terms and query.categories:
            for category in query.categories:
                cards.extend(self._category_cards(category))
        cards = [c for c in {c.ref: c for c in cards}.values() if c.kind not in ("Absence",)]
        what = self._what(query, language, words)
        given = [c for c in cards if c.status not in ("not-done", "entered-in-error")]
        not_done = [c for c in cards if c.status == "not-done"]
        if not given and not readings and not medicines:
            out = words.say("ever.no", what=what)
            related = [] if previous or latest_only else self._related_conditions(targets)
            if related:
                lines = []
                for c in related:
                    label = f"{entry_name(c, self.ctx.concepts, language)}{self._status_words(c, language, words)}"
                    lines.append(f"{label} {self._on(c, language)} {cites.cite(c.ref, label)}")
                out += " " + words.say("ever.related", items=join_words(lines, language))
                return Draft(text=out, citations=cites.items, resources_read=[c.ref for c in related])
            if not_done:
                out += " " + self._not_given_sentence(not_done, cites, language, words)
            else:
                out += " " + words.say("ever.caveat")
            return Draft(text=out, citations=cites.items, resources_read=[c.ref for c in not_done])
        items: list[tuple[date, str, list[str]]] = []
        for c in given:
            name = entry_name(c, self.ctx.concepts, language)
            status = self._status_words(c, language, words)
            items.append((c.date or date.min, f"{name}{status} {self._on(c, language)}", [c.ref]))
        for r in readings:
            items.append(
                (
                    r.date or date.min,
                    f"{reading_name(r, self.ctx.concepts, language)} {value_text(r, language)} {on_text(r.date, r.precision, language)}",
                    list(r.all_refs),
                )
            )
        for m in medicines:
            items.append(
                (
                    m.when or date.min,
                    f"{self._medicine_name(m, language)} ({words.say(f'state.{m.state}')}){self._medicine_span(m, language, words)}",
                    [m.ref],
                )
            )
        items.sort(key=lambda x: x[0])
        if previous:
            if len(items) <= previous:
                return Draft(text=words.say("previous.none", name=what))
            items = [items[-1 - previous]]
        elif first:
            first_day = items[0][0]
            items = [i for i in items if i[0] == first_day]
        elif latest_only:
            last_day = items[-1][0]
            items = [i for i in items if i[0] == last_day]
        shown = items[-MAX_DATES:]
        lines = []
        for _, label, refs in shown:
            marker = "".join(cites.cite(ref, label) for ref in refs)
            lines.append(f"{label} {marker}")
        key = (
            "ever.previous"
            if previous
            else "ever.first"
            if first
            else "ever.latest"
            if latest_only
            else "ever.yes"
        )
        out = words.say_n(key, len(items), what=what, items=join_words(lines, language))
        if len(items) > len(shown):
            out += " " + words.say("count.earlier", n=len(items) - len(shown))
        if not_done and not previous and not latest_only and not first:
            out += " " + self._not_given_sentence(not_done, cites, language, words)
        read = [ref for _, _, refs in items for ref in refs]
        return Draft(text=out, citations=cites.items, resources_read=read)

    def _related_conditions(self, targets: Sequence[Concept]) -> list[Card]:
        """The record's conditions that the concept map follows with the same measurement as an asked
        condition it does not hold ("diabetes?" → prediabetes, both followed by the HbA1c)."""
        asked = {t.key for t in targets if t.kind == "condition"}
        measures = {t.measure for t in targets if t.kind == "condition" and t.measure}
        if not measures:
            return []
        cards: list[Card] = []
        for concept in self.ctx.concepts.concepts:
            if concept.kind == "condition" and concept.measure in measures and concept.key not in asked:
                cards.extend(self.q.entries_for(concept, ENTRY_TYPES.get("condition", ALL_ENTRY_TYPES)))
        return [c for c in {c.ref: c for c in cards}.values() if c.status != "entered-in-error"]

    def _related_tests(self, concept: Concept, readings: list[Reading]) -> list[Card]:
        """Tests that confirm a condition ("COVID-19" → a positive SARS-CoV-2 test), when the concept map
        names one (``<condition>_test``)."""
        test = self.ctx.concepts.get(concept.key.removesuffix("19") + "_test")
        if test is None:
            return []
        return [c for c in self.q.entries(("Observation",)) if c.concept == test.key]

    def _status_words(self, card: Card, language: Language, words: Wording) -> str:
        if card.kind == "Condition" and card.status and f"status.{card.status}" in words.phrases:
            return words.say(f"status.{card.status}")
        return ""

    # -- LAST_VISIT -------------------------------------------------------------------------------------

    def _visits_matching(self, query: RecordQuery, period: Period | None) -> list[Card]:
        cards = [c for c in self.q.encounters() if c.date is None or c.date <= self.ctx.today]
        if period is not None:
            cards = [c for c in cards if _in_period(c.date, period)]
        targets = [t for t in self._targets(query) if t.kind == "condition"]
        wanted = [
            w
            for w in query.terms
            if w
            not in (
                "visit",
                "visits",
                "appointment",
                "appointments",
                "doctor",
                "visite",
                "visites",
                "consultation",
                "consultations",
                "rendez-vous",
                "medecin",
            )
        ]
        if targets:
            cards = [c for c in cards if any(self._mentions(c, t) for t in targets)]
        elif wanted:
            named = {c.ref for c in self.q.entries_named(wanted, ("Encounter",))}
            # "seen someone about my hip": a word of the visit's reason ("Osteoarthritis of hip") counts too
            plain = [w for w in (normalize(x) for x in wanted) if len(w) >= 3]
            narrowed = [
                c
                for c in cards
                if c.ref in named or any(f" {w} " in f" {self._visit_text(c)} " for w in plain)
            ]
            cards = narrowed or cards
        if query.visit_names:
            # "how many asthma follow-ups, not the ER trip": the visits whose own name says follow-up;
            # all of them when the record names none so (it may not name its kinds of visit at all)
            names = [normalize(n) for n in query.visit_names]
            kind_of = [
                c
                for c in cards
                if any(f" {n} " in f" {normalize(c.title).replace('-', ' ')} " for n in names)
            ]
            cards = kind_of or cards
        return cards

    def _placeholders_note(self, empty: Sequence[Reading], cites: CitationList, words: Wording) -> str:
        """ "2 more entries have no value [n]": placeholders an export left, cited, said after the values."""
        marker = "".join(self._cite_reading(cites, r) for r in empty)
        return words.say_n("latest.placeholders", len(empty), cite=marker)

    @staticmethod
    def _visit_text(card: Card) -> str:
        return normalize(f"{card.title} {' '.join(str(r) for r in card.extra.get('reasons') or [])}")

    def _mentions(self, card: Card, concept: Concept) -> bool:
        """A visit about a condition: coded with it, or naming it ("Asthma follow-up")."""
        if self.ctx.concepts.entry_matches(concept, card.codes, card.title):
            return True
        name = normalize(f"{card.title} {' '.join(str(r) for r in card.extra.get('reasons') or [])}")
        names = [normalize(w) for w in (*concept.words, concept.en)]
        return any(len(w) >= 4 and f" {w} " in f" {name} " for w in names)

    def _visit_words(self, query: RecordQuery, language: Language, words: Wording) -> str:
        targets = [t for t in self._targets(query) if t.kind == "condition"]
        if targets:
            return words.say(
                "visits.about", what=join_words([lower_first(t.name(language)) for t in targets], language)
            )
        if query.terms and not query.targets and not query.visit_names:
            # "seen someone about my hip": the visits are said with the patient's word for what they were about
            return words.say("visits.about", what=query.terms[0])
        if query.visit_names:
            # the kind of visit asked about ("how many times did I end up in the ER?"): said by its name
            kind = f"visits.kind.{query.visit_names[0].replace(' ', '_')}"
            if kind in words.phrases:
                return words.say(kind)
        return words.say("category.visits")

    def _last_visit(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        cards = self._visits_matching(query, query.period)
        if not cards:
            return Draft(
                text=words.say(
                    "visits.none", span=_period_text(query.period, language, words) if query.period else ""
                )
            )
        last = cards[-1]
        cites = CitationList()
        marker = self._cite_card(cites, last)
        what = entry_name(last, self.ctx.concepts, language)
        out = [words.say("visits.last", when=self._date_of(last, language), what=what, cite=marker)]
        reasons = last.extra.get("reasons") or []
        if reasons:
            out.append(
                words.say(
                    "visits.reason", reason=join_words([clean_display(str(r)) for r in reasons], language)
                )
            )
        done = self._recorded_during(last, cites, language, words)
        if done:
            out.append(done)
        earlier = [c for c in cards[:-1] if c.date][-3:]
        if earlier:
            items = [f"{self._date_of(c, language)} {self._cite_card(cites, c)}" for c in reversed(earlier)]
            out.append(words.say("visits.earlier", items=join_words(items, language)))
        age = age_note(last.date, self.ctx.today, language, deceased=True)
        if age:
            out.append(age)
        return Draft(text=" ".join(out), citations=cites.items, resources_read=[c.ref for c in cards[-4:]])

    def _recorded_during(
        self, encounter: Card, cites: CitationList, language: Language, words: Wording
    ) -> str:
        readings = {r.ref: r for r in self.q.readings}
        cards = {c.ref: c for c in self.q.cards if c.kind not in ("ObservationSeries",)}
        items: list[str] = []
        for ref in encounter.refs[1:]:
            if ref in readings:
                reading = readings[ref]
                if not reading.has_value:
                    continue
                items.append(
                    f"{reading_name(reading, self.ctx.concepts, language)} {value_text(reading, language)} {self._cite_reading(cites, reading)}"
                )
            elif ref in cards:
                card = cards[ref]
                items.append(
                    f"{entry_name(card, self.ctx.concepts, language)} {self._cite_card(cites, card)}"
                )
            if len(items) >= 6:
                break
        if not items:
            return ""
        return words.say("visits.done", items="; ".join(items))

    # -- OUT_OF_RANGE, DUE, SUMMARY ---------------------------------------------------------------------

    def _out_of_range(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        targets = [t for t in self._targets(query) if self._measured(t)]
        pool = self.q.values_for(targets) if targets else [r for r in self.q.readings if r.has_value]
        if query.period is not None:
            pool = [r for r in pool if _in_period(r.date, query.period)]
        out = [r for r in pool if r.out_of_range]
        odd = [r for r in pool if r.implausible]
        cites = CitationList()
        what = self._what(query, language, words) if targets else words.say("name.results")
        if not out:
            text_out = words.say("range.none_out", n=len(pool), what=what)
            if targets and pool:
                latest = self._latest(
                    query.model_copy(update={"kind": RecordQueryKind.LATEST}), language, words, text
                )
                return Draft(
                    text=text_out + " " + latest.text,
                    citations=latest.citations,
                    resources_read=latest.resources_read,
                )
            return Draft(text=text_out)
        shown = out[-6:]
        items = [
            f"{reading_name(r, self.ctx.concepts, language)} {value_text(r, language)} "
            f"({when_text(r.date, r.precision, language)}) {self._cite_reading(cites, r)}"
            for r in reversed(shown)
        ]
        text_out = words.say(
            "range.out", n=len(out), total=len(pool), what=what, items=join_words(items, language)
        )
        if targets:
            # "is my ferritin out of range? what is the normal range on the report?": the range each named
            # result was judged against is said with it (a list of every flagged result keeps it short)
            ranges = [
                x for x in dict.fromkeys(range_text(r, self.ctx.concepts, language) for r in shown) if x
            ]
            if ranges:
                text_out += " " + words.say("range.named", range="; ".join(ranges))
        if odd:
            text_out += " " + words.say("range.odd", n=len(odd))
        text_out += " " + words.say("range.advice")
        return Draft(
            text=text_out, citations=cites.items, resources_read=[x for r in pool for x in r.all_refs]
        )

    def _due(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        targets = self._targets(query)
        if targets and not any(t.kind == "vaccine" for t in targets):
            # "am I due a colonoscopy?", "and when was the last one? trying to work out if I'm due": the
            # vaccine schedule says nothing of a test or a procedure; when it was last done is what the record
            # holds, and when the next one falls is the care team's to say
            latest = self._latest(
                query.model_copy(update={"kind": RecordQueryKind.LATEST}), language, words, text
            )
            return Draft(
                text=latest.text + "\n\n" + words.say("due.not_vaccine"),
                citations=latest.citations,
                resources_read=latest.resources_read,
            )
        base = self._vaccines(query, language, words)
        cites = CitationList.continuing(base.citations)
        due = self.q.vaccines_due(as_of=self.ctx.today)
        lines = [base.text]
        if due:
            lines.append(words.say("due.head"))
            for item in due:
                name = item.name_fr if language == "fr" else item.name_en
                rule = item.rule_fr if language == "fr" else item.rule_en
                line = f"- {name} — {rule}"
                if item.last_given and item.last_ref:
                    marker = cites.cite(item.last_ref, f"{item.name_en} ({item.last_given.isoformat()})")
                    line += words.say("due.last", when=format_date(item.last_given, language), cite=marker)
                lines.append(line)
        else:
            lines.append(words.say("due.nothing"))
        lines.append(words.say("due.advice"))
        return Draft(text="\n".join(lines), citations=cites.items, resources_read=base.resources_read)

    def _summary(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        parts = [
            self._conditions(query, language, words),
            self._medicines(query, language, words),
            self._allergies(language, words),
        ]
        return _merge(parts)

    # -- demographics, billing --------------------------------------------------------------------------

    def _demographics(self, language: Language, words: Wording) -> Draft:
        patient = self.q.record.patient
        ref = f"Patient/{patient.id}"
        cites = CitationList()
        marker = cites.cite(ref, "Patient")
        parts: list[str] = []
        birth = getattr(patient, "birthDate", None)
        if birth is not None:
            parts.append(words.say("demographics.birth", when=format_date(birth, language)))
        gender = getattr(patient, "gender", None)
        if gender in ("male", "female"):
            parts.append(words.say("demographics.sex", sex=words.say(f"sex.{gender}")))
        if not parts:
            return Draft(text=words.say("notfound.thing", what=words.say("category.demographics")))
        return Draft(
            text=words.say("demographics.says", facts=join_words(parts, language), cite=marker),
            citations=cites.items,
            resources_read=[ref],
        )

    def _billing(self, language: Language, words: Wording) -> Draft:
        totals = self.q.billing_totals()
        if not totals.refs:
            return Draft(text=words.say("billing.none"))
        return Draft(
            text=words.say(
                "billing.totals",
                n=len(totals.refs),
                claimed=_money(totals.claimed, language),
                paid=_money(totals.paid, language),
                currency=totals.currency,
            ),
            resources_read=list(totals.refs),
        )

    # -- SEARCH -----------------------------------------------------------------------------------------

    def _search(self, query: RecordQuery, language: Language, words: Wording, text: str) -> Draft:
        """The closest record entries, or an honest "not found" when nothing is about the question.

        A hit counts when the ranker saw the asked concept or resource type in it, or its meaning is
        close (vector similarity ≥ ``RELEVANT_SIMILARITY``); words shared by chance ("records") do not.
        """
        if query.terms and not text:
            named = self.q.entries_named(list(query.terms), ALL_ENTRY_TYPES)
            if named:
                return self._occurrences(query, language, words)
        retriever = self.ctx.retriever
        if retriever is None or not (text or query.terms):
            named = self.q.entries_named(list(query.terms), ALL_ENTRY_TYPES) if query.terms else []
            if named:
                return self._occurrences(query, language, words)
            return Draft(text=words.say("search.nothing"))
        hits = retriever.search(self.ctx.patient_id, text or " ".join(query.terms), k=8)
        relevant = [
            h
            for h in hits
            if h.card.resource_type != "Patient"
            and h.card.kind != "Absence"
            and (
                h.signals.get("concept", 0) > 0
                or h.signals.get("type", 0) > 0
                or h.signals.get("vector", 0) >= RELEVANT_SIMILARITY
            )
        ]
        if not relevant:
            return Draft(text=words.say("search.nothing"), resources_read=[h.card.ref for h in hits])
        cites = CitationList()
        lines = []
        seen: set[str] = set()
        for hit in relevant:
            card = hit.card
            if card.ref in seen:
                continue
            seen.add(card.ref)
            when = f" ({self._date_of(card, language)})" if card.date else ""
            lines.append(
                f"- {entry_name(card, self.ctx.concepts, language)}{when} {self._cite_card(cites, card)}"
            )
            if len(lines) == 4:
                break
        return Draft(
            text=words.say("search.intro") + "\n" + "\n".join(lines) + "\n" + words.say("search.outro"),
            citations=cites.items,
            resources_read=[h.card.ref for h in relevant],
        )


# --- small pure helpers ------------------------------------------------------------------------------------


def _money(amount: float, language: Language) -> str:
    text = f"{amount:.2f}"
    return text.replace(".", ",") if language == "fr" else text


def _obvious(concept: Concept) -> bool:
    """Vital signs explain themselves ("weight is how much you weigh" is filler); lab tests do not."""
    return concept.kind != "test"


def _disagree(group: Sequence[Reading]) -> bool:
    values = [r.value for r in group if isinstance(r.value, float) and not r.implausible]
    if len(values) < 2:
        return False
    low, high = min(values), max(values)
    return high > 0 and (high - low) / high > DISAGREEMENT


def _direction(first: Reading, last: Reading) -> str:
    a, b = _headline(first), _headline(last)
    if a is None or b is None or a == 0:
        return "changed"
    change = (b - a) / abs(a)
    if abs(change) < 0.05:
        return "same"
    return "up" if change > 0 else "down"


def _headline(reading: Reading) -> float | None:
    if reading.components:
        syst = next((c for c in reading.components if any(x.code == "8480-6" for x in c.codes)), None)
        return syst.value if syst is not None and isinstance(syst.value, float) else None
    return reading.value if isinstance(reading.value, float) else None


def _in_period(day: date | None, period: Period) -> bool:
    if day is None:
        return False
    if period.start is not None and day < period.start:
        return False
    return not (period.end is not None and day > period.end)


def _day_before(day: date | None) -> date | None:
    return date.fromordinal(day.toordinal() - 1) if day else None


def _day_after(day: date | None) -> date | None:
    return date.fromordinal(day.toordinal() + 1) if day else None


def _period_text(period: Period | None, language: Language, words: Wording) -> str:
    if period is None:
        return ""
    start, end = period.start, period.end
    if start and end and start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        if start.year == end.year:
            return words.say("period.year", year=start.year)
        return words.say("period.years", start=start.year, end=end.year)
    if start and end:
        if start == end:  # one day: the last visit's ("how many jabs at his last appointment")
            return words.say("period.day", day=format_date(start, language))
        if start.day == 1 and end.month == start.month and end.year == start.year:
            return words.say("period.month", month=format_date(start, language, "month"))
        return words.say("period.between", start=format_date(start, language), end=format_date(end, language))
    if start:
        return words.say("period.since", start=format_date(start, language))
    if end:
        return words.say("period.before", end=format_date(end, language))
    return ""


def _social(card: Card) -> bool:
    text = (card.codes[0].display if card.codes else card.title).lower()
    return any(word in text for word in _NOT_A_HEALTH_PROBLEM)


def _same_instructions(coded: MedicineEntry, named: MedicineEntry) -> bool:
    """A medicine known only by a code whose instructions repeat a named entry's ("1000 mcg (2 mL)
    intravenously daily"): probably the same medicine, and said so, never merged."""
    a, b = coded.dosage.strip().lower(), named.dosage.strip().lower()
    return bool(a) and bool(b) and (a == b or b.startswith(a) or a.startswith(b))


def _allergy_detail(card: Card, language: Language, words: Wording) -> str:
    bits = []
    if card.extra.get("criticality") == "high":
        bits.append(words.say("allergies.high_risk"))
    reactions = card.extra.get("reactions") or []
    if isinstance(reactions, list) and reactions:
        bits.append(words.say("allergies.reaction", reaction=", ".join(str(r) for r in reactions[:3])))
    return f" ({'; '.join(bits)})" if bits else ""


def _merge(drafts: Sequence[Draft]) -> Draft:
    """Several answers in one reply, their citations renumbered in order."""
    cites = CitationList()
    texts = []
    read: list[str] = []
    for d in drafts:
        mapping: dict[int, str] = {}
        for c in d.citations:
            mapping[c.n] = cites.cite(c.resource, c.label)
        text = d.text
        for n in sorted(mapping, reverse=True):
            text = text.replace(f"[{n}]", f"\x00{mapping[n][1:-1]}\x01")
        texts.append(text.replace("\x00", "[").replace("\x01", "]"))
        read.extend(d.resources_read)
    return Draft(text="\n\n".join(texts), citations=cites.items, resources_read=read)


__all__ = ["RecordAnswers", "RecordContext", "reading_value"]


def _placeholder(reading: Reading) -> bool:
    """A value an export left as a template placeholder, not a result."""
    return (
        reading.value is None and not reading.components and (reading.note or "").startswith("a placeholder")
    )


def _placeholders_apart(readings: Sequence[Reading]) -> tuple[list[Reading], list[Reading]]:
    """The readings with a value, and the placeholders beside them (kept as values when all are placeholders)."""
    valued = [r for r in readings if not _placeholder(r)] or list(readings)
    return valued, [r for r in readings if r not in valued]


def _name_labels(readings: Sequence[Reading]) -> list[str]:
    """A "name: " lead for each reading when they are results of one test under different names (influenza A
    and B), else none."""
    names = [_short_name(r.name) for r in readings]
    differ = len(set(names)) > 1
    return [f"{n}: " if differ and n else "" for n in names]


def _short_name(name: str) -> str:
    """A test's name without the LOINC detail in brackets and after it ("Influenza virus A RNA [Presence] in
    Respiratory specimen…" → "Influenza virus A RNA")."""
    return clean_display(name).split(" [", 1)[0].strip()
