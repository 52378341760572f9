/**
 * `quietcheck serve` settings, from (lowest first) built-in defaults, a YAML file, the environment and
 * command-line flags. The file is `--config FILE`, else `config.yaml` in the data directory if present.
 *
 * The hotspot's settings (`hotspot:` in the file, QUIETCHECK_HOTSPOT_* in the environment, --hotspot-*
 * flags) are layers under and over what the admin saves at run time: defaults < file < environment <
 * admin's saved values < flags (see src/hotspot/settings.ts). They are checked here with the same rules
 * as the admin API (hotspotSettingsProblem), so a bad value stops serve at start with where it came from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resolveDataDir } from '../config/paths.js';
import { isLang, type Lang } from '../i18n/index.js';
import {
  DEFAULT_HOTSPOT, hotspotSettingsProblem, type HotspotConfigLayers, type HotspotKey, type HotspotSettings, type HotspotSource,
} from '../hotspot/settings.js';

export interface ServeConfig {
  host: string;
  port: number;
  dataDir: string;
  /** The interface a check captures on when the request names none. */
  interface: string | null;
  tcpdumpPath: string | undefined;
  maxUploadBytes: number;
  /** Checks older than this many days are deleted; 0 keeps them. The admin can change it at run time. */
  retentionDays: number;
  /** Kiosk actions from other machines; off: the kiosk is the screen of the machine running quietcheck. */
  allowRemoteKiosk: boolean;
  /** Admin actions from other machines, still behind the password. */
  allowRemoteAdmin: boolean;
  /** Extra names the Host header may carry (the machine's LAN name when remote access is on). */
  allowedHosts: string[];
  sessionHours: number;
  loginMaxPerMinute: number;
  lang: Lang;
  /** The hotspot's settings from the file and environment (base) and flags (pinned); always set by loadServeConfig. */
  hotspot?: HotspotConfigLayers;
}

export const CONFIG_FILE = 'config.yaml';

export const DEFAULTS: Omit<ServeConfig, 'dataDir' | 'hotspot'> = {
  host: '127.0.0.1',
  port: 8080,
  interface: null,
  tcpdumpPath: undefined,
  maxUploadBytes: 512 * 1024 * 1024,
  retentionDays: 30,
  allowRemoteKiosk: false,
  allowRemoteAdmin: false,
  allowedHosts: [],
  sessionHours: 12,
  loginMaxPerMinute: 5,
  lang: 'en',
};

export class ServeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServeConfigError';
  }
}

export interface ServeFlags {
  config?: string;
  host?: string;
  port?: string | number;
  dataDir?: string;
  interface?: string;
  tcpdump?: string;
  maxUploadMb?: string | number;
  retentionDays?: string | number;
  allowRemoteKiosk?: boolean;
  allowRemoteAdmin?: boolean;
  allowedHost?: string[];
  lang?: string;
  /** No --hotspot-password: a secret on a command line is visible to every user (ps). */
  hotspotInterface?: string;
  hotspotMode?: string;
  hotspotUplink?: string;
  hotspotBackend?: string;
  hotspotAddress?: string;
  hotspotPrefix?: string | number;
  hotspotChannel?: string | number;
  hotspotCountry?: string;
  hotspotSsid?: string;
  hotspotDns?: string;
}

type Raw = Record<string, unknown>;

function int(v: unknown, what: string, min: number, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new ServeConfigError(`${what} must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`);
  return n;
}

function bool(v: unknown, what: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(1|true|yes|on)$/i.test(v)) return true;
  if (typeof v === 'string' && /^(0|false|no|off)$/i.test(v)) return false;
  throw new ServeConfigError(`${what} must be true or false, not ${JSON.stringify(v)}`);
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new ServeConfigError(`${what} must be a non-empty string`);
  return v.trim();
}

const KEYS = new Set([
  'host', 'port', 'dataDir', 'interface', 'tcpdumpPath', 'maxUploadMb', 'retentionDays', 'allowRemoteKiosk', 'allowRemoteAdmin',
  'allowedHosts', 'sessionHours', 'loginMaxPerMinute', 'lang', 'hotspot',
]);

