/**
 * The HTTP API of `quietcheck serve`. Every route has a JSON schema (validated on input, published at
 * /api/docs as OpenAPI); every error is `{ error, message }` with a 4xx for anything the caller did.
 */
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createHistogram, monitorEventLoopDelay, type IntervalHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { trackChildrenIn } from '../capture/children.js';
import { LiveCaptureError } from '../capture/live.js';
import { consoleFeedConfigs } from '../indicators/feed-admin.js';
import { ACTIVE_STATES, CheckConflictError, CheckInputError, CheckManager } from '../checks/manager.js';
import { DiskFullError, requireRoom } from '../checks/disk-space.js';
import { updateFeeds } from '../indicators/feeds.js';
import { ChromiumFailedError, ChromiumMissingError } from '../report/pdf.js';
import { isLang, LANGS, type Lang } from '../report/i18n/index.js';
import { quietcheckVersion } from '../report/analyze.js';
import type { AllowKind, CheckRecord, Store } from '../store/store.js';
import { createHash } from 'node:crypto';
import { Access } from './access.js';
import { DEVICE_COOKIE, LoginGuard } from './login-guard.js';
import { hashPassword, passwordProblem, Sessions, SESSION_COOKIE, verifyPassword } from './auth.js';
import type { ServeConfig } from './config.js';
import { ERROR_SCHEMA, ID_PARAMS, sendError } from './errors.js';
import { IndicatorCache } from './indicators.js';
import { localHelpFor } from '../store/local-help.js';
import { CONTENT_TYPES, etagMatches, REPORT_FORMATS, ReportCache, type ReportFormat } from './reports.js';
import { receiveCapture } from './upload.js';
// Hotspot and sinkhole checks.
import { HotspotService } from '../hotspot/service.js';
import { hotspotError, registerHotspotRoutes } from './hotspot.js';
import { registerExportRoutes } from './export-routes.js';
import { registerKioskReportRoutes } from './kiosk-report-routes.js';

export const RETENTION_SETTING = 'retentionDays';
const SWEEP_EVERY_MS = 3_600_000;
const CAPTURE_TYPES = ['application/vnd.tcpdump.pcap', 'application/x-pcapng', 'application/octet-stream'];

const LIVE_SCHEMA = {
  type: ['object', 'null'],
  properties: {
    elapsedSeconds: { type: 'number' },
    packets: { type: 'integer' },
    bytes: { type: 'integer' },
    servers: { type: 'integer', description: 'distinct server addresses contacted' },
    deviceSeen: { type: 'boolean' },
    deviceAddress: { type: ['string', 'null'] },
    series: {
      type: 'array',
      description: 'packets and bytes per second, the last 60 seconds with traffic',
      items: { type: 'object', properties: { t: { type: 'integer' }, packets: { type: 'integer' }, bytes: { type: 'integer' } } },
    },
  },
} as const;

const CHECK_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    source: { type: 'string', enum: ['live', 'upload', 'device'], description: 'device: a phone read over USB (its serial in device; its report at /api/device/checks/{id}/report)' },
    state: { type: 'string', enum: ['created', 'waiting-for-device', 'capturing', 'analysing', 'done', 'failed'] },
    interface: { type: ['string', 'null'] },
    device: { type: ['string', 'null'] },
    durationSeconds: { type: ['integer', 'null'] },
    lang: { type: 'string' },
    createdAt: { type: 'string' },
    startedAt: { type: ['string', 'null'] },
    stoppedAt: { type: ['string', 'null'] },
    finishedAt: { type: ['string', 'null'] },
    packets: { type: 'integer' },
    bytes: { type: 'integer' },
    error: { type: ['string', 'null'] },
    recovered: { type: 'boolean' },
    mode: { type: 'string', enum: ['interface', 'hotspot', 'sinkhole'], description: 'how the phone was connected' },
    deviceName: { type: ['string', 'null'], description: 'the name the device gave in its DHCP request (hotspot modes)' },
    filter: { type: ['string', 'null'], description: 'the capture filter in force (hotspot modes: ether host <mac> once the device joined)' },
    result: {
      type: ['object', 'null'],
      properties: { level: { type: 'string' }, families: { type: 'array', items: { type: 'string' } } },
    },
    live: LIVE_SCHEMA,
  },
} as const;

const ADMIN_CHECK_SCHEMA = {
  ...CHECK_SCHEMA,
  properties: { ...CHECK_SCHEMA.properties, indicatorHits: { type: ['integer', 'null'], description: 'admin view only' } },
} as const;

const NO_CONTENT = { type: 'null', description: 'done' } as const;
const ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA } as const;

export interface ServerHandle {
  app: FastifyInstance;
  manager: CheckManager;
  indicators: IndicatorCache;
  /** Where it listens, once `listen` resolved. */
  url: string;
  /** The checks a previous run left unfinished, once finished in the background. */
  recovered: Promise<CheckRecord[]>;
  /** Stops captures (finishing their checks), the HTTP server and the database. */
  close(): Promise<void>;
}

export interface ServerOptions {
  config: ServeConfig;
  store: Store;
  log?: (msg: string) => void;
  /** For tests: pretend now is another time in retention sweeps. */
  now?: () => Date;
}

