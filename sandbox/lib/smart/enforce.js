'use strict';
// Authorization at the FHIR base when the sandbox runs with --auth. Two questions per request:
//
// 1. Before the engine runs it: is the bearer a token this server issued and has not revoked (401
//    otherwise), and does its scope allow this interaction on this type? A patient token may read and
//    search (its compartment, plus clinic-level types), create or update its own Consent, and nothing
//    else: no batch/transaction, no system-level search or history, no other writes (scheduling
//    writes go through the clinic's system client). Type searches on compartment types get the
//    patient's constraint added (Observation?... &subject=Patient/<id>), so totals and
//    `_summary=count` only count the patient's own resources.
// 2. After the engine answered: does every resource in the response (matches, `_include`d and
//    `_revinclude`d resources, history versions, contained resources) belong to the patient or to
//    the clinic? One foreign resource makes the whole response a 403 — nothing is filtered out
//    silently, and nothing leaks.
//
// System tokens (client credentials of the clinic's own services) are checked against their
// system/ scopes only.
const { allows, parseScopes } = require('./scopes');
const { compartmentParam, isCompartmentType, resourcesIn, SHARED_TYPES, visibleTo } = require('./compartment');

const READ_METHODS = new Set(['GET', 'HEAD']);
const PATIENT_OPERATIONS = new Set(['$find']); // Argonaut slot search: proposals, checked like any answer

class AccessDenied extends Error {
  constructor(status, code, text, challenge) {
    super(text);
    this.status = status;
    this.code = code;
    this.challenge = challenge;
  }
}

function deny(text) {
  return new AccessDenied(403, 'forbidden', text, 'Bearer error="insufficient_scope"');
}

function unauthenticated(text, withError = true) {
  const challenge = withError
    ? `Bearer realm="fhir", error="invalid_token", error_description="${text.replace(/"/g, "'")}"`
    : 'Bearer realm="fhir"';
  return new AccessDenied(401, 'login', text, challenge);
}

/** Who is calling, from verified access-token claims. */
function principalFrom(claims) {
  const scopes = parseScopes(claims.scope);
  if (typeof claims.patient === 'string' && claims.patient) {
    return { kind: 'patient', patient: claims.patient, scopes, clientId: claims.client_id, fhirUser: claims.fhirUser };
  }
  if (scopes.some((s) => s.context === 'system')) return { kind: 'system', scopes, clientId: claims.client_id };
  return { kind: 'none', scopes, clientId: claims.client_id };
}

function need(principal, context, type, perm, what) {
  if (!allows(principal.scopes, context, type, perm)) {
    throw deny(`this token's scopes do not allow ${what} (${context}/${type === '*' ? '*' : type}.${perm} needed)`);
  }
}

function sameRef(ref, patientId) {
  return typeof ref === 'string' && ref.replace(/^.*\/(Patient\/[^/]+)$/, '$1') === `Patient/${patientId}`;
}

/** Checks for one system-token request (writes included: they are the clinic's own services). */
function authorizeSystem(principal, method, segments, body) {
  if (segments.length === 0) {
    if (method !== 'POST' || !body || body.resourceType !== 'Bundle') throw deny('system-level requests other than batch/transaction are not offered');
    for (const entry of body.entry || []) {
      const m = String((entry.request && entry.request.method) || 'GET').toUpperCase();
      const type = String((entry.request && entry.request.url) || '').split(/[/?]/)[0];
      authorizeSystem(principal, m, [type], entry.resource);
    }
    return;
  }
  const [type] = segments;
  const op = segments.find((s) => s.startsWith('$'));
  if (READ_METHODS.has(method)) return need(principal, 'system', type, segments.length === 1 || op ? 's' : 'r', `reading ${type}`);
  if (op === '$book') return need(principal, 'system', 'Appointment', 'c', 'booking');
  if (method === 'POST') return need(principal, 'system', type, 'c', `creating ${type}`);
  if (method === 'PUT' || method === 'PATCH') return need(principal, 'system', type, 'u', `updating ${type}`);
  if (method === 'DELETE') return need(principal, 'system', type, 'd', `deleting ${type}`);
  throw deny(`${method} is not offered`);
}

/**
 * Checks for one patient-token request; may add the compartment constraint to `searchParams`.
 * `readExisting(type, id)` returns the stored resource (for updates) or null.
 */
