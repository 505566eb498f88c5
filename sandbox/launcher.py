"""Start, talk to and stop the demo clinic server from Python (tests, CLI, benchmarks).

The server announces itself with one JSON line on stdout, so the launcher never guesses a port or
polls: ``port=0`` lets the OS pick a free port and the announcement says which. Its stderr goes to a
log file whose tail is quoted when start-up fails, so the error says why instead of timing out.

``auth=True`` turns SMART on FHIR on (``--auth``): the FHIR base then needs access tokens from the
authorization server under ``/auth``. The launcher registers a system client for the clinic's own
services (SMART Backend Services: its P-384 key pair is made here, only the public half goes to the
server); ``system_auth()`` gives the ``httpx.Auth`` that signs in with it.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx
from joserfc.jwk import ECKey

from fhir_client.auth import SmartBackendServicesAuth

SANDBOX_DIR = Path(__file__).resolve().parent
SERVER_JS = SANDBOX_DIR / "server.js"
NODE_MODULES = SANDBOX_DIR / "node_modules" / "@medplum" / "fhir-router"
DEFAULT_SYNTHEA_DIR = SANDBOX_DIR.parent / "data" / "synthea"
DEFAULT_CLINIC_FILE = SANDBOX_DIR / "clinic.json"
MIN_NODE_MAJOR = 20
SYSTEM_CLIENT_ID = "clinic-system"
# What the clinic's own services may do: read every record (the demo path without sign-in, the
# clinic API's record loads) and write the scheduling resources (bookings).
SYSTEM_SCOPE = "system/*.rs system/Slot.u system/Appointment.cu"


class SandboxError(RuntimeError):
    """The demo clinic could not be started or answered badly."""


class SandboxNotInstalled(SandboxError):
    """Node.js or the sandbox's npm packages are missing: ``make setup`` installs both."""


class SandboxPortInUse(SandboxError):
    """Something already listens on the requested port."""


class SandboxStartFailed(SandboxError):
    """The server process exited or stayed silent before announcing it was ready."""


def _node_binary(node: str | None) -> str:
    found = shutil.which(node or "node")
    if not found:
        raise SandboxNotInstalled("Node.js is not installed; run `make setup` (it installs Node.js >= 20)")
    return found


