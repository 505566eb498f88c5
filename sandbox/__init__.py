"""The demo clinic: Medplum's FHIR engine (npm) behind a thin Node adapter, started from Python.

``Sandbox`` starts ``sandbox/server.js`` as a child process bound to 127.0.0.1 and waits for its
one-line JSON "ready" announcement. The Node side is documented in ``sandbox/README.md``.
"""

from sandbox.launcher import (
    Sandbox,
    SandboxError,
    SandboxNotInstalled,
    SandboxPortInUse,
    SandboxStartFailed,
)

__all__ = ["Sandbox", "SandboxError", "SandboxNotInstalled", "SandboxPortInUse", "SandboxStartFailed"]
