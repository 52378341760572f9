import { PROTO_ICMP, PROTO_ICMP6, PROTO_TCP, PROTO_UDP, type PacketView } from './packet.js';

/**
 * TCP, UDP and ICMP headers, read in place from the packet view's transport bytes.
 * Returns null on success or a malformed-kind label. For ICMP, `sport` holds the type and `dport` the code.
 */
export function decodeTransport(p: PacketView): string | null {
  const buf = p.buf;
  const off = p.l4Off;
  const len = p.l4Len;
  switch (p.proto) {
    case PROTO_TCP: {
      if (len < 20) return 'tcp.truncated-header';
      const hlen = (buf[off + 12] >> 4) * 4;
      if (hlen < 20) return 'tcp.bad-header-length';
      if (hlen > len) return 'tcp.truncated-header';
      p.sport = (buf[off] << 8) | buf[off + 1];
      p.dport = (buf[off + 2] << 8) | buf[off + 3];
      p.seq = ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0;
      p.tcpFlags = buf[off + 13];
      p.payOff = off + hlen;
      p.payLen = len - hlen;
      return null;
    }
    case PROTO_UDP: {
      if (len < 8) return 'udp.truncated-header';
      p.sport = (buf[off] << 8) | buf[off + 1];
      p.dport = (buf[off + 2] << 8) | buf[off + 3];
      const ulen = (buf[off + 4] << 8) | buf[off + 5];
      p.tcpFlags = 0;
      p.payOff = off + 8;
      // A UDP length of 0 appears with jumbograms and offloads: trust the IP layer then.
      if (ulen !== 0 && ulen < 8) return 'udp.bad-length';
      const announced = ulen === 0 ? len : ulen;
      p.payLen = (announced < len ? announced : len) - 8;
      return null;
    }
    case PROTO_ICMP:
    case PROTO_ICMP6: {
      if (len < 4) return 'icmp.truncated-header';
      p.sport = buf[off];
      p.dport = buf[off + 1];
      p.tcpFlags = 0;
      p.payOff = off + 4;
      p.payLen = len - 4;
      return null;
    }
    default:
      p.sport = 0;
      p.dport = 0;
      p.payOff = off;
      p.payLen = len;
      return null;
  }
}
