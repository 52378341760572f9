/**
 * The built command line, spawned as a user would run it (`node dist/src/cli/main.js inspect …`): the JSON
 * shape declared in src/engine/facts-schema.ts, the human summary, standard input, exit codes and one-line reasons
 * for unusable input, --help, and a capture cut short inside a packet.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Facts } from '../../src/engine/facts.js';
import {
  CAPTURE_FACTS_SCHEMA, CERTIFICATE_FACT_SCHEMA, CONNECTION_FACT_SCHEMA, DHCP_FACT_SCHEMA, DNS_ANSWER_FACT_SCHEMA, DNS_FACT_SCHEMA,
  FACTS_SCHEMA, HTTP_FACT_SCHEMA, QUIC_FACT_SCHEMA, TLS_FACT_SCHEMA,
} from '../../src/engine/facts-schema.js';
import { inspectFile } from '../../src/engine/inspect.js';
import { pcap, ROOT } from '../helpers/paths.js';
import { pcapFile, readFrames } from '../helpers/pcap-writer.js';

const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

function run(args: string[], input?: Buffer): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000, cwd: ROOT,
  });
  if (r.error) throw r.error;
  return r;
}

/**
 * The documented shape, read from the facts schema in src/engine/facts-schema.ts (the contract later tools rely
 * on: fields are added there, never renamed), so this test follows the declaration rather than a copy of it.
 * Optional fields may be absent; every required field must be printed, and nothing undeclared.
 */
function documentedKeys(): Record<string, { required: string[]; optional: string[] }> {
  const schemas: Record<string, { required: readonly string[]; properties: object }> = {
    Facts: FACTS_SCHEMA, CaptureFacts: CAPTURE_FACTS_SCHEMA, ConnectionFact: CONNECTION_FACT_SCHEMA, DnsFact: DNS_FACT_SCHEMA,
    DnsAnswerFact: DNS_ANSWER_FACT_SCHEMA, TlsFact: TLS_FACT_SCHEMA, CertificateFact: CERTIFICATE_FACT_SCHEMA, QuicFact: QUIC_FACT_SCHEMA,
    HttpFact: HTTP_FACT_SCHEMA, DhcpFact: DHCP_FACT_SCHEMA,
  };
  const out: Record<string, { required: string[]; optional: string[] }> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const required = [...schema.required];
    out[name] = { required, optional: Object.keys(schema.properties).filter((k) => !required.includes(k)) };
  }
  return out;
}

const DOC = documentedKeys();

function assertShape(o: object, iface: string, where: string): void {
  const doc = DOC[iface];
  assert.ok(doc, `${iface} is declared in src/engine/facts-schema.ts`);
  const keys = Object.keys(o);
  for (const k of doc.required) assert.ok(keys.includes(k), `${where}: documented key ${iface}.${k} missing`);
  for (const k of keys) assert.ok(doc.required.includes(k) || doc.optional.includes(k), `${where}: undocumented key ${k} in ${iface}`);
}

const sorted = (xs: string[]): string[] => [...xs].sort();

