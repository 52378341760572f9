/** The service itself: its OpenAPI document, whether it answers, and (bench only) its own timings. */
import type { FastifyInstance } from 'fastify';
import { quietcheckVersion } from '../../analysis/provenance.js';
import type { RouteContext } from '../context.js';
import { HEALTH_SCHEMA, type HealthWire } from '../schemas/meta.js';

export function registerMetaRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/api/docs', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/health', { schema: { tags: ['meta'], response: { 200: HEALTH_SCHEMA } } }, async (): Promise<HealthWire> => ({
    ok: true,
    version: quietcheckVersion(),
  }));

  const { timings } = ctx;
  if (timings !== null) {
    app.get<{ Querystring: { reset?: string } }>('/api/debug/timings', { preHandler: ctx.kiosk, schema: { hide: true } }, async (req) => {
      const out = timings.read();
      if (req.query.reset !== undefined) timings.reset();
      return out;
    });
  }
}
