import { basename } from 'node:path';
import { FeedError, type FeedFormat, type ParseResult } from '../types.js';
import { looksLikeHtml } from './common.js';
import { looksLikeEchapSamples, parseEchapSamples } from './echap-samples.js';
import { parseEchapYaml } from './echap-yaml.js';
import { parseMisp } from './misp.js';
import { parseMvtIndex } from './mvt-index.js';
import { parseCsv, parseHosts, parseLines } from './plain.js';
import { parseStix2 } from './stix2.js';
import { parseSuricata } from './suricata.js';
import { parseTinycheckIocs, parseTinycheckWhitelist } from './tinycheck.js';
import { parseYara } from './yara.js';

export { parseStixPattern } from './stix2.js';
export { decodeContent, dnsLabelsToName } from './suricata.js';

type Parser = (text: string, file: string) => ParseResult;

const PARSERS: Record<Exclude<FeedFormat, 'misp-feed' | 'misp-api'>, Parser> = {
  'echap-yaml': parseEchapYaml,
  stix2: parseStix2,
  'mvt-index': parseMvtIndex,
  'tinycheck-iocs': parseTinycheckIocs,
  'tinycheck-whitelist': parseTinycheckWhitelist,
  'misp-event': parseMisp,
  suricata: parseSuricata,
  hosts: parseHosts,
  lines: parseLines,
  csv: parseCsv,
  'echap-samples': parseEchapSamples,
  yara: parseYara,
};

/**
 * Guesses a feed's format from its name and first bytes, so `import` works without `--format` on the
 * files people actually have. Returns null when unsure; the caller then asks for `--format`.
 */
export function detectFormat(name: string, text: string): FeedFormat | null {
  const base = basename(name.split('?')[0]!).toLowerCase();
  const head = text.slice(0, 4096);
  if (looksLikeHtml(head)) return null;
  const trimmed = head.trimStart();
  if (base.endsWith('.stix2') || base.endsWith('.stix')) return 'stix2';
  if (base.endsWith('.rules')) return 'suricata';
  if (base.endsWith('.yar') || base.endsWith('.yara')) return 'yara';
  // By its header, not its name: a samples list is useful under any file name or URL.
  if (looksLikeEchapSamples(head)) return 'echap-samples';
  if (base.endsWith('.csv')) return 'csv';
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    if (/"type"\s*:\s*"bundle"/.test(head) || /"spec_version"\s*:\s*"2/.test(head)) return 'stix2';
    if (/^\{\s*"iocs"\s*:/.test(trimmed)) return 'tinycheck-iocs';
    if (/"elements"\s*:/.test(head)) return 'tinycheck-whitelist';
    if (/"(Event|Attribute|Object|response)"\s*:/.test(head)) return 'misp-event';
    if (/^\{\s*"[0-9a-f-]{36}"\s*:/i.test(trimmed)) return 'misp-feed';
    return null;
  }
  if (base.endsWith('.yaml') || base.endsWith('.yml')) {
    if (/^indicators\s*:/m.test(head)) return 'mvt-index';
    return 'echap-yaml';
  }
  if (/^\s*(alert|drop|reject)\s+\w+\s+\S+\s+\S+\s+->/m.test(head)) return 'suricata';
  if (base.startsWith('hosts') || /^\s*(0\.0\.0\.0|127\.0\.0\.1)\s+\S/m.test(head)) return 'hosts';
  return 'lines';
}

/** Parses a whole feed or throws a FeedError saying why; never returns a partial set. */
export function parseFeed(text: string, file: string, format: FeedFormat): ParseResult {
  if (format === 'misp-feed' || format === 'misp-api') {
    throw new FeedError(`${file}: ${format} is fetched event by event by the updater; give a URL or folder, not one file`);
  }
  if (text.trim().length === 0) throw new FeedError(`${file}: the file is empty`);
  try {
    return PARSERS[format](text, file);
  } catch (e) {
    if (e instanceof FeedError) throw e;
    throw new FeedError(`${file}: cannot be read as ${format}: ${(e as Error).message}`);
  }
}
