"""The clinic as a patient asks for it: which service a topic means, who works there, who is a woman.

Read from the clinic's FHIR server (HealthcareService, PractitionerRole + Practitioner) on first use
and kept for the life of the flow: a clinic's staff list changes far less often than a conversation.
"""

from __future__ import annotations

import re
import threading

from assistant.booking.parsing import TOPICS, fold
from assistant.booking.state import Gender
from fhir_client.scheduling import Clinician, SchedulingClient


class ClinicDirectory:
    def __init__(self, scheduling: SchedulingClient) -> None:
        self.scheduling = scheduling
        self._lock = threading.Lock()
        self._services: list[dict[str, object]] | None = None
        self._clinicians: list[Clinician] | None = None

    def services(self) -> list[dict[str, object]]:
        with self._lock:
            known = self._services
        if known is None:
            known = self.scheduling.services()
            with self._lock:
                self._services = known
        return known

    def clinicians(self) -> list[Clinician]:
        with self._lock:
            known = self._clinicians
        if known is None:
            known = self.scheduling.clinicians()
            with self._lock:
                self._clinicians = known
        return known

    def clinician(self, ref: str | None) -> Clinician | None:
        return next((c for c in self.clinicians() if c.ref == ref), None) if ref else None

    def service_for(self, topic: str) -> str | None:
        """The clinic's HealthcareService id for a topic: the one whose name carries the most topic
        words (a nurse clinic mentioning "diabetes education" loses to "Endocrinology and diabetes"),
        then the one whose other text (French name, type, specialty) does; None if the clinic has none."""
        words = TOPICS[topic][1]
        for fields in (("name",), ("comment", "type", "specialty")):
            best: tuple[int, str] | None = None
            for hs in self.services():
                text = fold(" ".join(str(hs.get(f) or "") for f in fields))
                score = sum(1 for w in words if re.search(rf"\b{re.escape(w)}", text))
                sid = hs.get("id")
                if score and isinstance(sid, str) and (best is None or score > best[0]):
                    best = (score, sid)
            if best is not None:
                return best[1]
        return None

    def of_gender(self, gender: Gender, service: str | None) -> tuple[str, ...]:
        """Practitioner references of that gender who see patients for ``service`` (a
        HealthcareService id; any service when None). "A woman doctor" means a doctor: nurses are
        left out unless the service is theirs."""
        out = []
        for person in self.clinicians():
            if person.gender != gender:
                continue
            if service is not None and f"HealthcareService/{service}" not in person.services:
                continue
            if service is None and person.roles and "doctor" not in person.roles:
                continue
            out.append(person.ref)
        return tuple(out)
