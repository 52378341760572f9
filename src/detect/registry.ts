import type { DetectionConfig, Level } from './types.js';

/**
 * The rule registry: every rule quietcheck can report is declared here once — its stable id, how its
 * level is chosen, the values its words take, the detection settings it reads and one line saying what
 * it means. The detectors may only emit ids declared here (`finding()` takes a `RuleId`), the detection
 * settings and the admin console list rules from here, the locale test asks every catalogue for each
 * rule's title and explanation, and docs/rules.md is generated from it.
 *
 * Traffic rules (IOC, PROTO, SSL, BEH, ADV) read a capture's facts; device rules (DEV) read an Android
 * acquisition's. Ids are stable: TinyCheck's where TinyCheck has the rule (IOC-01…13, PROTO-01…05, SSL-01…04, ADV-01),
 * ours otherwise. A rule's words are `finding.<id>.title` and `finding.<id>.explanation`.
 */

export type RuleFamily = 'IOC' | 'PROTO' | 'SSL' | 'BEH' | 'ADV' | 'DEV';

/** How a rule's level is chosen: a fixed level, or from the indicator that matched. */
export type LevelChoice =
  | { fixed: Level }
  /** C2 kinds, spyware tags (stalkerware, spyware, pegasus, apt, malicious, cybercrime) or a named family → high; watchware, suspect and untagged lists → moderate. */
  | { from: 'indicator' }
  /** As from the indicator, but a TinyCheck "suspect" network is low. */
  | { from: 'indicator-suspect-low' }
  /** High with a family or a spyware tag, else moderate. */
  | { from: 'payload-rule' }
  /** The highest level among the host's other findings. */
  | { from: 'host-findings' }
  /** Chosen by the rule from what it saw; `doc` says how. */
  | { from: 'rule' };

export interface RuleMeta {
  readonly id: string;
  readonly level: LevelChoice;
  /** The values the title and explanation may use, beside `host` and `evidenceCount` that every finding has. */
  readonly params: readonly string[];
  /** The detection settings (detection.yaml keys) the rule reads. */
  readonly settings: readonly (keyof DetectionConfig)[];
  /** What the rule means, in one line, for people who read the documentation. */
  readonly doc: string;
}

const ind = { from: 'indicator' } as const;
const low = { fixed: 'low' } as const;
const moderate = { fixed: 'moderate' } as const;

