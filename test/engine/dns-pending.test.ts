/**
 * How the collector pairs DNS responses with the queries waiting for them: by flow, message id, type and
 * name in any case; several questions under one id each find their own; a question asked again with the
 * same id leaves the earlier one unanswered; and facts with equal answers share one list.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DnsAnswer, DnsBrief } from '../../src/decode/dns.js';
import { PacketView, PROTO_UDP } from '../../src/decode/packet.js';
import { FactCollector } from '../../src/engine/collector.js';
import { FlowTable } from '../../src/flows/table.js';

function setup(flows = 1): { c: FactCollector; f: number[] } {
  const t = new FlowTable();
  const p = new PacketView();
  const f: number[] = [];
  for (let i = 0; i < flows; i++) {
    p.fam = 4;
    p.proto = PROTO_UDP;
    p.src.fill(0);
    p.dst.fill(0);
    p.src[3] = 0x0a000001 + i;
    p.dst[3] = 0x08080808;
    p.sport = 40000;
    p.dport = 53;
    f.push(t.lookup(p, true));
  }
  return { c: new FactCollector(t), f };
}

const answer = (name: string, data: string): DnsAnswer => ({ name, type: 'A', data });

function query(id: number, ...qs: [string, number][]): DnsBrief {
  return { id, response: false, rcode: 0, questions: qs.map(([name, type]) => ({ name, type, class: 1, unicastResponse: false })), answers: [] };
}

function response(id: number, answers: DnsAnswer[], ...qs: [string, number][]): DnsBrief {
  return { ...query(id, ...qs), response: true, answers };
}

describe('DNS queries waiting for their response', () => {
  it('pairs by flow, id, type and name in any case', () => {
    const { c, f } = setup(2);
    c.dnsFacts(query(7, ['Example.COM', 1]), f[0]!, true, 'udp', 1, false);
    // Another flow, another id, another type: none of these answer it.
    c.dnsFacts(response(7, [answer('example.com', '192.0.2.1')], ['example.com', 1]), f[1]!, false, 'udp', 2, false);
    c.dnsFacts(response(8, [answer('example.com', '192.0.2.2')], ['example.com', 1]), f[0]!, false, 'udp', 3, false);
    c.dnsFacts(response(7, [], ['example.com', 28]), f[0]!, false, 'udp', 4, false);
    assert.deepEqual(c.dns.map((d) => d.seen), ['query', 'response-only', 'response-only', 'response-only']);
    assert.equal(c.dns[0]!.rcode, null);
    c.dnsFacts(response(7, [answer('example.com', '192.0.2.3')], ['EXAMPLE.com', 1]), f[0]!, false, 'udp', 5, false);
    assert.equal(c.dns.length, 4);
    assert.equal(c.dns[0]!.rcode, 'NOERROR');
    assert.deepEqual(c.dns[0]!.answers.map((a) => a.data), ['192.0.2.3']);
    // Answered once: the same response again is reported on its own.
    c.dnsFacts(response(7, [answer('example.com', '192.0.2.3')], ['example.com', 1]), f[0]!, false, 'udp', 6, false);
    assert.equal(c.dns.length, 5);
    assert.equal(c.dns[4]!.seen, 'response-only');
  });

  it('keeps several questions under one id apart, and a question asked again replaces the earlier', () => {
    const { c, f } = setup();
    c.dnsFacts(query(1, ['a.example', 1], ['a.example', 28]), f[0]!, true, 'udp', 1, false);
    c.dnsFacts(query(1, ['b.example', 1]), f[0]!, true, 'udp', 2, false);
    c.dnsFacts(query(1, ['a.example', 28]), f[0]!, true, 'udp', 3, false);
    c.dnsFacts(response(1, [], ['a.example', 28]), f[0]!, false, 'udp', 4, false);
    c.dnsFacts(response(1, [], ['b.example', 1]), f[0]!, false, 'udp', 5, false);
    c.dnsFacts(response(1, [], ['a.example', 1]), f[0]!, false, 'udp', 6, false);
    assert.deepEqual(c.dns.map((d) => [d.query, d.qtype, d.rcode]), [
      ['a.example', 'A', 'NOERROR'], ['a.example', 'AAAA', null], ['b.example', 'A', 'NOERROR'], ['a.example', 'AAAA', 'NOERROR'],
    ]);
  });

  it('lets facts with equal answers share one list, and never lists that differ', () => {
    const { c, f } = setup();
    const answers = (data: string, name = 'cdn.example'): DnsAnswer[] => [answer('cdn.example', '192.0.2.9'), answer(name, data)];
    c.dnsFacts(response(1, answers('192.0.2.1'), ['cdn.example', 1]), f[0]!, false, 'udp', 1, false);
    c.dnsFacts(response(2, answers('192.0.2.1'), ['cdn.example', 1]), f[0]!, false, 'udp', 2, false);
    c.dnsFacts(response(3, answers('192.0.2.2'), ['cdn.example', 1]), f[0]!, false, 'udp', 3, false);
    c.dnsFacts(response(4, answers('192.0.2.1', 'CDN.example'), ['cdn.example', 1]), f[0]!, false, 'udp', 4, false);
    c.dnsFacts(response(5, answers('192.0.2.1').slice(0, 1), ['cdn.example', 1]), f[0]!, false, 'udp', 5, false);
    const [a, b, d, e, g] = c.dns.map((x) => x.answers);
    assert.equal(a, b);
    assert.notEqual(a, d);
    assert.notEqual(a, e);
    assert.notEqual(a, g);
    assert.deepEqual(c.dns.map((x) => x.answers.map((y) => `${y.name} ${y.data}`)), [
      ['cdn.example 192.0.2.9', 'cdn.example 192.0.2.1'], ['cdn.example 192.0.2.9', 'cdn.example 192.0.2.1'],
      ['cdn.example 192.0.2.9', 'cdn.example 192.0.2.2'], ['cdn.example 192.0.2.9', 'CDN.example 192.0.2.1'], ['cdn.example 192.0.2.9'],
    ]);
  });

  it('counts names past the per-address bound each time they come, and learns a list again only while it had one left out', () => {
    const { c, f } = setup();
    const totals = { format: 'pcap' as const, packets: 0, bytes: 0, firstTs: null, lastTs: null, linktypes: [], truncated: false, damageOffset: null, malformed: {} };
    const reply = (i: number): DnsBrief => response(i, [answer(`n${i}.example`, '192.0.2.7')], [`n${i}.example`, 1]);
    for (let i = 0; i < 65; i++) c.dnsFacts(reply(i), f[0]!, false, 'udp', i, false);
    assert.equal(c.build(totals).capture.omitted.addressNames, 1);
    c.dnsFacts(reply(64), f[0]!, false, 'udp', 65, false);
    c.dnsFacts(reply(0), f[0]!, false, 'udp', 66, false);
    c.dnsFacts(reply(3), f[0]!, false, 'udp', 67, false);
    const facts = c.build(totals);
    assert.equal(facts.capture.omitted.addressNames, 2);
    assert.equal(facts.addressNames['192.0.2.7']!.length, 64);
    assert.equal(facts.addressNames['192.0.2.7']![0], 'n0.example');
  });
});
