import type { DetectionConfig } from './types.js';

/**
 * Defaults for every threshold and list the rules use. They are chosen for a phone captured for a few
 * minutes to an hour through quietcheck's hotspot; each value says why it is what it is, so a helper
 * who changes one knows what they trade.
 */
export const DEFAULT_DETECTION_CONFIG: DetectionConfig = {
  disabled: [],
  /**
   * Certificate authorities that issue certificates for free and automatically. Most of the web uses
   * them, which is why SSL-02 is only low: it matters when it adds to other findings on the same host,
   * because a throw-away spyware server gets its certificate the same way.
   */
  freeIssuers: [
    "Let's Encrypt",
    'ZeroSSL',
    'Buypass',
    'SSL.com Free',
    'cPanel',
    'GoGetSSL Free',
    'Actalis Free',
    'TrustAsia DV Free',
  ],
  /**
   * TLDs whose registrations are cheap or free and disproportionately abused, in our reading of
   * public abuse statistics (Spamhaus, Interisle). A phone's everyday apps rarely use them, but some
   * legitimate sites do: IOC-06/IOC-10 stay low. TinyCheck's own `tld` indicators are matched as well.
   */
  suspectTlds: ['tk', 'ml', 'ga', 'cf', 'gq', 'xyz', 'top', 'zip', 'mov', 'click', 'country', 'kim', 'work', 'rest', 'cam', 'icu', 'buzz', 'monster', 'sbs', 'cyou', 'cfd', 'bond'],
  /**
   * 443 everywhere; mail and directory services over TLS; 853 (DNS over TLS, its own rule);
   * 5223/5228 are Apple's and Google's push channels, which every phone keeps open.
   */
  standardTlsPorts: [443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995, 5061, 5223, 5228, 8443],
  /** 80, and 8080 which proxies and captive portals use; anything else is PROTO-04. */
  standardHttpPorts: [80, 8080],
  /**
   * Five contacts are four intervals: fewer cannot tell a schedule from chance. 0.2 relative spread
   * keeps timers with network delay (a 60 s beacon arriving within ±12 s) and drops human browsing.
   */
  beaconMinContacts: 5,
  beaconMaxJitter: 0.2,
  /**
   * 1 MB is a few photos or a minute of recorded audio; five times the bytes back separates an upload
   * from a video call or a browsing session, where the phone mostly receives.
   */
  uploadMinBytes: 1_000_000,
  uploadRatio: 5,
  hotspotName: null,
  allowNames: [],
  beaconMinPeriodSeconds: 10,
  beaconBurstSeconds: 2,
  maxEvidence: 20,
  commonTcpPorts: [5222, 5223, 5228, 5229, 5230, 8443, 8080],
  knownUdpPorts: [53, 67, 68, 80, 123, 137, 138, 443, 853, 1900, 3478, 3479, 5349, 5353, 5355, 19302, 19303, 19304, 19305, 19306, 19307, 19308, 19309],
  icmpMinBytes: 16_384,
  /**
   * Ten minutes: the stalkerware families documented in the public feeds (mSpy, TheTruthSpy, FlexiSpy)
   * report on timers of 5 to 15 minutes or when the phone is used, so a shorter recording can easily
   * hold none of their contacts. 50 kB: an idle phone's push, sync and time checks exchange more than
   * that in ten minutes; less means the phone was asleep, off the network, or not the one recorded.
   * Either way "nothing found" would say nothing, so the verdict says so instead of a green tick.
   */
  inconclusiveMinSeconds: 600,
  inconclusiveMinBytes: 50_000,
  dohResolvers: [
    'dns.google',
    'dns.google.com',
    'cloudflare-dns.com',
    'one.one.one.one',
    'dns.quad9.net',
    'dns9.quad9.net',
    'doh.opendns.com',
    'dns.nextdns.io',
    'doh.cleanbrowsing.org',
    'dns.adguard.com',
    'dns.adguard-dns.com',
    'doh.mullvad.net',
    'dns.mullvad.net',
    'doh.dns.sb',
    'dns.controld.com',
    'freedns.controld.com',
    'doh.libredns.gr',
  ],
};

/** A full configuration from the defaults and whatever the caller set; lists replace, they do not append. */
export function mergeConfig(partial: Partial<DetectionConfig> = {}): DetectionConfig {
  const out: DetectionConfig = { ...DEFAULT_DETECTION_CONFIG };
  for (const [k, v] of Object.entries(partial) as [keyof DetectionConfig, unknown][]) {
    // An explicit undefined (an unset CLI option) must not erase a default.
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  }
  out.suspectTlds = out.suspectTlds.map((t) => t.toLowerCase().replace(/^\./, ''));
  out.allowNames = out.allowNames.map((n) => n.toLowerCase().replace(/\.$/, ''));
  out.dohResolvers = out.dohResolvers.map((n) => n.toLowerCase().replace(/\.$/, ''));
  return out;
}
