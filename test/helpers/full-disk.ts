import { closeSync, openSync, writeSync } from 'node:fs';

/** Writes zeros into `file` until the file system refuses: the disk is then full to the last block. */
export function fillDisk(file: string): void {
  const fd = openSync(file, 'a');
  try {
    for (const size of [1024 * 1024, 64 * 1024, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw e;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}
