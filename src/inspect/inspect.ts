import { readCaptureFile, readCaptureStream } from '../capture/reader.js';
import { Engine, type EngineOptions } from './engine.js';
import type { Facts } from './facts.js';

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

/** The same for a stream (standard input, a pipe from tcpdump). */
export async function inspectStream(stream: NodeJS.ReadableStream, opts: EngineOptions = {}): Promise<Facts> {
  const engine = new Engine(opts);
  const summary = await readCaptureStream(stream, engine);
  return engine.finish(summary);
}
