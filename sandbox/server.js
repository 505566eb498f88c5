'use strict';
// Demo clinic FHIR R4 server: Medplum's engine (FhirRouter + MemoryRepository) behind a thin
// HTTP adapter, seeded with the shared Synthea patients and a clinic with free slots.
// Run: node --experimental-websocket server.js [--port 8103] [--host 127.0.0.1] [--synthea DIR]
//        [--no-synthea] [--clinic FILE] [--today YYYY-MM-DD] [--no-seed] [--log]
// On start it prints one JSON line on stdout: {"event":"ready","url":...,"port":...,"seed":...}
// or {"event":"error","reason":...} and exits 3 when it cannot listen.
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
    else fail(2, `unknown option ${flag}`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) fail(2, `--port must be 0-65535, got ${args.port}`);
  return args;
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

  const runSeed = (options = {}) =>
    seed(repo, {
      syntheaDir: options.synthea === false ? null : args.synthea,
      clinic,
      today: options.today || args.today,
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
    if (name === 'status' && method === 'GET') return [200, { fhir: publicBase, startedAt, seed: lastSeed, argonaut: argonaut.enabled }];
    return [404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', details: { text: `no admin action ${method} ${name}` } }] }];
  }

  const handler = createAdapter({
    router,
    repo,
    basePath: BASE_PATH,
    publicBase: () => publicBase,
    capability: () =>
      capabilityStatement({
        baseUrl: publicBase,
        resourceTypes: defs.resourceTypes,
        searchParams: defs.searchParams,
        version: VERSION,
        startedAt,
        operations: { Appointment: argonaut.appointmentOperations() },
      }),
    admin,
    faults,
    argonaut,
    log: args.log,
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
  server.listen(args.port, args.host, () => {
    const { port } = server.address();
    publicBase = `http://${args.host}:${port}${BASE_PATH}`;
    emit({
      event: 'ready',
      url: publicBase,
      port,
      pid: process.pid,
      seconds: { definitions: definitionsSeconds, seed: seedSeconds, total: Number(process.hrtime.bigint() - t0) / 1e9 },
      seed: lastSeed && { counts: lastSeed.counts, patients: lastSeed.patients, slots: lastSeed.slots },
    });
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => fail(1, `sandbox failed to start: ${err && err.message ? err.message : err}`));
