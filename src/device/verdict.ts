import type { Finding } from '../detect/types.js';
import type { Message } from '../report/i18n/index.js';
import { LIST_SEP, type FeedSummary, type Verdict, type VerdictLevel } from '../report/types.js';
import type { DeviceFacts } from './facts.js';
import { PHONE_HOST } from './rules/index.js';

/**
 * The device check's one answer, by the same rules as the traffic verdict: the strongest finding's
 * level, the families its findings name (most apps first), a summary, and the limits — here those of
 * looking at a phone's apps and settings rather than its traffic.
 */

const STALE_DAYS = 30;

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

/** The parts of a device check that the acquisition may lack, each a `device.part.*` word. */
function missingParts(facts: DeviceFacts): string[] {
  const missing: string[] = [];
  if (facts.apps.length === 0) missing.push('apps');
  if (facts.accessibility === null) missing.push('accessibility');
  if (facts.notificationListeners === null) missing.push('notifications');
  if (facts.deviceAdmins === null) missing.push('admins');
  if (facts.verifier === null) missing.push('settings');
  if (facts.adb === null) missing.push('adb');
  return missing;
}

export interface DeviceVerdictInput {
  findings: readonly Finding[];
  facts: DeviceFacts;
  feeds: readonly FeedSummary[];
  now?: Date;
}

export function computeDeviceVerdict(input: DeviceVerdictInput): Verdict {
  const { facts, findings } = input;
  // Stalkerware is an app: without the list of apps, "nothing found" would be false comfort, and an
  // app holding some access cannot be told from a preinstalled one (the list says where each came
  // from). Only signs that stand without it count: the phone's own (root, a trusted computer) and an
  // app named on an indicator list. The other findings are still shown.
  const noApps = facts.apps.length === 0;
  const standing = noApps ? findings.filter((f) => f.host === PHONE_HOST || f.family) : findings;
  const found = levelOf(standing);
  const level: VerdictLevel = noApps && (found === 'low' || found === 'none') ? 'inconclusive' : found;
  const atLevel = standing.filter((f) => f.level === level);
  const families = level === 'none' || level === 'inconclusive' ? [] : familiesOf(atLevel);
  const apps = new Set(atLevel.filter((f) => f.host !== PHONE_HOST).map((f) => f.host));
  let summary: Message;
  if (level === 'inconclusive') summary = { key: 'device.summary.inconclusive', params: {} };
  else if (level === 'none') summary = { key: 'device.summary.none', params: { count: facts.apps.length } };
  else if (families.length > 0 && level === 'high') summary = { key: 'device.summary.high.family', params: { count: apps.size, family: families.join(LIST_SEP) } };
  else if (families.length > 0) summary = { key: 'device.summary.linked', params: { family: families.join(LIST_SEP) } };
  else if (level === 'high') summary = { key: 'device.summary.high.nofamily', params: { count: Math.max(1, apps.size) } };
  else summary = { key: `device.summary.${level}`, params: { count: atLevel.length } };

  const limits: Message[] = [];
  const thirdParty = facts.apps.filter((a) => a.thirdParty || !a.system).length;
  if (facts.apps.length > 0) limits.push({ key: 'device.limit.apps', params: { count: facts.apps.length, thirdParty } });
  if (facts.source.partial) {
    limits.push({ key: 'device.limit.partial', params: { problems: [facts.source.damage, ...facts.source.problems.map((p) => `${p.file}: ${p.message}`)].filter((x) => x).join('; ') } });
  }
  const missing = missingParts(facts);
  if (missing.includes('apps')) limits.push({ key: 'device.limit.noApps', params: {} });
  const notApps = missing.filter((m) => m !== 'apps');
  if (notApps.length > 0) limits.push({ key: 'device.limit.missing', params: { parts: notApps.join(',') } });

  const block = input.feeds.filter((f) => f.list === 'block');
  if (block.length === 0 || block.every((f) => f.indicators + f.rules === 0)) {
    limits.push({ key: 'device.limit.noFeeds', params: {} });
  } else {
    const dates = block.map((f) => f.date).filter((d): d is string => d !== null).sort();
    const indicators = block.reduce((n, f) => n + f.indicators + f.rules, 0);
    limits.push({ key: 'limit.feeds', params: { count: block.length, indicators, date: dates[dates.length - 1] ?? '', oldest: dates[0] ?? '' } });
    const now = input.now ?? new Date();
    const oldest = dates[0];
    if (oldest) {
      const days = Math.floor((now.getTime() - Date.parse(oldest)) / 86_400_000);
      if (days > STALE_DAYS) limits.push({ key: 'limit.feedsOld', params: { days } });
    }
    for (const f of block) if (f.lastError) limits.push({ key: 'limit.feedFailed', params: { feed: f.name } });
  }
  // Apps hiding their icon are looked for only as far as the acquisition says which apps have one.
  if (facts.apps.length > 0 && facts.launchers !== 'icons') limits.push({ key: facts.launchers === 'start-screens' ? 'combine.limit.icons.startScreens' : 'combine.limit.icons.none', params: {} });
  limits.push({ key: 'device.limit.cannotSee', params: {} });
  limits.push({ key: 'device.limit.notProof', params: {} });
  return { level, families, summary, limits };
}

/**
 * A finding the verdict could not weigh: without the list of apps, only the phone's own signs and
 * apps named on an indicator list count (see computeDeviceVerdict). The reports show the others for
 * what they are, without a level the verdict does not stand behind.
 */
export function unweighed(a: { verdict: Pick<Verdict, 'level'>; facts: Pick<DeviceFacts, 'apps'> }, f: Finding): boolean {
  return a.verdict.level === 'inconclusive' && a.facts.apps.length === 0 && f.host !== PHONE_HOST && !f.family;
}
