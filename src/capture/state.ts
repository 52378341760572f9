/** Reading state shared by the format walkers, and the limits that keep it bounded. */
import type { FrameSink } from './types.js';

/**
 * The largest pcapng block accepted. Real writers stay far below it; above it a length is
 * almost certainly damage, and honouring it would let one corrupt field demand gigabytes.
 */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;

/** Caps on what the summary accumulates, so that a hostile file cannot grow memory without bound. */
export const MAX_NAME_RECORDS = 100_000;
export const MAX_KEYLOG_BYTES = 64 * 1024 * 1024;
export const MAX_UNKNOWN_BLOCK_KINDS = 256;

/** Mutable reading state both format walkers report into. */
export class WalkState {
  packets = 0;
  linktypes: number[] = [];
  truncated = false;
  damageOffset: number | null = null;
  /** Set once damage was found: nothing after it is trusted, so nothing more is read. */
  stopped = false;
  /** Bytes needed from the current position before the walker can make progress. */
  need = 4;
  tlsKeyLogs: string[] = [];
  keyLogBytes = 0;
  nameResolution: Array<{ address: string; names: string[] }> = [];
  unknownBlocks: Record<string, number> = {};
  unknownKinds = 0;

  constructor(readonly sink: FrameSink) {}

  addLinktype(linktype: number): void {
    if (!this.linktypes.includes(linktype)) this.linktypes.push(linktype);
  }

  damage(kind: string, offset: number): void {
    this.sink.malformed(kind);
    this.damageOffset = offset;
    this.truncated = true;
    this.stopped = true;
  }
}

/** One format's reader: consumes whole records from buf[pos, end) where buf[pos] is at file offset `abs`. */
export interface FormatWalker {
  /** True once the file header (pcap global header / first SHB) has been read. */
  readonly started: boolean;
  readonly headerBytes: number;
  walk(buf: Buffer, pos: number, end: number, abs: number): number;
}
