/**
 * DNS message decoder (RFC 1035, 3596, 2782, 6891, 9460), including the mDNS reading of the class field
 * (RFC 6762 5.4 and 10.2). One call per packet, so it avoids regular expressions, closures in loops and
 * per-byte string building.
 *
 * Names are rendered as their labels joined with ".", without a trailing dot, in the case seen on the wire;
 * the root is "". Inside a label, bytes outside printable ASCII, "\" and "." are written \DDD (three decimal
 * digits, as in RFC 1035 master files), so "a.b" as one label reads "a\046b" and can never be mistaken for
 * two labels. Inside record data that holds several fields (MX, SRV, SOA, SVCB/HTTPS) a root name is written
 * "." so the fields stay separable.
 */
import { DecodeError } from './errors.js';
import { escapeBytes, formatIPv4, formatIPv6, toHex } from './text.js';

export interface DnsQuestion {
  name: string;
  type: number;
  /** Class with the mDNS QU bit removed. */
  class: number;
  /** mDNS "unicast response requested" (top bit of the question class). */
  unicastResponse: boolean;
}

export interface DnsRecord {
  name: string;
  type: number;
  /** Class with the mDNS cache-flush bit removed; for OPT the raw field (the requester's UDP payload size). */
  class: number;
  ttl: number;
  data: string;
  /** mDNS cache-flush (top bit of the record class); always false for OPT. */
  cacheFlush: boolean;
}

export interface DnsMessage {
  id: number;
  response: boolean;
  opcode: number;
  authoritative: boolean;
  truncated: boolean;
  /** The 4-bit header RCODE (extended bits from OPT are not merged in). */
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'A'], [2, 'NS'], [3, 'MD'], [4, 'MF'], [5, 'CNAME'], [6, 'SOA'], [7, 'MB'], [8, 'MG'], [9, 'MR'],
  [10, 'NULL'], [11, 'WKS'], [12, 'PTR'], [13, 'HINFO'], [14, 'MINFO'], [15, 'MX'], [16, 'TXT'], [17, 'RP'],
  [18, 'AFSDB'], [19, 'X25'], [20, 'ISDN'], [21, 'RT'], [22, 'NSAP'], [23, 'NSAP-PTR'], [24, 'SIG'], [25, 'KEY'],
  [26, 'PX'], [27, 'GPOS'], [28, 'AAAA'], [29, 'LOC'], [30, 'NXT'], [31, 'EID'], [32, 'NIMLOC'], [33, 'SRV'],
  [34, 'ATMA'], [35, 'NAPTR'], [36, 'KX'], [37, 'CERT'], [38, 'A6'], [39, 'DNAME'], [40, 'SINK'], [41, 'OPT'],
  [42, 'APL'], [43, 'DS'], [44, 'SSHFP'], [45, 'IPSECKEY'], [46, 'RRSIG'], [47, 'NSEC'], [48, 'DNSKEY'],
  [49, 'DHCID'], [50, 'NSEC3'], [51, 'NSEC3PARAM'], [52, 'TLSA'], [53, 'SMIMEA'], [55, 'HIP'], [56, 'NINFO'],
  [57, 'RKEY'], [58, 'TALINK'], [59, 'CDS'], [60, 'CDNSKEY'], [61, 'OPENPGPKEY'], [62, 'CSYNC'], [63, 'ZONEMD'],
  [64, 'SVCB'], [65, 'HTTPS'], [99, 'SPF'], [104, 'NID'], [105, 'L32'], [106, 'L64'], [107, 'LP'], [108, 'EUI48'],
  [109, 'EUI64'], [249, 'TKEY'], [250, 'TSIG'], [251, 'IXFR'], [252, 'AXFR'], [253, 'MAILB'], [254, 'MAILA'],
  [255, 'ANY'], [256, 'URI'], [257, 'CAA'], [32768, 'TA'], [32769, 'DLV'],
]);

/** The same names by number up to URI/CAA: an array read instead of a hash look-up on every record. */
const TYPE_NAME_LIST: (string | undefined)[] = [];
for (let t = 0; t < 258; t++) TYPE_NAME_LIST.push(TYPE_NAMES.get(t));

