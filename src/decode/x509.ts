/**
 * Facts about one X.509 certificate (RFC 5280) as a support worker needs them: who it names, who vouches for it,
 * when it is valid, which host names it covers, and whether anyone but its owner vouches for it at all.
 *
 * node:crypto (OpenSSL) validates the DER and renders the names; the validity dates and subjectAltName are read
 * from the DER directly because Node 20's string forms of those are locale-like ("Sep 30 14:01:15 2021 GMT") or
 * escaped text that would have to be parsed back.
 *
 * Names: OpenSSL's RFC 2253-escaped one-attribute-per-line form, in certificate order (most significant first),
 * joined with ", " — e.g. "C=US, O=Let's Encrypt, CN=R3". Because ',' '+' '"' '\' '<' '>' ';' inside values are
 * backslash-escaped, the joined string is unambiguous; attributes of one multi-valued RDN are joined with " + ".
 */
import { formatIPv6 } from './text.js';
import { X509Certificate, createHash } from 'node:crypto';
import { DecodeError } from './errors.js';

/**
 * What the decoder reads from a certificate, declared here so the decoder needs nothing from the engine above
 * it. The engine hands it on as the documented CertificateFact: the compiler refuses a fact field this does
 * not fill, and the `inspect --json` shape test refuses a field here that the facts do not document.
 */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  sha1: string;
  sha256: string;
  notBefore: string;
  notAfter: string;
  san: string[];
  selfSigned: boolean;
}

interface Tlv {
  tag: number;
  /** Content range [start, end). */
  start: number;
  end: number;
}

/** One DER TLV at `pos`, which must lie within [pos, limit). Only what certificates use: low tags, definite lengths. */
function tlv(buf: Buffer, pos: number, limit: number): Tlv {
  if (limit > buf.length || pos + 2 > limit) throw new DecodeError('x509.bad-der', 'truncated TLV');
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new DecodeError('x509.bad-der', 'high tag number');
  let len = buf[pos + 1]!;
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    // 4 length bytes already allow 4 GiB, far above any certificate; 0 would be BER's indefinite form.
    if (n === 0 || n > 4 || p + n > limit) throw new DecodeError('x509.bad-der', 'bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    p += n;
  }
  if (len > limit - p) throw new DecodeError('x509.bad-der', 'length beyond parent');
  return { tag, start: p, end: p + len };
}

