/** The quietcheck API as the UI uses it. Every error is `{ error, message }`; it becomes an ApiError. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole error answer, for errors that carry more than a message (a 409 asking for confirmation). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export type CheckState = 'created' | 'waiting-for-device' | 'capturing' | 'analysing' | 'done' | 'failed';
/** `inconclusive`: too little was recorded to say (never shown as the green tick). */
export type Level = 'high' | 'moderate' | 'low' | 'none' | 'inconclusive';

export interface Live {
  elapsedSeconds: number;
  packets: number;
  bytes: number;
  servers: number;
  deviceSeen: boolean;
  deviceAddress: string | null;
  series: { t: number; packets: number; bytes: number }[];
}

export interface Check {
  id: string;
  /** device: a phone read over USB; its serial is in `device`. */
  source: 'live' | 'upload' | 'device';
  state: CheckState;
  interface: string | null;
  device: string | null;
  durationSeconds: number | null;
  lang: string;
  createdAt: string;
  startedAt: string | null;
  stoppedAt: string | null;
  finishedAt: string | null;
  packets: number;
  bytes: number;
  error: string | null;
  recovered: boolean;
  result: { level: Level; families: string[] } | null;
  live: Live | null;
  indicatorHits?: number | null;
  /** Where the API has a hotspot: how the phone was connected, and the name it gave by DHCP. */
  mode?: 'interface' | 'hotspot' | 'sinkhole';
  deviceName?: string | null;
}

export interface Evidence {
  [k: string]: unknown;
}

export interface Finding {
  id: string;
  level: 'high' | 'moderate' | 'low';
  title: string;
  explanation: string;
  host: string;
  family: string | null;
  indicator: { value: string; kind: string; feed: string; feedVersion: string | null; family: string | null; source: string; feedDate: string | null } | null;
  evidence: Evidence[];
}

export interface FeedSummary {
  name: string;
  version: string | null;
  date: string | null;
  indicators: number;
  list: 'block' | 'allow';
  source: string;
  lastError: string | null;
}

export interface Report {
  verdict: { level: Level; families: string[]; summary: string; limits: string[] };
  findings: Finding[];
  allowed: AllowedHost[];
  facts: Record<string, unknown>;
  /** The service's contact and the helplines for the report's language (admin settings, else examples). */
  help?: { contact: string; helplines: string[] };
  meta: {
    sha256: string;
    duration: number;
    packets: number;
    capture: { name: string; sha256: string; fileBytes: number; durationSeconds: number; packets: number; bytes: number; firstSeen: string | null; lastSeen: string | null };
    feeds: FeedSummary[];
    language: string;
    version: string;
    generatedAt: string;
  };
}

/** A host an allow-list kept out of the findings; `level`/`families` say what it would have been. */
export interface AllowedHost {
  host: string;
  allowedBy: { value: string; feed: string };
  silenced: string[];
  level: 'high' | 'moderate' | 'low' | null;
  family: string | null;
  families: string[];
  indicators: { value: string; kind: string; family: string | null; feed: string }[];
}

/** The service's contact and helplines for one language (`fromService` false: quietcheck's examples). */
export interface LocalHelp {
  contact: string;
  helplines: string[];
  fromService: boolean;
}

/** What an allow entry would hide (the 409 answer of POST /api/admin/allow-list). */
export interface AllowImpact {
  value: string;
  families: string[];
  total: number;
  hides: { value: string; kind: string; family: string | null; tag: string | null; feed: string; level: 'high' | 'moderate' | 'low' }[];
}

export interface Feed {
  name: string;
  url: string;
  format: string;
  list: string;
  version: string | null;
  fetchedAt: string | null;
  lastError: string | null;
  indicatorCount: number;
}

export interface FeedUpdate {
  feed: string;
  status: string;
  indicators: number;
  error: string | null;
  /** Entries stored before, and in the downloaded version: shown when a shrink was refused or accepted. */
  previousCount?: number | null;
  offeredCount?: number | null;
  shrinkRefused?: boolean;
  forced?: boolean;
}

