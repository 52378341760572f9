/**
 * The wire contract: the JSON answers of a running server, route by route, validated strictly (every
 * field the schema requires present, none it does not name, each of its type) against the response
 * schemas in src/server/schemas, the ones Fastify serialises with and the web UI derives its types
 * from. Answers that do not go through Fastify's serialiser (the status answer built as text, the
 * Server-Sent Events, the JSON report) are where a drift would otherwise pass unseen.
 *
 * Each schema used here is also held to the one the route publishes in its OpenAPI document, and every
 * route publishing a JSON object or list is either exercised here or named below with why it cannot be.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_DETECTION_CONFIG } from '../../src/detect/config.js';
import type { AllowedHost, DetectionConfig } from '../../src/detect/types.js';
import type { JsonReport } from '../../src/report/json.js';
import { DELETED_SCHEMA, KIOSK_SETTINGS_SCHEMA, SESSION_SCHEMA, SETTINGS_SCHEMA } from '../../src/server/schemas/admin.js';
import { ALLOW_SCHEMA, CONFIRM_SCHEMA, HIDDEN_HOST_SCHEMA } from '../../src/server/schemas/allow.js';
import { ADMIN_CHECK_SCHEMA, CHECK_SCHEMA, RUNNING_SCHEMA } from '../../src/server/schemas/checks.js';
import { DETECTION_CONFIG_PROPS, DETECTION_SCHEMA, type DetectionConfigWire } from '../../src/server/schemas/detection.js';
import { DEVICE_CHECK_SCHEMA } from '../../src/server/schemas/device.js';
import { DRIVE_FAILURE_SCHEMA, DRIVES_SCHEMA } from '../../src/server/schemas/exports.js';
import { FEED_HISTORY_SCHEMA, FEED_OUTCOME_SCHEMA, FEED_REMOVED_SCHEMA, FEED_ROLE_SCHEMA, FEED_SCHEMA } from '../../src/server/schemas/feeds.js';
import { HELP_BY_LANG_SCHEMA, HELP_SCHEMA } from '../../src/server/schemas/help.js';
import { HOTSPOT_ADMIN_SCHEMA, HOTSPOT_KIOSK_SCHEMA, UPLINK_STATUS_SCHEMA, UPLINKS_SCHEMA } from '../../src/server/schemas/hotspot.js';
import { SEARCH_SCHEMA } from '../../src/server/schemas/indicators.js';
import { HEALTH_SCHEMA } from '../../src/server/schemas/meta.js';
import { REPORT_SCHEMA, type AllowedHostWire, type ReportWire } from '../../src/server/schemas/report.js';
import { STATUS_SCHEMA } from '../../src/server/schemas/status.js';
import { c2Domains, IOC_YAML, writeDnsCapture } from '../report/fixtures.js';
import { api, asAdmin, importIndicators, login, readEvents, removeDir, startTestServer, tempDir, waitFor, PASSWORD, type AdminSession, type Res, type TestServer } from './helpers.js';

type Schema = object;

/** True when every A is a B; the assertions below fail to compile, not to run, when a type drifts from its schema. */
type Assignable<A, B> = [A] extends [B] ? true : false;
type Same<A, B> = Assignable<A, B> extends true ? Assignable<B, A> : false;
/** `facts` is the inspect output, an interface TypeScript does not match to the schema's open object. */
type ReportBesidesFacts<R> = Omit<R, 'facts'>;
const list = (items: Schema): Schema => ({ type: 'array', items });

/** Routes publishing a JSON object or list that no test here can call, and why. */
const NOT_CALLED: Record<string, string> = {
  'POST /api/admin/feeds/defaults': 'downloads the public lists from the Internet',
  'POST /api/admin/feeds': 'needs an https server with a publicly trusted certificate',
  'POST /api/admin/uplinks/wifi': 'joins a Wi-Fi network through NetworkManager',
  'POST /api/checks/{id}/export/usb': 'needs a mounted USB drive (its 201 answer is checked where the ZIP is written: test/export)',
  'POST /api/checks/{id}/report/usb': 'needs a mounted USB drive',
  'GET /api/device/phones': 'asks adb, whose server would outlive the test',
  'POST /api/device/checks': 'needs a phone on USB',
  'GET /api/device/checks/{id}': 'needs a phone on USB',
};

/** The property names at every depth, as a comparable text: what the OpenAPI conversion keeps of a schema. */
function shape(s: any): unknown {
  if (s === null || typeof s !== 'object') return null;
  const out: Record<string, unknown> = {};
  if (s.properties) for (const k of Object.keys(s.properties).sort()) out[k] = shape(s.properties[k]);
  if (s.items) out['[]'] = shape(s.items);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out['{}'] = shape(s.additionalProperties);
  return out;
}

