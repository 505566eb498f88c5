'use strict';
// Wall-clock arithmetic in the clinic's time zone. Slots are published as local times with
// their UTC offset (2026-03-30T09:00:00+02:00), so daylight-saving changes land on the right
// day; Intl gives the offset without any time-zone package.

const formatters = new Map();

function offsetMinutes(timeZone, epochMs) {
  if (!formatters.has(timeZone)) {
    formatters.set(timeZone, new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }));
  }
  const name = formatters
    .get(timeZone)
    .formatToParts(new Date(epochMs))
    .find((p) => p.type === 'timeZoneName').value; // "GMT+01:00" or "GMT"
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

/** The instant of a local wall-clock time in `timeZone`, as epoch ms and as FHIR instant text. */
function localInstant(timeZone, { year, month, day, hour, minute }) {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  let offset = offsetMinutes(timeZone, naive);
  offset = offsetMinutes(timeZone, naive - offset * 60000);
  const epochMs = naive - offset * 60000;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const text = `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return { epochMs, text };
}

/** Today's calendar date in `timeZone` (what a receptionist there would call today). */
function todayIn(timeZone, now = Date.now()) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now));
  return parseDate(parts);
}

function parseDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || '');
  if (!m) throw new Error(`not a date (YYYY-MM-DD): ${text}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** Calendar arithmetic on dates, independent of any time zone. */
function addDays(date, days) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

function dateKey(date) {
  return `${date.year}${pad(date.month)}${pad(date.day)}`;
}

function dateText(date) {
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

module.exports = { localInstant, todayIn, parseDate, addDays, dateKey, dateText, pad };
