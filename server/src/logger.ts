import type { FastifyServerOptions } from 'fastify';

/** The one logger's settings: JSON lines from Fastify's pino, request ids included. */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
  };
}
