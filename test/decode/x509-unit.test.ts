/**
 * certificateFacts on certificates made by the openssl command line (the name forms, SAN kinds and dates the
 * real captures lack) and on garbage.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DecodeError } from '../../src/decode/errors.js';
import { certificateFacts } from '../../src/decode/x509.js';

const dir = mkdtempSync(join(tmpdir(), 'qc-x509-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A fresh P-256 key, and a certificate for it: self-signed, or signed by `ca`. Returns the DER. */
function makeCert(name: string, subj: string, opts: { san?: string; days?: number; ca?: string } = {}): Buffer {
  const key = join(dir, `${name}.key`);
  const out = join(dir, `${name}.der`);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
  const ext = opts.san ? ['-addext', `subjectAltName=${opts.san}`] : [];
  if (!opts.ca) {
    openssl(['req', '-x509', '-new', '-key', key, '-subj', subj, '-days', String(opts.days ?? 30), ...ext, '-outform', 'DER', '-out', out]);
  } else {
    const csr = join(dir, `${name}.csr`);
    openssl(['req', '-new', '-key', key, '-subj', subj, '-out', csr]);
    const caPem = join(dir, `${opts.ca}.pem`);
    openssl(['x509', '-inform', 'DER', '-in', join(dir, `${opts.ca}.der`), '-out', caPem]);
    openssl(['x509', '-req', '-in', csr, '-CA', caPem, '-CAkey', join(dir, `${opts.ca}.key`), '-set_serial', '7', '-days', '30', '-outform', 'DER', '-out', out]);
  }
  return readFileSync(out);
}

describe('certificateFacts', () => {
  it('renders names in certificate order, escapes separators, reads SAN DNS and IP entries', () => {
    const der = makeCert('a', '/C=DE/O=Foo, Inc./CN=test.example', {
      san: 'DNS:test.example,DNS:*.test.example,IP:192.0.2.1,IP:2001:db8:0:0:1:0:0:1,IP:::1,email:x@test.example',
    });
    const f = certificateFacts(der);
    assert.equal(f.subject, 'C=DE, O=Foo\\, Inc., CN=test.example');
    assert.equal(f.issuer, f.subject);
    assert.deepEqual(f.san, ['test.example', '*.test.example', '192.0.2.1', '2001:db8::1:0:0:1', '::1']);
    assert.equal(f.selfSigned, true);
    assert.equal(f.sha1, createHash('sha1').update(der).digest('hex'));
    assert.equal(f.sha256, new X509Certificate(der).fingerprint256.replace(/:/g, '').toLowerCase());
  });

  it('gives ISO dates, GeneralizedTime ones (2050 and later) included', () => {
    const der = makeCert('long', '/CN=long.example', { days: 15000 });
    const x = new X509Certificate(der);
    const f = certificateFacts(der);
    assert.equal(f.notBefore, new Date(x.validFrom).toISOString());
    assert.equal(f.notAfter, new Date(x.validTo).toISOString());
    assert.ok(Number(f.notAfter.slice(0, 4)) >= 2050);
    assert.match(f.notBefore, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    assert.deepEqual(f.san, []);
  });

  it('is not self-signed when subject equals issuer but another key signed it', () => {
    makeCert('ca', '/CN=Same Name');
    const imposter = makeCert('leaf', '/CN=Same Name', { ca: 'ca' });
    const f = certificateFacts(imposter);
    assert.equal(f.subject, f.issuer);
    assert.equal(f.selfSigned, false);
    const other = certificateFacts(makeCert('leaf2', '/CN=other', { ca: 'ca' }));
    assert.equal(other.issuer, 'CN=Same Name');
    assert.equal(other.selfSigned, false);
  });

  it('throws DecodeError(x509.bad-der) on garbage, and only that', () => {
    const der = makeCert('g', '/CN=garbage.example', { san: 'DNS:garbage.example' });
    const bad = (b: Buffer): void =>
      assert.throws(() => certificateFacts(b), (e: unknown) => e instanceof DecodeError && e.kind === 'x509.bad-der');
    bad(Buffer.alloc(0));
    bad(Buffer.from('not a certificate'));
    bad(Buffer.from([0x30, 0x80, 0, 0]));
    bad(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]));
    for (let i = 0; i < der.length; i++) bad(der.subarray(0, i));
  });
});
