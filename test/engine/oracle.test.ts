import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import type { Facts } from '../../src/engine/facts.js';
import { inspectFile } from '../../src/engine/inspect.js';
import { PCAPS, pcap } from '../helpers/paths.js';
import { tsharkOracle, type OracleFacts } from '../helpers/tshark.js';

/**
 * quietcheck's facts against tshark's on every real capture in the shared folder. Where the two
 * legitimately differ, the exception is written next to the file with the reason.
 */

const files = readdirSync(PCAPS).filter((f) => /\.pcap(ng)?$/.test(f)).sort();

const lower = (xs: Iterable<string>): string[] => [...new Set([...xs].map((x) => x.toLowerCase().replace(/\.$/, '')))].sort();

/**
 * Conversations tshark counts differently, with the reason:
 * - tshark starts a new TCP "stream" when a 5-tuple is reused after a FIN/RST or a new SYN; quietcheck
 *   keeps one connection per 5-tuple for the whole capture (what matters is who talked to whom).
 */
const CONVERSATION_EXCEPTIONS: Record<string, { tcp?: number; udp?: number; why: string }> = {};

const cache = new Map<string, Facts>();
function facts(name: string): Facts {
  let f = cache.get(name);
  if (!f) cache.set(name, (f = inspectFile(pcap(name))));
  return f;
}

describe('facts agree with tshark on every shared capture', () => {
  for (const name of files) {
    describe(name, () => {
      const file = pcap(name);
      let oracle: OracleFacts;
      before(() => { oracle = tsharkOracle(file); });

      it('counts the same packets', () => {
        assert.equal(facts(name).capture.packets, oracle.packets);
      });

      it('sees the same DNS queries', () => {
        // Both decode DNS on ports 53, 5353 (mDNS) and 5355 (LLMNR); question names of queries and responses.
        assert.deepEqual(lower(facts(name).dns.filter((d) => d.seen !== 'announcement').map((d) => d.query)), lower(oracle.dnsQuestions));
      });

      it('sees the same DNS A/AAAA answers', () => {
        const ours = facts(name).dns.flatMap((d) => d.answers.filter((a) => a.type === 'A' || a.type === 'AAAA').map((a) => a.data));
        assert.deepEqual(lower(ours), lower(oracle.dnsAnswers));
      });

      it('sees the same TLS server names', () => {
        assert.deepEqual(lower(facts(name).tls.flatMap((t) => (t.sni ? [t.sni] : []))), lower(oracle.tlsSni));
      });

      it('sees the same QUIC server names', () => {
        assert.deepEqual(lower(facts(name).quic.flatMap((q) => (q.sni ? [q.sni] : []))), lower(oracle.quicSni));
      });

      it('sees the same certificates', () => {
        const theirs = oracle.certificates.map((hex) => createHash('sha1').update(Buffer.from(hex.replace(/:/g, ''), 'hex')).digest('hex'));
        const ours = facts(name).tls.flatMap((t) => t.certificates.map((c) => c.sha1));
        assert.deepEqual(lower(ours), lower(theirs));
      });

      it('sees the same HTTP hosts', () => {
        assert.deepEqual(lower(facts(name).http.map((h) => h.host)), lower(oracle.httpHosts));
      });

      it('counts the same TCP and UDP conversations', () => {
        const ex = CONVERSATION_EXCEPTIONS[name];
        const ours = facts(name).connections;
        assert.equal(ours.filter((c) => c.proto === 'tcp').length, ex?.tcp ?? oracle.convTcp, ex?.why);
        assert.equal(ours.filter((c) => c.proto === 'udp').length, ex?.udp ?? oracle.convUdp, ex?.why);
      });
    });
  }
});
