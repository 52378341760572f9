import { readCaptureFile, readCaptureStream } from '../capture/reader.js';
import { Engine, type EngineOptions } from './engine.js';
import type { Facts } from './facts.js';
import { writeFactsJson } from './json-out.js';

export interface InspectOptions extends EngineOptions {
  /** Called as the file is read, with bytes read so far and the file's size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/**
 * Decodes a whole capture file into facts. Reading streams through one reused buffer, so memory does not
 * grow with the file; throws CaptureFormatError when the file is not a capture at all.
 */
export function inspectFile(path: string, opts: InspectOptions = {}): Facts {
  const engine = new Engine(opts);
  const summary = readCaptureFile(path, engine, { onProgress: opts.onProgress });
  return engine.finish(summary);
}

/**
 * `inspect --json` for a file: the facts written to `fd` as JSON, the connections streamed from the flow
 * table as they are written, so memory holds no object per connection. Returns the bytes written, and the
 * facts without their connections (counted in `connections`).
 */
export function inspectFileToJson(path: string, fd: number, opts: InspectOptions = {}): { written: number; facts: Facts; connections: number } {
  const engine = new Engine(opts);
  const summary = readCaptureFile(path, engine, { onProgress: opts.onProgress });
  const facts = engine.finish(summary, { connections: false });
  const written = writeFactsJson(fd, facts, engine.facts.connectionFacts());
  return { written, facts, connections: engine.flows.count };
}

/** The same for a stream (standard input, a pipe from tcpdump). */
export async function inspectStream(stream: NodeJS.ReadableStream, opts: EngineOptions = {}): Promise<Facts> {
  const engine = new Engine(opts);
  const summary = await readCaptureStream(stream, engine);
  return engine.finish(summary);
}
