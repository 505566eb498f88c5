"""A test SMART authorization server's signing side: RSA keys, a JWKS served over real HTTP, JWT minting."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.clocks import NOW

ISSUER = "https://auth.clinic.test"
AUDIENCE = "https://api.clinic.test"


@dataclass
class Issuer:
    url: str  # JWKS URL
    keys: dict[str, rsa.RSAPrivateKey] = field(default_factory=dict)
    requests: int = 0

    def mint(
        self,
        *,
        patient: str | None,
        scope: str = "patient/*.read patient/Appointment.write",
        kid: str = "k1",
        issuer: str = ISSUER,
        audience: str | None = AUDIENCE,
        expires_in: int = 300,
        key: rsa.RSAPrivateKey | None = None,
        algorithm: str = "RS256",
        now: datetime = NOW,
        **extra: Any,
    ) -> str:
        """A signed access token issued at ``now`` (the tests' one clock unless the API under test was
        given another: its clock checks the expiry)."""
        issued = int(now.timestamp())
        claims: dict[str, Any] = {
            "iss": issuer,
            "sub": "portal-user-1",
            "iat": issued,
            "exp": issued + expires_in,
        }
        if audience is not None:
            claims["aud"] = audience
        if patient is not None:
            claims["patient"] = patient
        if scope:
            claims["scope"] = scope
        claims.update(extra)
        return jwt.encode(claims, key or self.keys[kid], algorithm=algorithm, headers={"kid": kid})


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@contextmanager
def serve_jwks() -> Iterator[Issuer]:
    issuer = Issuer(url="", keys={"k1": new_key(), "k2": new_key()})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            issuer.requests += 1
            keys = []
            for kid, key in issuer.keys.items():
                jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
                keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
            body = json.dumps({"keys": keys}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    issuer.url = f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()
