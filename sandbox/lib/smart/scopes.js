'use strict';
// SMART on FHIR scopes (App Launch 2.0 with the 1.0 forms still accepted), parsed once and asked
// one question: may this token do <interaction> on <resource type> in <context>?
//   v2: patient/Observation.rs, patient/*.cruds, system/Slot.u   (c create, r read, u update,
//       d delete, s search; letters in that order)
//   v1: patient/*.read, patient/Observation.write, user/*.*       (read = r+s, write = c+u+d)
// Granular v2 scopes with a query (patient/Observation.rs?category=laboratory) grant nothing here:
// the server would have to filter by the query, and refusing is the safe reading.

const CONTEXTS = new Set(['patient', 'user', 'system']);
const V1 = { read: 'rs', write: 'cud', '*': 'cruds' };
const V2 = /^c?r?u?d?s?$/;

/** One scope string → { context, type, perms } or null when it is not a resource scope. */
function parseScope(scope) {
  const m = /^([a-z]+)\/([A-Za-z]+|\*)\.([a-z*]+)$/.exec(scope);
  if (!m || !CONTEXTS.has(m[1])) return null;
  const [, context, type, access] = m;
  let perms = V1[access];
  if (!perms) {
    if (!V2.test(access) || !access) return null;
    perms = access;
  }
  return { context, type, perms: new Set(perms) };
}

function parseScopes(text) {
  return String(text || '')
    .split(/\s+/)
    .filter(Boolean)
    .map(parseScope)
    .filter(Boolean);
}

/** Whether `scopes` (parsed) allow `perm` (one of c r u d s) on `type` in `context`. */
function allows(scopes, context, type, perm) {
  return scopes.some((s) => s.context === context && (s.type === '*' || s.type === type) && s.perms.has(perm));
}

/**
 * Every scope this server grants for its FHIR base: patient-level reads of any type (v1 and v2),
 * Consent writes for the patient's own consents, and system scopes for the clinic's own services.
 */
function grantableScopes(resourceTypes) {
  const out = ['launch/patient', 'patient/*.rs', 'patient/*.read', 'patient/Consent.cu', 'patient/Consent.cru',
    'patient/Consent.cruds', 'patient/Consent.write', 'system/*.rs', 'system/*.read', 'system/*.cruds',
    'system/*.*', 'system/Slot.u', 'system/Slot.ru', 'system/Slot.rus', 'system/Appointment.cu',
    'system/Appointment.cru', 'system/Appointment.crus', 'system/Slot.write', 'system/Appointment.write'];
  for (const type of resourceTypes) out.push(`patient/${type}.rs`, `patient/${type}.read`, `patient/${type}.r`, `patient/${type}.s`);
  return [...new Set(out)];
}

module.exports = { parseScope, parseScopes, allows, grantableScopes };
