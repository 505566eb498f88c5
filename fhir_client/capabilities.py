"""What a FHIR server says it can do, read from its CapabilityStatement (``GET /metadata``).

Servers differ: Medplum has no ``$everything`` and ignores unknown search parameters (they match
nothing, silently), other servers lack ``PATCH`` or ``$book``. Callers ask ``supports()``,
``search_params()`` or ``has_operation()`` before relying on one, instead of finding out from a wrong
answer. The client caches one ``ServerCapabilities`` per client.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fhir_client.errors import FhirProtocolError


def _op_name(name: str) -> str:
    return name.lstrip("$")


@dataclass(frozen=True)
class ResourceCapabilities:
    """What the server supports for one resource type."""

    type: str
    interactions: frozenset[str] = frozenset()
    search_params: Mapping[str, str] = field(default_factory=dict)  # name → FHIR search param type
    operations: frozenset[str] = frozenset()  # without the leading "$"
    conditional_create: bool = False
    conditional_update: bool = False
    versioning: str | None = None


@dataclass(frozen=True)
class ServerCapabilities:
    fhir_version: str | None
    software: str | None
    formats: frozenset[str]
    resources: Mapping[str, ResourceCapabilities]
    system_interactions: frozenset[str]
    system_operations: frozenset[str]
    system_search_params: Mapping[str, str]
    raw: Mapping[str, Any] = field(repr=False, default_factory=dict)

    @classmethod
    def from_json(cls, statement: Any) -> ServerCapabilities:
        if not isinstance(statement, Mapping) or statement.get("resourceType") != "CapabilityStatement":
            found = (
                statement.get("resourceType") if isinstance(statement, Mapping) else type(statement).__name__
            )
            raise FhirProtocolError(f"/metadata did not return a CapabilityStatement (got {found!r})")
        resources: dict[str, ResourceCapabilities] = {}
        sys_interactions: set[str] = set()
        sys_ops: set[str] = set()
        sys_params: dict[str, str] = {}
        for rest in statement.get("rest") or []:
            if not isinstance(rest, Mapping) or rest.get("mode", "server") != "server":
                continue
            sys_interactions.update(_codes(rest.get("interaction")))
            sys_ops.update(_operations(rest.get("operation")))
            sys_params.update(_search_params(rest.get("searchParam")))
            for res in rest.get("resource") or []:
                if not isinstance(res, Mapping) or not isinstance(res.get("type"), str):
                    continue
                rtype = res["type"]
                prior = resources.get(rtype)
                rc = ResourceCapabilities(
                    type=rtype,
                    interactions=frozenset(_codes(res.get("interaction"))),
                    search_params=_search_params(res.get("searchParam")),
                    operations=frozenset(_operations(res.get("operation"))),
                    conditional_create=bool(res.get("conditionalCreate")),
                    conditional_update=bool(res.get("conditionalUpdate")),
                    versioning=res.get("versioning") if isinstance(res.get("versioning"), str) else None,
                )
                if prior is not None:  # a type listed twice: union what both entries say
                    rc = ResourceCapabilities(
                        type=rtype,
                        interactions=prior.interactions | rc.interactions,
                        search_params={**prior.search_params, **rc.search_params},
                        operations=prior.operations | rc.operations,
                        conditional_create=prior.conditional_create or rc.conditional_create,
                        conditional_update=prior.conditional_update or rc.conditional_update,
                        versioning=prior.versioning or rc.versioning,
                    )
                resources[rtype] = rc
        software = statement.get("software")
        return cls(
            fhir_version=statement.get("fhirVersion")
            if isinstance(statement.get("fhirVersion"), str)
            else None,
            software=software.get("name") if isinstance(software, Mapping) else None,
            formats=frozenset(f for f in statement.get("format") or [] if isinstance(f, str)),
            resources=resources,
            system_interactions=frozenset(sys_interactions),
            system_operations=frozenset(sys_ops),
            system_search_params=sys_params,
            raw=statement,
        )

    @property
    def resource_types(self) -> frozenset[str]:
        return frozenset(self.resources)

    def supports(self, resource_type: str, interaction: str) -> bool:
        """``supports("Slot", "update")``; system interactions (``transaction``) with type ``"system"``."""
        if resource_type == "system":
            return interaction in self.system_interactions
        rc = self.resources.get(resource_type)
        return rc is not None and interaction in rc.interactions

    def search_params(self, resource_type: str) -> frozenset[str]:
        """Search parameter names for a type, including the ones every type has (``_id`` …)."""
        rc = self.resources.get(resource_type)
        own = set(rc.search_params) if rc else set()
        return frozenset(own | set(self.system_search_params))

    def supports_search_param(self, resource_type: str, name: str) -> bool:
        base = name.split(":", 1)[0]
        return base in self.search_params(resource_type)

    def has_operation(self, name: str, type: str | None = None) -> bool:
        """``has_operation("$everything", "Patient")``; without ``type``, a system-level operation."""
        op = _op_name(name)
        if type is None:
            return op in self.system_operations
        rc = self.resources.get(type)
        return rc is not None and op in rc.operations


def _codes(items: Any) -> set[str]:
    return {i["code"] for i in items or [] if isinstance(i, Mapping) and isinstance(i.get("code"), str)}


def _operations(items: Any) -> set[str]:
    out: set[str] = set()
    for op in items or []:
        if isinstance(op, Mapping) and isinstance(op.get("name"), str):
            out.add(_op_name(op["name"]))
    return out


def _search_params(items: Any) -> dict[str, str]:
    return {
        p["name"]: str(p.get("type") or "")
        for p in items or []
        if isinstance(p, Mapping) and isinstance(p.get("name"), str)
    }
