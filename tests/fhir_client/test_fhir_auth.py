"""Auth flows against a MockTransport playing both the authorization server and the FHIR server.

The fake auth server checks what a real one would: the client assertion's signature against the
registered public key and its claims; the PKCE verifier against the challenge it saw at authorization.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import httpx
import pytest
from fhir_fakes import BASE, json_response
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import ECKey, RSAKey

from fhir_client import (
    BearerAuth,
    FhirAuthError,
    FhirClient,
    SmartAuthError,
    SmartBackendServicesAuth,
    SmartPatientLaunch,
    TokenResponse,
)

AUTH = "http://auth.test"
TOKEN_URL = f"{AUTH}/token"
PATIENT = {"resourceType": "Patient", "id": "p1"}


@pytest.fixture(scope="module")
def rsa_key() -> RSAKey:
    return RSAKey.generate_key(2048)


@pytest.fixture(scope="module")
def ec_key() -> ECKey:
    return ECKey.generate_key("P-384")


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class FakeServers:
    """Token endpoint + SMART discovery + a FHIR server accepting only tokens it issued (and not revoked)."""

    public_key: RSAKey | ECKey | None = None
    algorithm: str = "RS384"
    expires_in: int = 300
    smart_config: dict[str, Any] | None = None
    reject_first_tokens: int = 0
    token_error: tuple[int, dict[str, Any]] | None = None
    issued: list[str] = field(default_factory=list)
    assertions: list[dict[str, Any]] = field(default_factory=list)
    forms: list[dict[str, str]] = field(default_factory=list)
    token_headers: list[httpx.Headers] = field(default_factory=list)
    fhir_auth: list[str | None] = field(default_factory=list)
    challenges: dict[str, str] = field(default_factory=dict)  # code → challenge seen at authorize
    discovery_calls: int = 0
    _counter: itertools.count[int] = field(default_factory=itertools.count)

    def handle(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if url.endswith("/.well-known/smart-configuration"):
            self.discovery_calls += 1
            if self.smart_config is None:
                return httpx.Response(404)
            return httpx.Response(200, json=self.smart_config)
        if url == TOKEN_URL:
            return self._token(request)
        self.fhir_auth.append(request.headers.get("Authorization"))
        bearer = (request.headers.get("Authorization") or "").removeprefix("Bearer ")
        valid = bearer in self.issued[self.reject_first_tokens :]
        if not valid:
            return json_response(
                401, {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "login"}]}
            )
        return json_response(200, PATIENT)

    def _token(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        form = dict(parse_qsl(request.content.decode()))
        self.forms.append(form)
        self.token_headers.append(request.headers)
        if self.token_error is not None:
            return httpx.Response(self.token_error[0], json=self.token_error[1])
        if form["grant_type"] == "client_credentials":
            assert self.public_key is not None
            token = jwt.decode(form["client_assertion"], self.public_key, algorithms=[self.algorithm])
            self.assertions.append({"header": token.header, "claims": token.claims})
        elif form["grant_type"] == "authorization_code":
            verifier = form["code_verifier"]
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            )
            if self.challenges.get(form["code"]) != challenge:
                return httpx.Response(
                    400, json={"error": "invalid_grant", "error_description": "PKCE check failed"}
                )
        access = f"tok{next(self._counter)}"
        self.issued.append(access)
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": self.expires_in,
            "scope": form.get("scope", ""),
        }
        if form["grant_type"] != "client_credentials":
            body["refresh_token"] = f"refresh-{access}"
            if form["grant_type"] == "authorization_code":
                body["patient"] = "p1"
        return httpx.Response(200, json=body)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


SMART_CONFIG = {
    "authorization_endpoint": f"{AUTH}/authorize",
    "token_endpoint": TOKEN_URL,
    "code_challenge_methods_supported": ["S256"],
    "capabilities": ["launch-standalone", "client-public", "client-confidential-symmetric"],
}


# -- static bearer ---------------------------------------------------------------------------------


def test_bearer_auth_sets_the_header_and_hides_the_token() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return json_response(200, PATIENT)

    auth = BearerAuth("s3cret")
    with FhirClient(BASE, auth=auth, transport=httpx.MockTransport(handler)) as fhir:
        fhir.read("Patient/p1")
    assert seen == ["Bearer s3cret"]
    assert "s3cret" not in repr(auth)
    with pytest.raises(ValueError):
        BearerAuth("two words")


# -- SMART backend services ------------------------------------------------------------------------


def backend(servers: FakeServers, key: RSAKey | ECKey, clock: Clock, **kwargs: Any) -> FhirClient:
    auth = SmartBackendServicesAuth(
        "svc-1",
        key.as_pem(private=True),
        fhir_base_url=BASE,
        scope="system/Patient.read",
        clock=clock,
        **kwargs,
    )
    return FhirClient(BASE, auth=auth, transport=servers.transport())


def test_backend_services_discovers_the_endpoint_and_signs_a_valid_rs384_assertion(rsa_key: RSAKey) -> None:
    servers = FakeServers(
        public_key=RSAKey.import_key(rsa_key.as_pem(private=False)), smart_config=SMART_CONFIG
    )
    clock = Clock()
    with backend(servers, rsa_key, clock) as fhir:
        assert fhir.read("Patient/p1").resource == PATIENT
    assert servers.discovery_calls == 1
    [form] = servers.forms
    assert form["grant_type"] == "client_credentials"
    assert form["scope"] == "system/Patient.read"
    assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    [assertion] = servers.assertions
    header, claims = assertion["header"], assertion["claims"]
    assert header["alg"] == "RS384" and header["typ"] == "JWT"
    assert header["kid"] == rsa_key.thumbprint()
    assert claims["iss"] == claims["sub"] == "svc-1"
    assert claims["aud"] == TOKEN_URL
    assert claims["iat"] == int(clock.now)
    assert 0 < claims["exp"] - claims["iat"] <= 300
    assert len(claims["jti"]) >= 16
    assert servers.fhir_auth == ["Bearer tok0"]


def test_backend_services_with_es384_and_a_given_endpoint_skips_discovery(ec_key: ECKey) -> None:
    servers = FakeServers(public_key=ECKey.import_key(ec_key.as_dict(private=False)), algorithm="ES384")
    auth = SmartBackendServicesAuth("svc-2", ec_key, token_endpoint=TOKEN_URL, key_id="k-2024", clock=Clock())
    with FhirClient(BASE, auth=auth, transport=servers.transport()) as fhir:
        fhir.read("Patient/p1")
    assert servers.discovery_calls == 0
    assert servers.assertions[0]["header"]["alg"] == "ES384"
    assert servers.assertions[0]["header"]["kid"] == "k-2024"


def test_a_forged_assertion_does_not_verify(rsa_key: RSAKey) -> None:
    """The fake's signature check is real: a key the server does not know fails it."""
    other = RSAKey.generate_key(2048)
    servers = FakeServers(
        public_key=RSAKey.import_key(other.as_pem(private=False)), smart_config=SMART_CONFIG
    )
    with backend(servers, rsa_key, Clock()) as fhir, pytest.raises(BadSignatureError):
        fhir.read("Patient/p1")


