import { FeedError, type IndicatorKind, type ParseResult } from '../types.js';
import { Collector, parseJson } from './common.js';
import { addRule } from './suricata.js';

/**
 * Kaspersky TinyCheck's `iocs.json` ({"iocs": [{type, tag, tlp, value}]}) and `whitelist.json`
 * ({"elements": [{type, element}]}). The tag is TinyCheck's category (apt, stalkerware, spyware,
 * tracker, suspect, malicious, cybercrime, doh, dual-use, tor) and is kept as the indicator's tag.
 */

const IOC_KINDS: Record<string, IndicatorKind> = {
  domain: 'domain',
  freedns: 'freedns',
  ip4addr: 'ip',
  ip6addr: 'ip',
  cidr: 'cidr',
  sha1cert: 'tls-cert-sha1',
  ns: 'ns',
  tld: 'tld',
};

export function parseTinycheckIocs(text: string, file: string): ParseResult {
  const doc = parseJson(text, file) as { iocs?: unknown };
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.iocs)) {
    throw new FeedError(`${file}: not a TinyCheck IOC file (expected {"iocs": [{"type", "tag", "tlp", "value"}, …]})`);
  }
  const c = new Collector('tinycheck-iocs');
  doc.iocs.forEach((raw: unknown, i: number) => {
    const ioc = raw as { id?: unknown; type?: unknown; tag?: unknown; tlp?: unknown; value?: unknown };
    if (!ioc || typeof ioc !== 'object' || typeof ioc.type !== 'string' || typeof ioc.value !== 'string') {
      c.skip('tinycheck:malformed-entry');
      return;
    }
    const source = `${file} iocs[${i}]${ioc.id !== undefined ? ` id=${String(ioc.id)}` : ''}`;
    const tag = typeof ioc.tag === 'string' ? ioc.tag : null;
    const tlp = typeof ioc.tlp === 'string' ? ioc.tlp : null;
    if (ioc.type === 'snort' || ioc.type === 'suricata') {
      try {
        addRule(c, ioc.value, source, { family: null, tag, tlp });
      } catch {
        // One unreadable rule among many is reported, not fatal: TinyCheck's list is hand-edited.
        c.skip('tinycheck:unparsable-rule');
      }
      return;
    }
    const kind = IOC_KINDS[ioc.type];
    if (!kind) {
      c.skip(`tinycheck:unknown-type:${ioc.type}`);
      return;
    }
    c.add(kind, ioc.value, { family: null, tag, tlp, source });
  });
  return c.result();
}

const WHITELIST_KINDS: Record<string, IndicatorKind> = { domain: 'domain', ip4addr: 'ip', ip6addr: 'ip', cidr: 'cidr' };

export function parseTinycheckWhitelist(text: string, file: string): ParseResult {
  const doc = parseJson(text, file) as { elements?: unknown };
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.elements)) {
    throw new FeedError(`${file}: not a TinyCheck whitelist (expected {"elements": [{"type", "element"}, …]})`);
  }
  const c = new Collector('tinycheck-whitelist');
  doc.elements.forEach((raw: unknown, i: number) => {
    const el = raw as { type?: unknown; element?: unknown };
    if (!el || typeof el !== 'object' || typeof el.type !== 'string' || typeof el.element !== 'string') {
      c.skip('tinycheck:malformed-entry');
      return;
    }
    const kind = WHITELIST_KINDS[el.type];
    if (!kind) {
      c.skip(`tinycheck:unknown-type:${el.type}`);
      return;
    }
    c.add(kind, el.element, { family: null, tag: null, tlp: null, source: `${file} elements[${i}]` });
  });
  return c.result();
}
