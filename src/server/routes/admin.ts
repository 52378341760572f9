/**
 * The admin account: log in (limited per client against guessing), the session, log out, change the
 * password; and deleting every check at once.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { hashPassword, passwordProblem, SESSION_COOKIE, verifyPassword } from '../auth.js';
import type { RouteContext } from '../context.js';
import { ERROR_SCHEMA, ERRORS, NO_CONTENT, sendError } from '../errors.js';
import { DEVICE_COOKIE } from '../login-guard.js';
import { DELETED_SCHEMA, SESSION_SCHEMA, type DeletedWire, type SessionWire } from '../schemas/admin.js';

export function registerAdminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store, sessions, loginGuard, access, manager, reports, admin } = ctx;

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
        response: { 200: SESSION_SCHEMA, ...ERRORS, 429: ERROR_SCHEMA },
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
      return { csrfToken: s.csrf, expiresAt: s.expiresAt } satisfies SessionWire;
    },
  );

  app.post('/api/admin/logout', { preHandler: admin, schema: { tags: ['admin'], response: { 204: NO_CONTENT, ...ERRORS } } }, async (req, reply) => {
    sessions.end(req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/api' });
    return reply.code(204).send();
  });

  app.get('/api/admin/session', { preHandler: admin, schema: { tags: ['admin'], response: { 200: SESSION_SCHEMA, ...ERRORS } } }, async (req): Promise<SessionWire> => {
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

  app.post<{ Body: { confirm: string } }>(
    '/api/admin/delete-all',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'delete every check, capture and report (indicator lists, settings and the account stay)',
        body: { type: 'object', additionalProperties: false, required: ['confirm'], properties: { confirm: { type: 'string', const: 'delete all data' } } },
        response: { 200: DELETED_SCHEMA, ...ERRORS },
      },
    },
    async (): Promise<DeletedWire> => {
      const deleted = await manager.deleteAll();
      reports.clear();
      return { deleted };
    },
  );
}
