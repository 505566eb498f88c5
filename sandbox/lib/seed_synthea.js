'use strict';
// Turn the shared Synthea transaction bundles into plain resources with server ids.
// Synthea gives every entry a urn:uuid fullUrl and POSTs it; a server would mint new ids on
// every start. For stable, documented ids the Patient takes the uuid in its file name and every
// other resource keeps the uuid of its fullUrl; urn:uuid references become Type/id.
const fs = require('node:fs');
const path = require('node:path');

const FILE_UUID = /_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/i;

function rewriteReferences(node, urnToRef) {
  if (Array.isArray(node)) {
    for (const item of node) rewriteReferences(item, urnToRef);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'reference' && typeof value === 'string' && urnToRef.has(value)) {
        node[key] = urnToRef.get(value);
      } else if (value && typeof value === 'object') {
        rewriteReferences(value, urnToRef);
      }
    }
  }
}

/** Resources of one bundle file, Patient first, with stable ids and resolved references. */
function syntheaResources(file) {
  const match = FILE_UUID.exec(path.basename(file));
  if (!match) throw new Error(`${file}: the file name does not end with the patient's uuid`);
  const patientId = match[1].toLowerCase();
  const bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!bundle || bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) {
    throw new Error(`${file}: not a FHIR Bundle with entries`);
  }
  const urnToRef = new Map();
  const resources = [];
  for (const entry of bundle.entry) {
    const resource = entry && entry.resource;
    if (!resource || !resource.resourceType) continue;
    const copy = structuredClone(resource);
    const fromUrn = typeof entry.fullUrl === 'string' && entry.fullUrl.startsWith('urn:uuid:') ? entry.fullUrl.slice(9) : null;
    copy.id = copy.resourceType === 'Patient' ? patientId : copy.id || fromUrn;
    if (!copy.id) throw new Error(`${file}: a ${copy.resourceType} entry has neither id nor urn:uuid fullUrl`);
    if (entry.fullUrl) urnToRef.set(entry.fullUrl, `${copy.resourceType}/${copy.id}`);
    resources.push(copy);
  }
  if (!resources.some((r) => r.resourceType === 'Patient')) throw new Error(`${file}: no Patient in the bundle`);
  for (const resource of resources) rewriteReferences(resource, urnToRef);
  resources.sort((a, b) => (a.resourceType === 'Patient' ? -1 : 0) - (b.resourceType === 'Patient' ? -1 : 0));
  return { patientId, resources };
}

function syntheaFiles(dir) {
  return fs
    .readdirSync(dir)
    .filter((name) => FILE_UUID.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

module.exports = { syntheaResources, syntheaFiles };
