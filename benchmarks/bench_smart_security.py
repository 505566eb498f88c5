"""Security figures of SMART sign-in at the demo clinic (issue #18), measured against real servers.

``python -m benchmarks.bench_smart_security [--json FILE]``:

1. **Cross-patient attempts at the FHIR base**: every demo account (and the parent for each child)
   signs in for real and runs ``sandbox.attacks.fhir_attempts`` against another patient — reads,
   searches, chains, includes, compartments, history, totals, operations, batch/transaction, writes.
   Counted: attempts, answers by status, breaches (anything of the victim returned, or a write
   accepted).
2. **Through the clinic API**: the same kind of count with SMART tokens at ``/v1`` (session ids of the
   victim in paths, the victim named in bodies and queries, prompt injection).
3. **Tokens that must be refused** at the FHIR base and the API: expired, revoked (refresh token
   revoked, and rotation reuse), other audience (ID token), other issuer, tampered (patient claim,
   signature, ``alg: none``), code exchange without / with a wrong PKCE verifier.
4. **Cost**: median and p95 of a FHIR read by id and of a 50-entry search, with and without ``--auth``
   (token verification + compartment checks), and the time of a full sign-in (login, picker, consent,
   code exchange).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import jwt

from fhir_client import FhirClient
from fhir_client.auth import SmartPatientLaunch
from fhir_client.errors import SmartAuthError
from health_assistant.clock import system_clock
from sandbox import Sandbox
from sandbox.attacks import VictimFacts, breaches, fhir_attempts, run_fhir
from sandbox.signin import APP_CLIENT_ID, CALLBACK, authorize_in_browser, sign_in

ACCOUNTS = {
    "annmarie": "b1756d32-c4c4-4fd2-9023-ff241b55bae0",
    "daisey": "e916a083-8ee6-4df8-acbe-b711fa791253",
    "emery": "298c62e6-b204-4a14-8e21-73d5be0ce22e",
    "fidel": "79dabd54-65a3-41b3-8975-e868bffce1e1",
    "josue": "7d27f180-98d6-456d-98c0-d91df32cd023",
    "laurie": "8a417ce8-b525-42ab-a2be-651291f73c8c",
    "liz": "27c911c6-f045-4ffa-af5d-6eba57ac94b2",
    "luigi": "e27d88b0-c5e5-4042-ad49-184f6a900ee3",
    "lupe": "f8a42e66-8c03-4ee6-85e3-3817c2942de1",
    "martina": "9e4fc9b4-aaad-4bcf-a24a-d665f3aa99ec",
    "renea": "4f3dd2db-ca68-4d9d-a06b-f145db0b0453",
    "vito": "63dd4423-56ec-4f40-9dd6-82bc133aaddc",
}


def real_seconds() -> float:
    """The clinic's authorization server dates tokens by the real clock; so does this benchmark."""
    return system_clock().timestamp()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def fhir_isolation(sb: Sandbox) -> dict[str, Any]:
    users = sorted(ACCOUNTS)
    pairs: list[tuple[str, str | None, str]] = [
        (u, None, ACCOUNTS[users[(i + 1) % len(users)]]) for i, u in enumerate(users)
    ]
    pairs += [
        ("alex", ACCOUNTS["luigi"], ACCOUNTS["daisey"]),
        ("alex", ACCOUNTS["daisey"], ACCOUNTS["luigi"]),
    ]
    statuses: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    found: list[str] = []
    with FhirClient(sb.base_url, auth=sb.system_auth(clock=real_seconds)) as clinic:
        for user, picked, victim in pairs:
            token = sign_in(sb.base_url, user, f"{user}-demo", patient=picked, clock=real_seconds)
            facts = VictimFacts.gather(clinic, victim)
            outcomes = run_fhir(
                sb.base_url, token.access_token, fhir_attempts(facts, str(token.patient)), facts
            )
            statuses.update(o.status for o in outcomes)
            kinds.update(o.attempt.kind for o in outcomes)
            found += [f"{user}: {o}" for o in breaches(outcomes)]
    return {
        "pairs": len(pairs),
        "attempts": sum(statuses.values()),
        "by_status": dict(sorted(statuses.items())),
        "by_kind": dict(sorted(kinds.items())),
        "breaches": len(found),
        "examples": found[:5],
    }


