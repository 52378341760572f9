/**
 * A full disk is a state a check can be in, not a crash. Three parts: refuse to start what cannot be
 * written (up front, before anything is created); keep a little space in reserve, given back the moment
 * a capture hits a full disk so the check's end and its report can still be written; and warn (doctor,
 * admin status) while there is still room, measured against the largest check kept so far.
 */
import { closeSync, openSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A file of zeros in the data directory, deleted to make room when the disk fills. */
export const RESERVE_FILE = '.space-reserve';
/** Enough for a check's final records in the database and a large report (a report is rarely over 2 MB). */
export const RESERVE_BYTES = 8 * 1024 * 1024;
/**
 * The least free space a check may start with (the reserve not counted): the first minutes of capture,
 * the report and the database's writes. Below it a check would fill the disk almost at once.
 */
export const MIN_FREE_TO_START = 16 * 1024 * 1024;

export class DiskFullError extends Error {
  readonly code = 'disk-full';
  constructor(message: string) {
    super(message);
    this.name = 'DiskFullError';
  }
}

/** ENOSPC or EDQUOT from the file system, SQLITE_FULL from the database. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || err instanceof DiskFullError;
}

/** Bytes an unprivileged writer can still use where `dir` is. */
export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

export function mib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.max(0, Math.floor(bytes / 1024 ** 2))} MiB`;
}

/** Throws DiskFullError when `dir` has less than `needed` plus the minimum to start free. */
export function requireRoom(dir: string, needed = 0, what = 'a check'): void {
  let free: number;
  try {
    free = freeBytes(dir);
  } catch {
    return; // unknown: the writes themselves will tell
  }
  if (free < needed + MIN_FREE_TO_START) {
    throw new DiskFullError(`the disk is full: only ${mib(free)} is free in the data directory, too little for ${what}; delete old checks (admin page) or free some space`);
  }
}

export class SpaceReserve {
  constructor(private readonly dataDir: string) {}

  get path(): string {
    return join(this.dataDir, RESERVE_FILE);
  }

  /** Creates the reserve if it is missing and the disk can spare it; true when it is in place. */
  ensure(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'wx', 0o600);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EEXIST';
    }
    try {
      if (freeBytes(this.dataDir) < RESERVE_BYTES + MIN_FREE_TO_START) throw Object.assign(new Error('no room for the reserve'), { code: 'ENOSPC' });
      // Written, not just sized: a sparse file would reserve nothing.
      const chunk = Buffer.alloc(1024 * 1024);
      for (let at = 0; at < RESERVE_BYTES; at += chunk.length) writeSync(fd, chunk, 0, chunk.length, at);
      closeSync(fd);
      return true;
    } catch {
      closeSync(fd);
      try {
        unlinkSync(this.path);
      } catch {
        /* already gone */
      }
      return false;
    }
  }

  /** Gives the reserve back to the file system; true when there was one. */
  release(): boolean {
    try {
      unlinkSync(this.path);
      return true;
    } catch {
      return false;
    }
  }
}

export interface DiskAdvice {
  level: 'ok' | 'warn' | 'fail';
  message: string;
}

/**
 * Free space against the largest check kept: a check like it must fit, with its report, and then some.
 * Below twice its size (or 2 GiB when there is no check yet) a long check may run out; below the
 * minimum to start, none can run.
 */
export function diskAdvice(free: number, largestCheckBytes: number): DiskAdvice {
  const want = Math.max(2 * 1024 ** 3, 2 * largestCheckBytes);
  if (free < MIN_FREE_TO_START + RESERVE_BYTES) return { level: 'fail', message: `only ${mib(free)} is free: no check can start until old checks are deleted or space is freed` };
  if (free < want) {
    return {
      level: 'warn',
      message:
        largestCheckBytes > 0
          ? `${mib(free)} is free, less than twice the largest check kept (${mib(largestCheckBytes)}): a check as long as that one may fill the disk`
          : `${mib(free)} is free: enough for short checks; long ones may fill the disk`,
    };
  }
  return { level: 'ok', message: `${mib(free)} is free` };
}
