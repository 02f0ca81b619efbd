import { vi } from 'vitest';

/** A request the code under test sent, as the server would see it. */
export interface RecordedCall {
  method: string;
  path: string;
  url: URL;
  headers: Headers;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

export interface MockReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw text instead of JSON (e.g. an HTML error page from a proxy). */
  text?: string;
}

type Responder = MockReply | ((call: RecordedCall) => MockReply);

interface Route {
  method: string;
  path: string | RegExp;
  responder: Responder;
  once: boolean;
}

/**
 * A stand-in for the server at the other end of `fetch` — the only thing tests replace.
 * Routes match on method and path (query ignored); later routes win, `once` routes are used up.
 */
export function installFetchMock() {
  const routes: Route[] = [];
  const calls: RecordedCall[] = [];
  const unmatched: RecordedCall[] = [];

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://glimpse.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const rawBody = typeof init.body === 'string' ? init.body : undefined;
    const call: RecordedCall = {
      method,
      path: url.pathname,
      url,
      headers: new Headers(init.headers),
      body: rawBody ? JSON.parse(rawBody) : undefined,
      credentials: init.credentials,
    };
    calls.push(call);
    const index = findLastIndex(routes, (r) => r.method === method && (typeof r.path === 'string' ? r.path === url.pathname : r.path.test(url.pathname)));
    if (index === -1) {
      unmatched.push(call);
      return jsonResponse({ status: 404, body: { error: `No mock for ${method} ${url.pathname}` } });
    }
    const route = routes[index];
    if (route.once) routes.splice(index, 1);
    const reply = typeof route.responder === 'function' ? route.responder(call) : route.responder;
    return jsonResponse(reply);
  });
  vi.stubGlobal('fetch', fetchMock);

  const api = {
    calls,
    unmatched,
    fetch: fetchMock,
    on(method: string, path: string | RegExp, responder: Responder) {
      routes.push({ method, path, responder, once: false });
      return api;
    },
    once(method: string, path: string | RegExp, responder: Responder) {
      routes.push({ method, path, responder, once: true });
      return api;
    },
    callsTo(method: string, path: string) {
      return calls.filter((c) => c.method === method && c.path === path);
    },
  };
  return api;
}

export type FetchMock = ReturnType<typeof installFetchMock>;

function jsonResponse(reply: MockReply): Response {
  const status = reply.status ?? 200;
  const headers = new Headers(reply.headers);
  if (reply.text !== undefined) return new Response(reply.text, { status, headers });
  if (status === 204) return new Response(null, { status, headers });
  headers.set('Content-Type', 'application/json');
  return new Response(JSON.stringify(reply.body ?? {}), { status, headers });
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}
