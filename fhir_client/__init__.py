"""The one way the project talks FHIR R4: typed records, REST client, auth, scheduling."""

from fhir_client.auth import (
    AuthorizationRequest,
    BearerAuth,
    SmartBackendServicesAuth,
    SmartConfiguration,
    SmartPatientLaunch,
    SmartTokenAuth,
    TokenResponse,
)
from fhir_client.bundle import build_record, load_bundle, load_bundle_file
from fhir_client.capabilities import ResourceCapabilities, ServerCapabilities
from fhir_client.client import AsyncFhirClient, FhirClient
from fhir_client.errors import (
    FhirAuthError,
    FhirConflict,
    FhirError,
    FhirForbidden,
    FhirGone,
    FhirHTTPError,
    FhirNotFound,
    FhirPreconditionFailed,
    FhirProtocolError,
    FhirServerError,
    FhirTimeout,
    FhirTransportError,
    FhirUnprocessable,
    OutcomeIssue,
    RecordLoadError,
    SmartAuthError,
)
from fhir_client.models import parse_resource
from fhir_client.record import LoadIssue, PatientRecord
from fhir_client.results import (
    BundleEntryResult,
    FhirResult,
    SearchPage,
    SearchResults,
    entry_results,
    etag_for,
)
from fhir_client.search import Search, escape, token
from fhir_client.server_record import load_patient_from_server, load_patient_from_server_async

__all__ = [
    "AsyncFhirClient",
    "AuthorizationRequest",
    "BearerAuth",
    "BundleEntryResult",
    "FhirAuthError",
    "FhirClient",
    "FhirConflict",
    "FhirError",
    "FhirForbidden",
    "FhirGone",
    "FhirHTTPError",
    "FhirNotFound",
    "FhirPreconditionFailed",
    "FhirProtocolError",
    "FhirResult",
    "FhirServerError",
    "FhirTimeout",
    "FhirTransportError",
    "FhirUnprocessable",
    "LoadIssue",
    "OutcomeIssue",
    "PatientRecord",
    "RecordLoadError",
    "ResourceCapabilities",
    "Search",
    "SearchPage",
    "SearchResults",
    "ServerCapabilities",
    "SmartAuthError",
    "SmartBackendServicesAuth",
    "SmartConfiguration",
    "SmartPatientLaunch",
    "SmartTokenAuth",
    "TokenResponse",
    "build_record",
    "entry_results",
    "escape",
    "etag_for",
    "load_bundle",
    "load_bundle_file",
    "load_patient_from_server",
    "load_patient_from_server_async",
    "parse_resource",
    "token",
]
