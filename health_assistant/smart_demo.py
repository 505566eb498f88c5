"""The demo clinic's SMART sign-in, as the CLI sets it up (``sandbox --auth`` and ``run``).

The clinic's system client (SMART Backend Services) needs a key pair: its private key stays in
``DATA_DIR/smart/clinic-system.pem`` (created once, owner-only), the sandbox receives only the public
key. ``environment(...)`` is what the patient app and the clinic API need to reach that sandbox: the
system client for their own reads and scheduling writes, the clinic to offer under "Connect my health
record", and the issuer and keys the API verifies patient tokens with.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from joserfc.jwk import ECKey

from sandbox import Sandbox
from sandbox.launcher import SYSTEM_CLIENT_ID, SYSTEM_SCOPE

KEY_NAME = "clinic-system.pem"
DEMO_CLINIC_NAME = "Maison de santé des Lilas (demo clinic)"


def system_key(data_dir: Path) -> tuple[ECKey, Path]:
    """The system client's key, created on first use (EC P-384, for ES384 assertions)."""
    folder = data_dir / "smart"
    path = folder / KEY_NAME
    if path.is_file():
        key = ECKey.import_key(path.read_bytes())
        if isinstance(key, ECKey) and key.is_private:
            return key, path
    folder.mkdir(parents=True, exist_ok=True)
    key = ECKey.generate_key("P-384", private=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key.as_pem(private=True))
    return key, path.resolve()


def environment(sb: Sandbox, key_file: Path) -> dict[str, str]:
    """HEALTH_ASSISTANT_* settings for the app and the API in front of an ``--auth`` sandbox."""
    return {
        "HEALTH_ASSISTANT_FHIR_URL": sb.base_url,
        "HEALTH_ASSISTANT_FHIR_SYSTEM_CLIENT_ID": SYSTEM_CLIENT_ID,
        "HEALTH_ASSISTANT_FHIR_SYSTEM_KEY_FILE": str(key_file),
        "HEALTH_ASSISTANT_FHIR_SYSTEM_SCOPE": SYSTEM_SCOPE,
        "HEALTH_ASSISTANT_SMART_CLINICS": json.dumps([{"name": DEMO_CLINIC_NAME, "fhir_url": sb.base_url}]),
        "HEALTH_ASSISTANT_SMART_ISSUER": sb.issuer,
        "HEALTH_ASSISTANT_SMART_JWKS_URL": sb.jwks_url,
        "HEALTH_ASSISTANT_SMART_AUDIENCE": sb.base_url,
    }


def describe(sb: Sandbox, key_file: Path) -> str:
    lines = [
        f"SMART on FHIR sign-in is on: authorization server {sb.issuer} "
        f"(configuration: {sb.auth_info.get('smart_configuration')}).",
        "Demo accounts: one per demo patient (josue / josue-demo, emery / emery-demo, … see README) and a "
        "parent, alex / alex-demo, who picks Daisey or Luigi.",
        f"The clinic's system client '{SYSTEM_CLIENT_ID}' signs with {key_file}; for the app and the API:",
    ]
    lines += [f"  export {k}='{v}'" for k, v in environment(sb, key_file).items()]
    return "\n".join(lines)
