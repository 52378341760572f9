/**
 * One reused, mutable view of the packet being decoded. The engine owns a single instance and the
 * link/IP/transport decoders fill it in place, so decoding a frame allocates nothing.
 * Addresses are kept as four 32-bit words; an IPv4 address lives in word 3 with words 0–2 zero.
 */
export class PacketView {
  ts = 0;
  /** Length of the frame on the wire (what traffic counters add up). */
  wirelen = 0;
  /** 4, 6, or 0 when the frame carried no IP. */
  fam = 0;
  proto = 0;
  readonly src = new Uint32Array(4);
  readonly dst = new Uint32Array(4);
  /** IPv4 identification / IPv6 fragment identification, for reassembly. */
  fragId = 0;
  /** Byte offset of this fragment's data in the original datagram. */
  fragOffset = 0;
  fragMore = false;
  isFragment = false;
  /** Transport header and payload, as far as captured: buf[l4Off, l4Off + l4Len). */
  buf: Buffer = Buffer.alloc(0);
  l4Off = 0;
  l4Len = 0;
  /** The transport length the IP header announced (larger than l4Len when the capture cut the packet). */
  l4WireLen = 0;
  sport = 0;
  dport = 0;
  tcpFlags = 0;
  seq = 0;
  /** Application payload as captured: buf[payOff, payOff + payLen). */
  payOff = 0;
  payLen = 0;
}

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_ICMP6 = 58;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;
