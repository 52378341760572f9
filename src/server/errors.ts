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

export function sendError(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error, message } satisfies ApiError);
}
