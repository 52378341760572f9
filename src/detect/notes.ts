import type { FeedSummary } from '../indicators/types.js';
import type { Facts } from '../engine/facts.js';
import type { NoteId } from './registry.js';
import { LIST_SEP, type AllowedHost, type CaptureMode, type DetectionConfig, type Finding, type Note, type NoteThresholds } from './types.js';

/**
 * The notes of a traffic check (ids and words in ./registry.ts NOTES): everything about the recording,
 * the lists and the hidden traffic that the verdict needs, read here from the facts once so the
 * verdict works from findings and notes alone. They come in the order the report states them: the
 * recording's length and volume (and how the phone was connected, a warning when it is short or idle,
 * or damaged, or examined in part); whether indicator lists were loaded and how fresh they are;
 * signs of spyware an allow-list hid; traffic the check could not see into (VPN or Tor tunnels,
 * encrypted DNS, encrypted connections without a server name); that encrypted traffic shows whom the
 * phone talks to but not what it says; and that finding nothing is not proof.
 *
 * Params with these names are raw values the renderer formats for the reader's language:
 * `date`/`oldest` (ISO time), `duration` (seconds), `size` (bytes), `family` (names joined by LIST_SEP).
 */

export const DEFAULT_NOTE_THRESHOLDS: NoteThresholds = {
  minDurationSeconds: 15 * 60,
  minBytes: 200 * 1024,
  minPackets: 500,
  adviseMinutes: 30,
  staleDays: 30,
};

export interface NotesInput {
  facts: Facts;
  findings: readonly Finding[];
  allowed: readonly AllowedHost[];
  config: Pick<DetectionConfig, 'dohResolvers' | 'inconclusiveMinSeconds' | 'inconclusiveMinBytes'>;
  feeds?: readonly FeedSummary[];
  mode?: CaptureMode;
  now?: Date;
  thresholds?: Partial<NoteThresholds>;
}

/** Ports of VPN and Tor tunnels that hide what travels inside them. */
const TUNNEL_PORTS: Record<'tcp' | 'udp', ReadonlySet<number>> = {
  udp: new Set([500, 4500, 1194, 51820, 1701]),
  tcp: new Set([1194, 1723, 9001, 9030, 9050, 9150]),
};

/** Rules whose findings mean "traffic hidden in a tunnel", counted into NOTE-HIDDEN-VPN. */
const TUNNEL_RULES: ReadonlySet<string> = new Set(['IOC-11', 'BEH-VPN', 'BEH-TOR']);
/** Rules whose findings mean "name lookups hidden from the check", counted into NOTE-HIDDEN-DNS. */
const HIDDEN_DNS_RULES: ReadonlySet<string> = new Set(['IOC-13', 'BEH-DOH', 'BEH-DOT']);

const note = (id: NoteId, params: Note['params'] = {}): Note => ({ id, params });

export function captureDurationSeconds(facts: Facts): number {
  const { firstSeen, lastSeen } = facts.capture;
  if (!firstSeen || !lastSeen) return 0;
  return Math.max(0, (Date.parse(lastSeen) - Date.parse(firstSeen)) / 1000);
}

function daysBetween(fromIso: string, to: Date): number {
  return Math.floor((to.getTime() - Date.parse(fromIso)) / 86_400_000);
}

/**
 * Connections whose content the check could not see. Detection may name a host the port and resolver
 * lists do not know; the larger count is kept so the same tunnel, seen as an address here and as a
 * name in a finding, is not counted twice. Disabling a rule does not hide its traffic from this count.
 */
function hiddenTraffic(input: NotesInput): { tunnels: number; dns: number; noName: number } {
  const { facts, findings } = input;
  const tunnelKeys = new Set<string>();
  const dnsKeys = new Set<string>();
  for (const c of facts.connections) {
    // A key only for the connections counted: one string per connection was garbage on a long capture.
    const tunnel = (c.proto === 'tcp' || c.proto === 'udp') && TUNNEL_PORTS[c.proto].has(c.dport);
    if (!tunnel && c.dport !== 853) continue;
    const key = `${c.proto}|${c.dst}|${c.dport}`;
    if (tunnel) tunnelKeys.add(key);
    if (c.dport === 853) dnsKeys.add(key);
  }
  const doh = input.config.dohResolvers;
  const isDoh = (name: string | null): boolean => {
    if (!name) return false;
    const n = name.toLowerCase();
    return doh.some((d) => n === d || n.endsWith(`.${d}`));
  };
  for (const s of [...facts.tls, ...facts.quic]) if (isDoh(s.sni)) dnsKeys.add(`${s.server}|${s.dport}`);
  const tunnelHosts = new Set<string>();
  const dnsHosts = new Set<string>();
  for (const f of findings) {
    if (TUNNEL_RULES.has(f.id)) tunnelHosts.add(f.host.toLowerCase());
    if (HIDDEN_DNS_RULES.has(f.id)) dnsHosts.add(f.host.toLowerCase());
  }
  let noName = 0;
  for (const s of [...facts.tls, ...facts.quic]) {
    if (s.sni) continue;
    if ((facts.addressNames[s.server] ?? []).length > 0) continue;
    noName++;
  }
  return { tunnels: Math.max(tunnelKeys.size, tunnelHosts.size), dns: Math.max(dnsKeys.size, dnsHosts.size), noName };
}

