"""Consent and proxy access for SMART sign-ins at the clinic API.

A SMART access token comes from the clinic's authorization server and is also good at the clinic's FHIR
server (its audience). The API uses it there, on the patient's behalf, for two things:

- **consent**: before any record read or chat turn, the patient's FHIR Consents are read from the FHIR
  server (``assistant.consent.ConsentGate`` decides); no active permit → problem ``consent_required``
  (403). This read is also how the API notices a revoked or expired sign-in at once: the FHIR server
  refuses the token (401 here too), even though the JWT's signature is still good.
- **proxy**: a token whose ``fhirUser`` is a ``RelatedPerson`` (a parent who picked their child at
  sign-in) gives an ``AccountHolder`` with the relation read from that RelatedPerson, so the assistant
  speaks about "your child".

API tokens (``hat_…``) are issued by the clinic itself and carry no SMART sign-in: consent is the
clinic's business there, and the consent endpoints answer ``consent_not_applicable``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from api.auth import Principal
from api.problems import ApiProblem, Code, unauthorized
from assistant.account import SELF, AccountHolder
from assistant.consent import ConsentGate, ConsentRequired, ConsentStatus
from fhir_client import FhirClient
from fhir_client.consent import ConsentClient, ConsentPurpose
from fhir_client.errors import FhirAuthError, FhirError, FhirForbidden, FhirNotFound

HOLDER_CACHE = 256
T = TypeVar("T")


def consent_required(exc: ConsentRequired) -> ApiProblem:
    return ApiProblem(
        403,
        Code.CONSENT_REQUIRED,
        f"{exc} (purpose {exc.purpose.value}); ask the patient, then POST /v1/consents",
        purpose=exc.purpose.value,
    )


class ConsentAccess:
    """Reads and writes a SMART principal's consents at the clinic's FHIR server, with their own token."""

    def __init__(
        self,
        fhir_url: str,
        gate: ConsentGate,
        *,
        timeout: float = 20.0,
        client_factory: Callable[[str], FhirClient] | None = None,
    ) -> None:
        self.fhir_url = fhir_url
        self.gate = gate
        self._client = client_factory or (lambda token: FhirClient(fhir_url, token=token, timeout=timeout))
        self._holders: OrderedDict[str, AccountHolder] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def applies(principal: Principal) -> bool:
        return principal.kind == "smart" and principal.bearer is not None

    def _call(self, principal: Principal, fn: Callable[[ConsentClient], T]) -> T:
        if principal.bearer is None:
            raise ApiProblem(409, Code.CONSENT_NOT_APPLICABLE, "this token carries no SMART sign-in")
        try:
            with self._client(principal.bearer) as fhir:
                return fn(ConsentClient(fhir))
        except FhirAuthError:
            raise unauthorized(
                Code.INVALID_TOKEN, "the clinic no longer accepts this sign-in (revoked or expired)"
            ) from None
        except FhirForbidden as exc:
            raise ApiProblem(403, Code.INSUFFICIENT_SCOPE, f"the clinic refused: {exc}") from None
        except FhirError as exc:
            raise ApiProblem(
                502, Code.UPSTREAM_UNAVAILABLE, f"the FHIR server failed: {type(exc).__name__}"
            ) from None

    def status(self, principal: Principal) -> ConsentStatus:
        return self._call(principal, lambda store: self.gate.status(store, principal.patient_id))

    def performer(self, principal: Principal) -> str:
        holder = self.holder(principal)
        return holder.reference or f"Patient/{principal.patient_id}"

    def decide(self, principal: Principal, purpose: ConsentPurpose, *, permit: bool) -> None:
        kind = purpose
        performer = self.performer(principal)
        self._call(
            principal,
            lambda store: self.gate.decide(
                store, principal.patient_id, kind, permit=permit, performer=performer
            ),
        )

    def withdraw(self, principal: Principal, purpose: ConsentPurpose) -> int:
        kind = purpose
        return self._call(principal, lambda store: self.gate.withdraw(store, principal.patient_id, kind))

    def holder(self, principal: Principal) -> AccountHolder:
        """Who is typing: the patient, or (``fhirUser`` a RelatedPerson) a parent or carer."""
        fhir_user = principal.fhir_user
        if not fhir_user or "/RelatedPerson/" not in f"/{fhir_user}" or principal.bearer is None:
            return SELF
        with self._lock:
            cached = self._holders.get(fhir_user)
        if cached is not None:
            return cached
        rp_id = fhir_user.rstrip("/").rsplit("/", 1)[-1]
        try:
            with self._client(principal.bearer) as fhir:
                related = fhir.read("RelatedPerson", rp_id).resource or {}
        except FhirNotFound:
            related = {}
        except FhirAuthError:
            raise unauthorized(Code.INVALID_TOKEN, "the clinic no longer accepts this sign-in") from None
        except FhirError as exc:
            raise ApiProblem(
                502, Code.UPSTREAM_UNAVAILABLE, f"the FHIR server failed: {type(exc).__name__}"
            ) from None
        if str(((related.get("patient") or {}).get("reference")) or "") != f"Patient/{principal.patient_id}":
            # A RelatedPerson that is not linked to this patient gives no proxy relation at all.
            raise ApiProblem(
                403, Code.INSUFFICIENT_SCOPE, "the signed-in person is not linked to this patient"
            )
        codes = frozenset(
            str(c.get("code"))
            for rel in related.get("relationship") or []
            for c in (rel or {}).get("coding") or []
            if c.get("code")
        )
        names = related.get("name") or [{}]
        name = (
            names[0].get("text") or " ".join([*names[0].get("given", []), names[0].get("family", "")]).strip()
        )
        holder = AccountHolder.from_fhir_user(fhir_user, relationship_codes=codes, name=name or None)
        with self._lock:
            self._holders[fhir_user] = holder
            while len(self._holders) > HOLDER_CACHE:
                self._holders.popitem(last=False)
        return holder
