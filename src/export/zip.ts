/**
 * ZIP archives of a check, optionally encrypted with AES-256 (WinZip AE-2: what 7-Zip, WinZip, macOS's
 * Archive Utility through third-party tools, and Windows 11's Explorer open). ZipCrypto, the other
 * zip "encryption", is broken and never used. Entries are streamed: a capture of hundreds of MB is
 * never held in memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { configure, Uint8ArrayReader, ZipWriter } from '@zip.js/zip.js';

// Worker threads buy nothing for one archive at a time and need a worker script on disk.
configure({ useWebWorkers: false });

/** Passphrases shorter than this are refused: the archive may travel on a USB stick that gets lost. */
export const MIN_PASSPHRASE = 8;
export const MAX_PASSPHRASE = 1024;

export class PassphraseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PassphraseError';
  }
}

/** Null when the passphrase is usable, else why not, in words for the person typing it. */
export function passphraseProblem(p: string): string | null {
  if ([...p].length < MIN_PASSPHRASE) return `the passphrase must be at least ${MIN_PASSPHRASE} characters long`;
  if (p.length > MAX_PASSPHRASE) return `the passphrase must be at most ${MAX_PASSPHRASE} characters long`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(p)) return 'the passphrase must not contain control characters (tabs, line breaks)';
  return null;
}

/** `stream`: bytes read as they are made (a report sent from disk), opened when the entry is written. */
export type ZipSource = { kind: 'file'; path: string } | { kind: 'bytes'; data: Uint8Array } | { kind: 'stream'; open: () => Readable };

export interface ZipItem {
  /** The name inside the archive (no folders). */
  name: string;
  source: ZipSource;
  /** Already compressed formats (PDF) are stored, the rest deflated. */
  store?: boolean;
  modified?: Date;
}

export interface ZipOptions {
  /** AES-256 encrypts every entry with it when set. */
  passphrase?: string;
}

export interface ZipWritten {
  bytes: number;
  /** Of the archive's bytes, as written. */
  sha256: string;
}

/** Writes the archive to an open file from its current position. */
export async function writeZip(out: FileHandle, items: readonly ZipItem[], opts: ZipOptions = {}): Promise<ZipWritten> {
  if (opts.passphrase !== undefined) {
    const problem = passphraseProblem(opts.passphrase);
    if (problem) throw new PassphraseError(problem);
  }
  let written = 0;
  const hash = createHash('sha256');
  const sink = new WritableStream<Uint8Array>({
    async write(chunk) {
      let off = 0;
      while (off < chunk.length) {
        const { bytesWritten } = await out.write(chunk, off, chunk.length - off);
        off += bytesWritten;
      }
      written += chunk.length;
      hash.update(chunk);
    },
  });
  const zip = new ZipWriter(sink, {
    ...(opts.passphrase !== undefined ? { password: opts.passphrase, encryptionStrength: 3 as const, zipCrypto: false } : {}),
    keepOrder: true,
  });
  try {
    for (const item of items) {
      const reader =
        item.source.kind === 'bytes'
          ? new Uint8ArrayReader(item.source.data)
          : (Readable.toWeb(item.source.kind === 'file' ? createReadStream(item.source.path) : item.source.open()) as NodeReadableStream<Uint8Array> as unknown as ReadableStream<Uint8Array>);
      await zip.add(item.name, reader, { level: item.store ? 0 : 6, lastModDate: item.modified });
    }
    await zip.close();
  } catch (err) {
    // Leave the sink in a closed state; the caller removes the partial file.
    await sink.abort(err).catch(() => undefined);
    throw err;
  }
  return { bytes: written, sha256: hash.digest('hex') };
}
