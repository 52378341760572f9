/**
 * The kiosk's Chromium as deploy/kiosk.sh starts it, for tests: the flags are read from the script
 * itself (so a test checks what is deployed, not a copy), and a browser with exactly those flags is
 * started inside a network namespace and driven by playwright-core.
 *
 * Playwright adds some forty switches of its own, several of which silence Chromium's background
 * networking (--disable-background-networking, --disable-component-update, --disable-features=
 * OptimizationHints,…). Left in, they would hide exactly what a test of the kiosk's network silence
 * looks for, so the wrapper drops everything Playwright passes except what it needs to drive the
 * browser (the debugging pipe, the profile, headless) and adds the kiosk's flags instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT } from './paths.js';

export const KIOSK_SCRIPT = join(ROOT, 'deploy', 'kiosk.sh');

/**
 * The flags deploy/kiosk.sh gives Chromium (the `"$BROWSER" …` command, continuation lines joined),
 * without those that only make sense on a real screen: --kiosk (full screen) and --user-data-dir
 * (the test's browser gets its own throw-away profile).
 */
export function kioskFlags(script = KIOSK_SCRIPT): string[] {
  const text = readFileSync(script, 'utf8').replace(/\\\n/g, ' ');
  const line = text.split('\n').find((l) => /^\s*"\$BROWSER"\s/.test(l));
  if (line === undefined) throw new Error(`${script}: no "$BROWSER" command line`);
  const flags: string[] = [];
  for (const raw of line.trim().split(/\s+/).slice(1)) {
    const tok = raw.replace(/^(['"])(.*)\1$/, '$2');
    if (!tok.startsWith('--')) continue; // the URL
    if (tok === '--kiosk' || tok.startsWith('--user-data-dir=')) continue;
    if (/[$`"'\\]/.test(tok)) throw new Error(`${script}: a flag this parser cannot read literally: ${tok}`);
    flags.push(tok);
  }
  return flags;
}

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Chromium with the kiosk's flags (plus --no-sandbox and --disable-gpu: the tests run as root with no
 * GPU), started inside `ns` through a wrapper written into `dir`. The command line Chromium actually
 * got is appended to `dir`/chromium-argv.log.
 */
export async function launchKioskInNamespace(ns: string, dir: string, flags: string[] = kioskFlags()): Promise<Browser> {
  if (!/^[A-Za-z0-9_.-]+$/.test(ns)) throw new Error(`not a namespace name: ${ns}`);
  const wrapper = join(dir, 'kiosk-chromium-in-netns');
  const log = join(dir, 'chromium-argv.log');
  writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      'n=$#',
      'for a in "$@"; do',
      '  case "$a" in',
      '    --remote-debugging-pipe|--user-data-dir=*|--headless|--headless=*|--no-startup-window|about:blank) set -- "$@" "$a" ;;',
      '  esac',
      'done',
      'shift "$n"',
      `set -- --no-sandbox --disable-gpu ${flags.map(shq).join(' ')} "$@"`,
      `printf '%s\\n' "$*" >> ${shq(log)}`,
      `exec ip netns exec ${ns} /usr/bin/chromium "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: wrapper, headless: true });
}
