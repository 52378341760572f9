/**
 * What the route plugins share: the services a server holds, the access guards, and the views and
 * helpers that more than one resource needs (a check's status, "no such check", delivery of a new id).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CheckManager } from '../checks/manager.js';
import type { HotspotService } from '../hotspot/service.js';
import type { Store } from '../store/store.js';
import { readGeneralSettings } from '../store/general-settings.js';
import type { Access } from './access.js';
import type { Sessions } from './auth.js';
import type { BenchTimings } from './bench-timings.js';
import { CheckViews } from './check-views.js';
import type { ServeConfig } from './config.js';
import { sendError } from './errors.js';
import type { IndicatorCache } from '../checks/indicator-cache.js';
import type { LoginGuard } from './login-guard.js';
import type { ReportCache } from './reports.js';
import type { CheckRecord } from '../store/store.js';

/** A preHandler that answers (and so ends the request) when access is refused. */
export type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface RouteContextDeps {
  cfg: ServeConfig;
  store: Store;
  manager: CheckManager;
  reports: ReportCache;
  indicators: IndicatorCache;
  hotspot: HotspotService;
  sessions: Sessions;
  loginGuard: LoginGuard;
  access: Access;
  log: (msg: string) => void;
  /** Deletes checks past the retention period (a shorter retention set by the admin applies at once). */
  sweep: () => Promise<void>;
  timings: BenchTimings | null;
}

export interface RouteContext extends RouteContextDeps {
  /** Kiosk actions: from this machine (or where the configuration allows the kiosk). */
  kiosk: Guard;
  /** Admin actions: the session cookie, and the CSRF header for changes. */
  admin: Guard;
  /** A check's result or evidence: as `kiosk`, and refused where the admin chose to read results elsewhere. */
  result: Guard;
  /** True when this kiosk shows no results (the admin reads them in the console). */
  resultHidden(req: FastifyRequest): boolean;
  views: CheckViews;
  /** The check, or null with the 404 sent. */
  found(reply: FastifyReply, id: string): CheckRecord | null;
  /**
   * A check whose id cannot reach the client is not kept. A body longer than its Content-Length leaves
   * bytes that Node reads as a broken next request: it answers 400 and closes the connection, while the
   * first Content-Length bytes made a whole request that would otherwise create a check nobody knows
   * of. So: connection already gone, the check is deleted now (true: nothing to send); the answer not
   * fully sent, it is deleted then.
   */
  keepOnlyIfDelivered(req: FastifyRequest, reply: FastifyReply, id: string): boolean;
}

export function routeContext(deps: RouteContextDeps): RouteContext {
  const { cfg, store, manager, reports, access, log } = deps;
  // Where the admin chose to read results on the worker's own screen, the kiosk never gets one: the
  // report and the evidence archive go to an admin session only.
  const resultHidden = (req: FastifyRequest): boolean => readGeneralSettings(store, cfg.lang).kioskRevealElsewhere && !access.hasSession(req);
  return {
    ...deps,
    kiosk: async (req, reply) => (access.kiosk(req, reply) ? undefined : reply),
    admin: async (req, reply) => (access.admin(req, reply) ? undefined : reply),
    result: async (req, reply) => {
      if (!access.kiosk(req, reply)) return reply;
      if (resultHidden(req)) {
        return sendError(reply, 403, 'result-elsewhere', "this kiosk shows no results: the check's result is read in the admin console");
      }
      return undefined;
    },
    resultHidden,
    views: new CheckViews(manager),
    found(reply, id) {
      const c = manager.get(id);
      if (c === null) sendError(reply, 404, 'not-found', 'no such check');
      return c;
    },
    keepOnlyIfDelivered(req, reply, id) {
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
    },
  };
}
