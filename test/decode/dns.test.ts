/**
 * DNS decoder against tshark on every shared capture with DNS, mDNS or LLMNR in it. tshark runs here (its
 * output is never stored); payloads come from tshark too, so this test does not depend on the engine.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { decodeDns, decodeDnsTcpStream, dnsRcodeName, dnsTypeName, type DnsMessage } from '../../src/decode/dns.js';
import { pcap } from '../helpers/paths.js';

const AGG = '\x01';
const SEP = '\x02';

/** tshark -T fields: one row per frame, one array of occurrences per field. */
function tsharkFields(file: string, filter: string, fields: string[], extra: string[] = []): string[][][] {
  const args = ['-r', pcap(file), '-n', ...extra, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', `aggregator=${AGG}`,
    '-E', `separator=${SEP}`];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'latin1', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split(SEP).map((c) => (c === '' ? [] : c.split(AGG))));
}

const COMPARED = ['dns.qry.name', 'dns.qry.type', 'dns.flags.rcode', 'dns.count.answers', 'dns.a', 'dns.aaaa', 'dns.cname',
  'dns.resp.name', 'dns.resp.type', 'dns.ptr.domain_name', 'dns.mx.mail_exchange', 'dns.srv.target', 'dns.txt',
  'dns.count.auth_rr', 'dns.count.add_rr', 'dns.srv.service', 'dns.srv.proto', 'dns.srv.name'];
/** Fields of COMPARED that are only inputs for rebuilding others. */
const HELPERS = 3;

/**
 * SRV owner names of three labels or more, which tshark shows as dns.srv.service/proto/name (first label,
 * second label, the rest) instead of dns.resp.name.
 */
function isServiceName(name: string): boolean {
  return name.split('.').length >= 3;
}

/**
 * RR types listed in the type bit maps of NSEC (RFC 4034 4.1.2) and NSEC3 (RFC 5155 3.2) data, which tshark
 * reports under dns.resp.type as if they were records; read from our hex rdata to mirror that.
 */
function bitmapTypes(type: number, hex: string): string[] {
  const d = Buffer.from(hex, 'hex');
  let p = 0;
  if (type === 47) {
    while (p < d.length && d[p] !== 0 && (d[p] & 0xc0) !== 0xc0) p += 1 + d[p];
    p += p < d.length && d[p] === 0 ? 1 : 2;
  } else {
    p = 4;
    p += 1 + d[p];
    p += 1 + d[p];
  }
  const out: string[] = [];
  while (p + 2 <= d.length) {
    const win = d[p];
    const n = d[p + 1];
    for (let i = 0; i < n; i++) {
      for (let b = 0; b < 8; b++) if (d[p + 2 + i] & (0x80 >> b)) out.push(String(win * 256 + i * 8 + b));
    }
    p += 2 + n;
  }
  return out;
}

/** tshark writes the root name "<Root>"; this decoder writes "" (and "." inside multi-field data). */
function fromTshark(v: string): string {
  return v === '<Root>' ? '' : v;
}

function lastField(data: string, n: number): string {
  const parts = data.split(' ');
  const v = parts.slice(n).join(' ');
  return v === '.' ? '' : v;
}

/** What tshark would show for each compared field, derived from our decoding. */
export function ourFields(m: DnsMessage): string[][] {
  const all = [...m.answers, ...m.authorities, ...m.additionals];
  const of = (type: number, pick: (d: string) => string): string[] => all.filter((r) => r.type === type).map((r) => pick(r.data));
  const txt = of(16, (d) => d).join('');
  const types: string[] = [];
  for (const r of all) {
    types.push(String(r.type));
    if (r.type === 47 || r.type === 50) types.push(...bitmapTypes(r.type, r.data));
  }
  return [
    m.questions.map((q) => q.name),
    m.questions.map((q) => String(q.type)),
    m.response ? [String(m.rcode)] : [],
    [String(m.answers.length)],
    of(1, (d) => d),
    of(28, (d) => d),
    of(5, (d) => d),
    all.filter((r) => !(r.type === 33 && isServiceName(r.name))).map((r) => r.name),
    types,
    of(12, (d) => d),
    of(15, (d) => lastField(d, 1)),
    of(33, (d) => lastField(d, 3)),
    txt.length ? [txt] : [],
    [String(m.authorities.length)],
    [String(m.additionals.length)],
    all.filter((r) => r.type === 33 && isServiceName(r.name)).map((r) => r.name),
  ];
}