/** The children of a constructed TLV, in order. */
function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.start;
  while (p < parent.end) {
    const t = tlv(buf, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

const SEQUENCE = 0x30;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const OCTET_STRING = 0x04;
const OID = 0x06;
const CTX_EXPLICIT_0 = 0xa0;
const CTX_EXPLICIT_3 = 0xa3;
const GN_DNS = 0x82;
const GN_IP = 0x87;
const OID_SUBJECT_ALT_NAME = Buffer.from([0x55, 0x1d, 0x11]); // 2.5.29.17

function derTime(buf: Buffer, t: Tlv): string {
  const s = buf.toString('latin1', t.start, t.end);
  let m: RegExpExecArray | null;
  let year: number;
  let rest: string;
  if (t.tag === UTC_TIME && (m = /^(\d{2})(\d{10})Z$/.exec(s))) {
    // RFC 5280 §4.1.2.5.1: two-digit years 50–99 are 19xx, 00–49 are 20xx.
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    rest = m[2]!;
  } else if (t.tag === GENERALIZED_TIME && (m = /^(\d{4})(\d{10})Z$/.exec(s))) {
    year = Number(m[1]);
    rest = m[2]!;
  } else {
    throw new DecodeError('x509.bad-der', 'bad time ' + JSON.stringify(s));
  }
  const n = (i: number): number => Number(rest.slice(i, i + 2));
  const ms = Date.UTC(year, n(0) - 1, n(2), n(4), n(6), n(8));
  const d = new Date(ms);
  // Date.UTC silently rolls over (month 13, second 61); a rolled-over date is not what the certificate says.
  if (Number.isNaN(ms) || d.getUTCMonth() !== n(0) - 1 || d.getUTCDate() !== n(2) || d.getUTCHours() !== n(4) ||
    d.getUTCMinutes() !== n(6) || d.getUTCSeconds() !== n(8)) {
    throw new DecodeError('x509.bad-der', 'bad time ' + JSON.stringify(s));
  }
  return d.toISOString();
}


interface TbsFacts {
  notBefore: string;
  notAfter: string;
  san: string[];
}

function readTbs(der: Buffer): TbsFacts {
  const cert = tlv(der, 0, der.length);
  if (cert.tag !== SEQUENCE) throw new DecodeError('x509.bad-der', 'not a SEQUENCE');
  const tbs = children(der, cert)[0];
  if (!tbs || tbs.tag !== SEQUENCE) throw new DecodeError('x509.bad-der', 'no tbsCertificate');
  const f = children(der, tbs);
  // With the optional [0] version present, fields shift by one.
  let i = f[0]?.tag === CTX_EXPLICIT_0 ? 1 : 0;
  i += 3; // serialNumber, signature, issuer
  const validity = f[i];
  if (!validity || validity.tag !== SEQUENCE) throw new DecodeError('x509.bad-der', 'no validity');
  const [nb, na] = children(der, validity);
  if (!nb || !na) throw new DecodeError('x509.bad-der', 'short validity');
  const out: TbsFacts = { notBefore: derTime(der, nb), notAfter: derTime(der, na), san: [] };

  const extsWrap = f.slice(i + 3).find((t) => t.tag === CTX_EXPLICIT_3);
  if (!extsWrap) return out;
  const extSeq = children(der, extsWrap)[0];
  if (!extSeq || extSeq.tag !== SEQUENCE) throw new DecodeError('x509.bad-der', 'bad extensions');
  for (const ext of children(der, extSeq)) {
    if (ext.tag !== SEQUENCE) throw new DecodeError('x509.bad-der', 'bad extension');
    const parts = children(der, ext);
    const oid = parts[0];
    if (!oid || oid.tag !== OID) throw new DecodeError('x509.bad-der', 'extension without OID');
    if (!der.subarray(oid.start, oid.end).equals(OID_SUBJECT_ALT_NAME)) continue;
    const value = parts[parts.length - 1]!;
    if (value.tag !== OCTET_STRING) throw new DecodeError('x509.bad-der', 'bad subjectAltName');
    const names = tlv(der, value.start, value.end);
    if (names.tag !== SEQUENCE) throw new DecodeError('x509.bad-der', 'bad subjectAltName');
    for (const gn of children(der, names)) {
      if (gn.tag === GN_DNS) {
        out.san.push(der.toString('latin1', gn.start, gn.end));
      } else if (gn.tag === GN_IP) {
        const len = gn.end - gn.start;
        // Name constraints use 8/32-byte address+mask forms; in a SAN only plain addresses mean anything.
        if (len === 4) out.san.push([...der.subarray(gn.start, gn.end)].join('.'));
        else if (len === 16) out.san.push(formatIPv6(der, gn.start));
      }
    }
    break;
  }
  return out;
}

const oneLine = (multiline: string | undefined): string => (multiline ?? '').split('\n').filter(Boolean).join(', ');

export function certificateFacts(der: Buffer): CertificateSummary {
  let x: X509Certificate;
  try {
    x = new X509Certificate(der);
  } catch (e) {
    throw new DecodeError('x509.bad-der', e instanceof Error ? e.message : String(e));
  }
  const tbs = readTbs(der);
  const subject = oneLine(x.subject);
  const issuer = oneLine(x.issuer);
  let selfSigned = false;
  if (subject === issuer) {
    try {
      selfSigned = x.verify(x.publicKey);
    } catch {
      // Key types OpenSSL cannot load (or a mangled signature) cannot prove self-issuance.
      selfSigned = false;
    }
  }
  return {
    subject,
    issuer,
    sha1: createHash('sha1').update(der).digest('hex'),
    sha256: createHash('sha256').update(der).digest('hex'),
    notBefore: tbs.notBefore,
    notAfter: tbs.notAfter,
    san: tbs.san,
    selfSigned,
  };
}
