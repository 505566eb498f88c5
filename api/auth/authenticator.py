"""From an ``Authorization`` header to a ``Principal``, or a 401/503 problem.

API tokens start with ``hat_``; anything shaped like a JWT goes to the SMART verifier when one is
configured. Every failure is a 401 with the same shape, so a caller learns why its own token failed
(expired, revoked) but nothing about other tokens.
"""

from __future__ import annotations

from api.auth.principal import Principal
from api.auth.scopes import API_TOKEN_SCOPES
from api.auth.smart import SmartKeysUnavailable, SmartTokenInvalid, SmartVerifier
from api.auth.tokens import PREFIX, ApiTokenStore, TokenInvalid
from api.problems import ApiProblem, Code, unauthorized

MAX_TOKEN_LENGTH = 8192


class Authenticator:
    def __init__(self, tokens: ApiTokenStore, smart: SmartVerifier | None = None) -> None:
        self.tokens = tokens
        self.smart = smart

    def authenticate(self, authorization: str | None) -> Principal:
        if not authorization:
            raise unauthorized(Code.UNAUTHENTICATED, "missing Authorization: Bearer <token> header")
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise unauthorized(Code.UNAUTHENTICATED, "the Authorization header must be 'Bearer <token>'")
        if len(token) > MAX_TOKEN_LENGTH:
            raise unauthorized(Code.INVALID_TOKEN, "bearer token too long")
        if token.startswith(PREFIX):
            try:
                info = self.tokens.verify(token)
            except TokenInvalid as exc:
                raise unauthorized(Code.INVALID_TOKEN, exc.reason) from None
            return Principal(
                patient_id=info.patient_id, kind="api_token", credential_id=info.id, scopes=API_TOKEN_SCOPES
            )
        if token.count(".") == 2:
            if self.smart is None:
                raise unauthorized(
                    Code.INVALID_TOKEN, "SMART access tokens are not configured on this server"
                )
            try:
                return self.smart.verify(token)
            except SmartTokenInvalid as exc:
                raise unauthorized(Code.INVALID_TOKEN, str(exc)) from None
            except SmartKeysUnavailable as exc:
                raise ApiProblem(
                    503, Code.AUTH_UNAVAILABLE, str(exc), headers={"Retry-After": "30"}
                ) from None
        raise unauthorized(Code.INVALID_TOKEN, "not an API token (hat_…) nor a JWT")
