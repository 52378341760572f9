import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addrToString } from '../../src/decode/ip.js';
import { PacketView, PROTO_TCP, PROTO_UDP } from '../../src/decode/packet.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, FlowTable } from '../../src/flows/table.js';

function v4(p: PacketView, proto: number, src: number, sport: number, dst: number, dport: number): PacketView {
  p.fam = 4; p.proto = proto;
  p.src.fill(0); p.dst.fill(0);
  p.src[3] = src; p.dst[3] = dst;
  p.sport = sport; p.dport = dport;
  return p;
}

describe('FlowTable', () => {
  it('finds a flow from both directions and keeps its orientation', () => {
    const t = new FlowTable();
    const p = new PacketView();
    const f = t.lookup(v4(p, PROTO_TCP, 0x0a000001, 40000, 0x08080808, 443), true);
    assert.equal(t.created, true);
    assert.equal(t.dir, DIR_TO_SERVER);
    assert.equal(t.lookup(v4(p, PROTO_TCP, 0x08080808, 443, 0x0a000001, 40000), false), f);
    assert.equal(t.created, false);
    assert.equal(t.dir, DIR_TO_CLIENT);
    assert.equal(addrToString(4, t.cAddr, f * 4), '10.0.0.1');
    assert.equal(t.cPort[f], 40000);
    // Same endpoints over UDP are another flow.
    assert.notEqual(t.lookup(v4(p, PROTO_UDP, 0x0a000001, 40000, 0x08080808, 443), true), f);
  });

  it('keeps every flow findable while it grows far past its first capacity', () => {
    const t = new FlowTable();
    const p = new PacketView();
    const n = 50_000;
    for (let i = 0; i < n; i++) assert.equal(t.lookup(v4(p, PROTO_UDP, 0x0a000000 + i, 1000 + (i % 50000), 0x01010101, 53), true), i);
    for (let i = n - 1; i >= 0; i -= 7) {
      assert.equal(t.lookup(v4(p, PROTO_UDP, 0x01010101, 53, 0x0a000000 + i, 1000 + (i % 50000)), false), i);
      assert.equal(t.dir, DIR_TO_CLIENT);
    }
    assert.equal(t.count, n);
  });

  it('refuses new flows beyond its maximum and counts them', () => {
    const t = new FlowTable(10);
    const p = new PacketView();
    for (let i = 0; i < 15; i++) t.lookup(v4(p, PROTO_UDP, i + 1, 5000, 0x01010101, 53), true);
    assert.equal(t.count, 10);
    assert.equal(t.refused, 5);
  });

  it('writes IPv6 addresses in RFC 5952 form', () => {
    const w = new Uint32Array([0x20010db8, 0, 0, 1]);
    assert.equal(addrToString(6, w), '2001:db8::1');
    assert.equal(addrToString(6, new Uint32Array([0xfe800000, 0, 0x02170000, 0x00000001])), 'fe80::217:0:0:1');
    assert.equal(addrToString(6, new Uint32Array([0, 0, 0xffff, 0xc0a80001])), '::ffff:192.168.0.1');
    assert.equal(addrToString(6, new Uint32Array([0x20010db8, 0x00010001, 0x00010001, 0x00010001])), '2001:db8:1:1:1:1:1:1');
  });
});
