import { noteMeta } from './registry.js';
import { LIST_SEP, type Finding, type Message, type Note, type Verdict, type VerdictLevel } from './types.js';

/**
 * The one overall answer, derived from findings by these rules (the detection rules decide each
 * finding's level; the verdict never re-weighs them):
 *
 * 1. **high** — at least one finding is `high`. `families` are the distinct families named by the high
 *    findings, most hosts first. The summary names them with the number of distinct hosts behind them
 *    ("this phone contacted 3 servers used by TheTruthSpy"); without a family it counts the hosts.
 * 2. **moderate** — no high finding, at least one `moderate`. When moderate findings name a family (a
 *    visit to a vendor's sales website, for example) it is named; otherwise the signs are counted.
 * 3. **low** — only `low` findings. Families of low findings are named the same way.
 * 4. **none** — no finding at all (allow-listed hosts are not findings).
 * 5. **inconclusive** — instead of low or none when detection noted that too little was recorded
 *    (NOTE-TOO-LITTLE: shorter than `inconclusiveMinSeconds` or fewer than `inconclusiveMinBytes`):
 *    too little was seen to call the phone clean. High and moderate stand whatever the length: what
 *    was seen was seen. The summary states the length and volume actually recorded.
 *
 * Several moderate signs do not add up to high here: ADV-01, the per-host summary advice, is where
 * detection combines signs, so the verdict and the findings list can never disagree. Summary advice
 * (ADV-*) is not counted as a sign of its own.
 *
 * The limits are the notes detection made (./notes.ts), in their order and words: the verdict reads
 * no facts, so what it says about the recording, the lists and hidden traffic has one source.
 *
 * Message params with these names are raw values the renderer formats for the reader's language:
 * `date`/`oldest` (ISO time), `duration` (seconds), `size` (bytes), `family` (names joined by LIST_SEP,
 * rendered as "A, B and C").
 */

export interface VerdictInput {
  findings: readonly Finding[];
  /** The notes detection gave with the findings (./notes.ts): the limits, and whether too little was recorded. */
  notes: readonly Note[];
}

function isSummaryAdvice(f: Finding): boolean {
  return f.id.startsWith('ADV-');
}

/** Families by number of distinct hosts, most first, then by name for a stable order. */
function familiesOf(findings: readonly Finding[]): { families: string[]; hosts: number } {
  const hostsBy = new Map<string, Set<string>>();
  const allHosts = new Set<string>();
  for (const f of findings) {
    if (!f.family) continue;
    const set = hostsBy.get(f.family) ?? new Set<string>();
    set.add(f.host.toLowerCase());
    hostsBy.set(f.family, set);
    allHosts.add(f.host.toLowerCase());
  }
  const families = [...hostsBy.entries()].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0])).map(([name]) => name);
  return { families, hosts: allHosts.size };
}

function levelOf(findings: readonly Finding[]): VerdictLevel {
  if (findings.some((f) => f.level === 'high')) return 'high';
  if (findings.some((f) => f.level === 'moderate')) return 'moderate';
  if (findings.length > 0) return 'low';
  return 'none';
}

function summaryOf(level: VerdictLevel, atLevel: readonly Finding[]): { summary: Message; families: string[] } {
  const signs = atLevel.filter((f) => !isSummaryAdvice(f));
  const { families, hosts } = familiesOf(atLevel);
  const family = families.join(LIST_SEP);
  switch (level) {
    case 'high':
      if (families.length > 0) return { families, summary: { key: 'verdict.summary.high.family', params: { count: hosts, family } } };
      return {
        families,
        summary: { key: 'verdict.summary.high.nofamily', params: { count: new Set(atLevel.map((f) => f.host.toLowerCase())).size } },
      };
    case 'moderate':
    case 'low':
      if (families.length > 0) return { families, summary: { key: 'verdict.summary.linked', params: { family } } };
      return { families, summary: { key: `verdict.summary.${level}`, params: { count: Math.max(1, signs.length) } } };
    case 'none':
      return { families, summary: { key: 'verdict.summary.none', params: {} } };
    case 'inconclusive':
      return { families, summary: { key: 'verdict.summary.inconclusive', params: {} } };
  }
}

/** The notes in words, in their order: those without words only steer the verdict. */
export function limitsOf(notes: readonly Note[]): Message[] {
  const limits: Message[] = [];
  for (const n of notes) {
    const message = noteMeta(n.id)?.message;
    if (message) limits.push({ key: message, params: { ...n.params } });
  }
  return limits;
}

export function computeVerdict(input: VerdictInput): Verdict {
  const found = levelOf(input.findings);
  const tooLittle = input.notes.find((n) => n.id === 'NOTE-TOO-LITTLE');
  const level: VerdictLevel = (found === 'none' || found === 'low') && tooLittle !== undefined ? 'inconclusive' : found;
  const atLevel = level === 'none' || level === 'inconclusive' ? [] : input.findings.filter((f) => f.level === level);
  const { summary, families } = summaryOf(level, atLevel);
  if (tooLittle !== undefined && level === 'inconclusive') summary.params = { ...tooLittle.params };
  return { level, families, summary, limits: limitsOf(input.notes) };
}
