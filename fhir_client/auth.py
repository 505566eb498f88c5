"""Authentication to FHIR servers as ``httpx.Auth`` objects, plus the SMART patient sign-in flow.

* ``BearerAuth``: a static token (a clinic's test server, a token issued elsewhere).
* ``SmartBackendServicesAuth``: SMART Backend Services — a service proves who it is with a JWT signed
  by its private key (RS384 or ES384) and gets a short-lived token by the client-credentials grant.
* ``SmartPatientLaunch``: SMART standalone patient launch — the patient signs in at the server's
  authorization page; the app swaps the returned code (protected by PKCE S256 and ``state``) for a
  token that names the patient (``patient`` in the token response).

Endpoints come from ``{fhir base}/.well-known/smart-configuration`` unless given. Tokens are cached until
shortly before they expire; a 401 from the FHIR server gets exactly one retry with a fresh token.
Token requests made inside an auth flow go through the FHIR client's own transport, so one
``httpx.MockTransport`` can stand in for both servers in tests.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from collections import OrderedDict
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey, JWKRegistry, RSAKey

from fhir_client.errors import SmartAuthError

Clock = Callable[[], float]
"""Seconds since the epoch, passed in by the caller (the composition root: ``system_clock().timestamp()``);
assertion lifetimes and token freshness count from it, never from the machine clock read here."""
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
FORM = "application/x-www-form-urlencoded"


class BearerAuth(httpx.Auth):
    """Send a fixed bearer token with every request."""

    def __init__(self, token: str) -> None:
        token = token.strip()
        if not token or any(c in token for c in "\r\n "):
            raise ValueError("a bearer token must be one non-empty word")
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def __repr__(self) -> str:  # never print the secret
        return "BearerAuth(token=***)"


# -- discovery and token responses ------------------------------------------------------------------


@dataclass(frozen=True)
class SmartConfiguration:
    """The parts of ``.well-known/smart-configuration`` this package uses."""

    token_endpoint: str
    authorization_endpoint: str | None = None
    revocation_endpoint: str | None = None
    issuer: str | None = None
    jwks_uri: str | None = None
    capabilities: frozenset[str] = frozenset()
    code_challenge_methods: frozenset[str] = frozenset()
    grant_types: frozenset[str] = frozenset()
    scopes_supported: frozenset[str] = frozenset()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data: Any, where: str) -> SmartConfiguration:
        if not isinstance(data, Mapping) or not isinstance(data.get("token_endpoint"), str):
            raise SmartAuthError(f"{where} has no token_endpoint; give the token endpoint explicitly")

        def strings(key: str) -> frozenset[str]:
            value = data.get(key)
            return (
                frozenset(v for v in value if isinstance(v, str)) if isinstance(value, list) else frozenset()
            )

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value else None

        return cls(
            token_endpoint=data["token_endpoint"],
            authorization_endpoint=text("authorization_endpoint"),
            revocation_endpoint=text("revocation_endpoint"),
            issuer=text("issuer"),
            jwks_uri=text("jwks_uri"),
            capabilities=strings("capabilities"),
            code_challenge_methods=strings("code_challenge_methods_supported"),
            grant_types=strings("grant_types_supported"),
            scopes_supported=strings("scopes_supported"),
            raw=data,
        )


def smart_configuration_url(fhir_base_url: str) -> str:
    return f"{fhir_base_url.rstrip('/')}/.well-known/smart-configuration"


def _discovery_request(fhir_base_url: str) -> httpx.Request:
    return httpx.Request(
        "GET", smart_configuration_url(fhir_base_url), headers={"Accept": "application/json"}
    )


def _read_discovery(response: httpx.Response, fhir_base_url: str) -> SmartConfiguration:
    where = smart_configuration_url(fhir_base_url)
    if response.status_code != 200:
        raise SmartAuthError(
            f"the FHIR server at {fhir_base_url} publishes no SMART configuration ({where}: HTTP "
            f"{response.status_code}); give the token endpoint explicitly",
            status=response.status_code,
        )
    try:
        data = response.json()
    except ValueError as exc:
        raise SmartAuthError(f"{where} is not JSON") from exc
    return SmartConfiguration.from_json(data, where)


@dataclass(frozen=True)
class TokenResponse:
    """An OAuth token response; ``patient`` is the SMART launch context (the signed-in patient's id)."""

    access_token: str
    token_type: str = "Bearer"
    expires_at: float | None = None
    scope: str | None = None
    refresh_token: str | None = None
    patient: str | None = None
    id_token: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], now: float) -> TokenResponse:
        expires_in = data.get("expires_in")
        return cls(
            access_token=str(data["access_token"]),
            token_type=str(data.get("token_type") or "Bearer"),
            expires_at=now + float(expires_in) if isinstance(expires_in, int | float) else None,
            scope=data.get("scope") if isinstance(data.get("scope"), str) else None,
            refresh_token=data.get("refresh_token") if isinstance(data.get("refresh_token"), str) else None,
            patient=data.get("patient") if isinstance(data.get("patient"), str) else None,
            id_token=data.get("id_token") if isinstance(data.get("id_token"), str) else None,
            raw=data,
        )

    def fresh(self, now: float, margin: float) -> bool:
        """Usable for at least ``margin`` more seconds (no expiry given: assume it is)."""
        return self.expires_at is None or now < self.expires_at - margin

    def __repr__(self) -> str:
        return (
            f"TokenResponse(token_type={self.token_type!r}, scope={self.scope!r}, patient={self.patient!r})"
        )


