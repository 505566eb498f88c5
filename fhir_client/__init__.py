"""The one way the project talks FHIR R4: typed records, REST client, auth, scheduling."""

from fhir_client.bundle import load_bundle, load_bundle_file
from fhir_client.errors import (
    FhirAuthError,
    FhirConflict,
    FhirError,
    FhirForbidden,
    FhirGone,
    FhirHTTPError,
    FhirNotFound,
    FhirPreconditionFailed,
    FhirServerError,
    FhirTimeout,
    FhirTransportError,
    FhirUnprocessable,
    OutcomeIssue,
    RecordLoadError,
)
from fhir_client.record import LoadIssue, PatientRecord

__all__ = [
    "FhirAuthError",
    "FhirConflict",
    "FhirError",
    "FhirForbidden",
    "FhirGone",
    "FhirHTTPError",
    "FhirNotFound",
    "FhirPreconditionFailed",
    "FhirServerError",
    "FhirTimeout",
    "FhirTransportError",
    "FhirUnprocessable",
    "LoadIssue",
    "OutcomeIssue",
    "PatientRecord",
    "RecordLoadError",
    "load_bundle",
    "load_bundle_file",
]
