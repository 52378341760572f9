/**
 * The bench's browsing mix read whole: every repetition of the shared captures must give the same facts
 * as the first (only addresses, client ports and times differ), and `inspect --json`'s streamed text must
 * be exactly JSON.stringify of the facts. Buffers reused across connections, messages read in place and
 * records left untranslated would show here as a repetition that differs from the others.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeBenchCapture } from '../../bench/make-capture.js';
import type { Facts } from '../../src/engine/facts.js';
import { inspectFile, inspectFileToJson } from '../../src/engine/inspect.js';

const dir = mkdtempSync(join(tmpdir(), 'qc-mix-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What a TLS session says apart from who and when. */
const tlsKey = (t: Facts['tls'][number]): string =>
  [t.sni, t.alpn.join(','), t.version, t.ja3, t.ja3s, t.ja4, t.certificates.map((c) => c.sha256).join(',')].join('|');
const quicKey = (q: Facts['quic'][number]): string => [q.sni, q.alpn.join(','), q.version, q.ja3, q.ja4].join('|');
const dnsKey = (d: Facts['dns'][number]): string =>
  [d.query, d.qtype, d.rcode, d.transport, d.seen, d.answers.map((a) => `${a.type} ${a.name}`).join(',')].join('|');
const httpKey = (h: Facts['http'][number]): string => [h.method, h.host, h.uri, h.userAgent].join('|');

function counts(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function times(m: Map<string, number>, n: number): Map<string, number> {
  return new Map([...m].map(([k, v]) => [k, v * n]));
}

describe('the browsing mix, repeated', () => {
  let one: Facts;
  let three: Facts;
  let threePath: string;

  before(() => {
    const onePath = join(dir, 'one.pcapng');
    threePath = join(dir, 'three.pcapng');
    // A repetition is about 3 MB: the first target gives one, the second three.
    const a = makeBenchCapture(onePath, 1_000_000, undefined, 'browsing');
    const b = makeBenchCapture(threePath, 2 * a.bytes, undefined, 'browsing');
    assert.equal(b.packets, 3 * a.packets, 'three whole repetitions');
    one = inspectFile(onePath);
    three = inspectFile(threePath);
  });

  it('holds browsing: TLS, QUIC, DNS and HTTP facts', () => {
    assert.ok(one.tls.length > 20 && one.quic.length > 5 && one.dns.length > 50 && one.http.length > 10);
    assert.ok(one.tls.some((t) => t.certificates.length > 0), 'some certificates');
  });

  it('gives each repetition the facts of the first', () => {
    assert.deepEqual(counts(three.tls.map(tlsKey)), times(counts(one.tls.map(tlsKey)), 3));
    assert.deepEqual(counts(three.quic.map(quicKey)), times(counts(one.quic.map(quicKey)), 3));
    assert.deepEqual(counts(three.dns.map(dnsKey)), times(counts(one.dns.map(dnsKey)), 3));
    assert.deepEqual(counts(three.http.map(httpKey)), times(counts(one.http.map(httpKey)), 3));
    assert.deepEqual(three.capture.malformed, Object.fromEntries(Object.entries(one.capture.malformed).map(([k, v]) => [k, v * 3])));
  });

  it('keeps repetitions apart: their own addresses and client ports', () => {
    const flows = (f: Facts): number => new Set(f.tls.map((t) => `${t.client}:${t.sport} ${t.server}:${t.dport}`)).size;
    assert.equal(flows(three), 3 * flows(one));
    assert.ok(new Set(three.tls.map((t) => t.sport)).size > new Set(one.tls.map((t) => t.sport)).size);
  });

  it('writes inspect --json exactly as JSON.stringify of the facts', () => {
    const out = join(dir, 'three.json');
    const fd = openSync(out, 'w');
    const { written } = inspectFileToJson(threePath, fd);
    closeSync(fd);
    const text = readFileSync(out, 'utf8');
    assert.equal(Buffer.byteLength(text), written);
    assert.equal(text, JSON.stringify(three) + '\n');
  });
});
