"""Auth building blocks: API tokens in a real SQLite database, SMART scopes, JWT verification against a
JWKS served over HTTP on 127.0.0.1."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from api.auth import (
    ApiTokenStore,
    Authenticator,
    SmartConfig,
    SmartKeysUnavailable,
    SmartTokenInvalid,
    SmartVerifier,
    TokenInvalid,
    grants,
)
from api.problems import ApiProblem, Code
from assistant.store import Database, sqlite_url
from tests.api.jwks import AUDIENCE, ISSUER, Issuer, new_key, serve_jwks
from tests.clocks import NOW, frozen

PATIENT = "27c911c6-f045-4ffa-af5d-6eba57ac94b2"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(tmp_path: Path, clock: Clock) -> Iterator[Database]:
    with Database(sqlite_url(tmp_path), clock=clock) as opened:
        yield opened


@pytest.fixture
def tokens(db: Database) -> ApiTokenStore:
    return ApiTokenStore(db)


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    with serve_jwks() as running:
        yield running


@pytest.fixture(scope="module")
def verifier(issuer: Issuer) -> SmartVerifier:
    return SmartVerifier(SmartConfig(issuer=ISSUER, jwks_url=issuer.url, audience=AUDIENCE), clock=frozen)


# -- API tokens ---------------------------------------------------------------------------------------


def test_issued_token_verifies_to_its_patient_and_only_a_hash_is_stored(
    tokens: ApiTokenStore, tmp_path: Path
) -> None:
    issued = tokens.issue(PATIENT, days=7, label="portal")
    assert issued.token.startswith(f"hat_{issued.info.id}_")
    info = tokens.verify(issued.token)
    assert (info.patient_id, info.label, info.id) == (PATIENT, "portal", issued.info.id)
    # "hat_<16 hex>_<43 url-safe characters>": the secret may itself hold "_", so cut at the id, not at the
    # last underscore (a one-letter tail would be found in any database file by chance)
    secret = issued.token.split("_", 2)[2]
    assert len(secret) == 43
    raw = (tmp_path / "assistant.db").read_bytes() + (tmp_path / "assistant.db-wal").read_bytes()
    assert secret.encode() not in raw
    with sqlite3.connect(tmp_path / "assistant.db") as conn:
        stored = conn.execute("SELECT secret_hash FROM api_tokens").fetchone()[0]
    assert len(stored) == 64 and stored != secret


def test_a_changed_secret_an_unknown_id_and_garbage_are_refused(tokens: ApiTokenStore) -> None:
    issued = tokens.issue(PATIENT)
    flipped = issued.token[:-1] + ("A" if issued.token[-1] != "A" else "B")
    other_id = "hat_" + "0" * 16 + issued.token[20:]
    for bad, reason in (
        (flipped, "unknown"),
        (other_id, "unknown"),
        ("hat_nope", "malformed"),
        ("", "malformed"),
    ):
        with pytest.raises(TokenInvalid, match=reason):
            tokens.verify(bad)


def test_token_expires_after_its_days(tokens: ApiTokenStore, clock: Clock) -> None:
    issued = tokens.issue(PATIENT, days=2)
    clock.now += timedelta(days=2) - timedelta(seconds=1)
    assert tokens.verify(issued.token).patient_id == PATIENT
    clock.now += timedelta(seconds=1)
    with pytest.raises(TokenInvalid, match="expired"):
        tokens.verify(issued.token)


def test_revoked_token_stops_working_and_revoke_is_idempotent(tokens: ApiTokenStore, clock: Clock) -> None:
    keep = tokens.issue(PATIENT)
    issued = tokens.issue(PATIENT)
    first = tokens.revoke(issued.info.id)
    assert first is not None and first.revoked_at == clock.now
    clock.now += timedelta(hours=1)
    again = tokens.revoke(issued.token)
    assert again is not None and again.revoked_at == first.revoked_at
    with pytest.raises(TokenInvalid, match="revoked"):
        tokens.verify(issued.token)
    assert tokens.verify(keep.token).id == keep.info.id
    assert tokens.revoke("0123456789abcdef") is None
    with pytest.raises(ValueError, match="16 hex"):
        tokens.revoke("not-an-id")
    states = {t.id: t.state(clock.now) for t in tokens.list(PATIENT)}
    assert states == {keep.info.id: "active", issued.info.id: "revoked"}


@pytest.mark.parametrize("patient", ["", "a/b", "x" * 65, "Patient/123", "id with space"])
def test_token_needs_a_fhir_patient_id(tokens: ApiTokenStore, patient: str) -> None:
    with pytest.raises(ValueError, match="FHIR id"):
        tokens.issue(patient)


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_token_expiry_is_bounded(tokens: ApiTokenStore, days: float) -> None:
    with pytest.raises(ValueError, match="expiry"):
        tokens.issue(PATIENT, days=days)


# -- scopes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scopes", "rtype", "access", "expected"),
    [
        (["patient/*.read"], "Observation", "read", True),
        (["patient/*.read"], "Appointment", "write", False),
        (["patient/Observation.read"], "Observation", "read", True),
        (["patient/Observation.read"], "*", "read", False),
        (["patient/Observation.read"], "Condition", "read", False),
        (["patient/*.rs"], "*", "read", True),
        (["patient/Appointment.cu"], "Appointment", "write", True),
        (["patient/Appointment.rs"], "Appointment", "write", False),
        (["patient/*.*"], "Appointment", "write", True),
        (["patient/*.cruds"], "*", "read", True),
        (["user/*.read"], "Observation", "read", False),
        (["system/*.read"], "Observation", "read", False),
        (["patient/Observation.rs?category=laboratory"], "Observation", "read", False),
        (["patient/*.xyz"], "Observation", "read", False),
        (["patient/*"], "Observation", "read", False),
        (["launch/patient", "openid", "fhirUser"], "Observation", "read", False),
    ],
)
def test_smart_scopes(scopes: list[str], rtype: str, access: str, expected: bool) -> None:
    assert grants(scopes, rtype, access) is expected  # type: ignore[arg-type]


# -- SMART JWTs ---------------------------------------------------------------------------------------


def test_valid_jwt_gives_the_patient_claim_and_scopes(verifier: SmartVerifier, issuer: Issuer) -> None:
    principal = verifier.verify(issuer.mint(patient=PATIENT, scope="patient/*.read launch/patient"))
    assert principal.patient_id == PATIENT
    assert principal.kind == "smart"
    assert principal.credential_id == f"{ISSUER}#portal-user-1"
    assert principal.may("Observation", "read") and not principal.may("Appointment", "write")


def test_key_rotation_second_key_verifies(verifier: SmartVerifier, issuer: Issuer) -> None:
    assert verifier.verify(issuer.mint(patient=PATIENT, kid="k2")).patient_id == PATIENT


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"expires_in": -120}, "expired"),
        ({"nbf": int(NOW.timestamp()) + 600}, "not yet valid"),
        ({"issuer": "https://evil.test"}, "issuer"),
        ({"audience": "https://other-api.test"}, "audience"),
        ({"audience": None}, "aud"),
        ({"patient": None}, "patient claim"),
        ({"patient": "../Patient/x"}, "patient claim"),
        ({"patient": 42}, "patient claim"),
        ({"key": new_key()}, "invalid JWT"),
        ({"kid": "unknown-kid", "key": new_key()}, "signing key"),
    ],
)
def test_bad_jwts_are_refused(
    verifier: SmartVerifier, issuer: Issuer, changes: dict[str, object], reason: str
) -> None:
    args: dict[str, object] = {"patient": PATIENT, **changes}
    token = issuer.mint(**args)  # type: ignore[arg-type]
    with pytest.raises(SmartTokenInvalid, match=reason):
        verifier.verify(token)


def test_alg_none_and_hmac_with_the_public_key_are_refused(verifier: SmartVerifier, issuer: Issuer) -> None:
    unsigned = jwt.encode(
        {"iss": ISSUER, "aud": AUDIENCE, "patient": PATIENT, "exp": 2**40}, None, algorithm="none"
    )
    with pytest.raises(SmartTokenInvalid, match="algorithm"):
        verifier.verify(unsigned)
    header = jwt.api_jws.base64url_encode(b'{"alg":"HS256","kid":"k1","typ":"JWT"}').decode()
    forged = unsigned.split(".")
    with pytest.raises(SmartTokenInvalid, match="algorithm"):
        verifier.verify(".".join([header, forged[1], "c2ln"]))


def test_unreachable_jwks_is_reported_as_keys_unavailable(issuer: Issuer) -> None:
    dead = SmartVerifier(
        SmartConfig(issuer=ISSUER, jwks_url="http://127.0.0.1:9/jwks.json", audience=AUDIENCE), clock=frozen
    )
    with pytest.raises(SmartKeysUnavailable):
        dead.verify(issuer.mint(patient=PATIENT))


# -- the Authorization header -------------------------------------------------------------------------


def test_authenticator_maps_every_failure_to_401_with_a_challenge(
    tokens: ApiTokenStore, verifier: SmartVerifier, issuer: Issuer
) -> None:
    auth = Authenticator(tokens, verifier)
    issued = tokens.issue(PATIENT)
    assert auth.authenticate(f"Bearer {issued.token}").patient_id == PATIENT
    assert auth.authenticate(f"bearer   {issued.token} ").patient_id == PATIENT
    assert auth.authenticate(f"Bearer {issuer.mint(patient=PATIENT)}").kind == "smart"
    cases = {
        None: Code.UNAUTHENTICATED,
        "": Code.UNAUTHENTICATED,
        f"Basic {issued.token}": Code.UNAUTHENTICATED,
        "Bearer": Code.UNAUTHENTICATED,
        "Bearer hat_x": Code.INVALID_TOKEN,
        "Bearer a.b.c": Code.INVALID_TOKEN,
        "Bearer random-opaque-token": Code.INVALID_TOKEN,
        "Bearer " + "x" * 9000: Code.INVALID_TOKEN,
    }
    for header, code in cases.items():
        with pytest.raises(ApiProblem) as caught:
            auth.authenticate(header)
        assert (caught.value.status, caught.value.code) == (401, code), header
        assert caught.value.headers["WWW-Authenticate"].startswith('Bearer realm="health-assistant"')


def test_jwts_are_refused_when_smart_is_not_configured(tokens: ApiTokenStore, issuer: Issuer) -> None:
    with pytest.raises(ApiProblem, match="not configured") as caught:
        Authenticator(tokens, None).authenticate(f"Bearer {issuer.mint(patient=PATIENT)}")
    assert caught.value.status == 401