describe('the wire contract', () => {
  let srv: TestServer;
  let dir: string;
  let admin: AdminSession;
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  const validators = new Map<Schema, ValidateFunction>();
  /** `METHOD path` (as the OpenAPI document writes it) → status → the schema the answer was checked against. */
  const checked = new Map<string, Map<number, Schema>>();
  const c2 = c2Domains('FlexiSpy', 3).find((d) => d === 'api.flexispy.com') ?? c2Domains('FlexiSpy', 1)[0]!;

  /** Validates one answer (a parsed body) against `schema`, strictly, and notes the route as checked. */
  const holds = (route: string, status: number, body: unknown, schema: Schema): void => {
    let v = validators.get(schema);
    if (v === undefined) {
      v = ajv.compile(schema);
      validators.set(schema, v);
    }
    assert.ok(v(body), `${route} ${status}: ${ajv.errorsText(v.errors, { separator: '\n  ' })}\n${JSON.stringify(body).slice(0, 2000)}`);
    const byStatus = checked.get(route) ?? new Map<number, Schema>();
    byStatus.set(status, schema);
    checked.set(route, byStatus);
  };
  const call = async (route: string, path: string, status: number, schema: Schema, opts: Parameters<typeof api>[2] = {}): Promise<Res> => {
    const r = await api(srv.port, path, opts);
    assert.equal(r.status, status, `${route}: ${r.text}`);
    holds(route, status, r.json(), schema);
    return r;
  };
  const asAdminGet = () => ({ headers: asAdmin(admin) });
  const asAdminSend = (method: string, body?: unknown) => ({ method, headers: asAdmin(admin), ...(body === undefined ? {} : { body: body as object }) });

  before(async () => {
    dir = tempDir();
    await importIndicators(dir, [IOC_YAML]);
    srv = await startTestServer({ dataDir: dir, loginMaxPerMinute: 100 });
    const r = await api(srv.port, '/api/admin/login', { method: 'POST', body: { password: PASSWORD } });
    holds('POST /api/admin/login', 200, r.json(), SESSION_SCHEMA);
    admin = await login(srv.port);
  });
  after(async () => {
    await srv?.close();
    removeDir(dir);
  });

  test('meta, session, settings, help, status, detection, indicators', async () => {
    await call('GET /api/health', '/api/health', 200, HEALTH_SCHEMA);
    await call('GET /api/admin/session', '/api/admin/session', 200, SESSION_SCHEMA, asAdminGet());
    await call('GET /api/admin/settings', '/api/admin/settings', 200, SETTINGS_SCHEMA, asAdminGet());
    await call('PUT /api/admin/settings', '/api/admin/settings', 200, SETTINGS_SCHEMA, asAdminSend('PUT', { kioskTitle: 'Help desk' }));
    await call('GET /api/kiosk/settings', '/api/kiosk/settings', 200, KIOSK_SETTINGS_SCHEMA);
    await call('GET /api/kiosk/help', '/api/kiosk/help?lang=fr', 200, HELP_SCHEMA);
    await call('PUT /api/admin/help', '/api/admin/help', 200, HELP_SCHEMA, asAdminSend('PUT', { lang: 'en', contact: 'Front desk, 9-17', helplines: ['0800 000 000'] }));
    await call('GET /api/admin/help', '/api/admin/help', 200, HELP_BY_LANG_SCHEMA, asAdminGet());
    await call('GET /api/admin/status', '/api/admin/status', 200, STATUS_SCHEMA, asAdminGet());
    await call('GET /api/admin/detection', '/api/admin/detection', 200, DETECTION_SCHEMA, asAdminGet());
    await call('PUT /api/admin/detection', '/api/admin/detection', 200, DETECTION_SCHEMA, asAdminSend('PUT', { maxEvidence: 7, disabled: ['PROTO-02'] }));
    await call('GET /api/admin/indicators/search', `/api/admin/indicators/search?q=${c2}`, 200, SEARCH_SCHEMA, asAdminGet());
    await call('GET /api/export/drives', '/api/export/drives', 200, DRIVES_SCHEMA);
  });

  test('feeds and the allow-list', async () => {
    const feeds = await call('GET /api/admin/feeds', '/api/admin/feeds', 200, list(FEED_SCHEMA), asAdminGet());
    assert.ok(feeds.json<unknown[]>().length > 0);
    await call('POST /api/admin/feeds/update', '/api/admin/feeds/update', 200, list(FEED_OUTCOME_SCHEMA), asAdminSend('POST', { force: true }));
    await call('GET /api/admin/feeds/history', '/api/admin/feeds/history', 200, list(FEED_HISTORY_SCHEMA), asAdminGet());
    await call('GET /api/admin/allow-list', '/api/admin/allow-list', 200, list(ALLOW_SCHEMA), asAdminGet());
    await call('POST /api/admin/allow-list', '/api/admin/allow-list', 409, CONFIRM_SCHEMA, asAdminSend('POST', { kind: 'domain', value: c2 }));
    await call('POST /api/admin/allow-list', '/api/admin/allow-list', 201, ALLOW_SCHEMA, asAdminSend('POST', { kind: 'domain', value: c2, confirm: true, note: 'test' }));
  });

  test('an uploaded capture: its check, report, hidden hosts and events', async () => {
    const file = join(dir, 'c2.pcap');
    writeDnsCapture(file, [c2, 'example.org']);
    const up = await call('POST /api/uploads', '/api/uploads?lang=de', 201, CHECK_SCHEMA, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.tcpdump.pcap' },
      body: readFileSync(file),
    });
    const id = up.json<{ id: string }>().id;
    await call('GET /api/checks/{id}', `/api/checks/${id}`, 200, CHECK_SCHEMA);
    const rep = await call('GET /api/checks/{id}/report', `/api/checks/${id}/report?format=json`, 200, REPORT_SCHEMA);
    assert.ok(rep.json<{ allowed: unknown[] }>().allowed.length > 0, 'the allow entry hid the c2 server: report.allowed is exercised');
    const hidden = await call('GET /api/admin/checks/{id}/hidden', `/api/admin/checks/${id}/hidden`, 200, list(HIDDEN_HOST_SCHEMA), asAdminGet());
    assert.ok(hidden.json<unknown[]>().length > 0);
    await call('GET /api/admin/checks', '/api/admin/checks', 200, list(ADMIN_CHECK_SCHEMA), asAdminGet());
    const kioskEvents = await readEvents(srv.port, `/api/checks/${id}/events`);
    for (const e of kioskEvents.filter((x) => x.event === 'status')) holds('GET /api/checks/{id}/events', 200, e.data, CHECK_SCHEMA);
    const adminEvents = await readEvents(srv.port, `/api/admin/checks/${id}/events`, asAdmin(admin));
    for (const e of adminEvents.filter((x) => x.event === 'status')) holds('GET /api/admin/checks/{id}/events', 200, e.data, ADMIN_CHECK_SCHEMA);
    const usb = await api(srv.port, `/api/checks/${id}/export/usb`, { method: 'POST', body: { mountPoint: '/nowhere' } });
    holds('POST /api/checks/{id}/export/usb', usb.status, usb.json(), DRIVE_FAILURE_SCHEMA);
    const pdfUsb = await api(srv.port, `/api/checks/${id}/report/usb`, { method: 'POST', body: { mountPoint: '/nowhere' } });
    holds('POST /api/checks/{id}/report/usb', pdfUsb.status, pdfUsb.json(), DRIVE_FAILURE_SCHEMA);
  });

  test('a live check on the loopback interface, with its live counters', async () => {
    const started = await call('POST /api/checks', '/api/checks', 201, CHECK_SCHEMA, { method: 'POST', body: { interface: 'lo', durationSeconds: 60 } });
    const id = started.json<{ id: string }>().id;
    await call('GET /api/checks/running', '/api/checks/running', 200, RUNNING_SCHEMA);
    // The status answer is built as text from a record part and a live part: both are checked.
    const live = await waitFor('live counters', async () => {
      const r = await api(srv.port, `/api/checks/${id}`);
      return r.json<{ live: unknown }>().live !== null ? r : null;
    });
    holds('GET /api/checks/{id}', 200, live.json(), CHECK_SCHEMA);
    const first = await readEvents(srv.port, `/api/checks/${id}/events`, {}, (e) => e.event === 'status');
    holds('GET /api/checks/{id}/events', 200, first.at(-1)!.data, CHECK_SCHEMA);
    await call('POST /api/checks/{id}/stop', `/api/checks/${id}/stop`, 200, CHECK_SCHEMA, { method: 'POST' });
  });

  test('hotspot and uplinks, as a machine without one answers', async () => {
    await call('GET /api/hotspot', '/api/hotspot', 200, HOTSPOT_KIOSK_SCHEMA);
    await call('GET /api/admin/hotspot', '/api/admin/hotspot', 200, HOTSPOT_ADMIN_SCHEMA, asAdminGet());
    await call('PUT /api/admin/hotspot', '/api/admin/hotspot', 200, HOTSPOT_ADMIN_SCHEMA, asAdminSend('PUT', { channel: 11 }));
    await call('GET /api/admin/uplinks', '/api/admin/uplinks?scan=false', 200, UPLINKS_SCHEMA, asAdminGet());
    await call('GET /api/admin/uplinks/status', '/api/admin/uplinks/status', 200, UPLINK_STATUS_SCHEMA, asAdminGet());
    await call('GET /api/device/checks', '/api/device/checks', 200, list(DEVICE_CHECK_SCHEMA));
  });

  test('removing lists, deleting everything', async () => {
    const name = (await api(srv.port, '/api/admin/feeds', asAdminGet())).json<{ name: string }[]>()[0]!.name;
    await call('PUT /api/admin/feeds/{name}', `/api/admin/feeds/${name}`, 200, FEED_ROLE_SCHEMA, asAdminSend('PUT', { list: 'block' }));
    await call('DELETE /api/admin/feeds/{name}', `/api/admin/feeds/${name}`, 200, FEED_REMOVED_SCHEMA, asAdminSend('DELETE'));
    await call('POST /api/admin/delete-all', '/api/admin/delete-all', 200, DELETED_SCHEMA, asAdminSend('POST', { confirm: 'delete all data' }));
  });

  test('every route publishing a JSON answer was checked, against the schema it publishes', async () => {
    const doc = (await api(srv.port, '/api/docs')).json<{ paths: Record<string, Record<string, { responses?: Record<string, any> }>> }>();
    const published = new Map<string, Map<number, unknown>>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, res] of Object.entries(op.responses ?? {})) {
          const schema = res?.content?.['application/json']?.schema;
          const type = [schema?.type].flat();
          if (!type.includes('object') && !type.includes('array')) continue;
          const route = `${method.toUpperCase()} ${path}`;
          const byStatus = published.get(route) ?? new Map<number, unknown>();
          byStatus.set(Number(status), schema);
          published.set(route, byStatus);
        }
      }
    }
    const twoHundreds = [...published].filter(([, byStatus]) => [...byStatus.keys()].some((s) => s >= 200 && s < 300)).map(([route]) => route);
    const missing = twoHundreds.filter((route) => !(checked.get(route) && [...checked.get(route)!.keys()].some((s) => s < 300)) && !(route in NOT_CALLED));
    assert.deepEqual(missing, [], 'routes publishing a JSON answer that no test here checks (check them, or say in NOT_CALLED why they cannot be)');
    for (const route of Object.keys(NOT_CALLED)) assert.ok(published.has(route), `${route} is listed as not called but publishes no JSON answer`);
    for (const [route, byStatus] of checked) {
      for (const [status, schema] of byStatus) {
        const pub = published.get(route)?.get(status);
        if (pub === undefined) {
          // The JSON report is sent as rendered: its route publishes no schema for it.
          assert.ok(route === 'GET /api/checks/{id}/report' || route.endsWith('/events'), `${route} ${status} publishes no JSON schema`);
          continue;
        }
        assert.deepEqual(shape(pub), shape(schema), `${route} ${status}: the schema checked here is not the one the route publishes`);
      }
    }
  });

  test('the detection settings schema names every setting, typed like its default', () => {
    const typeOf = (v: unknown): unknown =>
      Array.isArray(v) ? { type: 'array', items: { type: typeof v[0] === 'number' ? 'number' : 'string' } } : v === null ? { type: ['string', 'null'] } : { type: typeof v };
    assert.deepEqual(Object.keys(DETECTION_CONFIG_PROPS).sort(), Object.keys(DEFAULT_DETECTION_CONFIG).sort());
    for (const [k, v] of Object.entries(DEFAULT_DETECTION_CONFIG)) assert.deepEqual(DETECTION_CONFIG_PROPS[k as keyof typeof DETECTION_CONFIG_PROPS], typeOf(v), k);
  });

  test('the JSON report, allowed hosts and detection settings, as the server types them, fit the wire schemas (checked by tsc)', () => {
    const report: Assignable<ReportBesidesFacts<JsonReport>, ReportBesidesFacts<ReportWire>> = true;
    const allowed: Same<AllowedHost, AllowedHostWire> = true;
    const detection: Same<DetectionConfig, DetectionConfigWire> = true;
    assert.deepEqual([report, allowed, detection], [true, true, true]);
  });
});
