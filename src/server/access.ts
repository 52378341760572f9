/**
 * Who may call what. The kiosk (start, follow, see and delete a check) is the screen of the machine
 * running quietcheck, so it is open from loopback only unless remote kiosk access is enabled; admin
 * actions need a session, and from another machine only when remote admin is enabled.
 *
 * A browser on that same machine can be tricked into calling the API by any web page it opens, so
 * loopback alone proves nothing: the Host header must name this server (against DNS rebinding), and
 * a state-changing request must not come from another origin (against cross-site requests).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfMatches, CSRF_HEADER, SESSION_COOKIE, type Sessions } from './auth.js';
import type { ServeConfig } from './config.js';
import { sendError } from './errors.js';

export function isLoopback(addr: string | undefined): boolean {
  if (addr === undefined) return false;
  const a = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const i = h.lastIndexOf(':');
  return i >= 0 ? h.slice(0, i) : h;
}

export class Access {
  constructor(
    private readonly cfg: ServeConfig,
    private readonly sessions: Sessions,
  ) {}

  /** True when the Host header names this server: loopback names, the bound host or an allowed name. */
  hostAllowed(req: FastifyRequest): boolean {
    const header = req.headers.host;
    if (typeof header !== 'string' || header === '') return false;
    const name = hostName(header);
    if (LOOPBACK_NAMES.has(name)) return true;
    if (name === this.cfg.host.toLowerCase() || name === `[${this.cfg.host.toLowerCase()}]`) return true;
    if (this.cfg.allowedHosts.includes(name)) return true;
    // From another machine the name is whatever it used to reach us; remote access must be on anyway.
    return !isLoopback(req.socket.remoteAddress) && (this.cfg.allowRemoteKiosk || this.cfg.allowRemoteAdmin);
  }

  /** A state-changing request sent by a page of another origin (or marked cross-site by the browser). */
  crossSite(req: FastifyRequest): boolean {
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') return true;
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    try {
      return new URL(origin).host.toLowerCase() !== String(req.headers.host ?? '').toLowerCase();
    } catch {
      return true;
    }
  }

  /** Checks common to every API call; sends the error and returns false when the call is refused. */
  gate(req: FastifyRequest, reply: FastifyReply): boolean {
    if (!this.hostAllowed(req)) {
      sendError(reply, 421, 'bad-host', 'this server does not answer to that host name');
      return false;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS' && this.crossSite(req)) {
      sendError(reply, 403, 'cross-site', 'requests from other web sites are refused');
      return false;
    }
    return true;
  }

  kiosk(req: FastifyRequest, reply: FastifyReply): boolean {
    if (!isLoopback(req.socket.remoteAddress) && !this.cfg.allowRemoteKiosk) {
      sendError(reply, 403, 'local-only', 'checks can only be run from the machine quietcheck runs on');
      return false;
    }
    return true;
  }

  /** A valid admin session (and, for changes, its CSRF token); sends 401/403 otherwise. */
  admin(req: FastifyRequest, reply: FastifyReply): boolean {
    if (!isLoopback(req.socket.remoteAddress) && !this.cfg.allowRemoteAdmin) {
      sendError(reply, 403, 'local-only', 'remote administration is turned off');
      return false;
    }
    const session = this.sessions.find(req.cookies[SESSION_COOKIE]);
    if (session === null) {
      sendError(reply, 401, 'login-required', 'log in as admin first');
      return false;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !csrfMatches(session, req.headers[CSRF_HEADER])) {
      sendError(reply, 403, 'csrf', `missing or wrong ${CSRF_HEADER} header`);
      return false;
    }
    return true;
  }

  /** Whether the request carries a valid admin session; nothing is sent either way. */
  hasSession(req: FastifyRequest): boolean {
    return this.sessions.find(req.cookies[SESSION_COOKIE]) !== null;
  }

  /** Login itself is reachable from where admin is allowed. */
  adminOrigin(req: FastifyRequest, reply: FastifyReply): boolean {
    if (!isLoopback(req.socket.remoteAddress) && !this.cfg.allowRemoteAdmin) {
      sendError(reply, 403, 'local-only', 'remote administration is turned off');
      return false;
    }
    return true;
  }
}
