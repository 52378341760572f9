/**
 * The indicators a check is matched against: the stored feeds plus the admin's own allow-list, built
 * once and rebuilt only when either changes (a 100 000-indicator set takes a moment to load).
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { FEEDS_FILE } from '../config/feeds.js';
import { normalizeDomain, normalizeIpValue } from '../indicators/normalize.js';
import type { IndicatorSet } from './manager.js';
import { indicatorSourcesFromStore } from '../analysis/indicator-sources.js';
import type { AllowEntry, AllowKind, Store } from '../store/store.js';

export const LOCAL_ALLOW_FEED = 'local allow-list';

/** The canonical value of an allow-list entry, or null when it is not a valid one of its kind. */
export function normalizeAllowValue(kind: AllowKind, value: string): string | null {
  if (kind === 'domain') return normalizeDomain(value);
  const ip = normalizeIpValue(value.trim());
  if (ip === null) return null;
  const isCidr = ip.value.includes('/');
  return (kind === 'cidr') === isCidr ? ip.value : null;
}

export class IndicatorCache {
  private current: IndicatorSet | null = null;
  private stamp = '';

  /** `dataDir`: where feeds.yaml lives, whose changes (a list switched off or its role) count too. */
  constructor(
    private readonly store: Store,
    private readonly dataDir: string | null = null,
  ) {}

  /**
   * The set in force. Lists imported, removed or given another role by `quietcheck indicators` in
   * another process change the store under the server: a small fingerprint of the stored lists and of
   * feeds.yaml is compared on every call, so the next check uses them without a restart.
   */
  get(): IndicatorSet {
    const stamp = this.fingerprint();
    if (stamp !== this.stamp) {
      this.current = null;
      this.stamp = stamp;
    }
    return (this.current ??= this.build());
  }

  invalidate(): void {
    this.current = null;
  }

  private fingerprint(): string {
    const feeds = this.store.listFeeds().map((f) => [f.name, f.version, f.list, f.origin, f.loadedAt, f.indicatorCount]);
    let config = '';
    if (this.dataDir !== null) {
      try {
        const st = statSync(join(this.dataDir, FEEDS_FILE));
        config = `${st.mtimeMs}:${st.size}`;
      } catch {
        config = 'none';
      }
    }
    return JSON.stringify([feeds, config]);
  }

  private build(): IndicatorSet {
    const { indicators, feeds } = indicatorSourcesFromStore(this.store);
    const allow: AllowEntry[] = this.store.listAllow();
    if (allow.length > 0) {
      const version = createHash('sha256').update(JSON.stringify(allow.map((e) => [e.kind, e.value]))).digest('hex').slice(0, 16);
      const info = { name: LOCAL_ALLOW_FEED, version, list: 'allow' as const };
      let count = 0;
      for (const e of allow) {
        const added = indicators.add({ kind: e.kind, value: e.value, family: null, tag: null, tlp: null, source: `allow-list #${e.id}` }, info);
        if (added) count++;
      }
      feeds.push({
        name: LOCAL_ALLOW_FEED,
        version,
        date: allow.reduce((d, e) => (e.createdAt > d ? e.createdAt : d), allow[0]!.createdAt),
        indicators: count,
        rules: 0,
        list: 'allow',
        source: 'quietcheck admin',
        lastError: null,
      });
    }
    return { indicators, feeds };
  }
}
