/**
 * Long captures in bounded memory, at a small scale (the bench runs the full size): finished flows
 * leave the table and keep their facts, so a capture with more flows than the table holds is analysed
 * to its end; names per address and facts are bounded, and what is left out is counted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readCaptureFile } from '../../src/capture/reader.js';
import { Engine } from '../../src/engine/engine.js';
import { inspectFile } from '../../src/engine/inspect.js';
import { MAX_RECORDS, MAX_SEPARATE } from '../../src/engine/retired.js';
import { writeLongCapture, writeManyNamesCapture } from '../helpers/long-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'qc-long-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(file: string, maxFlows?: number): { engine: Engine; facts: ReturnType<Engine['finish']> } {
  const engine = new Engine(maxFlows === undefined ? {} : { maxFlows });
  const summary = readCaptureFile(file, engine);
  return { engine, facts: engine.finish(summary) };
}

describe('finished flows leave the table', () => {
  test('a day of 20,000 connections through a table of 1,000 flows: every connection is there, none refused', () => {
    const file = join(dir, 'day.pcap');
    const n = 20_000;
    writeLongCapture(file, { flows: n, seconds: 86_400, servers: 501, udpEvery: 5 });
    const { engine, facts } = run(file, 1_000);
    assert.equal(facts.capture.malformed['flows.table-full'], undefined);
    assert.ok(engine.flows.retired > 15_000, `${engine.flows.retired} retired`);
    assert.ok(engine.flows.count <= 1_000);
    const tcp = facts.connections.filter((c) => c.proto === 'tcp');
    // Below the bound of separate records, every TCP connection is its own entry, with its six packets.
    assert.equal(tcp.length, n - n / 5);
    assert.ok(tcp.every((c) => c.packets === 6 && c.bytesToServer === 40 + 140 + 40 && c.bytesToClient === 40 + 240 + 40));
    assert.equal(new Set(tcp.map((c) => `${c.sport} ${c.dst}`)).size, tcp.length);
    // Every lookup is still reported, and connections keep the names their server was looked up under.
    assert.equal(facts.dns.length, n / 5);
    // Names looked up at any time of the day, most after connections to the server had retired.
    const looked = tcp.filter((c) => facts.addressNames[c.dst] !== undefined);
    assert.ok(looked.length > tcp.length / 2);
    assert.ok(tcp.every((c) => (c.names.length > 0) === (facts.addressNames[c.dst] !== undefined)));
    assert.deepEqual(facts.capture.omitted, {});
  });

  test('a capture that fits in the table gives the same facts with or without retirement', () => {
    const file = join(dir, 'short.pcap');
    writeLongCapture(file, { flows: 2_000, seconds: 600, servers: 50 });
    const small = run(file, 1_000).facts;
    assert.equal(small.capture.malformed['flows.table-full'], undefined);
    const big = run(file).facts;
    const key = (c: { proto: string; src: string; sport: number; dst: string; dport: number; packets: number; bytes: number }): string =>
      `${c.proto} ${c.src}:${c.sport} ${c.dst}:${c.dport} ${c.packets} ${c.bytes}`;
    assert.deepEqual(small.connections.map(key).sort(), big.connections.map(key).sort());
    assert.deepEqual(small.dns, big.dns);
  });

  test('past the bound of separate records, connections are folded per server and port, and counted', () => {
    const file = join(dir, 'many.pcap');
    const n = MAX_SEPARATE + 40_000;
    writeLongCapture(file, { flows: n, seconds: 86_400, servers: 300, udpEvery: 1_000_000 });
    const { facts } = run(file, 2_000);
    const total = facts.connections.reduce((s, c) => s + (c.flows ?? 1), 0);
    assert.equal(total, n);
    assert.ok(facts.connections.length < MAX_RECORDS);
    const folded = facts.connections.filter((c) => c.flows !== undefined);
    assert.ok(folded.length > 0 && folded.length <= 300);
    for (const c of folded) {
      assert.ok(c.flows! > 1 && c.starts!.length === Math.min(16, c.flows!));
      assert.equal(c.packets, 6 * c.flows!);
    }
    // The first exchange is a lookup (two packets), every other one a TCP connection of six.
    assert.equal(facts.capture.packets, 6 * (n - 1) + 2);
  });
});

describe('names and facts are bounded by bytes, the rest counted', () => {
  test('one address answered for 5,000 names keeps 64 of them and counts the others', () => {
    const file = join(dir, 'names-one.pcap');
    writeManyNamesCapture(file, 5_000, { sameAddress: true });
    const facts = inspectFile(file);
    const names = Object.values(facts.addressNames);
    assert.equal(names.length, 1);
    assert.equal(names[0]!.length, 64);
    assert.equal(facts.capture.omitted.addressNames, 5_000 - 64);
  });

  test('very long names fill the DNS byte bound before its count bound', () => {
    const file = join(dir, 'long-names.pcap');
    // Names of about 250 characters: the byte bound is reached after about 20,000 of them, below the count bound.
    writeManyNamesCapture(file, 30_000, { longNames: true });
    const facts = inspectFile(file);
    assert.ok(facts.dns.length > 15_000 && facts.dns.length < 30_000, `${facts.dns.length} DNS facts`);
    // Each lookup left out is counted twice: its query, then its answer without a kept query.
    assert.equal(facts.capture.omitted.dns, 2 * (30_000 - facts.dns.length));
    const short = join(dir, 'short-names.pcap');
    writeManyNamesCapture(short, 30_000);
    assert.equal(inspectFile(short).capture.omitted.dns, undefined);
  });
});
