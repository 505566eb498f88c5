"""Typed views of server answers: ``fhir.resources.R4B`` models on demand.

The client returns plain JSON dicts (cheap, and what most callers pass on), and parses into R4B models
only when asked, so one odd field in a resource nobody reads does not fail a whole search. A resource
that does not validate raises ``FhirProtocolError`` naming the type, id and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast, overload

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from fhir_client.errors import FhirProtocolError

M = TypeVar("M", bound=Resource)


@overload
def parse_resource(data: Mapping[str, Any], model: type[M]) -> M: ...


@overload
def parse_resource(data: Mapping[str, Any], model: None = None) -> Resource: ...


def parse_resource(data: Mapping[str, Any], model: type[M] | None = None) -> M | Resource:
    """Validate ``data`` as ``model`` (or as the model its ``resourceType`` names)."""
    rtype = data.get("resourceType")
    rid = data.get("id")
    who = f"{rtype or 'resource'}/{rid or '?'}"
    if model is None:
        if not isinstance(rtype, str):
            raise FhirProtocolError(f"{who}: the server sent a resource without a resourceType")
        try:
            cls: type[Resource] = cast(type[Resource], get_fhir_model_class(rtype))
        except (KeyError, ValueError) as exc:
            raise FhirProtocolError(f"{who}: {rtype!r} is not a FHIR R4 resource type") from exc
    else:
        cls = model
        expected = getattr(model, "__resource_type__", None)
        if expected and rtype != expected:
            raise FhirProtocolError(f"{who}: expected a {expected}, the server sent a {rtype}")
    try:
        return cls.model_validate(dict(data))
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": str(exc)}
        field = ".".join(str(p) for p in first.get("loc", ()) if p != "__root__") or "?"
        raise FhirProtocolError(f"{who}: field '{field}' is not valid FHIR R4 ({first.get('msg')})") from exc


def to_json(resource: Mapping[str, Any] | Resource) -> dict[str, Any]:
    """FHIR JSON for a dict or an R4B model (models dump without empty fields, as FHIR requires)."""
    if isinstance(resource, Resource):
        dumped: dict[str, Any] = resource.model_dump(mode="json")
        return dumped
    if isinstance(resource, Mapping):
        return dict(resource)
    raise TypeError(f"expected a FHIR resource (dict or fhir.resources model), got {type(resource).__name__}")
