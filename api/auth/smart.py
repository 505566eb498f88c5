"""SMART on FHIR access tokens: JWTs signed by the clinic's authorization server, checked against its JWKS.

What is checked, and why: the signature (with a key from the issuer's JWKS, fetched over HTTPS and cached,
so a key rotation is picked up), the issuer (only the configured one), the audience when configured (a
token minted for another API must not work here), expiry and not-before (with a small leeway for clock
skew), and a ``patient`` claim holding a FHIR id: the launch context that binds the token to one patient.
Scopes are checked per route (``api.auth.scopes``). Only asymmetric algorithms are accepted, so a token
signed with ``alg: none`` or with the public key as an HMAC secret is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt
from jwt import PyJWKClient, PyJWKClientConnectionError, PyJWKClientError
from jwt.types import Options

from api.auth.principal import Principal
from api.auth.scopes import parse_scopes

ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "PS384"]
_PATIENT_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


class SmartTokenInvalid(Exception):
    """The JWT cannot be used; the message is safe to show."""


class SmartKeysUnavailable(Exception):
    """The issuer's JWKS could not be fetched: nothing can be verified right now."""


@dataclass(frozen=True)
class SmartConfig:
    issuer: str
    jwks_url: str
    audience: str | None = None
    leeway_seconds: int = 30
    jwks_cache_seconds: int = 300


class SmartVerifier:
    """Checks SMART access tokens. ``clock`` is the API's one clock (from the app factory): expiry and
    not-before are counted from it, not from the machine clock PyJWT would read."""

    def __init__(self, config: SmartConfig, *, clock: Callable[[], datetime]) -> None:
        self.config = config
        self.clock = clock
        self._jwks = PyJWKClient(
            config.jwks_url, cache_keys=True, lifespan=config.jwks_cache_seconds, timeout=5
        )

    def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError:
            raise SmartTokenInvalid("malformed JWT") from None
        if header.get("alg") not in ALGORITHMS:
            raise SmartTokenInvalid(f"JWT algorithm {header.get('alg')!r} is not accepted")
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
        except PyJWKClientConnectionError as exc:
            raise SmartKeysUnavailable(f"cannot fetch the issuer's keys: {exc}") from None
        except (PyJWKClientError, jwt.DecodeError) as exc:
            raise SmartTokenInvalid(f"no matching signing key ({exc})") from None
        options: Options = {
            "require": ["exp", "iss"],
            "verify_aud": self.config.audience is not None,
            # Times are checked below against the API's clock.
            "verify_exp": False,
            "verify_nbf": False,
            "verify_iat": False,
        }
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key.key,
                algorithms=ALGORITHMS,
                issuer=self.config.issuer,
                audience=self.config.audience,
                leeway=self.config.leeway_seconds,
                options=options,
            )
        except jwt.ExpiredSignatureError:
            raise SmartTokenInvalid("JWT expired") from None
        except jwt.InvalidIssuerError:
            raise SmartTokenInvalid("JWT issuer is not trusted here") from None
        except jwt.InvalidAudienceError:
            raise SmartTokenInvalid("JWT audience is not this API") from None
        except jwt.InvalidTokenError as exc:
            raise SmartTokenInvalid(f"invalid JWT ({exc})") from None
        self._check_times(claims)
        patient = claims.get("patient")
        if not isinstance(patient, str) or not _PATIENT_ID.match(patient):
            raise SmartTokenInvalid("JWT has no patient claim holding a FHIR id (patient launch context)")
        scopes = parse_scopes(claims.get("scope", claims.get("scp")))
        subject = str(claims.get("sub") or claims.get("client_id") or claims.get("jti") or "unknown")
        fhir_user = claims.get("fhirUser")
        return Principal(
            patient_id=patient,
            kind="smart",
            credential_id=f"{claims['iss']}#{subject}"[:200],
            scopes=scopes,
            fhir_user=fhir_user if isinstance(fhir_user, str) else None,
            bearer=token,
        )

    def _check_times(self, claims: dict[str, Any]) -> None:
        now = self.clock().timestamp()
        leeway = self.config.leeway_seconds
        exp, nbf = claims.get("exp"), claims.get("nbf")
        if not isinstance(exp, int | float) or isinstance(exp, bool):
            raise SmartTokenInvalid("invalid JWT (exp is not a number)")
        if exp <= now - leeway:
            raise SmartTokenInvalid("JWT expired")
        if nbf is not None:
            if not isinstance(nbf, int | float) or isinstance(nbf, bool):
                raise SmartTokenInvalid("invalid JWT (nbf is not a number)")
            if nbf > now + leeway:
                raise SmartTokenInvalid("invalid JWT (not yet valid)")
