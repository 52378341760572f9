/** The quietcheck API as the UI uses it. Every error is `{ error, message }`; it becomes an ApiError. */

// The answers' types are derived from the server's response schemas (src/server/schemas), the ones
// Fastify serialises and documents with: a change there that the UI does not follow fails to compile.
// Type-only imports, so nothing of the server enters the bundle.
import type { AdminCheckWire, CheckWire, LiveWire, RunningWire } from '../../src/server/schemas/checks.ts';
import type { DeletedWire, KioskSettingsWire, SessionWire, SettingsWire } from '../../src/server/schemas/admin.ts';
import type { AllowEntryWire, AllowImpactWire, HiddenHostWire } from '../../src/server/schemas/allow.ts';
import type { DetectionConfigWire, DetectionOverridesWire, DetectionWire } from '../../src/server/schemas/detection.ts';
import type { DriveWire, DrivesWire, WrittenWire } from '../../src/server/schemas/exports.ts';
import type { FeedOutcomeWire, FeedRemovedWire, FeedRoleWire, FeedWire } from '../../src/server/schemas/feeds.ts';
import type { HelpByLangWire, LocalHelpWire } from '../../src/server/schemas/help.ts';
import type { HotspotAdminWire, HotspotSettingsWire, UplinkStatusWire, UplinksWire, WifiJoinedWire, WifiNetworkWire } from '../../src/server/schemas/hotspot.ts';
import type { IndicatorMatchWire, SearchWire } from '../../src/server/schemas/indicators.ts';
import type { HealthWire } from '../../src/server/schemas/meta.ts';
import type { AllowedHostWire, FeedSummaryWire, FindingWire, ReportWire } from '../../src/server/schemas/report.ts';
import type { AdminStatusWire } from '../../src/server/schemas/status.ts';

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

export type CheckState = CheckWire['state'];
/** `inconclusive`: too little was recorded to say (never shown as the green tick). */
export type Level = NonNullable<CheckWire['result']>['level'];
export type Live = LiveWire;
/** A traffic check; `indicatorHits` in the admin's list only. */
export type Check = CheckWire & Partial<Pick<AdminCheckWire, 'indicatorHits'>>;
export type CheckMode = CheckWire['mode'];

export type Report = ReportWire;
export type Finding = FindingWire;
export type Evidence = FindingWire['evidence'][number];
export type FeedSummary = FeedSummaryWire;
/** A host an allow-list kept out of the findings; `level`/`families` say what it would have been. */
export type AllowedHost = AllowedHostWire;
/** The same, in the admin's list for a finished check (GET /api/admin/checks/{id}/hidden): always with a level. */
export type HiddenHost = HiddenHostWire;

/** The service's contact and helplines for one language (`fromService` false: quietcheck's examples). */
export type LocalHelp = LocalHelpWire;
/** What an allow entry would hide (the 409 answer of POST /api/admin/allow-list). */
export type AllowImpact = AllowImpactWire;
export type AllowEntry = AllowEntryWire;

export type Feed = FeedWire;
/** One feed's outcome of "update now", of adding the public lists, or of adding a list by address. */
export type FeedUpdate = FeedOutcomeWire;
/** One indicator that a searched value matches, and where it comes from. */
export type IndicatorMatch = IndicatorMatchWire;

/** Formats a list can be added in by address (a MISP instance needs an API key: feeds.yaml only). */
export const FEED_FORMATS = ['echap-yaml', 'stix2', 'mvt-index', 'tinycheck-iocs', 'tinycheck-whitelist', 'misp-event', 'misp-feed', 'suricata', 'hosts', 'lines', 'csv', 'yara', 'echap-samples'] as const;

/** A removable drive mounted on this machine (GET /api/export/drives). */
export type Drive = DriveWire;
/** What was written to a drive. */
export type UsbWritten = WrittenWire;

export type Settings = SettingsWire;
/** What the admin may change through PUT /api/admin/settings. */
export type SettingsChange = Partial<Pick<Settings, 'retentionDays' | 'defaultDurationMinutes' | 'defaultLang' | 'kioskUpload' | 'kioskIdleMinutes' | 'kioskNetworkChoice' | 'kioskTitle' | 'kioskRevealElsewhere'>>;
/**
 * The kiosk's options, readable without a login; `defaultLang` is '' where the server did not answer
 * (the kiosk then keeps the browser's language).
 */
export type KioskSettings = Omit<KioskSettingsWire, 'defaultLang'> & { defaultLang: KioskSettingsWire['defaultLang'] | '' };

/** Rule switches, thresholds and lists of the detection engine. */
export type DetectionConfig = DetectionConfigWire;
export type DetectionOverrides = DetectionOverridesWire;
export type Detection = DetectionWire;

