/**
 * One scenario per behaviour/protocol/TLS heuristic, recorded in one lab on servers that are in
 * no indicator feed (`*.lab.test`). `analyze` gets ioc.yaml only: TinyCheck's whitelist.json allows
 * 10.0.0.0/8, which holds the lab's addresses, and the allow-list silences heuristics by design.
 *
 * The beacon records on a second phone in the background while the other scenarios record on the first:
 * the detector only counts a period of 10 s or more (shorter repeats are a burst, not a schedule), so it
 * takes five contacts about 10.5 s apart.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { FREE_ISSUER_SUBJECT, WRONG_NAME } from '../lab/certs.js';
import { IOC_YAML } from '../lab/feeds.js';
import { Lab, labUnavailable, type HostSpec } from '../lab/lab.js';
import type { Report } from '../lab/quietcheck.js';
import { dnsQueries, expectFinding, expectResolved, httpTo, on, scenario, tlsTo } from './scenario.js';

const skip = labUnavailable();
const IOC = [IOC_YAML];

const BEACON = { name: 'checkin.lab.test', count: 5, periodMs: 10_500, jitterMs: 300 };
const UPLOAD = { name: 'sync.lab.test', bytes: 4_000_000 };
const SELF_SIGNED = 'selfsigned.lab.test';
const EXPIRED = 'expired.lab.test';
const FREE = 'free-issuer.lab.test';
const MISMATCH = 'mismatch.lab.test';
const HTTP_PORT = { name: 'panel.lab.test', port: 8088 };
const TLS_PORT = { name: 'gate.lab.test', port: 4433 };
const DOT = 'dot.lab.test';

const hosts: HostSpec[] = [
  { names: [BEACON.name], services: [{ port: 443, proto: 'https' }] },
  { names: [UPLOAD.name], services: [{ port: 443, proto: 'https' }] },
  { names: [SELF_SIGNED], services: [{ port: 443, proto: 'tls', cert: 'self-signed', tls12: true }] },
  { names: [EXPIRED], services: [{ port: 443, proto: 'tls', cert: 'expired', tls12: true }] },
  { names: [FREE], services: [{ port: 443, proto: 'tls', cert: 'free-issuer', tls12: true }] },
  { names: [MISMATCH], services: [{ port: 443, proto: 'tls', cert: 'wrong-name', tls12: true }] },
  { names: [HTTP_PORT.name], services: [{ port: HTTP_PORT.port, proto: 'http' }] },
  { names: [TLS_PORT.name], services: [{ port: TLS_PORT.port, proto: 'tls' }] },
  { names: [], services: [{ port: 443, proto: 'https' }] }, // reached by address only
  { names: [DOT], services: [{ port: 853, proto: 'tls' }] },
];

/** None of these hosts is an indicator: a heuristic alone never makes the verdict High. */
function notHigh(r: Report): void {
  assert.notEqual(r.verdict.level, 'high');
  assert.notEqual(r.verdict.level, 'none', 'the heuristic is reported');
}

