import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PacketView, PROTO_UDP } from '../../src/decode/packet.js';
import { FlowTable } from '../../src/flows/table.js';

function v4(p: PacketView, src: number, sport: number, dst: number, dport: number): PacketView {
  p.fam = 4; p.proto = PROTO_UDP;
  p.src.fill(0); p.dst.fill(0);
  p.src[3] = src; p.dst[3] = dst;
  p.sport = sport; p.dport = dport;
  return p;
}

/** A fixed pseudo-random sequence, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('FlowTable retirement', () => {
  it('keeps every other flow findable through many retirements (probe chains stay whole), and reuses indexes', () => {
    const t = new FlowTable(4_000);
    const p = new PacketView();
    const rand = rng(7);
    const live = new Map<number, number>(); // key → index
    let next = 0;
    for (let round = 0; round < 40_000; round++) {
      if (live.size < 3_000 && (rand() < 0.6 || live.size === 0)) {
        const k = next++;
        const f = t.lookup(v4(p, 0x0a000000 + (k & 0xffff), 1024 + (k >>> 16), 0x01010101, 53), true);
        assert.ok(f >= 0 && t.created);
        live.set(k, f);
      } else {
        const keys = [...live.keys()];
        const k = keys[Math.floor(rand() * keys.length)]!;
        t.retire(live.get(k)!);
        live.delete(k);
      }
      if (round % 4_000 === 0) {
        for (const [k, f] of live) {
          assert.equal(t.lookup(v4(p, 0x01010101, 53, 0x0a000000 + (k & 0xffff), 1024 + (k >>> 16)), false), f);
          assert.equal(t.created, false);
        }
      }
    }
    assert.equal(t.live, live.size);
    assert.ok(t.count <= 4_000, `${t.count} indexes used for at most 3,000 flows at a time`);
    assert.equal(t.refused, 0);
  });

  it('a retired flow seen again is a new flow with fresh counters', () => {
    const t = new FlowTable(10);
    const p = new PacketView();
    const f = t.lookup(v4(p, 1, 1000, 2, 53), true);
    t.count1(f, 0, 100, 1);
    t.app[f] = 3;
    t.retire(f);
    t.retire(f); // twice is harmless
    assert.equal(t.retired, 1);
    const g = t.lookup(v4(p, 1, 1000, 2, 53), true);
    assert.equal(t.created, true);
    assert.equal(g, f);
    assert.equal(t.pktsToServer[g], 0);
    assert.equal(t.bytesToServer[g], 0);
    assert.equal(t.app[g], 0);
  });
});
