import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { setCookie } from '../support/http.ts';

async function sessionCookie(world: World, login: string): Promise<string> {
  const res = await world.post(undefined, '/api/glimpse/v1/session', { login, password: `${login}-password` });
  assert.equal(res.status, 200);
  return `glimpse_session=${setCookie(res, 'glimpse_session')!.value}`;
}

/** Opens /api/v1/streaming through the app's WebSocket injector; answers 101 or the refusal's status. */
async function upgrade(world: World, headers: Record<string, string>, query = 'stream=user'): Promise<number> {
  try {
    const socket = await world.app.http.injectWS(`/api/v1/streaming?${query}`, { headers });
    socket.terminate();
    return 101;
  } catch (error) {
    const status = /Unexpected server response: (\d+)/.exec(String((error as Error).message))?.[1];
    if (!status) throw error;
    return Number(status);
  }
}

test('a cookie-authenticated WebSocket upgrade is refused (403) unless its Origin is the instance\'s public URL', async () => {
  const world = await createWorld({ accounts: ['mara'] });
  try {
    const cookie = await sessionCookie(world, 'mara');
    const origin = new URL(world.config.publicUrl).origin;
    assert.equal(await upgrade(world, { cookie, origin: 'https://evil.example' }), 403, 'another site');
    assert.equal(await upgrade(world, { cookie, origin: `${origin}.evil.example` }), 403, 'a look-alike host');
    assert.equal(await upgrade(world, { cookie, origin: 'null' }), 403, 'an opaque origin');
    assert.equal(await upgrade(world, { cookie }), 403, 'no Origin at all');
    assert.equal(await upgrade(world, { cookie, origin }), 101, 'the instance itself');
  } finally {
    await world.close();
  }
});

test('a token-authenticated WebSocket upgrade does not depend on Origin', async () => {
  const world = await createWorld({ accounts: ['mara'] });
  try {
    const token = world.actors.mara.token;
    assert.equal(await upgrade(world, { origin: 'https://other-client.example', authorization: `Bearer ${token}` }), 101, 'bearer header');
    assert.equal(await upgrade(world, { origin: 'https://other-client.example' }, `stream=user&access_token=${token}`), 101, 'token in the query');
    assert.equal(await upgrade(world, { 'sec-websocket-protocol': token }), 101, 'token as the protocol, no Origin');
  } finally {
    await world.close();
  }
});

test('Strict-Transport-Security is sent when the public URL is https, and not on http', async () => {
  const tls = await createWorld({ accounts: ['mara'], config: { publicUrl: 'https://glimpse.test' } });
  const plain = await createWorld({ accounts: ['mara'] });
  try {
    for (const url of ['/api/v1/instance', '/oauth/authorize?client_id=x&redirect_uri=y', '/no-such-page']) {
      const secure = await tls.get(undefined, url);
      assert.match(String(secure.headers['strict-transport-security']), /^max-age=\d{7,}/, url);
      assert.equal((await plain.get(undefined, url)).headers['strict-transport-security'], undefined, url);
    }
  } finally {
    await tls.close();
    await plain.close();
  }
});
