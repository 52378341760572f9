import { t, type Lang } from '../../i18n/index.js';
import type { JsonFinding, JsonReport } from '../../report/json.js';
import type { VerdictLevel } from '../../analysis/types.js';
import { capabilities } from '../../report/words.js';
import type { DeviceJsonReport } from './json.js';

/**
 * One answer for one phone checked both ways: its traffic (a capture) and its apps and settings (a
 * device check). The verdict is the worse of the two, with the families of both; the findings and the
 * limits of both are kept, each finding marked with the check it came from. Built from the two JSON
 * reports, so its words are theirs, in the language they were rendered in.
 */

/**
 * Worse first. "Inconclusive" outranks low and none, as in each check's own verdict: one half that
 * could not say leaves the whole unable to call the phone clean.
 */
const RANK: Record<VerdictLevel, number> = { high: 5, moderate: 4, inconclusive: 3, low: 2, none: 1 };

export function worseLevel(a: VerdictLevel, b: VerdictLevel): VerdictLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

export type CombinedFinding = (JsonFinding & { check: 'traffic' }) | (DeviceJsonReport['findings'][number] & { check: 'device' });

/** One line of "what it can read": a family with what such stalkerware can see, or an app with the access it holds. */
export interface CanRead {
  kind: 'family' | 'app';
  /** The family's or the app's name. */
  name: string;
  text: string;
}

export interface CombinedJsonReport {
  verdict: { level: VerdictLevel; families: string[]; summary: string; limits: string[]; canRead: CanRead[] };
  /** Each check's own answer, as its own report gives it. */
  checks: { traffic: JsonReport['verdict']; device: DeviceJsonReport['verdict'] };
  findings: CombinedFinding[];
  /** The service's own contact and the helplines shown with this report, as each check's report gives them. */
  help: JsonReport['help'];
  meta: {
    kind: 'combined';
    language: Lang;
    generatedAt: string;
    traffic: JsonReport['meta'];
    device: DeviceJsonReport['meta'];
  };
}

/**
 * What the stalkerware found can read, for a worrying result only: each family named by a high or
 * moderate finding with what such stalkerware can see, then each app found on the phone with the
 * access it holds. The HTML, PDF and kiosk all show this list.
 */
function canRead(level: VerdictLevel, findings: readonly CombinedFinding[], lang: Lang): CanRead[] {
  if (level !== 'high' && level !== 'moderate') return [];
  const strong = findings.filter((f) => f.level === 'high' || f.level === 'moderate');
  const out: CanRead[] = [];
  const families = new Set<string>();
  for (const f of strong) {
    if (!f.family || families.has(f.family)) continue;
    families.add(f.family);
    out.push({ kind: 'family', name: f.family, text: capabilities(lang, f.family, f.indicator?.tag ?? null) });
  }
  const apps = new Set<string>();
  for (const f of strong) {
    if (f.check !== 'device' || !f.canRead || f.weighed === false || apps.has(f.host)) continue;
    apps.add(f.host);
    out.push({ kind: 'app', name: f.host, text: f.canRead });
  }
  return out;
}

export function combineReports(traffic: JsonReport, device: DeviceJsonReport, lang: Lang, now = new Date()): CombinedJsonReport {
  const level = worseLevel(traffic.verdict.level, device.verdict.level);
  // The families of the half that decided the level first, then the other's; each named once.
  const halves = RANK[traffic.verdict.level] >= RANK[device.verdict.level] ? [traffic.verdict, device.verdict] : [device.verdict, traffic.verdict];
  const families = level === 'none' || level === 'inconclusive' ? [] : [...new Set(halves.flatMap((v) => v.families))];
  const findings: CombinedFinding[] = [
    ...device.findings.map((f) => ({ ...f, check: 'device' as const })),
    ...traffic.findings.map((f) => ({ ...f, check: 'traffic' as const })),
  ];
  const order: Record<string, number> = { high: 3, moderate: 2, low: 1 };
  findings.sort((a, b) => (order[b.level] ?? 0) - (order[a.level] ?? 0));
  return {
    verdict: {
      level,
      families,
      summary: t(lang, 'combined.summary', { traffic: traffic.verdict.summary, device: device.verdict.summary }),
      // Both checks' limits; the ones they share (the indicator lists' date) once.
      limits: [...new Set([...device.verdict.limits, ...traffic.verdict.limits])],
      canRead: canRead(level, findings, lang),
    },
    checks: { traffic: traffic.verdict, device: device.verdict },
    findings,
    help: traffic.help,
    meta: { kind: 'combined', language: lang, generatedAt: now.toISOString(), traffic: traffic.meta, device: device.meta },
  };
}
