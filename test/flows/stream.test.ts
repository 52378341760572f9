import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamDirection } from '../../src/flows/stream.js';

const text = 'GET /upload HTTP/1.1\r\nHost: example.org\r\n\r\n';
const bytes = Buffer.from(text);

/** Splits `bytes` into segments at the given cut points, with their sequence numbers from `isn + 1`. */
function segments(isn: number, cuts: number[]): Array<{ seq: number; data: Buffer }> {
  const out: Array<{ seq: number; data: Buffer }> = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push({ seq: (isn + 1 + prev) >>> 0, data: bytes.subarray(prev, c) });
    prev = c;
  }
  return out;
}

function contents(s: StreamDirection): string {
  return s.buf === null ? '' : s.buf.toString('latin1', 0, s.len);
}

describe('StreamDirection', () => {
  it('puts reversed segments back in order', () => {
    const s = new StreamDirection();
    s.syn(1000);
    const segs = segments(1000, [5, 17, 30]).reverse();
    for (const g of segs.slice(0, -1)) assert.equal(s.add(g.seq, g.data, 0, g.data.length), 0);
    const last = segs[segs.length - 1];
    assert.equal(s.add(last.seq, last.data, 0, last.data.length), bytes.length);
    assert.equal(contents(s), text);
  });

  it('ignores retransmissions and keeps the first copy of overlapping bytes', () => {
    const s = new StreamDirection();
    s.syn(5);
    s.add(6, bytes, 0, 10);
    // A retransmission covering the same bytes with different content must not rewrite them.
    const forged = Buffer.from('XXXXXXXXXXXXXXXXXXXX');
    assert.equal(s.add(6, forged, 0, 15), 5);
    assert.equal(contents(s), text.slice(0, 10) + 'XXXXX');
  });

  it('handles sequence numbers that wrap around 2^32', () => {
    const s = new StreamDirection();
    const isn = 0xfffffff0;
    s.syn(isn);
    for (const g of segments(isn, [8, 20])) s.add(g.seq, g.data, 0, g.data.length);
    assert.equal(contents(s), text);
  });

  it('starts at the first data seen when the SYN was not captured, dropping bytes before it', () => {
    const s = new StreamDirection();
    s.add(500, bytes, 4, 10);
    s.add(496, bytes, 0, 14); // older bytes than the start: only what follows the start counts
    assert.equal(contents(s), text.slice(4, 14));
  });

  it('stops at its limit', () => {
    const s = new StreamDirection(16);
    s.syn(0);
    s.add(1, bytes, 0, bytes.length);
    assert.equal(s.len, 16);
    assert.equal(s.add(17, bytes, 0, 4), 0);
  });

  it('gives up on a gap that never fills instead of hoarding segments', () => {
    const s = new StreamDirection();
    s.syn(0);
    for (let i = 0; i < 500; i++) s.add(100 + i * 10, bytes, 0, 10);
    assert.equal(s.len, 0);
    assert.equal(s.gaveUp, true);
  });
});