/** What the lists were, how fresh, and which failed to update; `none` when no block list has an entry (a traffic and a device check say that differently). */
export function feedNotes(feeds: readonly FeedSummary[], now: Date, th: Pick<NoteThresholds, 'staleDays'>, none: NoteId = 'NOTE-NO-FEEDS'): Note[] {
  const block = feeds.filter((f) => f.list === 'block');
  if (block.length === 0 || block.every((f) => f.indicators + f.rules === 0)) return [note(none)];
  const out: Note[] = [];
  const dates = block.map((f) => f.date).filter((d): d is string => d !== null).sort();
  const indicators = block.reduce((n, f) => n + f.indicators + f.rules, 0);
  const newest = dates[dates.length - 1] ?? '';
  const oldest = dates[0] ?? '';
  out.push(note('NOTE-FEEDS', { count: block.length, indicators, date: newest, oldest }));
  if (oldest && daysBetween(oldest, now) > th.staleDays) out.push(note('NOTE-FEEDS-OLD', { days: daysBetween(oldest, now) }));
  for (const f of block) if (f.lastError) out.push(note('NOTE-FEED-FAILED', { feed: f.name }));
  return out;
}

export function trafficNotes(input: NotesInput): Note[] {
  const th = { ...DEFAULT_NOTE_THRESHOLDS, ...input.thresholds };
  const { facts, config } = input;
  const notes: Note[] = [];
  const duration = captureDurationSeconds(facts);
  notes.push(note('NOTE-CAPTURE', { duration, packets: facts.capture.packets, size: facts.capture.bytes }));
  if (input.mode === 'hotspot') notes.push(note('NOTE-MODE-HOTSPOT'));
  if (input.mode === 'sinkhole') notes.push(note('NOTE-MODE-SINKHOLE'));
  if (duration < th.minDurationSeconds || facts.capture.bytes < th.minBytes || facts.capture.packets < th.minPackets) {
    notes.push(note('NOTE-SHORT', { minutes: th.adviseMinutes }));
  }
  if (duration < config.inconclusiveMinSeconds || facts.capture.bytes < config.inconclusiveMinBytes) {
    notes.push(note('NOTE-TOO-LITTLE', { duration, size: facts.capture.bytes, minutes: th.adviseMinutes }));
  }
  if (facts.capture.truncated) notes.push(note('NOTE-DAMAGED'));
  // The engine bounds what it keeps; past the bounds, traffic is counted but not examined (capture.omitted, flows.table-full).
  if (Object.keys(facts.capture.omitted ?? {}).length > 0 || (facts.capture.malformed['flows.table-full'] ?? 0) > 0) notes.push(note('NOTE-PARTIAL'));

  notes.push(...feedNotes(input.feeds ?? [], input.now ?? new Date(), th));

  // An allow entry never makes a sign of spyware vanish unseen: the result says it was hidden and by what family.
  const hiddenByAllow = input.allowed.filter((a) => a.level === 'high' || a.level === 'moderate');
  if (hiddenByAllow.length > 0) {
    const families = [...new Set(hiddenByAllow.flatMap((a) => a.families))].sort();
    notes.push(
      families.length > 0
        ? note('NOTE-ALLOW-HID-FAMILY', { family: families.join(LIST_SEP), count: hiddenByAllow.length })
        : note('NOTE-ALLOW-HID', { count: hiddenByAllow.length }),
    );
  }

  const hidden = hiddenTraffic(input);
  if (hidden.tunnels > 0) notes.push(note('NOTE-HIDDEN-VPN', { count: hidden.tunnels }));
  if (hidden.dns > 0) notes.push(note('NOTE-HIDDEN-DNS', { count: hidden.dns }));
  if (hidden.noName > 0) notes.push(note('NOTE-HIDDEN-NONAME', { count: hidden.noName }));
  notes.push(note('NOTE-ENCRYPTED'));
  notes.push(note('NOTE-NOT-PROOF'));
  return notes;
}
