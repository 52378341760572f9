import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMessage } from '../../src/report/format.js';
import { DEFAULT_DETECTION_CONFIG } from '../../src/detect/config.js';
import { trafficNotes } from '../../src/detect/notes.js';
import { NOTES } from '../../src/detect/registry.js';
import type { AllowedHost, DetectionConfig, Finding, Note } from '../../src/detect/types.js';
import { computeVerdict } from '../../src/detect/verdict.js';
import type { FeedSummary } from '../../src/indicators/types.js';
import type { Facts } from '../../src/engine/facts.js';
import { emptyFacts, finding } from '../report/fixtures.js';

const NOW = new Date('2024-05-02T00:00:00Z');
const FEEDS: FeedSummary[] = [
  { name: 'ioc.yaml', version: 'abc', date: '2024-04-28T00:00:00Z', indicators: 2700, rules: 0, list: 'block', source: 'ioc.yaml', lastError: null },
  { name: 'whitelist.json', version: 'def', date: '2024-04-28T00:00:00Z', indicators: 1500, rules: 0, list: 'allow', source: 'whitelist.json', lastError: null },
];
const keys = (v: ReturnType<typeof computeVerdict>): string[] => v.limits.map((m) => m.key);

/** The verdict as an analysis makes it: detection notes what it needs from the facts, the verdict reads findings and notes. */
function verdictOf(input: { findings: Finding[]; facts: Facts; feeds: readonly FeedSummary[]; now?: Date; allowed?: AllowedHost[]; config?: Partial<DetectionConfig> }) {
  const notes = trafficNotes({ ...input, allowed: input.allowed ?? [], config: { ...DEFAULT_DETECTION_CONFIG, ...input.config } });
  return computeVerdict({ findings: input.findings, notes });
}

test('a high finding with a family gives High and names the family with its number of servers', () => {
  const v = verdictOf({
    findings: [
      finding('IOC-03', 'high', 'a.thetruthspy.example', 'TheTruthSpy'),
      finding('IOC-SNI', 'high', 'a.thetruthspy.example', 'TheTruthSpy'),
      finding('IOC-03', 'high', 'b.thetruthspy.example', 'TheTruthSpy'),
      finding('IOC-01', 'high', '203.0.113.5', 'TheTruthSpy'),
      finding('PROTO-03', 'low', 'news.example'),
    ],
    facts: emptyFacts(),
    feeds: FEEDS,
    now: NOW,
  });
  assert.equal(v.level, 'high');
  assert.deepEqual(v.families, ['TheTruthSpy']);
  assert.equal(renderMessage('en', v.summary), 'This phone contacted 3 servers used by TheTruthSpy.');
  assert.equal(renderMessage('fr', v.summary), 'Ce téléphone a contacté 3 serveurs utilisés par TheTruthSpy.');
});

test('two families are both named, most servers first', () => {
  const v = verdictOf({
    findings: [finding('IOC-03', 'high', 'x.one.example', 'Cerberus'), finding('IOC-03', 'high', 'a.two.example', 'mSpy'), finding('IOC-03', 'high', 'b.two.example', 'mSpy')],
    facts: emptyFacts(),
    feeds: FEEDS,
    now: NOW,
  });
  assert.deepEqual(v.families, ['mSpy', 'Cerberus']);
  assert.equal(renderMessage('en', v.summary), 'This phone contacted 3 servers used by mSpy and Cerberus.');
  assert.equal(renderMessage('de', v.summary), 'Dieses Telefon hat 3 Server kontaktiert, die von mSpy und Cerberus genutzt werden.');
});

test('high without a family still says High, counting hosts', () => {
  const v = verdictOf({ findings: [finding('IOC-07', 'high', 'c2.example')], facts: emptyFacts(), feeds: FEEDS, now: NOW });
  assert.equal(v.level, 'high');
  assert.deepEqual(v.families, []);
  assert.equal(v.summary.key, 'verdict.summary.high.nofamily');
});

