import { readFileSync } from 'node:fs';

/** The process still runs (a zombie whose parent has not reaped it yet counts as gone). */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return false;
  }
}
