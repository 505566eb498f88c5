"""The concept map turns patient words (en + fr) into codes, and back into plain names."""

from __future__ import annotations

import pytest
from retrieval_data import record

from retrieval import ConceptMap, RecordQueries, UnknownConcept
from retrieval.concepts import normalize
from retrieval.model import Code

LOINC = "http://loinc.org"


@pytest.fixture(scope="module")
def cmap() -> ConceptMap:
    return ConceptMap.load()


@pytest.mark.parametrize(
    ("words", "keys"),
    [
        ("what was my blood sugar?", {"hba1c", "glucose"}),
        ("my last A1c", {"hba1c"}),
        ("HbA1c", {"hba1c"}),
        ("ma glycémie", {"hba1c", "glucose"}),
        ("ma GLYCEMIE", {"hba1c", "glucose"}),
        ("ma tension", {"blood_pressure"}),
        ("my cholesterol", {"total_cholesterol"}),
        ("mon cholestérol", {"total_cholesterol"}),
        ("my bad cholesterol", {"ldl"}),
        ("my weight", {"body_weight"}),
        ("mon poids", {"body_weight"}),
        ("my BMI", {"bmi"}),
        ("mon IMC", {"bmi"}),
        ("quel était mon taux d'hémoglobine", {"hemoglobin"}),
        ("depuis quand ai-je de l'asthme", {"asthma"}),
        ("est-ce que je fume", {"smoking_status"}),
        ("my flu shot", {"flu_vaccine"}),
        ("rappel tétanos", {"tetanus_vaccine"}),
    ],
)
def test_patient_words_in_english_and_french_find_concepts(
    cmap: ConceptMap, words: str, keys: set[str]
) -> None:
    assert {c.key for c in cmap.find(words)} == keys


def test_concepts_carry_codes_and_plain_names_in_both_languages(cmap: ConceptMap) -> None:
    a1c = cmap.get("hba1c")
    assert a1c is not None
    assert (LOINC, "4548-4") in a1c.codes
    assert a1c.plain("en") == "Hemoglobin A1c (HbA1c) — average blood sugar over about 3 months"
    assert a1c.plain("fr").startswith("Hémoglobine glyquée (HbA1c) — moyenne du sucre")
    assert cmap.for_code(Code(LOINC, "4548-4")) is a1c
    assert cmap.for_code(Code("http://example.org", "4548-4")) is None  # the system matters


def test_resolve_accepts_keys_codes_and_system_qualified_codes(cmap: ConceptMap) -> None:
    assert [c.key for c in cmap.resolve("bmi")] == ["bmi"]
    assert [c.key for c in cmap.resolve("39156-5")] == ["bmi"]
    assert [c.key for c in cmap.resolve(f"{LOINC}|39156-5")] == ["bmi"]
    assert cmap.resolve("http://snomed.info/sct|39156-5") == []


def test_type_words_point_at_resource_types(cmap: ConceptMap) -> None:
    assert cmap.find_types("which vaccines am I missing") == ["Immunization"]
    assert cmap.find_types("est-ce que j'ai des allergies") == ["AllergyIntolerance"]
    assert "MedicationRequest" in cmap.find_types("quels médicaments je prends")


def test_normalize_strips_accents_case_and_edge_punctuation_but_keeps_numbers() -> None:
    assert normalize("Glycémie ?") == "glycemie"
    assert normalize("HbA1c was 7.2 %.") == "hba1c was 7.2 %"
    assert normalize("l'hépatite") == "l hepatite"
    assert normalize("don't") == "don't"


def test_unknown_words_raise_a_clear_error_instead_of_guessing() -> None:
    queries = RecordQueries(record("Liz_Conn"))
    with pytest.raises(UnknownConcept, match="unicorn dust"):
        queries.latest("unicorn dust")
    with pytest.raises(UnknownConcept, match="moonbeam"):
        queries.immunizations("moonbeam")


def test_every_concept_is_complete_and_codes_are_not_shared(cmap: ConceptMap) -> None:
    seen: dict[tuple[str, str], str] = {}
    for concept in cmap.concepts:
        assert concept.en and concept.en_plain and concept.fr and concept.fr_plain, concept.key
        # an entry belongs to a concept by code, by the words of its display, or through a group's members
        assert concept.codes or concept.display or concept.members, concept.key
        assert not (concept.members and concept.codes), f"a group has no codes of its own: {concept.key}"
        for member in concept.members:
            assert cmap.get(member) is not None, f"{concept.key} names unknown member {member}"
        for code in concept.codes:
            assert code not in seen, f"{code} in {seen.get(code)} and {concept.key}"
            seen[code] = concept.key
        if concept.usual_range is not None:
            assert concept.usual_range.source  # every usual range names its guidance
            assert concept.usual_range.source_fr  # in both languages (one voice per language)
            assert concept.usual_range.describe("fr") != concept.usual_range.describe("en")
