"""The Patient card: who the record is about (demographics the patient may ask about)."""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext
from retrieval.fhir_values import as_date, clean, concept_text, iso
from retrieval.model import Card

# HL7 v3 MaritalStatus codes, which some records carry without a display.
MARITAL = {"M": "married", "S": "never married", "D": "divorced", "W": "widowed", "L": "legally separated",
           "A": "annulled", "P": "polygamous", "T": "domestic partner", "U": "unmarried"}  # fmt: skip


def patient_card(res: Any, ctx: CardContext, last_date: Any) -> Card:
    ref = f"Patient/{res.id}"
    names = res.name or []
    full = ""
    for n in names:
        full = clean(" ".join([*(n.given or []), n.family or ""]))
        if full:
            break
    born = as_date(res.birthDate)
    died = as_date(getattr(res, "deceasedDateTime", None))
    parts = [f"About the patient: {full or 'name not recorded'}, {res.gender or 'gender not recorded'}."]
    parts.append(f"Born {iso(born)}.")
    if died:
        parts.append(f"Died {iso(died)}.")
    elif born and last_date:
        years = last_date.year - born.year - ((last_date.month, last_date.day) < (born.month, born.day))
        parts.append(f"Age {years} at the last record entry ({iso(last_date)}).")
    if res.maritalStatus is not None:
        marital = concept_text(res.maritalStatus)
        parts.append(f"Marital status: {MARITAL.get(marital, marital)}.")
    langs = [concept_text(c.language) for c in res.communication or [] if c.language is not None]
    if langs:
        parts.append(f"Language: {', '.join(langs)}.")
    for addr in (res.address or [])[:1]:
        where = ", ".join(x for x in [clean(addr.city), clean(addr.state), clean(addr.country)] if x)
        if where:
            parts.append(f"Lives in {where}.")
    return Card(
        id=ref,
        ref=ref,
        kind="Patient",
        resource_type="Patient",
        title=f"Patient {full}".strip(),
        text=" ".join(parts),
        refs=(ref,),
        category="demographics",
        date=born,
        status="deceased" if died else "living",
        extra={"semantic": "about the patient: name, age, birth date, gender, address"},
    )
