import { FeedError, type ParseResult } from '../types.js';
import { Collector, looksLikeHtml } from './common.js';
import { csvFields } from './plain.js';

/**
 * Echap's samples.csv: one known stalkerware APK per row (`SHA256,Package Name,Certificate,Version,App`).
 * Each row gives three indicators for its family: the APK's own hash, its package name and its signing
 * certificate (SHA-1), which is what a device check compares installed apps with.
 */

const REQUIRED = ['sha256', 'package name', 'certificate', 'app'] as const;

/** An Android package name: two or more dot-separated Java identifiers. */
const PACKAGE_RE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/i;

/** True when the first line is samples.csv's header, whatever the file is called. */
export function looksLikeEchapSamples(head: string): boolean {
  const first = head.split(/\r?\n/, 1)[0] ?? '';
  const cols = csvFields(first).map((h) => h.toLowerCase());
  return REQUIRED.every((c) => cols.includes(c));
}

export function parseEchapSamples(text: string, file: string): ParseResult {
  if (looksLikeHtml(text)) throw new FeedError(`${file}: this is an HTML page, not an indicator feed (an error or login page served in place of the feed?)`);
  const lines = text.split(/\r?\n/);
  const header = csvFields(lines[0] ?? '').map((h) => h.toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  for (const c of REQUIRED) if (col(c) < 0) throw new FeedError(`${file}: the header "${lines[0]}" lacks the "${c}" column of a samples list (SHA256,Package Name,Certificate,Version,App)`);
  // Every row ends with a line break in the published file; a last row without one was cut short
  // (its family name or hash may be a fragment), so the whole file is refused rather than guessed at.
  if (!/\n$/.test(text)) throw new FeedError(`${file}: the last line has no line break — the file looks cut off; the download may have been interrupted`);
  const [shaCol, pkgCol, certCol, famCol, verCol] = [col('sha256'), col('package name'), col('certificate'), col('app'), col('version')];
  const c = new Collector('echap-samples');
  let rows = 0;
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]!.trim()) continue;
    const f = csvFields(lines[i]!);
    if (f.length !== header.length) throw new FeedError(`${file}:${i + 1}: ${f.length} fields where the header has ${header.length} — the file may be damaged`);
    rows++;
    const family = f[famCol] || null;
    const source = `${file}:${i + 1}`;
    const pkg = f[pkgCol]!;
    const cert = f[certCol]!;
    const meta: Record<string, string> = {};
    if (PACKAGE_RE.test(pkg)) meta.package = pkg.toLowerCase();
    if (verCol >= 0 && f[verCol]) meta.version = f[verCol]!;
    if (f[shaCol]) c.add('apk-sha256', f[shaCol]!, { family, tag: null, tlp: null, source, meta });
    if (pkg) {
      if (PACKAGE_RE.test(pkg)) c.add('app-id', pkg, { family, tag: null, tlp: null, source });
      else c.skip('invalid-app-id');
    }
    if (cert) c.add('apk-cert-sha1', cert, { family, tag: null, tlp: null, source });
  }
  if (rows === 0) throw new FeedError(`${file}: the samples list has a header but no rows`);
  return c.result();
}
