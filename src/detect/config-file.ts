import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_DETECTION_CONFIG, mergeConfig } from './config.js';
import type { DetectionConfig } from './types.js';

/** The file in the data directory that overrides detection settings, when present. */
export const DETECTION_FILE = 'detection.yaml';

export class DetectionConfigError extends Error {
  override name = 'DetectionConfigError';
}

/**
 * Reads detection settings (rule switches and thresholds) from YAML. Every key must be one of
 * DetectionConfig's and have the default's type: a typo must fail loudly, not silently leave a rule on.
 *
 * ```yaml
 * disabled: [PROTO-03, SSL-02]
 * freeIssuers: [Let's Encrypt, ZeroSSL]
 * beaconMinContacts: 6
 * hotspotName: Cafe-Guest
 * ```
 */
export function parseDetectionConfig(text: string, where: string): Partial<DetectionConfig> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new DetectionConfigError(`${where}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new DetectionConfigError(`${where}: expected a mapping of settings`);
  const defaults = DEFAULT_DETECTION_CONFIG as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (!(key in defaults)) {
      throw new DetectionConfigError(`${where}: unknown setting "${key}" (known: ${Object.keys(defaults).sort().join(', ')})`);
    }
    const def = defaults[key];
    // Empty default lists (disabled, allowNames) hold names.
    const elem = Array.isArray(def) && def.length > 0 ? typeof def[0] : 'string';
    const ok =
      Array.isArray(def) ? Array.isArray(value) && value.every((v) => typeof v === elem)
      : def === null ? value === null || typeof value === 'string'
      : typeof value === typeof def && (typeof value !== 'number' || Number.isFinite(value));
    if (!ok) throw new DetectionConfigError(`${where}: "${key}" must be ${describe(def)}`);
    out[key] = value;
  }
  return out as Partial<DetectionConfig>;
}

/** Settings from `file` if given, else from the data directory's detection.yaml if there is one, merged over the defaults. */
export function loadDetectionConfig(file: string | undefined, dataDir: string | null): DetectionConfig {
  const path = file ?? (dataDir !== null ? join(dataDir, DETECTION_FILE) : null);
  if (path === null || (file === undefined && !existsSync(path))) return mergeConfig();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DetectionConfigError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return mergeConfig(parseDetectionConfig(text, path));
}

function describe(def: unknown): string {
  if (Array.isArray(def)) return `a list of ${def.length > 0 ? typeof def[0] : 'string'}s`;
  if (def === null) return 'a text or null';
  return `a ${typeof def}`;
}
