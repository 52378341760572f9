import type { ConnectionFact } from '../engine/facts.js';
import type { RuleMatch } from '../indicators/matcher.js';
import { displayHost, evConn, finding, type Candidate, type Ctx } from './context.js';
import { SPYWARE_TAGS } from './ioc.js';
import type { Evidence, Level } from './types.js';

/**
 * IOC-PAYLOAD: a payload-content rule (Suricata/Snort `content` with offset/depth, as TinyCheck's feed
 * writes them for stalkerware that speaks its own protocol, e.g. a `device_id=` report on TCP 22222)
 * fired on the first bytes of a connection. Needs facts made with `keepHeads`.
 *
 * Level: high when the rule names a family or a spyware tag — the bytes match what the spyware sends,
 * which is more specific than a server name; moderate otherwise (a generic suspicious pattern).
 * Params: host, proto, port, direction (to-server | to-client), msg, sid, family, feed.
 */

export function payloadRules(ctx: Ctx): Candidate[] {
  const heads = ctx.facts.payloadHeads;
  if (heads === undefined || ctx.indicators.payloadRules.length === 0) return [];
  const out: Candidate[] = [];
  for (const h of heads) {
    const c = ctx.facts.connections[h.connection];
    if (c === undefined || (c.proto !== 'tcp' && c.proto !== 'udp')) continue;
    for (const [text, toServer] of [[h.toServer, true], [h.toClient, false]] as const) {
      if (text === null) continue;
      const bytes = Buffer.from(text, 'base64');
      const flow = toServer
        ? { proto: c.proto, sport: c.sport, dport: c.dport, toServer }
        : { proto: c.proto, sport: c.dport, dport: c.sport, toServer };
      for (const m of ctx.indicators.matchPayload(flow, bytes)) out.push(candidate(ctx, c, m, toServer, bytes));
    }
  }
  return out;
}

function candidate(ctx: Ctx, c: ConnectionFact, m: RuleMatch, toServer: boolean, bytes: Buffer): Candidate {
  const r = m.rule;
  const level: Level = r.family !== null || (r.tag !== null && SPYWARE_TAGS.has(r.tag.toLowerCase())) ? 'high' : 'moderate';
  const host = displayHost(ctx.facts, c);
  const printable = bytes.subarray(0, 64).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  const ev: Evidence = {
    kind: 'payload',
    ts: c.firstSeen,
    text: `${c.proto.toUpperCase()} ${c.src}:${c.sport} → ${c.dst}:${c.dport} ${toServer ? 'sent' : 'received'} "${printable}" — rule ${r.sid ?? '?'} "${r.msg}"`,
  };
  const indicator = {
    value: r.contents.map((x) => Buffer.from(x.bytes).toString('latin1')).join(' … ') || `${r.proto} port rule`,
    kind: 'payload-rule', family: r.family, tag: r.tag, feed: m.feed, feedVersion: m.feedVersion, source: r.source,
  };
  const f = finding('IOC-PAYLOAD', level, host, {
    proto: c.proto, port: c.dport, direction: toServer ? 'to-server' : 'to-client', msg: r.msg, sid: r.sid ?? '',
    family: r.family ?? '', feed: m.feed,
  }, [ev, evConn(c)], indicator);
  // Bytes that match a spyware's own protocol name one connection precisely: no allow-list entry is as specific.
  return { finding: f, subject: { type: 'exact-indicator', name: null, address: c.dst } };
}
