'use strict';
// Argonaut Scheduling mode of the demo clinic: Appointment/$find and Appointment/$book, switched on
// and off at run time (POST /$admin/argonaut {"enabled": true}). Real EHRs differ here: some only
// offer these operations (and refuse direct Slot writes), others only plain Slot + Appointment
// REST. Switching lets the same tests drive the assistant's client down both paths.
//
// $find answers proposed Appointments (status "proposed", one free Slot each, nothing stored).
// $book takes the chosen one back as the `appt-resource` parameter and books it atomically: the
// Slot check, the Slot update and the Appointment create run under one lock, and an Appointment
// whose identifier is already booked is returned again instead of booking twice (a retry after a
// timeout is safe). A slot that is no longer free answers 409 with an OperationOutcome.
//
// Also here: "someone else takes the slot" (POST /$admin/take-slot {"slot": id}), which marks a
// slot busy behind the assistant's back, as a phone booking at the front desk would.

const FIND_DEFINITION = 'http://fhir.org/guides/argonaut-scheduling/OperationDefinition/appointment-find';
const BOOK_DEFINITION = 'http://fhir.org/guides/argonaut-scheduling/OperationDefinition/appointment-book';
const MAX_FIND = 200;

function outcome(code, text) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}

/** A promise chain used as a mutex: one $book (or take-slot) at a time. */
class Lock {
  constructor() {
    this.tail = Promise.resolve();
  }

