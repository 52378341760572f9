/**
 * Writing an export to a mounted USB drive, and saying exactly what happened: the file's full path,
 * size and SHA-256, or why nothing was written (no drive, not that drive, read-only, full, refused).
 * The file appears whole or not at all: it is written under a temporary name on the drive, flushed to
 * the device (fsync), renamed into place, and the folder flushed too, so pulling the stick right after
 * the answer does not lose it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreparedExport, ExportEntry, SkippedEntry } from './archive.js';
import { detectDrives, spaceOf, type DetectOptions, type Drive } from './drives.js';

/** Room left on the drive beyond the file: directory entries, FAT clusters. */
const MARGIN = 256 * 1024;
/** FAT32's largest file. */
const FAT_MAX = 4 * 1024 ** 3 - 1;

export type DriveFailure = 'no-drive' | 'not-mounted' | 'read-only' | 'full' | 'too-large-for-drive' | 'permission-denied' | 'write-failed';

export interface DriveWritten {
  ok: true;
  path: string;
  fileName: string;
  mountPoint: string;
  device: string;
  label: string | null;
  bytes: number;
  sha256: string;
  encrypted: boolean;
  /** An earlier export of the same check on this drive was replaced. */
  replaced: boolean;
  entries: ExportEntry[];
  skipped: SkippedEntry[];
  freeBytesAfter: number | null;
  message: string;
}

export interface DriveNotWritten {
  ok: false;
  reason: DriveFailure;
  message: string;
  mountPoint: string;
  /** The archive's size, when it was built. */
  needBytes?: number;
  freeBytes?: number | null;
  /** What is mounted instead, to choose from. */
  drives?: string[];
}

export type DriveResult = DriveWritten | DriveNotWritten;

function mib(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

function describe(d: Drive): string {
  return d.label ? `"${d.label}" (${d.mountPoint})` : d.mountPoint;
}

/** Finds the drive by mount point and tells why it cannot take `bytes`, or returns it. */
export function pickDrive(mountPoint: string, bytes: number | null, opts: DetectOptions = {}): Drive | DriveNotWritten {
  const drives = detectDrives(opts);
  if (drives.length === 0) {
    return { ok: false, reason: 'no-drive', mountPoint, message: 'no USB drive is mounted: plug one in, wait until it is opened on the screen, then try again' };
  }
  const d = drives.find((x) => x.mountPoint === mountPoint);
  if (d === undefined) {
    return {
      ok: false,
      reason: 'not-mounted',
      mountPoint,
      drives: drives.map((x) => x.mountPoint),
      message: `no USB drive is mounted at ${mountPoint} (mounted: ${drives.map(describe).join(', ')})`,
    };
  }
  if (d.readOnly) {
    return { ok: false, reason: 'read-only', mountPoint, message: `the drive ${describe(d)} is read-only: check its write-protect switch, or it may need repairing on a computer` };
  }
  if (bytes !== null && (d.fsType === 'vfat' || d.fsType === 'msdos') && bytes > FAT_MAX) {
    return { ok: false, reason: 'too-large-for-drive', mountPoint, needBytes: bytes, freeBytes: d.freeBytes, message: `the archive (${mib(bytes)}) is larger than the 4 GiB a FAT32 drive can hold in one file: use an exFAT or NTFS drive` };
  }
  if (bytes !== null && d.freeBytes !== null && d.freeBytes < bytes + MARGIN) {
    return { ok: false, reason: 'full', mountPoint, needBytes: bytes, freeBytes: d.freeBytes, message: `the drive ${describe(d)} is too full: the archive needs ${mib(bytes)}, ${mib(d.freeBytes)} is free` };
  }
  return d;
}

function failureOf(err: unknown, d: Drive, bytes: number): DriveNotWritten {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const msg = err instanceof Error ? err.message : String(err);
  const base = { ok: false as const, mountPoint: d.mountPoint, needBytes: bytes, freeBytes: spaceOf(d.mountPoint)?.free ?? null };
  if (code === 'ENOSPC' || code === 'EDQUOT') return { ...base, reason: 'full', message: `the drive ${describe(d)} filled up while writing: nothing was left on it` };
  if (code === 'EFBIG') return { ...base, reason: 'too-large-for-drive', message: `the drive's file system cannot hold a file of ${mib(bytes)}` };
  if (code === 'EROFS') return { ...base, reason: 'read-only', message: `the drive ${describe(d)} turned read-only (often a failing or write-protected stick): nothing was written` };
  if (code === 'EACCES' || code === 'EPERM') {
    return { ...base, reason: 'permission-denied', message: `quietcheck may not write to ${d.mountPoint} (${code}): mount the drive so that the quietcheck user can write to it` };
  }
  return { ...base, reason: 'write-failed', message: `writing to ${describe(d)} failed (${code || msg}); was the drive pulled out? Nothing was left on it` };
}

/** Copies a prepared export onto the drive mounted at `mountPoint`. Never throws for drive problems. */
export async function writeToDrive(prep: PreparedExport, mountPoint: string, opts: DetectOptions = {}): Promise<DriveResult> {
  const picked = pickDrive(mountPoint, prep.bytes, opts);
  if ('ok' in picked) return picked;
  const d = picked;
  const target = join(d.mountPoint, prep.fileName);
  const tmp = join(d.mountPoint, `.quietcheck-${randomBytes(6).toString('hex')}.tmp`);
  const replaced = existsSync(target);
  const hash = createHash('sha256');
  let copied = 0;
  let fh;
  try {
    fh = await open(tmp, 'wx', 0o600);
    const src = await open(prep.path, 'r');
    try {
      const buf = Buffer.allocUnsafe(1024 * 1024);
      for (;;) {
        const { bytesRead } = await src.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        let off = 0;
        while (off < bytesRead) {
          const { bytesWritten } = await fh.write(buf, off, bytesRead - off);
          off += bytesWritten;
        }
        hash.update(buf.subarray(0, bytesRead));
        copied += bytesRead;
      }
    } finally {
      await src.close();
    }
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, target);
    // The rename lives in the folder: flush it too, or a pulled stick can forget the new name.
    const dir = await open(d.mountPoint, 'r');
    try {
      await dir.sync();
    } catch {
      /* some file systems cannot sync a folder; the data itself is on the device */
    } finally {
      await dir.close();
    }
  } catch (err) {
    if (fh !== undefined) await fh.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    return failureOf(err, d, prep.bytes);
  }
  const sha256 = hash.digest('hex');
  const onDisk = await stat(target);
  if (copied !== prep.bytes || onDisk.size !== prep.bytes || sha256 !== prep.sha256) {
    await rm(target, { force: true }).catch(() => undefined);
    return { ok: false, reason: 'write-failed', mountPoint: d.mountPoint, needBytes: prep.bytes, message: `the copy on ${describe(d)} did not match the archive (${onDisk.size} of ${prep.bytes} bytes): it was removed` };
  }
  const free = spaceOf(d.mountPoint)?.free ?? null;
  return {
    ok: true,
    path: target,
    fileName: prep.fileName,
    mountPoint: d.mountPoint,
    device: d.device,
    label: d.label,
    bytes: prep.bytes,
    sha256,
    encrypted: prep.encrypted,
    replaced,
    entries: prep.entries,
    skipped: prep.skipped,
    freeBytesAfter: free,
    message: `wrote ${prep.fileName} (${mib(prep.bytes)}${prep.encrypted ? ', AES-256 encrypted' : ''}) to ${describe(d)}${replaced ? ', replacing an earlier export of this check' : ''}; it is safe to remove the drive once the desktop says so`,
  };
}