def api_isolation(sb: Sandbox, data_dir: Path) -> dict[str, Any]:
    data_dir.mkdir(parents=True, exist_ok=True)
    from health_assistant.asgi import build_api
    from tests.api.conftest import run_uvicorn
    from tests.api.test_api_isolation import INJECTIONS, all_attempts, leaks
    from tests.smart.test_smart_api import settings_for

    victim_id = ACCOUNTS["liz"]
    app = build_api(settings_for(sb, data_dir))
    statuses: Counter[int] = Counter()
    found: list[str] = []
    with run_uvicorn(app) as url, FhirClient(sb.base_url, auth=sb.system_auth(clock=real_seconds)) as clinic:
        facts = VictimFacts.gather(clinic, victim_id)

        def client(token: str) -> httpx.Client:
            return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120)

        victim = sign_in(sb.base_url, "liz", "liz-demo", clock=real_seconds)
        with client(victim.access_token) as v:
            v.post("/v1/consents", json={"purpose": "record-access", "decision": "permit"})
            sessions = [v.post("/v1/sessions", json={}).json()["session_id"] for _ in range(3)]
        for user, picked in (("josue", None), ("emery", None), ("alex", ACCOUNTS["luigi"])):
            token = sign_in(sb.base_url, user, f"{user}-demo", patient=picked, clock=real_seconds)
            with client(token.access_token) as attacker:
                attacker.post("/v1/consents", json={"purpose": "record-access", "decision": "permit"})
                own = attacker.post("/v1/sessions", json={}).json()["session_id"]
                attempts = all_attempts(sessions) + [
                    ("POST", f"/v1/sessions/{own}/messages", {"text": t}, None) for t in INJECTIONS
                ]
                for method, path, body, params in attempts:
                    response = attacker.request(method, path, json=body, params=params)
                    sent = f"{path} {json.dumps(body)} {json.dumps(params)}"
                    statuses[response.status_code] += 1
                    bad = leaks(response, sent=sent) + [
                        m for m in facts.markers() if m in response.text and m not in sent
                    ]
                    if bad:
                        found.append(f"{user}: {method} {path} -> {response.status_code} {bad[:2]}")
    return {
        "attempts": sum(statuses.values()),
        "by_status": dict(sorted(statuses.items())),
        "breaches": len(found),
    }


