/**
 * Classic pcap: a 24-byte global header, then records of a 16-byte header and caplen bytes.
 * Both byte orders and both timestamp resolutions (µs, ns) are read; the format is chosen by
 * RecordWalker from the magic.
 */
import type { FormatWalker, WalkState } from './state.js';
import { u32be, u32le } from './bytes.js';

/**
 * libpcap and Wireshark refuse records above 256 KiB for the link types a phone produces,
 * so anything larger is a damaged length field, not a packet.
 */
export const MAX_PCAP_RECORD = 256 * 1024;

/**
 * Writers sometimes understate snaplen (a 65535 header over 65550-byte loopback frames, or
 * segmentation-offload super-frames), so a record may exceed it a little; a damaged length
 * field is a random 32-bit number and lands far beyond this.
 */
const SNAPLEN_SLACK = 64 * 1024;

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

export class PcapWalker implements FormatWalker {
  started = false;
  readonly headerBytes = GLOBAL_HEADER;
  private linktype = 0;
  private maxCaplen = MAX_PCAP_RECORD;
  private readonly fracDiv: number;

  constructor(
    private readonly st: WalkState,
    private readonly le: boolean,
    nanoseconds: boolean,
  ) {
    this.fracDiv = nanoseconds ? 1e9 : 1e6;
  }

  walk(buf: Buffer, pos: number, end: number, abs: number): number {
    const st = this.st;
    const le = this.le;
    let p = pos;
    if (!this.started) {
      if (end - p < GLOBAL_HEADER) {
        st.need = GLOBAL_HEADER;
        return p;
      }
      const snaplen = le ? u32le(buf, p + 16) : u32be(buf, p + 16);
      // The upper bits carry FCS information, not the link type.
      this.linktype = (le ? u32le(buf, p + 20) : u32be(buf, p + 20)) & 0x0fffffff;
      this.maxCaplen = snaplen > 0 ? Math.min(MAX_PCAP_RECORD, snaplen + SNAPLEN_SLACK) : MAX_PCAP_RECORD;
      st.addLinktype(this.linktype);
      this.started = true;
      p += GLOBAL_HEADER;
    }
    const sink = st.sink;
    const linktype = this.linktype;
    const maxCaplen = this.maxCaplen;
    const fracDiv = this.fracDiv;
    let packets = 0;
    if (le) {
      for (;;) {
        if (end - p < RECORD_HEADER) {
          st.need = RECORD_HEADER;
          break;
        }
        const caplen = u32le(buf, p + 8);
        if (caplen > maxCaplen) {
          st.damage('pcap.bad-record-length', abs + (p - pos));
          break;
        }
        const size = RECORD_HEADER + caplen;
        if (end - p < size) {
          st.need = size;
          break;
        }
        const ts = u32le(buf, p) + u32le(buf, p + 4) / fracDiv;
        sink.frame(buf, p + RECORD_HEADER, caplen, u32le(buf, p + 12), ts, linktype);
        packets++;
        p += size;
      }
    } else {
      for (;;) {
        if (end - p < RECORD_HEADER) {
          st.need = RECORD_HEADER;
          break;
        }
        const caplen = u32be(buf, p + 8);
        if (caplen > maxCaplen) {
          st.damage('pcap.bad-record-length', abs + (p - pos));
          break;
        }
        const size = RECORD_HEADER + caplen;
        if (end - p < size) {
          st.need = size;
          break;
        }
        const ts = u32be(buf, p) + u32be(buf, p + 4) / fracDiv;
        sink.frame(buf, p + RECORD_HEADER, caplen, u32be(buf, p + 12), ts, linktype);
        packets++;
        p += size;
      }
    }
    st.packets += packets;
    return p;
  }
}
