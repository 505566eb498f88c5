'use strict';
// The demo clinic's sign-in accounts (sandbox/accounts.json): one per demo patient, and a parent
// linked to children through RelatedPerson. Passwords are checked against scrypt hashes in constant
// time; an unknown user costs the same hash as a known one, so timing does not tell which exist.
const crypto = require('node:crypto');
const fs = require('node:fs');

const SCRYPT = { N: 16384, r: 8, p: 1 };
const PARENT_CODES = new Set(['PRN', 'MTH', 'FTH', 'NPRN', 'GUARD']);

function scrypt(password, salt) {
  return crypto.scryptSync(String(password), salt, 32, SCRYPT);
}

class Accounts {
  constructor(doc) {
    this.byUsername = new Map();
    for (const a of doc.accounts || []) {
      if (!a.username || !a.salt || !a.scrypt) throw new Error(`account ${JSON.stringify(a.username)} lacks username, salt or scrypt`);
      this.byUsername.set(a.username, a);
    }
    this.dummySalt = 'no-such-account!';
  }

  static load(file) {
    return new Accounts(JSON.parse(fs.readFileSync(file, 'utf8')));
  }

  /** The account when `password` is its password, else null (same work either way). */
  verify(username, password) {
    const account = this.byUsername.get(String(username || '').trim().toLowerCase());
    const expected = account ? Buffer.from(account.scrypt, 'base64url') : Buffer.alloc(32);
    const given = scrypt(password, account ? account.salt : this.dummySalt);
    return account && crypto.timingSafeEqual(expected, given) ? account : null;
  }

  get(username) {
    return this.byUsername.get(username) || null;
  }

  /**
   * Whose records the account may open: its own patient, and every patient it is linked to as a
   * parent or guardian. Each choice says how the FHIR server names the person signing in (fhirUser).
   */
  choices(account) {
    const out = [];
    if (account.patient) out.push({ patient: account.patient, fhirUser: `Patient/${account.patient}`, relation: 'self' });
    for (const rp of account.relatedPersons || []) {
      out.push({ patient: rp.patient, fhirUser: `RelatedPerson/${rp.id}`, relation: PARENT_CODES.has(rp.relationship) ? 'parent' : 'other' });
    }
    return out;
  }

  /** RelatedPerson resources for the linked accounts (seeded only when sign-in is on). */
  relatedPersonResources() {
    const out = [];
    for (const account of this.byUsername.values()) {
      const [given, ...family] = String(account.name || account.username).split(' ');
      for (const rp of account.relatedPersons || []) {
        out.push({
          resourceType: 'RelatedPerson',
          id: rp.id,
          active: true,
          patient: { reference: `Patient/${rp.patient}` },
          relationship: [{
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: rp.relationship || 'PRN', display: 'parent' }],
          }],
          name: [{ given: [given], family: family.join(' ') || undefined, text: account.name }],
        });
      }
    }
    return out;
  }
}

module.exports = { Accounts };