def refused_tokens(sb: Sandbox, data_dir: Path) -> dict[str, Any]:
    from health_assistant.asgi import build_api
    from tests.api.conftest import run_uvicorn
    from tests.smart.test_smart_api import settings_for

    data_dir.mkdir(parents=True, exist_ok=True)
    base = sb.base_url
    results: dict[str, dict[str, int]] = {}
    app = build_api(settings_for(sb, data_dir))
    with (
        run_uvicorn(app) as api,
        SmartPatientLaunch(base, APP_CLIENT_ID, redirect_uri=CALLBACK, clock=real_seconds) as launch,
    ):

        def check(name: str, token: str) -> None:
            h = {"Authorization": f"Bearer {token}"}
            results[name] = {
                "fhir": httpx.get(f"{base}/Patient/{ACCOUNTS['fidel']}", headers=h, timeout=30).status_code,
                "api": httpx.get(f"{api}/v1/consents", headers=h, timeout=30).status_code,
            }

        good = sign_in(base, "fidel", "fidel-demo", launch=launch)
        check("valid (control)", good.access_token)
        head, body, sig = good.access_token.split(".")
        claims = jwt.decode(good.access_token, options={"verify_signature": False})
        forged = jwt.utils.base64url_encode(
            json.dumps({**claims, "patient": ACCOUNTS["liz"]}).encode()
        ).decode()
        check("tampered: patient claim", f"{head}.{forged}.{sig}")
        check("tampered: signature", f"{head}.{body}.{sig[:-4]}AAAA")
        check("alg none", jwt.encode({**claims}, None, algorithm="none"))  # type: ignore[arg-type]
        check("other audience (ID token)", str(good.id_token))
        with Sandbox(port=0, auth=True, synthea_dir=None) as other:
            auth = other.system_auth(clock=real_seconds)
            with FhirClient(other.base_url, auth=auth) as fhir:
                fhir.search_all("Organization", _count=1)
            check("other issuer", auth._token.access_token if auth._token else "x")
        rotated = launch.refresh(good)
        with contextlib.suppress(SmartAuthError):  # the reuse is refused, and revokes the whole sign-in
            launch.refresh(good.refresh_token or "")
        check("after refresh-token reuse", rotated.access_token)
        revoked = sign_in(base, "fidel", "fidel-demo", launch=launch)
        launch.revoke(revoked)
        check("revoked", revoked.access_token)
        pkce: dict[str, int] = {}
        for label, verifier in (("no verifier", None), ("wrong verifier", "w" * 64)):
            request = launch.authorization_url(["launch/patient", "patient/*.rs"])
            back = authorize_in_browser(request, "fidel", "fidel-demo")
            form = {
                "grant_type": "authorization_code",
                "code": back.params["code"],
                "redirect_uri": CALLBACK,
                "client_id": APP_CLIENT_ID,
            }
            if verifier:
                form["code_verifier"] = verifier
            pkce[label] = httpx.post(launch.discover().token_endpoint, data=form, timeout=30).status_code
    with Sandbox(port=0, auth=True, access_token_ttl=1) as short:
        token = sign_in(short.base_url, "fidel", "fidel-demo", clock=real_seconds)
        time.sleep(2.5)
        expired = httpx.get(
            f"{short.base_url}/Patient/{ACCOUNTS['fidel']}",
            headers={"Authorization": f"Bearer {token.access_token}"},
        ).status_code
    results["expired"] = {"fhir": expired}
    return {"tokens": results, "pkce_token_exchange": pkce}


def timings(repeat: int) -> dict[str, Any]:
    pid = ACCOUNTS["josue"]
    out: dict[str, Any] = {}
    for auth in (False, True):
        with Sandbox(port=0, auth=auth) as sb:
            headers = {}
            if auth:
                headers = {
                    "Authorization": f"Bearer {sign_in(sb.base_url, 'josue', 'josue-demo', clock=real_seconds).access_token}"
                }
            with httpx.Client(base_url=sb.base_url + "/", headers=headers, timeout=30) as http:
                for _ in range(5):
                    http.get(f"Patient/{pid}")
                reads, searches = [], []
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    assert http.get(f"Patient/{pid}").status_code == 200
                    reads.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    assert (
                        http.get(
                            "Observation", params={"subject": f"Patient/{pid}", "_count": "50"}
                        ).status_code
                        == 200
                    )
                    searches.append(time.perf_counter() - t0)
            key = "auth" if auth else "open"
            out[key] = {
                "read_ms": {"p50": 1000 * statistics.median(reads), "p95": 1000 * pct(reads, 0.95)},
                "search50_ms": {"p50": 1000 * statistics.median(searches), "p95": 1000 * pct(searches, 0.95)},
            }
            if auth:
                flows = []
                for _ in range(5):
                    t0 = time.perf_counter()
                    sign_in(sb.base_url, "alex", "alex-demo", patient=ACCOUNTS["luigi"], clock=real_seconds)
                    flows.append(time.perf_counter() - t0)
                out["sign_in_s"] = {"p50": statistics.median(flows), "max": max(flows)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    with Sandbox(port=0, auth=True) as sb, tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        figures["fhir_isolation"] = fhir_isolation(sb)
        figures["fhir_isolation"]["seconds"] = round(time.perf_counter() - t0, 1)
        figures["api_isolation"] = api_isolation(sb, Path(tmp) / "api")
        figures["refused"] = refused_tokens(sb, Path(tmp) / "refused")
    figures["timings"] = timings(args.repeat)
    text = json.dumps(figures, indent=2, default=str)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
