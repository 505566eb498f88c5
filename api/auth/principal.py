"""Who is calling: the one patient a bearer token is bound to, and what it may do.

Every route takes the patient id from here and nowhere else (never from a body, a path or a query), so
no request can name someone else's record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from api.auth.scopes import Access, grants

CredentialKind = Literal["api_token", "smart"]


@dataclass(frozen=True)
class Principal:
    patient_id: str
    kind: CredentialKind
    credential_id: str  # API token id, or "issuer#subject" for SMART; never the secret itself
    scopes: frozenset[str]
    # SMART only: who signed in (``fhirUser``: the Patient, or a RelatedPerson acting for them) and the
    # access token itself, used on the patient's behalf at the clinic's FHIR server (never logged).
    fhir_user: str | None = None
    bearer: str | None = field(default=None, repr=False, compare=False)

    def may(self, resource_type: str, access: Access) -> bool:
        return grants(self.scopes, resource_type, access)

    @property
    def who(self) -> str:
        """How the audit log names the caller."""
        return f"{self.kind}:{self.credential_id}"
