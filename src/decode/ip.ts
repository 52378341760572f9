import { formatIPv6 } from './text.js';
import type { PacketView } from './packet.js';

/**
 * IPv4 and IPv6 headers. Fills the packet view with family, protocol, addresses and where the
 * transport bytes are. Returns null on success, or a malformed-kind label.
 */

const IP6_HOPOPTS = 0;
const IP6_ROUTING = 43;
const IP6_FRAGMENT = 44;
const IP6_ESP = 50;
const IP6_AH = 51;
const IP6_NONE = 59;
const IP6_DSTOPTS = 60;
const IP6_MOBILITY = 135;
const IP6_HIP = 139;
const IP6_SHIM6 = 140;
/** More extension headers than this is not a real packet. */
const MAX_IP6_EXT = 32;

/**
 * A 32-bit address word as a signed integer: stored into the view's Uint32Array it keeps its bits, and
 * unlike `readUInt32BE` it never becomes a floating-point number that has to be boxed when not inlined.
 */
function word(b: Buffer, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}

export function decodeIp(p: PacketView, buf: Buffer, off: number, end: number): string | null {
  if (off >= end) return 'ip.truncated';
  const version = buf[off] >> 4;
  if (version === 4) return decodeIPv4(p, buf, off, end);
  if (version === 6) return decodeIPv6(p, buf, off, end);
  return 'ip.bad-version';
}

function decodeIPv4(p: PacketView, buf: Buffer, off: number, end: number): string | null {
  if (end - off < 20) return 'ipv4.truncated-header';
  const ihl = (buf[off] & 0x0f) * 4;
  if (ihl < 20) return 'ipv4.bad-header-length';
  if (end - off < ihl) return 'ipv4.truncated-header';
  const total = (buf[off + 2] << 8) | buf[off + 3];
  // TSO on the capturing host writes 0 here; fall back to what was captured.
  const announced = total === 0 ? end - off : total;
  if (announced < ihl) return 'ipv4.bad-total-length';
  const flagsFrag = (buf[off + 6] << 8) | buf[off + 7];
  p.fam = 4;
  p.proto = buf[off + 9];
  p.src[0] = 0; p.src[1] = 0; p.src[2] = 0;
  p.dst[0] = 0; p.dst[1] = 0; p.dst[2] = 0;
  p.src[3] = word(buf, off + 12);
  p.dst[3] = word(buf, off + 16);
  p.buf = buf;
  p.l4Off = off + ihl;
  // Ethernet pads short frames: the IP length, not the frame, says where the datagram ends.
  const datagramEnd = off + announced;
  p.l4Len = (datagramEnd < end ? datagramEnd : end) - p.l4Off;
  p.l4WireLen = announced - ihl;
  p.fragMore = (flagsFrag & 0x2000) !== 0;
  p.fragOffset = (flagsFrag & 0x1fff) * 8;
  p.isFragment = p.fragMore || p.fragOffset !== 0;
  p.fragId = (buf[off + 4] << 8) | buf[off + 5];
  return null;
}

function decodeIPv6(p: PacketView, buf: Buffer, off: number, end: number): string | null {
  if (end - off < 40) return 'ipv6.truncated-header';
  const payloadLen = (buf[off + 4] << 8) | buf[off + 5];
  p.fam = 6;
  for (let i = 0; i < 4; i++) {
    p.src[i] = word(buf, off + 8 + i * 4);
    p.dst[i] = word(buf, off + 24 + i * 4);
  }
  p.buf = buf;
  p.isFragment = false;
  p.fragMore = false;
  p.fragOffset = 0;
  // Jumbograms (payload length 0 with a hop-by-hop option) are taken as far as captured.
  const datagramEnd = payloadLen === 0 ? end : off + 40 + payloadLen;
  const stop = datagramEnd < end ? datagramEnd : end;
  let next = buf[off + 6];
  let pos = off + 40;
  for (let n = 0; n < MAX_IP6_EXT; n++) {
    switch (next) {
      case IP6_HOPOPTS: case IP6_ROUTING: case IP6_DSTOPTS: case IP6_MOBILITY: case IP6_HIP: case IP6_SHIM6: {
        if (pos + 8 > stop) return 'ipv6.truncated-extension';
        const len = (buf[pos + 1] + 1) * 8;
        next = buf[pos];
        pos += len;
        continue;
      }
      case IP6_AH: {
        if (pos + 8 > stop) return 'ipv6.truncated-extension';
        const len = (buf[pos + 1] + 2) * 4;
        next = buf[pos];
        pos += len;
        continue;
      }
      case IP6_FRAGMENT: {
        if (pos + 8 > stop) return 'ipv6.truncated-extension';
        const fo = (buf[pos + 2] << 8) | buf[pos + 3];
        p.fragOffset = fo & 0xfff8;
        p.fragMore = (fo & 1) !== 0;
        p.fragId = buf.readUInt32BE(pos + 4);
        p.isFragment = p.fragMore || p.fragOffset !== 0;
        next = buf[pos];
        pos += 8;
        continue;
      }
      default:
        break;
    }
    break;
  }
  if (pos > stop) return 'ipv6.truncated-extension';
  if (isExtension(next)) return 'ipv6.too-many-extensions';
  if (next === IP6_ESP || next === IP6_NONE) {
    p.proto = next;
    p.l4Off = pos;
    p.l4Len = stop - pos;
    p.l4WireLen = datagramEnd - pos;
    return null;
  }
  p.proto = next;
  p.l4Off = pos;
  p.l4Len = stop - pos;
  p.l4WireLen = datagramEnd - pos;
  return null;
}

function isExtension(h: number): boolean {
  return h === IP6_HOPOPTS || h === IP6_ROUTING || h === IP6_DSTOPTS || h === IP6_MOBILITY || h === IP6_HIP ||
    h === IP6_SHIM6 || h === IP6_AH || h === IP6_FRAGMENT;
}

/** Text form of the packet's address: dotted quad for IPv4, RFC 5952 for IPv6. */
export function addrToString(fam: number, words: Uint32Array, base = 0): string {
  if (fam === 4) {
    const v = words[base + 3];
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  for (let i = 0; i < 4; i++) scratch6.writeUInt32BE(words[base + i], i * 4);
  return formatIPv6(scratch6, 0);
}

/** Reused for IPv6 text: addresses are formatted one at a time. */
const scratch6 = Buffer.alloc(16);

export function isMulticast(fam: number, words: Uint32Array, base = 0): boolean {
  if (fam === 4) return words[base + 3] >>> 28 === 0xe;
  return words[base] >>> 24 === 0xff;
}