test('moderate findings give Moderate; summary advice is not counted as a sign', () => {
  const v = verdictOf({
    findings: [finding('SSL-03', 'moderate', 'odd.example'), finding('SSL-EXPIRED', 'moderate', 'odd.example'), finding('ADV-01', 'moderate', 'odd.example'), finding('PROTO-03', 'low', 'x.example')],
    facts: emptyFacts(),
    feeds: FEEDS,
    now: NOW,
  });
  assert.equal(v.level, 'moderate');
  assert.equal(renderMessage('en', v.summary), '2 suspicious signs were found.');
});

test('only low findings give Low; a vendor website names its family', () => {
  const v = verdictOf({ findings: [finding('PROTO-03', 'low', 'a.example'), finding('SSL-02', 'low', 'b.example')], facts: emptyFacts(), feeds: FEEDS, now: NOW });
  assert.equal(v.level, 'low');
  assert.equal(v.summary.key, 'verdict.summary.low');
  const w = verdictOf({ findings: [finding('IOC-WEBSITE', 'low', 'shop.example', 'FlexiSPY')], facts: emptyFacts(), feeds: FEEDS, now: NOW });
  assert.equal(w.level, 'low');
  assert.deepEqual(w.families, ['FlexiSPY']);
  assert.match(renderMessage('en', w.summary), /linked to FlexiSPY/);
});

test('no findings give None, and the limits say that nothing found is not proof', () => {
  const v = verdictOf({ findings: [], facts: emptyFacts(), feeds: FEEDS, now: NOW });
  assert.equal(v.level, 'none');
  assert.deepEqual(v.families, []);
  assert.equal(v.summary.key, 'verdict.summary.none');
  assert.ok(keys(v).includes('limit.notProof'));
  assert.ok(keys(v).includes('limit.capture'));
  assert.ok(keys(v).includes('limit.feeds'));
  assert.ok(!keys(v).includes('limit.short'), 'an hour of busy traffic is not short');
  assert.ok(!keys(v).includes('limit.noFeeds'));
});

test('a short idle capture is called short, with its duration and volume', () => {
  const v = verdictOf({ findings: [], facts: emptyFacts({ seconds: 120, packets: 40, bytes: 9000 }), feeds: FEEDS, now: NOW });
  assert.ok(keys(v).includes('limit.short'));
  const text = v.limits.map((m) => renderMessage('en', m)).join('\n');
  assert.match(text, /lasted 2 min 0 s and holds 40 packets \(9 KB\)/);
  assert.match(text, /at least 30 minutes/);
});

test('no indicator lists, or only an allow list, is stated as a limit', () => {
  for (const feeds of [[], FEEDS.filter((f) => f.list === 'allow')]) {
    const v = verdictOf({ findings: [], facts: emptyFacts(), feeds, now: NOW });
    assert.ok(keys(v).includes('limit.noFeeds'));
    assert.ok(!keys(v).includes('limit.feeds'));
  }
});

test('stale and failed lists are named', () => {
  const old: FeedSummary[] = [{ ...FEEDS[0]!, date: '2024-01-01T00:00:00Z', lastError: 'HTTP 500' }];
  const v = verdictOf({ findings: [], facts: emptyFacts(), feeds: old, now: NOW });
  const stale = v.limits.find((m) => m.key === 'limit.feedsOld');
  assert.ok(stale);
  assert.equal(stale.params.days, 122);
  assert.ok(keys(v).includes('limit.feedFailed'));
  assert.match(renderMessage('en', v.limits.find((m) => m.key === 'limit.feeds')!), /updated January 1, 2024/);
});

