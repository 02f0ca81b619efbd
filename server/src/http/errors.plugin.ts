import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, TooManyRequestsError } from '../errors.ts';

const API_PREFIXES = ['/api/', '/oauth/', '/.well-known/', '/nodeinfo/'];

export function isApiPath(url: string): boolean {
  return API_PREFIXES.some((p) => url.startsWith(p));
}

/** Every failure leaves as `{"error": "..."}` with its status; internals are logged, never sent. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error instanceof TooManyRequestsError) reply.header('Retry-After', String(error.retryAfterSeconds));
      return reply.status(error.status).send({ error: error.message, ...(error.details ?? {}) });
    }
    const status = (error as FastifyError).statusCode;
    if (status === 429) return reply.status(429).send({ error: 'Too many requests' });
    if (status && status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, unsupported media type, oversized body.
      const message = status === 413 ? 'Request entity too large' : (error as FastifyError).message;
      return reply.status(status === 400 && (error as FastifyError).validation ? 422 : status).send({ error: message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: 'Internal server error' });
  });
}
