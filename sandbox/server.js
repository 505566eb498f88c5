'use strict';
// Demo clinic FHIR R4 server: Medplum's engine (FhirRouter + MemoryRepository) behind a thin
// HTTP adapter, seeded with the shared Synthea patients and a clinic with free slots.
// Run: node --experimental-websocket server.js [--port 8103] [--host 127.0.0.1] [--synthea DIR]
//        [--no-synthea] [--clinic FILE] [--today YYYY-MM-DD] [--no-seed] [--log]
//        [--auth [--accounts FILE] [--system-client-jwks FILE] [--access-token-ttl SECONDS]]
// With --auth the FHIR base needs SMART on FHIR access tokens, issued by the authorization server
// under /auth (lib/smart/): patient tokens read only their patient's compartment.
// On start it prints one JSON line on stdout: {"event":"ready","url":...,"port":...,"seed":...}
// (with "auth": {issuer, ...} under --auth) or {"event":"error","reason":...} and exits 3 when it
// cannot listen.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { FhirRouter, MemoryRepository } = require('@medplum/fhir-router');
const { loadDefinitions } = require('./lib/definitions');
const { capabilityStatement } = require('./lib/capability');
const { createAdapter } = require('./lib/adapter');
const { Faults } = require('./lib/faults');
const { createArgonaut } = require('./lib/argonaut');
const { seed } = require('./lib/seed');
const { Accounts } = require('./lib/smart/accounts');
const { createEnforcer } = require('./lib/smart/enforce');
const { createSmartServer, MOUNT } = require('./lib/smart/provider');

const BASE_PATH = '/fhir/R4';
const VERSION = require('./package.json').version;

function parseArgs(argv) {
  const args = {
    port: 8103,
    host: '127.0.0.1',
    synthea: path.join(__dirname, '..', 'data', 'synthea'),
    clinic: path.join(__dirname, 'clinic.json'),
    today: null,
    seed: true,
    log: false,
    auth: false,
    accounts: path.join(__dirname, 'accounts.json'),
    systemClientJwks: null,
    accessTokenTtl: 300,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(2, `${flag} needs a value`);
      i += 1;
      return argv[i];
    };
    if (flag === '--port') args.port = Number(value());
    else if (flag === '--host') args.host = value();
    else if (flag === '--synthea') args.synthea = value();
    else if (flag === '--clinic') args.clinic = value();
    else if (flag === '--today') args.today = value();
    else if (flag === '--no-synthea') args.synthea = null;
    else if (flag === '--no-seed') args.seed = false;
    else if (flag === '--log') args.log = true;
    else if (flag === '--auth') args.auth = true;
    else if (flag === '--accounts') args.accounts = value();
    else if (flag === '--system-client-jwks') args.systemClientJwks = value();
    else if (flag === '--access-token-ttl') args.accessTokenTtl = Number(value());
    else fail(2, `unknown option ${flag}`);
  }
  if (!Number.isInteger(args.accessTokenTtl) || args.accessTokenTtl < 1) fail(2, `--access-token-ttl must be a whole number of seconds, got ${args.accessTokenTtl}`);
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) fail(2, `--port must be 0-65535, got ${args.port}`);
  return args;
}

/** "Daisey Johns" for the patient picker (Synthea appends digits to names; a person never sees those). */
async function patientName(repo, id) {
  try {
    const patient = await repo.readResource('Patient', id);
    const name = (patient.name || [])[0] || {};
    return [...(name.given || []), name.family || ''].join(' ').replace(/[0-9]/g, '').trim() || null;
  } catch {
    return null;
  }
}

/** CapabilityStatement.rest.security for a SMART-protected base (SMART App Launch 2.0, section 2.3). */
function smartSecurity(smart) {
  const config = smart.smartConfiguration();
  return {
    cors: false,
    service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
    extension: [{
      url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
      extension: [
        { url: 'authorize', valueUri: config.authorization_endpoint },
        { url: 'token', valueUri: config.token_endpoint },
        { url: 'revoke', valueUri: config.revocation_endpoint },
      ],
    }],
  };
}

