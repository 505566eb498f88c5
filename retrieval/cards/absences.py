"""Cards for statements of absence ("no known food allergy"): searchable and citable, never an item."""

from __future__ import annotations

from fhir_client.absence import Absence
from retrieval.fhir_values import partial_date
from retrieval.model import Card

KIND_TYPES = {
    "allergies": "AllergyIntolerance",
    "medications": "MedicationStatement",
    "problems": "Condition",
    "immunizations": "Immunization",
    "procedures": "Procedure",
    "devices": "Device",
}


def absence_card(absence: Absence) -> Card:
    when = partial_date(absence.date) if absence.date else None
    text = (
        f"Statement of absence: the record states that there is {absence.en} "
        f'(written "{absence.display}"). This is not an item of the list.'
    )
    return Card(
        id=absence.ref,
        ref=absence.ref,
        kind="Absence",
        resource_type=absence.ref.split("/")[0],
        title=f"{absence.en} (statement)",
        text=text,
        refs=(absence.ref,),
        category=f"absence {absence.kind}",
        date=when.day if when else None,
        status=absence.meaning,
        extra={"semantic": f"statement {absence.en}", "kind": absence.kind, "fr": absence.fr},
        precision=when.precision if when else "day",
    )
