"""Find, book, cancel and move appointments over FHIR R4, safely under races and server faults.

Two booking paths, chosen from the server's CapabilityStatement:

* **Argonaut** — the server lists ``Appointment/$find`` and ``$book``: slots come from ``$find``
  (proposed Appointments) and ``$book`` books one atomically on the server.
* **Slot + Appointment** (everything else) — read the Slot, mark it ``busy`` with ``If-Match`` on the
  version read (of twenty concurrent bookers exactly one wins; the others get 412 and are told the
  slot was taken, with the next free ones), then create the Appointment with a client-made
  identifier and ``If-None-Exist``, so a retried request returns the first Appointment instead of a
  second. If the create fails, the Slot is put back. While busy for us, the Slot carries a hold tag
  with the idempotency key: a retry recognises its own hold and finishes the booking, and
  ``recover()`` / ``release_stale_holds()`` free holds that a crash or an outage left behind.

Every call acts for one patient: bookings name them as participant, and cancel/reschedule refuse an
appointment they are not part of (reported as "not found", so ids of others' appointments leak
nothing). Writes go through ``system_client`` — the clinic's system credentials, which servers such
as Cerner require for Appointment writes — and reads that show data to the patient through
``client``, the patient's own access.

    scheduling = SchedulingClient(patient_fhir, system_client=clinic_fhir)
    slots = scheduling.find_slots(SlotQuery(service="hs-diabetes", time_of_day="morning"))
    result = scheduling.book(slots[0].id, "patient-1", idempotency_key=str(uuid.uuid4()))
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from fhir_client.client import FhirClient
from fhir_client.errors import (
    FhirConflict,
    FhirError,
    FhirHTTPError,
    FhirNotFound,
    FhirTransportError,
)
from fhir_client.results import FhirResult
from fhir_client.scheduling_models import (
    ACTIVE_APPOINTMENT_STATUSES,
    BOOKING_IDENTIFIER_SYSTEM,
    HOLD_TAG_SYSTEM,
    TIME_OF_DAY_HOURS,
    AppointmentInfo,
    AppointmentNotFound,
    BookingFailed,
    BookingFailureReason,
    BookingPath,
    BookingResult,
    CancelFailed,
    Clinician,
    FreeSlot,
    NotPatientsAppointment,
    RescheduleResult,
    SlotQuery,
    _Hold,
)
from fhir_client.scheduling_resources import (
    appointment_info,
    bare_id,
    check_key,
    concept_code,
    concept_tokens,
    free_slot,
    hold_key,
    is_patients,
    new_appointment,
    parse_instant,
    person_name,
    ref_of,
    slot_from_proposal,
    with_status,
)
from fhir_client.search import Search

__all__ = [
    "AppointmentInfo",
    "AppointmentNotFound",
    "BookingFailed",
    "BookingResult",
    "CancelFailed",
    "Clinician",
    "FreeSlot",
    "NotPatientsAppointment",
    "RescheduleResult",
    "SchedulingClient",
    "SlotQuery",
]

_PAGE = 100
_MAX_PAGES = 10
_ALTERNATIVES = 3
_WRITE_RETRIES = 3


def _instant(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


class SchedulingClient:
    """Scheduling for one clinic's FHIR server. Thread-safe: one instance may serve many patients."""

    def __init__(
        self,
        client: FhirClient,
        *,
        system_client: FhirClient | None = None,
        clock: Callable[[], dt.datetime],
        hold_grace: dt.timedelta = dt.timedelta(minutes=2),
    ) -> None:
        self.client = client
        self.system = system_client or client
        self.clock = clock  # from the composition root: slot searches start at its "now"
        # A booking whose outcome is unknown (a timeout) keeps its hold this long before recovery
        # may free it: the server may still be working on the request.
        self.hold_grace = hold_grace
        self._lock = threading.Lock()
        self._holds: dict[str, _Hold] = {}
        self._in_flight: dict[str, threading.Lock] = {}
        self._schedules: dict[str, dict[str, Any]] = {}
        self._displays: dict[str, str] = {}
        self._services: dict[str, dict[str, Any]] = {}
        self._argonaut: bool | None = None

    # -- capabilities ----------------------------------------------------------------------------

    @property
    def path(self) -> BookingPath:
        """``argonaut`` when the server advertises ``Appointment/$find`` and ``$book``."""
        if self._argonaut is None:
            caps = self.system.capabilities()
            self._argonaut = caps.has_operation("find", "Appointment") and caps.has_operation(
                "book", "Appointment"
            )
        return "argonaut" if self._argonaut else "slot-appointment"

    def refresh_capabilities(self) -> BookingPath:
        """Read the CapabilityStatement again (a server switched its scheduling mode)."""
        self.system.capabilities(refresh=True)
        self._argonaut = None
        return self.path

    # -- finding ---------------------------------------------------------------------------------

    def find_slots(self, query: SlotQuery) -> list[FreeSlot]:
        """Free slots matching the query, soonest first, at most ``query.limit``; never past ones."""
        self._recover_quietly()
        now = self.clock()
        start = max(query.start, now) if query.start else now
        if query.end is not None and query.end <= start:
            return []
        if self.path == "argonaut":
            found = self._find_argonaut(query, start)
        else:
            found = self._find_rest(query, start)
        return found[: query.limit]

    def slot_is_free(self, slot_id: str) -> bool:
        """A fresh look at one slot (before asking the patient to confirm it)."""
        try:
            return (self.system.read("Slot", bare_id(slot_id, "Slot")).resource or {}).get("status") == "free"
        except FhirNotFound:
            return False

    def _service_tokens(self, service: str) -> list[str]:
        if "|" in service:
            return [service]
        sid = bare_id(service, "HealthcareService")
        hs = self._service(sid)
        tokens = concept_tokens(hs.get("type"))
        if not tokens:
            raise ValueError(f"HealthcareService/{sid} names no service type to search slots by")
        return tokens

    def _service(self, sid: str) -> dict[str, Any]:
        with self._lock:
            cached = self._services.get(sid)
        if cached is not None:
            return cached
        try:
            hs = self.client.read("HealthcareService", sid).resource or {}
        except FhirNotFound:
            raise ValueError(f"the clinic has no HealthcareService/{sid}") from None
        with self._lock:
            self._services[sid] = hs
        return hs

    def services(self) -> list[dict[str, Any]]:
        """The clinic's active HealthcareServices (so a conversation can match "sugar" to one)."""
        found = list(self.client.iter(Search("HealthcareService").where(active="true").count(_PAGE)))
        with self._lock:
            for hs in found:
                if isinstance(hs.get("id"), str):
                    self._services[hs["id"]] = hs
        return found

    def _keep(self, slot: FreeSlot, query: SlotQuery) -> bool:
        """The local-time filters FHIR search cannot express (part of day, "after 2pm")."""
        if query.time_of_day is None and query.earliest is None and query.latest is None:
            return True
        local = slot.start.astimezone(ZoneInfo(query.timezone)) if query.timezone else slot.start
        if query.time_of_day is not None:
            low, high = TIME_OF_DAY_HOURS[query.time_of_day]
            if not low <= local.hour < high:
                return False
        clock = local.time().replace(tzinfo=None)
        if query.earliest is not None and clock < query.earliest:
            return False
        return query.latest is None or clock < query.latest

    def _find_rest(self, query: SlotQuery, start: dt.datetime) -> list[FreeSlot]:
        search = Search("Slot").where(status="free").date_ge(_instant(start), "start")
        if query.end is not None:
            search = search.date_lt(_instant(query.end), "start")
        if query.service:
            search = search.param("service-type", ",".join(self._service_tokens(query.service)))
        if query.specialty:
            search = search.param("specialty", query.specialty)
        if query.all_practitioners or query.location:
            schedules = self._schedules_for(query)
            if not schedules:
                return []
            search = search.param("schedule", ",".join(schedules))
        search = search.sort("start").count(_PAGE).include("Slot:schedule")
        out: list[FreeSlot] = []
        for page in self.client.iter_pages(search, max_pages=_MAX_PAGES):
            self._remember_schedules(page.included)
            for raw in page.resources:
                slot = free_slot(raw, self._schedule(ref_of(raw.get("schedule"))), self._displays_for(raw))
                if slot is not None and slot.start >= start and self._keep(slot, query):
                    out.append(slot)
            if len(out) >= query.limit:
                break
        return out

    def _schedules_for(self, query: SlotQuery) -> list[str]:
        search = Search("Schedule").where(active="true").count(_PAGE)
        if query.all_practitioners:
            search = search.param("actor", _practitioner_refs(query))
        if query.location:
            search = search.param("actor", f"Location/{bare_id(query.location, 'Location')}")
        schedules = list(self.client.iter(search))
        self._remember_schedules(schedules)
        return [f"Schedule/{s['id']}" for s in schedules if isinstance(s.get("id"), str)]

    def _remember_schedules(self, resources: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            for res in resources:
                if res.get("resourceType") == "Schedule" and isinstance(res.get("id"), str):
                    self._schedules[f"Schedule/{res['id']}"] = dict(res)

    def _schedule(self, ref: str | None) -> dict[str, Any] | None:
        if not ref or not ref.startswith("Schedule/"):
            return None
        with self._lock:
            cached = self._schedules.get(ref)
        if cached is not None:
            return cached
        try:
            schedule = self.system.read(ref).resource
        except FhirNotFound:
            return None
        if schedule:
            self._remember_schedules([schedule])
        return schedule

    def _displays_for(self, slot: Mapping[str, Any]) -> dict[str, str]:
        """Names of the schedule's practitioner and location when the schedule gives none."""
        schedule = self._schedule(ref_of(slot.get("schedule"))) or {}
        out: dict[str, str] = {}
        for item in schedule.get("actor") or []:
            ref = ref_of(item)
            if not ref or (isinstance(item, Mapping) and item.get("display")):
                continue
            with self._lock:
                known = self._displays.get(ref)
            if known is None:
                try:
                    known = person_name(self.client.read(ref).resource or {}) or ""
                except FhirError:
                    known = ""
                with self._lock:
                    self._displays[ref] = known
            if known:
                out[ref] = known
        return out

    def clinicians(self) -> list[Clinician]:
        """The clinic's active practitioners with their gender, roles and services, read from
        PractitionerRole (with the Practitioner included), so a patient can ask for "Dr Martin" or
        "a woman doctor". One entry per practitioner, in the server's order."""
        search = (
            Search("PractitionerRole")
            .where(active="true")
            .include("PractitionerRole:practitioner")
            .count(_PAGE)
        )
        results = self.client.search_all(search, max_pages=_MAX_PAGES)
        people = {ref: r for ref, r in results.included.items() if ref.startswith("Practitioner/")}
        found: dict[str, Clinician] = {}
        for role in results.resources:
            ref = ref_of(role.get("practitioner"))
            if not ref or not ref.startswith("Practitioner/"):
                continue
            person = people.get(ref, {})
            display = role["practitioner"].get("display")
            name = person_name(person) or (display if isinstance(display, str) else None)
            if name is None:
                continue
            given, family = _name_parts(person)
            services = tuple(r for r in (ref_of(s) for s in role.get("healthcareService") or []) if r)
            roles = tuple(c for c in (concept_code(x) for x in role.get("code") or []) if c)
            known = found.get(ref)
            if known is not None:
                services = tuple(dict.fromkeys(known.services + services))
                roles = tuple(dict.fromkeys(known.roles + roles))
            gender = person.get("gender")
            found[ref] = Clinician(
                ref=ref,
                name=name,
                given=given,
                family=family,
                gender=gender if isinstance(gender, str) else None,
                roles=roles,
                services=services,
            )
        return list(found.values())

    def _find_argonaut(self, query: SlotQuery, start: dt.datetime) -> list[FreeSlot]:
        params: dict[str, Any] = {"start": _instant(start)}
        if query.end is not None:
            params["end"] = _instant(query.end)
        if query.service:
            params["visit-type"] = ",".join(self._service_tokens(query.service))
        if query.specialty:
            params["specialty"] = query.specialty
        if query.all_practitioners:
            params["practitioner"] = _practitioner_refs(query)
        if query.location:
            params["location"] = f"Location/{bare_id(query.location, 'Location')}"
        # Local-time preferences are applied here, so ask for enough to filter from.
        timed = query.time_of_day is not None or query.earliest is not None or query.latest is not None
        params["_count"] = 200 if timed else query.limit
        result = self.client.operation(
            "find", resource_type="Appointment", parameters=params, method="GET", writes=False
        )
        out: list[FreeSlot] = []
        for entry in (result.resource or {}).get("entry") or []:
            res = entry.get("resource") if isinstance(entry, Mapping) else None
            if isinstance(res, Mapping) and res.get("resourceType") == "Appointment":
                slot = slot_from_proposal(res)
                if slot is not None and slot.start >= start and self._keep(slot, query):
                    out.append(slot)
        return out

    def _alternatives(self, slot: Mapping[str, Any], exclude: str) -> tuple[FreeSlot, ...]:
        """The next free slots after a lost one: same practitioner first, then the same service."""
        start = parse_instant(slot.get("start")) or self.clock()
        schedule = self._schedule(ref_of(slot.get("schedule"))) or {}
        prac = next(
            (
                r
                for r in (ref_of(a) for a in schedule.get("actor") or [])
                if r and r.startswith("Practitioner/")
            ),
            None,
        )
        tokens = concept_tokens(slot.get("serviceType"))
        found: list[FreeSlot] = []
        try:
            if prac:
                found += self.find_slots(SlotQuery(practitioner=prac, start=start, limit=_ALTERNATIVES + 1))
            if len(found) < _ALTERNATIVES + 1 and tokens:
                found += self.find_slots(
                    SlotQuery(service=",".join(tokens), start=start, limit=_ALTERNATIVES + 1)
                )
        except (FhirError, ValueError):
            return ()
        seen: set[str] = {exclude}
        unique: list[FreeSlot] = []
        for item in sorted(found, key=lambda s: s.start):
            if item.id not in seen:
                seen.add(item.id)
                unique.append(item)
        return tuple(unique[:_ALTERNATIVES])

    # -- booking ---------------------------------------------------------------------------------

    def book(self, slot_id: str, patient_id: str, *, idempotency_key: str) -> BookingResult:
        """Book the slot for the patient. The same key always yields the same single Appointment.

        Raises ``BookingFailed`` (reason, next free alternatives) when nothing was booked.
        """
        sid = bare_id(slot_id, "Slot")
        pid = bare_id(patient_id, "Patient")
        key = check_key(idempotency_key)
        # The same key twice at once in this process (a double click reaching two threads): the second
        # waits for the first and then finds its appointment, instead of racing it to the server.
        with self._lock:
            gate = self._in_flight.setdefault(key, threading.Lock())
        try:
            with gate:
                return self._book_once(sid, pid, key)
        finally:
            with self._lock:
                if self._in_flight.get(key) is gate and not gate.locked():
                    del self._in_flight[key]

    def _book_once(self, sid: str, pid: str, key: str) -> BookingResult:
        self._recover_quietly(keep=key)
        try:
            existing = self._appointment_by_key(key)
        except FhirError as exc:
            raise self._failed("server_unavailable", sid, exc) from exc
        if existing is not None:
            return self._replay(existing, sid, pid, key)
        if self.path == "argonaut":
            return self._book_argonaut(sid, pid, key)
        return self._book_rest(sid, pid, key)

    def _replay(self, existing: FhirResult, sid: str, pid: str, key: str) -> BookingResult:
        res = existing.resource or {}
        info = appointment_info(res, existing.version_id)
        if not is_patients(res, pid) or sid not in info.slot_ids:
            raise BookingFailed(
                "this booking key was already used for a different booking; start a new one",
                reason="invalid_request",
                slot_id=sid,
            )
        if info.status not in ACTIVE_APPOINTMENT_STATUSES:
            raise BookingFailed(
                f"this booking was already made and then {info.status}; start a new one",
                reason="invalid_request",
                slot_id=sid,
            )
        with self._lock:
            self._holds.pop(key, None)
        return BookingResult(info, sid, key, created=False, path=self.path)

    def _appointment_by_key(self, key: str) -> FhirResult | None:
        page = self.system.search(
            Search("Appointment").where(identifier=f"{BOOKING_IDENTIFIER_SYSTEM}|{key}").count(5)
        )
        for res in page.resources:
            meta = res.get("meta")
            version = meta.get("versionId") if isinstance(meta, Mapping) else None
            return FhirResult(status=200, resource=res, etag=f'W/"{version}"' if version else None)
        return None

    def _failed(
        self,
        reason: BookingFailureReason,
        sid: str,
        cause: BaseException | None = None,
        *,
        slot: Mapping[str, Any] | None = None,
        held: bool = False,
    ) -> BookingFailed:
        texts: dict[str, str] = {
            "slot_taken": f"Slot/{sid} was taken by someone else before the booking went through",
            "slot_not_found": f"Slot/{sid} does not exist on the scheduling server",
            "server_unavailable": "the scheduling server failed, so nothing was booked",
            "outcome_unknown": (
                "the scheduling server did not answer in time; retrying with the same key is safe"
            ),
            "invalid_request": "the booking request was refused",
        }
        message = texts[reason]
        if cause is not None and reason != "slot_taken":
            message = f"{message} ({cause})"
        alternatives = self._alternatives(slot, sid) if slot is not None else ()
        return BookingFailed(message, reason=reason, slot_id=sid, alternatives=alternatives, slot_held=held)

    def _book_rest(self, sid: str, pid: str, key: str) -> BookingResult:
        try:
            read = self.system.read("Slot", sid)
        except FhirNotFound as exc:
            raise self._failed("slot_not_found", sid, exc) from exc
        except FhirError as exc:
            raise self._failed("server_unavailable", sid, exc) from exc
        slot = read.resource or {}
        ours = slot.get("status") == "busy" and hold_key(slot) == key
        if slot.get("status") != "free" and not ours:
            raise self._failed("slot_taken", sid, slot=slot)
        if not ours:
            self._take(slot, read.version_id, sid, key)
        schedule = self._schedule(ref_of(slot.get("schedule")))
        appointment = new_appointment(
            slot,
            schedule,
            pid,
            key,
            status="booked",
            displays=self._displays_for(slot),
            created=self.clock(),
        )
        try:
            created = self.system.create(
                appointment, if_none_exist={"identifier": f"{BOOKING_IDENTIFIER_SYSTEM}|{key}"}
            )
        except FhirError as exc:
            return self._after_failed_create(exc, sid, pid, key, slot)
        with self._lock:
            self._holds.pop(key, None)
        res = created.resource or {}
        return BookingResult(
            appointment_info(res, created.version_id),
            sid,
            key,
            created=created.created,
            path="slot-appointment",
        )

    def _take(self, slot: Mapping[str, Any], version: str | None, sid: str, key: str) -> None:
        """Mark the slot busy for this booking, only if nobody changed it since it was read."""
        busy = with_status(slot, "busy", hold=key)
        try:
            self.system.update(busy, if_match=version)
        except FhirConflict as exc:
            # Taken since it was read — by someone else, or by this same booking sent twice at once
            # from another process, whose hold then carries our key: that is not "taken".
            try:
                now = self.system.read("Slot", sid).resource or {}
            except FhirError:
                now = {}
            if not (now.get("status") == "busy" and hold_key(now) == key):
                raise self._failed("slot_taken", sid, exc, slot=slot) from exc
        except FhirTransportError as exc:
            # The update may or may not have landed: look before deciding.
            try:
                now = self.system.read("Slot", sid).resource or {}
            except FhirError:
                self._remember_hold(key, sid, unknown=True)
                raise self._failed("outcome_unknown", sid, exc, held=True) from exc
            if not (now.get("status") == "busy" and hold_key(now) == key):
                reason: BookingFailureReason = (
                    "slot_taken" if now.get("status") != "free" else "server_unavailable"
                )
                raise self._failed(reason, sid, exc, slot=slot) from exc
        except FhirError as exc:
            raise self._failed("server_unavailable", sid, exc) from exc

    def _after_failed_create(
        self, exc: FhirError, sid: str, pid: str, key: str, slot: Mapping[str, Any]
    ) -> BookingResult:
        """The Appointment create failed after the slot was taken: finish or put the slot back."""
        try:
            existing = self._appointment_by_key(key)
        except FhirError:
            existing = None
        if existing is not None:  # it did land (an answer lost on the way back)
            return self._replay(existing, sid, pid, key)
        if isinstance(exc, FhirTransportError):
            # The create may still be applied by a server that is slow rather than dead: keep the
            # hold; a retry with the same key finishes, recovery frees it after the grace period.
            self._remember_hold(key, sid, unknown=True)
            raise self._failed("outcome_unknown", sid, exc, held=True) from exc
        released = self._release_hold(sid, key)
        if not released:  # the server is still down: recovery frees the slot once it is back
            self._remember_hold(key, sid, unknown=False)
        reason: BookingFailureReason = "server_unavailable"
        if isinstance(exc, FhirHTTPError) and exc.status in (400, 422):
            reason = "invalid_request"
        raise self._failed(reason, sid, exc, slot=slot if released else None, held=not released) from exc

    def _book_argonaut(self, sid: str, pid: str, key: str) -> BookingResult:
        try:
            slot = self.system.read("Slot", sid).resource or {}
        except FhirNotFound as exc:
            raise self._failed("slot_not_found", sid, exc) from exc
        except FhirError as exc:
            raise self._failed("server_unavailable", sid, exc) from exc
        if slot.get("status") != "free":
            raise self._failed("slot_taken", sid, slot=slot)
        proposed = new_appointment(
            slot,
            self._schedule(ref_of(slot.get("schedule"))),
            pid,
            key,
            status="proposed",
            displays=self._displays_for(slot),
            created=self.clock(),
        )
        try:
            result = self.system.operation(
                "book", resource_type="Appointment", parameters={"appt-resource": proposed}
            )
        except FhirConflict as exc:
            raise self._failed("slot_taken", sid, exc, slot=slot) from exc
        except FhirNotFound as exc:
            raise self._failed("slot_not_found", sid, exc) from exc
        except FhirError as exc:
            try:
                existing = self._appointment_by_key(key)
            except FhirError:
                existing = None
            if existing is not None:
                return self._replay(existing, sid, pid, key)
            reason: BookingFailureReason = (
                "outcome_unknown" if isinstance(exc, FhirTransportError) else "server_unavailable"
            )
            raise self._failed(
                reason, sid, exc, slot=slot if reason == "server_unavailable" else None
            ) from exc
        booked = _first_appointment(result.resource)
        if booked is None:
            raise self._failed("server_unavailable", sid, FhirError("$book returned no Appointment"))
        return BookingResult(
            appointment_info(booked), sid, key, created=result.status == 201, path="argonaut"
        )

    # -- holds and recovery ----------------------------------------------------------------------

    def _remember_hold(self, key: str, sid: str, *, unknown: bool) -> None:
        # Only failed bookings are remembered: a hold of a booking still in flight in another
        # thread must never be seen (and freed) by recovery.
        with self._lock:
            self._holds[key] = _Hold(key=key, slot_id=sid, since=self.clock(), outcome_unknown=unknown)

    def _release_hold(self, sid: str, key: str) -> bool:
        """Free the slot if our booking ``key`` still holds it and booked nothing; True when no hold
        of ours is left on it (freed now, or already gone)."""
        for _ in range(_WRITE_RETRIES):
            try:
                if self._appointment_by_key(key) is not None:
                    return True  # the booking exists: the slot is rightly busy
                read = self.system.read("Slot", sid)
                slot = read.resource or {}
                if hold_key(slot) != key:
                    return True
                self.system.update(with_status(slot, "free", hold=None), if_match=read.version_id)
                return True
            except FhirConflict:
                continue  # changed meanwhile: look again
            except FhirNotFound:
                return True
            except FhirError:
                return False
        return False

    def recover(self, *, now: dt.datetime | None = None) -> int:
        """Settle the holds this client left behind when the server failed mid-booking: finished
        bookings keep their slot, the others are freed (holds whose outcome is unknown only after
        ``hold_grace``). Returns how many holds were settled. Runs at the start of every call."""
        moment = now or self.clock()
        with self._lock:
            holds = list(self._holds.values())
        settled = 0
        for hold in holds:
            if hold.outcome_unknown and moment - hold.since < self.hold_grace:
                continue
            if self._release_hold(hold.slot_id, hold.key):
                with self._lock:
                    if self._holds.get(hold.key) is hold:
                        del self._holds[hold.key]
                settled += 1
        return settled

    def _recover_quietly(self, keep: str | None = None) -> None:
        with self._lock:
            pending = [h for h in self._holds.values() if h.key != keep]
        if not pending:
            return
        with contextlib.suppress(FhirError):  # the server is still down: the next call tries again
            self.recover()

    @property
    def pending_holds(self) -> list[str]:
        """Slot ids this client still holds for unfinished bookings (for monitoring and tests)."""
        with self._lock:
            return sorted(h.slot_id for h in self._holds.values())

    def release_stale_holds(self, *, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> list[str]:
        """Free slots that any process of ours marked busy for a booking that never got its
        Appointment (a crash between the two writes), once older than ``older_than``. For a
        periodic job; returns the slot ids freed."""
        cutoff = self.clock() - older_than
        freed: list[str] = []
        search = Search("Slot").where(_tag=f"{HOLD_TAG_SYSTEM}|", status="busy").count(_PAGE)
        for slot in list(self.system.iter(search)):
            key = hold_key(slot)
            meta = slot.get("meta")
            updated = parse_instant(meta.get("lastUpdated") if isinstance(meta, Mapping) else None)
            if key is None or not isinstance(slot.get("id"), str):
                continue
            if updated is not None and updated > cutoff:
                continue
            if self._appointment_by_key(key) is None and self._release_hold(slot["id"], key):
                freed.append(slot["id"])
        return freed

    # -- the patient's appointments --------------------------------------------------------------

    def _owned(self, appointment_id: str, patient_id: str) -> tuple[dict[str, Any], str | None]:
        aid = bare_id(appointment_id, "Appointment")
        pid = bare_id(patient_id, "Patient")
        try:
            read = self.system.read("Appointment", aid)
        except FhirNotFound:
            raise AppointmentNotFound(f"there is no appointment {aid} for this patient") from None
        res = read.resource or {}
        if not is_patients(res, pid):
            raise NotPatientsAppointment(f"there is no appointment {aid} for this patient")
        return res, read.version_id

    def appointment(self, appointment_id: str, patient_id: str) -> AppointmentInfo:
        """One of the patient's appointments (``AppointmentNotFound`` for anyone else's)."""
        res, version = self._owned(appointment_id, patient_id)
        return appointment_info(res, version)

    def upcoming(self, patient_id: str, *, now: dt.datetime | None = None) -> list[AppointmentInfo]:
        """The patient's active appointments that have not started yet, soonest first."""
        pid = bare_id(patient_id, "Patient")
        moment = now or self.clock()
        search = (
            Search("Appointment")
            .where(patient=f"Patient/{pid}", status=",".join(ACTIVE_APPOINTMENT_STATUSES))
            .date_ge(_instant(moment), "date")
            .sort("date")
            .count(_PAGE)
        )
        out = [
            appointment_info(res)
            for res in self.client.iter(search)
            if is_patients(res, pid) and res.get("status") in ACTIVE_APPOINTMENT_STATUSES
        ]
        out = [a for a in out if a.start is None or a.start >= moment]
        return sorted(out, key=lambda a: a.start or moment)

    def cancel(self, appointment_id: str, patient_id: str) -> AppointmentInfo:
        """Cancel one of the patient's appointments and free its slot, verified by reading it back.

        Cancelling an already cancelled appointment only makes sure its slot is free again.
        """
        self._recover_quietly()
        res, version = self._owned(appointment_id, patient_id)
        for _ in range(_WRITE_RETRIES):
            status = res.get("status")
            if status == "cancelled":
                break
            if status not in ACTIVE_APPOINTMENT_STATUSES:
                raise CancelFailed(f"Appointment/{res.get('id')} is {status} and cannot be cancelled")
            cancelled = {k: v for k, v in res.items() if k != "meta"}
            cancelled["status"] = "cancelled"
            cancelled["cancelationReason"] = {"text": "Cancelled by the patient"}
            try:
                result = self.system.update(cancelled, if_match=version)
            except FhirConflict:
                res, version = self._owned(appointment_id, patient_id)  # changed meanwhile
                continue
            except FhirError as exc:
                raise CancelFailed(f"cancelling Appointment/{res.get('id')} failed: {exc}") from exc
            res, version = result.resource or cancelled, result.version_id
            break
        else:
            raise CancelFailed(f"Appointment/{res.get('id')} kept changing while it was being cancelled")
        if res.get("status") != "cancelled":
            raise CancelFailed(f"Appointment/{res.get('id')} could not be cancelled")
        info = appointment_info(res, version)
        for sid in info.slot_ids:
            self._free_slot(sid, info.id)
        return info

    def _free_slot(self, sid: str, appointment_id: str) -> None:
        """Make the slot free unless another active appointment still uses it; verify by reading."""
        for _ in range(_WRITE_RETRIES):
            try:
                read = self.system.read("Slot", sid)
                slot = read.resource or {}
                if slot.get("status") == "free":
                    return
                others = [
                    a
                    for a in self.system.search(
                        Search("Appointment").where(
                            slot=f"Slot/{sid}", status=",".join(ACTIVE_APPOINTMENT_STATUSES)
                        )
                    ).resources
                    if a.get("id") != appointment_id
                ]
                if others:
                    return  # someone else's booking holds it now
                self.system.update(with_status(slot, "free", hold=None), if_match=read.version_id)
                if (self.system.read("Slot", sid).resource or {}).get("status") == "free":
                    return
            except FhirConflict:
                continue
            except FhirNotFound:
                return
            except FhirError as exc:
                raise CancelFailed(
                    f"the appointment is cancelled but freeing Slot/{sid} failed: {exc}"
                ) from exc
        raise CancelFailed(f"the appointment is cancelled but Slot/{sid} could not be freed")

    def reschedule(
        self, appointment_id: str, new_slot_id: str, patient_id: str, *, idempotency_key: str
    ) -> RescheduleResult:
        """Book the new slot first, then cancel the old appointment: the patient is never left with
        none. If the booking fails the old appointment is untouched (``BookingFailed``)."""
        res, version = self._owned(appointment_id, patient_id)
        previous = appointment_info(res, version)
        if previous.status not in ACTIVE_APPOINTMENT_STATUSES:
            raise AppointmentNotFound(
                f"Appointment/{previous.id} is {previous.status}, there is nothing to move"
            )
        booking = self.book(new_slot_id, patient_id, idempotency_key=idempotency_key)
        try:
            cancelled = self.cancel(previous.id, patient_id)
        except FhirError:
            return RescheduleResult(booking, previous, previous_cancelled=False)
        return RescheduleResult(booking, cancelled, previous_cancelled=True)


def _practitioner_refs(query: SlotQuery) -> str:
    """ "Practitioner/a,Practitioner/b": one search value, so any of them matches (FHIR's OR)."""
    return ",".join(f"Practitioner/{bare_id(p, 'Practitioner')}" for p in query.all_practitioners)


def _name_parts(person: Mapping[str, Any]) -> tuple[tuple[str, ...], str | None]:
    for name in person.get("name") or []:
        if isinstance(name, Mapping):
            given = tuple(str(g) for g in name.get("given") or [] if isinstance(g, str))
            family = name.get("family")
            return given, family if isinstance(family, str) else None
    return (), None


def _first_appointment(bundle: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not bundle:
        return None
    if bundle.get("resourceType") == "Appointment":
        return dict(bundle)
    for entry in bundle.get("entry") or []:
        res = entry.get("resource") if isinstance(entry, Mapping) else None
        if isinstance(res, Mapping) and res.get("resourceType") == "Appointment":
            return dict(res)
    return None