function retentionDays(store: Store, cfg: ServeConfig): number {
  const v = store.getSetting(RETENTION_SETTING);
  return v !== null && /^\d+$/.test(v) ? Number(v) : cfg.retentionDays;
}

/** Latency histograms for the bench (see QUIETCHECK_BENCH_TIMINGS in buildServer); milliseconds out. */
function benchTimings(): { hook(kind: string): (req: FastifyRequest, reply: FastifyReply) => Promise<void>; read(): Record<string, unknown>; reset(): void } {
  const hist = new Map<string, RecordableHistogram>();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const ms = (h: IntervalHistogram | RecordableHistogram, scale: number): Record<string, number> => ({
    n: h.count, p50: h.percentile(50) / scale, p90: h.percentile(90) / scale, p99: h.percentile(99) / scale, max: h.max / scale, mean: h.mean / scale,
  });
  return {
    hook: (kind) => {
      const h = createHistogram();
      hist.set(kind, h);
      return async (_req, reply) => h.record(Math.max(1, Math.round(reply.elapsedTime * 1000)));
    },
    // The loop histogram holds whole sampling intervals: the delay is what exceeds the 5 ms asked for.
    read: () => ({ ...Object.fromEntries([...hist].map(([k, h]) => [k, ms(h, 1000)])), loop: Object.fromEntries(Object.entries(ms(loop, 1e6)).map(([k, v]) => [k, k === 'n' ? v : Math.max(0, v - 5)])) }),
    reset: () => {
      for (const h of hist.values()) h.reset();
      loop.reset();
    },
  };
}

