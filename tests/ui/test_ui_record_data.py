"""Trend data and charts from a real Synthea record; the en/fr string table; dates in both languages."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import pytest

from fhir_client import PatientRecord, load_bundle_file
from retrieval import ConceptMap, RecordQueries
from ui.charts import band_limits, chart_description, trend_chart
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
    assert band_limits(trend) == (18.5, 25)
    text = chart_description(trend, "en")
    assert "WHO adult classes" in text
    assert f"{trend.out_of_range} of {len(trend.points)} values outside the usual range" in text
    no_range = trend_from_readings(
        "body_weight", RecordQueries(record, concepts).series("body_weight"), concepts
    )
    assert [layer["mark"]["type"] for layer in trend_chart(no_range, "en").to_dict()["layer"]] == [
        "line",
        "circle",
    ]