/** IANA mnemonic of an RR type, or "TYPE<n>" (RFC 3597 style) when there is none. */
export function dnsTypeName(type: number): string {
  const name = type < 258 ? TYPE_NAME_LIST[type] : TYPE_NAMES.get(type);
  return name ?? `TYPE${type}`;
}

const RCODE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'NOERROR'], [1, 'FORMERR'], [2, 'SERVFAIL'], [3, 'NXDOMAIN'], [4, 'NOTIMP'], [5, 'REFUSED'],
  [6, 'YXDOMAIN'], [7, 'YXRRSET'], [8, 'NXRRSET'], [9, 'NOTAUTH'], [10, 'NOTZONE'], [11, 'DSOTYPENI'],
  [16, 'BADVERS'], [17, 'BADKEY'], [18, 'BADTIME'], [19, 'BADMODE'], [20, 'BADNAME'], [21, 'BADALG'],
  [22, 'BADTRUNC'], [23, 'BADCOOKIE'],
]);

const RCODE_NAME_LIST: (string | undefined)[] = [];
for (let r = 0; r < 24; r++) RCODE_NAME_LIST.push(RCODE_NAMES.get(r));

/** IANA mnemonic of a response code (16 is BADVERS, the EDNS reading), or "RCODE<n>". */
export function dnsRcodeName(rcode: number): string {
  const name = rcode < 24 ? RCODE_NAME_LIST[rcode] : RCODE_NAMES.get(rcode);
  return name ?? `RCODE${rcode}`;
}

/** Wire length limit of a name (RFC 1035 3.1), counting length octets and the root. */
const MAX_NAME_WIRE = 255;
/** A name within 255 octets has at most 127 labels, so more jumps than that can only be an attack. */
const MAX_JUMPS = 127;

/** Where the last readName call stopped in the original stream; a module variable avoids a result object. */
let nameNext = 0;
/** How many compression pointers the last readName call followed. */
let nameJumps = 0;

/**
 * Reads the name at `pos`. Inline labels must end before `end` (the message end, or the end of the record
 * data for names inside rdata). A compression pointer is relative to `msg`, must point strictly before the
 * start of the run of labels it ends (so every jump goes further back and a loop is impossible), and jumps
 * are counted as a second guard. Sets `nameNext` to the first byte after the name where it was found.
 */
/**
 * Where a name is put together before it becomes one string: joining labels with `+` made each name a
 * chain of linked pieces, about three times its size, and names are most of what a capture's facts keep.
 * Large enough for the longest name with every byte escaped.
 */
const nameText = Buffer.alloc(4 * 256);

/**
 * Names made lately, by a hash of their text. A capture asks for the same few hundred names over and over:
 * a name found here costs a hash and a comparison instead of a new string (a call into C++ and garbage),
 * and its facts share one string. Direct-mapped, so a name only ever evicts the one in its slot.
 */
const NAME_SLOTS = 4096;
const recentNames: string[] = new Array<string>(NAME_SLOTS).fill('');

/**
 * Forgets the names remembered so far: they come from one survivor's capture, and a long-running server
 * must not keep them in memory after that check (nor hand them to the next one).
 */
export function forgetRecentNames(): void {
  recentNames.fill('');
  recentHex.fill('');
  recentHexBytes.fill(EMPTY);
}

/**
 * Record data written as hex lately (signatures, keys, records of types without a text form), by a hash
 * of their bytes, with the bytes to confirm a match: resolvers send the same signed answers again and
 * again, and each long hex string is kept by every fact holding the answer. Data longer than
 * MAX_SHARED_HEX bytes is written anew each time, so what is remembered stays small.
 */
const HEX_SLOTS = 256;
const MAX_SHARED_HEX = 1024;
const EMPTY = Buffer.alloc(0);
const recentHex: string[] = new Array<string>(HEX_SLOTS).fill('');
const recentHexBytes: Buffer[] = new Array<Buffer>(HEX_SLOTS).fill(EMPTY);

