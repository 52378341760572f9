import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_DETECTION_CONFIG, mergeConfig } from './config.js';
import type { DetectionConfig } from './types.js';

/** The file in the data directory that overrides detection settings, when present. */
export const DETECTION_FILE = 'detection.yaml';

export class DetectionConfigError extends Error {
  override name = 'DetectionConfigError';
}

export type RuleFamily = 'IOC' | 'PROTO' | 'SSL' | 'BEH' | 'ADV';

export interface RuleInfo {
  id: string;
  family: RuleFamily;
}

/**
 * Every rule id the detectors can emit (the table in ./index.ts). `disabled` is checked against it:
 * a misspelt id would otherwise leave the rule silently on. The family is the id's prefix, which is
 * how TinyCheck groups them too.
 */
export const DETECTION_RULES: readonly RuleInfo[] = (
  [
    'IOC-01', 'IOC-02', 'IOC-03', 'IOC-04', 'IOC-05', 'IOC-06', 'IOC-07', 'IOC-08', 'IOC-09', 'IOC-10', 'IOC-11', 'IOC-12', 'IOC-13',
    'IOC-SNI', 'IOC-QUIC-SNI', 'IOC-CNAME', 'IOC-JA3', 'IOC-JA4', 'IOC-WEBSITE', 'IOC-URL', 'IOC-NS', 'IOC-PAYLOAD', 'IOC-APP',
    'PROTO-01', 'PROTO-02', 'PROTO-03', 'PROTO-04', 'PROTO-05',
    'SSL-01', 'SSL-02', 'SSL-03', 'SSL-04', 'SSL-EXPIRED', 'SSL-NOT-YET-VALID', 'SSL-NAME-MISMATCH',
    'BEH-BEACON', 'BEH-UPLOAD', 'BEH-DOT', 'BEH-DOH', 'BEH-DEVICE-NAME', 'BEH-HOTSPOT-NAME', 'BEH-VPN', 'BEH-TOR',
    'ADV-01',
  ] as const
).map((id) => ({ id, family: id.slice(0, id.indexOf('-')) as RuleFamily }));

const RULE_IDS = new Set(DETECTION_RULES.map((r) => r.id));

export function isRuleId(id: string): boolean {
  return RULE_IDS.has(id);
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
  return checkDetectionSettings(doc, where);
}

/**
 * The checks of parseDetectionConfig on an already parsed value (a YAML document, or a JSON body from
 * the admin API), so both refuse exactly the same settings with the same words.
 */
export function checkDetectionSettings(doc: unknown, where: string): Partial<DetectionConfig> {
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
    if (key === 'disabled') {
      const unknown = (value as string[]).filter((id) => !isRuleId(id));
      if (unknown.length > 0) {
        throw new DetectionConfigError(`${where}: "disabled" names unknown rule ids: ${unknown.join(', ')} (known: ${DETECTION_RULES.map((r) => r.id).join(', ')})`);
      }
    }
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

/** The detection settings in force for a server, with why they are the defaults when the file is broken. */
export interface DetectionState {
  /** The defaults with the file's overrides merged over them. */
  config: DetectionConfig;
  /** What the file sets (empty without a file, or when it is broken). */
  overrides: Partial<DetectionConfig>;
  /** Why the file could not be used; the defaults are in force meanwhile. */
  error: string | null;
}

/**
 * The data directory's detection.yaml as `quietcheck serve` uses it. Read again when the file changed
 * (its mtime, size or inode), so an admin's edit applies to the next analysis without a restart and
 * without reading the file for each one. A broken file never fails a check: the defaults apply, the
 * error is logged once per version of the file and shown to the admin.
 */
export class DetectionSettings {
  private cache: { key: string; state: DetectionState } | null = null;

  constructor(
    readonly dataDir: string,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  get path(): string {
    return join(this.dataDir, DETECTION_FILE);
  }

  current(): DetectionState {
    let key: string;
    try {
      const st = statSync(this.path, { bigint: true });
      key = `${st.ino}:${st.size}:${st.mtimeNs}`;
    } catch (err) {
      key = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : `stat-failed:${(err as NodeJS.ErrnoException).code ?? ''}`;
    }
    if (this.cache !== null && this.cache.key === key) return this.cache.state;
    const state = this.read(key);
    this.cache = { key, state };
    return state;
  }

  private read(key: string): DetectionState {
    if (key === 'absent') return { config: mergeConfig(), overrides: {}, error: null };
    try {
      const overrides = loadOverrides(this.path);
      return { config: mergeConfig(overrides), overrides, error: null };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.log(`detection settings: ${error}; checks use the default detection settings until the file is fixed`);
      return { config: mergeConfig(), overrides: {}, error };
    }
  }

  /**
   * Replaces the file with `overrides` (already checked with checkDetectionSettings), or removes it when
   * there are none. Written aside and renamed: an analysis reading it meanwhile sees the old file or the
   * new one, never half of it.
   */
  write(overrides: Partial<DetectionConfig>): DetectionState {
    const keys = Object.keys(overrides).filter((k) => (overrides as Record<string, unknown>)[k] !== undefined);
    if (keys.length === 0) {
      rmSync(this.path, { force: true });
    } else {
      const clean = Object.fromEntries(keys.map((k) => [k, (overrides as Record<string, unknown>)[k]]));
      const text =
        '# Detection settings of quietcheck, merged over the built-in defaults (written by the admin page).\n' +
        '# Every key is one of the settings of `quietcheck analyze --rules`; anything left out keeps its default.\n' +
        stringify(clean, { lineWidth: 0 });
      const tmp = join(this.dataDir, `.${DETECTION_FILE}.${randomBytes(6).toString('hex')}.tmp`);
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } catch (err) {
        closeSync(fd);
        rmSync(tmp, { force: true });
        throw err;
      }
      closeSync(fd);
      try {
        renameSync(tmp, this.path);
      } catch (err) {
        rmSync(tmp, { force: true });
        throw err;
      }
    }
    // Written within the same clock tick and at the same size, the new file could look unchanged.
    this.cache = null;
    return this.current();
  }
}

function loadOverrides(path: string): Partial<DetectionConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DetectionConfigError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseDetectionConfig(text, path);
}
