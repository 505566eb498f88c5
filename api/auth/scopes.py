"""SMART on FHIR scopes, v1 (``patient/Observation.read``) and v2 (``patient/Observation.rs``).

Only ``patient/`` scopes count: a ``user/`` or ``system/`` scope is about someone other than the patient
in the token, and this API only ever serves that patient. ``*`` as the resource type covers every type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Access = Literal["read", "write"]

# What an API token issued by ``health-assistant token issue`` may do: the patient's own assistant.
API_TOKEN_SCOPES = frozenset({"patient/*.read", "patient/Appointment.write"})

_V2_READ = set("rs")
_V2_WRITE = set("cud")


def _permits(permission: str, access: Access) -> bool:
    if permission == "*":
        return True
    if permission in ("read", "write"):
        return permission == access
    letters = set(permission)
    if not letters or not letters <= set("cruds"):
        return False
    return bool(letters & (_V2_READ if access == "read" else _V2_WRITE))


def grants(scopes: Iterable[str], resource_type: str, access: Access) -> bool:
    """Whether any ``patient/`` scope allows ``access`` to ``resource_type``."""
    for scope in scopes:
        context, _, rest = scope.partition("/")
        if context != "patient" or "." not in rest:
            continue
        if "?" in rest:
            # A v2 constrained scope (``patient/Observation.rs?category=laboratory``) grants a subset
            # these endpoints cannot enforce; it never widens to the whole type.
            continue
        rtype, _, permission = rest.partition(".")
        if rtype in ("*", resource_type) and _permits(permission, access):
            return True
    return False


def parse_scopes(raw: object) -> frozenset[str]:
    """The ``scope`` claim (space-separated string) or ``scp`` (list) as a set."""
    if isinstance(raw, str):
        return frozenset(part for part in raw.split() if part)
    if isinstance(raw, list | tuple):
        return frozenset(str(part) for part in raw if isinstance(part, str) and part)
    return frozenset()
