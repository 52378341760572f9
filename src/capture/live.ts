/**
 * Live capture through tcpdump: it owns the privileges and the kernel interface, we read the
 * pcap it streams on stdout with the same parser as for files.
 */
import { createHash } from 'node:crypto';
import { closeSync, fdatasync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { CaptureSummary, FrameSink } from './types.js';
import { CaptureStreamParser } from './reader.js';
import { spawnChild } from '../process/supervisor.js';

export interface LiveCaptureOptions {
  iface: string;
  filter?: string;
  tcpdumpPath?: string;
  /** also write the raw pcap bytes, as they arrive, to this file (the on-disk source of truth) */
  writeTo?: string;
}

export interface LiveCapture {
  readonly done: Promise<CaptureSummary>;
  stop(): Promise<CaptureSummary>;
  /**
   * Resolves once tcpdump reports it is listening (packets sent afterwards are captured);
   * rejects like `done` if tcpdump fails before that.
   */
  readonly ready: Promise<void>;
}

export type LiveCaptureErrorKind =
  | 'tcpdump-not-found'
  | 'permission-denied'
  | 'no-such-interface'
  | 'bad-filter'
  | 'write-failed'
  | 'disk-full'
  | 'tcpdump-failed';

export class LiveCaptureError extends Error {
  constructor(
    message: string,
    readonly kind: LiveCaptureErrorKind,
    /** What tcpdump printed on stderr, for the curious; the message already says what matters. */
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'LiveCaptureError';
  }
}

/** How long tcpdump gets to flush and exit after SIGINT before it is killed. */
const STOP_GRACE_MS = 3000;
/** tcpdump's stderr is small; past this only the tail is kept, which holds the error. */
const STDERR_KEEP = 16 * 1024;
/** How often the capture file is pushed to the storage device, so a power cut loses at most this much. */
const SYNC_EVERY_MS = 2000;

/**
 * `asRoot`: quietcheck itself runs as root. tcpdump would then switch to its own user after opening the
 * interface, and Linux clears the parent-death signal on that switch, so a tcpdump of a killed server
 * would run on (see children.ts). `-Z root` keeps the user: with `-w -` tcpdump writes packets without
 * reading them, so the switch protects little. Not root (the installed service), nothing changes.
 */
export function tcpdumpArgs(opts: LiveCaptureOptions, asRoot = false): string[] {
  // --immediate-mode: deliver each packet at once instead of when the kernel ring block fills,
  // so a support worker sees traffic as the phone sends it.
  const args = ['-i', opts.iface, '-U', '-s', '0', '--immediate-mode', ...(asRoot ? ['-Z', 'root'] : []), '-w', '-'];
  // '--' so that a filter starting with '-' can never be taken for an option such as -w or -z.
  if (opts.filter !== undefined && opts.filter.trim() !== '') args.push('--', opts.filter);
  return args;
}

/** Turns tcpdump's failure output into an error a non-specialist can act on. */
export function classifyTcpdumpFailure(stderr: string, iface: string, code: number | null, signal: string | null): LiveCaptureError {
  const text = stderr.trim();
  const detail = text === '' ? '' : `: ${text.split('\n').filter((l) => l.trim() !== '')[0]}`;
  if (/No such device|doesn't exist|no suitable device|SIOCGIFHWADDR/i.test(text)) {
    return new LiveCaptureError(`network interface "${iface}" does not exist${detail}`, 'no-such-interface', stderr);
  }
  if (/permission|not permitted|Operation not permitted|EPERM|EACCES/i.test(text)) {
    return new LiveCaptureError(
      `tcpdump lacks permission to capture on "${iface}" (run as root or grant CAP_NET_RAW/CAP_NET_ADMIN to tcpdump)${detail}`,
      'permission-denied',
      stderr,
    );
  }
  if (/filter expression|syntax error|parse filter|illegal|unknown (host|port|proto)/i.test(text)) {
    return new LiveCaptureError(`tcpdump rejected the capture filter${detail}`, 'bad-filter', stderr);
  }
  const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
  return new LiveCaptureError(`tcpdump ${how}${detail}`, 'tcpdump-failed', stderr);
}

function emptySummary(): CaptureSummary {
  return {
    format: 'pcap',
    packets: 0,
    bytes: 0,
    linktypes: [],
    truncated: false,
    damageOffset: null,
    tlsKeyLogs: [],
    nameResolution: [],
    unknownBlocks: {},
  };
}

export function startLiveCapture(opts: LiveCaptureOptions, sink: FrameSink): LiveCapture {
  const tcpdump = opts.tcpdumpPath ?? 'tcpdump';
  const child = spawnChild(tcpdump, tcpdumpArgs(opts, process.geteuid?.() === 0));
  const parser = new CaptureStreamParser(sink);
  let out: number | null = null;
  let openError: Error | null = null;
  if (opts.writeTo !== undefined) {
    try {
      out = openSync(opts.writeTo, 'w', 0o600);
    } catch (err) {
      openError = new LiveCaptureError(`cannot write the capture to ${opts.writeTo}: ${(err as Error).message}`, 'write-failed');
    }
  }
  let unsynced = false;
  const hash = out === null ? null : createHash('sha256');
  let written = 0;
  let syncing: Promise<void> | null = null;
  const syncTimer =
    out === null
      ? null
      : setInterval(() => {
          if (out === null || !unsynced || syncing !== null) return;
          unsynced = false;
          const fd = out;
          syncing = new Promise<void>((res) => fdatasync(fd, () => res())).then(() => {
            syncing = null;
          });
        }, SYNC_EVERY_MS);
  syncTimer?.unref();

  let stderr = '';
  let received = 0;
  let stopRequested = false;
  let failure: Error | null = null;
  let killTimer: NodeJS.Timeout | null = null;

  let markReady!: () => void;
  let failReady!: (err: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    markReady = res;
    failReady = rej;
  });
  let readySettled = false;
  const settleReady = (err: Error | null): void => {
    if (readySettled) return;
    readySettled = true;
    if (err === null) markReady();
    else failReady(err);
  };

  const fail = (err: Error): void => {
    if (failure !== null) return;
    failure = err;
    settleReady(err);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };

  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    stderr = (stderr + s).slice(-STDERR_KEEP);
    if (/listening on/.test(stderr)) settleReady(null);
  });

  child.stdout.on('data', (chunk: Buffer) => {
    if (failure !== null) return;
    received += chunk.length;
    // The file gets the bytes before they are parsed and counted, synchronously: whatever the live
    // view has counted is in the file, even if this process is killed the next instant, and the file
    // stays complete even if parsing fails.
    if (out !== null) {
      try {
        let off = 0;
        while (off < chunk.length) off += writeSync(out, chunk, off, chunk.length - off);
        unsynced = true;
        hash!.update(chunk);
        written += chunk.length;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // What reached the file stays there and is analysed; the capture ends here.
        fail(
          code === 'ENOSPC' || code === 'EDQUOT'
            ? new LiveCaptureError(`the disk is full: the capture stopped after ${written} bytes`, 'disk-full')
            : new LiveCaptureError(`cannot write the capture to ${opts.writeTo}: ${(err as Error).message}`, 'write-failed'),
        );
        return;
      }
    }
    try {
      parser.push(chunk);
    } catch (err) {
      fail(err as Error);
    }
  });

  if (openError !== null) fail(openError);

  // Settles either way, so that stop() never waits on a process that could not start.
  const spawned = new Promise<void>((res) => {
    child.once('spawn', () => res());
    child.once('error', () => res());
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        fail(new LiveCaptureError(`tcpdump not found at "${tcpdump}": install tcpdump (Debian: apt install tcpdump) or give its path`, 'tcpdump-not-found'));
      } else if (err.code === 'EACCES') {
        fail(new LiveCaptureError(`cannot run "${tcpdump}": permission denied (is it executable?)`, 'permission-denied'));
      } else {
        fail(new LiveCaptureError(`cannot run "${tcpdump}": ${err.message}`, 'tcpdump-failed'));
      }
      // A spawn failure emits no 'close'.
      res({ code: null, signal: null });
    });
    // 'close' rather than 'exit': it waits until stdout and stderr are drained.
    child.once('close', (code, signal) => res({ code, signal }));
  });

  const done = (async (): Promise<CaptureSummary> => {
    const { code, signal } = await exited;
    if (killTimer !== null) clearTimeout(killTimer);
    if (syncTimer !== null) clearInterval(syncTimer);
    if (out !== null) {
      const fd = out;
      out = null;
      // The fd must stay open until a sync in flight has finished with it.
      if (syncing !== null) await syncing;
      try {
        fsyncSync(fd);
      } catch {
        // A device without fsync (a pipe, some FUSE mounts) still has the bytes written.
      }
      closeSync(fd);
    }
    if (failure !== null) throw failure;
    const ours = stopRequested && (signal === 'SIGINT' || signal === 'SIGKILL' || code === 0);
    if (code !== 0 && !ours) {
      const err = classifyTcpdumpFailure(stderr, opts.iface, code, signal);
      settleReady(err);
      throw err;
    }
    settleReady(null);
    // Stopped before tcpdump wrote even its header: nothing was captured, which is not an error.
    const mark = (s: CaptureSummary): CaptureSummary => (hash === null ? s : { ...s, written: { sha256: hash.digest('hex'), bytes: written } });
    if (received === 0) return mark(emptySummary());
    return mark(parser.end());
  })();
  // Callers may only ever await stop(); an unobserved rejection must not crash the process.
  done.catch(() => undefined);
  ready.catch(() => undefined);

  const stop = async (): Promise<CaptureSummary> => {
    if (!stopRequested) {
      stopRequested = true;
      await spawned;
      if (child.exitCode === null && child.signalCode === null && failure === null) {
        child.kill('SIGINT');
        killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      }
    }
    return done;
  };

  return { done, stop, ready };
}
