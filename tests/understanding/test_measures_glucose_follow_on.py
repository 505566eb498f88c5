"""Blood sugar readings told in sequence after a first one with its unit ("0,55 g/l … puis 0,92 et là
1,15", "2.9 mmol, then 4.8, now 6.3") are read in the first one's unit; other decimals are not."""

from __future__ import annotations

import pytest

from assistant.understanding.measures import find_vitals
from assistant.understanding.model import VitalKind
from assistant.understanding.text import fold


def _sugars(message: str, lang: str) -> list[float]:
    return [v.value for v in find_vitals(fold(message), lang) if v.kind is VitalKind.GLUCOSE]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("message", "lang", "expected"),
    [
        ("j'étais à 0,52 g/l, j'ai pris 3 sucres, 15 minutes après 0,88 puis 1,20", "fr", [2.89, 4.88, 6.66]),
        ("sugar was 2.9 mmol after my run. had juice, then 4.8 and now 6.3", "en", [2.9, 4.8, 6.3]),
    ],
)
def test_follow_on_readings_take_the_first_unit(message: str, lang: str, expected: list[float]) -> None:
    assert _sugars(message, lang) == pytest.approx(expected, abs=0.02)


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("sugar was 2.9 then I ran 5.5 km and took 2.5 mg of something", "en"),
        ("glycémie à 0,55 g/l ce matin. Après le repas j'ai couru 2.5 km", "fr"),
        ("my sugar was 3.1 this morning. Later I weighed myself, 72.5 kg", "en"),
    ],
)
def test_other_decimals_after_a_sugar_are_not_sugars(message: str, lang: str) -> None:
    assert len(_sugars(message, lang)) == 1
