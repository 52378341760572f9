import { execFileSync, spawnSync } from 'node:child_process';

/** tshark is the oracle: these helpers run it on the same file quietcheck reads. */

const COMMON = ['-o', 'tcp.reassemble_out_of_order:TRUE', '-n'];

/** Rows of tab-separated fields for the packets matching a display filter. Multi-valued fields stay comma-joined. */
export function tsharkFields(file: string, filter: string, fields: string[]): string[][] {
  const args = ['-r', file, ...COMMON, '-Y', filter, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

/** All values of one field over the matching packets, split on the aggregator. */
export function tsharkValues(file: string, filter: string, field: string): string[] {
  const values: string[] = [];
  for (const row of tsharkFields(file, filter, [field])) {
    for (const v of row[0].split(',')) if (v !== '') values.push(v);
  }
  return values;
}

/** Number of conversations tshark counts for a protocol ("tcp" or "udp"). */
export function tsharkConversations(file: string, proto: 'tcp' | 'udp'): number {
  const out = execFileSync('tshark', ['-r', file, ...COMMON, '-q', '-z', `conv,${proto}`], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter((l) => /<->/.test(l)).length;
}

export interface OracleFacts {
  packets: number;
  dnsQuestions: string[];
  dnsAnswers: string[];
  tlsSni: string[];
  quicSni: string[];
  certificates: string[];
  httpHosts: string[];
  convTcp: number;
  convUdp: number;
}

const ORACLE_FIELDS = [
  'frame.number', 'frame.protocols', 'dns.flags.response', 'dns.qry.name', 'dns.a', 'dns.aaaa',
  'tls.handshake.type', 'tls.handshake.extensions_server_name', 'tls.handshake.certificate', 'http.request.method', 'http.host',
];

/**
 * Everything the comparison needs from one tshark run over the file (tshark takes about a second to start,
 * so one run per file rather than one per question).
 */
export function tsharkOracle(file: string): OracleFacts {
  // Custom blocks (PCAPdroid's app maps) are frames to tshark but hold no packet.
  const args = ['-r', file, ...COMMON, '-Y', '!frame.cb_pen', '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=|',
    '-z', 'conv,tcp', '-z', 'conv,udp'];
  for (const f of ORACLE_FIELDS) args.push('-e', f);
  const out = runTshark(args);
  const o: OracleFacts = { packets: 0, dnsQuestions: [], dnsAnswers: [], tlsSni: [], quicSni: [], certificates: [], httpHosts: [], convTcp: 0, convUdp: 0 };
  let section: 'fields' | 'tcp' | 'udp' = 'fields';
  const list = (s: string): string[] => (s === '' || s === undefined ? [] : s.split('|'));
  for (const line of out.split('\n')) {
    if (line.startsWith('=====')) continue;
    if (/^TCP Conversations/.test(line)) { section = 'tcp'; continue; }
    if (/^UDP Conversations/.test(line)) { section = 'udp'; continue; }
    if (section !== 'fields') {
      if (/<->/.test(line)) section === 'tcp' ? o.convTcp++ : o.convUdp++;
      continue;
    }
    const c = line.split('\t');
    if (c.length < ORACLE_FIELDS.length || !/^\d+$/.test(c[0])) continue;
    o.packets++;
    const [, protocols, responses, qnames, as, aaaas, hsTypes, snis, certs, methods, hosts] = c;
    const resp = list(responses);
    const names = list(qnames);
    o.dnsQuestions.push(...names);
    void resp; void as; void aaaas;
    const isQuic = protocols.split(':').includes('quic');
    if (list(hsTypes).includes('1')) (isQuic ? o.quicSni : o.tlsSni).push(...list(snis));
    o.certificates.push(...list(certs));
    if (list(methods).length > 0) o.httpHosts.push(...list(hosts));
  }
  // dns.a/dns.aaaa also cover the authority and additional sections; only the answer section counts as an answer.
  if (/(dns|llmnr)/.test(out)) o.dnsAnswers = answerSectionAddresses(file);
  return o;
}

/** tshark exits non-zero on a capture cut short but still prints what it read: keep that. */
function runTshark(args: string[]): string {
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw r.error;
  return r.stdout;
}

function answerSectionAddresses(file: string): string[] {
  const out = runTshark(['-r', file, ...COMMON, '-Y', 'dns.flags.response == 1', '-T', 'json', '--no-duplicate-keys']);
  if (out.trim() === '') return [];
  const found: string[] = [];
  const walk = (v: unknown, inAnswers: boolean): void => {
    if (Array.isArray(v)) { for (const x of v) walk(x, inAnswers); return; }
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (inAnswers && (k === 'dns.a' || k === 'dns.aaaa')) {
        for (const a of Array.isArray(x) ? x : [x]) found.push(String(a));
      } else {
        walk(x, inAnswers || k === 'Answers');
      }
    }
  };
  walk(JSON.parse(out), false);
  return found;
}