def _read_token(response: httpx.Response, endpoint: str, now: float, hint: str) -> TokenResponse:
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code >= 400 or not isinstance(data, Mapping):
        error = data.get("error") if isinstance(data, Mapping) else None
        desc = data.get("error_description") if isinstance(data, Mapping) else None
        said = ": " + ": ".join(str(x) for x in (error, desc) if x) if (error or desc) else ""
        raise SmartAuthError(
            f"getting an access token from {endpoint} failed{said} (HTTP {response.status_code}); {hint}",
            status=response.status_code,
            error=error if isinstance(error, str) else None,
        )
    if not isinstance(data.get("access_token"), str) or not data["access_token"]:
        raise SmartAuthError(f"the token endpoint {endpoint} answered without an access_token")
    token_type = str(data.get("token_type") or "bearer")
    if token_type.lower() != "bearer":
        raise SmartAuthError(
            f"the token endpoint {endpoint} issued a {token_type!r} token; only Bearer is supported"
        )
    return TokenResponse.from_json(data, now)


# -- SMART Backend Services ---------------------------------------------------------------------------

SigningKey = RSAKey | ECKey


def load_signing_key(key: SigningKey | str | bytes | Mapping[str, Any]) -> SigningKey:
    """A private key from a joserfc key, a PEM (RSA or EC) or a JWK dict."""
    if isinstance(key, RSAKey | ECKey):
        loaded: Any = key
    elif isinstance(key, Mapping):
        loaded = JWKRegistry.import_key(dict(key))
    else:
        loaded = None
        for kty in ("RSA", "EC"):
            try:
                loaded = JWKRegistry.import_key(key, kty)
                break
            except Exception:  # joserfc raises different errors per malformed input; try the next type
                continue
        if loaded is None:
            raise ValueError("the private key is neither an RSA nor an EC key in PEM or JWK form")
    if not isinstance(loaded, RSAKey | ECKey):
        raise ValueError("SMART Backend Services needs an RSA or EC private key")
    if not loaded.is_private:
        raise ValueError("this is a public key; the client assertion must be signed with the private key")
    return loaded