/** One indicator that a searched value matches, and where it comes from. */
export interface IndicatorMatch {
  value: string;
  kind: string;
  family: string | null;
  tag: string | null;
  feed: string;
  feedVersion: string | null;
  source: string;
  list?: 'block' | 'allow';
  how?: 'exact' | 'parent' | 'prefix';
  allowed: boolean;
}

/** Formats a list can be added in by address (a MISP instance needs an API key: feeds.yaml only). */
export const FEED_FORMATS = ['echap-yaml', 'stix2', 'mvt-index', 'tinycheck-iocs', 'tinycheck-whitelist', 'misp-event', 'misp-feed', 'suricata', 'hosts', 'lines', 'csv', 'yara', 'echap-samples'] as const;

export type CheckMode = 'interface' | 'hotspot' | 'sinkhole';

export interface AllowEntry {
  id: number;
  kind: 'domain' | 'ip' | 'cidr';
  value: string;
  note: string | null;
  createdAt: string;
}

/** A removable drive mounted on this machine (GET /api/export/drives). */
export interface Drive {
  mountPoint: string;
  device: string;
  label: string | null;
  readOnly: boolean;
  freeBytes: number | null;
}

/** What was written to a drive. */
export interface UsbWritten {
  written: true;
  path: string;
  fileName: string;
  mountPoint: string;
  label: string | null;
  bytes: number;
  sha256: string;
  encrypted?: boolean;
}

export interface Settings {
  retentionDays: number;
  maxUploadBytes: number;
  allowRemoteKiosk: boolean;
  allowRemoteAdmin: boolean;
  interface: string | null;
  /** The kiosk's defaults and options (older servers do not have them). */
  defaultDurationMinutes?: number;
  defaultLang?: string;
  kioskUpload?: boolean;
  kioskIdleMinutes?: number;
  kioskNetworkChoice?: boolean;
  kioskTitle?: string;
  kioskRevealElsewhere?: boolean;
}

/** What the admin may change through PUT /api/admin/settings. */
export type SettingsChange = Partial<Pick<Settings, 'retentionDays' | 'defaultDurationMinutes' | 'defaultLang' | 'kioskUpload' | 'kioskIdleMinutes' | 'kioskNetworkChoice' | 'kioskTitle' | 'kioskRevealElsewhere'>>;

/** The kiosk's options, readable without a login. */
export interface KioskSettings {
  defaultDurationMinutes: number;
  defaultLang: string;
  kioskUpload: boolean;
  kioskIdleMinutes: number;
  kioskNetworkChoice: boolean;
  /** The only words in the kiosk's header. */
  kioskTitle: string;
  /** The kiosk never shows a result; the admin console's page of the check does. */
  kioskRevealElsewhere: boolean;
}

/** Rule switches, thresholds and lists of the detection engine (src/detect/types.ts). */
export interface DetectionConfig {
  disabled: string[];
  freeIssuers: string[];
  suspectTlds: string[];
  standardTlsPorts: number[];
  standardHttpPorts: number[];
  beaconMinContacts: number;
  beaconMaxJitter: number;
  uploadMinBytes: number;
  uploadRatio: number;
  hotspotName?: string | null;
  allowNames: string[];
  beaconMinPeriodSeconds: number;
  beaconBurstSeconds: number;
  maxEvidence: number;
  commonTcpPorts: number[];
  knownUdpPorts: number[];
  icmpMinBytes: number;
  dohResolvers: string[];
  inconclusiveMinSeconds?: number;
  inconclusiveMinBytes?: number;
  [k: string]: unknown;
}

export interface Detection {
  effective: DetectionConfig;
  defaults: DetectionConfig;
  overrides: Partial<DetectionConfig>;
  rules: { id: string; family: string }[];
  /** Why detection.yaml could not be used (the defaults apply meanwhile), or null. */
  error: string | null;
}

export interface AdminStatus {
  disk: { path: string; freeBytes: number; totalBytes: number; largestCheckBytes?: number; level?: 'ok' | 'warn' | 'fail'; message?: string };
  storage: { checks: number; captureBytes: number; databaseBytes: number };
  wrongPasswords?: { count: number; last: string | null; lockedClients: number };
  indicators: {
    total: number;
    families: { family: string; count: number }[];
    newestUpdate: string | null;
    oldestUpdate: string | null;
    /** What the box has and lacks (absent from servers before it was added). */
    lists?: { block: number; allow: number; failing: string[]; neverLoaded: string[]; configured: boolean };
  };
}

