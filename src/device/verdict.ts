import { LIST_SEP, type Finding, type Message, type Note, type Verdict, type VerdictLevel } from '../detect/types.js';
import type { DeviceFacts } from './facts.js';
import { limitsOf } from '../detect/verdict.js';
import { PHONE_HOST } from './rules/index.js';

/**
 * The device check's one answer, by the same rules as the traffic verdict: the strongest finding's
 * level, the families its findings name (most apps first), a summary, and the limits — here those of
 * looking at a phone's apps and settings rather than its traffic, stated by detection's notes.
 */

function levelOf(findings: readonly Finding[]): VerdictLevel {
  if (findings.some((f) => f.level === 'high')) return 'high';
  if (findings.some((f) => f.level === 'moderate')) return 'moderate';
  return findings.length > 0 ? 'low' : 'none';
}

function familiesOf(findings: readonly Finding[]): string[] {
  const apps = new Map<string, Set<string>>();
  for (const f of findings) {
    if (!f.family) continue;
    const s = apps.get(f.family) ?? new Set<string>();
    s.add(f.host);
    apps.set(f.family, s);
  }
  return [...apps.entries()].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0])).map(([n]) => n);
}

export interface DeviceVerdictInput {
  findings: readonly Finding[];
  /** The notes detection made (../notes.ts): the limits, and whether the list of apps was missing. */
  notes: readonly Note[];
}

export function computeDeviceVerdict(input: DeviceVerdictInput): Verdict {
  const { findings, notes } = input;
  // Stalkerware is an app: without the list of apps, "nothing found" would be false comfort, and an
  // app holding some access cannot be told from a preinstalled one (the list says where each came
  // from). Only signs that stand without it count: the phone's own (root, a trusted computer) and an
  // app named on an indicator list. The other findings are still shown.
  const noApps = notes.some((n) => n.id === 'NOTE-DEV-NO-APPS');
  const standing = noApps ? findings.filter((f) => f.host === PHONE_HOST || f.family) : findings;
  const found = levelOf(standing);
  const level: VerdictLevel = noApps && (found === 'low' || found === 'none') ? 'inconclusive' : found;
  const atLevel = standing.filter((f) => f.level === level);
  const families = level === 'none' || level === 'inconclusive' ? [] : familiesOf(atLevel);
  const apps = new Set(atLevel.filter((f) => f.host !== PHONE_HOST).map((f) => f.host));
  const checked = notes.find((n) => n.id === 'NOTE-DEV-APPS')?.params.count ?? 0;
  let summary: Message;
  if (level === 'inconclusive') summary = { key: 'device.summary.inconclusive', params: {} };
  else if (level === 'none') summary = { key: 'device.summary.none', params: { count: checked } };
  else if (families.length > 0 && level === 'high') summary = { key: 'device.summary.high.family', params: { count: apps.size, family: families.join(LIST_SEP) } };
  else if (families.length > 0) summary = { key: 'device.summary.linked', params: { family: families.join(LIST_SEP) } };
  else if (level === 'high') summary = { key: 'device.summary.high.nofamily', params: { count: Math.max(1, apps.size) } };
  else summary = { key: `device.summary.${level}`, params: { count: atLevel.length } };

  return { level, families, summary, limits: limitsOf(notes) };
}

/**
 * A finding the verdict could not weigh: without the list of apps, only the phone's own signs and
 * apps named on an indicator list count (see computeDeviceVerdict). The reports show the others for
 * what they are, without a level the verdict does not stand behind.
 */
export function unweighed(a: { verdict: Pick<Verdict, 'level'>; facts: Pick<DeviceFacts, 'apps'> }, f: Finding): boolean {
  return a.verdict.level === 'inconclusive' && a.facts.apps.length === 0 && f.host !== PHONE_HOST && !f.family;
}
