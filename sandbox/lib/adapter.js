'use strict';
// The HTTP face of the engine. Medplum's FhirRouter speaks FHIR but not HTTP, and leaves gaps a
// real server fills; this adapter fills the ones our clients meet:
//   - validates every written resource (the engine would store anything);
//   - answers /metadata with a CapabilityStatement;
//   - rewrites `patient=X` to `subject=Patient/X` where both mean the same (the engine
//     evaluates `patient` as a union over 30 expressions and is slow on it);
//   - adds fullUrl to search entries and self/next links built on _offset;
//   - sets ETag, Last-Modified and Location headers.
const { AccessDenied } = require('./smart/enforce');
const { getSearchParameter, getStatus, normalizeOperationOutcome, validateResource, OperationOutcomeError } = require('@medplum/core');

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const DEFAULT_COUNT = 20;

function outcome(code, text, expression) {
  const issue = { severity: 'error', code, details: { text } };
  if (expression) issue.expression = [expression];
  return { resourceType: 'OperationOutcome', issue: [issue] };
}

class HttpError extends Error {
  constructor(status, body) {
    super(body.issue[0].details.text);
    this.status = status;
    this.body = body;
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, outcome('too-costly', `request body over ${MAX_BODY_BYTES} bytes`)));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text) {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, outcome('structure', `request body is not valid JSON: ${err.message}`));
  }
}

function queryObject(searchParams) {
  const query = {};
  for (const [key, value] of searchParams) {
    if (key in query) query[key] = [].concat(query[key], value);
    else query[key] = value;
  }
  return query;
}

/** Validation problems of one resource as OperationOutcome issues (empty when valid). */
function validationIssues(resource, where) {
  if (!resource || typeof resource !== 'object' || Array.isArray(resource) || typeof resource.resourceType !== 'string') {
    return [{ severity: 'error', code: 'structure', details: { text: `${where}: not a FHIR resource (no resourceType)` } }];
  }
  try {
    return validateResource(resource).filter((i) => i.severity === 'error' || i.severity === 'fatal');
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err.outcome.issue || [];
    return [{ severity: 'error', code: 'invalid', details: { text: `${where}: ${err.message}` } }];
  }
}

function rejectInvalid(issues) {
  if (issues.length) throw new HttpError(400, { resourceType: 'OperationOutcome', issue: issues });
}

/** Validate what a request would write before the engine sees it. */
function validateWrite(method, segments, body) {
  if (method === 'POST' && segments.length === 0) {
    if (!body || body.resourceType !== 'Bundle' || !['transaction', 'batch'].includes(body.type)) {
      throw new HttpError(400, outcome('invalid', 'POST to the base needs a Bundle of type transaction or batch'));
    }
    const issues = [];
    (body.entry || []).forEach((entry, i) => {
      const method = entry && entry.request && entry.request.method;
      if (entry && entry.resource && ['POST', 'PUT'].includes(method)) {
        for (const issue of validationIssues(entry.resource, `Bundle.entry[${i}].resource`)) {
          issues.push({ ...issue, diagnostics: `Bundle.entry[${i}] (${entry.request.method} ${entry.request.url})` });
        }
      }
    });
    rejectInvalid(issues); // a transaction with one bad entry writes nothing at all
    return;
  }
  if ((method === 'POST' && segments.length === 1) || (method === 'PUT' && segments.length === 2)) {
    const type = segments[0];
    if (!body || typeof body !== 'object') throw new HttpError(400, outcome('required', `${method} ${type} needs a ${type} resource as the body`));
    if (body.resourceType !== type) {
      throw new HttpError(400, outcome('invalid', `the body is a ${body.resourceType || 'thing without resourceType'}, but the URL names ${type}`, 'resourceType'));
    }
    if (method === 'PUT' && body.id !== segments[1]) {
      throw new HttpError(400, outcome('invalid', `the body's id (${body.id}) differs from the id in the URL (${segments[1]})`, `${type}.id`));
    }
    rejectInvalid(validationIssues(body, type));
  }
}

/** Rewrite patient= to subject=Patient/ for types where the two select the same resources. */
function rewritePatientSearch(type, searchParams) {
  if (!type || !searchParams.has('patient')) return;
  const subject = getSearchParameter(type, 'subject');
  const patient = getSearchParameter(type, 'patient');
  if (!subject || !patient || !String(patient.expression || '').includes(`${type}.subject`)) return;
  const values = searchParams.getAll('patient');
  searchParams.delete('patient');
  for (const value of values) {
    const refs = value.split(',').map((v) => (v.includes('/') ? v : `Patient/${v}`));
    searchParams.append('subject', refs.join(','));
  }
}

function decorateSearchBundle(bundle, { baseUrl, rest, searchParams }) {
  for (const entry of bundle.entry || []) {
    if (entry.resource && entry.resource.id && !entry.fullUrl) {
      entry.fullUrl = `${baseUrl}/${entry.resource.resourceType}/${entry.resource.id}`;
    }
  }
  const count = Number(searchParams.get('_count') || DEFAULT_COUNT);
  const offset = Number(searchParams.get('_offset') || 0);
  const pageUrl = (o) => {
    const params = new URLSearchParams(searchParams);
    params.set('_offset', String(o));
    if (!params.has('_count')) params.set('_count', String(count));
    return `${baseUrl}${rest}?${params.toString()}`;
  };
  const matches = (bundle.entry || []).filter((e) => !e.search || e.search.mode !== 'include').length;
  const links = [{ relation: 'self', url: `${baseUrl}${rest}${searchParams.size ? `?${searchParams.toString()}` : ''}` }];
  const more = typeof bundle.total === 'number' ? offset + matches < bundle.total : matches >= count;
  if (count > 0 && matches > 0 && more) links.push({ relation: 'next', url: pageUrl(offset + count) });
  if (offset > 0) links.push({ relation: 'previous', url: pageUrl(Math.max(0, offset - count)) });
  bundle.link = links;
}

