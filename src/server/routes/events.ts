/**
 * A traffic check followed by Server-Sent Events: a "status" event (the check, as its status answer)
 * every second and on each change, "deleted" when it goes; the stream ends when the check is finished.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../context.js';
import { ERRORS, ID_PARAMS } from '../errors.js';

export function registerEventRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { manager, views } = ctx;

  const events = (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, withHits: boolean): void => {
    const id = req.params.id;
    if (ctx.found(reply, id) === null) return;
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
      const v = views.view(c, withHits);
      if (!withHits && ctx.resultHidden(req)) v.result = null;
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

  app.get<{ Params: { id: string } }>(
    '/api/checks/:id/events',
    {
      preHandler: ctx.kiosk,
      schema: {
        tags: ['checks'],
        summary: 'Server-Sent Events: a "status" event (the check, as GET /api/checks/{id}) every second and on each change; ends when the check is done or failed',
        params: ID_PARAMS,
        response: { 200: { type: 'string', description: 'text/event-stream' }, ...ERRORS },
      },
    },
    async (req, reply) => events(req, reply, false),
  );

  app.get<{ Params: { id: string } }>(
    '/api/admin/checks/:id/events',
    {
      preHandler: ctx.admin,
      schema: { tags: ['admin'], summary: 'as /api/checks/{id}/events, with the number of indicator values matched so far', params: ID_PARAMS, response: { 200: { type: 'string' }, ...ERRORS } },
    },
    async (req, reply) => events(req, reply, true),
  );
}
