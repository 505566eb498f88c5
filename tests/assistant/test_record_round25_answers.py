"""Record answers from round-25 development (dev data), through whole turns on real records:

- "am I due?" about a test or procedure (not a vaccine) gives when it was last done and leaves when the next
  falls to the care team, instead of the vaccine schedule;
- a named result asked "out of range?" is said with the range it was judged against (the lab's own).

Every sentence here is written for the test, in English and French.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.assistant.record_talk import ROOT, synthea, talk


@pytest.mark.parametrize(
    ("texts", "lang"),
    [
        (("am I due another colonoscopy?",), "en"),
        (
            ("how many colonoscopies are on my record?", "ok and the latest one? wondering if I'm overdue"),
            "en",
        ),
        (("est-ce que ma prochaine coloscopie est en retard ?",), "fr"),
    ],
)
def test_due_for_a_procedure_gives_the_last_one(tmp_path: Path, texts: tuple[str, ...], lang: str) -> None:
    turn = talk(tmp_path, synthea("Renea_Quigley"), *texts, lang=lang)[-1]
    assert any("Procedure/" in c.resource for c in turn.citations), turn.text
    assert "2017" in turn.text, turn.text
    assert not any("Immunization/" in c.resource for c in turn.citations), turn.text


def test_due_for_vaccines_keeps_the_schedule(tmp_path: Path) -> None:
    turn = talk(tmp_path, synthea("Renea_Quigley"), "which vaccines am I due?")[-1]
    assert any("Immunization/" in c.resource for c in turn.citations), turn.text


@pytest.mark.parametrize(
    ("text", "lang", "shown"),
    [
        ("is my ferritin out of range?", "en", "15–400"),
        ("ma ferritine est hors norme ?", "fr", "15–400"),
    ],
)
def test_an_out_of_range_result_comes_with_its_range(
    tmp_path: Path, text: str, lang: str, shown: str
) -> None:
    turn = talk(tmp_path, ROOT / "realworld" / "AT_ELGA_GmbH_01.json", text, lang=lang)[-1]
    assert "724" in turn.text and shown in turn.text, turn.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("back when I had covid in 2020, did they swab for flu as well?", "en"),
        ("quand j'ai eu le covid en 2020, ils ont aussi testé la grippe ?", "fr"),
    ],
)
def test_a_test_of_that_time_is_answered_with_its_results(tmp_path: Path, text: str, lang: str) -> None:
    bundle = ROOT / "realworld" / "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir.json"
    turn = talk(tmp_path, bundle, text, lang=lang)[-1]
    assert "Negative" in turn.text, turn.text
    assert not turn.text.startswith(("Yes", "Oui")), turn.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("she had allergy blood tests years ago - what was her peanut result?", "en"),
        ("elle a fait un bilan allergique petite, son résultat pour l'arachide c'était combien ?", "fr"),
    ],
)
def test_an_allergen_result_is_the_allergy_blood_test(tmp_path: Path, text: str, lang: str) -> None:
    turn = talk(tmp_path, synthea("Daisey_Johns"), text, lang=lang)[-1]
    assert any("Peanut IgE" in c.label for c in turn.citations), turn.text
    assert "0.31" in turn.text or "0,31" in turn.text, turn.text
