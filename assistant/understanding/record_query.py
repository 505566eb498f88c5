"""What a record question asks (a ``RecordQuery``), and follow-ups resolved against the conversation.

"what was my last a1c" → LATEST of ``hba1c``; "and the one before?" → PREVIOUS of ``hba1c`` with offset 1,
and once more → offset 2; "how many blood tests did I have in 2019?" → COUNT of tests in 2019, then "what
about 2016?" → the same count for 2016, "how many in total?" → the same count over every year; "What's my
cholesterol?" → LATEST, then "is that bad?" → MEANING of the same value; "et l'année d'avant ?" → the same
question one year earlier. The record answerer reads only the query: it never sees the patient's words.

The table (``data/record_query.yaml``) holds the cues for each kind, the kinds of entry (categories) and the
follow-up cues, in English and French, with examples the tests run. Targets come from ``retrieval``'s
concept map (its lay names: "sugar test", "water tablet", "tension"), the one place those names live.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assistant.guardrails.lexicon import medicines
from assistant.understanding.cues import CueError, alternation, compile_cues
from assistant.understanding.model import (
    Clause,
    ConceptKind,
    ConversationContext,
    Intent,
    IntentKind,
    Period,
    RecordQuery,
    RecordQueryKind,
)
from assistant.understanding.stage import Draft
from assistant.understanding.text import fold_term
from fhir_client.yaml_data import load_yaml
from retrieval import ConceptMap
from retrieval.concepts import split_joined_words

__all__ = ["DATA_FILE", "RecordQueryReader", "RecordQueryTable", "last_month_span", "read_period"]

DATA_FILE = Path(__file__).parent / "data" / "record_query.yaml"
FOLLOWUP_MAX_WORDS = 14
_CATEGORY_ORDER = (
    "medications",
    "allergies",
    "conditions",
    "vaccines",
    "visits",
    "procedures",
    "tests",
    "care_plans",
    "goals",
    "demographics",
)
# Kinds that need to know what to look for; with nothing named they are a ranked search of the record.
_NEEDS_WHAT = (
    RecordQueryKind.EVER_HAD,
    RecordQueryKind.STILL_ON,
    RecordQueryKind.OUT_OF_RANGE,
    RecordQueryKind.FIRST,
)
# Concept kinds whose values are measured at visits: "my weight at my last visit" asks for the value.
_MEASURED_KINDS = frozenset({"test", "vital"})
_MEDICINE_KINDS = frozenset({"medicine"})
# A pronoun that points back at something named before ("is it still on my list?", "l'ai-je encore ?").
_POINTER = re.compile(
    r"\b(?:it|that|this|them|those|these|one)\b|\b(?:l|les) (?:ai|a|avez|as|prends|prend)\b"
)
_VACCINE_KINDS = frozenset({"vaccine"})
_CONDITION_KINDS = frozenset({"condition"})
_DONE_KINDS = frozenset({"procedure", "vaccine", "medicine"})
_VALUE_KINDS = (
    RecordQueryKind.LATEST,
    RecordQueryKind.PREVIOUS,
    RecordQueryKind.MEANING,
    RecordQueryKind.VALUE_AT,
    RecordQueryKind.TREND,
)
# Words asking for a test's number ("the score", "what did it show", "ça donnait quoi", "le résultat")
_VALUE_WORDS = re.compile(
    r"\b(?:score|scores|result|results|number|numbers|reading|readings|value|values|percentage|what did (?:it|they) show|"
    r"how did (?:i|it) do|resultats?|chiffres?|valeurs?|pourcentage|ca donnait quoi|ca donne quoi|ca disait quoi)\b"
)
# Words about a test's outcome: a vaccine has none ("was the flu one negative?", "le test grippe était positif ?")
_RESULT_WORDS = re.compile(
    r"\b(?:negative|positive|detected|not detected|result|results|came back|negatif|positif|resultats?|detecte)\b"
)
# Words saying a test was done ("did they test for flu too?", "ils avaient testé la grippe ?"): a vaccine is
# not tested for, so the illness named is the test's
_TESTED_WORDS = re.compile(
    r"\b(?:test|tests|tested|testing|swab|swabs|swabbed|screened|teste|testee?s?|depiste|depistee?s?|depistage|"
    r"prelevements?|pcr)\b"
)
# A blood test done to know whether one is protected ("a blood test to see if I was immune to measles", "une prise
# de sang pour savoir si j'étais protégé contre la rougeole"): the illness named is the antibody test's, not its
# vaccine's — both the test and the protection have to be said
_BLOOD_TEST_WORDS = re.compile(
    r"\b(?:blood tests?|bloods|blood work|antibod(?:y|ies)|prises? de sang|analyses? de sang|serologies?|anticorps)\b"
)
_IMMUNE_WORDS = re.compile(r"\b(?:immune|immunity|protected|immunisee?s?|immunite|protegee?s?)\b")
# An allergy blood test told ("allergy blood tests when she was little", "des tests d'allergie par prise de sang",
# "her IgE results"): an allergen named in the question ("her result for peanut", "son résultat pour l'arachide")
# is that allergen's test, not the allergy
_ALLERGY_TEST_WORDS = re.compile(
    r"\b(?:allergy (?:blood )?(?:tests?|results?|panel)|allergy bloods|ige|rast|"
    r"tests? (?:d allergies?|allergiques?)|bilans? allergiques?|analyses? d allergies?)\b"
)
# Kinds of question whose "the year before" asks for the value of the year before the one shown.
_YEAR_STEPPABLE = (RecordQueryKind.LATEST, RecordQueryKind.MEANING, RecordQueryKind.PREVIOUS)
# Kinds of question whose "the one before" steps back through the same series.
_STEPPABLE = (
    RecordQueryKind.LATEST,
    RecordQueryKind.PREVIOUS,
    RecordQueryKind.VALUE_AT,
    RecordQueryKind.MEANING,
    RecordQueryKind.LAST_VISIT,
    RecordQueryKind.TREND,
)


@dataclass(frozen=True)
class KindCue:
    kind: RecordQueryKind
    pattern: re.Pattern[str]
    examples: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class RecordQueryTable:
    kinds: tuple[KindCue, ...]
    categories: tuple[tuple[str, re.Pattern[str]], ...]
    followup: re.Pattern[str]
    year_before: re.Pattern[str]
    concepts: ConceptMap
    medicine_names: re.Pattern[str]
    concept_words: Mapping[str, re.Pattern[str]]
    visit_kinds: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = ()
    year_named: re.Pattern[str] | None = None
    at_last_visit: re.Pattern[str] | None = None
    kind_nouns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    year_after: re.Pattern[str] | None = None

    @classmethod
    def load(cls, path: Path = DATA_FILE, concepts: ConceptMap | None = None) -> RecordQueryTable:
        if path == DATA_FILE and concepts is None:
            return _default_table()
        return _load(path, concepts or ConceptMap.load())


@cache
def _default_table() -> RecordQueryTable:
    return _load(DATA_FILE, ConceptMap.load())


def _load(path: Path, concepts: ConceptMap) -> RecordQueryTable:
    name = path.name
    try:
        raw: dict[str, Any] = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CueError(f"cannot read record-question table {path}: {exc}") from exc
    fragments = {str(k): str(v) for k, v in (raw.get("fragments") or {}).items()}
    lay = [fold_term(w) for c in concepts.concepts for w in (*c.words, c.en, c.fr)]
    fragments["target"] = alternation(w for w in lay if len(w) >= 2)
    fragments["medicine_name"] = alternation(n for n in medicines().by_name if len(n) >= 3)
    kinds = []
    for row in raw.get("kinds") or []:
        try:
            kind = RecordQueryKind(str(row["kind"]))
        except (KeyError, ValueError) as exc:
            raise CueError(f"{name}: kind {row.get('kind')!r} is not a RecordQueryKind") from exc
        pattern = compile_cues([*(row.get("en") or []), *(row.get("fr") or [])], fragments, f"{name}: {kind}")
        if pattern is None:
            raise CueError(f"{name}: kind {kind} has no cues")
        examples = {
            lang: tuple(str(x) for x in (row.get("examples") or {}).get(lang) or ()) for lang in ("en", "fr")
        }
        kinds.append(KindCue(kind, pattern, examples))
    categories = []
    for category, row in (raw.get("categories") or {}).items():
        if category not in _CATEGORY_ORDER:
            raise CueError(f"{name}: unknown category {category!r}; known: {', '.join(_CATEGORY_ORDER)}")
        pattern = compile_cues(
            [*(row.get("en") or []), *(row.get("fr") or [])], fragments, f"{name}: {category}"
        )
        if pattern is None:
            raise CueError(f"{name}: category {category} has no cues")
        categories.append((str(category), pattern))
    follow = raw.get("followups") or {}
    followup = compile_cues(
        [*(follow.get("en") or []), *(follow.get("fr") or [])], fragments, f"{name}: followups"
    )
    year_before = compile_cues(follow.get("year_before") or [], fragments, f"{name}: year_before")
    year_named = compile_cues(follow.get("year_named") or [], fragments, f"{name}: year_named")
    year_after = compile_cues(follow.get("year_after") or [], fragments, f"{name}: year_after")
    at_last_visit = compile_cues(raw.get("at_last_visit") or [], fragments, f"{name}: at_last_visit")
    if followup is None or year_before is None:
        raise CueError(f"{name}: followups need en/fr cues and year_before")
    meds = compile_cues(["<<medicine_name>>"], fragments, f"{name}: medicine names")
    assert meds is not None
    words: dict[str, re.Pattern[str]] = {}
    for concept in concepts.concepts:
        pattern = compile_cues(
            [alternation(fold_term(w) for w in (*concept.words, concept.en, concept.fr) if len(w) >= 2)],
            {},
            f"{name}: concept {concept.key}",
        )
        if pattern is not None:
            words[concept.key] = pattern
    visit_kinds = []
    for row in raw.get("visit_kinds") or []:
        ident = str(row.get("id") or "")
        pattern = compile_cues(
            [*(row.get("en") or []), *(row.get("fr") or [])], fragments, f"{name}: {ident}"
        )
        names = tuple(str(n) for n in row.get("names") or ())
        if not ident or pattern is None or not names:
            raise CueError(f"{name}: visit kind {ident!r} needs an id, en/fr cues and names")
        visit_kinds.append((pattern, names))
    kind_nouns = {
        str(kind): tuple(fold_term(str(w)) for w in words or ())
        for kind, words in (raw.get("kind_nouns") or {}).items()
    }
    return RecordQueryTable(
        tuple(kinds),
        tuple(categories),
        followup,
        year_before,
        concepts,
        meds,
        words,
        tuple(visit_kinds),
        year_named,
        at_last_visit,
        kind_nouns,
        year_after,
    )


# --- periods ---------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "janvier": 1, "jan": 1, "february": 2, "fevrier": 2, "feb": 2, "march": 3, "mars": 3,
    "april": 4, "avril": 4, "may": 5, "mai": 5, "june": 6, "juin": 6, "july": 7, "juillet": 7, "august": 8,
    "aout": 8, "september": 9, "septembre": 9, "sept": 9, "october": 10, "octobre": 10, "november": 11,
    "novembre": 11, "december": 12, "decembre": 12,
}  # fmt: skip
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10, "deux": 2, "trois": 3, "quatre": 4,
    "cinq": 5, "dix": 10,
}  # fmt: skip
_YEAR = r"(?:19|20)\d\d"
_BETWEEN = re.compile(rf"\b(?:between|from|entre|de) ({_YEAR}) (?:and|to|et|a) ({_YEAR})\b")
_SINCE = re.compile(
    rf"\b(?:since|after|from|depuis|apres|a partir de) (?:(?:the )?(?:start|beginning|debut) (?:of )?)?(?:(\w+) )?({_YEAR})\b"
)
_BEFORE = re.compile(rf"\b(?:before|until|till|prior to|avant|jusqu en|jusqu a) (?:(\w+) )?({_YEAR})\b")
_MONTH_YEAR = re.compile(rf"\b({'|'.join(_MONTHS)}) (?:of )?({_YEAR})\b")
_IN_YEAR = re.compile(rf"\b({_YEAR})\b")
_LAST_N = re.compile(
    r"\b(?:in|over|during|for) (?:the )?(?:last|past) (\d+|\w+)(?: of)? (years?|months?)\b"
    # "tous les 2 ans" is how often, not a window: only "les 2 (dernières) années" bounds the question
    r"|(?<!\btous )(?<!\btoutes )\b(?:ces|les|sur les) (\d+|\w+) (?:dernieres? )?(annees|ans|mois)(?: dernieres?)?\b"
    r"|\bdepuis (\d+|\w+) (ans|mois)\b"
)
_LAST_YEAR = re.compile(r"\blast year\b|\bl (?:annee|an) (?:derniere?|passee?)\b")
# "cette année-là" is that year (a year named elsewhere), not this one
_THIS_YEAR = re.compile(r"\bthis year\b|\bcette annee\b(?! la\b)")
_LAST_MONTH = re.compile(r"\blast month\b|\ble mois (?:dernier|passe)\b")
_MONTH_ALONE = re.compile(
    rf"\b(?:in|of|from|en|de|du mois de|d) ({'|'.join(m for m in _MONTHS if len(m) > 3)})\b"
)


# What the patient sets aside ("not the A&E visit in 2019", "sauf le passage aux urgences de 2019", "à part
# 2018") up to the next comma or sentence end: a year in it says what is left out, not the period asked.
_YEAR_WORDS = {"in", "en", "during", "pendant", "durant", "the", "year", "l", "annee"}
_FRONTED = re.compile(r"\s*(?:(?:and|so|ok|et|alors|bon) )?([^,;.?!]{4,40}),")
_EXCLUDED = re.compile(
    r"(?:\b(?:sauf|hors|a part|en dehors d(?:e|u|es)|sans compter|except(?:ing| for)?|excluding|apart from|not counting)\b"
    r"|(?:^|[,;]) ?(?:mais |but )?(?:pas|not) (?:du|des|de la|de l|le|la|les|l|the|that|those|my|mon|ma|mes)\b)"
    r"[^,;.?!]*"
)


# What the patient says they do not mean or do not have ("I'm not asking about the A1c", "not the A1c thing,
# the glucose", "je ne parle pas de l'HbA1c", "je ne suis pas diabétique"): a concept named only there is
# not what is asked, when something else is named.
_SET_ASIDE = re.compile(
    r"\b(?:forget(?: about)?|(?:i m|im|i am) not (?:asking|talking|on about|after|interested in|meaning)(?: about)?|i don t mean|i dont mean"
    r"|not (?:asking|talking) about|(?:i m|im|i am|i ve|ive|i have|(?:she|he) s|(?:she|he) is) (?:not|never been)"
    r"|je ne (?:parle|demande) pas|je parle pas|je demande pas|je ne veux pas dire|pas (?:la|le|l|les) (?=\w+ (?:mais|je veux dire))"
    r"|(?:je ne suis|je suis|elle n est|elle est|il n est|il est) (?:pas|jamais ete))\b[^,;.?!]{0,40}"
)


def _year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _month_span(year: int, month: int) -> tuple[date, date]:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), nxt - timedelta(days=1)


def last_month_span(month: int, on: date) -> tuple[date, date]:
    """The first and last day of the latest ``month`` that starts on or before ``on``: "in January" said on
    a day of March 2026 is January 2026, said in a record that stops in October 2021 it is January 2021."""
    return _month_span(on.year if month <= on.month else on.year - 1, month)


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def read_period(folded: str, today: date | None) -> Period | None:
    """The period a question names, if any ("in 2016", "since 2018", "last year", "en mars"…).

    Relative periods ("last year", "ces 3 dernières années", "in March") need ``today``; without it they
    are left out rather than guessed. Vague ones ("over the years", "the last few years") ask for the
    history, not a window: they give no period.
    """
    folded = _EXCLUDED.sub(" ", folded)
    if m := _BETWEEN.search(folded):
        a, b = sorted((int(m.group(1)), int(m.group(2))))
        return Period(start=date(a, 1, 1), end=date(b, 12, 31), text=m.group(0))
    if m := _SINCE.search(folded):
        first_month = _MONTHS.get(m.group(1) or "", 1)
        return Period(start=date(int(m.group(2)), first_month, 1), text=m.group(0))
    if m := _BEFORE.search(folded):
        before_month = _MONTHS.get(m.group(1) or "")
        year = int(m.group(2))
        end = date(year, before_month, 1) - timedelta(days=1) if before_month else date(year - 1, 12, 31)
        return Period(end=end, text=m.group(0))
    if m := _MONTH_YEAR.search(folded):
        start, end = _month_span(int(m.group(2)), _MONTHS[m.group(1)])
        return Period(start=start, end=end, text=m.group(0))
    if m := _IN_YEAR.search(folded):
        start, end = _year_span(int(m.group(1)))
        return Period(start=start, end=end, text=m.group(0))
    if today is None:
        return None
    if m := _LAST_N.search(folded):
        number = m.group(1) or m.group(3) or m.group(5) or ""
        unit = m.group(2) or m.group(4) or m.group(6) or ""
        n = _count(number)
        if n:
            days = 30 * n if unit.startswith("mo") else 365 * n
            return Period(start=today - timedelta(days=days), end=today, text=m.group(0))
    if m := _LAST_YEAR.search(folded):
        start, end = _year_span(today.year - 1)
        return Period(start=start, end=end, text=m.group(0))
    if m := _THIS_YEAR.search(folded):
        return Period(start=date(today.year, 1, 1), end=today, text=m.group(0))
    if m := _LAST_MONTH.search(folded):
        first = today.replace(day=1)
        start, end = _month_span((first - timedelta(days=1)).year, (first - timedelta(days=1)).month)
        return Period(start=start, end=end, text=m.group(0))
    if m := _MONTH_ALONE.search(folded):
        start, end = last_month_span(_MONTHS[m.group(1)], today)
        return Period(start=start, end=end, text=m.group(0), year_implied=True)
    return None


def _shift_years(period: Period | None, years: int) -> Period | None:
    """``period`` moved by ``years`` (back with a negative number, forward with a positive one)."""
    if period is None or period.start is None or period.end is None:
        return None
    try:
        return Period(
            start=period.start.replace(year=period.start.year + years),
            end=period.end.replace(year=period.end.year + years),
            text=period.text,
        )
    except ValueError:  # 29 February
        days = timedelta(days=365 * years)
        return Period(start=period.start + days, end=period.end + days)


# --- the reader ------------------------------------------------------------------------------------


class RecordQueryReader:
    """The stage's ``RecordQueryReader``: a ``RecordQuery`` for a message whose intents hold a record
    question, resolved against the previous record question when the message is a follow-up."""

    def __init__(self, table: RecordQueryTable) -> None:
        self.table = table

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> RecordQueryReader:
        return cls(RecordQueryTable.load(path))

    def read(
        self, draft: Draft, intents: Sequence[Intent], context: ConversationContext
    ) -> tuple[RecordQuery | None, bool]:
        record = [i for i in intents if i.kind == IntentKind.RECORD_QUESTION]
        if record:
            # The clauses that ask, then their sentences, then the message: "I have crushing chest pain,
            # what medicines am I on?" asks for medicines (not a pain score); "I had my BP done at the
            # pharmacy… has it been going up?" names what it asks about in another sentence.
            scopes = self._scopes(draft, record)
            pointing = self._pointing_question(draft, scopes[0])
            if pointing is not None:
                # "L'HbA1c c'est tous les 3 mois non ? … Combien j'en ai fait depuis début 2018 ?": the last
                # question names nothing and points back ("en", "it"); it asks about what the first names
                asked_kind = next(k.kind for k in self.table.kinds if k.pattern.search(f"{pointing} ?"))
                when = pointing if read_period(pointing, draft.today) is not None else scopes[0]
                fresh = self._fresh(
                    f"{scopes[0]} . {pointing}", draft, period_from=when, asked_kind=asked_kind
                )
                if fresh.targets:
                    return self._followed(fresh, draft, context, f"{scopes[0]} . {pointing}")
        elif self._asks_unprompted(draft, intents):
            # "Mon père est décédé d'un cancer de la prostate. Combien de biopsies de prostate il avait eues ?":
            # the sentence that asks, when it names what of the record it asks about, before the story
            folded = draft.text.folded
            asking = [
                folded[s:e]
                for s, e in draft.sentences
                if _ends_in_question(folded, e) and self._targets(folded[s:e], purpose_is_not_target=False)
            ]
            scopes = [t for t in (" . ".join(asking), folded) if t]
            scopes = list(dict.fromkeys(scopes))
        elif (beside := self._asked_beside_symptoms(draft, intents)) is not None:
            scopes = [beside]
        elif (told := self._asked_of_own_result(draft, intents)) is not None:
            scopes = [told]
        elif (visit := self._asks_last_visit(draft, intents)) is not None:
            scopes = [visit]
        else:
            return None, False
        generic: RecordQuery | None = None
        for n, text in enumerate(scopes):
            # When what is asked is named only elsewhere in the message, "when" still comes from the
            # sentences that ask: "I've had heart failure since last year… what was it on my last echo?"
            # asks for the last value, not one from last year.
            when = scopes[-2] if n == len(scopes) - 1 and len(scopes) > 1 else text
            fresh = self._fresh(text, draft, period_from=when)
            if (
                n < len(scopes) - 1
                and fresh.targets
                and not fresh.categories
                and _SET_ASIDE.search(text)
                and not self._targets(_SET_ASIDE.sub(" ", text), purpose_is_not_target=False)
            ):
                # "I'm not diabetic though." in the clause heard as asking: what the patient says they do
                # not have is not what they ask about; the wider sentence or message names it
                continue
            if (
                n < len(scopes) - 1
                and fresh.targets
                and all(self._named_as_time(text, t) for t in fresh.targets)
            ):
                # "quand ma fille a eu le covid en 2020, elle avait aussi la grippe ?": the clause heard as asking
                # names only when; its sentence names what is asked
                continue
            # "mon cholestérol, il en est où à la dernière prise de sang ?": the clause says only "a test",
            # its sentence names which one
            in_its_sentence = (
                n == 0 and fresh.categories == ("tests",) and (len(scopes) == 3 or len(draft.sentences) == 1)
            )
            if (
                generic is None
                and not fresh.targets
                and (self._generic(fresh.categories, text) or in_its_sentence)
            ):
                # "what is my last result exactly?" after "for the kidney function (the eGFR)…", "is it
                # still active on my list?" after "they gave me an EpiPen": the asking sentence says only
                # "a result" or points back at a medicine; the one named elsewhere in the message is which.
                generic = fresh
                continue
            if generic is not None:
                kinds = _MEASURED_KINDS if generic.categories == ("tests",) else _MEDICINE_KINDS
                # "I have the breathing test every year… what was the result the time before?": a procedure
                # named elsewhere gives the result it measures (the concept map's ``measure``)
                measures = (
                    tuple(self._measure_of(t) for t in fresh.targets) if kinds is _MEASURED_KINDS else ()
                )
                named = tuple(
                    t for t in dict.fromkeys((*fresh.targets, *measures)) if self._of_kinds(t, kinds)
                )
                if not named and n < len(scopes) - 1:
                    continue  # the asking sentence names nothing either: the message may ("I get the breathing test…")
                fresh = generic.model_copy(update={"targets": named}) if named else generic
                break
            if (
                n > 0
                and fresh.kind is RecordQueryKind.EVER_HAD
                and len(fresh.targets) > 1
                and self._points_back(scopes[0])
            ):
                # "…le vaccin contre la grippe est super important. Est-ce que je l'ai déjà fait ?": whether it
                # was done, asked with a pronoun ("l'", "it"), is about what was named last before it (a "when
                # was the last one?" beside an illness keeps both: the illness found, the check's own no)
                nearest = self._named_last_before(draft, scopes[0], fresh.targets)
                if nearest is not None:
                    fresh = fresh.model_copy(
                        update={
                            "targets": (nearest,),
                            "terms": tuple(t for t in fresh.terms if self._names(nearest, t)) or fresh.terms,
                        }
                    )
            if fresh.targets or fresh.categories:
                if n == 0 and fresh.period is None and record:
                    # "Since 2015, how many asthma reviews have I had?": the clause split at the comma
                    # left out the time phrase that opens the sentence; it still bounds the question.
                    fronted = self._fronted_period(draft, record)
                    if fronted is not None:
                        fresh = self._fresh(text, draft, period_from=fronted)
                if fresh.period is None:
                    that_year = self._year_named(text, draft)
                    if that_year is not None:
                        fresh = self._fresh(text, draft, period_from=that_year)
                if when is not text and fresh.period is None:
                    # "they want my A1c from 2019. do you have it?": the asking sentence only points back,
                    # so a year written right after the target's name is when, and nothing else is.
                    bound = self._year_bound_to(text, fresh.targets)
                    if bound is not None:
                        fresh = self._fresh(text, draft, period_from=bound)
                break
        if (
            fresh.kind is RecordQueryKind.LATEST
            and fresh.targets
            and self._says(RecordQueryKind.PREVIOUS, draft)
        ) or (
            # with a period, only in a sentence that asks: "…whether it was creeping up before that. What
            # was my blood pressure in 2016?" asks for 2016, the "before that" belongs to the story
            fresh.kind is RecordQueryKind.VALUE_AT and fresh.targets and self._asks_previous(draft, text)
        ):
            # "My last blood pressure was high. And the one before, how much was it?": the question asks
            # for the reading before the latest one named, wherever in the message it says so. A period
            # ("his last creatinine was in September 1979… the one before that?") dates the one named,
            # so the answer is the reading before that period (the composer reads it so).
            offset = 1 if fresh.period is None else 0
            fresh = fresh.model_copy(update={"kind": RecordQueryKind.PREVIOUS, "offset": offset})
        if (
            fresh.kind in (RecordQueryKind.EVER_HAD, RecordQueryKind.LATEST, RecordQueryKind.VALUE_AT)
            and fresh.targets
            and self._measured(fresh.targets)
            and self._asks(RecordQueryKind.MEANING, draft)
        ):
            # "there's a measles antibody test on my file from 2016, does that mean I'm immune?": the result
            # is told as being on file, the sentence asks what it means
            fresh = fresh.model_copy(update={"kind": RecordQueryKind.MEANING})
        if fresh.kind is RecordQueryKind.MEANING and fresh.targets and not self._measured(fresh.targets):
            # "…une prise de sang avec hémoglobine 12,9. C'est bien ou il est anémié ?", "my TSH was 6, does
            # that mean I have an underactive thyroid?": the illness asked about is what the value would
            # mean; the test that follows it, named in the message, is the value judged
            named = self._targets(draft.text.folded, purpose_is_not_target=False)
            tests = tuple(
                dict.fromkeys(
                    m for t in fresh.targets if (m := self._measure_of(t, "condition")) != t and m in named
                )
            )
            if tests and self._measured(tests):
                fresh = fresh.model_copy(update={"targets": tests})
        fresh = self._last_visit_asked(fresh, draft, text)
        return self._followed(fresh, draft, context, text)

    def _last_visit_cue(self, text: str) -> bool:
        return any(k.kind is RecordQueryKind.LAST_VISIT and k.pattern.search(text) for k in self.table.kinds)

    def _visit_part(self, clause: str) -> str | None:
        """The part of a clause that names the last visit: from the last "and she…" / "et elle…" that opens
        a new statement before the cue ("elle a une insuffisance cardiaque et elle ne se rappelle plus de son
        dernier rendez-vous" → "elle ne se rappelle plus de son dernier rendez-vous"); None without a cue."""
        cues = [
            m.start()
            for k in self.table.kinds
            if k.kind is RecordQueryKind.LAST_VISIT
            for m in [k.pattern.search(clause)]
            if m is not None
        ]
        if not cues:
            return None
        starts = [m.start() for m in _NEW_STATEMENT.finditer(clause) if m.start() < min(cues)]
        return clause[max(starts, default=0) :]

    def _last_visit_asked(self, fresh: RecordQuery, draft: Draft, text: str) -> RecordQuery:
        """What the last visit is read as, from the clauses that name it.

        "my last appointment, what was the diagnosis?": the clause that asks says only "the diagnosis" (a
        list of conditions); the sentence names the visit whose diagnosis it is, so the question is the last
        visit. "Elle a une insuffisance cardiaque et elle ne se rappelle plus de son dernier rendez-vous":
        an illness told beside the visit, in another clause, is background, not which visits count; an
        illness in the clause of the visit ("my last asthma review", "son dernier rdv pour le diabète")
        still narrows it."""
        folded = draft.text.folded
        if fresh.kind is RecordQueryKind.LIST and not fresh.targets and fresh.categories == ("conditions",):
            sentences = [
                folded[s:e] for s, e in draft.sentences if folded[s:e] and folded[s:e] in f"{text} {folded}"
            ]
            asking = next((t for t in sentences if text in t or t in text), None)
            if asking is not None and self._last_visit_cue(asking):
                visit = self._fresh(asking, draft, period_from=asking)
                if visit.kind is RecordQueryKind.LAST_VISIT:
                    return visit
        if fresh.kind is not RecordQueryKind.LAST_VISIT or not fresh.targets:
            return fresh
        visit_clauses = [part for c in draft.clauses if (part := self._visit_part(c.text)) is not None]
        if not visit_clauses:
            return fresh
        named = {t for c in visit_clauses for t in self._targets(c, purpose_is_not_target=False)}
        kept = tuple(t for t in fresh.targets if t in named)
        if kept == fresh.targets:
            return fresh
        terms = tuple(term for term in fresh.terms if any(self._names(t, term) for t in kept)) if kept else ()
        return fresh.model_copy(update={"targets": kept, "terms": terms})

    def _followed(
        self, fresh: RecordQuery, draft: Draft, context: ConversationContext, text: str
    ) -> tuple[RecordQuery | None, bool]:
        """``fresh`` as it stands, or resolved against the last record question when it follows on."""
        last = context.last.record_query if context.last is not None else None
        if last is None:
            return fresh, False
        says_followup = self.table.followup.search(draft.text.folded) is not None
        says_nothing = not (fresh.targets or fresh.categories or fresh.terms)
        if draft.asking_words() > FOLLOWUP_MAX_WORDS and not (says_followup and says_nothing):
            # a long message is a question of its own, unless it names nothing of the record and says it
            # follows on ("ok. and how many have I had altogether, all the ones you've got on file?")
            return fresh, False
        if not (says_followup or says_nothing):
            return fresh, False
        whole = draft.text.folded
        if text != whole and not self._cued(text) and self._cued(whole):
            # "and tetanus, is that on the list?": the clause heard as asking names what; the short message's
            # other clause says what is asked of it
            text = whole
        return self._resolve(fresh, last, text), True

    def _cued(self, text: str) -> bool:
        """A cue of any question kind in ``text``."""
        return any(k.pattern.search(text) for k in self.table.kinds)

    def _pointing_question(self, draft: Draft, scope: str) -> str | None:
        """A later sentence that asks (ends in a question mark), names nothing of the record, points back at
        what was named ("combien j'en ai fait depuis 2018 ?", "have I had it?", "how many of those?") and holds
        a record question's own cue: the question asked, about what ``scope`` names. A sentence the scope
        already holds, or one naming something of its own, is not one."""
        folded = draft.text.folded
        for start, end in draft.sentences:
            text = folded[start:end].rstrip(" ?!.")
            if not text or text in scope or start < folded.find(scope) or not _ends_in_question(folded, end):
                continue
            if self._targets(text, purpose_is_not_target=False) or self._categories(text):
                continue
            if not (_POINTER.search(text) or _EN_POINTER.search(text)):
                continue
            if any(k.pattern.search(f"{text} ?") for k in self.table.kinds):
                return text
        return None

    def _points_back(self, text: str) -> bool:
        """``text`` names nothing of the record and holds a pronoun pointing back at it."""
        if self._targets(text, purpose_is_not_target=False):
            return False
        return _POINTER.search(text) is not None or _EN_POINTER.search(text) is not None

    def _named_last_before(self, draft: Draft, question: str, targets: Sequence[str]) -> str | None:
        """Of ``targets``, the one whose name comes last before ``question`` in the message."""
        folded = draft.text.folded
        where = folded.find(question)
        if where <= 0:
            return None
        placed: list[tuple[int, str]] = []
        for key in targets:
            pattern = self.table.concept_words.get(key)
            ends = [m.end() for m in pattern.finditer(folded[:where])] if pattern is not None else []
            if ends:
                placed.append((max(ends), key))
        return max(placed)[1] if placed else None

    def _categories(self, text: str) -> tuple[str, ...]:
        return tuple(c for c, pattern in self.table.categories if pattern.search(text))

    def _fronted_period(self, draft: Draft, record: Sequence[Intent]) -> str | None:
        """A period that alone opens an asking sentence, set off by a comma ("since 2015, …", "depuis
        2015, …", "in 2019, …"). Only a bare time phrase counts: "In 2015 I moved, how many visits…" opens
        with a clause of its own, which says when something else happened, not which visits to count."""
        sentences = {
            draft.clauses[i.clause].sentence
            for i in record
            if i.clause is not None and i.clause < len(draft.clauses)
        }
        for number in sorted(sentences):
            start, end = draft.sentences[number]
            m = _FRONTED.match(draft.text.folded[start:end])
            if m is None:
                continue
            phrase = m.group(1).strip()
            period = read_period(phrase, draft.today)
            if period is not None and set(phrase.replace(period.text, " ").split()) <= _YEAR_WORDS:
                return phrase
        return None

    def _year_named(self, text: str, draft: Draft) -> str | None:
        """ "that year" / "cette année-là" in the asking words points at the year the message named
        elsewhere (the last one written before the question, else the only one): "I was told at a check-up
        in 2018 my kidneys were low. What was my kidney result that year?" asks for 2018."""
        if self.table.year_named is None or not self.table.year_named.search(text):
            return None
        folded = draft.text.folded
        where = folded.find(text)
        where = len(folded) if where < 0 else where
        years = list(_IN_YEAR.finditer(folded))
        before = [m for m in years if m.start() < where]
        chosen = before[-1] if before else (years[0] if len(years) == 1 else None)
        return chosen.group(1) if chosen is not None else None

    def _asks_previous(self, draft: Draft, text: str) -> bool:
        """A "the one before" cue in a sentence that asks (ends in a question mark), else in ``text``."""
        folded = draft.text.folded
        asking = [folded[s:e] for s, e in draft.sentences if _ends_in_question(folded, e)] or [text]
        return any(
            k.kind is RecordQueryKind.PREVIOUS and k.pattern.search(sentence)
            for k in self.table.kinds
            for sentence in asking
        )

    def _asks(self, kind: RecordQueryKind, draft: Draft) -> bool:
        """A cue of ``kind`` in a sentence of the message that asks (ends in a question mark)."""
        folded = draft.text.folded
        asking = [folded[s:e] for s, e in draft.sentences if _ends_in_question(folded, e)]
        return any(k.kind is kind and k.pattern.search(t) for k in self.table.kinds for t in asking)

    def _says(self, kind: RecordQueryKind, draft: Draft) -> bool:
        return any(k.kind is kind and k.pattern.search(draft.text.folded) for k in self.table.kinds)

    def _asks_unprompted(self, draft: Draft, intents: Sequence[Intent]) -> bool:
        """A record question the routing table did not name: a test or vital of the record AND a record
        question's own cue ("the one before that", "in 2015", "how many", "is it normal") with nothing else
        asked but thanks or a greeting. "My latest HbA1c is in the portal. I'd like to know the one before
        that. Thanks." is a question about the record, not small talk."""
        if any(i.kind not in (IntentKind.SMALL_TALK, IntentKind.OTHER) for i in intents):
            return False
        folded = draft.text.folded
        if not self._targets(folded, purpose_is_not_target=False):
            return False
        return any(k.pattern.search(folded) for k in self.table.kinds)

    def _asked_beside_symptoms(self, draft: Draft, intents: Sequence[Intent]) -> str | None:
        """A record question no routing entry named, in a message that also tells a symptom: "ma fonction
        rénale sur la dernière prise de sang, c'est grave ou pas ? … et depuis je dors mal". The sentence
        that names a test of the record with a record question's cue, and tells no current finding, asks
        about the record; the symptom is still read and triaged on its own. Only tests and vitals count
        ("my latest eGFR", "ma dernière tension"): a condition or a medicine beside symptoms is history."""
        if not any(i.kind is IntentKind.SYMPTOM for i in intents):
            return None
        if any(i.kind not in (IntentKind.SYMPTOM, IntentKind.SMALL_TALK, IntentKind.OTHER) for i in intents):
            return None
        folded = draft.text.folded
        named: str | None = None  # the sentence just before, when it names a test of the record
        for start, end in draft.sentences:
            text = folded[start:end]
            told = any(start <= f.start < end and f.current for f in draft.findings) or any(
                start <= v.start < end and v.current for v in draft.vitals
            )
            targets = () if told else self._targets(text, purpose_is_not_target=False)
            measured = bool(targets) and self._measured(targets)
            cued = not told and self._cued(text)
            if measured and cued:
                return text
            if (
                named is not None
                and cued
                and not measured
                and _ends_in_question(folded, end)
                and _BACK.search(text)
            ):
                # "Je vois une ligne TSH sur le bilan. Qu'est-ce que ça donnait, c'est dans les normes ?",
                # "her notes say her oxygen was 76. what does that mean?": the question points back at the
                # value the sentence before read from the record
                return f"{named} . {text}"
            named = text.rstrip(" .!") if measured else None
        return None

    def _asked_of_own_result(self, draft: Draft, intents: Sequence[Intent]) -> str | None:
        """A question about a result the patient read on their own record, heard by the routing table as
        advice on the illness: "I'm diabetic and on my last bloods I saw a glucose number that looked high.
        … Is that number normal?". A sentence that names a test of the record AS one of their own results
        ("my last bloods", "mes derniers résultats", "ma dernière prise de sang"), tells no current finding,
        and a record question's cue in it or, pointing back, in a later sentence that asks, is a record
        question; the advice asked beside it is still answered. "is a glucose of 7 normal?" names no result
        of theirs and stays advice."""
        if not any(i.kind is IntentKind.HEALTH_ADVICE for i in intents):
            return None
        allowed = (IntentKind.HEALTH_ADVICE, IntentKind.SYMPTOM, IntentKind.SMALL_TALK, IntentKind.OTHER)
        if any(i.kind not in allowed for i in intents):
            return None
        folded = draft.text.folded
        named: str | None = None  # the sentence that read a result of the record, until another test is named
        for start, end in draft.sentences:
            text = folded[start:end]
            # an illness they live with ("I'm diabetic") is history, not a finding of now
            told = any(
                start <= f.start < end and f.current and f.kind not in _HISTORY_KINDS for f in draft.findings
            ) or any(start <= v.start < end and v.current for v in draft.vitals)
            targets = () if told else self._targets(text, purpose_is_not_target=False)
            measured = any(self._measured((t,)) for t in targets)
            own = measured and _OWN_RESULT.search(text) is not None
            asks = _ends_in_question(folded, end) and self._cued(text)
            if own and asks:
                return text
            if named is not None and asks and not measured and _BACK.search(text):
                return f"{named} . {text}"
            if own:
                named = text.rstrip(" .!")
            elif measured:
                named = None
        return None

    def _asks_last_visit(self, draft: Draft, intents: Sequence[Intent]) -> str | None:
        """A question about the last visit that no routing entry named: "mon dernier rendez-vous chez le
        médecin, c'était quand ?", "when did the little one last see a doctor?". The last visit names what it
        asks by itself (no test or medicine needed), so a sentence that asks when, what or which (ends in a
        question mark, with a question word: "last time I was in A&E they gave me antibiotics, should I go
        again?" tells the visit and asks something else), tells no current finding and holds a last-visit
        cue is a record question; a symptom told in another
        sentence is still read and triaged on its own. A booking, advice or any other request decides the
        turn as before."""
        allowed = (IntentKind.SYMPTOM, IntentKind.SMALL_TALK, IntentKind.OTHER)
        if any(i.kind not in allowed for i in intents):
            return None
        folded = draft.text.folded
        last_visit = [k.pattern for k in self.table.kinds if k.kind is RecordQueryKind.LAST_VISIT]
        first = [k.pattern for k in self.table.kinds if k.kind is RecordQueryKind.FIRST]
        for start, end in draft.sentences:
            if not _ends_in_question(folded, end):
                continue
            if any(start <= f.start < end and f.current for f in draft.findings):
                continue
            text = folded[start:end]
            if _ASKS_WHICH.search(text) and any(p.search(text) for p in last_visit):
                return text
            if (
                _ASKS_WHICH.search(text)
                and "visits" in self._categories(text)
                and any(p.search(f"{text} ?") for p in first)
            ):
                # "when was my very first appointment?", "c'était quand sa première consultation ?": the first
                # visit names what it asks by itself, as the last one does
                return text
        return None

    # -- pieces --

    def _scopes(self, draft: Draft, record: Sequence[Intent]) -> list[str]:
        """Where the record question is, narrowest first: its clauses, their sentences, the message. What
        else the message says (a symptom, a TV plot, a greeting) is not the query unless nothing nearer
        names what is asked."""
        folded = draft.text.folded
        clauses = [
            draft.clauses[i.clause] for i in record if i.clause is not None and i.clause < len(draft.clauses)
        ]
        asks = {n for n, (_, end) in enumerate(draft.sentences) if _ends_in_question(folded, end)}
        if clauses and not any(c.sentence in asks for c in clauses):
            # "…the nurse said my kidney number had gone up. Can you tell me my latest creatinine?": the
            # routing table heard the record in the story; the question asked is in the sentence that
            # asks (ends in a question mark), in its clause that names something of the record
            asking = [
                c
                for c in draft.clauses
                if c.sentence in asks and self._targets(c.text, purpose_is_not_target=False)
            ]
            clauses = asking or clauses
        clauses = self._with_trailing_parts(draft, clauses)
        sentences = {c.sentence for c in clauses}
        scopes = [
            " . ".join(c.text for c in clauses),
            " . ".join(folded[s:e] for n, (s, e) in enumerate(draft.sentences) if n in sentences),
            folded,
        ]
        return [text for i, text in enumerate(scopes) if text and text not in scopes[:i]] or [folded]

    def _with_trailing_parts(self, draft: Draft, clauses: Sequence[Clause]) -> list[Clause]:
        """The asking clauses with the parts of their sentence that only complete them: a time phrase ("What
        was my LDL, back in 2013?", "ma créatinine, en 2019 ?") or a name put in apposition ("my sugar test,
        the A1c", "mon bilan, l'HbA1c") that the split at the comma set apart. A part with a verb of its own
        ("…, I think that was the year") is a statement of its own and stays out."""
        kept = list(clauses)
        indices = {c.index for c in clauses}
        for clause in clauses:
            n = clause.index + 1
            while n < len(draft.clauses) and draft.clauses[n].sentence == clause.sentence:
                part = draft.clauses[n]
                if part.index not in indices and self._completes(part.text, draft):
                    kept.append(part)
                    indices.add(part.index)
                n += 1
        return sorted(kept, key=lambda c: c.index)

    def _completes(self, text: str, draft: Draft) -> bool:
        """``text`` is only a time phrase or a name of something in the record put in apposition."""
        words = text.split()
        if not words or len(words) > 6:
            return False
        period = read_period(text, draft.today)
        if period is not None and period.text:
            rest = set(text.replace(period.text, " ").split())
            if rest <= _YEAR_WORDS | _TIME_LEAD:
                return True
        return (
            _APPOSED.match(text) is not None
            and len(words) <= 4
            and bool(self._targets(text, purpose_is_not_target=False))
        )

    def _fresh(
        self,
        text: str,
        draft: Draft,
        *,
        period_from: str | None = None,
        asked_kind: RecordQueryKind | None = None,
    ) -> RecordQuery:
        categories = self._categories(text)
        targets = self._targets(text, purpose_is_not_target="medications" in categories)
        asked = text
        if len(targets) > 1 and _SET_ASIDE.search(text):
            # "not the A1c, the plain glucose": what is set aside goes when something else is still named
            asked = _SET_ASIDE.sub(" ", text)
            kept = self._targets(asked, purpose_is_not_target="medications" in categories)
            targets = tuple(t for t in targets if t in kept) or targets
            asked = asked if kept else text
        if not any(self._of_kinds(t, _MEASURED_KINDS) for t in targets) and _ALLERGY_TEST_WORDS.search(
            draft.text.folded
        ):
            targets = self._allergen_tests(text) or targets
        if len(targets) > 1:
            timed = {t for t in targets if self._named_as_time(text, t)}
            if timed and len(timed) < len(targets):
                targets = tuple(t for t in targets if t not in timed)
        if targets and all(self._of_kinds(t, _VACCINE_KINDS) for t in targets):
            if _RESULT_WORDS.search(text):
                # "they did a swab for flu… was the flu one negative?": a vaccine has no result; the test the
                # message named for the same illness is what is asked about
                tests = tuple(
                    t
                    for t in self._targets(draft.text.folded, purpose_is_not_target=False)
                    if self._of_kinds(t, _MEASURED_KINDS)
                )
                targets = tests or self._tests_of(text, targets) or targets
            elif "vaccines" in categories:
                pass  # "did I ever have the measles jab?" beside a blood test told: the jab is named as such
            elif _TESTED_WORDS.search(draft.text.folded):
                # "and flu, did they test for it too?", "et pour la grippe ils avaient testé ?": nobody tests
                # for a vaccine, the illness the words name is tested
                targets = self._tests_of(text, targets) or targets
            elif _BLOOD_TEST_WORDS.search(draft.text.folded) and _IMMUNE_WORDS.search(draft.text.folded):
                targets = self._tests_of(draft.text.folded, targets) or targets
        # a clause keeps no question mark: the one of its sentence tells whether it asks ("I'm still on the
        # statin?" asks; "I'm still on the tablets for it." tells)
        asking = f"{text} ?" if _in_question(text, draft) else text
        kind = asked_kind or next((k.kind for k in self.table.kinds if k.pattern.search(asking)), None)
        period = read_period(period_from if period_from is not None else text, draft.today)
        if kind is None:
            if targets:
                kind = RecordQueryKind.VALUE_AT if period is not None else RecordQueryKind.LATEST
            elif categories and set(categories) <= {"tests"}:
                kind = RecordQueryKind.TREND if period is not None else RecordQueryKind.LATEST
            elif categories:
                kind = RecordQueryKind.LIST
            else:
                kind = RecordQueryKind.SEARCH
        if (
            asked_kind is None
            and kind is RecordQueryKind.LIST
            and categories
            and targets
            and self._lists(asking)
        ):
            # "…her asthma pumps, an adrenaline pen… can you give me the exact list of what's on file?": asked
            # for the whole list of a kind of entry, the entries the writer remembers are examples of it
            targets = ()
        if kind in _VALUE_KINDS and targets and _VALUE_WORDS.search(text):
            # "my breathing test, what was the score the time before?": a procedure's number is the
            # measurement it gives (the concept map's ``measure``), not the date it was done
            targets = tuple(dict.fromkeys(self._measure_of(t) for t in targets))
        if kind in _VALUE_KINDS and "tests" in categories and targets and not self._measured(targets):
            # "what did my last diabetes blood test come back at?", "ma prise de sang du diabète, ça donnait
            # quoi ?": an illness named as what a blood test is about asks for the test that follows it (the
            # concept map's ``measure``: diabetes → HbA1c), not for the illness
            followed = tuple(dict.fromkeys(self._measure_of(t, "condition") for t in targets))
            if self._measured(followed):
                targets = followed
        measured = tuple(t for t in targets if self._measured((t,)))
        if kind == RecordQueryKind.LAST_VISIT and measured:
            # "what did I weigh at my last visit?", "they took blood for my diabetes at my last check-up, what
            # did the glucose come back as?": the visit says when, the value is what is asked (an illness
            # named beside it is why the test was done).
            kind = RecordQueryKind.LATEST
            targets = measured
            categories = tuple(c for c in categories if c != "visits")
        if kind == RecordQueryKind.COUNT and targets and not _VALUE_WORDS.search(text):
            # "how many times have I blown into the tube for my lungs?": the procedure's measurement was
            # named, the times it was done are counted
            targets = tuple(self._procedure_of(t) for t in targets)
        purpose = "medications" in categories
        if kind in (RecordQueryKind.COUNT, RecordQueryKind.EVER_HAD) and len(targets) > 1:
            # "how many pulmonary rehab sessions did I have for my COPD?": an illness named as what a
            # procedure, vaccine or medicine was for is why it was done, not one more thing counted
            done = [t for t in targets if self._of_kinds(t, _DONE_KINDS)]
            if done:
                kept = self._targets(text, purpose_is_not_target=True)
                narrowed = tuple(t for t in targets if t in kept)
                if narrowed and len(narrowed) < len(targets):
                    targets, purpose = narrowed, True
        dropped: tuple[str, ...] = ()
        if (
            kind == RecordQueryKind.COUNT
            and len(targets) > 1
            and any(self._measured((t,)) or self._of_kinds(t, _DONE_KINDS) for t in targets)
        ):
            # "l'HbA1c c'est tous les 3 mois quand on est diabétique… combien j'en ai fait ?": an illness named
            # beside a test that is counted is why the test is done, not one more thing counted; beside a
            # procedure, vaccine or medicine counted it is why or when it was done ("combien de biopsies avant
            # qu'on trouve le cancer ?", "how many scans before they found the cancer?")
            kept = tuple(t for t in targets if not self._of_kinds(t, _CONDITION_KINDS))
            if kept and len(kept) < len(targets):
                dropped = tuple(t for t in targets if t not in kept)
                targets = kept
        if kind == RecordQueryKind.STILL_ON:
            # "am I still meant to get the Aranesp shots for my blood count?": the medicine is asked about;
            # what it is for, and "shots" or "injections" naming how it is given, are not
            medicines = tuple(t for t in targets if self._of_kinds(t, _MEDICINE_KINDS))
            if medicines or self.table.medicine_names.search(text):
                targets = medicines
                categories = tuple(c for c in categories if c != "vaccines") or ("medications",)
        terms = self._terms(asked, draft, purpose_is_not_target=purpose or "medications" in categories)
        if dropped:
            terms = tuple(t for t in terms if not any(self._names(key, t) for key in dropped))
        if "visits" in categories and not targets and not terms and (about := _VISIT_ABOUT.search(text)):
            # "how many times have I seen someone about my hip?": the part of the body the visits were about
            # is looked for in the visits' own words (their reasons), when no concept names it
            terms = (about.group(1),)
        if kind == RecordQueryKind.STILL_ON and "medications" in categories and targets:
            terms = tuple(t for t in terms if any(self._names(key, t) for key in targets))
        if kind in _NEEDS_WHAT and not (targets or categories or terms):
            kind = RecordQueryKind.SEARCH  # "is there anything in my records about my holidays?"
        at_last_visit = False
        if (
            kind in (RecordQueryKind.COUNT, RecordQueryKind.LIST)
            and "visits" in categories
            and len(categories) > 1
            and self.table.at_last_visit is not None
            and self.table.at_last_visit.search(text)
        ):
            # "combien de vaccins à son dernier rendez-vous ?": the visit says when, the vaccines are counted
            categories = tuple(c for c in categories if c != "visits")
            at_last_visit = True
        # a kind of visit set aside ("not counting the time I ended up in A&E", "pas du passage aux
        # urgences") is not the kind asked for
        left = _EXCLUDED.sub(" ", text)
        visit_names = (
            tuple(n for pattern, names in self.table.visit_kinds if pattern.search(left) for n in names)
            if "visits" in categories or kind == RecordQueryKind.LAST_VISIT
            else ()
        )
        return RecordQuery(
            kind=kind,
            at_last_visit=at_last_visit,
            targets=targets,
            categories=categories,
            terms=terms,
            period=period,
            visit_names=visit_names,
        )

    def _allergen_tests(self, text: str) -> tuple[str, ...]:
        """Each word of ``text`` read as the test of it ("arachide" → "test arachide"): the allergy blood tests
        the words name, in the order named."""
        found: list[str] = []
        for word in re.findall(r"[a-z]{3,}", _singular(text)):
            for phrase in (f"test {word}", f"{word} test"):
                found.extend(
                    t
                    for t in self._targets(phrase, purpose_is_not_target=False)
                    if self._of_kinds(t, _MEASURED_KINDS) and t not in found
                )
        return tuple(found)

    def _named_as_time(self, text: str, key: str) -> bool:
        """``key`` is named only as the time of the question ("when she had covid", "quand il a eu la grippe")."""
        pattern = self.table.concept_words.get(key)
        if pattern is None:
            return False
        spans = [m.start() for m in pattern.finditer(split_joined_words(text))]
        return bool(spans) and all(_WHEN_HAD.search(text[max(0, at - 40) : at]) for at in spans)

    def _lists(self, text: str) -> bool:
        """A cue of the LIST kind in ``text`` (the whole list asked for, not a kind read by default)."""
        return any(k.kind is RecordQueryKind.LIST and k.pattern.search(text) for k in self.table.kinds)

    def _year_bound_to(self, text: str, targets: Sequence[str]) -> str | None:
        """A year (or month and year) written right after a target's name ("my cholesterol from 2019",
        "mon HbA1c de 2019"), as text for ``read_period``. Only that tight form counts: a year elsewhere
        in a sentence that does not ask ("diagnosed in 2019… what was my last A1c?") says nothing about
        which value is wanted."""
        for key in targets:
            pattern = self.table.concept_words.get(key)
            for m in pattern.finditer(text) if pattern is not None else ():
                if bound := _BOUND_YEAR.match(text, m.end()):
                    return bound.group(1)
        return None

    @staticmethod
    def _generic(categories: Sequence[str], text: str) -> bool:
        """The asking words name only a kind of entry: one result, or a medicine pointed back at."""
        if tuple(categories) == ("tests",):
            return _ONE_RESULT.search(text) is not None
        return tuple(categories) == ("medications",) and _POINTER.search(text) is not None

    def _names(self, key: str, words: str) -> bool:
        pattern = self.table.concept_words.get(key)
        return pattern is not None and pattern.search(words) is not None

    def _procedure_of(self, key: str) -> str:
        """The procedure whose measurement ``key`` is (spirometry for FEV1/FVC), else ``key``."""
        concept = self.table.concepts.get(key)
        if concept is None or concept.kind == "procedure":
            return key
        for other in self.table.concepts.concepts:
            if other.kind == "procedure" and other.measure == key:
                return other.key
        return key

    def _measure_of(self, key: str, of: str = "procedure") -> str:
        """The concept map's ``measure`` of ``key`` when ``key`` is of the kind ``of``, else ``key``: what a
        procedure gives (spirometry → FEV1/FVC), or with ``of="condition"`` the test an illness is followed by
        (diabetes → HbA1c)."""
        concept = self.table.concepts.get(key)
        if concept is not None and concept.kind == of and concept.measure:
            return concept.measure
        return key

    def _of_kinds(self, key: str, kinds: frozenset[str]) -> bool:
        found = [c.kind for c in self.table.concepts.expand(key)]
        return bool(found) and all(k in kinds for k in found)

    def _measured(self, targets: Sequence[str]) -> bool:
        """Every target is a value measured at visits (a test or a vital sign), not a visit's content."""
        kinds = [c.kind for key in targets for c in self.table.concepts.expand(key)]
        return bool(kinds) and all(k in _MEASURED_KINDS for k in kinds)

    def _tests_of(self, text: str, vaccines: tuple[str, ...]) -> tuple[str, ...]:
        """The tests for the illnesses that ``vaccines`` were named by in ``text`` ("grippe" → the flu test):
        the words as typed, read again as a test of them."""
        found: list[str] = []
        for key in vaccines:
            pattern = self.table.concept_words.get(key)
            m = pattern.search(text) if pattern is not None else None
            if m is None:
                continue
            word = m.group(0)
            for phrase in (f"{word} test", f"test {word}", f"test de la {word}"):
                found.extend(
                    t
                    for t in self._targets(phrase, purpose_is_not_target=False)
                    if self._of_kinds(t, _MEASURED_KINDS) and t not in found
                )
        return tuple(found)

    def _targets(self, text: str, *, purpose_is_not_target: bool) -> tuple[str, ...]:
        """Concepts named in ``text``, in the order the patient named them. When the question is about
        medicines, a concept named as their purpose ("my tablet for blood pressure", "un comprimé pour la
        tension") is what the medicine is for, not a value asked for."""
        found: list[tuple[int, str]] = []
        text = split_joined_words(text)  # "diphtheria/tetanus/whooping cough": each word is read
        concepts = {c.key: c for c in self.table.concepts.find_named(text)}
        named = [
            m.span()
            for key in concepts
            if (words := self.table.concept_words.get(key)) is not None
            for m in words.finditer(text)
        ]
        singular = _singular(text)
        for c in self.table.concepts.find_named(singular):  # "sinusites", "flu jabs", "allergies"
            words = self.table.concept_words.get(c.key)
            m = words.search(singular) if words is not None and c.key not in concepts else None
            if m is not None and any(m.start() < end and start < m.end() for start, end in named):
                # "diphtérie-tétanos-coqueluche" named the childhood series: "tétano(s)" read as a plural
                # does not name the adult booster inside it
                continue
            concepts.setdefault(c.key, c)
        for concept in concepts.values():
            pattern = self.table.concept_words.get(concept.key)
            m = pattern.search(text) or pattern.search(singular) if pattern is not None else None
            start = m.start() if m is not None else len(text)
            if purpose_is_not_target and m is not None and _PURPOSE.search(text[max(0, start - 28) : start]):
                continue
            found.append((start, concept.key))
        return tuple(key for _, key in sorted(found))

    def _terms(self, text: str, draft: Draft, *, purpose_is_not_target: bool = False) -> tuple[str, ...]:
        found: list[str] = [m.group(0) for m in self.table.medicine_names.finditer(text)]
        # an illness named as a medicine's purpose or time ("when she had covid") is not a term looked for
        named = set(self._targets(text, purpose_is_not_target=purpose_is_not_target))
        everything = set(self._targets(text, purpose_is_not_target=False))
        left_out = everything - named
        found.extend(
            f.text
            for f in draft.findings
            if f.kind.value == "condition"
            and f.text in text
            and not any(self._names(key, f.text) for key in left_out)
        )
        for concept in self.table.concepts.find(text):
            if concept.key in left_out:
                continue
            found.append(concept.en.lower())
        return tuple(dict.fromkeys(t for t in found if t))

    def _elliptic(self, text: str, last: RecordQuery) -> tuple[str, ...]:
        """A target named by completing the follow-up with the last target's words: "et le mauvais ?"
        after cholesterol is "le mauvais cholestérol" (LDL); "and the good one?" is the good cholesterol. The
        noun of the last target's kind completes it too, in the place of "one": "what about the pneumonia
        one?" after the shingles jab is the pneumonia jab, "et celui contre la pneumonie ?" is "vaccin contre
        la pneumonie"."""
        for key in last.targets:
            concept = self.table.concepts.get(key)
            if concept is None:
                continue
            nouns = self.table.kind_nouns.get(concept.kind, ())
            for noun in nouns if _ONE_WORD.search(text) else ():
                named = self.table.concepts.find_named(_ONE_WORD.sub(noun, text))
                found = [c.key for c in named if c.key != key and c.kind == concept.kind]
                if found:
                    return (found[0],)
            words = sorted({fold_term(w) for w in concept.words if " " not in w.strip()}, key=len)
            for word in words:
                stripped = _ONE.sub("", text)
                found = [c.key for c in self.table.concepts.find_named(f"{stripped} {word}") if c.key != key]
                if found:
                    return (found[0],)
        return ()

    def _year_after(self, text: str) -> bool:
        return self.table.year_after is not None and self.table.year_after.search(text) is not None

    def _resolve(self, fresh: RecordQuery, last: RecordQuery, text: str) -> RecordQuery:
        """``fresh`` completed from ``last`` (see module docstring)."""
        cued_kind = self._cued(text)
        if fresh.targets and last.targets and _ONE_WORD.search(text):
            # "what about the covid one?" after the flu jab: "one" stands for the last thing's kind, so the
            # covid vaccine is asked, not the illness the words name alone
            elliptic = self._elliptic(text, last)
            kinds = {c.kind for key in last.targets if (c := self.table.concepts.get(key)) is not None}
            if elliptic and all(
                (c := self.table.concepts.get(key)) is not None and c.kind in kinds for key in elliptic
            ):
                fresh = fresh.model_copy(update={"targets": (), "terms": ()})
        steps_year = self.table.year_before.search(text) is not None or self._year_after(text)
        if not fresh.targets and last.targets and not cued_kind and not steps_year:
            elliptic = self._elliptic(text, last)
            if elliptic:
                # what is named now replaces the last question's words too (not the shingles jab's)
                names = tuple(
                    c.en.lower() for key in elliptic if (c := self.table.concepts.get(key)) is not None
                )
                fresh = fresh.model_copy(update={"targets": elliptic, "terms": fresh.terms or names})
        targets = fresh.targets or last.targets
        categories = fresh.categories if (fresh.categories and not fresh.targets) or not targets else ()
        if not fresh.targets and not fresh.categories:
            categories = last.categories
            if last.kind == RecordQueryKind.LAST_VISIT and not last.targets and "visits" not in categories:
                # "last time I went to the ER?" then "how many times in total?": the visits asked about
                categories = (*categories, "visits")
        terms = fresh.terms or last.terms
        kind = fresh.kind
        period = fresh.period
        offset = 0
        cued = next((k.kind for k in self.table.kinds if k.pattern.search(text)), None)
        if self._year_after(text):
            # "PSA in 1970?" then "and the year after?": the same question one year later; after a latest
            # value (no period) there is nothing later to step to, so it is read as it stands
            shifted = _shift_years(last.period, 1)
            if shifted is not None:
                return last.model_copy(update={"period": shifted, "followup": True})
        if self.table.year_before.search(text):
            shifted = _shift_years(last.period, -1)
            if shifted is not None:
                return last.model_copy(update={"period": shifted, "followup": True})
            if last.targets and last.period is None and last.kind in _YEAR_STEPPABLE:
                # "Ma dernière glycémie ?" then "et l'année d'avant ?": the value of the year before the one
                # just shown, not the reading just before it (which may be from the same month)
                return RecordQuery(
                    kind=RecordQueryKind.PREVIOUS,
                    targets=last.targets,
                    categories=last.categories,
                    terms=last.terms,
                    followup=True,
                    year_back=True,
                )
            cued = RecordQueryKind.PREVIOUS
        if cued == RecordQueryKind.PREVIOUS:
            kind = RecordQueryKind.PREVIOUS if last.kind != RecordQueryKind.LAST_VISIT else last.kind
            offset = last.offset + 1 if last.kind in _STEPPABLE else 1
            period = None
        elif cued == RecordQueryKind.COUNT:
            kind = RecordQueryKind.COUNT
            # "how many in total?" drops the period; "how many in 2016?" sets its own.
        elif cued == RecordQueryKind.MEANING and last.offset and last.kind == RecordQueryKind.PREVIOUS:
            # "is that bad?" about the earlier value just shown: that value again, with its judgement.
            kind, offset, period = RecordQueryKind.PREVIOUS, last.offset, None
        elif cued in (RecordQueryKind.MEANING, RecordQueryKind.TREND, RecordQueryKind.DUE):
            kind = cued
            period = period or (last.period if cued == RecordQueryKind.TREND else None)
        elif cued is not None:
            kind = cued
        elif period is not None:
            kind = (
                last.kind
                if last.kind in (RecordQueryKind.COUNT, RecordQueryKind.TREND, RecordQueryKind.LIST)
                else RecordQueryKind.VALUE_AT
            )
        elif _says_latest(text):
            kind = RecordQueryKind.LATEST
        else:
            # "and the bad one?", "et les plaquettes ?": the same question about what is named now.
            kind = last.kind if last.kind != RecordQueryKind.PREVIOUS else RecordQueryKind.LATEST
            period = last.period
        return RecordQuery(
            kind=kind,
            targets=targets,
            categories=categories,
            terms=terms,
            period=period,
            offset=offset,
            followup=True,
            # "and since 2018?" after a count of follow-ups still counts follow-ups
            visit_names=(fresh.visit_names or last.visit_names) if "visits" in categories else (),
        )


# Words that may lead a time phrase set apart by a comma ("back in 2013", "way back in 2010", "vers 2015")
_TIME_LEAD = {
    "back",
    "way",
    "around",
    "about",
    "circa",
    "roughly",
    "vers",
    "aux",
    "alentours",
    "environ",
    "du",
    "coup",
}
# A name put in apposition opens with an article or a possessive ("the A1c", "my LDL", "l'HbA1c", "son LDL")
_APPOSED = re.compile(r"(?:the|my|her|his|their|our|le|la|les|l|mon|ma|mes|son|sa|ses|leur) ")
# "…and she doesn't remember…", "…et elle ne se rappelle plus…": a coordinated statement with its own subject
_NEW_STATEMENT = re.compile(
    r"\b(?:and|but|so|et|mais|donc) (?:i|she|he|we|they|je|j|elle|il|on|nous|ils|elles)\b"
)


def _ends_in_question(folded: str, end: int) -> bool:
    """The sentence ending at ``end`` is a question (the folded text keeps the question mark)."""
    return "?" in folded[max(0, end - 2) : end + 2]


# A question word asking when, what or which (or asking to confirm it: "c'est bien ma dernière… ?")
_ASKS_WHICH = re.compile(
    r"\b(?:when|what|whats|which|who|quand|qui|quel|quelle|quels|quelles|quoi|"
    r"(?:is|was) (?:it|that|this)|(?:c est|c etait|est ce) bien)\b"
)


def _in_question(text: str, draft: Draft) -> bool:
    """``text`` lies within one sentence of the message that ends in a question mark."""
    folded = draft.text.folded
    where = folded.find(text)
    if where < 0 or "?" in text:
        return False
    return any(
        start <= where and where + len(text) <= end and _ends_in_question(folded, end)
        for start, end in draft.sentences
    )


# A plural "s" follows neither "i", "u" nor another "s": "tetanus", "virus", "analysis", "stress" and "plus"
# are the words themselves ("tétanos" is not a plural either, but "tetano" names nothing)
_PLURAL = re.compile(r"\b([a-z]{2,}[a-hj-rtv-z])s\b|\b([a-z]{3,})x\b")


def _singular(text: str) -> str:
    """Each word without a plural ending, the ending left as a space so that every word keeps its place
    (used only to find concept names)."""
    return _PLURAL.sub(lambda m: (m.group(1) or m.group(2)) + " ", text)


_BOUND_YEAR = re.compile(
    rf" (?:from|in|of|for|de|du|d|en) ((?:(?:{'|'.join(m for m in _MONTHS if len(m) > 3)}) )?(?:19|20)\d\d)\b"
)
# One result asked for ("my last result", "le chiffre"), not the list of them ("my latest results").
_ONE_RESULT = re.compile(
    r"\b(?:result|resultat|number|reading|value|valeur|chiffre|figure|score)\b(?! (?:of|du|de|d))"
    # "et celle de l'analyse d'avant ?", "the one from the test before": one value pointed back at
    r"|\b(?:celle|celui|the one) (?:de|du|d|from|of|at) "
    # "il était à combien sur le bilan d'avant ?", "how much was it on the test before?": a value pointed
    # back at with a pronoun, named in an earlier sentence
    r"|\b(?:il|elle|ils|elles) (?:etait|etaient|est|sont) a combien\b|\bc (?:etait|est) combien\b|\b(?:what|how (?:much|high|low)) (?:was|were) (?:it|they)\b"
)
# "en" standing for what was just named ("combien j'en ai fait ?", "combien en a-t-elle eu ?")
_EN_POINTER = re.compile(
    r"\b(?:j|je|elle|il|on|vous|nous) (?:m |lui |nous )?en\b|\ben (?:ai je|a t elle|a t il|avez vous)\b"
)
# A question pointing back at what the sentence before named ("what does that mean?", "is it normal?",
# "c'est bien ?", "ça donnait quoi ?", "il était à combien ?")
_HISTORY_KINDS = frozenset({ConceptKind.CONDITION, ConceptKind.CONTEXT, ConceptKind.MEDICINE})
# a result named as the patient's own, read on their record: "my last bloods", "her latest results", "on my
# blood test", "mes derniers résultats", "sa dernière prise de sang", "mon bilan"
_OWN_RESULT = re.compile(
    r"\b(?:my|her|his|our|the) (?:(?:last|latest|recent|most recent|previous|yearly|annual) )?"
    r"(?:bloods|blood tests?|blood work|bloodwork|blood results|results?|labs?|lab (?:results|report|tests?)|"
    r"test results|panel|printout|lab printout)\b|"
    r"\b(?:ma|mon|mes|sa|son|ses|la|le|les) (?:(?:derniere?s?|recente?s?) )?"
    r"(?:prises? de sang|bilans?(?: sanguins?)?|analyses?(?: de sang)?|resultats?(?: d analyses?)?)\b"
)
_BACK = re.compile(
    r"\b(?:it|that|this|those|these|they|ca|cela|c est|c etait|ce chiffre|ce resultat|ce taux|il etait|elle etait)\b"
)
_ONE = re.compile(r"\b(?:one|ones|un|une|celui|celle)\b|[?!.]")
_ONE_WORD = re.compile(r"\b(?:one|celui|celle)\b")
# What a medicine was for, or when it was given ("my tablet for blood pressure", "what did they give her
# when she had covid", "quand elle a eu le covid"): the illness is the purpose or the time, not what is asked.
_PURPOSE = re.compile(
    r"\b(?:for|pour|contre|against)(?: (?:my|her|his|the|ma|mon|mes|sa|son|ses|la|le|les|l))? $"
    r"|\b(?:when|while) (?:i|she|he|we|they) (?:had|got|caught|was ill with|was sick with)(?: (?:the|a|an|my|her|his))? $"
    r"|\bquand (?:j ai|elle a|il a|on a) (?:eu|attrape)(?: (?:le|la|l|un|une|sa|son|ma|mon))? $"
)
# What visits were about, named by a word the concept map does not hold ("about my hip", "pour mon genou")
_VISIT_ABOUT = re.compile(
    r"\b(?:about|for|with|regarding|pour|a cause de|au sujet de) (?:my|her|his|their|ma|mon|mes|sa|son|ses) "
    r"(?!(?:last|latest|first|next|yearly|annual|own|dernier|derniere|premier|premiere|prochain|prochaine)\b)([a-z]{3,})\b"
)
# An illness named as the time of what is asked ("when my daughter had covid, did she have flu too?", "quand ma
# fille a eu le covid, elle avait aussi la grippe ?"): it says when, and another thing named is what is asked
_WHEN_HAD = re.compile(
    r"\b(?:when|while) (?:i|she|he|we|they|(?:my|her|his|our) \w+) (?:had|got|caught|was ill with|was sick with)"
    r"(?: (?:the|a|an|my|her|his))? $"
    r"|\bquand (?:j ai|elle a|il a|on a|(?:ma|mon|sa|son|notre) \w+(?: \w+)? a) (?:eu|attrape|fait)"
    r"(?: (?:le|la|l|un|une|sa|son|ma|mon))? $"
)
_LATEST = re.compile(
    r"\b(?:most recent|latest|last one|newest|now|currently|derniere?|plus recente?|actuel(?:le)?)\b"
)


def _says_latest(text: str) -> bool:
    return _LATEST.search(text) is not None