describe('one scenario per heuristic', { skip }, () => {
  let lab: Lab | null = null;
  let beacon: Promise<string> = Promise.reject(new Error('the lab did not start'));
  beacon.catch(() => undefined);
  const phone = () => {
    if (lab === null) throw new Error('the lab did not start');
    return lab.phone;
  };
  const addr = (name: string): string => lab!.host(name).address;
  const noDnsAddress = (): string => lab!.hosts.find((h) => h.names.length === 0)!.address;

  before(async () => {
    lab = await Lab.start({ hosts, phones: 2 });
    const second = lab.phones[1]!;
    beacon = second.record('beacon', async (p) => {
      await p.beacon(`https://${BEACON.name}/api/commands?since=0`, BEACON.count, BEACON.periodMs, BEACON.jitterMs);
    });
    beacon.catch(() => undefined); // awaited (and reported) by the beacon scenario
  });
  after(async () => {
    await beacon.catch(() => undefined);
    await lab?.stop();
  });

  scenario({
    name: `upload-heavy: ${UPLOAD.bytes} bytes POSTed over HTTPS`,
    indicators: IOC,
    record: on(phone, 'upload', async (p) => {
      assert.equal(await p.upload(`https://${UPLOAD.name}/v1/upload`, UPLOAD.bytes), 200);
    }),
    facts: (f) => {
      expectResolved(f, UPLOAD.name, addr(UPLOAD.name));
      const c = f.connections.find((x) => x.dst === addr(UPLOAD.name) && x.dport === 443);
      assert.ok(c && c.bytesToServer >= UPLOAD.bytes, `bytes up ≥ ${UPLOAD.bytes}: ${c?.bytesToServer}`);
      assert.ok(c.bytesToServer > 20 * c.bytesToClient, `far more up than down: ${c.bytesToServer} / ${c.bytesToClient}`);
      assert.equal(tlsTo(f, UPLOAD.name).length, 1);
    },
    report: (r) => {
      expectFinding(r, 'BEH-UPLOAD', UPLOAD.name);
      notHigh(r);
    },
  });

  scenario({
    name: 'self-signed certificate (TLS 1.2, so the certificate is visible)',
    indicators: IOC,
    record: on(phone, 'self-signed', async (p) => void (await p.tls(SELF_SIGNED, 443))),
    facts: (f) => {
      expectResolved(f, SELF_SIGNED, addr(SELF_SIGNED));
      const leaf = tlsTo(f, SELF_SIGNED)[0]?.certificates[0];
      assert.ok(leaf, 'the server certificate is in the capture');
      assert.equal(leaf.selfSigned, true);
      assert.equal(leaf.subject, leaf.issuer);
    },
    report: (r) => {
      expectFinding(r, 'SSL-03', SELF_SIGNED);
      notHigh(r);
    },
  });

  scenario({
    name: 'expired certificate',
    indicators: IOC,
    record: on(phone, 'expired', async (p) => void (await p.tls(EXPIRED, 443))),
    facts: (f) => {
      const t = tlsTo(f, EXPIRED)[0];
      const leaf = t?.certificates[0];
      assert.ok(t && leaf, 'the server certificate is in the capture');
      assert.ok(Date.parse(leaf.notAfter) < Date.parse(t.ts), `notAfter ${leaf.notAfter} before the handshake ${t.ts}`);
      assert.equal(leaf.selfSigned, false);
    },
    report: (r) => {
      expectFinding(r, 'SSL-EXPIRED', EXPIRED);
      notHigh(r);
    },
  });

  scenario({
    name: 'certificate from a CA named like a free issuer',
    indicators: IOC,
    record: on(phone, 'free-issuer', async (p) => void (await p.tls(FREE, 443))),
    facts: (f) => {
      const t = tlsTo(f, FREE)[0];
      assert.ok(t && t.certificates.length === 2, 'leaf and intermediate in the capture');
      const cn = /CN=([^/]+)$/.exec(FREE_ISSUER_SUBJECT)![1]!;
      assert.ok(t.certificates[0]!.issuer.includes("Let's Encrypt") && t.certificates[0]!.issuer.includes(cn), t.certificates[0]!.issuer);
      assert.ok(t.certificates[0]!.san.includes(FREE));
    },
    report: (r) => {
      expectFinding(r, 'SSL-02', FREE);
      notHigh(r);
    },
  });

  scenario({
    name: 'certificate that does not cover the SNI',
    indicators: IOC,
    record: on(phone, 'name-mismatch', async (p) => void (await p.tls(MISMATCH, 443))),
    facts: (f) => {
      const leaf = tlsTo(f, MISMATCH)[0]?.certificates[0];
      assert.ok(leaf, 'the server certificate is in the capture');
      assert.deepEqual(leaf.san, [WRONG_NAME]);
    },
    report: (r) => {
      expectFinding(r, 'SSL-NAME-MISMATCH', MISMATCH);
      notHigh(r);
    },
  });

  scenario({
    name: `plain HTTP on non-standard port ${HTTP_PORT.port}`,
    indicators: IOC,
    record: on(phone, 'http-port', async (p) => {
      assert.equal(await p.curl(`http://${HTTP_PORT.name}:${HTTP_PORT.port}/admin/report?imei=0`), 200);
    }),
    facts: (f) => {
      expectResolved(f, HTTP_PORT.name, addr(HTTP_PORT.name));
      const h = httpTo(f, HTTP_PORT.name);
      assert.equal(h.length, 1);
      assert.equal(h[0]!.dport, HTTP_PORT.port);
      assert.equal(h[0]!.uri, '/admin/report?imei=0');
    },
    report: (r) => {
      expectFinding(r, 'PROTO-04', HTTP_PORT.name);
      notHigh(r);
    },
  });

  scenario({
    name: `TLS on non-standard port ${TLS_PORT.port}`,
    indicators: IOC,
    record: on(phone, 'tls-port', async (p) => void (await p.tls(TLS_PORT.name, TLS_PORT.port))),
    facts: (f) => {
      const t = tlsTo(f, TLS_PORT.name);
      assert.equal(t.length, 1);
      assert.equal(t[0]!.dport, TLS_PORT.port);
    },
    report: (r) => {
      expectFinding(r, 'SSL-01', TLS_PORT.name);
      notHigh(r);
    },
  });

  scenario({
    name: 'a server contacted without any DNS lookup',
    indicators: IOC,
    record: on(phone, 'no-dns', async (p) => {
      assert.equal(await p.curl(`https://${noDnsAddress()}/status`), 200);
    }),
    facts: (f) => {
      assert.equal(f.dns.length, 0, 'no DNS at all');
      const c = f.connections.filter((x) => x.dst === noDnsAddress());
      assert.equal(c.length, 1);
      assert.deepEqual(c[0]!.names, []);
    },
    report: (r) => {
      expectFinding(r, 'PROTO-05', noDnsAddress());
      notHigh(r);
    },
  });

  scenario({
    name: 'DNS over TLS on port 853',
    indicators: IOC,
    record: on(phone, 'dot', async (p) => void (await p.tls(DOT, 853))),
    facts: (f) => {
      expectResolved(f, DOT, addr(DOT));
      const c = f.connections.filter((x) => x.dst === addr(DOT) && x.dport === 853 && x.proto === 'tcp');
      assert.equal(c.length, 1);
      assert.equal(tlsTo(f, DOT).length, 1);
    },
    report: (r) => {
      expectFinding(r, 'BEH-DOT', DOT);
      notHigh(r);
    },
  });

  scenario({
    name: `periodic beacon: ${BEACON.count} check-ins every ${BEACON.periodMs / 1000} s ± ${BEACON.jitterMs / 1000} s`,
    indicators: IOC,
    record: () => beacon,
    facts: (f) => {
      expectResolved(f, BEACON.name, addr(BEACON.name));
      assert.equal(dnsQueries(f, BEACON.name).filter((d) => d.qtype === 'A').length, BEACON.count, 'one lookup per check-in');
      const starts = f.connections
        .filter((c) => c.dst === addr(BEACON.name) && c.dport === 443)
        .map((c) => Date.parse(c.firstSeen))
        .sort((a, b) => a - b);
      assert.equal(starts.length, BEACON.count);
      for (let i = 1; i < starts.length; i++) {
        const gap = starts[i]! - starts[i - 1]!;
        assert.ok(Math.abs(gap - BEACON.periodMs) <= 2 * BEACON.jitterMs + 500, `interval ${i}: ${gap} ms`);
      }
    },
    report: (r) => {
      expectFinding(r, 'BEH-BEACON', BEACON.name);
      notHigh(r);
    },
  });
});