/** The hotspot keys as written in config.yaml (and after QUIETCHECK_HOTSPOT_ / --hotspot-), and the setting each one sets. */
export const HOTSPOT_CONFIG_KEYS: Record<string, HotspotKey> = {
  interface: 'iface', mode: 'mode', uplink: 'uplink', backend: 'backend', address: 'address', prefix: 'prefix', channel: 'channel',
  country: 'country', ssid: 'ssid', password: 'password', dns: 'dns',
};

/** Words that mean "none": a random name or password for each check, the default route's interface as uplink. */
const NONE_WORDS: Partial<Record<HotspotKey, RegExp>> = { ssid: /^random$/i, password: /^random$/i, uplink: /^(auto|default)$/i };

function hotspotValue(k: HotspotKey, v: unknown, what: string): HotspotSettings[HotspotKey] {
  if (v === null) {
    if (k === 'iface' || k === 'uplink' || k === 'ssid' || k === 'password') return null;
    if (k === 'dns') return [];
    throw new ServeConfigError(`${what} cannot be empty`);
  }
  switch (k) {
    case 'prefix':
    case 'channel':
      // The range is the admin API's rule (hotspotSettingsProblem), checked on the whole afterwards.
      return int(v, what, 0, 1_000_000);
    case 'dns': {
      const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter((x) => x !== '') : null;
      if (list === null) throw new ServeConfigError(`${what} must be a list of IP addresses (or one comma-separated string)`);
      return list.map((x) => str(x, what));
    }
    case 'ssid':
    case 'password':
      // Spaces are part of a network name or password: not trimmed.
      if (typeof v !== 'string' || v === '') throw new ServeConfigError(`${what} must be a non-empty string (or "random")`);
      return NONE_WORDS[k]!.test(v) ? null : v;
    case 'mode': {
      const m = str(v, what).toLowerCase();
      // "online" is what the kiosk calls the hotspot mode.
      return m === 'online' ? 'hotspot' : m;
    }
    default: {
      if (typeof v === 'number' && k === 'country') throw new ServeConfigError(`${what} must be a two-letter country code`);
      const t = str(v, what);
      return NONE_WORDS[k]?.test(t) ? null : t;
    }
  }
}

function applyHotspot(cfg: ServeConfig, raw: Raw, where: string, source: HotspotSource): void {
  const hs = (cfg.hotspot ??= { base: {}, pinned: {}, sources: {} });
  const layer = source === 'command line' ? hs.pinned : hs.base;
  for (const [name, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    const k = HOTSPOT_CONFIG_KEYS[name];
    if (k === undefined) throw new ServeConfigError(`${where}: unknown hotspot setting "${name}" (known: ${Object.keys(HOTSPOT_CONFIG_KEYS).join(', ')})`);
    if (k === 'address' && typeof v === 'string' && v.includes('/')) {
      const [a, p] = v.split('/');
      (layer as Record<string, unknown>).address = str(a, `${where}: hotspot ${name}`);
      (layer as Record<string, unknown>).prefix = int(p, `${where}: hotspot ${name}'s prefix`, 0, 32);
      hs.sources.address = hs.sources.prefix = source;
      continue;
    }
    (layer as Record<string, unknown>)[k] = hotspotValue(k, v, `${where}: hotspot ${name}`);
    hs.sources[k] = source;
  }
  // The same rules as the admin API, on what is configured so far.
  const problem = hotspotSettingsProblem({ ...DEFAULT_HOTSPOT, ...hs.base, ...hs.pinned });
  if (problem !== null) throw new ServeConfigError(`${where}: hotspot: ${problem}`);
}

function apply(cfg: ServeConfig, raw: Raw, where: string): void {
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined || v === null) continue;
    if (!KEYS.has(k)) throw new ServeConfigError(`${where}: unknown setting "${k}"`);
    const what = `${where}: ${k}`;
    switch (k) {
      case 'host': cfg.host = str(v, what); break;
      case 'port': cfg.port = int(v, what, 0, 65535); break;
      case 'dataDir': cfg.dataDir = resolveDataDir(str(v, what)); break;
      case 'interface': cfg.interface = str(v, what); break;
      case 'tcpdumpPath': cfg.tcpdumpPath = str(v, what); break;
      case 'maxUploadMb': cfg.maxUploadBytes = int(v, what, 1, 1_000_000) * 1024 * 1024; break;
      case 'retentionDays': cfg.retentionDays = int(v, what, 0, 36_500); break;
      case 'allowRemoteKiosk': cfg.allowRemoteKiosk = bool(v, what); break;
      case 'allowRemoteAdmin': cfg.allowRemoteAdmin = bool(v, what); break;
      case 'allowedHosts':
        if (!Array.isArray(v)) throw new ServeConfigError(`${what} must be a list`);
        cfg.allowedHosts = v.map((h) => str(h, what).toLowerCase());
        break;
      case 'sessionHours': cfg.sessionHours = int(v, what, 1, 24 * 30); break;
      case 'loginMaxPerMinute': cfg.loginMaxPerMinute = int(v, what, 1, 1000); break;
      case 'lang': {
        const l = str(v, what);
        if (!isLang(l)) throw new ServeConfigError(`${what}: unknown language ${l}`);
        cfg.lang = l;
        break;
      }
      case 'hotspot':
        if (typeof v !== 'object' || Array.isArray(v)) throw new ServeConfigError(`${what} must be a mapping of hotspot settings (interface: wlan0, …)`);
        applyHotspot(cfg, v as Raw, where, 'config file');
        break;
    }
  }
}