function theirFields(row: string[][]): string[][] {
  const f = row.map((occ) => occ.map(fromTshark));
  // tshark shows each TXT character-string apart; this decoder joins them per record, so compare the sum.
  const txt = f[12].join('');
  f[12] = txt.length ? [txt] : [];
  // tshark shows the owner name of an SRV record as service, protocol and name: join them back.
  const srvNames = f[15].map((svc, i) => `${svc}.${f[16][i]}.${f[17][i]}`);
  return [...f.slice(0, COMPARED.length - HELPERS), srvNames];
}

function diffFields(where: string, ours: string[][], theirs: string[][], out: string[]): void {
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i].join(',');
    const b = theirs[i].join(',');
    if (a !== b) out.push(`${where} ${COMPARED[i] ?? 'dns.srv.service+proto+name'}: ours=${a} tshark=${b}`);
  }
}

/** Files with DNS over UDP, each with the number of DNS-family frames tshark sees in it. */
const UDP_FILES: Record<string, number> = {
  'dns-edns-ecs.pcap': 76,
  'dns-cname-additional-rawip4.pcap': 2,
  'dns-a-aaaa-mx-nsec.pcap': 6,
  'http-wikipedia.pcap': 40,
  'mdns.pcap': 18,
  'pcapng-two-interfaces-dns.pcapng': 6,
  'tls-browsing-mixed.pcap': 76,
};

/** Known differences with tshark, by file: each is explained where it is listed. */
const KNOWN: Record<string, string[]> = {};

for (const [file, frames] of Object.entries(UDP_FILES)) {
  test(`DNS over UDP matches tshark: ${file}`, () => {
    const rows = tsharkFields(file, 'dns or mdns or llmnr', ['frame.number', 'udp.payload', ...COMPARED]);
    const diffs: string[] = [];
    let decoded = 0;
    for (const row of rows) {
      const frame = row[0][0];
      const hex = row[1][0];
      if (hex === undefined) continue;
      const payload = Buffer.from(hex, 'hex');
      // Decode from the middle of a bigger buffer to catch any read relative to 0 or past the range.
      const big = Buffer.alloc(payload.length + 64, 0xc0);
      payload.copy(big, 32);
      let m: DnsMessage;
      try {
        m = decodeDns(big, 32, payload.length);
      } catch (e) {
        diffs.push(`frame ${frame}: ${(e as Error).message}`);
        continue;
      }
      decoded++;
      diffFields(`frame ${frame}`, ourFields(m), theirFields(row.slice(2)), diffs);
    }
    assert.deepEqual(diffs, KNOWN[file] ?? []);
    assert.equal(decoded, frames);
  });
}

test('CNAME only in the Additional section stays out of the answers', () => {
  const rows = tsharkFields('dns-cname-additional-rawip4.pcap', 'dns.flags.response == 1', ['udp.payload']);
  assert.equal(rows.length, 1);
  const m = decodeDns(Buffer.from(rows[0][0][0], 'hex'), 0, rows[0][0][0].length / 2);
  assert.deepEqual(m.answers.map((r) => [r.name, dnsTypeName(r.type), r.data]), [['example.com', 'A', '192.168.1.1']]);
  assert.deepEqual(m.additionals.map((r) => [r.name, dnsTypeName(r.type), r.data]),
    [['service.example.com', 'CNAME', 'internal-service.example.net']]);
});

test('mDNS: QU bit and cache-flush bit are split from the class', () => {
  const rows = tsharkFields('mdns.pcap', 'mdns', ['frame.number', 'udp.payload', 'dns.qry.qu', 'dns.resp.cache_flush', 'dns.qry.class', 'dns.resp.class']);
  let flushes = 0;
  for (const row of rows) {
    const hex = row[1][0];
    const m = decodeDns(Buffer.from(hex, 'hex'), 0, hex.length / 2);
    const records = [...m.answers, ...m.authorities, ...m.additionals];
    assert.deepEqual(m.questions.map((q) => (q.unicastResponse ? '1' : '0')), row[2], `frame ${row[0][0]} QU`);
    assert.deepEqual(records.map((r) => (r.cacheFlush ? '1' : '0')), row[3], `frame ${row[0][0]} cache flush`);
    assert.deepEqual(m.questions.map((q) => '0x' + q.class.toString(16).padStart(4, '0')), row[4]);
    assert.deepEqual(records.map((r) => '0x' + r.class.toString(16).padStart(4, '0')), row[5]);
    flushes += records.filter((r) => r.cacheFlush).length;
  }
  assert.ok(flushes > 0);
});

