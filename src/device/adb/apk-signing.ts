import { createHash, X509Certificate } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { ApkCertificate } from '../parse/androidqf.js';

/**
 * The signing certificate of an APK from a few of its bytes, so a collection never pulls whole APKs
 * off the phone: the zip's end (EOCD) says where the central directory starts; the APK Signing Block
 * (v2/v3 schemes) sits right before it and holds the signer's certificate. APKs signed only with the
 * v1 scheme keep it in META-INF/*.RSA|DSA|EC, a PKCS#7 blob read from its own byte range.
 */

export class ApkFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApkFormatError';
  }
}

/** Bytes to read from the end to be sure to hold the EOCD (22 bytes + a comment of up to 65535). */
export const EOCD_SEARCH_BYTES = 22 + 0xffff;
const SIG_EOCD = 0x06054b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const BLOCK_MAGIC = Buffer.from('APK Sig Block 42', 'latin1');
const V2_ID = 0x7109871a;
const V3_ID = 0xf05368c0;
const V31_ID = 0x1b93ad61;

export interface ZipEnd {
  cdOffset: number;
  cdSize: number;
  entries: number;
}

/** Finds the EOCD in the tail of an APK of `fileSize` bytes. */
export function parseZipEnd(tail: Buffer, fileSize: number): ZipEnd {
  for (let p = tail.length - 22; p >= 0; p--) {
    if (tail.readUInt32LE(p) !== SIG_EOCD) continue;
    const commentLen = tail.readUInt16LE(p + 20);
    if (p + 22 + commentLen !== tail.length) continue;
    const cdSize = tail.readUInt32LE(p + 12);
    const cdOffset = tail.readUInt32LE(p + 16);
    if (cdOffset + cdSize > fileSize) throw new ApkFormatError('the zip directory points past the end of the file');
    return { cdOffset, cdSize, entries: tail.readUInt16LE(p + 10) };
  }
  throw new ApkFormatError('not a zip file (no end of central directory)');
}

/**
 * The APK Signing Block's size from the 24 bytes before the central directory, or null when the
 * APK has none (v1 signature only). The block spans [cdOffset - size - 8, cdOffset).
 */
export function signingBlockSize(footer: Buffer): number | null {
  if (footer.length < 24 || !footer.subarray(footer.length - 16).equals(BLOCK_MAGIC)) return null;
  const size = Number(footer.readBigUInt64LE(footer.length - 24));
  if (size < 24 || size > 64 * 1024 * 1024) throw new ApkFormatError('the APK Signing Block has an impossible size');
  return size + 8;
}

/** Length-prefixed (uint32) sequence → its items. */
function lp(buf: Buffer, what: string): Buffer[] {
  const out: Buffer[] = [];
  let p = 0;
  while (p < buf.length) {
    if (p + 4 > buf.length) throw new ApkFormatError(`${what}: truncated`);
    const n = buf.readUInt32LE(p);
    if (p + 4 + n > buf.length) throw new ApkFormatError(`${what}: truncated`);
    out.push(buf.subarray(p + 4, p + 4 + n));
    p += 4 + n;
  }
  return out;
}

function one(buf: Buffer, what: string): Buffer {
  if (buf.length < 4) throw new ApkFormatError(`${what}: truncated`);
  const n = buf.readUInt32LE(0);
  if (4 + n > buf.length) throw new ApkFormatError(`${what}: truncated`);
  return buf.subarray(4, 4 + n);
}

/** The first signer's certificates (DER) of each signature scheme found in the block, newest scheme first. */
export function certificatesFromSigningBlock(block: Buffer): { scheme: 'v3.1' | 'v3' | 'v2'; certs: Buffer[] }[] {
  if (!block.subarray(block.length - 16).equals(BLOCK_MAGIC)) throw new ApkFormatError('not an APK Signing Block');
  const pairs = block.subarray(8, block.length - 24);
  const found = new Map<number, Buffer>();
  let p = 0;
  if (block.length < 32) throw new ApkFormatError('APK Signing Block: too short');
  while (p + 12 <= pairs.length) {
    const len = Number(pairs.readBigUInt64LE(p));
    if (len < 4 || p + 8 + len > pairs.length) throw new ApkFormatError('APK Signing Block: damaged entry');
    found.set(pairs.readUInt32LE(p + 8), pairs.subarray(p + 12, p + 8 + len));
    p += 8 + len;
  }
  const out: { scheme: 'v3.1' | 'v3' | 'v2'; certs: Buffer[] }[] = [];
  for (const [id, scheme] of [[V31_ID, 'v3.1'], [V3_ID, 'v3'], [V2_ID, 'v2']] as const) {
    const value = found.get(id);
    if (!value) continue;
    // value: signers[ signer{ signedData{ digests[], certificates[], … }, … } ]
    const signers = lp(one(value, 'signers'), 'signers');
    if (signers.length === 0) continue;
    const signedData = one(signers[0]!, 'signer');
    const digests = one(signedData, 'digests');
    const certs = lp(one(signedData.subarray(4 + digests.length), 'certificates'), 'certificates');
    out.push({ scheme, certs });
  }
  return out;
}

