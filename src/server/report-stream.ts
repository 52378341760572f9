/**
 * The JSON report of a very large check, sent from the files its analysis was stored in (see
 * ../checks/stored-analysis.ts) rather than built in memory: the frame (verdict, feeds, help, meta) is
 * rendered from the shortened copy, each finding is read from its line, worded in the language asked
 * for and printed, and the facts are copied as they are. The bytes are those of `renderJson` of the
 * whole analysis; what is held at any time is one finding and one read buffer per reader.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Finding } from '../detect/types.js';
import { findingText, jsonReportFrame, toJsonFinding } from '../report/json.js';
import type { Analysis } from '../analysis/types.js';
import type { Lang } from '../i18n/index.js';

/** A report sent from disk: opened once per reader, never held whole. */
export interface StreamedReport {
  etag: string;
  /** Bytes held (the frame). */
  bytes(): number;
  /** The body, gzip-compressed or not. */
  open(gzip: boolean): Readable;
}

/** Findings of a stored analysis, read one line at a time. */
export async function* storedFindings(a: Analysis): AsyncGenerator<Finding> {
  const d = a.digest;
  if (d?.dir === undefined) throw new Error('this analysis is not stored in parts');
  const lines = createInterface({ input: createReadStream(join(d.dir, d.files.findings.name)), crlfDelay: Infinity });
  for await (const line of lines) if (line.length > 0) yield JSON.parse(line) as Finding;
}

/** Every finding of a stored analysis (the combined report needs them all). */
export async function allStoredFindings(a: Analysis): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const f of storedFindings(a)) out.push(f);
  return out;
}

/** Text gathered before it is passed on: few, large chunks for the socket and the compressor. */
const CHUNK = 256 * 1024;

/** The JSON report of `a` in `lang`, a shortened analysis whose parts are in `a.digest.dir`. */
export function streamedJsonReport(a: Analysis, lang: Lang, help?: { contact: string; helplines: string[] }): StreamedReport {
  const d = a.digest;
  if (d?.dir === undefined) throw new Error('this analysis is not stored in parts');
  const dir = d.dir;
  const frame = jsonReportFrame(a, lang, help);
  const etag = `"${createHash('sha256')
    .update(frame.before)
    .update('\u0000')
    .update(frame.between)
    .update('\u0000')
    .update(frame.after)
    .update(`\u0000${d.files.findings.sha256}\u0000${d.files.facts.sha256}`)
    .digest('base64url')
    .slice(0, 22)}"`;
  const feedDates = new Map(a.feeds.map((f) => [f.name, f.date]));
  async function* body(): AsyncGenerator<Buffer> {
    yield Buffer.from(frame.before, 'utf8');
    if (d!.files.findings.count === 0) {
      yield Buffer.from('[]', 'utf8');
    } else {
      let text = '[\n';
      let first = true;
      for await (const f of storedFindings(a)) {
        text += `${first ? '' : ',\n'}    ${findingText(toJsonFinding(lang, f, feedDates))}`;
        first = false;
        if (text.length >= CHUNK) {
          yield Buffer.from(text, 'utf8');
          text = '';
        }
      }
      yield Buffer.from(`${text}\n  ]`, 'utf8');
    }
    yield Buffer.from(frame.between, 'utf8');
    for await (const chunk of createReadStream(join(dir, d!.files.facts.name), { highWaterMark: CHUNK })) yield chunk as Buffer;
    yield Buffer.from(frame.after, 'utf8');
  }
  return {
    etag,
    bytes: () => Buffer.byteLength(frame.before) + Buffer.byteLength(frame.between) + Buffer.byteLength(frame.after),
    open(gzip: boolean): Readable {
      const plain = Readable.from(body(), { objectMode: false });
      if (!gzip) return plain;
      // Compressed as it is read, in libuv's thread pool; a middle level, as the whole is compressed per reader.
      const z = createGzip({ level: 6 });
      plain.on('error', (e) => z.destroy(e));
      return plain.pipe(z);
    },
  };
}
