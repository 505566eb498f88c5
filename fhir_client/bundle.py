"""Load a patient's own record from a FHIR Bundle (file or already-decoded JSON).

Patients export their record as a Bundle: transaction and batch bundles (Synthea, many EHR exports),
collection bundles (IPS-style) and searchset pages (what a server returns). All four load the same way.

Loading never loses good data because of bad data: a resource that fails validation is reported
(type, id, field, reason) and skipped while the rest loads; a reference that points at nothing is kept
and reported as a warning. Only a file that is not a FHIR Bundle at all, or that holds no Patient, fails
as a whole (``RecordLoadError``), with a sentence a person can act on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from fhir_client.errors import RecordLoadError
from fhir_client.record import LoadIssue, PatientRecord

BUNDLE_TYPES = {"transaction", "batch", "collection", "searchset", "document", "history", "message"}

# Where a resource names the patient it is about. Used to keep another patient's data out of a record.
PATIENT_FIELDS = ("subject", "patient", "beneficiary", "individual")


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
    for full_url, res in items:
        rtype = res.get("resourceType")
        if not isinstance(rtype, str):
            continue
        if not res.get("id") and isinstance(full_url, str) and full_url.startswith("urn:uuid:"):
            res["id"] = full_url.removeprefix("urn:uuid:")
        rid = res.get("id")
        if isinstance(full_url, str) and rid:
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
        res, dangling = _rewrite_references(original, url_map)
        for field_path, ref in dangling:
            issues.append(
                LoadIssue(
                    rtype, rid, field_path, f"reference {ref} points at nothing in the bundle", "warning"
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
            issues.append(_issue_from_validation(rtype, rid, exc))
            continue
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

    record = PatientRecord(patient=cast(Patient, patient), resources=resources, issues=issues, source=source)
    record.seconds = time.perf_counter() - started
    return record


def _rewrite_references(
    node: Any, url_map: Mapping[str, str], path: str = ""
) -> tuple[Any, list[tuple[str, str]]]:
    """A copy of ``node`` with fullUrl references replaced by ``Type/id``, and the urn refs left dangling.

    Copies rather than edits in place, so the caller's JSON stays as it was given.
    """
    dangling: list[tuple[str, str]] = []
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            here = f"{path}.{key}" if path else key
            if key == "reference" and isinstance(value, str):
                if value in url_map:
                    value = url_map[value]
                elif value.startswith(("urn:uuid:", "urn:oid:")):
                    dangling.append((path or key, value))
                out[key] = value
            elif isinstance(value, dict | list):
                out[key], more = _rewrite_references(value, url_map, here)
                dangling.extend(more)
            else:
                out[key] = value
        return out, dangling
    if isinstance(node, list):
        items = []
        for i, value in enumerate(node):
            new, more = _rewrite_references(value, url_map, f"{path}[{i}]")
            items.append(new)
            dangling.extend(more)
        return items, dangling
    return node, dangling


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
