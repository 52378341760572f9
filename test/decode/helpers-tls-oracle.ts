/**
 * What tshark says about each TLS session of a capture, keyed by TCP stream, and a JA4 built from tshark's own
 * fields (tshark 4.0 has no JA4 field). That JA4 is assembled here from tshark's dissection, independently of
 * quietcheck's parser, so a disagreement points at the parser or at one of the two JA4 builders.
 */
import { createHash } from 'node:crypto';
import { tshark, tsharkFields } from './helpers-tls.js';

export interface OracleCert {
  der: Buffer;
  subjectCN: string | null;
  issuerCN: string | null;
  san: string[];
}

export interface OracleSession {
  stream: number;
  sni: string | null;
  alpn: string[];
  ja3: string;
  ja3Full: string;
  ja4FromFields: string;
  ja3s: string | null;
  ja3sFull: string | null;
  serverAlpn: string | null;
  serverPort: number;
  certs: OracleCert[];
}

const splitList = (s: string | undefined): string[] => (s ? s.split(',').filter((x) => x !== '') : []);
const isGrease = (v: number): boolean => (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
const h4 = (v: number): string => v.toString(16).padStart(4, '0');
const sha12 = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 12);

/**
 * JA4 per FoxIO's description from tshark's values: ciphers/extensions from tshark's JA3 full string (GREASE
 * already removed there), versions and signature algorithms from their own fields.
 */
function ja4FromTshark(ja3Full: string, sni: boolean, alpn: string[], versions: number[], sigAlgs: number[]): string {
  const [ver, ciphersS, extsS] = ja3Full.split(',');
  const ciphers = (ciphersS ?? '').split('-').filter(Boolean).map(Number);
  const exts = (extsS ?? '').split('-').filter(Boolean).map(Number);
  const realVersions = versions.filter((v) => !isGrease(v));
  const v = realVersions.length > 0 ? Math.max(...realVersions) : Number(ver);
  const vName = ({ 0x0304: '13', 0x0303: '12', 0x0302: '11', 0x0301: '10', 0x0300: 's3' } as Record<number, string>)[v] ?? '00';
  const first = alpn[0] ?? '';
  let al = '00';
  if (first.length > 0) {
    al = /^[0-9A-Za-z]$/.test(first[0]!) && /^[0-9A-Za-z]$/.test(first[first.length - 1]!)
      ? first[0]! + first[first.length - 1]!
      : '??'; // no such ALPN in the captures; would need tshark's raw bytes
  }
  const a = `t${vName}${sni ? 'd' : 'i'}${String(Math.min(99, ciphers.length)).padStart(2, '0')}${String(Math.min(99, exts.length)).padStart(2, '0')}${al}`;
  const b = ciphers.length ? sha12([...ciphers].sort((x, y) => x - y).map(h4).join(',')) : '000000000000';
  const ce = exts.filter((e) => e !== 0 && e !== 16).sort((x, y) => x - y).map(h4);
  const sig = sigAlgs.filter((s) => !isGrease(s)).map(h4);
  const c = ce.length ? sha12(ce.join(',') + (sig.length ? '_' + sig.join(',') : '')) : '000000000000';
  return `${a}_${b}_${c}`;
}

/**
 * Per-frame certificate names from tshark's verbose dissection. Not from the one-line "rdnSequence: N items (…)"
 * summary: tshark cuts display labels at 240 characters, so for the mamzon.ru certificate in
 * tls-browsing-mixed.pcap (8 RDNs, one of them a malformed subjectAltName attribute) it ends in
 * "id-at-commonName=m". That was the only disagreement between quietcheck and tshark, and tshark's summary was
 * wrong (truncated); its per-RDN items say "mamzon.ru", as quietcheck does.
 */