let dir: string;
before(() => {
  assert.ok(existsSync(MAIN), `${MAIN} is missing: build first (npx tsc -p .)`);
  dir = mkdtempSync(join(tmpdir(), 'qc-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('quietcheck inspect FILE --json', () => {
  // Between them these captures hold every kind of fact.
  const files = ['http-wikipedia.pcap', 'tls12-letsencrypt-heise.pcap', 'quic-multi-sni.pcap', 'dhcp.pcap', 'dns-edns-ecs.pcap'];
  const seen = new Set<string>();

  for (const name of files) {
    it(`${name}: exit 0, one JSON line with exactly the documented keys, equal to the in-process facts`, () => {
      const r = run(['inspect', pcap(name), '--json']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.ok(r.stdout.endsWith('\n'));
      assert.equal(r.stdout.trimEnd().split('\n').length, 1, 'a single line of JSON');
      const facts = JSON.parse(r.stdout) as Facts;
      assert.deepEqual(facts, JSON.parse(JSON.stringify(inspectFile(pcap(name)))));
      assertShape(facts, 'Facts', name);
      assertShape(facts.capture, 'CaptureFacts', name);
      for (const c of facts.connections) assertShape(c, 'ConnectionFact', name);
      for (const d of facts.dns) {
        assertShape(d, 'DnsFact', name);
        for (const a of d.answers) assertShape(a, 'DnsAnswerFact', name);
      }
      for (const t of facts.tls) {
        assertShape(t, 'TlsFact', name);
        for (const c of t.certificates) assertShape(c, 'CertificateFact', name);
      }
      for (const q of facts.quic) assertShape(q, 'QuicFact', name);
      for (const h of facts.http) assertShape(h, 'HttpFact', name);
      for (const d of facts.dhcp) assertShape(d, 'DhcpFact', name);
      assert.equal(facts.capture.bytes, statSync(pcap(name)).size);
      assert.equal(facts.capture.truncated, false);
      assert.equal(facts.capture.damageOffset, null);
      if (facts.connections.length) seen.add('connections');
      if (facts.dns.some((d) => d.answers.length > 0)) seen.add('dns');
      if (facts.tls.some((t) => t.certificates.length > 0)) seen.add('tls');
      if (facts.quic.length) seen.add('quic');
      if (facts.http.length) seen.add('http');
      if (facts.dhcp.length) seen.add('dhcp');
    });
  }

  it('the documentation lists the core keys this test relies on', () => {
    for (const [iface, keys] of Object.entries({
      Facts: ['capture', 'connections', 'dns', 'tls', 'quic', 'http', 'dhcp'],
      CaptureFacts: ['format', 'packets', 'bytes', 'firstSeen', 'lastSeen', 'linktypes', 'truncated', 'damageOffset', 'malformed'],
      ConnectionFact: ['proto', 'src', 'sport', 'dst', 'dport', 'packets', 'bytes', 'names'],
      DnsFact: ['ts', 'client', 'server', 'query', 'qtype', 'rcode', 'answers'],
      TlsFact: ['sni', 'ja3', 'ja3s', 'ja4', 'certificates'],
      CertificateFact: ['subject', 'issuer', 'sha1', 'sha256', 'san'],
      QuicFact: ['sni', 'ja4'],
      HttpFact: ['method', 'host', 'uri', 'userAgent'],
      DhcpFact: ['mac', 'hostname', 'vendorClass', 'paramList'],
    })) {
      for (const k of keys) assert.ok(DOC[iface]?.required.includes(k), `${iface}.${k} documented`);
    }
  });

  it('the captures above exercised every kind of entry', () => {
    assert.deepEqual(sorted([...seen]), sorted(['connections', 'dns', 'tls', 'quic', 'http', 'dhcp']));
  });
});

describe('quietcheck inspect FILE (human summary)', () => {
  it('names every TLS server name, HTTP host and looked-up name of a real browsing capture', () => {
    const name = 'tls-browsing-mixed.pcap';
    const r = run(['inspect', pcap(name)]);
    assert.equal(r.status, 0, r.stderr);
    const facts = inspectFile(pcap(name));
    const out = r.stdout;
    assert.match(out, new RegExp(`^Capture: pcap, ${facts.capture.packets} packets`));
    const snis = [...new Set(facts.tls.flatMap((t) => (t.sni ? [t.sni] : [])))];
    assert.ok(snis.length > 5, 'the capture has many server names');
    // The summary lists up to 20 server names.
    for (const s of snis.slice(0, 20)) assert.ok(out.includes(`  ${s}\n`), `summary lacks SNI ${s}`);
    assert.match(out, new RegExp(`TLS: ${facts.tls.length} handshakes, ${snis.length} server names`));
    const hosts = [...new Set(facts.http.map((h) => h.host))];
    assert.ok(hosts.length > 0);
    for (const h of hosts.slice(0, 10)) assert.ok(out.includes(h), `summary lacks HTTP host ${h}`);
    assert.match(out, new RegExp(`HTTP \\(unencrypted\\): ${facts.http.length} requests`));
    assert.match(out, /^DNS: \d+ lookups of \d+ names:/m);
    assert.doesNotMatch(out, /cut short/);
  });

  it('names the QUIC server names and the DHCP device', () => {
    const q = run(['inspect', pcap('quic-multi-sni.pcap')]);
    assert.equal(q.status, 0, q.stderr);
    const snis = [...new Set(inspectFile(pcap('quic-multi-sni.pcap')).quic.flatMap((x) => (x.sni ? [x.sni] : [])))];
    assert.ok(snis.length >= 9);
    for (const s of snis.slice(0, 10)) assert.ok(q.stdout.includes(s), `summary lacks QUIC SNI ${s}`);
    const d = run(['inspect', pcap('dhcp.pcap')]);
    assert.equal(d.status, 0, d.stderr);
    const dev = inspectFile(pcap('dhcp.pcap')).dhcp.find((x) => x.hostname !== null);
    assert.ok(dev, 'the capture names a device');
    assert.ok(d.stdout.includes(`Device (DHCP): ${dev.mac} named "${dev.hostname}"`), d.stdout);
  });
});

describe('quietcheck inspect - (standard input)', () => {
  for (const name of ['tls12-clienthello-mtu300.pcap', 'pcapng-two-interfaces-dns.pcapng']) {
    it(`${name} piped in gives the same facts as the file`, () => {
      const r = run(['inspect', '-', '--json'], readFileSync(pcap(name)));
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(inspectFile(pcap(name)))));
    });
  }

  it('an empty standard input is exit 2 with a one-line reason', () => {
    const r = run(['inspect', '-', '--json'], Buffer.alloc(0));
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^quietcheck: -: empty file/);
  });
});

