/**
 * Errors a service may raise; the HTTP layer turns each into the Mastodon shape
 * `{"error": "..."}` with its status.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** 404 for anything missing or hidden: the two must be indistinguishable. */
export const notFound = (): AppError => new AppError(404, 'Record not found');
export const unprocessable = (message: string, details?: Record<string, unknown>): AppError =>
  new AppError(422, message, details);
export const forbidden = (message = 'This action is not allowed'): AppError => new AppError(403, message);
export const unauthorized = (message = 'The access token is invalid'): AppError => new AppError(401, message);
/** 429; the HTTP layer sends `retryAfterSeconds` as the Retry-After header. */
export class TooManyRequestsError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterMs: number) {
    super(429, 'Too many requests');
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}
export const tooManyRequests = (retryAfterMs = 0): AppError => new TooManyRequestsError(retryAfterMs);