/** Lower-case hex of record data [p, end), the string made before for the same bytes when still remembered. */
function recordHex(buf: Buffer, p: number, end: number): string {
  const len = end - p;
  if (len < 16 || len > MAX_SHARED_HEX) return toHex(buf, p, end);
  // The first and last bytes pick the slot (a signature ends most such data); the comparison decides.
  let h = Math.imul(0x811c9dc5 ^ len, 0x01000193);
  for (let i = p; i < p + 4; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  for (let i = end - 8; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  const slot = (h ^ (h >>> 16)) & (HEX_SLOTS - 1);
  const known = recentHexBytes[slot]!;
  if (known.length === len && known.compare(buf, p, end) === 0) return recentHex[slot]!;
  const text = toHex(buf, p, end);
  recentHexBytes[slot] = Buffer.from(buf.subarray(p, end));
  recentHex[slot] = text;
  return text;
}

/** The first `w` bytes of `nameText` as a string, the one made before when it is still remembered. */
function nameString(w: number): string {
  // A few bytes spread over the name pick its slot; the comparison below decides.
  let h = Math.imul(w ^ nameText[0]!, 0x01000193);
  h = Math.imul(h ^ nameText[w >> 1]!, 0x01000193);
  h = Math.imul(h ^ nameText[w >> 2]!, 0x01000193);
  h = Math.imul(h ^ nameText[(3 * w) >> 2]!, 0x01000193);
  h = Math.imul(h ^ nameText[w - 1]!, 0x01000193);
  const slot = (h ^ (h >>> 16)) & (NAME_SLOTS - 1);
  const known = recentNames[slot]!;
  if (known.length === w) {
    let i = 0;
    while (i < w && known.charCodeAt(i) === nameText[i]) i++;
    if (i === w) return known;
  }
  const name = nameText.toString('latin1', 0, w);
  recentNames[slot] = name;
  return name;
}

function readName(buf: Buffer, msg: number, end: number, msgEnd: number, pos: number, text = true): string {
  let w = 0;
  let wire = 1;
  let jumps = 0;
  let segStart = pos;
  let limit = end;
  nameNext = -1;
  for (;;) {
    if (pos >= limit) throw new DecodeError('dns.truncated', 'name runs past the end');
    const len = buf[pos];
    if (len === 0) {
      if (nameNext < 0) nameNext = pos + 1;
      nameJumps = jumps;
      return w === 0 || !text ? '' : nameString(w);
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= limit) throw new DecodeError('dns.truncated', 'pointer runs past the end');
      const target = msg + (((len & 0x3f) << 8) | buf[pos + 1]);
      if (nameNext < 0) nameNext = pos + 2;
      if (target >= segStart) throw new DecodeError('dns.name-loop', 'pointer does not point backwards');
      if (++jumps > MAX_JUMPS) throw new DecodeError('dns.name-loop', 'too many pointers');
      pos = segStart = target;
      // Earlier parts of the message may hold names that end anywhere before the message end.
      limit = msgEnd;
      continue;
    }
    if (kind !== 0) throw new DecodeError('dns.label-type', `label type 0x${kind.toString(16)}`);
    wire += len + 1;
    if (wire > MAX_NAME_WIRE) throw new DecodeError('dns.name-too-long');
    const start = pos + 1;
    const stop = start + len;
    if (stop > limit) throw new DecodeError('dns.truncated', 'label runs past the end');
    pos = stop;
    if (!text) continue;
    // Labels are never empty (length 0 is the root), so nothing written yet means this is the first label.
    if (w > 0) nameText[w++] = 0x2e;
    // The label's bytes, escaped as escapeBytes(…, true) would, straight into the name: no string per label.
    for (let i = start; i < stop; i++) {
      const b = buf[i]!;
      if (b < 0x20 || b > 0x7e || b === 0x5c || b === 0x2e) {
        nameText[w] = 0x5c;
        nameText[w + 1] = 0x30 + Math.floor(b / 100);
        nameText[w + 2] = 0x30 + (Math.floor(b / 10) % 10);
        nameText[w + 3] = 0x30 + (b % 10);
        w += 4;
      } else {
        nameText[w++] = b;
      }
    }
  }
}

/** A name inside multi-field record data: the root is "." there so that fields stay separable. */
function fieldName(name: string): string {
  return name.length === 0 ? '.' : name;
}

function base64(buf: Buffer, start: number, end: number): string {
  return buf.toString('base64', start, end);
}

const SVC_KEYS: readonly string[] = ['mandatory', 'alpn', 'no-default-alpn', 'port', 'ipv4hint', 'ech', 'ipv6hint'];

function svcKeyName(key: number): string {
  return SVC_KEYS[key] ?? `key${key}`;
}

/** Comma-separated list of length-prefixed strings (alpn ids); a "," inside one is escaped \044. */
function svcAlpn(buf: Buffer, p: number, end: number): string {
  let out = '';
  while (p < end) {
    const l = buf[p];
    const s = p + 1;
    if (s + l > end) throw new DecodeError('dns.rdata', 'alpn id runs past its parameter');
    let id = escapeBytes(buf, s, s + l, false);
    if (id.includes(',')) id = id.split(',').join('\\044');
    out += (out.length ? ',' : '') + id;
    p = s + l;
  }
  return out;
}

/** RFC 9460 presentation of SVCB/HTTPS data: "prio target key=value …". */
function svcbData(buf: Buffer, msg: number, p: number, end: number, msgEnd: number): string {
  if (end - p < 3) throw new DecodeError('dns.rdata', 'SVCB too short');
  const prio = buf.readUInt16BE(p);
  const target = readName(buf, msg, end, msgEnd, p + 2);
  p = nameNext;
  let out = `${prio} ${fieldName(target)}`;
  while (p < end) {
    if (end - p < 4) throw new DecodeError('dns.rdata', 'SvcParam header runs past the record');
    const key = buf.readUInt16BE(p);
    const vlen = buf.readUInt16BE(p + 2);
    const v = p + 4;
    const ve = v + vlen;
    if (ve > end) throw new DecodeError('dns.rdata', 'SvcParam value runs past the record');
    let value: string;
    switch (key) {
      case 0: {
        value = '';
        for (let q = v; q + 1 < ve; q += 2) value += (value.length ? ',' : '') + svcKeyName(buf.readUInt16BE(q));
        break;
      }
      case 1:
        value = svcAlpn(buf, v, ve);
        break;
      case 2:
        value = '';
        break;
      case 3:
        value = vlen === 2 ? String(buf.readUInt16BE(v)) : toHex(buf, v, ve);
        break;
      case 4: {
        value = '';
        for (let q = v; q + 4 <= ve; q += 4) value += (value.length ? ',' : '') + formatIPv4(buf, q);
        break;
      }
      case 5:
        value = base64(buf, v, ve);
        break;
      case 6: {
        value = '';
        for (let q = v; q + 16 <= ve; q += 16) value += (value.length ? ',' : '') + formatIPv6(buf, q);
        break;
      }
      default:
        value = toHex(buf, v, ve);
    }
    out += ' ' + svcKeyName(key) + (key === 2 && vlen === 0 ? '' : '=' + value);
    p = ve;
  }
  return out;
}

/** Record data as text; [p, end) is the rdata, already checked to lie inside the message. */
function rdataText(buf: Buffer, msg: number, type: number, p: number, end: number, msgEnd: number): string {
  const len = end - p;
  switch (type) {
    case 1:
      if (len !== 4) throw new DecodeError('dns.rdata-length', `A with ${len} bytes`);
      return formatIPv4(buf, p);
    case 28:
      if (len !== 16) throw new DecodeError('dns.rdata-length', `AAAA with ${len} bytes`);
      return formatIPv6(buf, p);
    case 2:
    case 5:
    case 12:
    case 39:
      return readName(buf, msg, end, msgEnd, p);
    case 15: {
      if (len < 3) throw new DecodeError('dns.rdata-length', 'MX too short');
      return `${buf.readUInt16BE(p)} ${fieldName(readName(buf, msg, end, msgEnd, p + 2))}`;
    }
    case 16: {
      let out = '';
      while (p < end) {
        const l = buf[p];
        if (p + 1 + l > end) throw new DecodeError('dns.rdata', 'TXT string runs past the record');
        out += escapeBytes(buf, p + 1, p + 1 + l, false);
        p += 1 + l;
      }
      return out;
    }
    case 33: {
      if (len < 7) throw new DecodeError('dns.rdata-length', 'SRV too short');
      const target = readName(buf, msg, end, msgEnd, p + 6);
      return `${buf.readUInt16BE(p)} ${buf.readUInt16BE(p + 2)} ${buf.readUInt16BE(p + 4)} ${fieldName(target)}`;
    }
    case 6: {
      const mname = readName(buf, msg, end, msgEnd, p);
      const rname = readName(buf, msg, end, msgEnd, nameNext);
      const q = nameNext;
      if (end - q !== 20) throw new DecodeError('dns.rdata-length', 'SOA counters');
      return `${fieldName(mname)} ${fieldName(rname)} ${buf.readUInt32BE(q)} ${buf.readUInt32BE(q + 4)} ` +
        `${buf.readUInt32BE(q + 8)} ${buf.readUInt32BE(q + 12)} ${buf.readUInt32BE(q + 16)}`;
    }
    case 64:
    case 65:
      return svcbData(buf, msg, p, end, msgEnd);
    default:
      return recordHex(buf, p, end);
  }
}

/**
 * The same checks as rdataText, without making the text: for records nobody reads, which must still be
 * valid for the message to count as decoded.
 */
function checkRdata(buf: Buffer, msg: number, type: number, p: number, end: number, msgEnd: number): void {
  const len = end - p;
  switch (type) {
    case 1:
      if (len !== 4) throw new DecodeError('dns.rdata-length', `A with ${len} bytes`);
      return;
    case 28:
      if (len !== 16) throw new DecodeError('dns.rdata-length', `AAAA with ${len} bytes`);
      return;
    case 2:
    case 5:
    case 12:
    case 39:
      readName(buf, msg, end, msgEnd, p, false);
      return;
    case 15:
      if (len < 3) throw new DecodeError('dns.rdata-length', 'MX too short');
      readName(buf, msg, end, msgEnd, p + 2, false);
      return;
    case 16:
      while (p < end) {
        const l = buf[p];
        if (p + 1 + l > end) throw new DecodeError('dns.rdata', 'TXT string runs past the record');
        p += 1 + l;
      }
      return;
    case 33:
      if (len < 7) throw new DecodeError('dns.rdata-length', 'SRV too short');
      readName(buf, msg, end, msgEnd, p + 6, false);
      return;
    case 6:
      readName(buf, msg, end, msgEnd, p, false);
      readName(buf, msg, end, msgEnd, nameNext, false);
      if (end - nameNext !== 20) throw new DecodeError('dns.rdata-length', 'SOA counters');
      return;
    case 64:
    case 65:
      // Rare, and its checks are many: the text is made and dropped.
      svcbData(buf, msg, p, end, msgEnd);
      return;
    default:
      return;
  }
}

/** Reads `count` questions into `out`; returns where they end. */
function readQuestions(buf: Buffer, msg: number, end: number, count: number, pos: number, out: DnsQuestion[]): number {
  for (let i = 0; i < count; i++) {
    const name = readName(buf, msg, end, end, pos);
    pos = nameNext;
    if (end - pos < 4) throw new DecodeError('dns.truncated', 'question');
    const rawClass = buf.readUInt16BE(pos + 2);
    out.push({
      name,
      type: buf.readUInt16BE(pos),
      class: rawClass & 0x7fff,
      unicastResponse: (rawClass & 0x8000) !== 0,
    });
    pos += 4;
  }
  return pos;
}

/** Reads `count` records into `out`; with `out` null, only checks them (the text is never made). */
function readRecords(buf: Buffer, msg: number, msgEnd: number, count: number, pos: number, out: DnsRecord[] | null): number {
  if (out === null) {
    for (let i = 0; i < count; i++) {
      readName(buf, msg, msgEnd, msgEnd, pos, false);
      pos = nameNext;
      if (msgEnd - pos < 10) throw new DecodeError('dns.truncated', 'record header');
      const rd = pos + 10;
      const rdEnd = rd + buf.readUInt16BE(pos + 8);
      if (rdEnd > msgEnd) throw new DecodeError('dns.truncated', 'record data');
      checkRdata(buf, msg, buf.readUInt16BE(pos), rd, rdEnd, msgEnd);
      pos = rdEnd;
    }
    return pos;
  }
  for (let i = 0; i < count; i++) {
    const name = readName(buf, msg, msgEnd, msgEnd, pos);
    pos = nameNext;
    if (msgEnd - pos < 10) throw new DecodeError('dns.truncated', 'record header');
    const type = buf.readUInt16BE(pos);
    const rawClass = buf.readUInt16BE(pos + 2);
    const ttl = buf.readUInt32BE(pos + 4);
    const rdlen = buf.readUInt16BE(pos + 8);
    const rd = pos + 10;
    const rdEnd = rd + rdlen;
    if (rdEnd > msgEnd) throw new DecodeError('dns.truncated', 'record data');
    const opt = type === 41;
    out.push({
      name,
      type,
      class: opt ? rawClass : rawClass & 0x7fff,
      ttl,
      data: rdataText(buf, msg, type, rd, rdEnd, msgEnd),
      cacheFlush: !opt && (rawClass & 0x8000) !== 0,
    });
    pos = rdEnd;
  }
  return pos;
}

/** One answer record in the form the engine's facts keep: the type as its mnemonic, nothing else. */
export interface DnsAnswer {
  name: string;
  type: string;
  data: string;
}

/** What the engine reads of a message: its questions, and its answers already in the facts' form. */
export interface DnsBrief {
  id: number;
  response: boolean;
  /** The 4-bit header RCODE. */
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsAnswer[];
}

/**
 * Answers are made by a constructor rather than as literals: V8 ties literals to an allocation site
 * whose later "keep these in old space" decision throws away the optimised code that made them, and
 * answers live as long as the facts, so that decision always comes, in the middle of the capture.
 */
class Answer implements DnsAnswer {
  name: string;
  type: string;
  data: string;

  constructor(name: string, type: string, data: string) {
    this.name = name;
    this.type = type;
    this.data = data;
  }
}

/**
 * The owner name most answers repeat: a compression pointer to where it was last read, and its text.
 * Reading from a given pointer always gives the same name (the pointer only has to point backwards,
 * checked where it was first met, and answers come after), so the text is made once per message.
 */
let sharedTarget = -1;
let sharedName = '';

/** Reads `count` answers into `out` in the facts' form; the same checks, in the same order, as readRecords. */
function readAnswers(buf: Buffer, msg: number, msgEnd: number, count: number, pos: number, out: DnsAnswer[]): number {
  for (let i = 0; i < count; i++) {
    let name: string;
    const target = pos + 1 < msgEnd && buf[pos]! >= 0xc0 ? msg + (((buf[pos]! & 0x3f) << 8) | buf[pos + 1]!) : -1;
    if (target >= 0 && target === sharedTarget) {
      name = sharedName;
      pos += 2;
    } else {
      name = readName(buf, msg, msgEnd, msgEnd, pos);
      pos = nameNext;
      if (target >= 0) {
        sharedTarget = target;
        sharedName = name;
      }
    }
    if (msgEnd - pos < 10) throw new DecodeError('dns.truncated', 'record header');
    const type = buf.readUInt16BE(pos);
    const rd = pos + 10;
    const rdEnd = rd + buf.readUInt16BE(pos + 8);
    if (rdEnd > msgEnd) throw new DecodeError('dns.truncated', 'record data');
    out.push(new Answer(name, dnsTypeName(type), rdataText(buf, msg, type, rd, rdEnd, msgEnd)));
    pos = rdEnd;
  }
  return pos;
}

/**
 * Decodes the DNS message in [off, off+len) for the engine's facts: the questions, and the answers as
 * `DnsAnswer`s, made once here instead of copied from records; authority and additional records are
 * checked as `answersOnly` does. Succeeds and fails exactly where `decodeDns` does.
 */
export function decodeDnsBrief(buf: Buffer, off: number, len: number): DnsBrief {
  if (off < 0 || len < 0 || off + len > buf.length) throw new DecodeError('dns.truncated', 'range outside buffer');
  if (len < 12) throw new DecodeError('dns.truncated', 'header');
  const end = off + len;
  const flags = buf.readUInt16BE(off + 2);
  const qd = buf.readUInt16BE(off + 4);
  const questions: DnsQuestion[] = [];
  let pos = readQuestions(buf, off, end, qd, off + 12, questions);
  // The question's name (at offset 12, where answers point) may serve the answers as it is, when
  // reaching it through one more pointer would not pass the limit on pointers.
  sharedTarget = qd === 1 && nameJumps < MAX_JUMPS ? off + 12 : -1;
  sharedName = qd === 1 ? questions[0]!.name : '';
  const read: DnsAnswer[] = [];
  pos = readAnswers(buf, off, end, buf.readUInt16BE(off + 6), pos, read);
  // Authority and additional records get the same checks, so one pass over both (one copy of the code).
  readRecords(buf, off, end, buf.readUInt16BE(off + 8) + buf.readUInt16BE(off + 10), pos, null);
  sharedName = '';
  // The answers live as long as the facts: a list grown by push has room for 17, a copy just for its own.
  const answers = read.length === 0 ? read : read.slice();
  return { id: buf.readUInt16BE(off), response: (flags & 0x8000) !== 0, rcode: flags & 0xf, questions, answers };
}

/** The brief form of a fully decoded message, for callers that decoded it with `decodeDns`. */
export function briefOf(msg: DnsMessage): DnsBrief {
  const answers: DnsAnswer[] = [];
  for (const r of msg.answers) answers.push(new Answer(r.name, dnsTypeName(r.type), r.data));
  return { id: msg.id, response: msg.response, rcode: msg.rcode, questions: msg.questions, answers };
}

export interface DnsDecodeOptions {
  /**
   * Authority and additional records are checked as always (a damaged one fails the message) but not
   * turned into text, and come back as empty lists: for callers that only read questions and answers.
   */
  answersOnly?: boolean;
}

/** Decodes the DNS message in [off, off+len). Bytes after the last record are ignored (padding happens). */
export function decodeDns(buf: Buffer, off: number, len: number, opts: DnsDecodeOptions = {}): DnsMessage {
  if (off < 0 || len < 0 || off + len > buf.length) throw new DecodeError('dns.truncated', 'range outside buffer');
  if (len < 12) throw new DecodeError('dns.truncated', 'header');
  const end = off + len;
  const flags = buf.readUInt16BE(off + 2);
  const qd = buf.readUInt16BE(off + 4);
  const an = buf.readUInt16BE(off + 6);
  const ns = buf.readUInt16BE(off + 8);
  const ar = buf.readUInt16BE(off + 10);
  const questions: DnsQuestion[] = [];
  let pos = readQuestions(buf, off, end, qd, off + 12, questions);
  const answers: DnsRecord[] = [];
  const authorities: DnsRecord[] = [];
  const additionals: DnsRecord[] = [];
  const skip = opts.answersOnly === true;
  pos = readRecords(buf, off, end, an, pos, answers);
  pos = readRecords(buf, off, end, ns, pos, skip ? null : authorities);
  readRecords(buf, off, end, ar, pos, skip ? null : additionals);
  return {
    id: buf.readUInt16BE(off),
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    rcode: flags & 0xf,
    questions,
    answers,
    authorities,
    additionals,
  };
}

/**
 * DNS over TCP (RFC 1035 4.2.2): 2-byte length-prefixed messages. Returns the messages complete in
 * [off, off+len) and how many bytes they used, so a caller can keep the rest for more data. A malformed
 * message inside is skipped (its length prefix still tells where the next one starts) and its kind reported
 * in `errors`.
 */
export function decodeDnsTcpStream(
  buf: Buffer, off: number, len: number, opts: DnsDecodeOptions = {},
): { messages: DnsMessage[]; consumed: number; errors: string[] } {
  const messages: DnsMessage[] = [];
  const errors: string[] = [];
  const end = Math.min(off + len, buf.length);
  let p = off;
  while (end - p >= 2) {
    const mlen = buf.readUInt16BE(p);
    if (end - p - 2 < mlen) break;
    try {
      messages.push(decodeDns(buf, p + 2, mlen, opts));
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      errors.push(e.kind);
    }
    p += 2 + mlen;
  }
  return { messages, consumed: p - off, errors };
}
