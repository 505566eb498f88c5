"""Settings read from the environment (prefix ``HEALTH_ASSISTANT_``).

Only composition roots (CLI, API factory, UI app, eval runner) build a ``Settings``; everything below them
takes plain constructor arguments so that tests can wire fakes at the seams.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import AliasChoices, BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_DATA_DIR = REPO_ROOT / "data"
DEFAULT_SANDBOX_PORT = 8103


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class SmartClinic(BaseModel):
    """A clinic the patient app can connect to with SMART on FHIR ("Connect my health record")."""

    name: str
    fhir_url: str
    client_id: str = "health-assistant-app"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HEALTH_ASSISTANT_", extra="ignore")

    fhir_url: str = Field(
        default=f"http://127.0.0.1:{DEFAULT_SANDBOX_PORT}/fhir/R4",
        description="Base URL of the FHIR R4 server (the demo clinic sandbox by default).",
    )
    fhir_token: str | None = Field(default=None, description="Static bearer token for the FHIR server.")
    fhir_system_token: str | None = Field(
        default=None,
        description="The clinic's system credential for scheduling writes (Slot, Appointment, $book); "
        "bookings act with it on behalf of the authenticated patient. Defaults to FHIR_TOKEN.",
    )
    fhir_system_client_id: str | None = Field(
        default=None,
        description="The clinic's system client (SMART Backend Services) for the app's own reads and "
        "scheduling writes when the FHIR server requires SMART tokens (sandbox --auth prints it).",
    )
    fhir_system_key_file: Path | None = Field(
        default=None, description="PEM private key (EC P-384 or RSA) of that system client."
    )
    fhir_system_scope: str = Field(
        default="system/*.rs system/Slot.u system/Appointment.cu",
        description="Scopes the system client asks for.",
    )
    fhir_timeout: float = Field(default=20.0, gt=0, description="Seconds before a FHIR request gives up.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL for sessions and audit (PostgreSQL); SQLite in DATA_DIR if unset.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="Chroma server for the record index (e.g. http://chroma:8000), shared by every worker; "
        "embedded chromadb in DATA_DIR/index if unset.",
    )
    data_dir: Path = Field(default=Path(".data"), description="Where indexes, sessions and audit live.")
    locale: str = Field(
        default="fr-FR",
        description="Locale: language + country. The country picks the numbers to call from the one region "
        "table (assistant/region.py: FR 15/112, 3114; GB 999, 111; US 911, 988; DE 112, 116 117; else 112).",
    )
    timezone: str = Field(
        default="Europe/Paris",
        description="The clinic's time zone: appointment times, and what 'today' and 'tomorrow' mean.",
    )
    now: datetime | None = Field(
        default=None,
        description="Freeze the clock at this instant (ISO 8601 with an offset, e.g. 2026-12-01T08:00+01:00) "
        "for tests, reproducible demos and eval runs; unset = the machine's clock.",
    )
    triage_rules_dir: Path | None = Field(
        default=None,
        description="A clinic's extra triage rules (YAML): new rule ids add rules, known ids override "
        "packaged ones, `enabled: false` disables one.",
    )
    llm_backend: str = Field(
        default="openai",
        description="Which registered backend talks to LLM_BASE_URL: 'openai' (any OpenAI-compatible API) or "
        "'llama-cpp' (llama-cpp-python's server, with its quirks handled).",
    )
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_timeout: float = Field(
        default=30.0, gt=0, description="Seconds before an LLM call falls back offline."
    )
    llm_api_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("HEALTH_ASSISTANT_LLM_API_KEY", "OPENAI_API_KEY"),
    )

    # Clinic API (``health-assistant serve``).
    api_max_body_bytes: int = Field(default=65_536, ge=1024, description="Largest request body accepted.")
    api_rate_limit_per_minute: float = Field(
        default=120, gt=0, description="Requests a minute per token (average); 429 beyond it."
    )
    api_rate_limit_burst: int = Field(default=30, ge=1, description="Requests a token may send at once.")
    api_cors_origins: str = Field(
        default="", description="Comma-separated origins of the portals that embed the API (CORS)."
    )
    smart_issuer: str | None = Field(
        default=None, description="Issuer (iss) of SMART on FHIR access tokens the API accepts."
    )
    smart_jwks_url: str | None = Field(default=None, description="JWKS URL of that issuer's signing keys.")
    smart_audience: str | None = Field(
        default=None, description="Required audience (aud) of SMART tokens, usually this API's URL."
    )
    smart_clinics: list[SmartClinic] = Field(
        default_factory=list,
        description='Clinics the patient app offers under "Connect my health record" (JSON list of '
        '{"name", "fhir_url", "client_id"}); empty: FHIR_URL, when it publishes a SMART configuration.',
    )
    ui_public_url: str | None = Field(
        default=None,
        description="The patient app's own URL (the SMART redirect); set by `health-assistant ui`.",
    )

    @property
    def offline(self) -> bool:
        """No LLM configured means the offline composer: nothing leaves the machine."""
        return not (self.llm_base_url or self.llm_model)

    @property
    def llm_is_remote(self) -> bool:
        """A configured model off this machine: context sent to it needs the patient's consent."""
        if self.offline:
            return False
        host = urlsplit(self.llm_base_url or "https://api.openai.com/v1").hostname or ""
        return host not in LOOPBACK_HOSTS

    @field_validator("now")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise ValueError("NOW needs a UTC offset, e.g. 2026-12-01T08:00+01:00")
        return value
