import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PacketView } from '../../src/decode/packet.js';
import { FragmentReassembler } from '../../src/flows/ipfrag.js';

/** A fragment of datagram `id` carrying `data` at byte `offset`. */
function fragment(id: number, offset: number, data: Buffer, more: boolean): PacketView {
  const p = new PacketView();
  p.fam = 4;
  p.proto = 17;
  p.src[3] = 0x0a000001;
  p.dst[3] = 0x0a000002;
  p.fragId = id;
  p.fragOffset = offset;
  p.fragMore = more;
  p.isFragment = true;
  p.buf = data;
  p.l4Off = 0;
  p.l4Len = data.length;
  p.wirelen = data.length + 34;
  return p;
}

const bytes = (n: number, from: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (from + i) & 0xff));

test('fragments that do not overlap are put together whatever their order', () => {
  const whole = bytes(3000, 7);
  const r = new FragmentReassembler();
  assert.equal(r.add(fragment(1, 2400, whole.subarray(2400), false)), null);
  assert.equal(r.add(fragment(1, 0, whole.subarray(0, 1200), true)), null);
  const done = r.add(fragment(1, 1200, whole.subarray(1200, 2400), true));
  assert.ok(done !== null);
  assert.deepEqual(done.data, whole);
  assert.equal(done.frames, 3);
  assert.equal(done.wireBytes, 3000 + 3 * 34);
  assert.equal(r.overlaps, 0);
  assert.equal(r.incomplete, 0);
});

test('overlapping fragments: the first copy of each byte wins', () => {
  const r = new FragmentReassembler();
  assert.equal(r.add(fragment(2, 0, Buffer.alloc(16, 0xaa), true)), null);
  // Rewrites bytes 8–15 (ignored) and adds 16–23.
  assert.equal(r.add(fragment(2, 8, Buffer.alloc(16, 0xbb), true)), null);
  const done = r.add(fragment(2, 24, Buffer.alloc(8, 0xcc), false));
  assert.ok(done !== null);
  assert.deepEqual(done.data, Buffer.concat([Buffer.alloc(16, 0xaa), Buffer.alloc(8, 0xbb), Buffer.alloc(8, 0xcc)]));
  assert.equal(r.overlaps, 1);
});

test('a datagram with a hole never completes, and stays counted as incomplete', () => {
  const r = new FragmentReassembler();
  assert.equal(r.add(fragment(3, 0, bytes(8, 0), true)), null);
  assert.equal(r.add(fragment(3, 16, bytes(8, 16), false)), null);
  assert.equal(r.incomplete, 1);
});