export interface HotspotSettings {
  iface: string | null;
  backend: string;
  address: string;
  prefix: number;
  channel: number;
  country: string;
  uplink: string | null;
  ssid: string | null;
  password: string | null;
  dns: string[];
  /** Where the server keeps a default mode for the hotspot. */
  mode?: string;
  [k: string]: unknown;
}

export interface HotspotAdmin {
  settings: HotspotSettings;
  backend: { backend: string | null; reason?: string };
  status: { state: string; mode: string | null; iface: string | null; ssid: string | null; [k: string]: unknown };
  /** Where each setting in effect comes from; "command line" ones cannot be changed from the page. */
  sources?: Record<string, string>;
}

export interface WifiNetwork {
  ssid: string;
  bssid: string | null;
  /** 0–100 */
  signal: number;
  dbm: number | null;
  security: string;
  channel: number | null;
  inUse: boolean;
  device: string | null;
}

export interface Uplinks {
  defaultRoute: { iface: string; gateway: string | null } | null;
  ethernet: { iface: string; carrier: boolean; addresses: string[]; isDefault: boolean }[];
  wifiAdapters: { iface: string; state: string; connection: string | null; isDefault: boolean }[];
  wifiNetworks: WifiNetwork[];
  scanner: string;
  notes: string[];
}

export interface UplinkStatus {
  defaultRoute: { iface: string; gateway: string | null } | null;
  online: boolean;
  networkManager: boolean;
  devices: { device: string; type: string; state: string; connection: string | null }[];
}

let csrf: string | null = null;
export function setCsrf(token: string | null): void {
  csrf = token;
}