export const RULES = [
  { id: 'IOC-01', level: ind, params: ['port', 'family', 'indicator', 'feed', 'connections'], settings: ['allowNames'], doc: 'A connection to an address that a feed lists as a spyware server.' },
  { id: 'IOC-02', level: { from: 'indicator-suspect-low' }, params: ['port', 'family', 'indicator', 'feed', 'connections'], settings: ['allowNames'], doc: 'A connection into an address range that a feed lists (spyware hosting, or a TinyCheck suspect network).' },
  { id: 'IOC-03', level: ind, params: ['family', 'indicator', 'feed', 'rcode', 'queries'], settings: ['allowNames'], doc: 'A DNS lookup of a name that a feed lists as a spyware server, answered or not.' },
  { id: 'IOC-04', level: moderate, params: ['indicator', 'feed', 'source'], settings: ['allowNames'], doc: 'A name or address a feed tags as a tracker used by stalkerware.' },
  { id: 'IOC-05', level: moderate, params: ['indicator', 'feed', 'source'], settings: ['allowNames'], doc: 'A name under a free dynamic-DNS provider listed by a feed.' },
  { id: 'IOC-06', level: low, params: ['tld', 'feed', 'source'], settings: ['suspectTlds', 'allowNames'], doc: 'A name under a top-level domain that is cheap and often abused.' },
  { id: 'IOC-07', level: ind, params: ['fingerprint', 'subject', 'family', 'feed', 'position'], settings: ['allowNames'], doc: 'A TLS certificate whose fingerprint a feed lists.' },
  { id: 'IOC-08', level: ind, params: ['family', 'indicator', 'feed', 'port', 'requests'], settings: ['allowNames'], doc: 'An unencrypted HTTP request whose Host a feed lists as a spyware server.' },
  { id: 'IOC-09', level: moderate, params: ['indicator', 'feed', 'port', 'requests'], settings: ['allowNames'], doc: 'An unencrypted HTTP request to a free dynamic-DNS name.' },
  { id: 'IOC-10', level: low, params: ['tld', 'feed', 'port', 'requests'], settings: ['suspectTlds', 'allowNames'], doc: 'An unencrypted HTTP request to a name under a suspect top-level domain.' },
  { id: 'IOC-11', level: moderate, params: ['indicator', 'feed', 'source'], settings: ['allowNames'], doc: 'A Tor relay or exit listed by a feed.' },
  { id: 'IOC-12', level: low, params: ['indicator', 'feed', 'source'], settings: ['allowNames'], doc: 'A dual-use service (cloud storage, messaging) that a feed notes spyware also uses.' },
  { id: 'IOC-13', level: low, params: ['indicator', 'feed', 'source'], settings: ['allowNames'], doc: 'An encrypted DNS service listed by a feed.' },
  { id: 'IOC-SNI', level: ind, params: ['family', 'indicator', 'feed', 'port'], settings: ['allowNames'], doc: 'A TLS ClientHello whose server name a feed lists as a spyware server.' },
  { id: 'IOC-QUIC-SNI', level: ind, params: ['family', 'indicator', 'feed', 'port'], settings: ['allowNames'], doc: 'A QUIC Initial whose server name a feed lists as a spyware server.' },
  { id: 'IOC-CNAME', level: ind, params: ['cname', 'family', 'indicator', 'feed'], settings: ['allowNames'], doc: 'A DNS answer that led, through a CNAME, to a name a feed lists as a spyware server.' },
  { id: 'IOC-JA3', level: moderate, params: ['fingerprint', 'which', 'family', 'feed'], settings: ['allowNames'], doc: 'A TLS or QUIC client (JA3) or server (JA3S) fingerprint a feed lists.' },
  { id: 'IOC-JA4', level: moderate, params: ['fingerprint', 'family', 'feed'], settings: ['allowNames'], doc: 'A TLS or QUIC client JA4 fingerprint a feed lists.' },
  { id: 'IOC-WEBSITE', level: low, params: ['family', 'indicator', 'feed', 'source'], settings: ['allowNames'], doc: "A stalkerware seller's website or download site: a visit, not a sign of spyware on the phone, unless a feed lists that exact name as a server." },
  { id: 'IOC-URL', level: ind, params: ['url', 'family', 'indicator', 'feed'], settings: ['allowNames'], doc: 'An unencrypted HTTP request to a URL a feed lists.' },
  { id: 'IOC-NS', level: moderate, params: ['nameserver', 'indicator', 'feed'], settings: ['allowNames'], doc: 'A name served by a name server that a feed lists.' },
  { id: 'IOC-PAYLOAD', level: { from: 'payload-rule' }, params: ['proto', 'port', 'direction', 'msg', 'sid', 'family', 'feed'], settings: ['allowNames'], doc: 'A payload-content rule (TinyCheck/Suricata content match) fired on the first bytes of a connection.' },
  { id: 'IOC-APP', level: ind, params: ['package', 'appName', 'family', 'feed', 'connections'], settings: [], doc: 'A capture made on the phone (PCAPdroid) names the app behind a connection, and a feed lists that app\'s package name: the app is installed and active, even when its servers are new.' },
  { id: 'PROTO-01', level: low, params: ['proto', 'port', 'packets', 'bytes'], settings: ['knownUdpPorts', 'icmpMinBytes'], doc: 'UDP to an unusual port, or ICMP carrying data, which can tunnel traffic.' },
  { id: 'PROTO-02', level: low, params: ['port', 'proto'], settings: ['standardTlsPorts', 'standardHttpPorts', 'commonTcpPorts'], doc: 'A TCP connection on a port no ordinary phone service uses.' },
  { id: 'PROTO-03', level: low, params: ['port', 'requests'], settings: ['standardHttpPorts'], doc: 'Unencrypted HTTP on its usual port.' },
  { id: 'PROTO-04', level: moderate, params: ['port', 'requests'], settings: ['standardHttpPorts'], doc: 'Unencrypted HTTP on an unusual port.' },
  { id: 'PROTO-05', level: low, params: ['address', 'port', 'proto', 'connections'], settings: [], doc: 'A server contacted by address, without a name lookup seen in the capture.' },
  { id: 'SSL-01', level: moderate, params: ['port'], settings: ['standardTlsPorts'], doc: 'TLS on a port other than the standard TLS ports.' },
  { id: 'SSL-02', level: low, params: ['issuer', 'subject'], settings: ['freeIssuers'], doc: 'A server certificate from a free certificate issuer.' },
  { id: 'SSL-03', level: moderate, params: ['subject'], settings: [], doc: 'A self-signed server certificate.' },
  { id: 'SSL-04', level: ind, params: ['certName', 'family', 'indicator', 'feed'], settings: ['allowNames'], doc: 'A server certificate that names a host a feed lists as a spyware server.' },
  { id: 'SSL-EXPIRED', level: moderate, params: ['subject', 'notAfter', 'seenAt'], settings: [], doc: 'A server certificate already expired when it was seen.' },
  { id: 'SSL-NOT-YET-VALID', level: moderate, params: ['subject', 'notBefore', 'seenAt'], settings: [], doc: 'A server certificate not yet valid when it was seen.' },
  { id: 'SSL-NAME-MISMATCH', level: moderate, params: ['subject', 'certNames'], settings: [], doc: 'A server certificate that does not cover the name the phone asked for.' },
  { id: 'BEH-BEACON', level: low, params: ['port', 'count', 'period', 'jitter'], settings: ['beaconMinContacts', 'beaconMaxJitter', 'beaconMinPeriodSeconds', 'beaconBurstSeconds'], doc: 'Contacts with one server on a regular schedule (period in seconds, jitter as a ratio).' },
  { id: 'BEH-UPLOAD', level: moderate, params: ['bytesUp', 'bytesDown', 'sessions', 'ratio'], settings: ['uploadMinBytes', 'uploadRatio'], doc: 'Much more data sent to a server than received from it.' },
  { id: 'BEH-DOT', level: low, params: ['port'], settings: [], doc: 'DNS over TLS (port 853): name lookups the check cannot read.' },
  { id: 'BEH-DOH', level: low, params: ['resolver', 'source'], settings: ['dohResolvers'], doc: 'DNS over HTTPS to a known resolver: name lookups the check cannot read.' },
  { id: 'BEH-DEVICE-NAME', level: low, params: ['deviceName', 'where'], settings: [], doc: "The phone's own name (from its DHCP request) sent unencrypted to a server." },
  { id: 'BEH-HOTSPOT-NAME', level: moderate, params: ['hotspotName', 'where'], settings: ['hotspotName'], doc: "The check's Wi-Fi name sent unencrypted to a server: an app is reporting where the phone is." },
  { id: 'BEH-VPN', level: low, params: ['protocol', 'port', 'bytes'], settings: [], doc: 'A VPN tunnel (WireGuard, OpenVPN, IPsec): traffic inside it cannot be checked.' },
  { id: 'BEH-TOR', level: moderate, params: ['port', 'sni'], settings: [], doc: 'A TLS connection shaped like Tor (random server name, Tor ports).' },
  { id: 'ADV-01', level: { from: 'host-findings' }, params: ['count', 'rules', 'family'], settings: [], doc: 'Several different findings about one server: look at it as a whole.' },
  // Device rules: an Android acquisition's facts. `host` is the app's package name, or `phone` for the phone's settings.
  { id: 'DEV-PACKAGE', level: { fixed: 'high' }, params: ['app', 'family', 'capabilities', 'source', 'installer'], settings: [], doc: 'An installed app whose package name a feed lists as stalkerware or spyware.' },
  { id: 'DEV-CERT', level: { fixed: 'high' }, params: ['app', 'family', 'capabilities', 'source', 'installer'], settings: [], doc: 'An installed app signed with a certificate a feed lists (SHA-1, SHA-256 or MD5, any case).' },
  { id: 'DEV-APK-HASH', level: { fixed: 'high' }, params: ['app', 'family', 'capabilities', 'source', 'installer'], settings: [], doc: "An app file whose SHA-256 a feed lists (Echap's samples.csv, STIX file hashes)." },
  { id: 'DEV-WATCHWARE', level: moderate, params: ['app', 'family', 'capabilities', 'source', 'installer'], settings: [], doc: 'A visible monitoring app (Echap watchware): named, one level lower than stalkerware.' },
  { id: 'DEV-SIDELOADED', level: low, params: ['app', 'source', 'installer', 'capabilities'], settings: [], doc: 'An app installed from outside an app store (a downloaded APK, adb, or no installer recorded) that holds sensitive permissions.' },
  { id: 'DEV-ACCESSIBILITY', level: { from: 'rule' }, params: ['app', 'source', 'installer', 'capabilities'], settings: [], doc: 'An app the person installed that holds accessibility access (reads and controls the screen): moderate from outside a store, low from a store; known holders are explained instead.' },
  { id: 'DEV-NOTIFICATION-LISTENER', level: { from: 'rule' }, params: ['app', 'source', 'installer', 'capabilities'], settings: [], doc: 'An app the person installed that reads every notification: moderate from outside a store, low from a store; known holders are explained instead.' },
  { id: 'DEV-DEVICE-ADMIN', level: { from: 'rule' }, params: ['app', 'source', 'installer', 'capabilities'], settings: [], doc: 'An app the person installed that is an active device administrator: moderate from outside a store, low from a store; known holders are explained instead.' },
  { id: 'DEV-DEVICE-OWNER', level: moderate, params: ['app'], settings: [], doc: 'A device or profile owner that is not a known work-profile manager: the app manages the phone.' },
  { id: 'DEV-BOOT-SENSITIVE', level: low, params: ['app', 'capabilities'], settings: [], doc: 'An app that starts at boot and holds access to messages, calls, location, microphone or camera.' },
  { id: 'DEV-HIDDEN-APP', level: { from: 'rule' }, params: ['app', 'source'], settings: [], doc: 'A third-party app with no launcher icon: moderate when sideloaded, else low.' },
  { id: 'DEV-VERIFY-OFF', level: low, params: [], settings: [], doc: 'Google Play Protect or package verification turned off.' },
  { id: 'DEV-ROOT', level: moderate, params: ['count'], settings: [], doc: 'Signs of root: su binaries, Magisk or KernelSU packages.' },
  { id: 'DEV-ADB-KEYS', level: low, params: ['count'], settings: [], doc: 'Computers other than this quietcheck trusted for USB debugging (dumpsys adb keys).' },
  { id: 'DEV-DEVELOPER-OPTIONS', level: low, params: [], settings: [], doc: 'Wireless debugging turned on.' },
  { id: 'DEV-BEHAVES-LIKE-STALKERWARE', level: { from: 'rule' }, params: ['app', 'capabilities', 'source'], settings: [], doc: 'A sideloaded app on no list that holds two of accessibility, notification access and device administrator (moderate); all three, or two and no icon (high). Never names a family.' },
] as const satisfies readonly RuleMeta[];

