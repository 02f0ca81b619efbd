/**
 * Time-ordered ids: milliseconds since the epoch times 1000 plus a per-millisecond sequence.
 * They sort by creation time (Mastodon's paging relies on that), stay below 2^53 until the
 * 23rd century so JavaScript numbers and SQLite integers hold them exactly, and are handled as
 * decimal strings everywhere in code, as the Mastodon API sends them.
 */
let lastMs = 0;
let sequence = 0;

export function newId(at: number = Date.now()): string {
  let ms = Math.max(at, lastMs);
  if (ms === lastMs) {
    sequence += 1;
    if (sequence >= 1000) {
      ms += 1;
      sequence = 0;
    }
  } else {
    // A random start keeps ids from separate processes (the benchmark generator) apart.
    sequence = Math.floor(Math.random() * 500);
  }
  lastMs = ms;
  return String(ms * 1000 + sequence);
}

/** Accepts only the decimal ids we issue; anything else can never match a row. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,19}$/.test(value);
}