def test_backend_token_is_cached_until_shortly_before_expiry(rsa_key: RSAKey) -> None:
    servers = FakeServers(public_key=rsa_key, smart_config=SMART_CONFIG, expires_in=300)
    clock = Clock()
    with backend(servers, rsa_key, clock, refresh_margin=60) as fhir:
        fhir.read("Patient/p1")
        clock.now += 200  # 100 s left: still more than the margin
        fhir.read("Patient/p1")
        clock.now += 50  # 50 s left: inside the margin, a new token is fetched
        fhir.read("Patient/p1")
    assert len(servers.forms) == 2
    assert servers.fhir_auth == ["Bearer tok0", "Bearer tok0", "Bearer tok1"]
    assert servers.assertions[0]["claims"]["jti"] != servers.assertions[1]["claims"]["jti"]


def test_backend_retries_once_with_a_fresh_token_on_401(rsa_key: RSAKey) -> None:
    servers = FakeServers(public_key=rsa_key, smart_config=SMART_CONFIG, reject_first_tokens=1)
    with backend(servers, rsa_key, Clock()) as fhir:
        assert fhir.read("Patient/p1").status == 200
    assert servers.fhir_auth == ["Bearer tok0", "Bearer tok1"]


def test_backend_gives_up_after_one_retry(rsa_key: RSAKey) -> None:
    servers = FakeServers(public_key=rsa_key, smart_config=SMART_CONFIG, reject_first_tokens=99)
    with backend(servers, rsa_key, Clock()) as fhir, pytest.raises(FhirAuthError, match="HTTP 401"):
        fhir.read("Patient/p1")
    assert len(servers.fhir_auth) == 2
    assert len(servers.forms) == 2


