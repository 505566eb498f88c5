"""Finding free slots on the demo clinic, by both the Slot+Schedule search and Argonaut $find."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fhir_client import FhirClient
from fhir_client.scheduling import SchedulingClient, SlotQuery
from sandbox import Sandbox
from tests.clocks import NOW, TODAY, frozen

pytestmark = pytest.mark.integration
PARIS = ZoneInfo("Europe/Paris")


def test_diabetes_mornings_next_week_are_free_soonest_first_in_the_window(
    scheduling: SchedulingClient, fhir: FhirClient
) -> None:
    today = TODAY
    monday = today + dt.timedelta(days=7 - today.weekday())
    start = dt.datetime.combine(monday, dt.time(0, 0), PARIS)
    end = start + dt.timedelta(days=7)
    slots = scheduling.find_slots(
        SlotQuery(service="hs-diabetes", start=start, end=end, time_of_day="morning", timezone="Europe/Paris")
    )
    assert 1 <= len(slots) <= 5
    assert [s.start for s in slots] == sorted(s.start for s in slots)
    for slot in slots:
        assert start <= slot.start < end
        assert slot.start.astimezone(PARIS).hour < 12
        assert slot.service == "Endocrinology and diabetes"
        assert slot.practitioner == "Dr Julie Leroy"
        assert slot.location == "Maison de santé des Lilas, specialist annex"
        assert slot.id.startswith("slot-dr-julie-leroy-")
        assert (fhir.read("Slot", slot.id).resource or {})["status"] == "free"


def test_afternoon_and_evening_preferences_use_local_time(scheduling: SchedulingClient) -> None:
    afternoon = scheduling.find_slots(SlotQuery(service="hs-general-practice", time_of_day="afternoon"))
    evening = scheduling.find_slots(SlotQuery(service="hs-telehealth", time_of_day="evening", limit=3))
    assert afternoon and all(12 <= s.start.astimezone(PARIS).hour < 18 for s in afternoon)
    assert len(evening) == 3 and all(s.start.astimezone(PARIS).hour >= 18 for s in evening)
    assert {s.practitioner for s in evening} == {"Dr Amina Haddad"}


def test_practitioner_and_location_filters(scheduling: SchedulingClient) -> None:
    by_doctor = scheduling.find_slots(SlotQuery(practitioner="Practitioner/dr-henri-dubois", limit=4))
    assert len(by_doctor) == 4
    assert {s.practitioner_ref for s in by_doctor} == {"Practitioner/dr-henri-dubois"}
    by_place = scheduling.find_slots(SlotQuery(location="loc-lilas-video", limit=4))
    assert {s.location_ref for s in by_place} == {"Location/loc-lilas-video"}


def test_no_slot_in_the_past_is_offered(fresh_clinic: Sandbox) -> None:
    later = NOW.astimezone(PARIS) + dt.timedelta(days=10)
    with FhirClient(fresh_clinic.base_url) as fhir:
        client = SchedulingClient(fhir, clock=lambda: later)
        slots = client.find_slots(SlotQuery(service="hs-cardiology", limit=5))
    assert len(slots) == 5
    assert all(s.start >= later for s in slots)


def test_both_paths_offer_the_same_slots(fresh_clinic: Sandbox) -> None:
    query = SlotQuery(service="hs-cardiology", time_of_day="afternoon", limit=5)
    with FhirClient(fresh_clinic.base_url) as fhir:
        rest = SchedulingClient(fhir, clock=frozen).find_slots(query)
        fresh_clinic.set_argonaut(True)
        argonaut_client = SchedulingClient(fhir, clock=frozen)
        assert argonaut_client.refresh_capabilities() == "argonaut"
        argonaut = argonaut_client.find_slots(query)
    assert [s.id for s in rest] == [s.id for s in argonaut]
    assert [(s.practitioner, s.location, s.service) for s in rest] == [
        (s.practitioner, s.location, s.service) for s in argonaut
    ]


def test_an_unknown_service_is_a_clear_error(scheduling: SchedulingClient) -> None:
    with pytest.raises(ValueError, match="HealthcareService/hs-dentistry"):
        scheduling.find_slots(SlotQuery(service="hs-dentistry"))


def test_query_rejects_naive_times_and_bad_preferences() -> None:
    with pytest.raises(ValueError, match="time zone"):
        SlotQuery(start=dt.datetime(2030, 1, 1, 9, 0))
    with pytest.raises(ValueError, match="time_of_day"):
        SlotQuery(time_of_day="night")  # type: ignore[arg-type]
