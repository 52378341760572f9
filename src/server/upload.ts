/**
 * A capture uploaded for offline analysis: its first bytes are checked to be pcap or pcapng before
 * anything is created, then it is streamed to disk (never held in memory) and cut off at the size cap.
 */
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';

/** pcap in both byte orders, microsecond and nanosecond. */
const PCAP_LE = ['d4c3b2a1', '4d3cb2a1'];
const PCAP_BE = ['a1b2c3d4', 'a1b23c4d'];
const PCAPNG_SHB = '0a0d0d0a';
/** pcap's global header, and pcapng's block type, length and byte-order magic. */
export const HEAD_BYTES = 24;

/**
 * The first bytes are a capture's: pcap with its magic and version 2.x, or a pcapng Section Header
 * Block with its byte-order magic. A file that merely starts with the four magic bytes is not enough.
 */
export function looksLikeCapture(head: Buffer): boolean {
  if (head.length < 12) return false;
  const magic = head.subarray(0, 4).toString('hex');
  if (magic === PCAPNG_SHB) {
    const bom = head.subarray(8, 12).toString('hex');
    return bom === '1a2b3c4d' || bom === '4d3c2b1a';
  }
  if (head.length < HEAD_BYTES) return false;
  if (PCAP_LE.includes(magic)) return head.readUInt16LE(4) === 2;
  if (PCAP_BE.includes(magic)) return head.readUInt16BE(4) === 2;
  return false;
}

export type UploadOutcome =
  | { ok: true; bytes: number }
  | { ok: false; reason: 'not-a-capture' | 'too-large' | 'empty' | 'aborted' | 'write-failed' | 'disk-full'; message: string };

/**
 * Reads the request body. `open` is called only once the magic matched, and returns the file to write.
 * On failure the caller discards whatever `open` created.
 */
export async function receiveCapture(body: IncomingMessage, maxBytes: number, open: () => string): Promise<UploadOutcome> {
  const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let headLen = 0;
  try {
    while (headLen < HEAD_BYTES) {
      const r = await it.next();
      if (r.done) break;
      head.push(r.value);
      headLen += r.value.length;
    }
  } catch (err) {
    return { ok: false, reason: 'aborted', message: `the upload was interrupted: ${String(err)}` };
  }
  if (headLen === 0) return { ok: false, reason: 'empty', message: 'the upload is empty' };
  const first = Buffer.concat(head);
  if (!looksLikeCapture(first)) {
    return { ok: false, reason: 'not-a-capture', message: 'this file is not a pcap or pcapng capture' };
  }
  if (first.length > maxBytes) return { ok: false, reason: 'too-large', message: `the capture is larger than ${maxBytes} bytes` };

  const out = createWriteStream(open(), { mode: 0o600 });
  let failed: Error | null = null;
  out.on('error', (e) => (failed = e));
  const write = (b: Buffer): Promise<void> =>
    out.write(b)
      ? Promise.resolve()
      : new Promise((res) => {
          const done = (): void => {
            out.off('drain', done);
            out.off('error', done);
            res();
          };
          out.on('drain', done);
          out.on('error', done);
        });
  const close = (): Promise<void> => new Promise((res) => (out.closed ? res() : out.end(() => res())));

  let total = first.length;
  await write(first);
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      total += r.value.length;
      if (total > maxBytes) {
        out.destroy();
        return { ok: false, reason: 'too-large', message: `the capture is larger than ${maxBytes} bytes` };
      }
      await write(r.value);
      if (failed !== null) break;
    }
  } catch (err) {
    out.destroy();
    return { ok: false, reason: 'aborted', message: `the upload was interrupted: ${String(err)}` };
  }
  // A write that failed stopped the reading: that, not the unread rest of the body, is the reason.
  if (failed !== null) {
    out.destroy();
    return writeFailure(failed);
  }
  if (body.readableAborted || !body.complete) {
    out.destroy();
    return { ok: false, reason: 'aborted', message: 'the upload was interrupted' };
  }
  await close();
  if (failed !== null) return writeFailure(failed);
  return { ok: true, bytes: total };
}

function writeFailure(err: Error): UploadOutcome {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return { ok: false, reason: 'disk-full', message: 'the disk is full: the capture cannot be stored; delete old checks (admin page) or free some space' };
  return { ok: false, reason: 'write-failed', message: `cannot store the capture: ${err.message}` };
}
