import { FeedError, type ParseResult } from '../types.js';
import { Collector, looksLikeHtml } from './common.js';

/**
 * YARA rules (Echap's rules.yar) describe APK contents, not traffic. Each rule is stored whole, by
 * name, so a later device check can run it; network matching never looks at them.
 */
export function parseYara(text: string, file: string): ParseResult {
  if (looksLikeHtml(text)) throw new FeedError(`${file}: this is an HTML page, not an indicator feed (an error or login page served in place of the feed?)`);
  const c = new Collector('yara');
  const head = /^\s*(?:private\s+|global\s+)*rule\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*([A-Za-z0-9_ ]+?))?\s*\{/gm;
  const starts: { name: string; tags: string; index: number; line: number }[] = [];
  for (let m = head.exec(text); m; m = head.exec(text)) {
    starts.push({ name: m[1]!, tags: (m[2] ?? '').trim(), index: m.index, line: text.slice(0, m.index).split('\n').length });
  }
  if (starts.length === 0) throw new FeedError(`${file}: no YARA rules found`);
  starts.forEach((s, i) => {
    const body = text.slice(s.index, i + 1 < starts.length ? starts[i + 1]!.index : text.length).trim();
    if (!body.endsWith('}')) throw new FeedError(`${file}:${s.line}: rule ${s.name} is not closed — the file may be truncated`);
    c.add('yara-rule', s.name, { family: s.name, tag: s.tags || null, tlp: null, source: `${file}:${s.line}`, meta: { rule: body } });
  });
  return c.result();
}
