import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildZip } from './zip-build.js';

/**
 * APKs signed by Debian's apksigner with each signature scheme, each with its own key, and what
 * apksigner itself says their signer's certificate is (the oracle for certificate extraction).
 */

export interface SignedApk {
  scheme: 'v1' | 'v2' | 'v3';
  path: string;
  /** From `apksigner verify --print-certs`. */
  certSha256: string;
  certSha1: string;
}

function keyPair(dir: string, name: string): { key: string; cert: string } {
  const pem = join(dir, `${name}.key.pem`);
  const cert = join(dir, `${name}.cert.pem`);
  const pk8 = join(dir, `${name}.pk8`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', pem, '-out', cert, '-days', '3650', '-subj', `/CN=${name} signer/O=quietcheck tests`], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs8', '-topk8', '-inform', 'PEM', '-outform', 'DER', '-in', pem, '-out', pk8, '-nocrypt'], { stdio: 'ignore' });
  return { key: pk8, cert };
}

export function makeSignedApks(dir: string): SignedApk[] {
  mkdirSync(dir, { recursive: true });
  // A minimal zip with the files every APK has; a larger payload makes the central directory realistic.
  const entries = [
    { name: 'AndroidManifest.xml', data: Buffer.from('not a real manifest: the signing tools do not need one with --min-sdk-version') },
    { name: 'classes.dex', data: Buffer.alloc(200_000, 7) },
    ...Array.from({ length: 60 }, (_, i) => ({ name: `res/drawable/icon${i}.png`, data: Buffer.from(`png ${i}`.repeat(50)) })),
  ];
  const unsigned = join(dir, 'unsigned.apk');
  writeFileSync(unsigned, buildZip(entries));
  const out: SignedApk[] = [];
  for (const scheme of ['v1', 'v2', 'v3'] as const) {
    const { key, cert } = keyPair(dir, scheme);
    const path = join(dir, `${scheme}.apk`);
    const minSdk = scheme === 'v1' ? '18' : scheme === 'v2' ? '24' : '28';
    execFileSync('apksigner', [
      'sign', '--key', key, '--cert', cert, '--min-sdk-version', minSdk,
      '--v1-signing-enabled', String(scheme === 'v1'), '--v2-signing-enabled', String(scheme === 'v2'), '--v3-signing-enabled', String(scheme === 'v3'),
      '--v4-signing-enabled', 'false', '--out', path, unsigned,
    ]);
    const printed = execFileSync('apksigner', ['verify', '--min-sdk-version', minSdk, '--print-certs', path], { encoding: 'utf8' });
    const sha256 = /certificate SHA-256 digest: ([0-9a-f]{64})/.exec(printed)?.[1];
    const sha1 = /certificate SHA-1 digest: ([0-9a-f]{40})/.exec(printed)?.[1];
    if (!sha256 || !sha1) throw new Error(`apksigner printed no certificate for ${path}: ${printed}`);
    out.push({ scheme, path, certSha256: sha256, certSha1: sha1 });
  }
  return out;
}
