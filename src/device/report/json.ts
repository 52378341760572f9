import type { Evidence, Finding } from '../../detect/types.js';
import type { Lang } from '../../i18n/index.js';
import { t } from '../../i18n/index.js';
import type { FeedSummary, VerdictLevel } from '../../analysis/types.js';
import type { DeviceAnalysis } from '../analyze.js';
import type { DeviceFacts, DeviceInfo } from '../facts.js';
import { jsonFindingBase, jsonHelp, type JsonFinding } from '../../report/json.js';
import { findingCapabilities } from '../rules/index.js';
import { unweighed } from '../verdict.js';
import { canReadLine, renderDeviceMessage } from './words.js';

/**
 * The device report in JSON: the same top-level shape as the traffic report (verdict, findings with
 * ids, levels and evidence, facts, meta) so tools read both alike; `meta.kind` says which it is.
 */
export interface DeviceJsonReport {
  verdict: { level: VerdictLevel; families: string[]; summary: string; limits: string[] };
  findings: {
    id: string;
    level: Finding['level'];
    title: string;
    explanation: string;
    host: string;
    app: string;
    family: string | null;
    canRead: string | null;
    capabilities: string[];
    indicator: JsonFinding['indicator'];
    /** False where the verdict could not weigh the finding (an inconclusive check without the list of apps): its level is the rule's, not the report's. */
    weighed: boolean;
    evidence: Evidence[];
    params: Finding['params'];
  }[];
  explained: { app: string; access: string; component: string; reason: string; explanation: string }[];
  /** The service's own contact and the helplines shown with this report (the catalogue's examples when none are set). */
  help: { contact: string; helplines: string[] };
  allowed: [];
  facts: DeviceFacts;
  meta: {
    kind: 'device';
    acquisition: DeviceAnalysis['acquisition'];
    device: DeviceInfo;
    feeds: FeedSummary[];
    language: Lang;
    version: string;
    generatedAt: string;
  };
}

export function toDeviceJson(a: DeviceAnalysis, lang: Lang, help?: { contact: string; helplines: string[] }): DeviceJsonReport {
  const feedDates = new Map(a.feeds.map((f) => [f.name, f.date]));
  return {
    verdict: {
      level: a.verdict.level,
      families: a.verdict.families,
      summary: renderDeviceMessage(lang, a.verdict.summary),
      limits: a.verdict.limits.map((m) => renderDeviceMessage(lang, m)),
    },
    findings: a.findings.map((f) => ({
      ...jsonFindingBase(lang, f, feedDates),
      app: f.host,
      canRead: canReadLine(lang, f),
      capabilities: findingCapabilities(f),
      weighed: !unweighed(a, f),
    })),
    explained: a.explained.map((e) => ({
      ...e,
      explanation: t(lang, `device.explained.${e.reason}`, { access: t(lang, `device.access.${e.access}`) }),
    })),
    help: jsonHelp(lang, help),
    allowed: [],
    facts: a.facts,
    meta: {
      kind: 'device',
      acquisition: a.acquisition,
      device: a.device,
      feeds: a.feeds,
      language: lang,
      version: a.version,
      generatedAt: a.generatedAt,
    },
  };
}

export function renderDeviceJson(a: DeviceAnalysis, lang: Lang, help?: { contact: string; helplines: string[] }): string {
  return JSON.stringify(toDeviceJson(a, lang, help), null, 2) + '\n';
}
