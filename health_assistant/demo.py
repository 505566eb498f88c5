"""The embedded defaults ``make run`` uses: which demo patient, where the demo data lives."""

from __future__ import annotations

from health_assistant.settings import DEMO_DATA_DIR

# Josue Sipes: a living adult with a long record (959 resources), the running example in the docs.
DEMO_PATIENT_ID = "7d27f180-98d6-456d-98c0-d91df32cd023"
DEMO_PATIENT_NAME = "Josue Sipes"
DEMO_PATIENT_FILE = next((DEMO_DATA_DIR / "synthea").glob(f"*_{DEMO_PATIENT_ID}.json"), None)
