import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a report says about where it came from: the quietcheck that made it and the hash of the file it read. */

let cachedVersion: string | null = null;

/** quietcheck's version from package.json, found by walking up (the same code runs from src/ and dist/src/). */
export function quietcheckVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'quietcheck' && pkg.version) return (cachedVersion = pkg.version);
    }
    const up = dirname(dir);
    if (up === dir) return (cachedVersion = 'unknown');
    dir = up;
  }
}

/** SHA-256 of the file, streamed: captures can be far larger than memory. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
