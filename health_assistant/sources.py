"""Turn a ``--patient SRC`` argument into a ``PatientRecord``.

SRC is a Bundle JSON file, or ``fhir:<patient id>`` read from the FHIR server named by ``--fhir-url`` /
``HEALTH_ASSISTANT_FHIR_URL``. This is composition-root code: it reads settings.
"""

from __future__ import annotations

from pathlib import Path

from fhir_client import PatientRecord, RecordLoadError, load_bundle_file
from health_assistant.settings import Settings


def load_patient_source(src: str, *, fhir_url: str | None = None) -> PatientRecord:
    if src.startswith("fhir:"):
        patient_id = src.removeprefix("fhir:").strip()
        if not patient_id:
            raise RecordLoadError("fhir: needs a patient id, e.g. fhir:7d27f180-98d6-456d-98c0-d91df32cd023")
        settings = Settings()
        from fhir_client.server_record import load_patient_from_server
        from health_assistant.fhir_access import clinic_fhir

        with clinic_fhir(settings, fhir_url) as client:
            return load_patient_from_server(client, patient_id)
    path = Path(src)
    return load_bundle_file(path)
