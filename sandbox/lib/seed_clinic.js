'use strict';
// The demo clinic as FHIR resources: Organization, Locations, Practitioners, PractitionerRoles,
// HealthcareServices, one Schedule per role and Slots on working days over the horizon.
// Everything is derived from clinic.json and the calendar date, so ids are stable and seeding
// twice yields the same resources. Some slots are busy from the start, chosen by a hash of the
// slot id rather than randomness, so tests and docs can rely on them.
const { localInstant, addDays, dateKey, dateText, pad } = require('./clock');

const ROLE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/practitioner-role';
const ROLE_DISPLAY = { doctor: 'Doctor', nurse: 'Nurse' };
const APPOINTMENT_TYPE = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0276', code: 'ROUTINE', display: 'Routine appointment' }],
};

function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function minutesOf(hhmm) {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

function serviceConcept(clinic, service) {
  return {
    coding: [{ system: clinic.serviceSystem, code: service.code, display: service.name }],
    text: service.name,
  };
}

function staticResources(clinic) {
  const org = clinic.organization;
  const orgRef = { reference: `Organization/${org.id}`, display: org.name };
  const out = [
    {
      resourceType: 'Organization',
      id: org.id,
      active: true,
      name: org.name,
      telecom: [{ system: 'phone', value: org.phone, use: 'work' }],
      address: [org.address],
    },
  ];
  for (const loc of clinic.locations) {
    const resource = {
      resourceType: 'Location',
      id: loc.id,
      status: 'active',
      name: loc.name,
      mode: loc.mode,
      physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: loc.physicalType }] },
      managingOrganization: orgRef,
    };
    if (loc.address) resource.address = loc.address;
    out.push(resource);
  }
  const locationsById = new Map(clinic.locations.map((l) => [l.id, l]));
  for (const service of clinic.services) {
    const locations = clinic.staff.filter((s) => s.service === service.id).map((s) => s.location);
    const resource = {
      resourceType: 'HealthcareService',
      id: service.id,
      active: true,
      providedBy: orgRef,
      type: [serviceConcept(clinic, service)],
      name: service.name,
      comment: service.nameFr,
      location: [...new Set(locations)].map((id) => ({ reference: `Location/${id}`, display: locationsById.get(id).name })),
      appointmentRequired: true,
    };
    if (service.specialty) resource.specialty = [{ coding: [service.specialty], text: service.specialty.display }];
    out.push(resource);
  }
  return out;
}

function staffResources(clinic, member) {
  const service = clinic.services.find((s) => s.id === member.service);
  const location = clinic.locations.find((l) => l.id === member.location);
  if (!service || !location) throw new Error(`clinic.json: ${member.id} names an unknown service or location`);
  const display = `${member.prefix ? `${member.prefix} ` : ''}${member.given} ${member.family}`;
  const roleId = `role-${member.id}`;
  const practitioner = {
    resourceType: 'Practitioner',
    id: member.id,
    active: true,
    name: [{ family: member.family, given: [member.given], prefix: member.prefix ? [member.prefix] : undefined }],
    gender: member.gender,
  };
  if (!member.prefix) delete practitioner.name[0].prefix;
  const role = {
    resourceType: 'PractitionerRole',
    id: roleId,
    active: true,
    practitioner: { reference: `Practitioner/${member.id}`, display },
    organization: { reference: `Organization/${clinic.organization.id}`, display: clinic.organization.name },
    code: [{ coding: [{ system: ROLE_SYSTEM, code: member.role, display: ROLE_DISPLAY[member.role] }] }],
    location: [{ reference: `Location/${location.id}`, display: location.name }],
    healthcareService: [{ reference: `HealthcareService/${service.id}`, display: service.name }],
    availableTime: [
      {
        daysOfWeek: member.weekdays.map((d) => ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][d]),
        availableStartTime: `${member.hours[0][0]}:00`,
        availableEndTime: `${member.hours[member.hours.length - 1][1]}:00`,
      },
    ],
  };
  if (service.specialty) role.specialty = [{ coding: [service.specialty], text: service.specialty.display }];
  return { practitioner, role, service, location, display, roleId };
}

/** Every clinic resource for the horizon starting at `today` (a {year, month, day} in the clinic's zone). */
function clinicResources(clinic, today, { nowMs = Date.now(), horizonDays = clinic.horizonDays } = {}) {
  const out = staticResources(clinic);
  const lastDay = addDays(today, horizonDays);
  for (const member of clinic.staff) {
    const { practitioner, role, service, location, display, roleId } = staffResources(clinic, member);
    out.push(practitioner, role);
    const scheduleId = `schedule-${member.id}`;
    const serviceType = [serviceConcept(clinic, service)];
    const specialty = service.specialty ? [{ coding: [service.specialty] }] : undefined;
    const schedule = {
      resourceType: 'Schedule',
      id: scheduleId,
      active: true,
      serviceType,
      actor: [
        { reference: `PractitionerRole/${roleId}`, display },
        { reference: `Practitioner/${member.id}`, display },
        { reference: `Location/${location.id}`, display: location.name },
      ],
      planningHorizon: {
        start: localInstant(clinic.timeZone, { ...today, hour: 0, minute: 0 }).text,
        end: localInstant(clinic.timeZone, { ...lastDay, hour: 0, minute: 0 }).text,
      },
      comment: `${service.name} with ${display}, ${member.minutes}-minute appointments`,
    };
    if (specialty) schedule.specialty = specialty;
    out.push(schedule);
    for (let offset = 0; offset < horizonDays; offset += 1) {
      const day = addDays(today, offset);
      if (!member.weekdays.includes(day.weekday)) continue;
      for (const [from, to] of member.hours) {
        for (let m = minutesOf(from); m + member.minutes <= minutesOf(to); m += member.minutes) {
          const start = localInstant(clinic.timeZone, { ...day, hour: Math.floor(m / 60), minute: m % 60 });
          if (start.epochMs <= nowMs) continue; // a slot that has begun can no longer be offered
          const endMinute = m + member.minutes;
          const end = localInstant(clinic.timeZone, { ...day, hour: Math.floor(endMinute / 60), minute: endMinute % 60 });
          const id = `slot-${member.id}-${dateKey(day)}-${pad(Math.floor(m / 60))}${pad(m % 60)}`;
          const busy = fnv1a(id) % 100 < clinic.busyPercent;
          const slot = {
            resourceType: 'Slot',
            id,
            schedule: { reference: `Schedule/${scheduleId}` },
            status: busy ? 'busy' : 'free',
            start: start.text,
            end: end.text,
            serviceType,
            appointmentType: APPOINTMENT_TYPE,
            comment: `${service.name}, ${display}, ${location.name}, ${dateText(day)}`,
          };
          if (specialty) slot.specialty = specialty;
          out.push(slot);
        }
      }
    }
  }
  return out;
}

module.exports = { clinicResources };
