"""Statements of absence: "no known allergy", "no known medicines", "no current problems".

Real exports (International Patient Summary documents above all) write these as ordinary resources: an
AllergyIntolerance coded SNOMED CT 429625007 "No known food allergy", a MedicationStatement coded
"no-known-medications". Read as items, they turn "no known food allergy" into a food allergy and make a
patient with no medicines look like one with a medicine called "No known medications". The loader reads
them here, once, as what they are (``Absence``), so nothing above it can count them as items.

The codes and words are data (``data/absence.yaml``) with the public value sets they follow.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from fhir_client.yaml_data import load_yaml

ABSENCE_FILE = Path(__file__).parent / "data" / "absence.yaml"

AbsenceKind = Literal["allergies", "medications", "problems", "immunizations", "procedures", "devices"]
Meaning = Literal["absent", "unknown"]

# Which field names the thing an entry is about, per resource type.
CODE_FIELDS: dict[str, tuple[str, ...]] = {
    "AllergyIntolerance": ("code",),
    "Condition": ("code",),
    "MedicationStatement": ("medicationCodeableConcept",),
    "MedicationRequest": ("medicationCodeableConcept",),
    "MedicationAdministration": ("medicationCodeableConcept",),
    "MedicationDispense": ("medicationCodeableConcept",),
    "Immunization": ("vaccineCode",),
    "Procedure": ("code",),
    "Device": ("type",),
}
MEDICATION_TYPES = (
    "MedicationStatement",
    "MedicationRequest",
    "MedicationAdministration",
    "MedicationDispense",
)


@dataclass(frozen=True)
class Absence:
    """One statement that there is none of a kind (``absent``) or that nothing is known (``unknown``)."""

    ref: str  # the resource that says it ("AllergyIntolerance/…"): cited when the answer relies on it
    kind: AbsenceKind
    meaning: Meaning
    rule: str  # the id of the entry in absence.yaml that matched
    en: str
    fr: str
    display: str  # what the record wrote, kept as written
    date: str | None = None  # as the record wrote it (may be partial)

    def words(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@dataclass(frozen=True)
class _Rule:
    id: str
    kind: AbsenceKind
    meaning: Meaning
    en: str
    fr: str


@dataclass(frozen=True)
class AbsenceTable:
    by_code: Mapping[tuple[str, str], _Rule]
    patterns: tuple[tuple[re.Pattern[str], _Rule], ...]
    not_absence: frozenset[tuple[str, str]]

    @classmethod
    def load(cls, path: Path = ABSENCE_FILE) -> AbsenceTable:
        return _load(path)

    def classify(
        self, resource: Mapping[str, Any], resolve: Callable[[str], Mapping[str, Any] | None] = lambda _: None
    ) -> Absence | None:
        """The statement of absence this resource makes, or ``None`` when it is an ordinary item."""
        rtype = str(resource.get("resourceType") or "")
        concept = _concept_of(resource, rtype, resolve)
        if concept is None:
            return None
        codings = [c for c in concept.get("coding") or [] if isinstance(c, Mapping)]
        display = str(
            concept.get("text") or next((c.get("display") for c in codings if c.get("display")), "")
        )
        rule: _Rule | None = None
        coded = False
        for coding in codings:
            key = (str(coding.get("system") or ""), str(coding.get("code") or ""))
            if key[1]:
                coded = True
            if key in self.not_absence:
                return None
            rule = rule or self.by_code.get(key)
        if rule is None and not coded and display:
            folded = fold(display)
            rule = next((r for p, r in self.patterns if p.fullmatch(folded) and _fits(r.kind, rtype)), None)
        if rule is None:
            return None
        rid = resource.get("id")
        return Absence(
            ref=f"{rtype}/{rid}",
            kind=rule.kind,
            meaning=rule.meaning,
            rule=rule.id,
            en=rule.en,
            fr=rule.fr,
            display=display.strip(),
            date=_when(resource),
        )


def fold(text: str) -> str:
    """Lower case, no accents, single spaces, no edge punctuation: the form text patterns are written in."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def _fits(kind: str, rtype: str) -> bool:
    expected = {
        "allergies": ("AllergyIntolerance",),
        "medications": MEDICATION_TYPES,
        "problems": ("Condition",),
    }.get(kind)
    return expected is None or rtype in expected


def _concept_of(
    resource: Mapping[str, Any], rtype: str, resolve: Callable[[str], Mapping[str, Any] | None]
) -> Mapping[str, Any] | None:
    for field in CODE_FIELDS.get(rtype, ()):
        value = resource.get(field)
        if isinstance(value, Mapping):
            return value
    if rtype in MEDICATION_TYPES:
        ref = resource.get("medicationReference")
        target = (
            resolve(str(ref.get("reference"))) if isinstance(ref, Mapping) and ref.get("reference") else None
        )
        code = target.get("code") if isinstance(target, Mapping) else None
        return code if isinstance(code, Mapping) else None
    if rtype == "DeviceUseStatement":
        ref = resource.get("device")
        target = (
            resolve(str(ref.get("reference"))) if isinstance(ref, Mapping) and ref.get("reference") else None
        )
        code = target.get("type") if isinstance(target, Mapping) else None
        return code if isinstance(code, Mapping) else None
    return None


def _when(resource: Mapping[str, Any]) -> str | None:
    for key in (
        "recordedDate",
        "dateAsserted",
        "date",
        "authoredOn",
        "occurrenceDateTime",
        "performedDateTime",
    ):
        value = resource.get(key)
        if isinstance(value, str):
            return value
    return None


@lru_cache(maxsize=2)
def _load(path: Path) -> AbsenceTable:
    raw: dict[str, Any] = load_yaml(path.read_text(encoding="utf-8"))
    systems: dict[str, str] = raw.get("systems", {})

    def token(text: str) -> tuple[str, str]:
        alias, _, code = str(text).partition("|")
        return systems.get(alias, alias), code

    by_code: dict[tuple[str, str], _Rule] = {}
    for item in raw.get("statements", []):
        rule = _Rule(item["id"], item["kind"], item["meaning"], item["en"], item["fr"])
        for code in item["codes"]:
            key = token(code)
            if key in by_code:
                raise ValueError(f"{path.name}: code {code} is listed twice")
            by_code[key] = rule
    patterns = tuple(
        (
            re.compile(item["pattern"]),
            _Rule(f"text:{item['kind']}:{n}", item["kind"], item["meaning"], item["en"], item["fr"]),
        )
        for n, item in enumerate(raw.get("text_patterns", []))
    )
    not_absence = frozenset(token(c) for item in raw.get("not_absence", []) for c in item["codes"])
    return AbsenceTable(by_code=by_code, patterns=patterns, not_absence=not_absence)
