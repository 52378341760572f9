import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INDICATORS } from '../helpers/paths.js';

/** Echap's real stalkerware indicator list, as shipped in the shared data. */
export const ECHAP_IOC = join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml');

/**
 * A one-family list naming a server that the real capture tls-browsing-mixed.pcap talks to, so an
 * upload of that capture has a finding to show. The family name says it is a test.
 */
export const LAB_DOMAIN = 'mamzon.ru';
export const LAB_FAMILY = 'LabTestSpy';

export function writeLabFeed(dir: string): string {
  const file = join(dir, 'lab-ioc.yaml');
  writeFileSync(file, `- name: ${LAB_FAMILY}\n  names:\n  - ${LAB_FAMILY}\n  type: stalkerware\n  c2:\n    domains:\n    - ${LAB_DOMAIN}\n`);
  return file;
}

/** feeds.yaml for the data directory: local files only (tests never go online). */
export function writeFeedsYaml(dataDir: string, feeds: { name: string; file: string; format: string; list?: 'block' | 'allow' }[]): void {
  const body = ['defaults: false', 'feeds:', ...feeds.flatMap((f) => [`  - name: ${f.name}`, `    url: ${f.file}`, `    format: ${f.format}`, `    list: ${f.list ?? 'block'}`])].join('\n') + '\n';
  writeFileSync(join(dataDir, 'feeds.yaml'), body);
}
