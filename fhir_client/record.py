"""The patient's own record as the rest of the project reads it.

Everything above ``fhir_client`` (retrieval, triage, the assistant) reads a ``PatientRecord`` and never
raw JSON, so a record loaded from a Bundle file and one loaded from a FHIR server look the same.
References inside resources are normalised to ``Type/id`` at load time (``urn:uuid:`` fullUrls resolved),
so ``record.get(ref)`` works on any reference a resource carries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.resource import Resource

from fhir_client.absence import Absence


@dataclass(frozen=True)
class LoadIssue:
    """One thing that went wrong while loading: which resource, which field, and why.

    ``severity`` is ``error`` when the resource was skipped, ``warning`` when it was kept but something
    in it could not be read as written (a reference that points at nothing in the record, a template
    placeholder left as a value), and ``note`` when it was read in a way worth saying (an id given to a
    resource that had none, "no known food allergy" read as a statement of absence).
    """

    resource_type: str | None
    resource_id: str | None
    field: str | None
    reason: str
    severity: str = "error"

    def describe(self) -> str:
        who = f"{self.resource_type or 'resource'}/{self.resource_id or '?'}"
        where = f" field '{self.field}'" if self.field else ""
        return f"{who}{where}: {self.reason}"

    def to_dict(self) -> dict[str, str | None]:
        return {
            "resource_type": self.resource_type,
            "resource_id": self.resource_id,
            "field": self.field,
            "reason": self.reason,
            "severity": self.severity,
        }


@dataclass
class PatientRecord:
    """A patient's record: their Patient resource, every other resource by type, and load issues.

    ``resources`` holds parsed ``fhir.resources.R4B`` models. The Patient is also in
    ``resources["Patient"]``. ``source`` says where it came from (a file path or ``fhir:<id>``).
    ``absences`` are the resources that state there is none of a kind ("no known food allergy"), by
    reference; ``not_items`` the ones marked entered-in-error or refuted (reason by reference). Both stay in
    ``resources`` so they can be cited, and readers must not list them as items (``is_item``).
    """

    patient: Patient
    resources: dict[str, list[Resource]] = field(default_factory=dict)
    issues: list[LoadIssue] = field(default_factory=list)
    source: str = ""
    seconds: float = 0.0
    notes: list[LoadIssue] = field(default_factory=list)
    absences: dict[str, Absence] = field(default_factory=dict)
    not_items: dict[str, str] = field(default_factory=dict)
    _by_ref: dict[str, Resource] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._reindex()

    def _reindex(self) -> None:
        self._by_ref = {}
        for rtype, items in self.resources.items():
            for res in items:
                if res.id:
                    self._by_ref[f"{rtype}/{res.id}"] = res

    @property
    def patient_id(self) -> str:
        return str(self.patient.id)

    @property
    def patient_ref(self) -> str:
        return f"Patient/{self.patient_id}"

    def of_type(self, resource_type: str) -> list[Resource]:
        return list(self.resources.get(resource_type, []))

    def get(self, reference: str) -> Resource | None:
        """Resolve ``Type/id`` (or a full URL ending in it) to the resource, or ``None``."""
        ref = reference.rstrip("/")
        if ref in self._by_ref:
            return self._by_ref[ref]
        parts = ref.split("/")
        if len(parts) >= 2:
            key = f"{parts[-2]}/{parts[-1]}"
            if key in self._by_ref:
                return self._by_ref[key]
            if len(parts) >= 4 and parts[-2] == "_history":
                return self._by_ref.get(f"{parts[-4]}/{parts[-3]}")
        return None

    def is_item(self, reference: str) -> bool:
        """False for statements of absence and for entries marked entered-in-error or refuted."""
        return reference not in self.absences and reference not in self.not_items

    def absences_of(self, kind: str) -> list[Absence]:
        return [a for a in self.absences.values() if a.kind == kind]

    def __contains__(self, reference: object) -> bool:
        return isinstance(reference, str) and self.get(reference) is not None

    def __iter__(self) -> Iterator[Resource]:
        for items in self.resources.values():
            yield from items

    def __len__(self) -> int:
        return sum(len(v) for v in self.resources.values())

    def counts(self) -> dict[str, int]:
        """Resources kept, by type, sorted by count (largest first) then name."""
        c = Counter({k: len(v) for k, v in self.resources.items() if v})
        return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def skipped(self) -> list[LoadIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[LoadIssue]:
        return [i for i in self.issues if i.severity != "error"]

    def summary(self) -> dict[str, Any]:
        """What ``health-assistant ingest --json`` prints: nothing is dropped without saying so."""
        return {
            "patient": self.patient_ref,
            "source": self.source,
            "total": len(self),
            "counts": self.counts(),
            "skipped": [i.to_dict() for i in self.skipped],
            "warnings": [i.to_dict() for i in self.warnings],
            "notes": [i.to_dict() for i in self.notes],
            "seconds": round(self.seconds, 3),
        }