export async function buildServer(opts: ServerOptions): Promise<ServerHandle> {
  const { config: cfg, store } = opts;
  const log = opts.log ?? (() => {});
  const now = opts.now ?? (() => new Date());
  const indicators = new IndicatorCache(store, cfg.dataDir);
  const hotspot = new HotspotService({
    store,
    dataDir: cfg.dataDir,
    log,
    // The port actually listened on (0 in the configuration picks one).
    adminPort: () => {
      const addr = app.server.address();
      return typeof addr === 'object' && addr !== null ? addr.port : cfg.port;
    },
  });
  const manager = new CheckManager({ store, dataDir: cfg.dataDir, indicators: () => indicators.get(), tcpdumpPath: cfg.tcpdumpPath, log, now, hotspot });
  const sessions = new Sessions(store, cfg.sessionHours);
  const loginGuard = new LoginGuard(store, cfg.loginMaxPerMinute, log);
  const access = new Access(cfg, sessions);
  const reports = new ReportCache((lang) => {
    const { contact, helplines } = localHelpFor(store, lang); // the service's own help in every report
    return { contact, helplines };
  });
  manager.on('change', (id: string) => {
    if (manager.get(id) === null) reports.forget(id);
  });

  // Programs a dead run left (a tcpdump still writing to a closed pipe, dnsmasq, hostapd) are killed first.
  for (const m of trackChildrenIn(cfg.dataDir)) log(`cleanup: ${m}`);
  // What a dead run's hotspot left (processes, nftables table, address) goes before anything starts.
  for (const m of await hotspot.recoverStale()) log(`hotspot cleanup: ${m}`);
  // Checks a crash cut off are finished in the background (their analysis runs in a worker thread):
  // the server answers at once, and those checks show "analysing" until their report is ready.
  const recovered = manager.recover().then(
    (done) => {
      if (done.length > 0) log(`finalised ${done.length} check(s) left unfinished by a previous run`);
      return done;
    },
    (err: unknown) => {
      log(`finishing the checks a previous run left failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return [] as CheckRecord[];
    },
  );

  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    trustProxy: false,
    // Unknown fields are an error to report, not something to drop silently and act on the rest.
    ajv: { customOptions: { removeAdditional: false } },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'quietcheck',
        version: quietcheckVersion(),
        description:
          'Checks, without touching a phone, whether it talks to stalkerware servers. Kiosk routes are open from the local machine; ' +
          '/api/admin routes need the admin session cookie and, for changes, the x-csrf-token header from the login answer.',
      },
      tags: [{ name: 'checks' }, { name: 'admin' }, { name: 'meta' }],
    },
  });

  // Forms and text/plain are what a foreign page can send without a CORS preflight: not accepted.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(CAPTURE_TYPES, (_req, _payload, done) => done(null, undefined));

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, _req, reply) => {
    if (err.validation) return sendError(reply, 400, 'bad-request', err.message);
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(err.message) ? 'bad-json'
          : status === 413 ? 'too-large'
            : status === 415 ? 'unsupported-media-type'
              : status === 429 ? 'rate-limited'
                : 'bad-request';
      return sendError(reply, status, code, err.message);
    }
    log(`internal error: ${err.stack ?? err.message}`);
    return sendError(reply, 500, 'internal', 'internal error');
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, 404, 'not-found', 'no such route'));

  app.addHook('onRequest', async (req, reply) => {
    if (!access.gate(req, reply)) return reply;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cache-control', 'no-store');
    reply.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'self'; frame-ancestors 'none'",
    );
    return payload;
  });

  const kiosk = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (!access.kiosk(req, reply)) return reply;
    return undefined;
  };
  const admin = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (!access.admin(req, reply)) return reply;
    return undefined;
  };
  // Where the admin chose to read results on the worker's own screen, the kiosk never gets one: the
  // report and the evidence archive go to an admin session only.
  const resultHidden = (req: FastifyRequest): boolean => readGeneralSettings(store, cfg.lang).kioskRevealElsewhere && !access.hasSession(req);
  const result = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (!access.kiosk(req, reply)) return reply;
    if (resultHidden(req)) {
      return sendError(reply, 403, 'result-elsewhere', "this kiosk shows no results: the check's result is read in the admin console");
    }
    return undefined;
  };

  const view = (c: CheckRecord, withHits: boolean): Record<string, unknown> => ({
    ...recordView(c),
    live: manager.snapshot(c.id),
    ...(withHits ? { indicatorHits: manager.indicatorHits(c.id) } : {}),
  });
  /** What a status answer says that depends on the stored record only (everything but the live counters). */
  const recordView = (c: CheckRecord): Record<string, unknown> => ({
    id: c.id,
    source: c.source,
    state: c.state,
    interface: c.iface,
    device: c.device,
    durationSeconds: c.durationSeconds,
    lang: c.lang,
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    stoppedAt: c.stoppedAt,
    finishedAt: c.finishedAt,
    packets: c.packets,
    bytes: c.bytes,
    error: c.error,
    recovered: c.recovered,
    mode: c.mode,
    deviceName: c.deviceName,
    filter: c.filter,
    result: c.state === 'done' && c.level !== null ? { level: c.level, families: c.families } : null,
  });

  // Status polls are most of the traffic while a check runs. The record's part of the answer is
  // serialised (by the route's own schema serialiser) once per version of the record: the store hands
  // out the same frozen object until the check changes. The live counters are serialised once per
  // snapshot (LiveStats hands out the same one until a frame arrives or a tenth of a second passes).
  const { live: _live, ...RECORD_PROPERTIES } = CHECK_SCHEMA.properties;
  const RECORD_SCHEMA = { type: 'object', properties: RECORD_PROPERTIES } as const;
  const recordJson = new WeakMap<CheckRecord, string>();
  const liveJson = new WeakMap<object, string>();
  let serializeRecord: ((v: Record<string, unknown>) => string) | null = null;
  let serializeLive: ((v: Record<string, unknown>) => string) | null = null;
  const statusJson = (reply: FastifyReply, c: CheckRecord, hideResult = false): string => {
    serializeRecord ??= reply.compileSerializationSchema(RECORD_SCHEMA);
    serializeLive ??= reply.compileSerializationSchema(LIVE_SCHEMA);
    let head = hideResult ? serializeRecord({ ...recordView(c), result: null }).slice(0, -1) : recordJson.get(c);
    if (head === undefined) {
      head = serializeRecord(recordView(c)).slice(0, -1); // without its closing brace
      recordJson.set(c, head);
    }
    const live = manager.snapshot(c.id);
    if (live === null) return `${head},"live":null}`;
    let lj = liveJson.get(live);
    if (lj === undefined) {
      lj = serializeLive(live as unknown as Record<string, unknown>);
      liveJson.set(live, lj);
    }
    return `${head},"live":${lj}}`;
  };

  /**
   * A check whose id cannot reach the client is not kept. A body longer than its Content-Length leaves
   * bytes that Node reads as a broken next request: it answers 400 and closes the connection, while the
   * first Content-Length bytes made a whole request that would otherwise create a check nobody knows
   * of. So: connection already gone, the check is deleted now (true: nothing to send); the answer not
   * fully sent, it is deleted then.
   */
  const keepOnlyIfDelivered = (req: FastifyRequest, reply: FastifyReply, id: string): boolean => {
    const drop = (): void => {
      log(`check ${id}: the client's connection ended before it got the check's id (a body that did not match its Content-Length?); the check is deleted`);
      void manager.delete(id).then(() => reports.forget(id), (e: unknown) => log(`check ${id}: delete failed: ${String(e)}`));
    };
    const socket = req.raw.socket;
    if (socket.destroyed || !socket.writable) {
      drop();
      reply.hijack(); // nothing can be sent on a closed connection
      return true;
    }
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) drop();
    });
    return false;
  };

  const found = (reply: FastifyReply, id: string): CheckRecord | null => {
    const c = manager.get(id);
    if (c === null) sendError(reply, 404, 'not-found', 'no such check');
    return c;
  };

  const events = (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, withHits: boolean): void => {
    const id = req.params.id;
    if (found(reply, id) === null) return;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
      'x-accel-buffering': 'no',
    });
    let open = true;
    const close = (): void => {
      if (!open) return;
      open = false;
      clearInterval(timer);
      manager.off('change', onChange);
      res.end();
    };
    const send = (): void => {
      if (!open) return;
      const c = manager.get(id);
      if (c === null) {
        res.write('event: deleted\ndata: {}\n\n');
        close();
        return;
      }
      const v = view(c, withHits);
      if (!withHits && resultHidden(req)) v.result = null;
      res.write(`event: status\ndata: ${JSON.stringify(v)}\n\n`);
      if (c.state === 'done' || c.state === 'failed') close();
    };
    const onChange = (changed: string): void => {
      if (changed === id) send();
    };
    const timer = setInterval(send, 1000);
    manager.on('change', onChange);
    req.raw.on('close', close);
    send();
  };

  // ---------------------------------------------------------------------------------------------
  // Meta

  app.get('/api/docs', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/health', { schema: { tags: ['meta'], response: { 200: { type: 'object', properties: { ok: { type: 'boolean' }, version: { type: 'string' } } } } } }, async () => ({
    ok: true,
    version: quietcheckVersion(),
  }));

  // ---------------------------------------------------------------------------------------------
  // Kiosk: checks

  app.post<{ Body: { interface?: string; device?: string; durationSeconds?: number; lang?: string; mode?: 'interface' | 'hotspot' | 'sinkhole' } }>(
    '/api/checks',
    {
      preHandler: kiosk,
      schema: {
        tags: ['checks'],
        summary: 'start a live check: capture on a network interface until stopped or until the duration ends',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            interface: { type: 'string', minLength: 1, maxLength: 15, description: 'defaults to the configured interface' },
            device: { type: 'string', maxLength: 64, description: "only this device's traffic: a MAC or an IP address" },
            durationSeconds: { type: 'integer', minimum: 10, maximum: 86400, description: 'omit to stop by hand' },
            lang: { type: 'string', enum: [...LANGS] },
            mode: {
              type: 'string',
              enum: ['interface', 'hotspot', 'sinkhole'],
              description:
                "interface: capture an existing interface; hotspot: quietcheck's own Wi-Fi with internet through the uplink; sinkhole: its own Wi-Fi with no internet, names answered locally. Omitted: the configured interface if there is one, else quietcheck's own Wi-Fi in the admin's default mode when a hotspot interface is set",
            },
          },
        },
        response: { 201: CHECK_SCHEMA, ...ERRORS, 503: ERROR_SCHEMA, 507: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const body = req.body ?? {};
      // A kiosk where the admin hid the network choice sends no mode: a box set up only with its own
      // Wi-Fi must still start the check the admin expects there.
      const hotspotDefault = hotspot.settings();
      const mode = body.mode ?? (body.interface === undefined && !cfg.interface && hotspotDefault.iface !== null ? hotspotDefault.mode : 'interface');
      const iface = body.interface ?? cfg.interface;
      if (!iface && mode === 'interface') return sendError(reply, 400, 'no-interface', 'say which network interface to capture on (no default is configured)');
      try {
        const c = await manager.createLive({ iface: iface ?? '', device: body.device ?? null, durationSeconds: body.durationSeconds ?? null, lang: (body.lang as Lang | undefined) ?? readGeneralSettings(store, cfg.lang).defaultLang, mode });
        if (keepOnlyIfDelivered(req, reply, c.id)) return reply;
        return reply.code(201).send(view(c, false));
      } catch (err) {
        const h = hotspotError(err);
        if (h !== null) return sendError(reply, h.status, h.code, h.message);
        if (err instanceof CheckInputError) return sendError(reply, 400, err.code, err.message);
        if (err instanceof CheckConflictError) return sendError(reply, 409, 'busy', err.message);
        if (err instanceof DiskFullError) return sendError(reply, 507, 'disk-full', err.message);
        if (err instanceof LiveCaptureError) {
          const status = err.kind === 'no-such-interface' || err.kind === 'bad-filter' ? 400 : 503;
          return sendError(reply, status, err.kind, err.message);
        }
        throw err;
      }
    },
  );

  // For bench/serve-load.ts only (QUIETCHECK_BENCH_TIMINGS=1): the server's own view of status and report
  // latency (reply.elapsedTime) and of its event-loop delay, read (and with ?reset=1 restarted) at a hidden route.
  const timings = process.env.QUIETCHECK_BENCH_TIMINGS === '1' ? benchTimings() : null;
  if (timings !== null) {
    app.get<{ Querystring: { reset?: string } }>('/api/debug/timings', { preHandler: kiosk, schema: { hide: true } }, async (req) => {
      const out = timings.read();
      if (req.query.reset !== undefined) timings.reset();
      return out;
    });
  }

  // The kiosk that meets "another check is running" opens that check rather than leaving it unreachable.
  app.get(
    '/api/checks/running',
    {
      preHandler: kiosk,
      schema: {
        tags: ['checks'],
        summary: 'the live checks not finished yet (capturing, waiting for the phone or analysing), newest first: their ids and states only',
        response: {
          200: { type: 'object', properties: { checks: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, state: { type: 'string' }, createdAt: { type: 'string' } } } } } },
          ...ERRORS,
        },
      },
    },
    async () => ({
      checks: manager
        .list()
        .filter((c) => c.source === 'live' && (ACTIVE_STATES as readonly string[]).includes(c.state))
        .map((c) => ({ id: c.id, state: c.state, createdAt: c.createdAt })),
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/checks/:id',
    {
      preHandler: kiosk,
      ...(timings !== null ? { onResponse: timings.hook('status') } : {}),
      schema: { tags: ['checks'], summary: 'the state of a check and its live counters', params: ID_PARAMS, response: { 200: CHECK_SCHEMA, ...ERRORS } },
    },
    async (req, reply) => {
      const c = found(reply, req.params.id);
      if (c === null) return reply;
      // Already JSON: Fastify sends a string with a JSON content type as it is.
      return reply.type('application/json; charset=utf-8').send(statusJson(reply, c, resultHidden(req)));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/checks/:id/events',
    {
      preHandler: kiosk,
      schema: {
        tags: ['checks'],
        summary: 'Server-Sent Events: a "status" event (the check, as GET /api/checks/{id}) every second and on each change; ends when the check is done or failed',
        params: ID_PARAMS,
        response: { 200: { type: 'string', description: 'text/event-stream' }, ...ERRORS },
      },
    },
    async (req, reply) => events(req, reply, false),
  );

  app.post<{ Params: { id: string } }>(
    '/api/checks/:id/stop',
    { preHandler: kiosk, schema: { tags: ['checks'], summary: 'stop a live check; answers once its report is ready', params: ID_PARAMS, response: { 200: CHECK_SCHEMA, ...ERRORS } } },
    async (req, reply) => {
      if (found(reply, req.params.id) === null) return reply;
      const v = view(await manager.stop(req.params.id), false);
      if (resultHidden(req)) v.result = null;
      return v;
    },
  );

  app.get<{ Params: { id: string }; Querystring: { format?: ReportFormat; lang?: string } }>(
    '/api/checks/:id/report',
    {
      preHandler: result,
      ...(timings !== null ? { onResponse: timings.hook('report') } : {}),
      schema: {
        tags: ['checks'],
        summary: 'the report of a finished check',
        params: ID_PARAMS,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { type: 'string', enum: [...REPORT_FORMATS], default: 'html' }, lang: { type: 'string', enum: [...LANGS] } },
        },
        response: { ...ERRORS, 503: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const c = found(reply, req.params.id);
      if (c === null) return reply;
      // A check a full disk cut short failed but keeps a report of what it recorded.
      const reportable = c.state === 'done' || (c.state === 'failed' && manager.analysis(c.id) !== null);
      if (!reportable) return sendError(reply, 409, 'not-ready', c.state === 'failed' ? `the check failed: ${c.error ?? ''}` : `the check is ${c.state}`);
      const format = req.query.format ?? 'html';
      const lang = req.query.lang && isLang(req.query.lang) ? req.query.lang : isLang(c.lang) ? c.lang : cfg.lang;
      // A report already rendered is a lookup: no analysis to find, no promise to wait for.
      let r = reports.peek(c.id, format, lang);
      try {
        if (r === undefined) {
          const analysis = manager.analysis(c.id);
          if (analysis === null) return sendError(reply, 404, 'not-found', 'the report of this check is missing');
          r = await reports.render(c.id, analysis, format, lang);
        }
        reply.type(CONTENT_TYPES[format]);
        reply.header('etag', r.etag);
        reply.header('vary', 'accept-encoding');
        if (format === 'pdf') reply.header('content-disposition', `attachment; filename="quietcheck-${c.id.slice(0, 8)}.pdf"`);
        if (etagMatches(req.headers['if-none-match'], r.etag)) return reply.code(304).send();
        // PDF is compressed already; HTML and JSON shrink about tenfold, which is what lets a page of
        // polling viewers read a large report without saturating the machine.
        if (format !== 'pdf' && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
          reply.header('content-encoding', 'gzip');
          return reply.send(r.gzipped());
        }
        return reply.send(r.body);
      } catch (err) {
        if (err instanceof ChromiumMissingError) return sendError(reply, 503, 'pdf-unavailable', 'PDF reports need Chromium, which is not installed');
        if (err instanceof ChromiumFailedError) return sendError(reply, 503, 'pdf-failed', err.message);
        throw err;
      }
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/checks/:id',
    { preHandler: kiosk, schema: { tags: ['checks'], summary: 'delete a check: its capture, its report and its record', params: ID_PARAMS, response: { 204: NO_CONTENT, ...ERRORS } } },
    async (req, reply) => {
      if (!(await manager.delete(req.params.id))) return sendError(reply, 404, 'not-found', 'no such check');
      reports.forget(req.params.id);
      return reply.code(204).send();
    },
  );

  app.post<{ Querystring: { lang?: string; name?: string } }>(
    '/api/uploads',
    {
      preHandler: kiosk,
      schema: {
        tags: ['checks'],
        summary: 'analyse a pcap or pcapng file: send its bytes as the body (content-type application/vnd.tcpdump.pcap, application/x-pcapng or application/octet-stream)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { lang: { type: 'string', enum: [...LANGS] }, name: { type: 'string', maxLength: 255, description: "the file's own name, shown in the report (last path part only)" } },
        },
        response: { 201: CHECK_SCHEMA, ...ERRORS, 413: ERROR_SCHEMA, 415: ERROR_SCHEMA, 422: ERROR_SCHEMA, 507: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > cfg.maxUploadBytes) {
        reply.header('connection', 'close');
        return sendError(reply, 413, 'too-large', `captures larger than ${cfg.maxUploadBytes} bytes are refused`);
      }
      // Refused before a byte is read or anything created: the capture, its report and the records must fit.
      try {
        requireRoom(cfg.dataDir, Number.isFinite(declared) ? declared : 0, 'this capture');
      } catch (err) {
        if (!(err instanceof DiskFullError)) throw err;
        reply.header('connection', 'close');
        return sendError(reply, 507, 'disk-full', err.message);
      }
      let created: string | null = null;
      let got;
      try {
        got = await receiveCapture(req.raw, cfg.maxUploadBytes, () => {
          const { check, path } = manager.createUpload((req.query.lang as Lang | undefined) ?? readGeneralSettings(store, cfg.lang).defaultLang);
          created = check.id;
          return path;
        });
      } catch (err) {
        if (!(err instanceof DiskFullError)) throw err;
        reply.header('connection', 'close');
        return sendError(reply, 507, 'disk-full', err.message);
      }
      if (!got.ok) {
        if (created !== null) await manager.discardUpload(created);
        reply.header('connection', 'close');
        const status = got.reason === 'too-large' ? 413 : got.reason === 'not-a-capture' ? 415 : got.reason === 'write-failed' || got.reason === 'disk-full' ? 507 : 400;
        return sendError(reply, status, got.reason, got.message);
      }
      const id = created!;
      const c = await manager.analyseUpload(id, req.query.name);
      if (c.state === 'failed') {
        // Right magic, unreadable after it: not a capture either, and nothing of it is kept. A disk that
        // filled while the report was written is said as such.
        await manager.discardUpload(id);
        if (c.error?.startsWith('the disk is full')) return sendError(reply, 507, 'disk-full', c.error);
        return sendError(reply, 422, 'not-a-capture', c.error ?? 'the file could not be read as a capture');
      }
      if (keepOnlyIfDelivered(req, reply, id)) return reply;
      return reply.code(201).send(view(c, false));
    },
  );

  // ---------------------------------------------------------------------------------------------
  // Admin

  app.post<{ Body: { password: string } }>(
    '/api/admin/login',
    {
      preHandler: async (req, reply) => {
        if (!access.adminOrigin(req, reply)) return reply;
        return undefined;
      },
      schema: {
        tags: ['admin'],
        summary: 'log in; sets an HttpOnly session cookie and returns the CSRF token to send as x-csrf-token',
        body: { type: 'object', additionalProperties: false, required: ['password'], properties: { password: { type: 'string', minLength: 1, maxLength: 1024 } } },
        response: { 200: { type: 'object', properties: { csrfToken: { type: 'string' }, expiresAt: { type: 'string' } } }, ...ERRORS, 429: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const client = loginGuard.clientOf(req.cookies[DEVICE_COOKIE], req.ip);
      const verdict = loginGuard.check(client);
      if (!verdict.allowed) {
        reply.header('retry-after', String(verdict.retryAfterSeconds));
        return sendError(reply, 429, 'rate-limited', `too many wrong passwords from this browser: wait ${verdict.retryAfterSeconds} s (a browser where the admin logged in before is not affected)`);
      }
      const hash = store.adminPasswordHash();
      if (hash === null || !(await verifyPassword(req.body.password, hash))) {
        loginGuard.failed(client, 'admin passwords');
        return sendError(reply, 401, 'bad-password', 'wrong password');
      }
      loginGuard.succeeded(client);
      if (!client.startsWith('device ')) {
        reply.setCookie(DEVICE_COOKIE, loginGuard.rememberDevice(), {
          httpOnly: true,
          sameSite: 'strict',
          path: '/api/admin',
          secure: req.protocol === 'https',
          maxAge: 365 * 86_400,
        });
      }
      const s = sessions.create();
      reply.setCookie(SESSION_COOKIE, s.token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/api',
        secure: req.protocol === 'https',
        expires: new Date(s.expiresAt),
      });
      return { csrfToken: s.csrf, expiresAt: s.expiresAt };
    },
  );

  app.post('/api/admin/logout', { preHandler: admin, schema: { tags: ['admin'], response: { 204: NO_CONTENT, ...ERRORS } } }, async (req, reply) => {
    sessions.end(req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/api' });
    return reply.code(204).send();
  });

  app.get('/api/admin/session', { preHandler: admin, schema: { tags: ['admin'], response: { 200: { type: 'object', properties: { csrfToken: { type: 'string' }, expiresAt: { type: 'string' } } }, ...ERRORS } } }, async (req) => {
    const s = sessions.find(req.cookies[SESSION_COOKIE])!;
    return { csrfToken: s.csrf, expiresAt: s.expiresAt };
  });

  app.post<{ Body: { current: string; next: string } }>(
    '/api/admin/password',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'change the admin password; every session ends',
        body: { type: 'object', additionalProperties: false, required: ['current', 'next'], properties: { current: { type: 'string', maxLength: 1024 }, next: { type: 'string', maxLength: 1024 } } },
        response: { 204: NO_CONTENT, ...ERRORS, 429: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      // A stolen session must not become a way to guess the password at full speed.
      const client = `session ${createHash('sha256').update(req.cookies[SESSION_COOKIE] ?? '').digest('hex').slice(0, 8)}`;
      const verdict = loginGuard.check(client);
      if (!verdict.allowed) {
        reply.header('retry-after', String(verdict.retryAfterSeconds));
        return sendError(reply, 429, 'rate-limited', `too many wrong current passwords: wait ${verdict.retryAfterSeconds} s`);
      }
      const hash = store.adminPasswordHash();
      if (hash === null || !(await verifyPassword(req.body.current, hash))) {
        loginGuard.failed(client, 'current passwords (password change)');
        return sendError(reply, 403, 'bad-password', 'the current password is wrong');
      }
      loginGuard.succeeded(client);
      const problem = passwordProblem(req.body.next);
      if (problem) return sendError(reply, 400, 'weak-password', problem);
      store.setAdminPassword(await hashPassword(req.body.next));
      sessions.endAll();
      reply.clearCookie(SESSION_COOKIE, { path: '/api' });
      return reply.code(204).send();
    },
  );

  app.get('/api/admin/checks', { preHandler: admin, schema: { tags: ['admin'], summary: 'every check, newest first', response: { 200: { type: 'array', items: ADMIN_CHECK_SCHEMA }, ...ERRORS } } }, async () =>
    manager.list().map((c) => view(c, true)),
  );

  app.get<{ Params: { id: string } }>(
    '/api/admin/checks/:id/events',
    {
      preHandler: admin,
      schema: { tags: ['admin'], summary: 'as /api/checks/{id}/events, with the number of indicator values matched so far', params: ID_PARAMS, response: { 200: { type: 'string' }, ...ERRORS } },
    },
    async (req, reply) => events(req, reply, true),
  );

  const { GENERAL_SETTINGS_PROPS, readGeneralSettings, writeGeneralSettings } = await import('../store/general-settings.js'); // kiosk settings
  const settingsView = (): Record<string, unknown> => ({
    retentionDays: retentionDays(store, cfg),
    maxUploadBytes: cfg.maxUploadBytes,
    allowRemoteKiosk: cfg.allowRemoteKiosk,
    allowRemoteAdmin: cfg.allowRemoteAdmin,
    interface: cfg.interface,
    ...readGeneralSettings(store, cfg.lang),
  });
  const SETTINGS_SCHEMA = {
    type: 'object',
    properties: {
      retentionDays: { type: 'integer' },
      maxUploadBytes: { type: 'integer' },
      allowRemoteKiosk: { type: 'boolean' },
      allowRemoteAdmin: { type: 'boolean' },
      interface: { type: ['string', 'null'] },
      ...GENERAL_SETTINGS_PROPS,
    },
  } as const;

  app.get('/api/admin/settings', { preHandler: admin, schema: { tags: ['admin'], response: { 200: SETTINGS_SCHEMA, ...ERRORS } } }, async () => settingsView());

  app.put<{ Body: { retentionDays?: number } & Parameters<typeof writeGeneralSettings>[1] }>(
    '/api/admin/settings',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'change run-time settings (the fields given); a shorter retention applies at once',
        body: { type: 'object', additionalProperties: false, properties: { retentionDays: { type: 'integer', minimum: 0, maximum: 36500 }, ...GENERAL_SETTINGS_PROPS } },
        response: { 200: SETTINGS_SCHEMA, ...ERRORS },
      },
    },
    async (req, reply) => {
      const { retentionDays: days, ...general } = req.body ?? {};
      try {
        writeGeneralSettings(store, general);
      } catch (err) {
        if (err instanceof RangeError) return sendError(reply, 400, 'bad-request', err.message);
        throw err;
      }
      if (days !== undefined) {
        store.setSetting(RETENTION_SETTING, String(days));
        await sweep();
      }
      return settingsView();
    },
  );

  app.get(
    '/api/kiosk/settings',
    {
      preHandler: kiosk,
      schema: {
        tags: ['checks'],
        summary: "the admin's choices for the kiosk: proposed check length, language, which actions it offers, when it returns to its welcome screen",
        response: { 200: { type: 'object', properties: GENERAL_SETTINGS_PROPS }, ...ERRORS },
      },
    },
    async () => readGeneralSettings(store, cfg.lang),
  );

  app.post<{ Body: { confirm: string } }>(
    '/api/admin/delete-all',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'delete every check, capture and report (indicator lists, settings and the account stay)',
        body: { type: 'object', additionalProperties: false, required: ['confirm'], properties: { confirm: { type: 'string', const: 'delete all data' } } },
        response: { 200: { type: 'object', properties: { deleted: { type: 'integer' } } }, ...ERRORS },
      },
    },
    async () => {
      const deleted = await manager.deleteAll();
      reports.clear();
      return { deleted };
    },
  );

  (await import('./allow-routes.js')).registerAllowRoutes(app, { store, indicators, manager, admin }); // allow-list with guard rails
  (await import('./feed-routes.js')).registerFeedRoutes(app, { store, indicators, dataDir: cfg.dataDir, admin }); // remove a list, its role, the public lists
  (await import('./help-routes.js')).registerHelpRoutes(app, { store, reports, kiosk, admin, lang: cfg.lang }); // the service's contact and helplines

  const FEED_SCHEMA = {
    type: 'object',
    properties: {
      name: { type: 'string' }, url: { type: 'string' }, format: { type: 'string' }, list: { type: 'string' }, version: { type: ['string', 'null'] },
      fetchedAt: { type: ['string', 'null'] }, lastError: { type: ['string', 'null'] }, indicatorCount: { type: 'integer' },
    },
  } as const;

  app.get('/api/admin/feeds', { preHandler: admin, schema: { tags: ['admin'], response: { 200: { type: 'array', items: FEED_SCHEMA }, ...ERRORS } } }, async () => store.listFeeds());

  app.post<{ Body: { acceptShrink?: string[]; force?: boolean } | undefined }>(
    '/api/admin/feeds/update',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary:
          "update the indicator feeds configured in the data directory's feeds.yaml (the only outbound connections quietcheck makes); without a feeds.yaml only the lists already stored, so nothing online is added unasked (POST /api/admin/feeds/defaults adds the public lists). " +
          'A new version that holds no indicators or a fifth fewer than the stored set is refused (shrinkRefused, with both counts) unless its feed is named in acceptShrink',
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            force: { type: 'boolean', description: 'check every feed now, even those checked within their refresh interval' },
            acceptShrink: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 200 }, description: 'feeds whose refused shrink the admin accepts, having seen the counts' },
          },
        },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                feed: { type: 'string' }, status: { type: 'string' }, indicators: { type: 'integer' }, error: { type: ['string', 'null'] },
                previousCount: { type: ['integer', 'null'], description: 'indicators and rules stored before this update' },
                offeredCount: { type: ['integer', 'null'], description: 'indicators and rules the downloaded version holds' },
                shrinkRefused: { type: 'boolean' }, forced: { type: 'boolean' },
              },
            },
          },
          ...ERRORS,
        },
      },
    },
    async (req) => {
      const out = await updateFeeds(store, consoleFeedConfigs(store, cfg.dataDir), { acceptShrink: req.body?.acceptShrink ?? [], force: req.body?.force === true });
      indicators.invalidate();
      return out;
    },
  );

  app.get<{ Querystring: { feed?: string } }>(
    '/api/admin/feeds/history',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'every feed update attempt, newest first: counts before and after, refused and forced shrinks',
        querystring: { type: 'object', additionalProperties: false, properties: { feed: { type: 'string', maxLength: 200 } } },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                feed: { type: 'string' }, at: { type: 'string' }, outcome: { type: 'string' }, previousCount: { type: 'integer' },
                newCount: { type: ['integer', 'null'] }, version: { type: ['string', 'null'] }, reason: { type: ['string', 'null'] },
              },
            },
          },
          ...ERRORS,
        },
      },
    },
    async (req) => store.feedUpdates(req.query.feed),
  );

  await registerExportRoutes(app, { manager, reports, dataDir: cfg.dataDir, lang: cfg.lang, guard: result, log });
  registerKioskReportRoutes(app, { manager, reports, dataDir: cfg.dataDir, lang: cfg.lang, guard: result, log });

  registerHotspotRoutes(app, { hotspot, kiosk, admin });
  (await import('./admin-extra.js')).registerAdminExtraRoutes(app, { store, indicators, admin }); // indicator search, add a list by address
  (await import('./detection-routes.js')).registerDetectionRoutes(app, { detection: manager.detection, admin, log }); // detection.yaml from the admin page
  (await import('./status-routes.js')).registerStatusRoutes(app, { store, indicators, dataDir: cfg.dataDir, admin, wrongPasswords: () => loginGuard.summary() }); // disk, storage, indicator coverage
  const deviceChecks = await (await import('../device/serve.js')).deviceChecksFor({ dataDir: cfg.dataDir, store, manager, indicators, detection: manager.detection, now }); // phones on USB
  (await import('./device-routes.js')).registerDeviceRoutes(app, { checks: deviceChecks, lang: cfg.lang, guard: kiosk, admin, help: (lang) => localHelpFor(store, lang) });
  (await import('./combine-routes.js')).registerCombineRoutes(app, { manager, devices: deviceChecks, lang: cfg.lang, guard: result, admin, help: (lang) => localHelpFor(store, lang) }); // traffic + device, one report

  // ---------------------------------------------------------------------------------------------
  // Retention

  const sweep = async (): Promise<void> => {
    const gone = await manager.sweep(retentionDays(store, cfg), now());
    for (const id of gone) reports.forget(id);
    if (gone.length > 0) log(`retention: deleted ${gone.length} check(s) older than ${retentionDays(store, cfg)} days`);
  };
  await sweep();
  const sweeper = setInterval(() => void sweep().catch((e: unknown) => log(`retention sweep failed: ${String(e)}`)), SWEEP_EVERY_MS);
  sweeper.unref();

  await app.register((await import('./static.js')).staticFiles); // the web UI at /, from dist/web
  await app.ready();

  const handle: ServerHandle = {
    app,
    manager,
    indicators,
    url: '',
    recovered,
    async close() {
      clearInterval(sweeper);
      await deviceChecks.stopAll();
      await manager.stopAll();
      await recovered;
      await app.close();
      store.close();
    },
  };
  return handle;
}

/** Builds the server and listens; `url` is where it answers. */
export async function startServer(opts: ServerOptions): Promise<ServerHandle> {
  const h = await buildServer(opts);
  try {
    await h.app.listen({ host: opts.config.host, port: opts.config.port });
  } catch (err) {
    await h.close();
    throw err;
  }
  const addr = h.app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : opts.config.port;
  const host = opts.config.host.includes(':') ? `[${opts.config.host}]` : opts.config.host;
  h.url = `http://${host}:${port}`;
  return h;
}