export type RuleId = (typeof RULES)[number]['id'];

const BY_ID: ReadonlyMap<string, RuleMeta> = new Map(RULES.map((r) => [r.id, r]));

export function ruleMeta(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}

export function isRuleId(id: string): id is RuleId {
  return BY_ID.has(id);
}

/**
 * Notes: what the verdict takes into account beside the findings and states as the result's limits,
 * produced by detection (./notes.ts) in this order. `message` is the limit's words (`limit.*` in the
 * catalogues, with `.one`/`.other` forms where it counts), null for a note that only steers the
 * verdict. A note is never a sign of spyware and cannot be turned off.
 */
export interface NoteMeta {
  readonly id: string;
  readonly message: string | null;
  /** The values the words take. */
  readonly params: readonly string[];
  /** The detection settings the note reads. */
  readonly settings: readonly (keyof DetectionConfig)[];
  readonly doc: string;
}

export const NOTES = [
  { id: 'NOTE-CAPTURE', message: 'limit.capture', params: ['duration', 'packets', 'size'], settings: [], doc: 'How long the recording lasted and how much it holds: stated with every result.' },
  { id: 'NOTE-MODE-HOTSPOT', message: 'limit.mode.hotspot', params: [], settings: [], doc: "The phone was on the checker's own Wi-Fi and reached the internet through it." },
  { id: 'NOTE-MODE-SINKHOLE', message: 'limit.mode.sinkhole', params: [], settings: [], doc: "The phone was on the checker's own Wi-Fi without internet: names and first messages are seen, servers' answers are not." },
  { id: 'NOTE-SHORT', message: 'limit.short', params: ['minutes'], settings: [], doc: 'The recording is shorter than 15 minutes, or under 200 kB or 500 packets: spyware that reports less often can be missed.' },
  { id: 'NOTE-TOO-LITTLE', message: null, params: ['duration', 'size', 'minutes'], settings: ['inconclusiveMinSeconds', 'inconclusiveMinBytes'], doc: 'Too little was recorded to call the phone clean: a result that would be low or none is inconclusive instead.' },
  { id: 'NOTE-DAMAGED', message: 'limit.damaged', params: [], settings: [], doc: 'The capture file is damaged or cut short: only the part before the damage was checked.' },
  { id: 'NOTE-PARTIAL', message: 'limit.partial', params: [], settings: [], doc: "Past the engine's bounds, traffic was counted but not examined." },
  { id: 'NOTE-NO-FEEDS', message: 'limit.noFeeds', params: [], settings: [], doc: 'No block list with any entry was loaded: only behaviour was checked.' },
  { id: 'NOTE-FEEDS', message: 'limit.feeds', params: ['count', 'indicators', 'date', 'oldest'], settings: [], doc: 'The block lists used, their number of entries and dates.' },
  { id: 'NOTE-FEEDS-OLD', message: 'limit.feedsOld', params: ['days'], settings: [], doc: 'The oldest block list is more than 30 days old.' },
  { id: 'NOTE-FEED-FAILED', message: 'limit.feedFailed', params: ['feed'], settings: [], doc: "A block list's last update failed; its older copy was used (one note per list)." },
  { id: 'NOTE-ALLOW-HID', message: 'limit.allowHid', params: ['count'], settings: ['allowNames'], doc: 'An allow-list entry hid signs of spyware (high or moderate) from the result.' },
  { id: 'NOTE-ALLOW-HID-FAMILY', message: 'limit.allowHid.family', params: ['family', 'count'], settings: ['allowNames'], doc: 'An allow-list entry hid signs of a named spyware family from the result.' },
  { id: 'NOTE-HIDDEN-VPN', message: 'limit.hidden.vpn', params: ['count'], settings: [], doc: 'Connections to VPN or Tor ports, or found as tunnels (IOC-11, BEH-VPN, BEH-TOR): what travels inside is hidden.' },
  { id: 'NOTE-HIDDEN-DNS', message: 'limit.hidden.dns', params: ['count'], settings: ['dohResolvers'], doc: 'Connections carrying encrypted name lookups (port 853, a known DNS-over-HTTPS resolver, or IOC-13, BEH-DOH, BEH-DOT): the names looked up are hidden.' },
  { id: 'NOTE-HIDDEN-NONAME', message: 'limit.hidden.noname', params: ['count'], settings: [], doc: 'Encrypted sessions that named no server and whose address no lookup explained: only the address could be checked.' },
  { id: 'NOTE-ENCRYPTED', message: 'limit.encrypted', params: [], settings: [], doc: 'Encrypted traffic shows whom the phone talks to, not what it says: stated with every result.' },
  { id: 'NOTE-NOT-PROOF', message: 'limit.notProof', params: [], settings: [], doc: 'Finding nothing is not proof: stated with every result.' },
  // Device checks: an Android acquisition. The list notes (NOTE-FEEDS, NOTE-FEEDS-OLD, NOTE-FEED-FAILED) are shared.
  { id: 'NOTE-DEV-APPS', message: 'device.limit.apps', params: ['count', 'thirdParty'], settings: [], doc: 'How many apps were checked, and how many someone installed.' },
  { id: 'NOTE-DEV-PARTIAL', message: 'device.limit.partial', params: ['problems'], settings: [], doc: 'The acquisition is damaged or incomplete: only part of the phone was checked.' },
  { id: 'NOTE-DEV-NO-APPS', message: 'device.limit.noApps', params: [], settings: [], doc: "The list of apps is missing: only signs that stand without it (the phone's own, an app named on a list) count, and a result that would be low or none is inconclusive." },
  { id: 'NOTE-DEV-MISSING', message: 'device.limit.missing', params: ['parts'], settings: [], doc: 'Parts of the phone the acquisition lacks (accessibility, notification access, administrators, settings, USB debugging).' },
  { id: 'NOTE-DEV-NO-FEEDS', message: 'device.limit.noFeeds', params: [], settings: [], doc: 'No block list with any entry was loaded: apps were not compared with known stalkerware.' },
  { id: 'NOTE-DEV-ICONS-START', message: 'combine.limit.icons.startScreens', params: [], settings: [], doc: "The acquisition lists each app's start screens but not which put an icon on the home screen: only an app with no start screen at all is reported as hiding." },
  { id: 'NOTE-DEV-ICONS-NONE', message: 'combine.limit.icons.none', params: [], settings: [], doc: 'The acquisition does not say which apps have an icon (or its table of apps was cut short): no app is reported as hiding its icon.' },
  { id: 'NOTE-DEV-CANNOT-SEE', message: 'device.limit.cannotSee', params: [], settings: [], doc: 'What a device check cannot see: stated with every device result.' },
  { id: 'NOTE-DEV-NOT-PROOF', message: 'device.limit.notProof', params: [], settings: [], doc: 'Finding nothing on the phone is not proof: stated with every device result.' },
] as const satisfies readonly NoteMeta[];

export type NoteId = (typeof NOTES)[number]['id'];

const NOTE_BY_ID: ReadonlyMap<string, NoteMeta> = new Map(NOTES.map((n) => [n.id, n]));

export function noteMeta(id: string): NoteMeta | undefined {
  return NOTE_BY_ID.get(id);
}

/** The family is the id's prefix, which is how TinyCheck groups rules too. */
export function ruleFamily(id: string): RuleFamily {
  return id.slice(0, id.indexOf('-')) as RuleFamily;
}

export function titleKey(id: string): string {
  return `finding.${id}.title`;
}

export function explanationKey(id: string): string {
  return `finding.${id}.explanation`;
}
