"""Load a patient's own record from a FHIR Bundle (file or already-decoded JSON).

Patients export their record as a Bundle: transaction and batch bundles (Synthea, many EHR exports),
collection bundles (IPS-style) and searchset pages (what a server returns). All four load the same way.

Loading never loses good data because of bad data: a resource that fails validation is reported
(type, id, field, reason) and skipped while the rest loads; a reference that points at nothing is kept
and reported as a warning. Only a file that is not a FHIR Bundle at all, or that holds no Patient, fails
as a whole (``RecordLoadError``), with a sentence a person can act on.

Shapes real exports have, and how they are read (each one is reported, never silently changed):
- resources without an ``id``: the entry's ``urn:uuid:`` fullUrl, else the id at the end of an absolute
  fullUrl, else a stable id made from the resource's content (``gen-…``) — so "Type/id" can be cited;
- absolute fullUrls and absolute references (``https://host/base/Type/id``) are rewritten to ``Type/id``
  when the resource is in the bundle; references to resources that are not are kept and reported;
- a required ``code`` that is missing (a DiagnosticReport from a converter) is kept with a
  data-absent-reason instead of dropping the resource and its results;
- template placeholders left as values (``{entry.value}``) are reported (readers show them as no value);
- statements of absence ("no known food allergy") are read as such (``fhir_client.absence``), and entries
  marked entered-in-error are kept out of the items, both reported as notes.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from fhir_client.absence import AbsenceTable
from fhir_client.errors import RecordLoadError
from fhir_client.placeholders import is_placeholder
from fhir_client.record import LoadIssue, PatientRecord

BUNDLE_TYPES = {"transaction", "batch", "collection", "searchset", "document", "history", "message"}

# Where a resource names the patient it is about. Used to keep another patient's data out of a record.
PATIENT_FIELDS = ("subject", "patient", "beneficiary", "individual")
# A relative literal reference: "Observation/abc" (optionally with a version).
_RELATIVE = re.compile(r"^([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[A-Za-z0-9\-.]+)?$")
# An absolute one: "https://host/fhir/Observation/abc".
_ABSOLUTE = re.compile(r"^https?://.+/([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[A-Za-z0-9\-.]+)?$")
# Required fields a converter sometimes leaves out, kept with a data-absent-reason rather than dropped.
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
REPAIRABLE = {"code"}
# Verification statuses that say an entry is not a real item.
NOT_ITEMS = {"entered-in-error": "entered in error", "refuted": "ruled out (refuted)"}


def load_bundle_file(path: str | Path, *, patient_id: str | None = None) -> PatientRecord:
    """Read a Bundle JSON file from disk and return the patient's record.

    ``patient_id`` picks the patient when a bundle holds several; otherwise exactly one is expected.
    """
    p = Path(path)
    started = time.perf_counter()
    if not p.exists():
        raise RecordLoadError(f"no such file: {p}")
    if p.is_dir():
        raise RecordLoadError(f"{p} is a folder; give the path of one Bundle JSON file")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise RecordLoadError(f"cannot read {p}: {exc.strerror}") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise RecordLoadError(
            f"{p.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "is the file complete?"
        ) from exc
    except UnicodeDecodeError as exc:
        raise RecordLoadError(f"{p.name} is not UTF-8 text; export the record as FHIR JSON") from exc
    record = load_bundle(data, source=str(p), patient_id=patient_id)
    record.seconds = time.perf_counter() - started
    return record


def load_bundle(data: Any, *, source: str = "<bundle>", patient_id: str | None = None) -> PatientRecord:
    """Build a ``PatientRecord`` from decoded Bundle JSON (or a single Patient resource)."""
    started = time.perf_counter()
    if not isinstance(data, Mapping):
        raise RecordLoadError(f"{source}: expected a FHIR Bundle object, found a JSON {type(data).__name__}")
    rtype = data.get("resourceType")
    pre_issues: list[LoadIssue] = []
    if rtype == "Patient":
        raw_resources: list[tuple[str | None, dict[str, Any]]] = [(None, dict(data))]
    elif rtype == "Bundle":
        btype = data.get("type")
        if btype not in BUNDLE_TYPES:
            raise RecordLoadError(f"{source}: Bundle.type {btype!r} is not a bundle type this loader reads")
        entries = data.get("entry") or []
        if not isinstance(entries, list):
            raise RecordLoadError(f"{source}: Bundle.entry is a JSON {type(entries).__name__}, not a list")
        raw_resources = []
        for i, entry in enumerate(entries):
            where = f"entry[{i}]"
            if not isinstance(entry, Mapping):
                pre_issues.append(LoadIssue(None, None, where, "entry is not a JSON object; skipped"))
                continue
            resource = entry.get("resource")
            if resource is None:
                continue  # entries without a resource (e.g. DELETE requests) carry no data
            if not isinstance(resource, Mapping):
                pre_issues.append(
                    LoadIssue(None, None, f"{where}.resource", "resource is not a JSON object; skipped")
                )
                continue
            search = entry.get("search")
            if isinstance(search, Mapping) and search.get("mode") == "outcome":
                pre_issues.append(
                    LoadIssue(
                        str(resource.get("resourceType") or "OperationOutcome"),
                        resource.get("id") if isinstance(resource.get("id"), str) else None,
                        where,
                        "a message from the server about the search (search mode 'outcome'), not record data",
                        "note",
                    )
                )
                continue
            full_url = entry.get("fullUrl")
            raw_resources.append((full_url if isinstance(full_url, str) else None, dict(resource)))
    elif rtype is None:
        raise RecordLoadError(f"{source}: not a FHIR resource (no resourceType); expected a Bundle")
    else:
        raise RecordLoadError(
            f"{source}: resourceType is {rtype!r}; expected a Bundle of the patient's record"
        )
    return build_record(
        raw_resources, source=source, patient_id=patient_id, started=started, issues=pre_issues
    )


def build_record(
    raw_resources: Iterable[tuple[str | None, dict[str, Any]]],
    *,
    source: str,
    patient_id: str | None = None,
    started: float | None = None,
    issues: Iterable[LoadIssue] = (),
) -> PatientRecord:
    """Resolve references, parse with R4B models, keep one patient's data, report the rest.

    Shared by the file loader and the server loader so both behave identically. ``issues`` are problems
    the caller already found (entries that were not objects…); they head the record's list. The input
    dicts are not modified.
    """
    started = time.perf_counter() if started is None else started
    issues = list(issues)
    items = [(url, dict(res)) for url, res in raw_resources]

    # 1. Give every resource an id and map fullUrls (urn:uuid:… or absolute URLs) to Type/id.
    url_map: dict[str, str] = {}
    known: set[str] = set()
    for full_url, res in items:
        rtype = res.get("resourceType")
        if not isinstance(rtype, str):
            continue
        if not res.get("id"):
            new_id, how = _id_for(rtype, full_url, res)
            res["id"] = new_id
            issues.append(LoadIssue(rtype, new_id, "id", f"no id; {how}", "note"))
        rid = res.get("id")
        if isinstance(rid, str):
            known.add(f"{rtype}/{rid}")
            if isinstance(full_url, str):
                url_map[full_url] = f"{rtype}/{rid}"

    # 2. Parse each resource; a bad one is reported and skipped.
    parsed: list[tuple[Resource, dict[str, Any]]] = []
    seen: set[str] = set()
    for _full_url, original in items:
        rtype = original.get("resourceType")
        rid = original.get("id") if isinstance(original.get("id"), str) else None
        if not isinstance(rtype, str) or not rtype:
            issues.append(LoadIssue(None, rid, "resourceType", "missing resourceType; entry skipped"))
            continue
        if rid is not None:
            key = f"{rtype}/{rid}"
            if key in seen:
                issues.append(
                    LoadIssue(rtype, rid, None, "appears more than once; the first copy is kept", "warning")
                )
                continue
            seen.add(key)
        walk = _Walk(url_map, known)
        res = walk.copy(original)
        for field_path, ref in walk.dangling:
            issues.append(
                LoadIssue(
                    rtype, rid, field_path, f"reference {ref} points at nothing in the bundle", "warning"
                )
            )
        for field_path, text in walk.placeholders:
            issues.append(
                LoadIssue(
                    rtype,
                    rid,
                    field_path,
                    f"template placeholder {text!r} left as a value by the exporting system; not read as data",
                    "warning",
                )
            )
        try:
            model_cls = get_fhir_model_class(rtype)
        except (KeyError, ValueError):
            issues.append(LoadIssue(rtype, rid, "resourceType", f"{rtype!r} is not a FHIR R4 resource type"))
            continue
        try:
            model = model_cls.model_validate(res)
        except ValidationError as exc:
            repaired = _repair(res, exc)
            if repaired is None:
                issues.append(_issue_from_validation(rtype, rid, exc))
                continue
            try:
                model = model_cls.model_validate(repaired)
            except ValidationError as again:
                issues.append(_issue_from_validation(rtype, rid, again))
                continue
            missing = ", ".join(sorted(set(repaired) - set(res)))
            issues.append(
                LoadIssue(
                    rtype,
                    rid,
                    missing,
                    f"required field '{missing}' is missing; kept with the name marked as not recorded",
                    "warning",
                )
            )
            res = repaired
        except (TypeError, ValueError) as exc:
            issues.append(LoadIssue(rtype, rid, None, f"invalid resource: {exc}"))
            continue
        parsed.append((cast(Resource, model), res))

    # 3. Find the patient this record is about.
    patients = [m for m, _ in parsed if m.__resource_type__ == "Patient"]
    if patient_id is not None:
        chosen = [p for p in patients if p.id == patient_id or _has_identifier(p, patient_id)]
        if not chosen:
            raise RecordLoadError(f"{source}: no Patient with id {patient_id!r} in this bundle")
        patient = chosen[0]
    elif len(patients) == 1:
        patient = patients[0]
    elif not patients:
        bad_patient = [i for i in issues if i.resource_type == "Patient"]
        hint = f" (the Patient was invalid: {bad_patient[0].describe()})" if bad_patient else ""
        raise RecordLoadError(f"{source}: the bundle holds no valid Patient resource{hint}")
    else:
        ids = ", ".join(str(p.id) for p in patients[:5])
        raise RecordLoadError(
            f"{source}: the bundle holds {len(patients)} patients ({ids}); choose one with its id"
        )
    own_ref = f"Patient/{patient.id}"

    # 4. Keep only what belongs to this patient (or to nobody in particular, e.g. Practitioner).
    resources: dict[str, list[Resource]] = {}
    kept_json: dict[str, dict[str, Any]] = {}
    for model, res in parsed:
        rtype = model.__resource_type__
        if rtype == "Patient" and model is not patient:
            issues.append(
                LoadIssue(
                    rtype, model.id, None, "another patient in the same bundle; not part of this record"
                )
            )
            continue
        owner_field, owners = _owners(res)
        if owners and own_ref not in owners:
            others = ", ".join(sorted(owners))
            issues.append(
                LoadIssue(rtype, model.id, owner_field, f"belongs to {others}, not {own_ref}; not loaded")
            )
            continue
        resources.setdefault(rtype, []).append(model)
        kept_json[f"{rtype}/{model.id}"] = res

    # 5. Statements of absence and entries that are not real items: kept (they can be cited), read as such.
    table = AbsenceTable.load()
    absences = {}
    excluded: dict[str, str] = {}
    for ref, res in kept_json.items():
        found = table.classify(res, lambda r: kept_json.get(_local(r)))
        if found is not None:
            absences[ref] = found
            rtype, _, rid = ref.partition("/")
            issues.append(
                LoadIssue(
                    rtype,
                    rid,
                    "code",
                    f"read as a statement that there is {found.en} (rule {found.rule}), not as an item",
                    "note",
                )
            )
            continue
        verification = _status_code(res.get("verificationStatus"))
        if verification in NOT_ITEMS:
            rtype, _, rid = ref.partition("/")
            excluded[ref] = NOT_ITEMS[verification]
            issues.append(
                LoadIssue(
                    rtype,
                    rid,
                    "verificationStatus",
                    f"marked {NOT_ITEMS[verification]}; kept out of the lists",
                    "note",
                )
            )

    notes = [i for i in issues if i.severity == "note"]
    record = PatientRecord(
        patient=cast(Patient, patient),
        resources=resources,
        issues=[i for i in issues if i.severity != "note"],
        notes=notes,
        source=source,
        absences=absences,
        not_items=excluded,
    )
    record.seconds = time.perf_counter() - started
    return record


def _id_for(rtype: str, full_url: str | None, res: Mapping[str, Any]) -> tuple[str, str]:
    """An id for a resource that has none, and how it was found (for the load report)."""
    if isinstance(full_url, str) and full_url.startswith("urn:uuid:"):
        return full_url.removeprefix("urn:uuid:"), "given the uuid of its entry's fullUrl"
    if isinstance(full_url, str):
        m = _ABSOLUTE.match(full_url)
        if m and m.group(1) == rtype:
            return m.group(2), "given the id at the end of its entry's fullUrl"
    digest = hashlib.sha1(json.dumps(res, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]
    return f"gen-{digest}", "given a stable id made from its content"


def _local(reference: str) -> str:
    """ "https://host/base/Medication/x" or "Medication/x/_history/2" → "Medication/x"."""
    m = _ABSOLUTE.match(reference) or _RELATIVE.match(reference)
    return f"{m.group(1)}/{m.group(2)}" if m else reference


def _status_code(concept: Any) -> str | None:
    if not isinstance(concept, Mapping):
        return None
    for coding in concept.get("coding") or []:
        if isinstance(coding, Mapping) and coding.get("code"):
            return str(coding["code"])
    return None


def _repair(res: dict[str, Any], exc: ValidationError) -> dict[str, Any] | None:
    """A copy with missing required names marked as not recorded, when that is the only problem."""
    errors = exc.errors()
    fields = {str(e["loc"][0]) for e in errors if e.get("type") == "missing" and len(e.get("loc", ())) == 1}
    if not errors or len(fields) != len(errors) or not fields <= REPAIRABLE:
        return None
    fixed = dict(res)
    for name in fields:
        fixed[name] = {"extension": [{"url": DATA_ABSENT, "valueCode": "unknown"}]}
    return fixed


class _Walk:
    """Copies a resource's JSON with its references normalised, noting dangling ones and placeholders.

    Copies rather than edits in place, so the caller's JSON stays as it was given.
    """

    def __init__(self, url_map: Mapping[str, str], known: set[str]) -> None:
        self.url_map = url_map
        self.known = known
        self.dangling: list[tuple[str, str]] = []
        self.placeholders: list[tuple[str, str]] = []

    def copy(self, node: Any, path: str = "") -> Any:
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for key, value in node.items():
                here = f"{path}.{key}" if path else key
                if key == "reference" and isinstance(value, str):
                    out[key] = self._reference(value, path or key)
                elif key == "div" or key == "data":
                    out[key] = value  # narrative XHTML and attachments: not data to check here
                elif isinstance(value, dict | list):
                    out[key] = self.copy(value, here)
                else:
                    if key not in ("unit", "code", "system") and is_placeholder(value):
                        self.placeholders.append((here, str(value)))
                    out[key] = value
            return out
        if isinstance(node, list):
            return [self.copy(value, f"{path}[{i}]") for i, value in enumerate(node)]
        return node

    def _reference(self, value: str, where: str) -> str:
        if value in self.url_map:
            return self.url_map[value]
        if value.startswith(("urn:uuid:", "urn:oid:")):
            self.dangling.append((where, value))
            return value
        absolute = _ABSOLUTE.match(value)
        if absolute:
            local = f"{absolute.group(1)}/{absolute.group(2)}"
            if local in self.known:
                return local
            self.dangling.append((where, value))
            return value
        relative = _RELATIVE.match(value)
        if relative and f"{relative.group(1)}/{relative.group(2)}" not in self.known:
            self.dangling.append((where, value))
        return value


def _owners(res: Mapping[str, Any]) -> tuple[str, set[str]]:
    """The field naming whom a resource is about, and the Patient references found there."""
    for fname in PATIENT_FIELDS:
        value = res.get(fname)
        if isinstance(value, Mapping):
            ref = value.get("reference")
            if isinstance(ref, str) and ref.startswith("Patient/"):
                return fname, {ref.split("/_history")[0]}
    # Appointments name their patient among the participants (next to practitioners and rooms).
    found: set[str] = set()
    for participant in res.get("participant") or []:
        actor = participant.get("actor") if isinstance(participant, Mapping) else None
        ref = actor.get("reference") if isinstance(actor, Mapping) else None
        if isinstance(ref, str) and ref.startswith("Patient/"):
            found.add(ref.split("/_history")[0])
    return "participant.actor", found


def _has_identifier(patient: Resource, value: str) -> bool:
    return any(getattr(i, "value", None) == value for i in (getattr(patient, "identifier", None) or []))


def _issue_from_validation(rtype: str, rid: str | None, exc: ValidationError) -> LoadIssue:
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": str(exc)}
    loc = ".".join(str(p) for p in first.get("loc", ()) if p != "__root__")
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    bad = first.get("input")
    shown = f"{bad!r} is not valid: " if isinstance(bad, str | int | float) and len(str(bad)) <= 60 else ""
    return LoadIssue(rtype, rid, loc or None, f"{shown}{first.get('msg', 'invalid')}{more}; resource skipped")
