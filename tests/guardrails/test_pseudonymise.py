"""PHI pseudonymiser: no identifier of any shared Synthea patient survives in what a remote model would
be sent, placeholders are consistent, and restore(mask(x)) == x."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.guardrails._text import strip_accents
from assistant.guardrails.pseudonymise import PLACEHOLDER_PATTERN, Pseudonymiser
from fhir_client import PatientRecord, load_bundle_file
from retrieval import build_cards

DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"
BUNDLES = sorted(DATA.glob("*.json"))
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def records() -> dict[str, PatientRecord]:
    return {path.name: load_bundle_file(path) for path in BUNDLES}


def demographics_text(patient: Any) -> str:
    """Patient demographics as a backend could be sent them, in several spellings."""
    born: date = patient.birthDate
    lines = []
    for name in patient.name or []:
        given = " ".join(name.given or [])
        lines.append(f"Name: {given} {name.family}; filed as {str(name.family).upper()}, {given}.")
        lines.append(f"Synthea style: {given}544 {name.family}957.")
    for telecom in patient.telecom or []:
        digits = re.sub(r"\D", "", telecom.value)
        lines.append(f"Phone: {telecom.value} (also ({digits[:3]}) {digits[3:6]}-{digits[6:]}).")
    for address in patient.address or []:
        lines.append(
            f"Address: {', '.join(address.line or [])}, {address.city}, {address.state} {address.postalCode}."
        )
    for identifier in patient.identifier or []:
        lines.append(f"Identifier ({identifier.system}): {identifier.value}")
    lines.append(f"Patient id: {patient.id}")
    lines.append(
        f"Born {born.isoformat()}, i.e. {born:%d %B %Y}, {born:%B} {born.day}, {born.year}, {born:%m/%d/%Y}."
    )
    for ext in patient.extension or []:
        if ext.url.endswith("patient-mothersMaidenName"):
            lines.append(f"Mother's maiden name: {ext.valueString}")
    return "\n".join(lines)


def identifiers_of(patient: Any) -> dict[str, list[str]]:
    born: date = patient.birthDate
    found: dict[str, list[str]] = {
        "names": [],
        "phones": [t.value for t in patient.telecom or []],
        "address": [line for a in patient.address or [] for line in a.line or []]
        + [a.postalCode for a in patient.address or []]
        + [a.city for a in patient.address or []],
        "identifiers": [i.value for i in patient.identifier or []] + [patient.id],
        "birth": [
            born.isoformat(),
            f"{born:%d %B %Y}",
            f"{born:%m/%d/%Y}",
            f"{born:%B} {born.day}, {born.year}",
        ],
    }
    for name in patient.name or []:
        found["names"].extend([*(name.given or []), name.family])
    for ext in patient.extension or []:
        if ext.url.endswith("patient-mothersMaidenName"):
            found["names"].extend(ext.valueString.split())
    return found


def survives(value: str, text: str) -> bool:
    """Is ``value`` still readable in ``text`` (case and accents ignored, whole words)?"""
    needle = re.escape(strip_accents(value).lower())
    return re.search(rf"(?<![a-z0-9]){needle}(?![a-z])", strip_accents(text).lower()) is not None


@pytest.mark.parametrize("bundle", BUNDLES, ids=lambda p: p.name.split("_")[0])
def test_no_identifier_of_a_shared_patient_survives_in_what_a_backend_is_sent(
    bundle: Path, records: dict[str, PatientRecord]
) -> None:
    record = records[bundle.name]
    context = demographics_text(record.patient) + "\n" + "\n".join(card.text for card in build_cards(record))
    ps = Pseudonymiser.from_record(record, today=TODAY)
    masked = ps.mask(context)
    leaks = {
        kind: [value for value in values if value and survives(value, masked)]
        for kind, values in identifiers_of(record.patient).items()
    }
    assert leaks == {kind: [] for kind in leaks}
    phone_digits = {re.sub(r"\D", "", t.value) for t in record.patient.telecom or []}
    assert not any(digits in re.sub(r"[\s().-]", "", masked) for digits in phone_digits)
    assert ps.restore(masked) == context
    # The clinical content is still there for the model to read.
    assert "LOINC" in masked and "[PATIENT_NAME_1]" in masked


def test_placeholders_are_consistent_across_texts_and_keep_the_birth_year(
    records: dict[str, PatientRecord],
) -> None:
    record = next(r for name, r in records.items() if name.startswith("Josue_Sipes"))
    ps = Pseudonymiser.from_record(record, today=TODAY)
    first = ps.mask("Hello Josue Sipes, born 1956-03-10.")
    second = ps.mask("Sipes, Josue: call 555-414-7225 or (555) 414 7225.")
    assert first == "Hello [PATIENT_NAME_1] [PATIENT_NAME_2], born [BIRTH_DATE_1 (1956)]."
    assert second.startswith("[PATIENT_NAME_2], [PATIENT_NAME_1]: call [PHONE_1] or [PHONE_2].")
    reply = "Hello [PATIENT_NAME_1]! Your record shows [BIRTH_DATE_1 (1956)]. Call [PHONE_1]."
    assert ps.restore(reply) == "Hello Josue! Your record shows 1956-03-10. Call 555-414-7225."
    assert ps.restore("[BIRTH_DATE_1]") == "1956-03-10"  # the model may drop the hint


def test_digit_suffixed_and_accented_synthea_names_are_masked(records: dict[str, PatientRecord]) -> None:
    record = next(r for name, r in records.items() if name.startswith("Josue_Sipes"))
    ps = Pseudonymiser.from_record(record, today=TODAY)
    masked = ps.mask("Josué544 Sipes957 and JOSUE SIPES and josue")
    assert not re.search(r"(?i)jos|sipes", masked)


def test_people_over_89_get_an_age_band_not_a_birth_year(records: dict[str, PatientRecord]) -> None:
    record = next(r for name, r in records.items() if name.startswith("Annmarie_Doyle"))
    masked = Pseudonymiser.from_record(record, today=TODAY).mask("DOB 1934-04-09")
    assert masked == "DOB [BIRTH_DATE_1 (90+ years old)]"


def test_clinicians_and_organisations_are_masked_too(records: dict[str, PatientRecord]) -> None:
    record = next(r for name, r in records.items() if name.startswith("Josue_Sipes"))
    masked = Pseudonymiser.from_record(record, today=TODAY).mask(
        "Seen by Dr. Jonah Schroeder at MORTON HOSPITAL, 88 Washington Street."
    )
    assert "Schroeder" not in masked and "MORTON" not in masked and "Washington" not in masked
    assert masked.startswith("Seen by Dr. [CLINICIAN_NAME_")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("email me at jane.doe@example.org please", "EMAIL"),
        ("mon numéro : 06 12 34 56 78", "PHONE"),
        ("call +33 6 12 34 56 78", "PHONE"),
        ("US phone (617) 555-0199", "PHONE"),
        ("SSN 123-45-6789", "IDENTIFIER"),
        ("mon NIR est 1 85 05 78 006 084 36", "IDENTIFIER"),
        ("MRN: A1234567", "IDENTIFIER"),
        ("numéro de sécurité sociale 285057800608436", "IDENTIFIER"),
        ("I was born on 3 March 1961", "BIRTH_DATE"),
        ("née le 12/05/1990", "BIRTH_DATE"),
        ("date of birth: 1975-11-02", "BIRTH_DATE"),
    ],
)
def test_generic_detection_in_free_text_without_a_record(text: str, kind: str) -> None:
    ps = Pseudonymiser.from_record(None)
    masked = ps.mask(text)
    assert f"[{kind}_1" in masked
    assert not re.search(r"\d{4}", PLACEHOLDER_PATTERN.sub("", masked))
    assert ps.restore(masked) == text


@pytest.mark.parametrize(
    "text",
    [
        "Your HbA1c was 7.2 % on 2020-03-01 [1].",
        "Blood pressure 140/90 mmHg, weight 82.5 kg, glucose 105 mg/dL.",
        "SNOMED CT 428191000124101; RxNorm 860975; LOINC 4548-4",
        "Appelez le 15 ou le 112, ou le 3114.",
        "Votre tension était de 13/8 le 12 mars 2021.",
    ],
)
def test_clinical_values_codes_and_emergency_numbers_are_not_masked(text: str) -> None:
    assert Pseudonymiser.from_record(None).mask(text) == text


def test_a_literal_placeholder_in_the_input_cannot_be_restored_into_someone_else() -> None:
    ps = Pseudonymiser.from_record(None)
    masked = ps.mask("Jane <jane@example.org> wrote [EMAIL_1] and [PATIENT_NAME_1]")
    assert ps.restore(masked) == "Jane <jane@example.org> wrote [EMAIL_1] and [PATIENT_NAME_1]"
    assert ps.unknown_placeholders("Hi [PATIENT_NAME_7]") == ["[PATIENT_NAME_7]"]


_RECORD = load_bundle_file(next(DATA.glob("Josue_Sipes_*.json")))
_PIECES = [
    "Josue",
    "Sipes",
    "555-414-7225",
    "562 Cremin Center",
    "Middleborough",
    "02346",
    "999-47-6219",
    "S99958237",
    "X72696626X",
    "1956-03-10",
    "10 March 1956",
    "Dr. Jonah Schroeder",
    "HbA1c 7.2 %",
    "[PATIENT_NAME_1]",
    "jane@example.org",
    "06 12 34 56 78",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_PIECES), st.text(alphabet=st.characters(codec="utf-8"), max_size=12)),
        max_size=12,
    ),
    st.sampled_from([" ", ", ", "\n", ": ", ""]),
)
def test_restore_inverts_mask(parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    ps = Pseudonymiser.from_record(_RECORD, today=TODAY)
    masked = ps.mask(text)
    assert ps.restore(masked) == text
    assert ps.mask(text) == masked  # consistent: the same text masks the same way twice


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(_PIECES[:12]), min_size=1, max_size=6))
def test_record_identifiers_never_survive_masking(parts: list[str]) -> None:
    masked = Pseudonymiser.from_record(_RECORD, today=TODAY).mask(" and ".join(parts))
    for secret in (
        "Sipes",
        "Josue",
        "414-7225",
        "Cremin",
        "Middleborough",
        "02346",
        "6219",
        "S99958237",
        "1956-03-10",
    ):
        assert secret not in masked