class SmartBackendServicesAuth(httpx.Auth):
    """Client-credentials grant with a signed JWT assertion (SMART Backend Services)."""

    requires_response_body = True

    def __init__(
        self,
        client_id: str,
        private_key: SigningKey | str | bytes | Mapping[str, Any],
        *,
        scope: str = "system/*.read",
        token_endpoint: str | None = None,
        fhir_base_url: str | None = None,
        algorithm: str | None = None,
        key_id: str | None = None,
        jku: str | None = None,
        assertion_lifetime: int = 300,
        refresh_margin: float = 60.0,
        clock: Clock,
    ) -> None:
        if token_endpoint is None and fhir_base_url is None:
            raise ValueError("give token_endpoint, or fhir_base_url to discover it")
        if not 0 < assertion_lifetime <= 300:
            raise ValueError("SMART limits the client assertion's lifetime to 5 minutes")
        self.client_id = client_id
        self.scope = scope
        self._key = load_signing_key(private_key)
        self.algorithm = algorithm or ("RS384" if isinstance(self._key, RSAKey) else "ES384")
        if self.algorithm not in ("RS384", "ES384"):
            raise ValueError("SMART Backend Services signs with RS384 or ES384")
        self.key_id = key_id or self._key.kid or self._key.thumbprint()
        self.jku = jku
        self._token_endpoint = token_endpoint
        self._fhir_base_url = fhir_base_url
        self._lifetime = assertion_lifetime
        self._margin = refresh_margin
        self._clock = clock
        self._token: TokenResponse | None = None

    def client_assertion(self, audience: str) -> str:
        """The signed JWT that proves this client's identity to ``audience`` (the token endpoint)."""
        now = int(self._clock())
        header: dict[str, Any] = {"alg": self.algorithm, "typ": "JWT", "kid": self.key_id}
        if self.jku:
            header["jku"] = self.jku
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": audience,
            "iat": now,
            "exp": now + self._lifetime,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(header, claims, self._key, algorithms=[self.algorithm])

    def _token_request(self, endpoint: str) -> httpx.Request:
        form = {
            "grant_type": "client_credentials",
            "scope": self.scope,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": self.client_assertion(endpoint),
        }
        return httpx.Request(
            "POST",
            endpoint,
            content=urlencode(form),
            headers={"Content-Type": FORM, "Accept": "application/json"},
        )

    def _obtain(self) -> Generator[httpx.Request, httpx.Response, TokenResponse]:
        if self._token_endpoint is None:
            assert self._fhir_base_url is not None
            discovered = yield _discovery_request(self._fhir_base_url)
            self._token_endpoint = _read_discovery(discovered, self._fhir_base_url).token_endpoint
        endpoint = self._token_endpoint
        response = yield self._token_request(endpoint)
        hint = "check the client id, the public key registered for it and the scopes"
        self._token = _read_token(response, endpoint, self._clock(), hint)
        return self._token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._token
        if token is None or not token.fresh(self._clock(), self._margin):
            token = yield from self._obtain()
        request.headers["Authorization"] = f"Bearer {token.access_token}"
        response = yield request
        if response.status_code == 401:
            # The token may have been revoked or the server's clock differs: one retry, never a loop.
            token = yield from self._obtain()
            request.headers["Authorization"] = f"Bearer {token.access_token}"
            yield request

    def __repr__(self) -> str:
        return f"SmartBackendServicesAuth(client_id={self.client_id!r}, scope={self.scope!r})"


# -- SMART standalone patient launch -------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the patient's browser, and what the app must keep until the redirect comes back."""

    url: str
    state: str
    code_verifier: str
    redirect_uri: str