function certNamesByFrame(text: string): Map<number, Omit<OracleCert, 'der'>[]> {
  const byFrame = new Map<number, Omit<OracleCert, 'der'>[]>();
  let certs: Omit<OracleCert, 'der'>[] = [];
  let cur: Omit<OracleCert, 'der'> | null = null;
  let expect: 'issuer' | 'subject' | null = null;
  let sanIndent = -1;
  for (const line of text.split('\n')) {
    const frame = /^Frame (\d+):/.exec(line);
    if (frame) {
      certs = [];
      cur = null;
      byFrame.set(Number(frame[1]), certs);
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const t = line.trim();
    if (sanIndent >= 0 && indent <= sanIndent) sanIndent = -1;
    if (t.startsWith('Certificate Length:')) {
      cur = { subjectCN: null, issuerCN: null, san: [] };
      certs.push(cur);
    } else if (!cur) {
      continue;
    } else if (t.startsWith('issuer: rdnSequence')) {
      expect = 'issuer';
    } else if (t.startsWith('subject: rdnSequence')) {
      expect = 'subject';
    } else if (t.startsWith('subjectPublicKeyInfo') || t.startsWith('validity')) {
      expect = null;
    } else if (expect && t.startsWith('RelativeDistinguishedName item (id-at-commonName=')) {
      // First CN in DER order, as quietcheck's test reads it from the rendered name.
      const cn = t.slice('RelativeDistinguishedName item (id-at-commonName='.length, -1);
      if (expect === 'issuer' && cur.issuerCN === null) cur.issuerCN = cn;
      if (expect === 'subject' && cur.subjectCN === null) cur.subjectCN = cn;
    } else if (t.startsWith('Extension (id-ce-subjectAltName)')) {
      sanIndent = indent;
    } else if (sanIndent >= 0 && t.startsWith('dNSName: ')) {
      cur.san.push(t.slice('dNSName: '.length));
    } else if (sanIndent >= 0 && t.startsWith('iPAddress: ')) {
      cur.san.push(t.slice('iPAddress: '.length));
    }
  }
  return byFrame;
}

/** The server's first Certificate message per TCP stream, in wire order. */
function certsByStream(
  file: string,
  rows: string[][],
  names: Map<number, Omit<OracleCert, 'der'>[]>,
  serverPorts: Map<number, number>,
): Map<number, OracleCert[]> {
  const out = new Map<number, OracleCert[]>();
  for (const r of rows) {
    const [frameS, streamS, portS, types] = r;
    const stream = Number(streamS);
    if (streamS === '' || !splitList(types).includes('11')) continue;
    if (serverPorts.get(stream) !== Number(portS) || out.has(stream)) continue;
    const ders = splitList(r[F.cert]).map((h) => Buffer.from(h.replace(/:/g, ''), 'hex'));
    const n = names.get(Number(frameS)) ?? [];
    if (n.length !== ders.length) throw new Error(`${file} frame ${frameS}: ${ders.length} DER vs ${n.length} dissected`);
    out.set(stream, ders.map((der, i) => ({ der, ...n[i]! })));
  }
  return out;
}

/** Field columns of the single `-T fields` run; F names their positions. */
const F = {
  frame: 0,
  stream: 1,
  sport: 2,
  type: 3,
  dport: 4,
  sni: 5,
  alpn: 6,
  ja3: 7,
  ja3Full: 8,
  versions: 9,
  sig: 10,
  ja3s: 11,
  ja3sFull: 12,
  cert: 13,
} as const;
const FIELDS = [
  'frame.number',
  'tcp.stream',
  'tcp.srcport',
  'tls.handshake.type',
  'tcp.dstport',
  'tls.handshake.extensions_server_name',
  'tls.handshake.extensions_alpn_str',
  'tls.handshake.ja3',
  'tls.handshake.ja3_full',
  'tls.handshake.extensions.supported_version',
  'tls.handshake.sig_hash_alg',
  'tls.handshake.ja3s',
  'tls.handshake.ja3s_full',
  'tls.handshake.certificate',
];

const cache = new Map<string, Promise<OracleSession[]>>();

/** tshark's view of every TLS-over-TCP session of `file` (memoised: several tests ask for the same file). */
export function oracleSessions(file: string): Promise<OracleSession[]> {
  let p = cache.get(file);
  if (!p) {
    p = load(file);
    cache.set(file, p);
  }
  return p;
}

async function load(file: string): Promise<OracleSession[]> {
  const [rows, verbose] = await Promise.all([
    tsharkFields(file, 'tls.handshake.type==1 || tls.handshake.type==2 || tls.handshake.type==11', FIELDS),
    tshark(file, ['-Y', 'tls.handshake.type==11', '-V']),
  ]);
  const has = (r: string[], t: string): boolean => r[F.stream] !== '' && splitList(r[F.type]).includes(t);
  const first = new Map<number, string[]>();
  // QUIC rows have no TCP stream; of several hellos in one stream the first counts.
  for (const r of rows) if (has(r, '1') && !first.has(Number(r[F.stream]))) first.set(Number(r[F.stream]), r);
  const ports = new Map([...first].map(([k, r]) => [k, Number(r[F.dport])]));
  const certs = certsByStream(file, rows, certNamesByFrame(verbose), ports);
  const out: OracleSession[] = [];
  for (const [stream, r] of first) {
    const sh = rows.find((s) => has(s, '2') && Number(s[F.stream]) === stream && Number(s[F.sport]) === ports.get(stream));
    const sniPresent = r[F.sni] !== '';
    const alpn = splitList(r[F.alpn]);
    const versions = splitList(r[F.versions]).map((x) => Number(x));
    const sig = splitList(r[F.sig]).map((x) => Number(x));
    // JA3 full strings contain commas themselves; with one hello per frame the first five parts are it.
    const ja3Full = (r[F.ja3Full] ?? '').split(',').slice(0, 5).join(',');
    out.push({
      stream,
      sni: sniPresent ? r[F.sni]!.split(',')[0]! : null,
      alpn,
      ja3: (r[F.ja3] ?? '').split(',')[0]!,
      ja3Full,
      ja4FromFields: ja4FromTshark(ja3Full, sniPresent, alpn, versions, sig),
      ja3s: sh ? sh[F.ja3s]!.split(',')[0]! : null,
      ja3sFull: sh ? sh[F.ja3sFull]!.split(',').slice(0, 3).join(',') : null,
      serverAlpn: sh && sh[F.alpn] ? sh[F.alpn]! : null,
      serverPort: Number(r[F.dport]),
      certs: certs.get(stream) ?? [],
    });
  }
  return out;
}
