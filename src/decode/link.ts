/**
 * Link layers: finds where the IP header starts in a frame. Returns the offset of the network header,
 * or -1 when the frame carries something other than IPv4/IPv6 (ARP, LLC, …), -2 when the link
 * header itself is cut short, or one of the NOT_IP_* codes for frames worth counting (PPPoE's own
 * set-up and link-control traffic). The IP version is read from the header, so only the offset matters.
 */
export const NOT_IP = -1;
export const LINK_TRUNCATED = -2;
/** PPPoE discovery (PADI, PADO, PADR, PADS, PADT): the session being set up or torn down. */
export const NOT_IP_PPPOE_DISCOVERY = -3;
/** A PPPoE session frame carrying PPP's own protocols (LCP, IPCP, authentication, echo). */
export const NOT_IP_PPP_CONTROL = -4;
/** Names for the NOT_IP_* codes, as counted in `capture.otherFrames`. */
export const NOT_IP_NAMES: Record<number, string> = { [-3]: 'pppoe-discovery', [-4]: 'ppp-control' };

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;
/** OpenBSD's and some old libpcaps' numbers for raw IP, seen in the wild in pcap headers. */
const DLT_RAW_ALT1 = 12;
const DLT_RAW_ALT2 = 14;

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_VLAN = 0x8100;
const ETH_QINQ = 0x88a8;
const ETH_QINQ_OLD = 0x9100;
const ETH_PPPOE_DISCOVERY = 0x8863;
const ETH_PPPOE_SESSION = 0x8864;
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;

function ipFromEthertype(buf: Buffer, off: number, end: number, type: number): number {
  // Tags are walked as deep as they go (providers stack them): each one uses 4 of the frame's bytes,
  // so the walk ends with the frame.
  while (type === ETH_VLAN || type === ETH_QINQ || type === ETH_QINQ_OLD) {
    if (off + 4 > end) return LINK_TRUNCATED;
    type = (buf[off + 2] << 8) | buf[off + 3];
    off += 4;
  }
  if (type === ETH_IPV4 || type === ETH_IPV6) return off;
  if (type === ETH_PPPOE_SESSION) return ipFromPppoeSession(buf, off, end);
  if (type === ETH_PPPOE_DISCOVERY) return NOT_IP_PPPOE_DISCOVERY;
  return NOT_IP;
}

/**
 * A PPPoE session frame (RFC 2516): version/type 0x11, code 0, session id, length, then the PPP
 * protocol field — two bytes, or one when compressed (an odd first byte, RFC 1661 §6.5).
 */
function ipFromPppoeSession(buf: Buffer, off: number, end: number): number {
  if (off + 7 > end) return LINK_TRUNCATED;
  if (buf[off] !== 0x11 || buf[off + 1] !== 0) return NOT_IP;
  let proto: number;
  let ip: number;
  if ((buf[off + 6] & 1) === 1) {
    proto = buf[off + 6];
    ip = off + 7;
  } else {
    if (off + 8 > end) return LINK_TRUNCATED;
    proto = (buf[off + 6] << 8) | buf[off + 7];
    ip = off + 8;
  }
  return proto === PPP_IPV4 || proto === PPP_IPV6 ? ip : NOT_IP_PPP_CONTROL;
}

/** BSD AF_ values for IPv6 differ between systems (24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS). */
function isAfInet(v: number): boolean {
  return v === 2 || v === 24 || v === 28 || v === 30;
}

export function networkOffset(linktype: number, buf: Buffer, off: number, caplen: number): number {
  const end = off + caplen;
  switch (linktype) {
    case LINKTYPE_ETHERNET:
      if (caplen < 14) return -2;
      return ipFromEthertype(buf, off + 14, end, (buf[off + 12] << 8) | buf[off + 13]);
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
    case DLT_RAW_ALT1:
    case DLT_RAW_ALT2:
      return caplen < 1 ? -2 : off;
    case LINKTYPE_LINUX_SLL:
      if (caplen < 16) return -2;
      return ipFromEthertype(buf, off + 16, end, (buf[off + 14] << 8) | buf[off + 15]);
    case LINKTYPE_LINUX_SLL2:
      if (caplen < 20) return -2;
      return ipFromEthertype(buf, off + 20, end, (buf[off] << 8) | buf[off + 1]);
    case LINKTYPE_NULL: {
      // The family is in the capturing host's byte order, which the file does not record.
      if (caplen < 4) return -2;
      const le = buf.readUInt32LE(off);
      const be = buf.readUInt32BE(off);
      return isAfInet(le) || isAfInet(be) ? off + 4 : -1;
    }
    case LINKTYPE_LOOP:
      if (caplen < 4) return -2;
      return isAfInet(buf.readUInt32BE(off)) ? off + 4 : -1;
    default:
      return -1;
  }
}

export function isSupportedLinktype(linktype: number): boolean {
  switch (linktype) {
    case LINKTYPE_NULL: case LINKTYPE_ETHERNET: case LINKTYPE_RAW: case LINKTYPE_LOOP:
    case LINKTYPE_LINUX_SLL: case LINKTYPE_IPV4: case LINKTYPE_IPV6: case LINKTYPE_LINUX_SLL2:
    case DLT_RAW_ALT1: case DLT_RAW_ALT2:
      return true;
    default:
      return false;
  }
}
