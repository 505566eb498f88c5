"""Record questions from round-26 development (dev data once scored), by mechanism, on sentences written
here — with look-alikes that must keep their old reading:

- a part of the asking sentence that the split at a comma set apart and that only completes the question (a
  time phrase: "…, back in 2013?", "…, en 2016 ?"; a name in apposition: "my sugar test, the A1c") still
  belongs to it; a part with a verb of its own does not;
- going to a place of care, said in the past ("how many times did I go to the clinic?", "je suis allée à la
  clinique"), is a visit;
- the first one on file, asked by its ordinal ("and the very first one?", "et la toute première dose ?", "when
  was her first MMR?"), is a question kind of its own; "the first time I…" tells a story.
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.understanding.model import RecordQueryKind
from tests.understanding.conversation import converse
from tests.understanding.test_record_query import query

K = RecordQueryKind


# --- parts that complete the asking clause -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "target", "year"),
    [
        (
            "Sorting old letters. What was my LDL, back in 2013? I think that was when it got high",
            "en",
            "ldl",
            2013,
        ),
        ("what was her creatinine, in 2019?", "en", "creatinine", 2019),
        ("c'était combien mon LDL, en 2015 ? je range des papiers", "fr", "ldl", 2015),
        ("What was my sugar blood test, the A1c, in 2016?", "en", "hba1c", 2016),
        ("mon sucre, l'HbA1c, c'était combien en 2017 ?", "fr", "hba1c", 2017),
    ],
)
def test_a_time_or_a_name_set_apart_by_a_comma_completes_the_question(
    text: str, lang: str, target: str, year: int
) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.VALUE_AT, q
    assert target in q.targets, q
    assert q.period is not None and q.period.start == date(year, 1, 1), q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("What was my latest LDL? I was first told it was high in 2013", "en"),
        ("c'était combien mon dernier LDL ? on m'a dit en 2013 qu'il était trop haut", "fr"),
    ],
)
def test_a_year_in_a_statement_of_its_own_is_not_the_period(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.LATEST and q.period is None, q


def test_a_group_alone_keeps_every_member() -> None:
    (u,) = converse("what was my last blood sugar test?")
    assert query(u).targets == ("sugar_tests",), query(u)


# --- going to a place of care is a visit -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how many times did I go to the clinic in 2019?? I only remember the sore throat one", "en"),
        ("how many times have I been to the doctors since 2018?", "en"),
        ("combien de fois je suis allée à la clinique en 2019 ?", "fr"),
        ("il est passé combien de fois au cabinet depuis 2018 ?", "fr"),
    ],
)
def test_going_to_a_place_of_care_counts_visits(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.COUNT and "visits" in q.categories and not q.targets, q
    assert q.period is not None, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Ma mère a été vue quand pour la dernière fois ? elle est passée aux urgences sans nous le dire",
            "fr",
        ),
        ("mon père a été vu quand en dernier ?", "fr"),
    ],
)
def test_seen_when_for_the_last_time_asks_the_last_visit(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert query(u).kind is K.LAST_VISIT, query(u)


# --- the first one ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "then", "lang"),
    [
        ("Quand est-ce que Daisey a eu son dernier ROR ?", "et la toute première dose c'était quand ?", "fr"),
        ("what was my last cholesterol?", "and the very first one?", "en"),
        ("c'était combien ma dernière tension ?", "et la plus ancienne ?", "fr"),
    ],
)
def test_the_first_one_follows_on_with_the_same_target(first: str, then: str, lang: str) -> None:
    a, b = converse(first, then, lang=lang)
    qa, qb = query(a), query(b)
    assert qb.kind is K.FIRST and qb.followup, qb
    assert qb.targets == qa.targets and qb.period is None, qb


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("when was her first MMR jab?", "en"),
        ("when did I first get the flu jab?", "en"),
        ("c'était quand son premier ROR ?", "fr"),
        ("quand est-ce qu'elle a eu le vaccin contre la grippe pour la première fois ?", "fr"),
    ],
)
def test_the_first_one_asked_directly(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.FIRST and q.targets, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("when was my very first appointment?", "en"),
        ("c'était quand sa toute première consultation ?", "fr"),
    ],
)
def test_the_first_visit_is_asked_without_a_routing_entry(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.FIRST and "visits" in q.categories, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The first time I had my bloods done I fainted. What was my last cholesterol?", "en"),
        (
            "La première fois que je l'ai emmenée chez le pédiatre elle avait de la fièvre, c'était quand son dernier ROR ?",
            "fr",
        ),
    ],
)
def test_the_first_time_told_in_a_story_is_not_asked(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert query(u).kind is not K.FIRST, query(u)
