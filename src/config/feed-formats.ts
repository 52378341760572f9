/**
 * The names `format:` may take in feeds.yaml, in `indicators import --format` and in the store. They live
 * with the configuration, which every layer may read, so the feeds.yaml reader needs nothing from the
 * indicator parsers; each name has its parser in src/indicators/formats/.
 */
export const FEED_FORMATS = [
  'echap-yaml',
  'stix2',
  'mvt-index',
  'tinycheck-iocs',
  'tinycheck-whitelist',
  'misp-event',
  'misp-feed',
  'misp-api',
  'suricata',
  'hosts',
  'lines',
  'csv',
  'yara',
  'echap-samples',
] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export function isFeedFormat(s: string): s is FeedFormat {
  return (FEED_FORMATS as readonly string[]).includes(s);
}
