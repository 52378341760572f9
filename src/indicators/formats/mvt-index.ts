import { isMap, isSeq, parseDocument } from 'yaml';
import { FeedError, type FeedReference, type ParseResult } from '../types.js';
import { Collector, looksLikeHtml, requireWholeLines } from './common.js';

/**
 * MVT's `indicators.yaml`: an index of STIX feeds, each on GitHub (owner/repo/branch/path) or at a URL.
 * It holds no indicators itself; the updater fetches every listed feed.
 */
export const GITHUB_RAW = 'https://raw.githubusercontent.com/';

export function parseMvtIndex(text: string, file: string): ParseResult {
  if (looksLikeHtml(text)) throw new FeedError(`${file}: this is an HTML page, not an indicator feed (an error or login page served in place of the feed?)`);
  requireWholeLines(text, file);
  const doc = parseDocument(text);
  if (doc.errors.length) throw new FeedError(`${file}: not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  const root = doc.toJS() as { indicators?: unknown } | null;
  if (!root || typeof root !== 'object' || !Array.isArray(root.indicators) || !isMap(doc.contents) || !isSeq(doc.get('indicators'))) {
    throw new FeedError(`${file}: not an MVT indicator index (expected "indicators:" with a list of feeds)`);
  }
  const c = new Collector('mvt-index');
  const refs: FeedReference[] = [];
  (root.indicators as unknown[]).forEach((raw, i) => {
    const e = raw as { type?: unknown; name?: unknown; github?: { owner?: unknown; repo?: unknown; branch?: unknown; path?: unknown }; download_url?: unknown; url?: unknown };
    const name = typeof e?.name === 'string' ? e.name : `entry ${i + 1}`;
    let url: string | null = null;
    if (e?.type === 'github' && e.github) {
      const g = e.github;
      if ([g.owner, g.repo, g.path].every((x) => typeof x === 'string')) {
        url = `${GITHUB_RAW}${String(g.owner)}/${String(g.repo)}/${typeof g.branch === 'string' ? g.branch : 'main'}/${String(g.path)}`;
      }
    } else if (typeof e?.download_url === 'string') url = e.download_url;
    else if (typeof e?.url === 'string') url = e.url;
    if (!url) {
      c.skip(`mvt-index:unusable-entry:${typeof e?.type === 'string' ? e.type : 'unknown'}`);
      return;
    }
    refs.push({ name, url, format: 'stix2' });
  });
  if (refs.length === 0) throw new FeedError(`${file}: the MVT index lists no usable feed`);
  return c.result({ references: refs });
}
