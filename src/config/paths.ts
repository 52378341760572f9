import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * Where quietcheck keeps its database: `--data-dir`, else QUIETCHECK_DATA_DIR, else the platform
 * default. Separate directories never share state, which is what lets tests and several installs
 * (one per helpline worker) run side by side.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'quietcheck');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'quietcheck');
  const xdg = env.XDG_DATA_HOME;
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'share'), 'quietcheck');
}

export function resolveDataDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (option) return resolve(option);
  if (env.QUIETCHECK_DATA_DIR) return resolve(env.QUIETCHECK_DATA_DIR);
  return defaultDataDir(env);
}

/**
 * Creates the directory owner-only (0700): what a phone talked to is sensitive, and helplines share
 * computers. A directory that already exists keeps its mode: the user chose it, and tightening an
 * arbitrary `--data-dir` (their home, a shared folder) behind their back would surprise them.
 */
export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  return dir;
}
