/**
 * The record-walking core shared by file mode (one reused read buffer) and push mode (pipes):
 * both hand it a buffer window, it delivers every whole record inside and says how many bytes
 * it needs before it can make progress again. It never keeps a reference to the buffer.
 */
import { CaptureFormatError, type CaptureFormat, type CaptureSummary, type FrameSink } from './types.js';
import { WalkState, type FormatWalker } from './state.js';
import { PcapWalker } from './pcap.js';
import { PcapngWalker } from './pcapng.js';

const hex = (buf: Buffer, pos: number, len: number): string => {
  const parts: string[] = [];
  for (let i = 0; i < len; i++) parts.push(buf[pos + i]!.toString(16).padStart(2, '0'));
  return parts.join(' ');
};

const printable = (buf: Buffer, pos: number, len: number): string => {
  let s = '';
  for (let i = 0; i < len; i++) {
    const c = buf[pos + i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return s;
};

export class RecordWalker {
  readonly st: WalkState;
  format: CaptureFormat | null = null;
  private impl: FormatWalker | null = null;
  /** File offset of the next byte the walker has not consumed. */
  private consumed = 0;

  constructor(sink: FrameSink) {
    this.st = new WalkState(sink);
  }

  get stopped(): boolean {
    return this.st.stopped;
  }

  get need(): number {
    return this.st.need;
  }

  /** Delivers every whole record in buf[pos, end); returns the position of the first byte not consumed. */
  walk(buf: Buffer, pos: number, end: number): number {
    if (this.st.stopped) return pos;
    let impl = this.impl;
    if (impl === null) {
      if (end - pos < 4) {
        this.st.need = 4;
        return pos;
      }
      impl = this.impl = this.detect(buf, pos);
    }
    const p = impl.walk(buf, pos, end, this.consumed);
    this.consumed += p - pos;
    return p;
  }

  private detect(buf: Buffer, pos: number): FormatWalker {
    const magic = (buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16) | (buf[pos + 3]! << 24)) >>> 0;
    switch (magic) {
      case 0xa1b2c3d4:
        this.format = 'pcap';
        return new PcapWalker(this.st, true, false);
      case 0xd4c3b2a1:
        this.format = 'pcap';
        return new PcapWalker(this.st, false, false);
      case 0xa1b23c4d:
        this.format = 'pcap';
        return new PcapWalker(this.st, true, true);
      case 0x4d3cb2a1:
        this.format = 'pcap';
        return new PcapWalker(this.st, false, true);
      case 0x0a0d0d0a:
        this.format = 'pcapng';
        return new PcapngWalker(this.st);
      case 0xa1b2cd34:
      case 0x34cdb2a1:
        throw new CaptureFormatError('unsupported capture format: "modified" (Kuznetzov) pcap, magic ' + hex(buf, pos, 4), 0);
      default:
        throw new CaptureFormatError(
          `not a pcap or pcapng capture: found bytes ${hex(buf, pos, 4)} ("${printable(buf, pos, 4)}") ` +
            'where a pcap magic (a1b2c3d4 / a1b23c4d, either byte order) or a pcapng section header (0a0d0d0a) was expected',
          0,
        );
    }
  }

  /** Ends reading with `leftover` unconsumed bytes (the input ended inside a record). */
  finish(leftover: number): CaptureSummary {
    const st = this.st;
    const impl = this.impl;
    const total = this.consumed + leftover;
    if (impl === null || !impl.started) {
      if (total === 0) throw new CaptureFormatError('empty file: no capture header', 0);
      const what = this.format === null ? 'a capture header' : `a ${this.format} header (${impl!.headerBytes} bytes)`;
      throw new CaptureFormatError(`file too short for ${what}: only ${total} bytes`, 0);
    }
    let bytes = total;
    if (st.stopped) {
      bytes = this.consumed;
    } else if (leftover > 0) {
      st.sink.malformed('capture.truncated');
      st.truncated = true;
      st.damageOffset = this.consumed;
    }
    return {
      format: this.format!,
      packets: st.packets,
      bytes,
      linktypes: st.linktypes,
      truncated: st.truncated,
      damageOffset: st.damageOffset,
      tlsKeyLogs: st.tlsKeyLogs,
      nameResolution: st.nameResolution,
      unknownBlocks: st.unknownBlocks,
    };
  }
}
