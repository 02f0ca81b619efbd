/**
 * The one door to the server. Every request is same-origin with the session cookie; every
 * write carries the session's CSRF token; every failure becomes an ApiError holding the
 * server's own message, so screens can show it as is.
 */

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string>;
export type Query = Record<string, QueryValue>;

export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  readonly status: number;
  /** Per-field messages of a 422 (`details` in Mastodon's shape), e.g. {username: ['is already taken']}. */
  readonly fieldErrors: FieldErrors;
  /** The whole error body, for the flags some answers carry (e.g. `two_factor_required`). */
  readonly body: Record<string, unknown>;

  constructor(status: number, message: string, fieldErrors: FieldErrors = {}, body: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.body = body;
  }
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  /** The `rel="next"` page of a Link header, as a same-origin path. */
  nextPath: string | null;
}

export interface Page<T> {
  items: T[];
  nextPath: string | null;
}

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  /** Defaults to the global fetch, looked up on each call. */
  fetch?: FetchLike;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export class ApiClient {
  private csrfToken: string | null = null;
  private readonly fetchImpl: FetchLike;
  private readonly unauthorizedListeners = new Set<() => void>();

  constructor(options: ApiClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  /** Called on any 401, so the app can notice a session that ended elsewhere. */
  onUnauthorized(listener: () => void): () => void {
    this.unauthorizedListeners.add(listener);
    return () => this.unauthorizedListeners.delete(listener);
  }

  async request<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; signal?: AbortSignal; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
    const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal };
    if (!SAFE_METHODS.has(method)) {
      if (this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
      // A JSON content type with an empty body is refused by the server, so send `{}` instead.
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body ?? {});
    }

    let response: Response;
    try {
      response = await this.fetchImpl(withQuery(path, options.query), init);
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ApiError(0, 'Could not reach the server. Check your connection and try again.');
    }

    const payload = await readJson(response);
    if (!response.ok) {
      if (response.status === 401) this.unauthorizedListeners.forEach((listener) => listener());
      throw errorFrom(response.status, payload);
    }
    return { status: response.status, data: payload as T, nextPath: nextPageFrom(response.headers.get('Link')) };
  }

  /**
   * A multipart POST (or PATCH) through XMLHttpRequest, the one browser API that reports upload
   * progress. Same cookie, CSRF token and errors as `request`; the browser writes the
   * multipart Content-Type with its boundary. `onProgress` gets 0..1.
   */
  upload<T>(path: string, form: FormData, options: { onProgress?: (fraction: number) => void; signal?: AbortSignal; method?: 'POST' | 'PATCH' } = {}): Promise<ApiResponse<T>> {
    return new Promise<ApiResponse<T>>((resolve, reject) => {
      const { signal, onProgress } = options;
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const xhr = new XMLHttpRequest();
      xhr.open(options.method ?? 'POST', path);
      xhr.withCredentials = true;
      xhr.setRequestHeader('Accept', 'application/json');
      if (this.csrfToken) xhr.setRequestHeader('X-CSRF-Token', this.csrfToken);
      const onAbort = () => xhr.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      if (onProgress) {
        xhr.upload.addEventListener('progress', (event) => {
          if (event.lengthComputable && event.total > 0) onProgress(Math.min(1, event.loaded / event.total));
        });
      }
      xhr.addEventListener('load', () => {
        done();
        const payload = parseJson(typeof xhr.responseText === 'string' ? xhr.responseText : '');
        if (xhr.status < 200 || xhr.status >= 300) {
          if (xhr.status === 401) this.unauthorizedListeners.forEach((listener) => listener());
          reject(errorFrom(xhr.status, payload));
          return;
        }
        onProgress?.(1);
        resolve({ status: xhr.status, data: payload as T, nextPath: null });
      });
      xhr.addEventListener('error', () => {
        done();
        reject(new ApiError(0, 'Could not reach the server. Check your connection and try again.'));
      });
      xhr.addEventListener('abort', () => {
        done();
        reject(abortError());
      });
      xhr.send(form);
    });
  }

  async get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return (await this.request<T>('GET', path, { query, signal })).data;
  }

  async getPage<T>(path: string, query?: Query, signal?: AbortSignal): Promise<Page<T>> {
    const response = await this.request<T[]>('GET', path, { query, signal });
    return { items: Array.isArray(response.data) ? response.data : [], nextPath: response.nextPath };
  }

  async post<T>(path: string, body?: unknown): Promise<T> {
    return (await this.request<T>('POST', path, { body })).data;
  }

  async patch<T>(path: string, body?: unknown): Promise<T> {
    return (await this.request<T>('PATCH', path, { body })).data;
  }

  async delete<T>(path: string, body?: unknown): Promise<T> {
    return (await this.request<T>('DELETE', path, { body })).data;
  }
}

/** Appends a query; arrays become Mastodon's `key[]=a&key[]=b`. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(`${key}[]`, item);
    } else {
      params.append(key, String(value));
    }
  }
  const search = params.toString();
  if (!search) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${search}`;
}

/**
 * The next page of a Link header. The server writes absolute URLs with its public address;
 * only the path and query are kept, so requests stay on this origin.
 */
export function nextPageFrom(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (!match || !/\brel="?next"?/.test(match[2])) continue;
    try {
      const url = new URL(match[1], 'http://placeholder.invalid');
      return `${url.pathname}${url.search}`;
    } catch {
      return null;
    }
  }
  return null;
}

async function readJson(response: Response): Promise<unknown> {
  return parseJson(await response.text().catch(() => ''));
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function errorFrom(status: number, payload: unknown): ApiError {
  const body = (payload && typeof payload === 'object' ? payload : {}) as { error?: unknown; details?: unknown };
  const message = typeof body.error === 'string' && body.error.trim() ? body.error : fallbackMessage(status);
  return new ApiError(status, message, fieldErrorsFrom(body.details), body as Record<string, unknown>);
}

function fieldErrorsFrom(details: unknown): FieldErrors {
  if (!details || typeof details !== 'object') return {};
  const result: FieldErrors = {};
  for (const [field, entries] of Object.entries(details as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue;
    const messages = entries
      .map((entry) => (entry && typeof entry === 'object' ? (entry as { description?: unknown }).description : entry))
      .filter((m): m is string => typeof m === 'string' && m.length > 0);
    if (messages.length > 0) result[field] = messages;
  }
  return result;
}

function fallbackMessage(status: number): string {
  switch (status) {
    case 401:
      return 'You need to log in to do that.';
    case 403:
      return 'You are not allowed to do that.';
    case 404:
      return 'Not found.';
    case 429:
      return 'Too many requests. Please wait a moment and try again.';
    default:
      return status >= 500 ? 'Something went wrong on the server. Please try again.' : `Request failed (${status}).`;
  }
}

/** A message to show for anything a request may throw. */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}

function abortError(): Error {
  const error = new Error('The request was cancelled');
  error.name = 'AbortError';
  return error;
}

export function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