describe('unusable input: exit 2 and a one-line reason, nothing on standard output', () => {
  const oneLine = (r: SpawnSyncReturns<string>): void => {
    assert.equal(r.status, 2, `exit ${r.status}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.endsWith('\n'));
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|    at /);
  };

  it('a JSON file: names offset 0 and what was found there', () => {
    const file = join(dir, 'facts.json');
    writeFileSync(file, JSON.stringify(inspectFile(pcap('dhcp.pcap'))));
    const r = run(['inspect', file, '--json']);
    oneLine(r);
    assert.ok(r.stderr.startsWith(`quietcheck: ${file}: not a pcap or pcapng capture`), r.stderr);
    assert.match(r.stderr, /7b 22 63 61 \("\{"ca"\)/);
    assert.match(r.stderr, /\(at byte offset 0\)$/m);
  });

  it('a missing file', () => {
    const file = join(dir, 'does-not-exist.pcap');
    const r = run(['inspect', file]);
    oneLine(r);
    assert.equal(r.stderr, `quietcheck: ${file}: no such file\n`);
  });

  it('a directory', () => {
    const r = run(['inspect', dir]);
    oneLine(r);
    assert.equal(r.stderr, `quietcheck: ${dir}: is a directory, not a capture file\n`);
  });

  it('a file too short for a pcap header', () => {
    const file = join(dir, 'short.pcap');
    writeFileSync(file, readFileSync(pcap('dhcp.pcap')).subarray(0, 10));
    const r = run(['inspect', file]);
    oneLine(r);
    assert.match(r.stderr, /file too short for a pcap header \(24 bytes\): only 10 bytes \(at byte offset 0\)/);
  });
});

describe('quietcheck inspect --help', () => {
  it('shows examples and the exit codes, exit 0', () => {
    const r = run(['inspect', '--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: quietcheck inspect \[options\] <capture>/);
    assert.match(r.stdout, /--json/);
    assert.match(r.stdout, /Examples:\n\s+quietcheck inspect phone\.pcapng\n/);
    assert.match(r.stdout, /quietcheck inspect - --json/);
    assert.match(r.stdout, /Exit codes:\n\s+0 .+\n\s+2 .+\n\s+1 /);
  });
});

describe('a capture cut short inside a packet (http-wikipedia-cut.pcap)', () => {
  const cut = pcap('http-wikipedia-cut.pcap');

  it('exit 0, truncated, damage at the cut record, and the 81 whole records analysed like the same records of the whole file', () => {
    const r = run(['inspect', cut, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const facts = JSON.parse(r.stdout) as Facts;
    const size = statSync(cut).size;
    assert.equal(facts.capture.truncated, true);
    assert.equal(facts.capture.packets, 81);
    // The file ends with a 16-byte record header and 20 bytes of its packet.
    assert.equal(facts.capture.damageOffset, size - 36);
    assert.equal(facts.capture.bytes, size);
    assert.deepEqual(facts.capture.malformed, { 'capture.truncated': 1 });
    // The reference: the first 81 records of the original capture, rewritten as a whole file.
    const whole = readFrames(pcap('http-wikipedia.pcap'));
    const ref = join(dir, 'wikipedia-81.pcap');
    writeFileSync(ref, pcapFile(whole.frames.slice(0, 81), whole.linktype, 65535));
    const expected = inspectFile(ref);
    assert.equal(expected.capture.packets, 81);
    for (const k of ['connections', 'dns', 'tls', 'quic', 'http', 'dhcp'] as const) {
      assert.deepEqual(facts[k], JSON.parse(JSON.stringify(expected[k])), k);
    }
    assert.ok(facts.dns.length > 0 && facts.http.length > 0, 'the whole records hold DNS and HTTP');
  });

  it('the human summary says where the file is cut', () => {
    const r = run(['inspect', cut]);
    assert.equal(r.status, 0, r.stderr);
    const size = statSync(cut).size;
    assert.ok(r.stdout.includes(`! the file is cut short or damaged at byte ${size - 36}: read up to there`), r.stdout);
    assert.match(r.stdout, /capture\.truncated ×1/);
  });
});
