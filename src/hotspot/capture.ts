/**
 * A live capture whose filter can be narrowed while it runs: a hotspot check starts capturing the whole
 * hotspot interface (the phone's DHCP request comes before anyone knows its MAC) and, once the lease
 * names the device, continues with `ether host <mac>` only.
 *
 * tcpdump cannot change its filter, so a second tcpdump starts with the narrow filter; once it listens the
 * first one is stopped. Every packet the second saw while the first still ran was also seen by the first
 * (its filter is wider), so the second's packets up to the first one's last timestamp are dropped as
 * duplicates. The pcap file is written here, one record per frame delivered, so both runs make one file.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { startLiveCapture, type LiveCapture } from '../capture/live.js';
import type { CaptureSummary, FrameSink } from '../capture/types.js';

export interface NarrowingCaptureOptions {
  iface: string;
  filter?: string;
  tcpdumpPath?: string;
  /** The pcap file (created beforehand; written from its start). */
  writeTo: string;
}

export interface NarrowingCapture extends LiveCapture {
  /** Continues with this filter only; resolves once the narrow capture runs (rejects and keeps the wide one if it cannot start). */
  narrow(filter: string): Promise<void>;
  readonly filter: string | undefined;
}

const SNAPLEN = 262_144;
const FLUSH_BYTES = 256 * 1024;

class PcapFile {
  private fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  bytes = 0;
  private headerWritten = false;
  /** Of every byte written, as written: the report needs the file's hash right after Stop. */
  private readonly hash = createHash('sha256');
  /** The write that failed (a full disk): nothing more is written, and the next record reports it. */
  failed: Error | null = null;

  constructor(path: string) {
    this.fd = openSync(path, 'w', 0o600);
  }

  header(linktype: number): void {
    if (this.headerWritten) return;
    this.headerWritten = true;
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(SNAPLEN, 16);
    h.writeUInt32LE(linktype, 20);
    this.push(h);
  }

  record(data: Buffer, off: number, caplen: number, wirelen: number, ts: number, linktype: number): void {
    this.header(linktype);
    let sec = Math.floor(ts);
    let usec = Math.round((ts - sec) * 1e6);
    if (usec >= 1_000_000) {
      sec += 1;
      usec -= 1_000_000;
    }
    const rec = Buffer.allocUnsafe(16 + caplen);
    rec.writeUInt32LE(sec >>> 0, 0);
    rec.writeUInt32LE(usec, 4);
    rec.writeUInt32LE(caplen, 8);
    rec.writeUInt32LE(wirelen, 12);
    data.copy(rec, 16, off, off + caplen);
    this.push(rec);
    // Thrown to the capture's parser, which ends the capture with it (a full disk ends the check).
    if (this.failed !== null) throw this.failed;
  }

  private push(b: Buffer): void {
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0 || this.fd < 0 || this.failed !== null) return;
    const b = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    let off = 0;
    try {
      while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
    } catch (err) {
      // Also reached from setImmediate, where a throw would end the process: kept for record() to report.
      this.failed = err as Error;
      this.pending = [];
      this.pendingBytes = 0;
    }
    this.hash.update(b.subarray(0, off));
    this.bytes += off;
  }

  sha256(): string {
    return this.hash.copy().digest('hex');
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

interface Held {
  data: Buffer;
  wirelen: number;
  ts: number;
  linktype: number;
}

export function startNarrowingCapture(opts: NarrowingCaptureOptions, sink: FrameSink): NarrowingCapture {
  const file = new PcapFile(opts.writeTo);
  let packets = 0;
  let lastTs = -Infinity;
  const linktypes: number[] = [];
  let truncated = false;

  const deliver = (data: Buffer, off: number, caplen: number, wirelen: number, ts: number, linktype: number): void => {
    packets++;
    if (ts > lastTs) lastTs = ts;
    if (!linktypes.includes(linktype)) linktypes.push(linktype);
    file.record(data, off, caplen, wirelen, ts, linktype);
    sink.frame(data, off, caplen, wirelen, ts, linktype);
  };

  const direct: FrameSink = { frame: deliver, malformed: (k) => sink.malformed(k) };

  let current: LiveCapture = startLiveCapture({ iface: opts.iface, filter: opts.filter, tcpdumpPath: opts.tcpdumpPath }, direct);
  let filter = opts.filter;
  let switching: Promise<void> | null = null;
  let stopping: Promise<CaptureSummary> | null = null;

  let resolveDone!: (s: CaptureSummary) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<CaptureSummary>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  done.catch(() => undefined);

  const summary = (): CaptureSummary => {
    file.close();
    return {
      format: 'pcap',
      packets,
      bytes: file.bytes,
      linktypes,
      truncated,
      damageOffset: null,
      tlsKeyLogs: [],
      nameResolution: [],
      unknownBlocks: {},
      written: { sha256: file.sha256(), bytes: file.bytes },
    };
  };

  const watch = (cap: LiveCapture): void => {
    cap.done.then(
      (s) => {
        truncated ||= s.truncated;
        if (cap === current && switching === null && stopping === null) resolveDone(summary());
      },
      (err: unknown) => {
        if (cap === current && switching === null && stopping === null) {
          file.close();
          rejectDone(err);
        }
      },
    );
  };
  watch(current);

  const narrow = async (next: string): Promise<void> => {
    if (stopping !== null) return;
    while (switching !== null) await switching.catch(() => undefined);
    const held: Held[] = [];
    let holding = true;
    const narrowSink: FrameSink = {
      frame(data, off, caplen, wirelen, ts, linktype) {
        if (holding) held.push({ data: Buffer.from(data.subarray(off, off + caplen)), wirelen, ts, linktype });
        else deliver(data, off, caplen, wirelen, ts, linktype);
      },
      malformed: (k) => sink.malformed(k),
    };
    const step = (async () => {
      const cap = startLiveCapture({ iface: opts.iface, filter: next, tcpdumpPath: opts.tcpdumpPath }, narrowSink);
      try {
        await cap.ready;
      } catch (err) {
        await cap.stop().catch(() => undefined);
        throw err;
      }
      const wide = current;
      current = cap;
      watch(cap);
      const s = await wide.stop().catch(() => null);
      if (s !== null) truncated ||= s.truncated;
      const cut = lastTs;
      for (const h of held) if (h.ts > cut) deliver(h.data, 0, h.data.length, h.wirelen, h.ts, h.linktype);
      holding = false;
      filter = next;
    })();
    switching = step;
    try {
      await step;
    } finally {
      switching = null;
    }
    // The narrow capture may have ended (or been stopped) while the wide one was being stopped.
  };

  const stop = (): Promise<CaptureSummary> => {
    stopping ??= (async () => {
      if (switching !== null) await switching.catch(() => undefined);
      try {
        const s = await current.stop();
        truncated ||= s.truncated;
      } catch (err) {
        file.close();
        rejectDone(err);
        throw err;
      }
      const s = summary();
      resolveDone(s);
      return s;
    })();
    return stopping;
  };

  return {
    done,
    ready: current.ready,
    stop,
    narrow,
    get filter() {
      return filter;
    },
  };
}
