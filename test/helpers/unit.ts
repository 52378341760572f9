/** deploy/quietcheck.service read by the tests: the capability sets it grants. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export const UNIT_FILE = join(ROOT, 'deploy', 'quietcheck.service');

/** The values of a `Key=` line of the unit, split on spaces (all lines of that key joined). */
export function unitList(key: string, text = readFileSync(UNIT_FILE, 'utf8')): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m && m[1] === key) out.push(...m[2]!.trim().split(/\s+/).filter((x) => x !== ''));
  }
  return out;
}

/** CAP_NET_ADMIN → net_admin, as setpriv(1) and capsh spell them. */
export function capName(cap: string): string {
  return cap.replace(/^CAP_/i, '').toLowerCase();
}
