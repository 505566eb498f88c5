'use strict';
// Fault injection for tests of what the assistant does when the clinic's server misbehaves
// (slow answers, 5xx, conflicts in the middle of a booking). Faults are set through
// POST /$admin/faults and match on method + a regular expression over the path after the base.
// A fault with `after: {method, path}` stays dormant until a request matching `after` has been
// let through; from the next request on it fires. That is how a test says "the server dies right
// after the Slot update" without counting the requests that came before.

class Faults {
  constructor() {
    this.rules = [];
  }

  add(rule) {
    if (!rule || typeof rule !== 'object') throw new Error('a fault is a JSON object');
    const { method = '*', path = '.*', status = null, delayMs = 0, times = 1, body = null, after = null } = rule;
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
    let trigger = null;
    if (after !== null) {
      if (typeof after !== 'object') throw new Error('fault after must be an object {method, path}');
      try {
        trigger = { method: String(after.method || '*').toUpperCase(), path: String(after.path || '.*'), pattern: new RegExp(after.path || '.*') };
      } catch (err) {
        throw new Error(`fault after.path is not a valid regular expression: ${err.message}`);
      }
    }
    const stored = { method: String(method).toUpperCase(), path, status, delayMs, times, body, pattern, hits: 0, trigger, armed: trigger === null };
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
    const described = { method: r.method, path: r.path, status: r.status, delayMs: r.delayMs, remaining: r.times - r.hits };
    if (r.trigger) Object.assign(described, { after: { method: r.trigger.method, path: r.trigger.path }, armed: r.armed });
    return described;
  }

  /** The fault to apply to this request, if any; each firing uses up one of its `times`. */
  take(method, pathAndQuery) {
    const matches = (m, pattern) => (m === '*' || m === method) && pattern.test(pathAndQuery);
    const index = this.rules.findIndex((r) => r.armed && matches(r.method, r.pattern));
    // Arm dormant rules whose trigger is this request; they fire from the next request on.
    for (const r of this.rules) if (!r.armed && matches(r.trigger.method, r.trigger.pattern)) r.armed = true;
    if (index < 0) return null;
    const rule = this.rules[index];
    rule.hits += 1;
    if (rule.hits >= rule.times) this.rules.splice(index, 1);
    return rule;
  }
}

module.exports = { Faults };