export interface CentralEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

export function parseCentralDirectory(cd: Buffer): CentralEntry[] {
  const out: CentralEntry[] = [];
  let p = 0;
  while (p + 46 <= cd.length && cd.readUInt32LE(p) === SIG_CENTRAL) {
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    out.push({
      name: cd.subarray(p + 46, p + 46 + nameLen).toString('utf8'),
      method: cd.readUInt16LE(p + 10),
      compressedSize: cd.readUInt32LE(p + 20),
      localOffset: cd.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The v1 signature file's entry (META-INF/CERT.RSA and the like). */
export function v1SignatureEntry(entries: readonly CentralEntry[]): CentralEntry | null {
  return entries.find((e) => /^META-INF\/[^/]+\.(RSA|DSA|EC)$/i.test(e.name)) ?? null;
}

/** The entry's data from bytes starting at its local header. */
export function entryData(local: Buffer, entry: CentralEntry): Buffer {
  if (local.length < 30 || local.readUInt32LE(0) !== SIG_LOCAL) throw new ApkFormatError(`${entry.name}: damaged local header`);
  const start = 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const raw = local.subarray(start, start + entry.compressedSize);
  if (raw.length < entry.compressedSize) throw new ApkFormatError(`${entry.name}: cut short`);
  if (entry.method === 0) return raw;
  if (entry.method === 8) return inflateRawSync(raw, { maxOutputLength: 1024 * 1024 });
  throw new ApkFormatError(`${entry.name}: compression method ${entry.method}`);
}

/** Minimal DER walk: the element at `p` → [tag, start of content, end]. */
function der(buf: Buffer, p: number): [number, number, number] {
  if (p + 2 > buf.length) throw new ApkFormatError('PKCS#7: truncated');
  const tag = buf[p]!;
  let len = buf[p + 1]!;
  let q = p + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw new ApkFormatError('PKCS#7: length too long');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[q + i]!;
    q += n;
  }
  if (q + len > buf.length) throw new ApkFormatError('PKCS#7: truncated');
  return [tag, q, q + len];
}

/** The certificates of a PKCS#7 SignedData (a v1 signature file). */
export function certificatesFromPkcs7(p7: Buffer): Buffer[] {
  // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT SignedData }
  const [, ci] = der(p7, 0);
  const [, , oidEnd] = der(p7, ci);
  const [, explicitStart] = der(p7, oidEnd);
  // SignedData ::= SEQUENCE { version, digestAlgorithms SET, contentInfo, [0] IMPLICIT certificates, … }
  const [, sd, sdEnd] = der(p7, explicitStart);
  let p = sd;
  for (let i = 0; i < 3; i++) p = der(p7, p)[2];
  if (p >= sdEnd || p7[p] !== 0xa0) throw new ApkFormatError('PKCS#7: no certificates');
  const [, cs, ce] = der(p7, p);
  const out: Buffer[] = [];
  for (let q = cs; q < ce; ) {
    const [, , end] = der(p7, q);
    out.push(p7.subarray(q, end));
    q = end;
  }
  return out;
}

function hexColonless(s: string): string {
  return s.replace(/:/g, '').toLowerCase();
}

/** What packages.json records of a certificate, from its DER bytes (lower-case hex, as AndroidQF writes). */
export function describeCertificate(derBytes: Buffer): ApkCertificate {
  const c = new X509Certificate(derBytes);
  return {
    md5: createHash('md5').update(derBytes).digest('hex'),
    sha1: hexColonless(c.fingerprint),
    sha256: hexColonless(c.fingerprint256),
    subject: c.subject.split('\n').join(', '),
    issuer: c.issuer.split('\n').join(', '),
    validFrom: new Date(c.validFrom).toISOString(),
    validTo: new Date(c.validTo).toISOString(),
  };
}
