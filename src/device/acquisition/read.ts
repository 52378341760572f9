import { buildDeviceFacts } from '../build-facts.js';
import type { DeviceFacts } from '../facts.js';
import { openAcquisition, type OpenOptions } from './source.js';

/** An AndroidQF acquisition (folder, .zip or age-encrypted .zip) read into device facts. */
export async function readAcquisition(path: string, opts: OpenOptions = {}): Promise<DeviceFacts> {
  return buildDeviceFacts(await openAcquisition(path, opts));
}
