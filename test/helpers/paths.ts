import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the nearest folder above this file holding package.json (works from src and dist). */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot();
/** Public captures and indicator feeds shared with the project, never committed into it. */
export const SHARED = resolve(ROOT, '..', 'shared', 'data');
export const PCAPS = join(SHARED, 'pcaps');
export const INDICATORS = join(SHARED, 'indicators');
export const pcap = (name: string): string => join(PCAPS, name);
/** Real Android dumps and AndroidQF acquisitions (see SOURCES.md there). */
export const ANDROID = join(SHARED, 'android');
export const android = (...parts: string[]): string => join(ANDROID, ...parts);
