/**
 * `quietcheck serve` settings, from (lowest first) built-in defaults, a YAML file, the environment and
 * command-line flags. The file is `--config FILE`, else `config.yaml` in the data directory if present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resolveDataDir } from '../config/paths.js';
import { isLang, type Lang } from '../report/i18n/index.js';

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
}

export const CONFIG_FILE = 'config.yaml';

export const DEFAULTS: Omit<ServeConfig, 'dataDir'> = {
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
  'allowedHosts', 'sessionHours', 'loginMaxPerMinute', 'lang',
]);

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
  const cfg: ServeConfig = { ...DEFAULTS, allowedHosts: [], dataDir: resolveDataDir(flags.dataDir, env) };
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
  return cfg;
}