def test_token_endpoint_refusal_is_explained(rsa_key: RSAKey) -> None:
    servers = FakeServers(
        public_key=rsa_key,
        smart_config=SMART_CONFIG,
        token_error=(400, {"error": "invalid_client", "error_description": "unknown kid"}),
    )
    with backend(servers, rsa_key, Clock()) as fhir, pytest.raises(SmartAuthError) as info:
        fhir.read("Patient/p1")
    assert str(info.value) == (
        f"getting an access token from {TOKEN_URL} failed: invalid_client: unknown kid (HTTP 400); "
        "check the client id, the public key registered for it and the scopes"
    )
    assert info.value.error == "invalid_client"
    assert servers.fhir_auth == []  # nothing was sent to the FHIR server without a token


def test_missing_smart_configuration_is_explained(rsa_key: RSAKey) -> None:
    servers = FakeServers(public_key=rsa_key, smart_config=None)
    with (
        backend(servers, rsa_key, Clock()) as fhir,
        pytest.raises(SmartAuthError, match="publishes no SMART configuration"),
    ):
        fhir.read("Patient/p1")


def test_backend_configuration_mistakes_are_caught_early(rsa_key: RSAKey) -> None:
    with pytest.raises(ValueError, match="token_endpoint"):
        SmartBackendServicesAuth("svc", rsa_key, clock=Clock())
    with pytest.raises(ValueError, match="public key"):
        SmartBackendServicesAuth(
            "svc", rsa_key.as_pem(private=False), token_endpoint=TOKEN_URL, clock=Clock()
        )
    with pytest.raises(ValueError, match="RS384 or ES384"):
        SmartBackendServicesAuth("svc", rsa_key, token_endpoint=TOKEN_URL, algorithm="HS256", clock=Clock())
    with pytest.raises(ValueError, match="5 minutes"):
        SmartBackendServicesAuth(
            "svc", rsa_key, token_endpoint=TOKEN_URL, assertion_lifetime=3600, clock=Clock()
        )
    with pytest.raises(ValueError, match="neither an RSA nor an EC"):
        SmartBackendServicesAuth("svc", "not a key", token_endpoint=TOKEN_URL, clock=Clock())


# -- SMART standalone patient launch ---------------------------------------------------------------


def authorize(servers: FakeServers, launch: SmartPatientLaunch, code: str) -> str:
    """Play the patient signing in: the server remembers the challenge and hands back a code + state."""
    req = launch.authorization_url(["launch/patient", "patient/*.read", "offline_access"])
    query = parse_qs(urlsplit(req.url).query)
    servers.challenges[code] = query["code_challenge"][0]
    return query["state"][0]


def test_authorization_url_carries_pkce_s256_state_and_audience() -> None:
    servers = FakeServers(smart_config=SMART_CONFIG)
    launch = SmartPatientLaunch(
        BASE,
        "app-1",
        redirect_uri="http://127.0.0.1:8501/callback",
        transport=servers.transport(),
        clock=Clock(),
    )
    req = launch.authorization_url(["launch/patient", "patient/*.read"])
    parts = urlsplit(req.url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{AUTH}/authorize"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    expected_challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(req.code_verifier.encode()).digest()).rstrip(b"=").decode()
    )
    assert query == {
        "response_type": "code",
        "client_id": "app-1",
        "redirect_uri": "http://127.0.0.1:8501/callback",
        "scope": "launch/patient patient/*.read",
        "state": req.state,
        "aud": BASE,
        "code_challenge": expected_challenge,
        "code_challenge_method": "S256",
    }
    assert 43 <= len(req.code_verifier) <= 128
    again = launch.authorization_url("patient/*.read")
    assert again.state != req.state and again.code_verifier != req.code_verifier


def test_exchange_code_sends_the_verifier_and_returns_the_patient_context() -> None:
    servers = FakeServers(smart_config=SMART_CONFIG)
    clock = Clock()
    launch = SmartPatientLaunch(
        BASE, "app-1", redirect_uri="http://app/cb", transport=servers.transport(), clock=clock
    )
    state = authorize(servers, launch, "code-1")
    token = launch.exchange_code("code-1", state)
    assert token.patient == "p1"
    assert token.access_token == "tok0"
    assert token.refresh_token == "refresh-tok0"
    assert token.expires_at == clock.now + 300
    form = servers.forms[-1]
    assert form["grant_type"] == "authorization_code"
    assert form["redirect_uri"] == "http://app/cb"
    assert form["client_id"] == "app-1"  # public client identifies itself in the form
    assert "Authorization" not in servers.token_headers[-1]
    assert "tok0" not in repr(token)