test('traffic the check cannot see into is stated: tunnels, encrypted DNS, connections without names', () => {
  const facts = emptyFacts();
  const conn = (dst: string, proto: 'tcp' | 'udp', dport: number) => ({
    proto, src: '192.168.1.2', sport: 40000, dst, dport, firstSeen: facts.capture.firstSeen!, lastSeen: facts.capture.lastSeen!,
    packets: 10, bytes: 1000, bytesToServer: 500, bytesToClient: 500, service: null, names: [],
  });
  facts.connections.push(conn('198.51.100.1', 'udp', 51820), conn('1.1.1.1', 'tcp', 853));
  facts.quic.push({ ts: facts.capture.firstSeen!, client: '192.168.1.2', sport: 5000, server: '198.51.100.7', dport: 443, version: '1', sni: null, alpn: [], ja4: 'q' });
  const v = verdictOf({ findings: [finding('BEH-VPN', 'low', '198.51.100.1')], facts, feeds: FEEDS, now: NOW });
  const byKey = new Map(v.limits.map((m) => [m.key, m]));
  assert.equal(byKey.get('limit.hidden.vpn')?.params.count, 1);
  assert.equal(byKey.get('limit.hidden.dns')?.params.count, 1);
  assert.equal(byKey.get('limit.hidden.noname')?.params.count, 1);
  assert.equal(renderMessage('en', byKey.get('limit.hidden.vpn')!), '1 connection looked like a VPN or Tor tunnel. Whatever travels inside such a tunnel is hidden from this check.');
});

test('a capture past the engine’s bounds says that part of it was not examined', () => {
  const plain = verdictOf({ findings: [], facts: emptyFacts(), feeds: FEEDS, now: NOW });
  assert.ok(!keys(plain).includes('limit.partial'));
  const omitted = emptyFacts();
  omitted.capture.omitted = { dns: 120 };
  assert.ok(keys(verdictOf({ findings: [], facts: omitted, feeds: FEEDS, now: NOW })).includes('limit.partial'));
  const full = emptyFacts();
  full.capture.malformed = { 'flows.table-full': 5 };
  const v = verdictOf({ findings: [], facts: full, feeds: FEEDS, now: NOW });
  assert.ok(keys(v).includes('limit.partial'));
  assert.match(renderMessage('de', v.limits.find((m) => m.key === 'limit.partial')!), /nicht im Einzelnen geprüft/);
});

test('inconclusive: too short or too quiet to call a phone clean, never the green none; high and moderate stand', () => {
  const v = (facts: ReturnType<typeof emptyFacts>, findings = [] as ReturnType<typeof finding>[], config = {}) =>
    verdictOf({ findings, facts, feeds: FEEDS, now: NOW, config });
  // The upload of the report that asked for this: 0.8 s, 110 packets.
  const tiny = v(emptyFacts({ seconds: 0.8, packets: 110, bytes: 14_000 }));
  assert.equal(tiny.level, 'inconclusive');
  assert.equal(renderMessage('en', tiny.summary), "Only 0.8 s of the phone's traffic (14 KB) was recorded: too little to say whether spyware is on it.");
  assert.ok(keys(tiny).includes('limit.capture') && keys(tiny).includes('limit.short'), 'the length recorded and the advice are stated');
  // Long enough but nearly silent: the phone was asleep or not the one recorded.
  assert.equal(v(emptyFacts({ seconds: 3600, packets: 300, bytes: 20_000 })).level, 'inconclusive');
  // Minor signs in a short recording do not make it a result either.
  assert.equal(v(emptyFacts({ seconds: 120 }), [finding('PROTO-03', 'low', 'news.example')]).level, 'inconclusive');
  // What was seen was seen, however short.
  assert.equal(v(emptyFacts({ seconds: 30 }), [finding('IOC-03', 'high', 'a.thetruthspy.example', 'TheTruthSpy')]).level, 'high');
  assert.equal(v(emptyFacts({ seconds: 30 }), [finding('IOC-05', 'moderate', 'x.ddns.example')]).level, 'moderate');
  // At and above both thresholds: an ordinary result.
  assert.equal(v(emptyFacts({ seconds: 600, bytes: 50_000 })).level, 'none');
  assert.equal(v(emptyFacts({ seconds: 600, bytes: 50_000 }), [finding('PROTO-03', 'low', 'news.example')]).level, 'low');
  // The thresholds come from the detection settings.
  assert.equal(v(emptyFacts({ seconds: 120 }), [], { inconclusiveMinSeconds: 60 }).level, 'none');
  for (const lang of ['fr', 'de', 'es', 'it', 'pt'] as const) assert.doesNotMatch(renderMessage(lang, tiny.summary), /\{|\}/);
});

