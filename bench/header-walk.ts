/**
 * The floor: what reading the file costs with no decoding at all. The whole file is read (not seeked
 * over), through one reused buffer of the size the capture reader uses, and only pcapng block
 * headers are looked at. Anything quietcheck does beyond this is decoding.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CHUNK_SIZE } from '../src/capture/reader.js';

const SHB_TYPE = 0x0a0d0d0a;
const BOM = 0x1a2b3c4d;

export interface HeaderWalk {
  seconds: number;
  bytes: number;
  blocks: number;
}

export function headerWalk(path: string, chunkSize = DEFAULT_CHUNK_SIZE): HeaderWalk {
  const t0 = process.hrtime.bigint();
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(chunkSize);
  let blocks = 0;
  let bytes = 0;
  try {
    let le = true;
    // buf[0, have) holds unread file bytes; the next block header is at buf offset p, which may lie
    // beyond `have` when a block's body runs past what has been read.
    let have = 0;
    let p = 0;
    for (;;) {
      const n = readSync(fd, buf, have, buf.length - have, null);
      if (n === 0) break;
      have += n;
      bytes += n;
      // 12 bytes: an SHB's byte-order magic must be seen before its length can be read.
      while (p + 12 <= have) {
        if (buf.readUInt32LE(p) === SHB_TYPE) le = buf.readUInt32LE(p + 8) === BOM;
        const len = le ? buf.readUInt32LE(p + 4) : buf.readUInt32BE(p + 4);
        if (len < 12) throw new Error(`bad block length ${len}`);
        blocks++;
        p += len;
      }
      if (p < have) {
        // A header split by the end of the chunk: keep its first bytes.
        buf.copyWithin(0, p, have);
        have -= p;
        p = 0;
      } else {
        p -= have;
        have = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, bytes, blocks };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = process.argv[2];
  if (path === undefined) {
    console.error('usage: header-walk FILE [--json]');
    process.exit(2);
  }
  const r = headerWalk(path);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ ...r, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  } else {
    console.log(`${r.blocks} blocks, ${(r.bytes / 1e9).toFixed(2)} GB in ${r.seconds.toFixed(3)} s: ${(r.bytes / r.seconds / 1e9).toFixed(2)} GB/s`);
  }
}