def _check_installed(node: str) -> None:
    if not NODE_MODULES.is_dir():
        raise SandboxNotInstalled(
            f"the sandbox's npm packages are missing in {SANDBOX_DIR / 'node_modules'}; run `make setup`"
        )
    try:
        version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=10).stdout
        major = int(version.strip().lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        raise SandboxNotInstalled(f"could not run {node} --version: {exc}") from exc
    if major < MIN_NODE_MAJOR:
        raise SandboxNotInstalled(
            f"Node.js {version.strip()} is too old; the sandbox needs >= {MIN_NODE_MAJOR}"
        )


class Sandbox:
    """One demo clinic server process. Use as a context manager, or call ``start()``/``stop()``."""

    def __init__(
        self,
        *,
        port: int = 8103,
        host: str = "127.0.0.1",
        synthea_dir: str | Path | None = DEFAULT_SYNTHEA_DIR,
        clinic_file: str | Path = DEFAULT_CLINIC_FILE,
        today: str | None = None,
        log_requests: bool = False,
        node: str | None = None,
        startup_timeout: float = 90.0,
        auth: bool = False,
        access_token_ttl: int | None = None,
        system_key: ECKey | None = None,
    ) -> None:
        self.port = port
        self.host = host
        self.synthea_dir = Path(synthea_dir) if synthea_dir is not None else None
        self.clinic_file = Path(clinic_file)
        self.today = today
        self.log_requests = log_requests
        self.node = node
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.ready: dict[str, Any] = {}
        self._log = tempfile.NamedTemporaryFile(prefix="sandbox-", suffix=".log", delete=False)  # noqa: SIM115
        self.auth = auth
        self.access_token_ttl = access_token_ttl
        self.system_key: ECKey | None = None
        self._jwks_file: Path | None = None
        if auth:
            self.system_key = system_key or ECKey.generate_key("P-384", private=True)
            public = {**self.system_key.as_dict(private=False), "kid": self.system_key.thumbprint()}
            public.update({"use": "sig", "alg": "ES384"})
            fd, name = tempfile.mkstemp(prefix="sandbox-system-client-", suffix=".jwks.json")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"keys": [public]}, out)
            self._jwks_file = Path(name)

    # -- lifecycle -------------------------------------------------------------------------------
    def command(self, node: str) -> list[str]:
        cmd = [
            node,
            "--experimental-websocket",
            str(SERVER_JS),
            "--port",
            str(self.port),
            "--host",
            self.host,
        ]
        cmd += ["--clinic", str(self.clinic_file)]
        if self.synthea_dir is None:
            cmd.append("--no-synthea")
        else:
            cmd += ["--synthea", str(self.synthea_dir)]
        if self.today:
            cmd += ["--today", self.today]
        if self.log_requests:
            cmd.append("--log")
        if self.auth:
            cmd.append("--auth")
            if self._jwks_file is not None:
                cmd += ["--system-client-jwks", str(self._jwks_file)]
            if self.access_token_ttl is not None:
                cmd += ["--access-token-ttl", str(self.access_token_ttl)]
        return cmd

    def start(self) -> Self:
        if self.process is not None:
            return self
        node = _node_binary(self.node)
        _check_installed(node)
        if self.synthea_dir is not None and not self.synthea_dir.is_dir():
            raise SandboxStartFailed(f"no Synthea folder at {self.synthea_dir}")
        self.process = subprocess.Popen(
            self.command(node), stdout=subprocess.PIPE, stderr=self._log, cwd=SANDBOX_DIR
        )
        try:
            self.ready = self._await_ready()
        except BaseException:
            self.stop()
            raise
        self.port = int(self.ready["port"])
        return self

    def _await_ready(self) -> dict[str, Any]:
        assert self.process is not None and self.process.stdout is not None
        deadline = time.monotonic() + self.startup_timeout
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SandboxStartFailed(
                        f"the sandbox did not announce itself within {self.startup_timeout:.0f} s{self._log_tail()}"
                    )
                if not selector.select(timeout=left):
                    continue
                line = self.process.stdout.readline()
                if not line:
                    code = self.process.wait(timeout=10)
                    raise SandboxStartFailed(
                        f"the sandbox exited with code {code} before it was ready{self._log_tail()}"
                    )
                try:
                    event = json.loads(line)
                except json.JSONDecodeError:
                    continue  # not the announcement (e.g. a stray warning)
                if event.get("event") == "ready":
                    return dict(event)
                if event.get("event") == "error":
                    reason = str(event.get("reason", "unknown reason"))
                    if "in use" in reason:
                        raise SandboxPortInUse(reason)
                    raise SandboxStartFailed(reason)
        finally:
            selector.close()

    def _log_tail(self) -> str:
        try:
            text = Path(self._log.name).read_text(errors="replace").strip()
        except OSError:
            return ""
        return f": {text[-800:]}" if text else ""

    def stop(self) -> None:
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if proc is not None and proc.stdout is not None:
            proc.stdout.close()
        self._log.close()
        if self._jwks_file is not None:
            self._jwks_file.unlink(missing_ok=True)

    def wait(self) -> int:
        """Block until the server exits (the CLI's foreground mode); returns its exit code."""
        if self.process is None:
            raise SandboxError("the sandbox is not running")
        return self.process.wait()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __del__(self) -> None:
        # A forgotten sandbox must not outlive its owner and hold the port.
        if getattr(self, "process", None) is not None:
            self.stop()
        log = getattr(self, "_log", None)
        if log is not None:
            Path(log.name).unlink(missing_ok=True)

    # -- facts and admin actions -----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if not self.ready:
            raise SandboxError("the sandbox is not running")
        return str(self.ready["url"])

    @property
    def root_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def auth_info(self) -> dict[str, Any]:
        """What the server announced about its authorization server (empty without ``auth``)."""
        return dict(self.ready.get("auth") or {})

    @property
    def issuer(self) -> str:
        """The SMART authorization server's issuer (``iss`` of its tokens)."""
        issuer = self.auth_info.get("issuer")
        if not issuer:
            raise SandboxError("the sandbox runs without --auth; start it with Sandbox(auth=True)")
        return str(issuer)

    @property
    def jwks_url(self) -> str:
        return f"{self.issuer}/jwks"

    def auth_stats(self) -> dict[str, int]:
        """Sign-ins granted and revoked so far (``--auth``): e.g. to check that "Disconnect" revoked one."""
        return {k: int(v) for k, v in (self._admin("GET", "status").get("auth") or {}).items()}

    def system_auth(
        self, *, clock: Callable[[], float], scope: str = SYSTEM_SCOPE
    ) -> SmartBackendServicesAuth:
        """Sign in as the clinic's system client (client credentials with a signed assertion); ``clock``
        (seconds since the epoch) dates the assertion — the caller's, as everywhere below the roots."""
        if self.system_key is None:
            raise SandboxError("the sandbox runs without --auth; start it with Sandbox(auth=True)")
        return SmartBackendServicesAuth(
            SYSTEM_CLIENT_ID, self.system_key, scope=scope, fhir_base_url=self.base_url, clock=clock
        )

    @property
    def seed_info(self) -> dict[str, Any]:
        return dict(self.ready.get("seed") or {})

    @property
    def startup_seconds(self) -> dict[str, float]:
        return {k: float(v) for k, v in (self.ready.get("seconds") or {}).items()}

    def _admin(self, method: str, action: str, body: Any = None) -> Any:
        response = httpx.request(method, f"{self.root_url}/$admin/{action}", json=body, timeout=60)
        if response.status_code >= 400:
            raise SandboxError(
                f"admin action {action} failed (HTTP {response.status_code}): {response.text[:300]}"
            )
        return response.json()

    def seed(self, *, today: str | None = None) -> dict[str, Any]:
        """Seed again (creates only what is missing); ``today`` shifts the slot horizon."""
        body: dict[str, Any] = {"today": today} if today else {}
        return dict(self._admin("POST", "seed", body))

    def reset(self, *, today: str | None = None) -> dict[str, Any]:
        """Forget every write and seed from scratch (isolates tests that book or edit); ``today``
        (YYYY-MM-DD) starts the slot horizon on that date, as a frozen clock would see it."""
        return dict(self._admin("POST", "reset", {"today": today} if today else {}))

    def add_fault(
        self,
        *,
        method: str = "*",
        path: str = ".*",
        status: int | None = None,
        delay_ms: int = 0,
        times: int = 1,
        body: Any = None,
        after_method: str | None = None,
        after_path: str | None = None,
    ) -> dict[str, Any]:
        """Make the next ``times`` matching requests fail with ``status`` and/or answer after ``delay_ms``.

        With ``after_method``/``after_path`` the fault sleeps until a request matching them has been
        served, then fires from the next request on ("the server dies right after the Slot update").
        """
        rule: dict[str, Any] = {
            "method": method,
            "path": path,
            "status": status,
            "delayMs": delay_ms,
            "times": times,
            "body": body,
        }
        if after_method is not None or after_path is not None:
            rule["after"] = {"method": after_method or "*", "path": after_path or ".*"}
        return dict(self._admin("POST", "faults", rule))

    def clear_faults(self) -> None:
        self._admin("DELETE", "faults")

    def set_argonaut(self, enabled: bool) -> bool:
        """Switch the Argonaut ``Appointment/$find`` + ``$book`` mode on or off (off after ``reset()``).

        When on, the CapabilityStatement lists both operations on Appointment, so clients that read
        it book through ``$book``; when off they must use Slot + Appointment REST.
        """
        return bool(self._admin("POST", "argonaut", {"enabled": enabled})["enabled"])

    def take_slot(self, slot_id: str) -> dict[str, Any]:
        """Someone else takes the slot (it turns busy with a new version), e.g. between offer and yes."""
        return dict(self._admin("POST", "take-slot", {"slot": slot_id}))