async function authorizePatient(principal, method, segments, searchParams, body, readExisting) {
  const pid = principal.patient;
  if (segments.length === 0) throw deny('a patient token cannot send batch/transaction bundles or system-level searches');
  const [type, second, third] = segments;
  if (type.startsWith('_') || type.startsWith('$')) throw deny(`system-level ${type} is not open to a patient token`);
  const op = segments.find((s) => s.startsWith('$'));

  if (READ_METHODS.has(method)) {
    if (op) {
      if (!PATIENT_OPERATIONS.has(op) || segments.length !== 2) throw deny(`the operation ${op} is not open to a patient token`);
      need(principal, 'patient', type, 's', `searching ${type}`);
      return;
    }
    if (segments.length === 1) {
      need(principal, 'patient', type, 's', `searching ${type}`);
      if (isCompartmentType(type)) {
        const param = compartmentParam(type);
        if (!param) throw deny(`${type} cannot be restricted to one patient here`);
        searchParams.append(param, type === 'Patient' ? pid : `Patient/${pid}`);
      } else if (!SHARED_TYPES.has(type)) {
        throw deny(`${type} holds no data a patient token may read`);
      }
      return;
    }
    if (second === '_history') {
      if (!SHARED_TYPES.has(type)) throw deny(`the history of every ${type} is not open to a patient token`);
      need(principal, 'patient', type, 'r', `reading ${type} history`);
      return;
    }
    if (type === 'Patient' && second !== pid) throw deny('this token is bound to another patient');
    if (type === 'Patient' && third && third !== '_history') {
      // Compartment search: Patient/<id>/Observation
      need(principal, 'patient', third, 's', `searching ${third}`);
      return;
    }
    need(principal, 'patient', type, 'r', `reading ${type}`);
    return;
  }

  // Writes: only the patient's own consents.
  if (type !== 'Consent' || op || second === '_search' || !['POST', 'PUT'].includes(method)) {
    throw deny(`a patient token may only record its own consent; ${method} ${type} goes through the clinic`);
  }
  if (method === 'POST' && segments.length !== 1) throw deny('create a Consent with POST Consent');
  if (method === 'PUT' && segments.length !== 2) throw deny('update a Consent with PUT Consent/<id>');
  need(principal, 'patient', 'Consent', method === 'POST' ? 'c' : 'u', method === 'POST' ? 'creating Consent' : 'updating Consent');
  if (!body || body.resourceType !== 'Consent' || !sameRef(body.patient && body.patient.reference, pid)) {
    throw deny("a patient token may only write a Consent whose patient is the token's patient");
  }
  if (method === 'PUT') {
    const existing = await readExisting('Consent', second);
    if (existing && !sameRef(existing.patient && existing.patient.reference, pid)) throw deny('this Consent belongs to another patient');
  }
}

/** Throws 403 when a patient token's response carries a resource outside its compartment. */
function checkResponse(principal, body) {
  if (principal.kind !== 'patient') return;
  for (const resource of resourcesIn(body)) {
    if (!visibleTo(resource, principal.patient)) {
      throw deny(`the answer holds ${resource.resourceType || 'a resource'} outside this patient's record`);
    }
  }
}

/**
 * The enforcement step the adapter calls. `verify(token)` resolves to the token's claims or throws
 * with a message saying why the token is refused.
 */
function createEnforcer({ verify, readExisting }) {
  async function authorize(req, method, segments, searchParams, body) {
    const header = req.headers.authorization || '';
    const [scheme, token] = header.trim().split(/\s+/, 2);
    if (!header) throw unauthenticated('this FHIR server needs a bearer token (SMART on FHIR)', false);
    if (!/^bearer$/i.test(scheme || '') || !token) throw unauthenticated("the Authorization header must be 'Bearer <token>'");
    let claims;
    try {
      claims = await verify(token);
    } catch (err) {
      throw unauthenticated(`the access token was refused: ${err && err.message ? err.message : err}`);
    }
    const principal = principalFrom(claims);
    if (principal.kind === 'system') authorizeSystem(principal, method, segments, body);
    else if (principal.kind === 'patient') await authorizePatient(principal, method, segments, searchParams, body, readExisting);
    else throw deny('this token names no patient (launch/patient) and holds no system scope');
    return principal;
  }
  return { authorize, checkResponse };
}

module.exports = { createEnforcer, AccessDenied, principalFrom };
