import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, nextPageFrom, withQuery } from './api-client.ts';
import { installFetchMock } from '../test/fetch-mock.ts';
import { installXhrMock } from '../test/xhr-mock.ts';

describe('ApiClient', () => {
  it('sends the CSRF token and a JSON body on every write, with the same-origin cookie', async () => {
    const server = installFetchMock();
    server.on('POST', '/api/v1/accounts/7/follow', { body: { id: '7', following: true } });
    server.on('PATCH', '/api/v1/accounts/update_credentials', { body: { id: '1' } });
    server.on('DELETE', '/api/glimpse/v1/session', { body: {} });
    const api = new ApiClient();
    api.setCsrfToken('token-123');

    await api.post('/api/v1/accounts/7/follow');
    await api.patch('/api/v1/accounts/update_credentials', { display_name: 'Mara' });
    await api.delete('/api/glimpse/v1/session');

    expect(server.calls.map((c) => c.method)).toEqual(['POST', 'PATCH', 'DELETE']);
    for (const call of server.calls) {
      expect(call.headers.get('X-CSRF-Token')).toBe('token-123');
      expect(call.headers.get('Content-Type')).toBe('application/json');
      expect(call.credentials).toBe('same-origin');
    }
    expect(server.calls[0].body).toEqual({});
    expect(server.calls[1].body).toEqual({ display_name: 'Mara' });
  });

  it('does not send the CSRF token on reads', async () => {
    const server = installFetchMock();
    server.on('GET', '/api/v1/blocks', { body: [] });
    const api = new ApiClient();
    api.setCsrfToken('token-123');

    await api.get('/api/v1/blocks');

    expect(server.calls[0].headers.has('X-CSRF-Token')).toBe(false);
    expect(server.calls[0].credentials).toBe('same-origin');
  });

  it('turns an {"error"} response into a thrown ApiError with the server message and status', async () => {
    const server = installFetchMock();
    server.on('POST', '/api/glimpse/v1/session', { status: 401, body: { error: 'Invalid username/email or password' } });
    const api = new ApiClient();

    const failure = api.post('/api/glimpse/v1/session', { login: 'mara', password: 'wrong' });

    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 401, message: 'Invalid username/email or password' });
  });

  it('keeps the per-field details of a 422', async () => {
    const server = installFetchMock();
    server.on('POST', '/api/glimpse/v1/registrations', {
      status: 422,
      body: { error: 'Validation failed: Username is already taken', details: { username: [{ error: 'ERR_TAKEN', description: 'is already taken' }] } },
    });
    const api = new ApiClient();

    const error = await api.post('/api/glimpse/v1/registrations', {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe('Validation failed: Username is already taken');
    expect((error as ApiError).fieldErrors).toEqual({ username: ['is already taken'] });
  });

  it('gives a readable message when the error body is not JSON', async () => {
    const server = installFetchMock();
    server.on('GET', '/api/v1/mutes', { status: 502, text: '<html>Bad gateway</html>' });

    await expect(new ApiClient().get('/api/v1/mutes')).rejects.toMatchObject({ status: 502, message: 'Something went wrong on the server. Please try again.' });
  });

  it('reports an unreachable server as an ApiError, not a TypeError', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));

    await expect(new ApiClient().get('/api/v1/mutes')).rejects.toMatchObject({ status: 0, message: expect.stringMatching(/could not reach the server/i) });
  });

  it('tells listeners about a 401 so the app can end a revoked session', async () => {
    const server = installFetchMock();
    server.on('GET', '/api/v1/follow_requests', { status: 401, body: { error: 'The access token is invalid' } });
    const api = new ApiClient();
    const listener = vi.fn();
    api.onUnauthorized(listener);

    await expect(api.get('/api/v1/follow_requests')).rejects.toThrow('The access token is invalid');
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('pages with the Link header, staying on this origin', async () => {
    const server = installFetchMock();
    server.on('GET', '/api/v1/blocks', {
      body: [{ id: '1' }],
      headers: { Link: '<https://glimpse.example/api/v1/blocks?max_id=42>; rel="next", <https://glimpse.example/api/v1/blocks?min_id=50>; rel="prev"' },
    });

    const page = await new ApiClient().getPage('/api/v1/blocks');

    expect(page).toEqual({ items: [{ id: '1' }], nextPath: '/api/v1/blocks?max_id=42' });
  });
});

describe('query and Link helpers', () => {
  it("writes arrays the way Mastodon reads them (id[]=…)", () => {
    expect(withQuery('/api/v1/accounts/relationships', { id: ['1', '2'], with_suspended: undefined })).toBe('/api/v1/accounts/relationships?id%5B%5D=1&id%5B%5D=2');
    expect(withQuery('/api/v1/accounts/lookup', { acct: 'mara' })).toBe('/api/v1/accounts/lookup?acct=mara');
  });

  it('finds no next page when the header has only prev, or none at all', () => {
    expect(nextPageFrom('<https://x.test/api/v1/mutes?min_id=5>; rel="prev"')).toBeNull();
    expect(nextPageFrom(null)).toBeNull();
  });
});

describe('ApiClient.upload', () => {
  it('posts the form with the CSRF token, reports progress and resolves with the status and body', async () => {
    const xhr = installXhrMock();
    const api = new ApiClient();
    api.setCsrfToken('tok');
    const progress: number[] = [];
    const form = new FormData();
    form.append('file', new File(['x'], 'x.jpg', { type: 'image/jpeg' }));

    const done = api.upload('/api/v2/media', form, { onProgress: (f) => progress.push(f) });
    const [request] = xhr.requests;
    expect(request.headers['X-CSRF-Token']).toBe('tok');
    expect(request.headers['Content-Type']).toBeUndefined();
    expect(request.withCredentials).toBe(true);
    request.progress(1, 4);
    request.respond(202, { id: '5', url: null });

    await expect(done).resolves.toEqual({ status: 202, data: { id: '5', url: null }, nextPath: null });
    expect(progress).toEqual([0.25, 1]);
  });

  it("rejects with the server's message, and with an AbortError when cancelled", async () => {
    const xhr = installXhrMock();
    const api = new ApiClient();
    const failing = api.upload('/api/v2/media', new FormData());
    xhr.requests[0].respond(422, { error: 'Validation failed: File is missing' });
    await expect(failing).rejects.toMatchObject({ status: 422, message: 'Validation failed: File is missing' });

    const controller = new AbortController();
    const cancelled = api.upload('/api/v2/media', new FormData(), { signal: controller.signal });
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    expect(xhr.requests[1].aborted).toBe(true);
  });
});