const ENV: Record<string, string> = {
  QUIETCHECK_HOST: 'host',
  QUIETCHECK_PORT: 'port',
  QUIETCHECK_INTERFACE: 'interface',
  QUIETCHECK_TCPDUMP: 'tcpdumpPath',
  QUIETCHECK_MAX_UPLOAD_MB: 'maxUploadMb',
  QUIETCHECK_RETENTION_DAYS: 'retentionDays',
  QUIETCHECK_ALLOW_REMOTE_KIOSK: 'allowRemoteKiosk',
  QUIETCHECK_ALLOW_REMOTE_ADMIN: 'allowRemoteAdmin',
  QUIETCHECK_LANG: 'lang',
};

export function loadServeConfig(flags: ServeFlags, env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const cfg: ServeConfig = { ...DEFAULTS, allowedHosts: [], dataDir: resolveDataDir(flags.dataDir, env), hotspot: { base: {}, pinned: {}, sources: {} } };
  const file = flags.config ?? join(cfg.dataDir, CONFIG_FILE);
  if (flags.config !== undefined || existsSync(file)) {
    let doc: unknown;
    try {
      doc = parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ServeConfigError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (doc !== null && doc !== undefined) {
      if (typeof doc !== 'object' || Array.isArray(doc)) throw new ServeConfigError(`${file}: expected settings as "key: value" lines`);
      apply(cfg, doc as Raw, file);
    }
  }
  // The data directory's own precedence (flag, then environment) beats a file that names one.
  if (flags.dataDir !== undefined || env.QUIETCHECK_DATA_DIR) cfg.dataDir = resolveDataDir(flags.dataDir, env);
  const fromEnv: Raw = {};
  for (const [name, key] of Object.entries(ENV)) if (env[name] !== undefined && env[name] !== '') fromEnv[key] = env[name];
  apply(cfg, fromEnv, 'environment');
  const hotspotEnv: Raw = {};
  for (const name of Object.keys(HOTSPOT_CONFIG_KEYS)) {
    const v = env[`QUIETCHECK_HOTSPOT_${name.toUpperCase()}`];
    if (v !== undefined && v !== '') hotspotEnv[name] = v;
  }
  applyHotspot(cfg, hotspotEnv, 'environment', 'environment');
  apply(
    cfg,
    {
      host: flags.host,
      port: flags.port,
      interface: flags.interface,
      tcpdumpPath: flags.tcpdump,
      maxUploadMb: flags.maxUploadMb,
      retentionDays: flags.retentionDays,
      allowRemoteKiosk: flags.allowRemoteKiosk,
      allowRemoteAdmin: flags.allowRemoteAdmin,
      allowedHosts: flags.allowedHost,
      lang: flags.lang,
    },
    'command line',
  );
  applyHotspot(
    cfg,
    {
      interface: flags.hotspotInterface,
      mode: flags.hotspotMode,
      uplink: flags.hotspotUplink,
      backend: flags.hotspotBackend,
      address: flags.hotspotAddress,
      prefix: flags.hotspotPrefix,
      channel: flags.hotspotChannel,
      country: flags.hotspotCountry,
      ssid: flags.hotspotSsid,
      dns: flags.hotspotDns,
    },
    'command line',
    'command line',
  );
  return cfg;
}
