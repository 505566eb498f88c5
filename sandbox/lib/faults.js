'use strict';
// Fault injection for tests of what the assistant does when the clinic's server misbehaves
// (slow answers, 5xx, conflicts in the middle of a booking). Faults are set through
// POST /$admin/faults and match on method + a regular expression over the path after the base.

class Faults {
  constructor() {
    this.rules = [];
  }

  add(rule) {
    if (!rule || typeof rule !== 'object') throw new Error('a fault is a JSON object');
    const { method = '*', path = '.*', status = null, delayMs = 0, times = 1, body = null } = rule;
    let pattern;
    try {
      pattern = new RegExp(path);
    } catch (err) {
      throw new Error(`fault path is not a valid regular expression: ${err.message}`);
    }
    if (status !== null && !(Number.isInteger(status) && status >= 400 && status <= 599)) {
      throw new Error('fault status must be an HTTP error status (400-599) or null');
    }
    if (!(Number.isInteger(delayMs) && delayMs >= 0 && delayMs <= 600000)) throw new Error('fault delayMs must be 0-600000');
    if (!(Number.isInteger(times) && times >= 1)) throw new Error('fault times must be a positive integer');
    const stored = { method: String(method).toUpperCase(), path, status, delayMs, times, body, pattern, hits: 0 };
    this.rules.push(stored);
    return this.describe(stored);
  }

  clear() {
    this.rules = [];
  }

  list() {
    return this.rules.map((r) => this.describe(r));
  }

  describe(r) {
    return { method: r.method, path: r.path, status: r.status, delayMs: r.delayMs, remaining: r.times - r.hits };
  }

  /** The fault to apply to this request, if any; each firing uses up one of its `times`. */
  take(method, pathAndQuery) {
    const index = this.rules.findIndex((r) => (r.method === '*' || r.method === method) && r.pattern.test(pathAndQuery));
    if (index < 0) return null;
    const rule = this.rules[index];
    rule.hits += 1;
    if (rule.hits >= rule.times) this.rules.splice(index, 1);
    return rule;
  }
}

module.exports = { Faults };
