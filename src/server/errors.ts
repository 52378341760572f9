import type { FastifyReply } from 'fastify';

/** Every error the API returns has this shape, whatever produced it. */
export interface ApiError {
  error: string;
  message: string;
}

export const ERROR_SCHEMA = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error', 'message'],
} as const;

/** The `:id` path parameter of check routes: ids are random hex, so nothing else (no path tricks) gets through. */
export const ID_PARAMS = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[0-9a-f]{32}$', description: 'a check id: 32 lower-case hex digits' } },
  required: ['id'],
  additionalProperties: false,
} as const;

export function sendError(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error, message } satisfies ApiError);
}

/** The errors most routes may answer (bad input, no session, refused, not found, conflict). */
export const ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA } as const;

/** A 204 answer. */
export const NO_CONTENT = { type: 'null', description: 'done' } as const;
