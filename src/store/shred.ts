import { randomBytes } from 'node:crypto';
import { lstat, open, readdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Removing a check's files so that its bytes are gone, not only its name: each file is overwritten
 * with zeros and flushed before it is unlinked. On a spinning disk or a file system that writes in
 * place (ext4 without data journalling) the old blocks then hold zeros. On flash (SD cards, USB
 * sticks) wear levelling may keep an old copy in blocks no program can reach; only full-disk
 * encryption covers that (see the README).
 */

const CHUNK = 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

/** Overwrites a regular file with zeros, flushes, and unlinks it. Missing files are fine. */
export async function shredFile(path: string): Promise<void> {
  let st;
  try {
    st = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (st.isFile() && st.size > 0) {
    const fh = await open(path, 'r+');
    try {
      for (let at = 0; at < st.size; at += CHUNK) await fh.write(ZEROS, 0, Math.min(CHUNK, st.size - at), at);
      await fh.datasync();
    } catch (e) {
      // A full disk cannot refuse an overwrite in place, but a file system may (copy-on-write): the
      // unlink below still happens.
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    } finally {
      await fh.close();
    }
  }
  await unlink(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}

/** Shreds every file under `dir`, then removes the folders. */
export async function shredTree(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') return shredFile(dir);
    throw e;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await shredTree(p);
    else if (e.isFile()) await shredFile(p);
    else await rm(p, { force: true });
  }
  await rmdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}

/** Prefix of a folder being shredded: the check is gone from view at once, and a crash mid-way is finished at the next start. */
export const SHREDDING_PREFIX = '.shredding-';

/** Renames `dir` aside (one atomic step), then shreds it. */
export async function shredAside(dir: string): Promise<void> {
  const aside = join(dirname(dir), `${SHREDDING_PREFIX}${randomBytes(8).toString('hex')}`);
  try {
    await rename(dir, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  await shredTree(aside);
}
