"""Record answers from round-26 development (dev data), through whole turns on real records:

- the first one on file ("and the very first one?", "et la toute première dose ?") is answered with the earliest
  entry — a test's first result(s), the first dose of a vaccine, the first visit — cited, never the latest;
- a value asked for a year set apart by a comma ("What was my LDL, back in 2013?") is that year's.

Every sentence here is written for the test, in English and French.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.assistant.record_talk import ROOT, synthea, talk


@pytest.mark.parametrize(
    ("texts", "lang"),
    [
        (("When did Daisey get her last MMR?", "and the very first dose?"), "en"),
        (
            ("Quand est-ce que Daisey a eu son dernier ROR ?", "et la toute première dose c'était quand ?"),
            "fr",
        ),
    ],
)
def test_the_first_dose_is_the_earliest(tmp_path: Path, texts: tuple[str, ...], lang: str) -> None:
    last, first = talk(tmp_path, synthea("Daisey_Johns"), *texts, lang=lang)
    assert [c.resource for c in first.citations] == ["Immunization/c4826ede-5a77-4377-be42-16d18e6c988f"], (
        first.text
    )
    assert "2016" in first.text and first.safety.grounded, first.text
    assert first.citations != last.citations


@pytest.mark.parametrize(
    ("texts", "lang"),
    [
        (("what was my last LDL?", "and the first one on file?"), "en"),
        (("quel était mon dernier LDL ?", "et le tout premier ?"), "fr"),
    ],
)
def test_the_first_result_is_the_earliest(tmp_path: Path, texts: tuple[str, ...], lang: str) -> None:
    _, first = talk(tmp_path, synthea("Renea_Quigley"), *texts, lang=lang)
    assert first.citations and "2012" in first.text and first.safety.grounded, first.text
    assert "2021" not in first.text, first.text


def test_the_first_visit(tmp_path: Path) -> None:
    (turn,) = talk(tmp_path, synthea("Renea_Quigley"), "when was my very first appointment?")
    assert [c.resource.split("/")[0] for c in turn.citations] == ["Encounter"], turn.text
    assert "1976" in turn.text and turn.safety.grounded, turn.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Going through old paperwork. What was my bad cholesterol, the LDL, back in 2013?", "en"),
        ("Je range des papiers. C'était combien mon mauvais cholestérol, le LDL, en 2013 ?", "fr"),
    ],
)
def test_a_year_set_apart_by_a_comma(tmp_path: Path, text: str, lang: str) -> None:
    (turn,) = talk(tmp_path, synthea("Renea_Quigley"), text, lang=lang)
    assert [c.resource for c in turn.citations] == ["Observation/ff3ee0a5-2868-4211-a698-452a790f985d"], (
        turn.text
    )
    assert "153" in turn.text, turn.text


# --- placeholders said apart, and results of one test under different names -----------------------------------

# the converted C-CDA export shipped in data/realworld (its flu A/B results and placeholder entries)
LISANDRA = ROOT / "realworld" / "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir.json"


@pytest.mark.parametrize(
    ("texts", "lang", "empty"),
    [
        (("what was her last flu test result?",), "en", "2 more entries have no value"),
        (
            (
                "le test covid de ma fille en février 2020 il était positif ?",
                "et pour la grippe ils avaient testé aussi ? ça disait quoi",
            ),
            "fr",
            "2 autres lignes n'ont pas de valeur",
        ),
    ],
)
def test_flu_a_and_b_are_named_and_placeholders_said_apart(
    tmp_path: Path, texts: tuple[str, ...], lang: str, empty: str
) -> None:
    turn = talk(tmp_path, LISANDRA, *texts, lang=lang)[-1]
    assert (
        "Influenza virus A RNA: Negative" in turn.text and "Influenza virus B RNA: Negative" in turn.text
    ), turn.text
    assert empty in turn.text, turn.text
    # every entry is still cited, the placeholders after the values
    assert len(turn.citations) == 4 and turn.safety.grounded, turn.text


def test_same_day_results_under_one_name_are_not_labelled(tmp_path: Path) -> None:
    (turn,) = talk(tmp_path, synthea("Martina_Murazik"), "what was her latest ejection fraction?")
    assert len(turn.citations) == 2 and "fraction:" not in turn.text.split("(")[0], turn.text
