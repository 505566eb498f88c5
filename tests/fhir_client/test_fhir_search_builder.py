"""The search builder renders FHIR search syntax exactly and never changes a search in place."""

from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fhir_client.search import Search, escape, split_unescaped, token


def test_renders_criteria_result_controls_and_includes_in_order() -> None:
    s = (
        Search("Observation")
        .where(subject="Patient/x", code="http://loinc.org|4548-4")
        .date_ge("2020-01-01")
        .sort("-date")
        .count(50)
        .include("Observation:performer")
    )
    assert s.to_params() == [
        ("subject", "Patient/x"),
        ("code", "http://loinc.org|4548-4"),
        ("date", "ge2020-01-01"),
        ("_sort", "-date"),
        ("_count", "50"),
        ("_include", "Observation:performer"),
    ]
    assert str(s) == (
        "Observation?subject=Patient%2Fx&code=http%3A%2F%2Floinc.org%7C4548-4&date=ge2020-01-01"
        "&_sort=-date&_count=50&_include=Observation%3Aperformer"
    )


def test_repeated_parameters_are_kept_as_and_and_lists_become_or() -> None:
    s = Search("Slot").date_ge("2026-01-01", param="start").date_lt("2026-02-01", param="start")
    s = s.where(status=["free", "busy-tentative"])
    assert s.get("start") == ["ge2026-01-01", "lt2026-02-01"]
    assert s.get("status") == ["free,busy-tentative"]


def test_keyword_names_map_to_fhir_names_and_modifiers() -> None:
    s = Search("Appointment").where(service_type="x", code__text="sugar", _id="a", _lastUpdated="gt2020")
    assert [k for k, _ in s.to_params()] == ["service-type", "code:text", "_id", "_lastUpdated"]
    assert Search("Patient").param("general-practitioner:Practitioner.name", "Smith").to_params() == [
        ("general-practitioner:Practitioner.name", "Smith")
    ]


def test_token_and_escape_protect_the_characters_fhir_gives_meaning_to() -> None:
    assert token("http://loinc.org", "4548-4").render() == "http://loinc.org|4548-4"
    assert token("urn:sys|weird", "a,b").render() == r"urn:sys\|weird|a\,b"
    assert token(None, "free").render() == "free"
    assert escape(r"Smith, John $5 a|b c\d") == r"Smith\, John \$5 a\|b c\\d"
    s = Search("Patient").where(name=[escape("Smith, John"), "Doe"])
    assert s.get("name") == [r"Smith\, John,Doe"]


def test_dates_numbers_and_booleans_render_in_fhir_form() -> None:
    s = Search("Observation").where(date=dt.date(2020, 3, 1), value_quantity=7.2, _count=3, active=True)
    assert s.to_params() == [
        ("date", "2020-03-01"),
        ("value-quantity", "7.2"),
        ("_count", "3"),
        ("active", "true"),
    ]
    moment = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
    assert Search("Slot").date_gt(moment, param="start").get("start") == ["gt2026-11-23T09:30:00+00:00"]


def test_result_controls_replace_rather_than_repeat() -> None:
    s = Search("Observation").count(10).count(50).offset(5).offset(100).sort("date").sort("-date")
    assert s.get("_count") == ["50"]
    assert s.get("_offset") == ["100"]
    assert s.get("_sort") == ["-date"]
    assert s.page_size == 50
    assert s.start_offset == 100


def test_every_method_returns_a_new_search_and_leaves_the_original_alone() -> None:
    base = Search("Observation").where(subject="Patient/x")
    before = base.to_params()
    derived = [
        base.where(code="a"),
        base.count(5),
        base.sort("-date"),
        base.include("Observation:subject"),
        base.revinclude("Provenance:target"),
        base.date_le("2020"),
        base.elements("id", "code"),
        base.summary("count"),
        base.total("accurate"),
        base.offset(3),
    ]
    assert base.to_params() == before
    assert all(d is not base and d != base for d in derived)
    with pytest.raises(dataclasses.FrozenInstanceError):
        base.params = ()  # type: ignore[misc]


def test_searches_are_hashable_values() -> None:
    a = Search("Slot").where(status="free").count(10)
    b = Search("Slot").where(status="free").count(10)
    assert a == b and hash(a) == hash(b)
    assert len({a, b, a.count(11)}) == 2


def test_invalid_inputs_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="not a FHIR resource type"):
        Search("observation; DROP")
    with pytest.raises(ValueError, match="negative"):
        Search("Slot").count(-1)
    with pytest.raises(ValueError, match="empty"):
        Search("Slot").where(status=[])
    with pytest.raises(TypeError, match="dict"):
        Search("Slot").where(status={"a": 1})  # type: ignore[arg-type]


def test_parse_reads_back_what_str_wrote() -> None:
    s = Search("Observation").where(code=token("http://loinc.org", "4548-4"), subject="Patient/1").count(2)
    assert Search.parse(str(s)) == s
    assert Search.parse("Patient") == Search("Patient")
    assert Search.parse("_id=a") == Search(None, (("_id", "a"),))


_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@given(st.lists(_text, min_size=1, max_size=5))
def test_escaped_or_lists_split_back_into_the_original_values(values: list[str]) -> None:
    rendered = Search("Patient").where(name=[escape(v) for v in values]).get("name")[0]
    assert split_unescaped(rendered, ",") == values


@given(_text, _text)
def test_tokens_split_back_into_system_and_code(system: str, code: str) -> None:
    rendered = token(system, code).render()
    assert split_unescaped(rendered, "|") == [system, code]


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "_c"]), _text), max_size=6))
def test_query_string_round_trips_through_url_encoding(pairs: list[tuple[str, str]]) -> None:
    s = Search("Patient")
    for name, value in pairs:
        s = s.param(name, value)
    assert parse_qsl(s.query_string(), keep_blank_values=True) == pairs