def pkce_challenge(verifier: str) -> str:
    """S256: base64url(SHA-256(verifier)) without padding (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class SmartPatientLaunch:
    """Standalone patient launch: authorization code + PKCE S256, then refresh.

    1. ``req = launch.authorization_url(["launch/patient", "patient/*.read", "offline_access"])`` and send
       the browser to ``req.url``;
    2. on the redirect, ``token = launch.exchange_code(code, state)``; ``token.patient`` is the patient;
    3. ``FhirClient(base, auth=launch.auth(token))`` — refreshes with the refresh token when needed.
    """

    MAX_PENDING = 64

    def __init__(
        self,
        fhir_base_url: str,
        client_id: str,
        *,
        redirect_uri: str,
        client_secret: str | None = None,
        configuration: SmartConfiguration | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        clock: Clock,
        refresh_margin: float = 60.0,
    ) -> None:
        self.fhir_base_url = fhir_base_url.rstrip("/")
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self._secret = client_secret
        self._config = configuration
        self._http = httpx.Client(transport=transport, timeout=timeout)
        self._clock = clock
        self._margin = refresh_margin
        self._pending: OrderedDict[str, tuple[str, str]] = OrderedDict()

    def __enter__(self) -> SmartPatientLaunch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def discover(self) -> SmartConfiguration:
        if self._config is None:
            try:
                response = self._http.send(_discovery_request(self.fhir_base_url))
            except httpx.TransportError as exc:
                raise SmartAuthError(
                    f"could not reach {smart_configuration_url(self.fhir_base_url)}: {exc}"
                ) from exc
            self._config = _read_discovery(response, self.fhir_base_url)
        return self._config

    def authorization_url(
        self,
        scopes: Sequence[str] | str,
        *,
        redirect_uri: str | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> AuthorizationRequest:
        config = self.discover()
        if config.authorization_endpoint is None:
            raise SmartAuthError(
                f"the SMART configuration of {self.fhir_base_url} has no authorization_endpoint"
            )
        if config.code_challenge_methods and "S256" not in config.code_challenge_methods:
            raise SmartAuthError(
                f"the authorization server at {config.authorization_endpoint} does not offer PKCE S256"
            )
        redirect = redirect_uri or self.redirect_uri
        state = secrets.token_urlsafe(24)
        verifier = secrets.token_urlsafe(64)  # 86 characters: within RFC 7636's 43..128
        scope = scopes if isinstance(scopes, str) else " ".join(scopes)
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect,
            "scope": scope,
            "state": state,
            "aud": self.fhir_base_url,
            "code_challenge": pkce_challenge(verifier),
            "code_challenge_method": "S256",
            **(extra or {}),
        }
        self._pending[state] = (verifier, redirect)
        while len(self._pending) > self.MAX_PENDING:
            self._pending.popitem(last=False)
        sep = "&" if "?" in config.authorization_endpoint else "?"
        return AuthorizationRequest(
            url=f"{config.authorization_endpoint}{sep}{urlencode(query)}",
            state=state,
            code_verifier=verifier,
            redirect_uri=redirect,
        )

    def _token_post(self, form: dict[str, str]) -> httpx.Request:
        endpoint = self.discover().token_endpoint
        headers = {"Content-Type": FORM, "Accept": "application/json"}
        if self._secret is not None:
            basic = base64.b64encode(f"{self.client_id}:{self._secret}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {basic}"
        else:
            form = {**form, "client_id": self.client_id}
        return httpx.Request("POST", endpoint, content=urlencode(form), headers=headers)

    def _post_token(self, request: httpx.Request, hint: str) -> TokenResponse:
        try:
            response = self._http.send(request)
        except httpx.TransportError as exc:
            raise SmartAuthError(f"could not reach the token endpoint {request.url}: {exc}") from exc
        return _read_token(response, str(request.url), self._clock(), hint)

    def exchange_code(self, code: str, state: str) -> TokenResponse:
        """Swap the authorization code for tokens; ``state`` must be one this object handed out."""
        pending = self._pending.pop(state, None)
        if pending is None:
            raise SmartAuthError(
                "the sign-in answer does not match a sign-in this app started (unknown state); start again"
            )
        verifier, redirect = pending
        request = self._token_post(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect,
                "code_verifier": verifier,
            }
        )
        return self._post_token(request, "start the sign-in again")

    def refresh_request(self, refresh_token: str) -> httpx.Request:
        return self._token_post({"grant_type": "refresh_token", "refresh_token": refresh_token})

    def refresh(self, token: TokenResponse | str) -> TokenResponse:
        """A new access token from a refresh token; keeps the patient context if the answer omits it."""
        refresh_token = token if isinstance(token, str) else token.refresh_token
        if not refresh_token:
            raise SmartAuthError("there is no refresh token; the patient has to sign in again")
        new = self._post_token(self.refresh_request(refresh_token), "the patient has to sign in again")
        return _carry_over(new, token if isinstance(token, TokenResponse) else None, refresh_token)

    def auth(self, token: TokenResponse) -> SmartTokenAuth:
        """An ``httpx.Auth`` using ``token``, refreshing it before expiry and once on a 401."""
        return SmartTokenAuth(self, token, clock=self._clock, margin=self._margin)

    def revoke(self, token: TokenResponse | str) -> None:
        """Revoke the refresh token (RFC 7009), or the access token when there is none; at a server that
        revokes the grant with it (SMART servers do), every access token of this sign-in stops working.

        A token the server does not know is not an error (RFC 7009 answers 200 for it too)."""
        config = self.discover()
        if config.revocation_endpoint is None:
            raise SmartAuthError(
                f"the SMART configuration of {self.fhir_base_url} has no revocation_endpoint; "
                "the patient has to revoke access at the clinic's portal"
            )
        if isinstance(token, TokenResponse):
            value, hint = (
                (token.refresh_token, "refresh_token")
                if token.refresh_token
                else (token.access_token, "access_token")
            )
        else:
            value, hint = token, "refresh_token"
        form = {"token": value, "token_type_hint": hint}
        headers = {"Content-Type": FORM, "Accept": "application/json"}
        if self._secret is not None:
            basic = base64.b64encode(f"{self.client_id}:{self._secret}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {basic}"
        else:
            form["client_id"] = self.client_id
        request = httpx.Request("POST", config.revocation_endpoint, content=urlencode(form), headers=headers)
        try:
            response = self._http.send(request)
        except httpx.TransportError as exc:
            raise SmartAuthError(f"could not reach the revocation endpoint {request.url}: {exc}") from exc
        if response.status_code != 200:
            raise SmartAuthError(
                f"revoking the token at {request.url} failed (HTTP {response.status_code}): {response.text[:200]}",
                status=response.status_code,
            )


def _carry_over(new: TokenResponse, old: TokenResponse | None, refresh_token: str) -> TokenResponse:
    """Servers may omit the patient or rotate nothing on refresh; keep what still holds."""
    return TokenResponse(
        access_token=new.access_token,
        token_type=new.token_type,
        expires_at=new.expires_at,
        scope=new.scope or (old.scope if old else None),
        refresh_token=new.refresh_token or refresh_token,
        patient=new.patient or (old.patient if old else None),
        id_token=new.id_token or (old.id_token if old else None),
        raw=new.raw,
    )


class SmartTokenAuth(httpx.Auth):
    """Bearer auth from a patient launch token that refreshes itself (before expiry, and once on 401)."""

    requires_response_body = True

    def __init__(
        self, launch: SmartPatientLaunch, token: TokenResponse, *, clock: Clock, margin: float
    ) -> None:
        self._launch = launch
        self.token = token
        self._clock = clock
        self._margin = margin

    def _refresh(self) -> Generator[httpx.Request, httpx.Response, None]:
        refresh_token = self.token.refresh_token
        if not refresh_token:
            raise SmartAuthError("the access token expired and there is no refresh token; sign in again")
        request = self._launch.refresh_request(refresh_token)
        response = yield request
        new = _read_token(response, str(request.url), self._clock(), "the patient has to sign in again")
        self.token = _carry_over(new, self.token, refresh_token)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if not self.token.fresh(self._clock(), self._margin) and self.token.refresh_token:
            yield from self._refresh()
        request.headers["Authorization"] = f"Bearer {self.token.access_token}"
        response = yield request
        if response.status_code == 401 and self.token.refresh_token:
            yield from self._refresh()
            request.headers["Authorization"] = f"Bearer {self.token.access_token}"
            yield request

    def __repr__(self) -> str:
        return f"SmartTokenAuth(patient={self.token.patient!r})"
