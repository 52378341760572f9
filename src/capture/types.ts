/**
 * The contract between capture readers (bytes → frames) and the decoding engine.
 * Readers never allocate per frame: `data` is a view into a reused buffer that is only
 * valid for the duration of the `frame` call.
 */
export interface FrameSink {
  /**
   * One captured frame. `ts` is seconds since the Unix epoch, fraction included.
   * `caplen` bytes are present at data[off .. off+caplen); `wirelen` is the length on the wire.
   * `uid` is the Android app (user id) the capture file says sent or received the frame, when it says
   * (PCAPdroid's per-packet comment `u-<uid>`); undefined otherwise.
   */
  frame(data: Buffer, off: number, caplen: number, wirelen: number, ts: number, linktype: number, uid?: number): void;
  /**
   * An app named by the capture file (PCAPdroid's UID map block): its Android user id, package name
   * and label. Comes before the app's first frame.
   */
  app?(uid: number, packageName: string, appName: string): void;
  /** Something the reader had to skip or could not read; counted by kind (e.g. "pcap.record-too-large"). */
  malformed(kind: string): void;
}

export type CaptureFormat = 'pcap' | 'pcapng';

/** What a reader learnt about the file itself, reported once reading has ended. */
export interface CaptureSummary {
  format: CaptureFormat;
  /** Frames delivered to the sink. */
  packets: number;
  /** Bytes of the capture file consumed. */
  bytes: number;
  /** Distinct link types, in order of first appearance. */
  linktypes: number[];
  /** True when the file ended inside a record/block (a capture cut short). */
  truncated: boolean;
  /** Byte offset where damage (truncation/corruption that stopped reading) was found, if any. */
  damageOffset: number | null;
  /** pcapng Decryption Secrets Blocks holding a TLS key log (SSLKEYLOGFILE text), kept for later use. */
  tlsKeyLogs: string[];
  /** pcapng Name Resolution Block entries: address → names. */
  nameResolution: Array<{ address: string; names: string[] }>;
  /** Unknown pcapng block types seen, counted by type number. */
  unknownBlocks: Record<string, number>;
  /**
   * Live captures only: the SHA-256 of every byte written to the capture file, and how many, computed
   * as they were written so the report does not have to read the whole file again after Stop.
   */
  written?: { sha256: string; bytes: number };
}

/** A file that is not a capture at all, or whose format is unsupported. Carries the offset of the problem. */
export class CaptureFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (at byte offset ${offset})`);
    this.name = 'CaptureFormatError';
  }
}