test('the verdict reads notes, not facts: the limits are the notes in their words and order, and NOTE-TOO-LITTLE alone makes a quiet result inconclusive', () => {
  const notes: Note[] = [
    { id: 'NOTE-CAPTURE', params: { duration: 30, packets: 12, size: 900 } },
    { id: 'NOTE-MODE-SINKHOLE', params: {} },
    { id: 'NOTE-TOO-LITTLE', params: { duration: 30, size: 900, minutes: 30 } },
    { id: 'NOTE-HIDDEN-DNS', params: { count: 2 } },
    { id: 'NOTE-NOT-PROOF', params: {} },
  ];
  const v = computeVerdict({ findings: [finding('PROTO-03', 'low', 'news.example')], notes });
  assert.equal(v.level, 'inconclusive');
  assert.deepEqual(v.summary, { key: 'verdict.summary.inconclusive', params: { duration: 30, size: 900, minutes: 30 } });
  assert.deepEqual(keys(v), ['limit.capture', 'limit.mode.sinkhole', 'limit.hidden.dns', 'limit.notProof']);
  assert.equal(computeVerdict({ findings: [finding('PROTO-03', 'low', 'news.example')], notes: notes.filter((n) => n.id !== 'NOTE-TOO-LITTLE') }).level, 'low');
  assert.equal(computeVerdict({ findings: [finding('IOC-03', 'high', 'a.example', 'TheTruthSpy')], notes }).level, 'high');
});

test('every note a traffic check makes is declared in the registry, and every traffic note declared is made by some input', () => {
  const facts = emptyFacts({ seconds: 20, packets: 10, bytes: 800 });
  facts.capture.truncated = true;
  facts.capture.omitted = { dns: 1 };
  const conn = (dst: string, proto: 'tcp' | 'udp', dport: number) => ({
    proto, src: '192.168.1.2', sport: 40000, dst, dport, firstSeen: facts.capture.firstSeen!, lastSeen: facts.capture.lastSeen!,
    packets: 10, bytes: 1000, bytesToServer: 500, bytesToClient: 500, service: null, names: [],
  });
  facts.connections.push(conn('198.51.100.1', 'udp', 51820), conn('1.1.1.1', 'tcp', 853));
  facts.quic.push({ ts: facts.capture.firstSeen!, client: '192.168.1.2', sport: 5000, server: '198.51.100.7', dport: 443, version: '1', sni: null, alpn: [], ja4: 'q' });
  const hid = (families: string[]): AllowedHost => ({ host: 'h.example', allowedBy: { value: 'h.example', feed: 'mine' }, silenced: ['IOC-03'], level: 'high', family: families[0] ?? null, families, indicators: [] });
  const config = DEFAULT_DETECTION_CONFIG;
  const made = new Set<string>();
  for (const mode of ['hotspot', 'sinkhole'] as const) {
    for (const allowed of [[hid([])], [hid(['mSpy'])]]) {
      for (const feeds of [[], [{ ...FEEDS[0]!, date: '2024-01-01T00:00:00Z', lastError: 'HTTP 500' }]]) {
        for (const n of trafficNotes({ facts, findings: [], allowed, config, feeds, mode, now: NOW })) made.add(n.id);
      }
    }
  }
  // NOTE-DEV-* are the device check's (src/device/notes.ts).
  const declared = new Set<string>(NOTES.map((n) => n.id).filter((id) => !id.startsWith('NOTE-DEV-')));
  for (const id of made) assert.ok(declared.has(id), `${id} is not in the registry`);
  assert.deepEqual([...declared].filter((id) => !made.has(id)), []);
});