export type AdminStatus = AdminStatusWire;
export type HotspotSettings = HotspotSettingsWire;
export type HotspotAdmin = HotspotAdminWire;
export type WifiNetwork = WifiNetworkWire;
export type Uplinks = UplinksWire;
export type UplinkStatus = UplinkStatusWire;

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
  running: () => call<RunningWire>('GET', '/api/checks/running'),
  remove: (id: string) => call<void>('DELETE', `/api/checks/${id}`),
  report: (id: string, lang: string) => call<Report>('GET', `/api/checks/${id}/report?format=json&lang=${lang}`),
  reportUrl: (id: string, format: 'html' | 'pdf', lang: string) => `/api/checks/${id}/report?format=${format}&lang=${lang}`,
  /** The HTML report in the kiosk's own window, with a bar back to the result. */
  reportViewUrl: (id: string, lang: string) => `/api/checks/${id}/report/view?lang=${lang}`,
  drives: () => call<DrivesWire>('GET', '/api/export/drives'),
  exportToUsb: (id: string, body: { mountPoint: string; passphrase?: string; lang: string }) => call<UsbWritten>('POST', `/api/checks/${id}/export/usb`, body),
  pdfToUsb: (id: string, body: { mountPoint: string; lang: string }) => call<UsbWritten>('POST', `/api/checks/${id}/report/usb`, body),
  health: () => call<HealthWire>('GET', '/api/health'),
  login: (password: string) => call<SessionWire>('POST', '/api/admin/login', { password }),
  session: () => call<SessionWire>('GET', '/api/admin/session'),
  logout: () => call<void>('POST', '/api/admin/logout'),
  password: (current: string, next: string) => call<void>('POST', '/api/admin/password', { current, next }),
  checks: () => call<AdminCheckWire[]>('GET', '/api/admin/checks'),
  settings: () => call<Settings>('GET', '/api/admin/settings'),
  saveSettings: (retentionDays: number) => call<Settings>('PUT', '/api/admin/settings', { retentionDays }),
  changeSettings: (change: SettingsChange) => call<Settings>('PUT', '/api/admin/settings', change),
  detection: () => call<Detection>('GET', '/api/admin/detection'),
  saveDetection: (overrides: DetectionOverrides) => call<Detection>('PUT', '/api/admin/detection', overrides),
  status: () => call<AdminStatus>('GET', '/api/admin/status'),
  hotspot: () => call<HotspotAdmin>('GET', '/api/admin/hotspot'),
  saveHotspot: (change: Partial<HotspotSettings>) => call<HotspotAdmin>('PUT', '/api/admin/hotspot', change),
  uplinks: (scan: boolean) => call<Uplinks>('GET', `/api/admin/uplinks?scan=${scan}`),
  uplinkStatus: () => call<UplinkStatus>('GET', '/api/admin/uplinks/status'),
  joinWifi: (body: { iface: string; ssid: string; password?: string }) => call<WifiJoinedWire>('POST', '/api/admin/uplinks/wifi', body),
  deleteAll: () => call<DeletedWire>('POST', '/api/admin/delete-all', { confirm: 'delete all data' }),
  allowList: () => call<AllowEntry[]>('GET', '/api/admin/allow-list'),
  hidden: (id: string) => call<HiddenHost[]>('GET', `/api/admin/checks/${id}/hidden`),
  allow: (kind: AllowEntry['kind'], value: string, note?: string, confirm = false) =>
    call<AllowEntry>('POST', '/api/admin/allow-list', { kind, value, ...(note ? { note } : {}), ...(confirm ? { confirm: true } : {}) }),
  unallow: (id: number) => call<void>('DELETE', `/api/admin/allow-list/${id}`),
  feeds: () => call<Feed[]>('GET', '/api/admin/feeds'),
  updateFeeds: (body?: { acceptShrink: string[]; force: boolean }) => call<FeedUpdate[]>('POST', '/api/admin/feeds/update', body),
  adminHelp: () => call<HelpByLangWire>('GET', '/api/admin/help'),
  saveHelp: (lang: string, contact: string, helplines: string[]) => call<LocalHelp>('PUT', '/api/admin/help', { lang, contact, helplines }),
  kioskHelp: (lang: string) => call<LocalHelp>('GET', `/api/kiosk/help?lang=${encodeURIComponent(lang)}`),
  addPublicFeeds: () => call<FeedUpdate[]>('POST', '/api/admin/feeds/defaults'),
  removeFeed: (name: string) => call<FeedRemovedWire>('DELETE', `/api/admin/feeds/${encodeURIComponent(name)}`),
  feedRole: (name: string, list: 'block' | 'allow') => call<FeedRoleWire>('PUT', `/api/admin/feeds/${encodeURIComponent(name)}`, { list }),
  addFeed: (body: { url: string; list?: 'block' | 'allow'; format?: string; local?: boolean }) => call<FeedUpdate[]>('POST', '/api/admin/feeds', body),
  searchIndicators: (path: string, q: string) =>
    call<SearchWire>('GET', `${path}?q=${encodeURIComponent(q)}`),
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