function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function fail(code, reason) {
  emit({ event: 'error', reason });
  process.exit(code);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const t0 = process.hrtime.bigint();
  const defs = loadDefinitions();
  const definitionsSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const clinic = JSON.parse(fs.readFileSync(args.clinic, 'utf8'));
  const repo = new MemoryRepository();
  const router = new FhirRouter();
  const faults = new Faults();
  const argonaut = createArgonaut({ router, repo });
  const startedAt = new Date().toISOString();
  let publicBase = '';
  let lastSeed = null;

  const accounts = args.auth ? Accounts.load(args.accounts) : null;
  const systemClientJwks = args.auth && args.systemClientJwks ? JSON.parse(fs.readFileSync(args.systemClientJwks, 'utf8')) : null;
  let auth = null; // set once the port is known (the issuer URL names it)

  const runSeed = (options = {}) =>
    seed(repo, {
      syntheaDir: options.synthea === false ? null : args.synthea,
      clinic,
      today: options.today || args.today,
      // Sign-in links parents to children; without --auth the data stays exactly the shared bundles.
      extra: accounts && args.synthea && options.synthea !== false ? accounts.relatedPersonResources() : [],
    });

  async function admin(method, name, body) {
    if (name === 'seed' && method === 'POST') {
      lastSeed = await runSeed(body || {});
      return [200, lastSeed];
    }
    if (name === 'reset' && method === 'POST') {
      repo.clear();
      faults.clear();
      argonaut.setEnabled(false);
      lastSeed = await runSeed(body || {});
      return [200, lastSeed];
    }
    if (name === 'faults' && method === 'POST') {
      try {
        return [201, faults.add(body)];
      } catch (err) {
        return [400, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text: err.message } }] }];
      }
    }
    if (name === 'faults' && method === 'GET') return [200, { faults: faults.list() }];
    if (name === 'faults' && method === 'DELETE') {
      faults.clear();
      return [200, { faults: [] }];
    }
    if (name === 'argonaut' && method === 'POST') {
      if (!body || typeof body.enabled !== 'boolean') return [400, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text: 'send {"enabled": true|false}' } }] }];
      return [200, argonaut.setEnabled(body.enabled)];
    }
    if (name === 'argonaut' && method === 'GET') return [200, { enabled: argonaut.enabled }];
    if (name === 'take-slot' && method === 'POST') {
      if (!body || typeof body.slot !== 'string') return [400, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text: 'send {"slot": "<Slot id>"}' } }] }];
      return argonaut.takeSlot(body.slot.replace(/^Slot\//, ''));
    }
    if (name === 'status' && method === 'GET') {
      return [200, { fhir: publicBase, startedAt, seed: lastSeed, argonaut: argonaut.enabled, ...(auth ? { auth: auth.smart.stats() } : {}) }];
    }
    return [404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', details: { text: `no admin action ${method} ${name}` } }] }];
  }

  const handler = createAdapter({
    router,
    repo,
    basePath: BASE_PATH,
    publicBase: () => publicBase,
    capability: () => {
      const statement = capabilityStatement({
        baseUrl: publicBase,
        resourceTypes: defs.resourceTypes,
        searchParams: defs.searchParams,
        version: VERSION,
        startedAt,
        operations: { Appointment: argonaut.appointmentOperations() },
      });
      if (auth) statement.rest[0].security = smartSecurity(auth.smart);
      return statement;
    },
    admin,
    faults,
    argonaut,
    log: args.log,
    auth: args.auth
      ? {
          mount: MOUNT,
          handle: (req, res) => auth.smart.handle(req, res),
          smartConfiguration: () => auth.smart.smartConfiguration(),
          authorize: (...a) => auth.enforcer.authorize(...a),
          checkResponse: (...a) => auth.enforcer.checkResponse(...a),
        }
      : null,
  });

  const seedStarted = process.hrtime.bigint();
  if (args.seed) lastSeed = await runSeed();
  const seedSeconds = Number(process.hrtime.bigint() - seedStarted) / 1e9;

  const server = http.createServer((req, res) => {
    handler(req, res);
  });
  server.keepAliveTimeout = 30000;
  server.on('error', (err) => {
    if (err.code === 'EADDRINUSE') fail(3, `port ${args.port} on ${args.host} is already in use; stop what runs there or pick another --port`);
    if (err.code === 'EACCES') fail(3, `not allowed to listen on ${args.host}:${args.port}`);
    fail(3, `cannot listen on ${args.host}:${args.port}: ${err.message}`);
  });
  server.listen(args.port, args.host, async () => {
    const { port } = server.address();
    const origin = `http://${args.host}:${port}`;
    publicBase = `${origin}${BASE_PATH}`;
    let authInfo;
    if (args.auth) {
      try {
        const smart = await createSmartServer({
          origin,
          fhirBase: publicBase,
          clinicName: clinic.organization.name,
          accounts,
          resourceTypes: defs.resourceTypes,
          patientName: (id) => patientName(repo, id),
          systemClientJwks,
          accessTokenTtl: args.accessTokenTtl,
        });
        const enforcer = createEnforcer({
          verify: (token) => smart.verifyAccessToken(token),
          readExisting: (type, id) => repo.readResource(type, id).catch(() => null),
        });
        auth = { smart, enforcer };
        authInfo = {
          issuer: smart.issuer,
          smart_configuration: `${publicBase}/.well-known/smart-configuration`,
          app_client_id: smart.appClientId,
          system_client_id: systemClientJwks ? smart.systemClientId : null,
          access_token_ttl: args.accessTokenTtl,
        };
      } catch (err) {
        fail(1, `the authorization server failed to start: ${err && err.message ? err.message : err}`);
      }
    }
    emit({
      event: 'ready',
      url: publicBase,
      port,
      pid: process.pid,
      seconds: { definitions: definitionsSeconds, seed: seedSeconds, total: Number(process.hrtime.bigint() - t0) / 1e9 },
      seed: lastSeed && { counts: lastSeed.counts, patients: lastSeed.patients, slots: lastSeed.slots },
      ...(authInfo ? { auth: authInfo } : {}),
    });
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => fail(1, `sandbox failed to start: ${err && err.message ? err.message : err}`));
