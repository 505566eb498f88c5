'use strict';
// Seeding writes straight into the repository (no HTTP round trips) and only creates what is
// missing: a second seed, or a seed after bookings were made, changes nothing that exists, so
// resource versions and booked slots survive. That is what "idempotent" means here.
const path = require('node:path');
const { syntheaFiles, syntheaResources } = require('./seed_synthea');
const { clinicResources } = require('./seed_clinic');
const { todayIn, parseDate, localInstant } = require('./clock');

async function createMissing(repo, resources, counts) {
  for (const resource of resources) {
    const key = resource.resourceType;
    counts[key] = counts[key] || { created: 0, existing: 0 };
    try {
      await repo.readResource(resource.resourceType, resource.id);
      counts[key].existing += 1;
      continue;
    } catch {
      // not there yet: create it below
    }
    await repo.createResource(resource, { assignedId: true });
    counts[key].created += 1;
  }
}

/**
 * Seed the Synthea patients found in `syntheaDir` and the clinic described by `clinic` (and `extra`
 * resources, e.g. the RelatedPerson links of the sign-in accounts when --auth is on).
 * Returns per-type created/existing counts, the patients seeded and the seconds taken.
 */
async function seed(repo, { syntheaDir, clinic, today, nowMs = Date.now(), extra = [] }) {
  const started = process.hrtime.bigint();
  const counts = {};
  const patients = [];
  if (syntheaDir) {
    for (const file of syntheaFiles(syntheaDir)) {
      const { patientId, resources } = syntheaResources(file);
      await repo.withSeeding(() => createMissing(repo, resources, counts));
      patients.push({ id: patientId, file: path.basename(file), resources: resources.length });
    }
  }
  let slots = 0;
  if (clinic) {
    const day = today ? parseDate(today) : todayIn(clinic.timeZone, nowMs);
    // A fixed `today` is a frozen clock: its slots exist from that midnight on, whatever the
    // machine's date (otherwise a date in the past would seed no slot at all).
    const cutoffMs = today ? localInstant(clinic.timeZone, { ...day, hour: 0, minute: 0 }).epochMs - 1 : nowMs;
    const resources = clinicResources(clinic, day, { nowMs: cutoffMs });
    slots = resources.filter((r) => r.resourceType === 'Slot').length;
    await repo.withSeeding(() => createMissing(repo, resources, counts));
  }
  if (extra.length) await repo.withSeeding(() => createMissing(repo, extra, counts));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { counts, patients, slots, seconds };
}

module.exports = { seed };
