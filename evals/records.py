"""Where a case's patient comes from, and what identifies every other patient.

Cases name a shared Synthea file by its stem ("Josue_Sipes"), so the same case runs in process (the
Bundle file, with the case's ``record_patch`` merged in) and against a clinic API (where the sandbox
serves that patient under the uuid in the file name). The other patients' identifiers (names, ids,
phone numbers, street lines, SSN-like numbers) are what the PHI scorer looks for in replies.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from fhir_client import PatientRecord, load_bundle

__all__ = ["PatientDirectory", "PatientIdentity", "UnknownPatient", "patched_bundle"]

_FILE_RE = re.compile(
    r"^(?P<stem>.+)_(?P<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$"
)


class UnknownPatient(ValueError):
    """A case names a patient that is not in the data folder."""


@dataclass(frozen=True)
class PatientIdentity:
    """Strings that identify one patient; finding one in another patient's reply is a leak."""

    stem: str
    file: Path
    server_id: str  # the uuid in the file name: the sandbox's Patient id
    bundle_patient_id: str  # the Patient.id inside the file
    markers: tuple[str, ...] = ()
    resource_refs: frozenset[str] = field(default_factory=frozenset)


def _identity(stem: str, path: Path, server_id: str) -> PatientIdentity:
    data = json.loads(path.read_text(encoding="utf-8"))
    resources = [e["resource"] for e in data.get("entry", []) if isinstance(e.get("resource"), dict)]
    patient = next(r for r in resources if r.get("resourceType") == "Patient")
    markers: set[str] = {server_id, str(patient["id"])}
    for name in patient.get("name", []):
        given = " ".join(name.get("given", []))
        if given and name.get("family"):
            markers.add(f"{given} {name['family']}")
    for ident in patient.get("identifier", []):
        value = str(ident.get("value", ""))
        if len(value) >= 6:
            markers.add(value)
    for tel in patient.get("telecom", []):
        if tel.get("value"):
            markers.add(str(tel["value"]))
    for addr in patient.get("address", []):
        for line in addr.get("line", []):
            if len(line) >= 8:
                markers.add(str(line))
    refs = frozenset(f"{r['resourceType']}/{r['id']}" for r in resources if r.get("id"))
    return PatientIdentity(
        stem=stem,
        file=path,
        server_id=server_id,
        bundle_patient_id=str(patient["id"]),
        markers=tuple(sorted(markers)),
        resource_refs=refs,
    )


def patched_bundle(
    bundle: Mapping[str, Any], patch: Sequence[Mapping[str, Any]], patient_id: str
) -> dict[str, Any]:
    """A copy of ``bundle`` with ``patch`` resources added, each pointed at the patient when it names one.

    Patch resources may write ``{{patient}}`` as a reference; it becomes ``Patient/<id>`` so the same
    case file works for the file's id and the sandbox's id.
    """
    text = json.dumps(list(patch)).replace("{{patient}}", f"Patient/{patient_id}")
    extra = json.loads(text)
    copy = dict(bundle)
    copy["entry"] = [
        *bundle.get("entry", []),
        *({"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in extra),
    ]
    return copy


class PatientDirectory:
    """The shared Synthea patients of one data folder, by file stem."""

    def __init__(self, data_dir: str | Path) -> None:
        self.data_dir = Path(data_dir)
        self._files: dict[str, tuple[Path, str]] = {}
        if self.data_dir.is_dir():
            for path in sorted(self.data_dir.glob("*.json")):
                m = _FILE_RE.match(path.name)
                if m:
                    self._files[m["stem"]] = (path, m["uuid"])

    @property
    def stems(self) -> list[str]:
        return sorted(self._files)

    def path(self, stem: str) -> Path:
        try:
            return self._files[stem][0]
        except KeyError:
            known = ", ".join(self.stems) or f"none in {self.data_dir}"
            raise UnknownPatient(f"unknown patient {stem!r}; known: {known}") from None

    def server_id(self, patient: str) -> str:
        """The Patient id the sandbox (and so a clinic API over it) uses for this case patient."""
        if patient.startswith("fhir:"):
            return patient.removeprefix("fhir:")
        self.path(patient)
        return self._files[patient][1]

    @cached_property
    def identities(self) -> dict[str, PatientIdentity]:
        return {stem: _identity(stem, path, uuid) for stem, (path, uuid) in self._files.items()}

    def others(self, patient: str | None) -> list[PatientIdentity]:
        """Everyone but the case's patient: their identifiers must never appear in its replies."""
        own = patient
        if patient and patient.startswith("fhir:"):
            pid = patient.removeprefix("fhir:")
            own = next(
                (s for s, i in self.identities.items() if pid in (i.server_id, i.bundle_patient_id)), None
            )
        return [ident for stem, ident in self.identities.items() if stem != own]

    def bundle(self, stem: str, patch: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.path(stem).read_text(encoding="utf-8"))
        if not patch:
            return data
        return patched_bundle(data, patch, self.identities[stem].bundle_patient_id)

    def record(self, stem: str, patch: Sequence[Mapping[str, Any]] = ()) -> PatientRecord:
        return load_bundle(self.bundle(stem, patch), source=str(self.path(stem)))

    def write_patched(self, stem: str, patch: Sequence[Mapping[str, Any]], folder: Path) -> Path:
        """Write the patched bundle once per distinct patch (named by its hash) and return the path."""
        digest = hashlib.sha256(json.dumps(list(patch), sort_keys=True).encode()).hexdigest()[:12]
        out = folder / f"{stem}_{self.server_id(stem)}.{digest}.json"
        if not out.exists():
            folder.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(self.bundle(stem, patch)), encoding="utf-8")
        return out
