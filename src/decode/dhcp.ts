/**
 * DHCPv4 messages (RFC 2131, options RFC 2132, client FQDN RFC 4702, long options RFC 3396). What matters
 * here is how a device names itself on the network: host name, vendor class, FQDN, requested parameters.
 */
import { DecodeError } from './errors.js';
import { deviceText, escapeBytes, formatIPv4, formatMac, toHex } from './text.js';

export interface DhcpMessage {
  /** 1 BOOTREQUEST, 2 BOOTREPLY. */
  op: number;
  xid: number;
  /** Client hardware address, "aa:bb:…" lower case, `hlen` bytes of chaddr. */
  mac: string;
  messageType: number | null;
  messageTypeName: string | null;
  hostname: string | null;
  vendorClass: string | null;
  paramList: number[];
  /** Option 61 as hex, type byte included. */
  clientId: string | null;
  requestedIp: string | null;
  clientIp: string;
  yourIp: string;
  /** Option 81 domain name, written like DNS names (see dns.ts). */
  fqdn: string | null;
}

const TYPE_NAMES: readonly string[] = [
  '', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM', 'FORCERENEW',
  'LEASEQUERY', 'LEASEUNASSIGNED', 'LEASEUNKNOWN', 'LEASEACTIVE', 'BULKLEASEQUERY', 'LEASEQUERYDONE',
  'ACTIVELEASEQUERY', 'LEASEQUERYSTATUS', 'TLS',
];

export function dhcpMessageTypeName(type: number): string {
  return (type > 0 ? TYPE_NAMES[type] : undefined) ?? `TYPE${type}`;
}

const BOOTP_LEN = 236;
const SNAME = 44;
const FILE = 108;
const COOKIE = 0x63825363;

const OPT_HOSTNAME = 12;
const OPT_REQUESTED_IP = 50;
const OPT_OVERLOAD = 52;
const OPT_MESSAGE_TYPE = 53;
const OPT_PARAMS = 55;
const OPT_VENDOR_CLASS = 60;
const OPT_CLIENT_ID = 61;
const OPT_FQDN = 81;

/** The options this decoder keeps; only these are gathered, the rest are stepped over. */
function wanted(code: number): boolean {
  return code === OPT_HOSTNAME || code === OPT_REQUESTED_IP || code === OPT_OVERLOAD || code === OPT_MESSAGE_TYPE ||
    code === OPT_PARAMS || code === OPT_VENDOR_CLASS || code === OPT_CLIENT_ID || code === OPT_FQDN;
}

/**
 * Walks the options in [p, end), appending the values of wanted codes to `found`: RFC 3396 says an option
 * that appears several times is one value split in parts, concatenated in order.
 */
function walkOptions(buf: Buffer, p: number, end: number, found: Map<number, Buffer>): void {
  while (p < end) {
    const code = buf[p];
    if (code === 0) {
      p++;
      continue;
    }
    if (code === 255) return;
    if (p + 1 >= end) throw new DecodeError('dhcp.option-length', `option ${code} has no length`);
    const len = buf[p + 1];
    const v = p + 2;
    if (v + len > end) throw new DecodeError('dhcp.option-length', `option ${code} runs past the end`);
    if (wanted(code)) {
      const part = buf.subarray(v, v + len);
      const prev = found.get(code);
      found.set(code, prev === undefined ? part : Buffer.concat([prev, part]));
    }
    p = v + len;
  }
  // A missing End option is tolerated: several embedded clients omit it and the options still read cleanly.
}

/** RFC 4702 option 81: flags, two deprecated rcodes, then the name (DNS wire format when the E bit is set). */
function fqdnText(v: Buffer): string | null {
  if (v.length < 3) return null;
  const flags = v[0];
  if ((flags & 0x04) === 0) return v.length > 3 ? deviceText(v, 3, v.length) : null;
  let p = 3;
  let name = '';
  while (p < v.length) {
    const l = v[p];
    if (l === 0) break;
    // No compression exists in this option; a top-bit length would be garbage.
    if (l > 63 || p + 1 + l > v.length) throw new DecodeError('dhcp.fqdn', 'bad label');
    name += (name.length ? '.' : '') + escapeBytes(v, p + 1, p + 1 + l, true);
    p += 1 + l;
  }
  return name.length ? name : null;
}

/** Decodes the DHCPv4 message in [off, off+len). A BOOTP message without the magic cookie has no options. */
export function decodeDhcp(buf: Buffer, off: number, len: number): DhcpMessage {
  if (off < 0 || len < 0 || off + len > buf.length) throw new DecodeError('dhcp.truncated', 'range outside buffer');
  if (len < BOOTP_LEN) throw new DecodeError('dhcp.truncated', `${len} bytes`);
  const end = off + len;
  const op = buf[off];
  if (op !== 1 && op !== 2) throw new DecodeError('dhcp.op', `op ${op}`);
  const hlen = buf[off + 2];
  if (hlen > 16) throw new DecodeError('dhcp.hlen', `hlen ${hlen}`);
  const chaddr = off + 28;

  const found = new Map<number, Buffer>();
  if (len >= BOOTP_LEN + 4 && buf.readUInt32BE(off + BOOTP_LEN) === COOKIE) {
    walkOptions(buf, off + BOOTP_LEN + 4, end, found);
    // Option 52 (RFC 2132 9.3) moves more options into the file and sname fields, read in that order.
    const overload = found.get(OPT_OVERLOAD);
    if (overload !== undefined && overload.length >= 1) {
      const o = overload[0];
      if (o & 1) walkOptions(buf, off + FILE, off + FILE + 128, found);
      if (o & 2) walkOptions(buf, off + SNAME, off + SNAME + 64, found);
    }
  }

  const mt = found.get(OPT_MESSAGE_TYPE);
  const messageType = mt !== undefined && mt.length >= 1 ? mt[0] : null;
  const host = found.get(OPT_HOSTNAME);
  const vendor = found.get(OPT_VENDOR_CLASS);
  const params = found.get(OPT_PARAMS);
  const cid = found.get(OPT_CLIENT_ID);
  const req = found.get(OPT_REQUESTED_IP);
  const fqdn = found.get(OPT_FQDN);
  return {
    op,
    xid: buf.readUInt32BE(off + 4),
    mac: formatMac(buf, chaddr, chaddr + hlen),
    messageType,
    messageTypeName: messageType === null ? null : dhcpMessageTypeName(messageType),
    hostname: host !== undefined && host.length > 0 ? deviceText(host, 0, host.length) : null,
    vendorClass: vendor !== undefined && vendor.length > 0 ? deviceText(vendor, 0, vendor.length) : null,
    paramList: params === undefined ? [] : Array.from(params),
    clientId: cid !== undefined && cid.length > 0 ? toHex(cid, 0, cid.length) : null,
    requestedIp: req !== undefined && req.length === 4 ? formatIPv4(req, 0) : null,
    clientIp: formatIPv4(buf, off + 12),
    yourIp: formatIPv4(buf, off + 16),
    fqdn: fqdn === undefined ? null : fqdnText(fqdn),
  };
}