async function fail(res: Response): Promise<never> {
  let code = 'http-' + res.status;
  let message = res.statusText;
  let body: Record<string, unknown> = {};
  try {
    const j = (await res.json()) as { error?: string; message?: string };
    if (j.error) code = j.error;
    if (j.message) message = j.message;
    if (j && typeof j === 'object') body = j as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  throw new ApiError(res.status, code, message, body);
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrf !== null && method !== 'GET' && path.startsWith('/api/admin/')) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (!res.ok) return fail(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  startCheck: (body: { lang: string; durationSeconds?: number; mode?: CheckMode }) => call<Check>('POST', '/api/checks', body),
  check: (id: string) => call<Check>('GET', `/api/checks/${id}`),
  stop: (id: string) => call<Check>('POST', `/api/checks/${id}/stop`),
  running: () => call<{ checks: { id: string; state: CheckState }[] }>('GET', '/api/checks/running'),
  remove: (id: string) => call<void>('DELETE', `/api/checks/${id}`),
  report: (id: string, lang: string) => call<Report>('GET', `/api/checks/${id}/report?format=json&lang=${lang}`),
  reportUrl: (id: string, format: 'html' | 'pdf', lang: string) => `/api/checks/${id}/report?format=${format}&lang=${lang}`,
  /** The HTML report in the kiosk's own window, with a bar back to the result. */
  reportViewUrl: (id: string, lang: string) => `/api/checks/${id}/report/view?lang=${lang}`,
  drives: () => call<{ drives: Drive[]; message: string }>('GET', '/api/export/drives'),
  exportToUsb: (id: string, body: { mountPoint: string; passphrase?: string; lang: string }) => call<UsbWritten>('POST', `/api/checks/${id}/export/usb`, body),
  pdfToUsb: (id: string, body: { mountPoint: string; lang: string }) => call<UsbWritten>('POST', `/api/checks/${id}/report/usb`, body),
  health: () => call<{ ok: boolean; version: string }>('GET', '/api/health'),
  login: (password: string) => call<{ csrfToken: string; expiresAt: string }>('POST', '/api/admin/login', { password }),
  session: () => call<{ csrfToken: string; expiresAt: string }>('GET', '/api/admin/session'),
  logout: () => call<void>('POST', '/api/admin/logout'),
  password: (current: string, next: string) => call<void>('POST', '/api/admin/password', { current, next }),
  checks: () => call<Check[]>('GET', '/api/admin/checks'),
  settings: () => call<Settings>('GET', '/api/admin/settings'),
  saveSettings: (retentionDays: number) => call<Settings>('PUT', '/api/admin/settings', { retentionDays }),
  changeSettings: (change: SettingsChange) => call<Settings>('PUT', '/api/admin/settings', change),
  detection: () => call<Detection>('GET', '/api/admin/detection'),
  saveDetection: (overrides: Partial<DetectionConfig>) => call<Detection>('PUT', '/api/admin/detection', overrides),
  status: () => call<AdminStatus>('GET', '/api/admin/status'),
  hotspot: () => call<HotspotAdmin>('GET', '/api/admin/hotspot'),
  saveHotspot: (change: Partial<HotspotSettings>) => call<HotspotAdmin>('PUT', '/api/admin/hotspot', change),
  uplinks: (scan: boolean) => call<Uplinks>('GET', `/api/admin/uplinks?scan=${scan}`),
  uplinkStatus: () => call<UplinkStatus>('GET', '/api/admin/uplinks/status'),
  joinWifi: (body: { iface: string; ssid: string; password?: string }) => call<{ iface: string; ssid: string; state: string }>('POST', '/api/admin/uplinks/wifi', body),
  deleteAll: () => call<{ deleted: number }>('POST', '/api/admin/delete-all', { confirm: 'delete all data' }),
  allowList: () => call<AllowEntry[]>('GET', '/api/admin/allow-list'),
  hidden: (id: string) => call<AllowedHost[]>('GET', `/api/admin/checks/${id}/hidden`),
  allow: (kind: AllowEntry['kind'], value: string, note?: string, confirm = false) =>
    call<AllowEntry>('POST', '/api/admin/allow-list', { kind, value, ...(note ? { note } : {}), ...(confirm ? { confirm: true } : {}) }),
  unallow: (id: number) => call<void>('DELETE', `/api/admin/allow-list/${id}`),
  feeds: () => call<Feed[]>('GET', '/api/admin/feeds'),
  updateFeeds: (body?: { acceptShrink: string[]; force: boolean }) => call<FeedUpdate[]>('POST', '/api/admin/feeds/update', body),
  adminHelp: () => call<Record<string, LocalHelp>>('GET', '/api/admin/help'),
  saveHelp: (lang: string, contact: string, helplines: string[]) => call<LocalHelp>('PUT', '/api/admin/help', { lang, contact, helplines }),
  kioskHelp: (lang: string) => call<LocalHelp>('GET', `/api/kiosk/help?lang=${encodeURIComponent(lang)}`),
  addPublicFeeds: () => call<FeedUpdate[]>('POST', '/api/admin/feeds/defaults'),
  removeFeed: (name: string) => call<{ removed: string[]; disabledInConfig: boolean }>('DELETE', `/api/admin/feeds/${encodeURIComponent(name)}`),
  feedRole: (name: string, list: 'block' | 'allow') => call<{ name: string; list: string }>('PUT', `/api/admin/feeds/${encodeURIComponent(name)}`, { list }),
  addFeed: (body: { url: string; list?: 'block' | 'allow'; format?: string; local?: boolean }) => call<FeedUpdate[]>('POST', '/api/admin/feeds', body),
  searchIndicators: (path: string, q: string) =>
    call<{ query: string; matches: IndicatorMatch[] }>('GET', `${path}?q=${encodeURIComponent(q)}`),
};

const KIOSK_DEFAULTS: KioskSettings = { defaultDurationMinutes: 20, defaultLang: '', kioskUpload: true, kioskIdleMinutes: 0, kioskNetworkChoice: true, kioskTitle: 'quietcheck', kioskRevealElsewhere: false };
let kiosk: Promise<KioskSettings> | null = null;
/**
 * The kiosk's options, asked once per page load (again after `fresh`); where the server does not have
 * them yet, the kiosk behaves as before (20 minutes, file analysis and network choice offered, no idle return).
 */
export function kioskSettings(fresh = false): Promise<KioskSettings> {
  if (fresh) kiosk = null;
  kiosk ??= call<Partial<KioskSettings>>('GET', '/api/kiosk/settings').then(
    (k) => ({ ...KIOSK_DEFAULTS, ...k }),
    () => {
      kiosk = null;
      return KIOSK_DEFAULTS;
    },
  );
  return kiosk;
}

/** Sends a capture file's bytes, reporting progress (0..1) as it goes. */
export function upload(file: Blob, lang: string, onProgress: (f: number) => void): Promise<Check> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    // The report names the file as the worker chose it.
    const name = file instanceof File && file.name ? `&name=${encodeURIComponent(file.name)}` : '';
    xhr.open('POST', `/api/uploads?lang=${lang}${name}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the connection to quietcheck was lost'));
    xhr.onload = () => {
      let j: { error?: string; message?: string } = {};
      try {
        j = JSON.parse(xhr.responseText) as typeof j;
      } catch {
        /* not JSON */
      }
      if (xhr.status === 201) resolve(j as unknown as Check);
      else reject(new ApiError(xhr.status, j.error ?? `http-${xhr.status}`, j.message ?? xhr.statusText));
    };
    xhr.send(file);
  });
}

/**
 * Which optional parts of the API this device has, from its OpenAPI document: the UI shows the hotspot,
 * uplink or indicator search only where the server offers them, and says so where it does not.
 */
export interface Features {
  paths: string[];
  hotspot: string | null;
  uplink: string | null;
  adminHotspot: string | null;
  search: string | null;
  /** POST /api/admin/feeds: add a list by address. */
  addFeed: boolean;
  /** The kiosk's own hotspot route: the welcome screen then offers how the phone connects. */
  kioskHotspot: boolean;
  interfaces: string | null;
  /** The hotspot settings PUT /api/admin/hotspot accepts (from its schema). */
  hotspotKeys: string[];
  /** The kiosk's options route: the admin's kiosk settings can be changed. */
  kioskSettings: boolean;
  detection: boolean;
  status: boolean;
}

/** The properties of a route's JSON body, as its OpenAPI document describes them. */
function bodyKeys(doc: unknown, path: string, method: string): string[] {
  const op = (doc as { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>> }).paths?.[path]?.[method];
  return Object.keys(op?.requestBody?.content?.['application/json']?.schema?.properties ?? {});
}

let features: Promise<Features> | null = null;
export function getFeatures(): Promise<Features> {
  features ??= fetch('/api/docs', { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? (r.json() as Promise<{ paths?: Record<string, unknown> }>) : { paths: {} }))
    .catch(() => ({ paths: {} }))
    .then((doc) => {
      const paths = Object.keys(doc.paths ?? {});
      const find = (re: RegExp): string | null => paths.find((p) => re.test(p)) ?? null;
      return {
        paths,
        hotspot: find(/^\/api\/(admin\/)?hotspot$/),
        uplink: paths.includes('/api/admin/uplinks/status') ? '/api/admin/uplinks/status' : find(/^\/api\/(admin\/)?uplinks?(\/status)?$/),
        adminHotspot: find(/^\/api\/admin\/hotspot$/),
        search: find(/^\/api\/admin\/indicators\/search$/),
        addFeed: Object.keys(((doc as { paths?: Record<string, unknown> }).paths?.['/api/admin/feeds'] ?? {}) as object).includes('post'),
        kioskHotspot: paths.includes('/api/hotspot'),
        interfaces: find(/^\/api\/(admin\/)?interfaces$/),
        hotspotKeys: bodyKeys(doc, '/api/admin/hotspot', 'put'),
        kioskSettings: paths.includes('/api/kiosk/settings'),
        detection: paths.includes('/api/admin/detection'),
        status: paths.includes('/api/admin/status'),
      };
    });
  return features;
}

/** Follows a check by Server-Sent Events; returns the function that stops following. */
export function follow(id: string, onStatus: (c: Check) => void, onGone: () => void): () => void {
  const es = new EventSource(`/api/checks/${id}/events`);
  es.addEventListener('status', (e) => {
    const c = JSON.parse((e as MessageEvent<string>).data) as Check;
    onStatus(c);
    if (c.state === 'done' || c.state === 'failed') es.close();
  });
  es.addEventListener('deleted', () => {
    es.close();
    onGone();
  });
  return () => es.close();
}
