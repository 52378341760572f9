/**
 * The facts schema is the one declaration of what `inspect --json` prints: docs/facts.md is generated from it,
 * and the command's output on every shared capture must validate strictly against it (closed objects, required
 * fields, formats of times, ports and hashes). Facts made on a connection must point at that connection.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import type { ConnectionFact, Facts } from '../../src/engine/facts.js';
import { FACTS_SCHEMA } from '../../src/engine/facts-schema.js';
import { inspectFile } from '../../src/engine/inspect.js';
import { Engine } from '../../src/engine/engine.js';
import { readCaptureFile } from '../../src/capture/reader.js';
import { renderFactsDoc } from '../../src/report/facts-doc.js';
import { PCAPS, ROOT } from '../helpers/paths.js';
import { dnsQuery, pcapFile, udp4Frame } from '../helpers/pcap-writer.js';

const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const validate = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true }).compile(FACTS_SCHEMA);

test('docs/facts.md is the facts schema as it is now (run `npm run docs` after changing a field)', () => {
  assert.equal(readFileSync(join(ROOT, 'docs', 'facts.md'), 'utf8'), renderFactsDoc());
});

test('every field of the schema says what it means', () => {
  const missing: string[] = [];
  const walk = (n: Record<string, unknown>, path: string): void => {
    for (const [k, child] of Object.entries((n.properties ?? {}) as Record<string, Record<string, unknown>>)) {
      if (typeof child.description !== 'string' || child.description.length < 8) missing.push(`${path}.${k}`);
      walk(child, `${path}.${k}`);
      if (child.items) walk(child.items as Record<string, unknown>, `${path}.${k}[]`);
    }
  };
  walk(FACTS_SCHEMA as unknown as Record<string, unknown>, 'facts');
  assert.deepEqual(missing, []);
});

test('the schema is strict: an undeclared field or a missing one is refused', () => {
  const ok: Facts = {
    capture: { format: 'pcap', packets: 0, bytes: 0, firstSeen: null, lastSeen: null, linktypes: [1], truncated: false, damageOffset: null, malformed: {}, omitted: {} },
    connections: [], dns: [], tls: [], quic: [], http: [], dhcp: [], addressNames: {},
  };
  assert.ok(validate(ok), JSON.stringify(validate.errors));
  assert.equal(validate({ ...ok, extra: 1 }), false);
  assert.equal(validate({ ...ok, capture: { ...ok.capture, packets: -1 } }), false);
  const { dns: _dns, ...withoutDns } = ok;
  assert.equal(validate(withoutDns), false);
});

/** Whether a fact's own addresses and ports are those of the connection it points at (a folded entry keeps the first one's client port). */
function sameEnds(c: ConnectionFact, f: { client: string; server: string; sport?: number; dport: number }): boolean {
  return c.src === f.client && c.dst === f.server && c.dport === f.dport && (f.sport === undefined || c.flows !== undefined || c.sport === f.sport);
}

const captures = readdirSync(PCAPS).filter((n) => /\.(pcap|pcapng)$/.test(n)).sort();

test('there are shared captures to check', () => {
  assert.ok(captures.length >= 20, `${captures.length} captures in ${PCAPS}`);
});

for (const name of captures) {
  test(`${name}: inspect --json validates against the facts schema, and facts point at their own connection`, () => {
    const r = spawnSync(process.execPath, [MAIN, 'inspect', join(PCAPS, name), '--json'], { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const facts = JSON.parse(r.stdout) as Facts;
    assert.ok(validate(facts), `${name}:\n${JSON.stringify(validate.errors, null, 1).slice(0, 3000)}`);
    // What analysis reads in-process is the same document.
    assert.deepEqual(JSON.parse(JSON.stringify(inspectFile(join(PCAPS, name)))), facts);
    const kinds: [string, { client: string; server: string; sport?: number; dport: number; connection?: number }[], ConnectionFact['proto']][] = [
      ['tls', facts.tls, 'tcp'], ['quic', facts.quic, 'udp'], ['http', facts.http, 'tcp'],
    ];
    for (const [kind, list, proto] of kinds) {
      for (const f of list) {
        assert.notEqual(f.connection, undefined, `${name}: a ${kind} fact without its connection`);
        const c = facts.connections[f.connection!];
        assert.ok(c !== undefined && c.proto === proto && sameEnds(c, f), `${name}: ${kind} fact points at ${JSON.stringify(c)}`);
      }
    }
    for (const d of facts.dns) {
      assert.notEqual(d.connection, undefined, `${name}: a DNS fact without its connection`);
      const c = facts.connections[d.connection!]!;
      assert.equal(c.proto, d.transport);
      // A response-only or announcement fact names the asking side as client, whichever side opened the flow.
      assert.deepEqual([c.src, c.dst].sort(), [d.client, d.server].sort(), `${name}: DNS fact points at ${JSON.stringify(c)}`);
    }
  });
}

test('facts of connections that left the flow table point at their retired entry, the others after them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qc-facts-conn-'));
  try {
    // One lookup every 1,000 s from a new port: each flow is idle past the UDP timeout when the next comes.
    const frames = [0, 1, 2, 3].map((i) => ({
      ts: 1_700_000_000 + i * 1000,
      data: udp4Frame('192.168.1.20', '192.168.1.1', 40000 + i, 53, dnsQuery(i + 1, `n${i}.example.org`)),
    }));
    const file = join(dir, 'lookups.pcap');
    writeFileSync(file, pcapFile(frames));
    const engine = new Engine();
    const facts = engine.finish(readCaptureFile(file, engine));
    assert.ok(engine.flows.retired >= 3, `${engine.flows.retired} flows retired`);
    assert.equal(facts.dns.length, 4);
    assert.ok(validate(JSON.parse(JSON.stringify(facts))), JSON.stringify(validate.errors));
    for (const d of facts.dns) {
      const c = facts.connections[d.connection!]!;
      assert.equal(c.sport, 40000 + Number(d.query.slice(1, 2)), `${d.query} points at ${JSON.stringify(c)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
