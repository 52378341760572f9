/**
 * The HTTP API of `quietcheck serve`. Every route has a JSON schema (validated on input, published at
 * /api/docs as OpenAPI); every error is `{ error, message }` with a 4xx for anything the caller did.
 * This file builds the services and assembles the route plugins, one per resource (routes/).
 */
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { trackChildrenIn } from '../process/supervisor.js';
import { CheckManager } from '../checks/manager.js';
import { deviceChecksFor } from '../device/serve.js';
import { HotspotService } from '../hotspot/service.js';
import { quietcheckVersion } from '../analysis/provenance.js';
import { localHelpFor } from '../store/local-help.js';
import type { CheckRecord, Store } from '../store/store.js';
import { Access } from './access.js';
import { Sessions } from './auth.js';
import { benchTimingsFromEnv } from './bench-timings.js';
import type { ServeConfig } from './config.js';
import { routeContext } from './context.js';
import { sendError } from './errors.js';
import { IndicatorCache } from '../checks/indicator-cache.js';
import { LoginGuard } from './login-guard.js';
import { ReportCache } from './reports.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerAllowRoutes } from './routes/allow.js';
import { registerCheckRoutes } from './routes/checks.js';
import { registerCombineRoutes } from './routes/combine.js';
import { registerDetectionRoutes } from './routes/detection.js';
import { registerDeviceRoutes } from './routes/device.js';
import { registerEventRoutes } from './routes/events.js';
import { registerExportRoutes } from './routes/exports.js';
import { registerFeedRoutes } from './routes/feeds.js';
import { registerHelpRoutes } from './routes/help.js';
import { registerHotspotRoutes } from './routes/hotspot.js';
import { registerIndicatorRoutes } from './routes/indicators.js';
import { registerMetaRoutes } from './routes/meta.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerSettingsRoutes, retentionDays } from './routes/settings.js';
import { registerStatusRoutes } from './routes/status.js';
import { registerUploadRoutes } from './routes/uploads.js';
import { staticFiles } from './static.js';

export { RETENTION_SETTING } from './routes/settings.js';
const SWEEP_EVERY_MS = 3_600_000;

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

  const sweep = async (): Promise<void> => {
    const days = retentionDays({ store, cfg });
    const gone = await manager.sweep(days, now());
    for (const id of gone) reports.forget(id);
    if (gone.length > 0) log(`retention: deleted ${gone.length} check(s) older than ${days} days`);
  };
  const ctx = routeContext({ cfg, store, manager, reports, indicators, hotspot, sessions, loginGuard, access, log, sweep, timings: benchTimingsFromEnv() });
  const { kiosk, admin, result } = ctx;

  registerMetaRoutes(app, ctx);
  registerCheckRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerReportRoutes(app, ctx);
  registerUploadRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerSettingsRoutes(app, ctx);
  registerAllowRoutes(app, { store, indicators, manager, admin }); // allow-list with guard rails
  registerFeedRoutes(app, { store, indicators, dataDir: cfg.dataDir, admin });
  registerHelpRoutes(app, { store, reports, kiosk, admin, lang: cfg.lang }); // the service's contact and helplines
  await registerExportRoutes(app, ctx);
  registerHotspotRoutes(app, { hotspot, kiosk, admin });
  registerIndicatorRoutes(app, { indicators, admin });
  registerDetectionRoutes(app, { detection: manager.detection, admin, log }); // detection.yaml from the admin page
  registerStatusRoutes(app, { store, indicators, dataDir: cfg.dataDir, admin, wrongPasswords: () => loginGuard.summary() }); // disk, storage, indicator coverage
  const deviceChecks = await deviceChecksFor({ dataDir: cfg.dataDir, store, manager, indicators, detection: manager.detection, now }); // phones on USB
  registerDeviceRoutes(app, { checks: deviceChecks, lang: cfg.lang, guard: kiosk, admin, help: (lang) => localHelpFor(store, lang) });
  registerCombineRoutes(app, { manager, devices: deviceChecks, lang: cfg.lang, guard: result, admin, help: (lang) => localHelpFor(store, lang) }); // traffic + device, one report

  await sweep();
  const sweeper = setInterval(() => void sweep().catch((e: unknown) => log(`retention sweep failed: ${String(e)}`)), SWEEP_EVERY_MS);
  sweeper.unref();

  await app.register(staticFiles); // the web UI at /, from dist/web
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
