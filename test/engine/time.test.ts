import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoTime } from '../../src/engine/time.js';

/** What the formatter must write, from the Date built-in: seconds from Date, microseconds rounded. */
function expected(ts: number): string {
  if (!(ts >= 0 && ts < 253402300800)) ts = 0;
  const whole = Math.floor(ts);
  const micros = Math.min(999999, Math.round((ts - whole) * 1e6));
  return `${new Date(whole * 1000).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}

test('isoTime agrees with Date on calendar edges: epoch, leap days, century rules, the last second of 9999', () => {
  const edges = [
    0, 0.5, 59.999999, 86399.9999995, 86400, 951782400 /* 2000-02-29 */, 951868800 /* 2000-03-01 */,
    4107456000 /* 2100-02-28 */, 4107542400 /* 2100-03-01 */, 1709164800 /* 2024-02-29 */, 1704067199.999999,
    1704067200, 253402300799.999999, 253402300799, 1700000000.123456, 1e9 + 0.0000004, 1e9 + 0.9999996,
  ];
  for (const ts of edges) assert.equal(isoTime(ts), expected(ts), `ts ${ts}`);
});

test('isoTime agrees with Date on a million times in and out of order, so the cached second is both kept and changed', () => {
  let seed = 12345;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  let ts = 1.6e9;
  for (let i = 0; i < 1_000_000; i++) {
    // Mostly small steps forward (packets in order), sometimes a jump anywhere in 0000–9999.
    ts = rand() < 0.01 ? rand() * 253402300800 : ts + rand() * 0.3;
    const got = isoTime(ts);
    if (got !== expected(ts)) assert.equal(got, expected(ts), `ts ${ts}`);
  }
});

test('isoTime writes the epoch for times that are not real (negative, NaN, infinite, past 9999)', () => {
  for (const ts of [-1, Number.NaN, Number.POSITIVE_INFINITY, -Infinity, 253402300800, 1e15]) {
    assert.equal(isoTime(ts), '1970-01-01T00:00:00.000000Z');
  }
});
