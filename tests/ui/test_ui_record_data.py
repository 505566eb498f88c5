"""Trend data and charts from a real Synthea record; the en/fr string table; dates in both languages."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import pytest

from fhir_client import PatientRecord, load_bundle_file
from retrieval import ConceptMap, RecordQueries
from ui.charts import band_limits, chart_description, trend_chart, trend_rows, value_domain
from ui.i18n import LANGS, STRINGS, fmt_instant, t
from ui.records_data import CHARTS, Point, make_trend, series_concept, trend_from_readings

ROOT = Path(__file__).resolve().parents[2]
JOSUE = ROOT / "data/synthea/Josue_Sipes_7d27f180-98d6-456d-98c0-d91df32cd023.json"


@pytest.fixture(scope="module")
def record() -> PatientRecord:
    return load_bundle_file(JOSUE)


def test_every_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    fields = string.Formatter()
    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGS), key
        names = [{f[1] for f in fields.parse(texts[lang]) if f[1]} for lang in LANGS]
        assert names[0] == names[1], key
        assert texts["en"] != "" and texts["fr"] != ""


def test_appointment_times_are_shown_in_the_clinic_zone_in_the_patients_language() -> None:
    # 08:00 UTC in November is 09:00 in Paris.
    assert fmt_instant("2026-11-24T08:00:00Z", "en", "Europe/Paris") == "Tue 24 Nov 2026, 09:00"
    assert fmt_instant("2026-11-24T08:00:00Z", "fr", "Europe/Paris") == "mar. 24 nov. 2026 à 09:00"
    assert t("emergency_title", "fr", call="15") == "Appelez le 15 maintenant"


def test_each_chart_has_values_for_the_demo_patient(record: PatientRecord) -> None:
    concepts = ConceptMap.load()
    queries = RecordQueries(record, concepts)
    for _title, keys in CHARTS:
        for key in keys:
            trend = trend_from_readings(key, queries.series(series_concept(key)), concepts)
            assert len(trend.points) >= 20, key
            assert trend.points == sorted(trend.points, key=lambda p: p.day)


def test_blood_pressure_parts_and_flags_follow_the_record(record: PatientRecord) -> None:
    concepts = ConceptMap.load()
    panels = RecordQueries(record, concepts).series("blood_pressure")
    systolic = trend_from_readings("systolic_bp", panels, concepts)
    last = panels[-1]
    top = next(c for c in last.components if any(x.code == "8480-6" for x in c.codes))
    assert systolic.points[-1].value == pytest.approx(float(top.value))  # type: ignore[arg-type]
    assert systolic.points[-1].flag == top.flag == "high"  # 179.6 mmHg, above 130
    assert (systolic.high, systolic.unit) == (130, "mm[Hg]")
    assert systolic.out_of_range == sum(1 for p in systolic.points if p.value >= 130)


def test_the_usual_range_is_drawn_only_when_units_agree() -> None:
    concepts = ConceptMap.load()
    points = [Point(date(2020, 1, 1), 5.0, "Observation/a")]
    assert make_trend("glucose", points, "mg/dL", concepts).high == 100
    assert make_trend("glucose", points, "mmol/L", concepts).high is None  # never a mg/dL band on mmol/L
    assert make_trend("egfr", points, "mL/min", concepts).low == 60  # the record's unit is the short form


def test_chart_layers_band_and_description(record: PatientRecord) -> None:
    concepts = ConceptMap.load()
    trend = trend_from_readings("bmi", RecordQueries(record, concepts).series("bmi"), concepts)
    spec = trend_chart(trend, "fr").to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rect", "line", "circle"]
    low, _high = value_domain(trend)  # type: ignore[misc]
    band = band_limits(trend)
    assert band is not None and band[1] == 25 and band[0] == max(18.5, low)  # the band, clipped to the axis
    text = chart_description(trend, "en")
    assert "WHO adult classes" in text
    assert f"{trend.out_of_range} of {len(trend.points)} values outside the usual range" in text
    assert "OMS" in chart_description(trend, "fr") and "WHO" not in chart_description(trend, "fr")
    no_range = trend_from_readings(
        "body_weight", RecordQueries(record, concepts).series("body_weight"), concepts
    )
    assert [layer["mark"]["type"] for layer in trend_chart(no_range, "en").to_dict()["layer"]] == [
        "line",
        "circle",
    ]


def test_the_value_axis_is_drawn_around_the_values_not_from_zero(record: PatientRecord) -> None:
    concepts = ConceptMap.load()
    weight = trend_from_readings(
        "body_weight", RecordQueries(record, concepts).series("body_weight"), concepts
    )
    values = [p.value for p in weight.points]
    low, high = value_domain(weight)  # type: ignore[misc]
    assert 0 < low <= min(values) and max(values) <= high
    assert (high - low) < 2 * (max(values) - min(values)) + 1


def test_units_are_written_for_people_and_values_rounded_as_a_lab_sheet(record: PatientRecord) -> None:
    concepts = ConceptMap.load()
    panels = RecordQueries(record, concepts).series("blood_pressure")
    systolic = trend_from_readings("systolic_bp", panels, concepts)
    spec = trend_chart(systolic, "en").to_dict()
    assert spec["title"] == "Systolic blood pressure (mmHg)"
    assert all(float(r["value"]).is_integer() for r in trend_rows(systolic, "en"))
    assert all(r["shown"].endswith(" mmHg") and "[" not in r["shown"] for r in trend_rows(systolic, "en"))


def test_without_a_known_range_points_are_values_not_usual(record: PatientRecord) -> None:
    concepts = ConceptMap.load()
    weight = trend_from_readings(
        "body_weight", RecordQueries(record, concepts).series("body_weight"), concepts
    )
    assert weight.low is None and weight.high is None
    statuses = {r["status"] for r in trend_rows(weight, "en")}
    assert statuses == {"value"}
    layers = trend_chart(weight, "en").to_dict()["layer"]
    assert all("color" not in layer.get("encoding", {}) for layer in layers)
    assert "usual" not in chart_description(weight, "en")


def test_an_impossible_value_is_not_drawn_and_is_said() -> None:
    concepts = ConceptMap.load()
    elga = load_bundle_file(ROOT / "data/realworld/AT_ELGA_GmbH_01.json")
    a1c = trend_from_readings("hba1c", RecordQueries(elga, concepts).series("hba1c"), concepts)
    assert [p.flag for p in a1c.points] == ["implausible"]
    assert trend_rows(a1c, "en") == []
    assert "cannot be right" in chart_description(a1c, "en") or "not drawn" in chart_description(a1c, "en")