  run(fn) {
    const result = this.tail.then(fn, fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/** Parameters (POST body) or the query string, as name → list of values. */
function operationParams(searchParams, body) {
  const params = new Map();
  const add = (name, value) => params.set(name, [...(params.get(name) || []), value]);
  for (const [name, value] of searchParams) add(name, value);
  if (body && body.resourceType === 'Parameters') {
    for (const p of body.parameter || []) {
      if (!p || !p.name) continue;
      if (p.resource) add(p.name, p.resource);
      else {
        const key = Object.keys(p).find((k) => k.startsWith('value'));
        if (key) add(p.name, p[key] && p[key].reference ? p[key].reference : p[key]);
      }
    }
  }
  return params;
}

function first(params, name) {
  const values = params.get(name);
  return values && values.length ? values[0] : undefined;
}

function createArgonaut({ router, repo }) {
  const state = { enabled: false };
  const lock = new Lock();

  async function get(url) {
    const [oo, bundle] = await router.handleRequest({ method: 'GET', url, body: undefined, params: {}, query: {}, headers: {} }, repo);
    if (!bundle) throw Object.assign(new Error(`internal search ${url} failed`), { outcome: oo });
    return bundle;
  }

  function resources(bundle, type) {
    return (bundle.entry || []).map((e) => e.resource).filter((r) => r && r.resourceType === type);
  }

  function actorOf(schedule, type) {
    return (schedule.actor || []).find((a) => a.reference && a.reference.startsWith(`${type}/`));
  }

  function proposal(slot, schedule, patient) {
    const participant = [];
    for (const type of ['Practitioner', 'Location']) {
      const actor = schedule && actorOf(schedule, type);
      if (actor) participant.push({ actor: { reference: actor.reference, display: actor.display }, required: 'required', status: 'needs-action' });
    }
    if (patient) participant.push({ actor: { reference: patient }, required: 'required', status: 'needs-action' });
    const appt = {
      resourceType: 'Appointment',
      status: 'proposed',
      start: slot.start,
      end: slot.end,
      slot: [{ reference: `Slot/${slot.id}` }],
      participant,
    };
    for (const key of ['serviceType', 'specialty', 'appointmentType']) if (slot[key]) appt[key] = slot[key];
    return appt;
  }

  async function find(params) {
    const scheduleQuery = new URLSearchParams({ active: 'true', _count: '1000' });
    const visitType = first(params, 'visit-type') || first(params, 'service-type');
    if (visitType) scheduleQuery.append('service-type', visitType);
    if (first(params, 'specialty')) scheduleQuery.append('specialty', first(params, 'specialty'));
    for (const name of ['practitioner', 'provider', 'location']) {
      for (const ref of params.get(name) || []) {
        const type = name === 'location' ? 'Location' : 'Practitioner';
        scheduleQuery.append('actor', String(ref).includes('/') ? ref : `${type}/${ref}`);
      }
    }
    const schedules = resources(await get(`/Schedule?${scheduleQuery}`), 'Schedule');
    const entry = [];
    if (schedules.length) {
      const byRef = new Map(schedules.map((s) => [`Schedule/${s.id}`, s]));
      const count = Math.min(Number(first(params, '_count') || 20) || 20, MAX_FIND);
      const slotQuery = new URLSearchParams({ status: 'free', schedule: [...byRef.keys()].join(','), _sort: 'start', _count: String(count) });
      if (first(params, 'start')) slotQuery.append('start', `ge${first(params, 'start')}`);
      if (first(params, 'end')) slotQuery.append('start', `lt${first(params, 'end')}`);
      const patient = first(params, 'patient');
      const patientRef = patient ? (String(patient).includes('/') ? patient : `Patient/${patient}`) : null;
      for (const slot of resources(await get(`/Slot?${slotQuery}`), 'Slot')) {
        entry.push({ resource: proposal(slot, byRef.get(slot.schedule.reference), patientRef), search: { mode: 'match' } });
      }
    }
    return [200, { resourceType: 'Bundle', type: 'searchset', total: entry.length, entry }];
  }

  async function book(params) {
    const appt = first(params, 'appt-resource');
    if (!appt || appt.resourceType !== 'Appointment') return [400, outcome('required', '$book needs an Appointment in the appt-resource parameter')];
    const slotRef = appt.slot && appt.slot[0] && appt.slot[0].reference;
    if (!slotRef || !slotRef.startsWith('Slot/')) return [400, outcome('required', 'the appointment to book must reference its Slot')];
    if (!(appt.participant || []).some((p) => p.actor && String(p.actor.reference || '').startsWith('Patient/'))) {
      return [400, outcome('required', 'the appointment to book must name the patient as a participant')];
    }
    return lock.run(async () => {
      const ident = (appt.identifier || []).find((i) => i.system && i.value);
      if (ident) {
        const query = new URLSearchParams({ identifier: `${ident.system}|${ident.value}` });
        const existing = resources(await get(`/Appointment?${query}`), 'Appointment').find((a) => a.status !== 'cancelled');
        if (existing) return [200, { resourceType: 'Bundle', type: 'searchset', total: 1, entry: [{ resource: existing, search: { mode: 'match' } }] }];
      }
      let slot;
      try {
        slot = await repo.readResource('Slot', slotRef.slice(5));
      } catch {
        return [404, outcome('not-found', `${slotRef} does not exist`)];
      }
      if (slot.status !== 'free') return [409, outcome('conflict', `${slotRef} is no longer free`)];
      const busy = await repo.updateResource({ ...slot, status: 'busy' }, { ifMatch: slot.meta.versionId });
      const booked = { ...appt, status: 'booked', start: slot.start, end: slot.end };
      delete booked.id;
      delete booked.meta;
      booked.participant = (booked.participant || []).map((p) => ({ ...p, status: 'accepted' }));
      let created;
      try {
        created = await repo.createResource(booked);
      } catch (err) {
        // An atomic $book leaves nothing half done: the slot goes back to free.
        await repo.updateResource({ ...busy, status: 'free' }, { ifMatch: busy.meta.versionId });
        throw err;
      }
      return [201, { resourceType: 'Bundle', type: 'searchset', total: 1, entry: [{ resource: created, search: { mode: 'match' } }] }];
    });
  }

  return {
    get enabled() {
      return state.enabled;
    },
    setEnabled(value) {
      state.enabled = Boolean(value);
      return { enabled: state.enabled };
    },

    /** Operations to list on the Appointment entry of the CapabilityStatement (none when off). */
    appointmentOperations() {
      if (!state.enabled) return [];
      return [
        { name: 'find', definition: FIND_DEFINITION },
        { name: 'book', definition: BOOK_DEFINITION },
      ];
    },

    handles(segments) {
      return segments.length === 2 && segments[0] === 'Appointment' && ['$find', '$book'].includes(segments[1]);
    },

    async handle(method, segments, searchParams, body) {
      const op = segments[1];
      if (!state.enabled) {
        return [404, outcome('not-supported', `Appointment/${op} is not offered: the sandbox's Argonaut mode is off`)];
      }
      const params = operationParams(searchParams, body);
      if (op === '$find' && ['GET', 'POST'].includes(method)) return find(params);
      if (op === '$book' && method === 'POST') return book(params);
      return [405, outcome('not-supported', `Appointment/${op} does not answer ${method}`)];
    },

    /** Someone else (front desk, another app) takes a slot: it turns busy with a new version. */
    takeSlot(id) {
      return lock.run(async () => {
        let slot;
        try {
          slot = await repo.readResource('Slot', String(id));
        } catch {
          return [404, outcome('not-found', `Slot/${id} does not exist`)];
        }
        const busy = await repo.updateResource({ ...slot, status: 'busy' }, { ifMatch: slot.meta.versionId });
        return [200, busy];
      });
    },
  };
}

module.exports = { createArgonaut };