def test_a_state_the_app_did_not_issue_is_refused_without_calling_the_server() -> None:
    servers = FakeServers(smart_config=SMART_CONFIG)
    launch = SmartPatientLaunch(
        BASE, "app-1", redirect_uri="http://app/cb", transport=servers.transport(), clock=Clock()
    )
    state = authorize(servers, launch, "code-1")
    with pytest.raises(SmartAuthError, match="unknown state"):
        launch.exchange_code("code-1", "forged-state")
    assert servers.forms == []
    launch.exchange_code("code-1", state)
    with pytest.raises(SmartAuthError, match="unknown state"):  # a state is good for one exchange only
        launch.exchange_code("code-1", state)


def test_a_wrong_verifier_fails_the_servers_pkce_check() -> None:
    servers = FakeServers(smart_config=SMART_CONFIG)
    launch = SmartPatientLaunch(
        BASE, "app-1", redirect_uri="http://app/cb", transport=servers.transport(), clock=Clock()
    )
    state = authorize(servers, launch, "code-1")
    servers.challenges["code-1"] = "something-else"
    with pytest.raises(SmartAuthError, match="invalid_grant: PKCE check failed"):
        launch.exchange_code("code-1", state)


def test_confidential_client_authenticates_with_basic_auth() -> None:
    servers = FakeServers(smart_config=SMART_CONFIG)
    launch = SmartPatientLaunch(
        BASE,
        "app-1",
        redirect_uri="http://app/cb",
        client_secret="pw",
        transport=servers.transport(),
        clock=Clock(),
    )
    state = authorize(servers, launch, "code-1")
    launch.exchange_code("code-1", state)
    assert servers.token_headers[-1]["Authorization"] == "Basic " + base64.b64encode(b"app-1:pw").decode()
    assert "client_id" not in servers.forms[-1]


def test_refresh_keeps_the_patient_context() -> None:
    servers = FakeServers(smart_config=SMART_CONFIG)
    launch = SmartPatientLaunch(
        BASE, "app-1", redirect_uri="http://app/cb", transport=servers.transport(), clock=Clock()
    )
    first = launch.exchange_code("code-1", authorize(servers, launch, "code-1"))
    second = launch.refresh(first)
    assert servers.forms[-1] == {
        "grant_type": "refresh_token",
        "refresh_token": "refresh-tok0",
        "client_id": "app-1",
    }
    assert second.access_token == "tok1"
    assert second.patient == "p1"
    with pytest.raises(SmartAuthError, match="sign in again"):
        launch.refresh(TokenResponse(access_token="x"))


def test_launch_auth_refreshes_an_expired_token_and_once_on_401() -> None:
    servers = FakeServers(smart_config=SMART_CONFIG)
    clock = Clock()
    launch = SmartPatientLaunch(
        BASE, "app-1", redirect_uri="http://app/cb", transport=servers.transport(), clock=clock
    )
    token = launch.exchange_code("code-1", authorize(servers, launch, "code-1"))
    auth = launch.auth(token)
    with FhirClient(BASE, auth=auth, transport=servers.transport()) as fhir:
        fhir.read("Patient/p1")
        clock.now += 290  # about to expire: refreshed before the request
        fhir.read("Patient/p1")
        servers.reject_first_tokens = 2  # the server revokes tok1
        fhir.read("Patient/p1")
    assert servers.fhir_auth == ["Bearer tok0", "Bearer tok1", "Bearer tok1", "Bearer tok2"]
    assert auth.token.patient == "p1"


def test_launch_needs_s256_and_an_authorization_endpoint() -> None:
    servers = FakeServers(smart_config={**SMART_CONFIG, "code_challenge_methods_supported": ["plain"]})
    launch = SmartPatientLaunch(
        BASE, "app-1", redirect_uri="http://app/cb", transport=servers.transport(), clock=Clock()
    )
    with pytest.raises(SmartAuthError, match="does not offer PKCE S256"):
        launch.authorization_url("patient/*.read")
    no_auth_ep = {k: v for k, v in SMART_CONFIG.items() if k != "authorization_endpoint"}
    servers2 = FakeServers(smart_config=no_auth_ep)
    launch2 = SmartPatientLaunch(
        BASE, "app-1", redirect_uri="http://app/cb", transport=servers2.transport(), clock=Clock()
    )
    with pytest.raises(SmartAuthError, match="no authorization_endpoint"):
        launch2.authorization_url("patient/*.read")