test('DNS over TCP: 20 pipelined queries in one segment, 20 NXDOMAIN answers', () => {
  const follow = execFileSync('tshark', ['-r', pcap('dns-tcp-multirequest.pcap'), '-q', '-z', 'follow,tcp,raw,0'],
    { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
  const toServer: Buffer[] = [];
  const toClient: Buffer[] = [];
  for (const line of follow.split('\n')) {
    const m = /^(\t?)([0-9a-f]+)$/.exec(line);
    if (m) (m[1] ? toClient : toServer).push(Buffer.from(m[2], 'hex'));
  }
  const rows = tsharkFields('dns-tcp-multirequest.pcap', 'dns', ['tcp.srcport', ...COMPARED]);
  for (const [dir, chunks, port] of [['queries', toServer, '59092'], ['responses', toClient, '53']] as const) {
    const stream = Buffer.concat(chunks);
    // Feed it in pieces of 7 bytes, keeping the unconsumed rest, as the engine does with TCP segments.
    const msgs: DnsMessage[] = [];
    let kept = Buffer.alloc(0);
    for (let i = 0; i < stream.length; i += 7) {
      kept = Buffer.concat([kept, stream.subarray(i, i + 7)]);
      const r = decodeDnsTcpStream(kept, 0, kept.length);
      assert.deepEqual(r.errors, []);
      msgs.push(...r.messages);
      kept = kept.subarray(r.consumed);
    }
    assert.equal(kept.length, 0, `${dir}: bytes left over`);
    assert.equal(msgs.length, 20, dir);
    const whole = decodeDnsTcpStream(stream, 0, stream.length);
    assert.equal(whole.consumed, stream.length);
    assert.equal(whole.messages.length, 20);
    // tshark gives one row per segment; flatten its rows and ours per field to compare in stream order.
    const theirs: string[][] = Array.from({ length: COMPARED.length - HELPERS + 1 }, (): string[] => []);
    for (const row of rows.filter((r) => r[0][0] === port)) {
      // Segments without a whole DNS message carry no DNS fields (count.answers is absent then).
      if (row[4].length === 0) continue;
      const t = theirFields(row.slice(1));
      // One segment may hold several messages: tshark then repeats dns.count.answers per message.
      t.forEach((v, i) => theirs[i].push(...v));
    }
    const ours: string[][] = Array.from({ length: COMPARED.length - HELPERS + 1 }, (): string[] => []);
    for (const m of msgs) ourFields(m).forEach((v, i) => ours[i].push(...v));
    const diffs: string[] = [];
    diffFields(dir, ours, theirs, diffs);
    assert.deepEqual(diffs, []);
    if (dir === 'responses') assert.ok(msgs.every((m) => dnsRcodeName(m.rcode) === 'NXDOMAIN'));
    else assert.deepEqual(msgs.map((m) => m.questions[0].name), Array.from({ length: 20 }, (_, i) => `${i}.google.com`));
  }
});

test('type and rcode names', () => {
  const types: [number, string][] = [[1, 'A'], [28, 'AAAA'], [5, 'CNAME'], [12, 'PTR'], [2, 'NS'], [15, 'MX'], [16, 'TXT'],
    [33, 'SRV'], [65, 'HTTPS'], [64, 'SVCB'], [6, 'SOA'], [41, 'OPT'], [43, 'DS'], [46, 'RRSIG'], [47, 'NSEC'], [48, 'DNSKEY'],
    [255, 'ANY'], [123, 'TYPE123'], [257, 'CAA']];
  for (const [n, s] of types) assert.equal(dnsTypeName(n), s);
  const rcodes: [number, string][] = [[0, 'NOERROR'], [1, 'FORMERR'], [2, 'SERVFAIL'], [3, 'NXDOMAIN'], [4, 'NOTIMP'],
    [5, 'REFUSED'], [12, 'RCODE12'], [16, 'BADVERS']];
  for (const [n, s] of rcodes) assert.equal(dnsRcodeName(n), s);
});
