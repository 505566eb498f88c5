'use strict';
// The CapabilityStatement the adapter answers at /metadata. The engine has no /metadata of its
// own; clients (ours included) read this to learn which types, search parameters and operations
// exist here, so it must list only what actually works through this adapter.

const INTERACTIONS = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'];

// Operations the adapter or engine really serve. $everything is absent on purpose: the engine
// lacks it, and clients load a record by per-type searches instead.
const SYSTEM_OPERATIONS = [];

function capabilityStatement({ baseUrl, resourceTypes, searchParams, version, startedAt, operations = {} }) {
  const resources = resourceTypes.map((type) => {
    const params = Object.values(searchParams(type))
      .filter((sp) => sp && sp.code && !sp.code.startsWith('_'))
      .map((sp) => ({ name: sp.code, type: sp.type, definition: sp.url }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const entry = {
      type,
      interaction: INTERACTIONS.map((code) => ({ code })),
      versioning: 'versioned',
      readHistory: true,
      updateCreate: true,
      conditionalCreate: true,
      conditionalUpdate: false,
      conditionalDelete: 'not-supported',
      searchParam: params,
      searchInclude: ['*'],
      searchRevInclude: ['*'],
    };
    // Type-level operations switched on at run time (the Argonaut $find/$book mode).
    if (operations[type] && operations[type].length) entry.operation = operations[type];
    return entry;
  });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: startedAt,
    kind: 'instance',
    software: { name: 'health-assistant demo clinic sandbox (Medplum fhir-router + MemoryRepository)', version },
    implementation: { description: 'Demo clinic FHIR server for the health assistant; in memory, no auth', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    patchFormat: ['application/json-patch+json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Transactions are applied entry by entry (not atomic); writes are validated against the R4 ' +
          'structure definitions; search pages carry next links built on _offset.',
        security: { cors: false, description: 'No authentication: local demo sandbox bound to 127.0.0.1' },
        resource: resources,
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'history-system' }],
        searchParam: [
          { name: '_id', type: 'token' },
          { name: '_lastUpdated', type: 'date' },
          { name: '_count', type: 'number' },
          { name: '_offset', type: 'number' },
          { name: '_sort', type: 'string' },
          { name: '_include', type: 'string' },
          { name: '_revinclude', type: 'string' },
        ],
        operation: SYSTEM_OPERATIONS,
      },
    ],
  };
}

module.exports = { capabilityStatement };