function versionHeaders(resource) {
  const headers = {};
  if (resource && resource.meta && resource.meta.versionId) headers.ETag = `W/"${resource.meta.versionId}"`;
  if (resource && resource.meta && resource.meta.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  return headers;
}

function createAdapter({ router, repo, basePath, publicBase, capability, admin, faults, argonaut, log, auth }) {
  async function handleFhir(req, res, url) {
    const rest = url.pathname.slice(basePath.length) || '/';
    const segments = rest.split('/').filter(Boolean);
    const method = req.method.toUpperCase();
    const body = parseJson(await readBody(req));

    const fault = faults.take(method, `${rest}${url.search}`);
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.status) return send(res, fault.status, fault.body || outcome('transient', `injected fault: HTTP ${fault.status}`));
    }

    if (segments.length === 1 && segments[0] === 'metadata') {
      if (method !== 'GET') throw new HttpError(405, outcome('not-supported', '/metadata only answers GET'));
      return send(res, 200, capability());
    }
    if (auth && segments.join('/') === '.well-known/smart-configuration') {
      if (method !== 'GET') throw new HttpError(405, outcome('not-supported', 'the SMART configuration only answers GET'));
      return send(res, 200, auth.smartConfiguration(), {}, 'application/json');
    }
    const searchParams = new URLSearchParams(url.search);
    // With --auth: who is calling and may they ask this (401/403 before the engine runs).
    const principal = auth ? await auth.authorize(req, method, segments, searchParams, body) : null;
    const reply = (status, answer, headers = {}) => {
      if (principal && status < 400) auth.checkResponse(principal, answer);
      return send(res, status, answer, headers);
    };
    if (argonaut && argonaut.handles(segments)) {
      const [status, answer] = await argonaut.handle(method, segments, searchParams, body);
      return reply(status, answer);
    }
    validateWrite(method, segments, body);

    const isTypeSearch = method === 'GET' && segments.length === 1 && !segments[0].startsWith('$') && !segments[0].startsWith('_');
    if (isTypeSearch) rewritePatientSearch(segments[0], searchParams);
    const query = searchParams.size ? `?${searchParams.toString()}` : '';
    let result;
    try {
      result = await router.handleRequest(
        { method, url: `${rest}${query}`, body, params: {}, query: queryObject(searchParams), headers: req.headers },
        repo,
      );
    } catch (err) {
      const oo = normalizeOperationOutcome(err);
      return send(res, getStatus(oo), oo);
    }
    const [oo, resource] = result;
    const status = getStatus(oo);
    if (status >= 400 || !resource) return reply(status, oo);
    const headers = versionHeaders(resource);
    if (resource.resourceType === 'Bundle' && resource.type === 'searchset') {
      decorateSearchBundle(resource, { baseUrl: publicBase(), rest, searchParams });
    }
    if (status === 201 && resource.id) {
      const version = resource.meta && resource.meta.versionId ? `/_history/${resource.meta.versionId}` : '';
      headers.Location = `${publicBase()}/${resource.resourceType}/${resource.id}${version}`;
    }
    return reply(status, resource, headers);
  }

  function send(res, status, body, headers = {}, contentType = FHIR_JSON) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  return async function onRequest(req, res) {
    const started = process.hrtime.bigint();
    const url = new URL(req.url, 'http://sandbox.local');
    try {
      if (url.pathname === '/' || url.pathname === '/healthz') {
        send(res, 200, { status: 'ok', fhir: publicBase() });
      } else if (auth && (url.pathname === auth.mount || url.pathname.startsWith(`${auth.mount}/`))) {
        await auth.handle(req, res);
      } else if (url.pathname.startsWith('/$admin/')) {
        const body = parseJson(await readBody(req));
        const [status, answer] = await admin(req.method.toUpperCase(), url.pathname.slice('/$admin/'.length), body);
        send(res, status, answer);
      } else if (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`)) {
        await handleFhir(req, res, url);
      } else {
        send(res, 404, outcome('not-found', `no FHIR endpoint at ${url.pathname}; the base is ${basePath}`));
      }
    } catch (err) {
      if (err instanceof HttpError) send(res, err.status, err.body);
      else if (err instanceof AccessDenied) {
        const code = err.status === 401 ? 'login' : 'forbidden';
        send(res, err.status, outcome(code, err.message), { 'WWW-Authenticate': err.challenge });
      } else {
        const oo = normalizeOperationOutcome(err);
        send(res, getStatus(oo) >= 400 ? getStatus(oo) : 500, oo);
      }
    }
    if (log) {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      process.stderr.write(`${req.method} ${req.url} ${res.statusCode} ${ms.toFixed(1)}ms\n`);
    }
  };
}

module.exports = { createAdapter, outcome, HttpError };
