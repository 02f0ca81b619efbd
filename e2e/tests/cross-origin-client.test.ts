import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAccount, useGlimpse } from '../support/glimpse.ts';

/**
 * A browser-based Mastodon client on another origin: a static page served by a tiny server on
 * another loopback port, that talks to Glimpse only with fetch (CORS) and a bearer token.
 */
const glimpse = useGlimpse();

/**
 * The client page. It registers an app whose redirect URI is the page itself, sends the
 * browser to Glimpse's authorization page with a PKCE S256 challenge, and, back with a code,
 * exchanges it, reads the home feed, uploads a photo drawn on a canvas and posts it. What it
 * saw is written into #result for the test to read.
 */
function clientPage(instance: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Faraway client</title></head>
<body>
<h1>Faraway client</h1>
<button id="start" type="button">Sign in with Glimpse</button>
<output id="result"></output>
<script type="module">
const INSTANCE = ${JSON.stringify(instance)};
const HERE = location.origin + location.pathname;
const SCOPES = 'read write';
const result = document.getElementById('result');
const b64url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const api = (path, init = {}) => fetch(INSTANCE + path, init);

function show(state, value) {
  result.textContent = typeof value === 'string' ? value : JSON.stringify(value);
  result.dataset.state = state;
}

async function start() {
  const registered = await api('/api/v1/apps', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_name: 'Faraway client', redirect_uris: HERE, scopes: SCOPES }),
  });
  if (registered.status !== 200) throw new Error('POST /api/v1/apps answered ' + registered.status);
  const app = await registered.json();
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem('oauth', JSON.stringify({ app, verifier, state }));
  const query = new URLSearchParams({
    client_id: app.client_id, redirect_uri: HERE, response_type: 'code', scope: SCOPES,
    code_challenge: challenge, code_challenge_method: 'S256', state,
  });
  location.assign(INSTANCE + '/oauth/authorize?' + query);
}

function drawnPhoto() {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const g = canvas.getContext('2d');
  const gradient = g.createLinearGradient(0, 0, 320, 240);
  gradient.addColorStop(0, '#e0604a');
  gradient.addColorStop(1, '#3a6ee0');
  g.fillStyle = gradient;
  g.fillRect(0, 0, 320, 240);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

async function finish(params) {
  const saved = JSON.parse(sessionStorage.getItem('oauth') ?? 'null');
  if (!saved || params.get('state') !== saved.state) throw new Error('the state came back changed');
  const tokenAnswer = await api('/oauth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: HERE,
      client_id: saved.app.client_id, client_secret: saved.app.client_secret, code_verifier: saved.verifier,
    }),
  });
  const token = await tokenAnswer.json();
  if (tokenAnswer.status !== 200) throw new Error('POST /oauth/token answered ' + tokenAnswer.status + ' ' + JSON.stringify(token));
  const auth = { Authorization: 'Bearer ' + token.access_token };

  const me = await (await api('/api/v1/accounts/verify_credentials', { headers: auth })).json();
  const homeBefore = await api('/api/v1/timelines/home', { headers: auth });
  const feedBefore = await homeBefore.json();

  const form = new FormData();
  form.append('file', await drawnPhoto(), 'drawn.png');
  form.append('description', 'A gradient drawn in the page');
  const upload = await api('/api/v2/media', { method: 'POST', headers: auth, body: form });
  let attachment = await upload.json();
  if (upload.status !== 200 && upload.status !== 202) throw new Error('POST /api/v2/media answered ' + upload.status + ' ' + JSON.stringify(attachment));
  // As Mastodon clients do: a 202 is still processing, so ask again until it has a URL.
  for (let tries = 0; attachment.url === null && tries < 240; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    attachment = await (await api('/api/v1/media/' + attachment.id, { headers: auth })).json();
  }

  const posting = await api('/api/v1/statuses', {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({ status: 'Posted from another site', media_ids: [attachment.id] }),
  });
  const posted = await posting.json();
  const homeAfter = await api('/api/v1/timelines/home', { headers: auth });
  const feedAfter = await homeAfter.json();

  let withCookies;
  try {
    await api('/api/v1/instance', { credentials: 'include' });
    withCookies = 'readable';
  } catch {
    withCookies = 'refused by the browser';
  }

  return {
    token: { status: tokenAnswer.status, type: token.token_type, scope: token.scope },
    me: me.username,
    homeBefore: { status: homeBefore.status, count: feedBefore.length },
    upload: { status: upload.status, type: attachment.type, hasUrl: typeof attachment.url === 'string' },
    posted: { status: posting.status, id: posted.id, content: posted.content, photos: (posted.media_attachments ?? []).length },
    homeAfter: { status: homeAfter.status, ids: feedAfter.map((s) => s.id), link: homeAfter.headers.get('link') },
    withCookies,
  };
}

const params = new URLSearchParams(location.search);
if (params.has('code') || params.has('error')) {
  if (params.has('error')) show('failed', 'authorization refused: ' + params.get('error'));
  else finish(params).then((value) => show('done', value), (error) => show('failed', String(error)));
} else {
  document.getElementById('start').addEventListener('click', () => start().catch((error) => show('failed', String(error))));
}
</script>
</body>
</html>`;
}

let client: http.Server;
let clientUrl: string;

before(async () => {
  // Listening on its own port makes it another origin than Glimpse (same host, other port).
  client = http.createServer((request, response) => {
    if (request.method === 'GET' && new URL(request.url ?? '/', 'http://x').pathname === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(clientPage(glimpse.server.url));
    } else {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('not found');
    }
  });
  await new Promise<void>((resolve) => client.listen(0, '127.0.0.1', resolve));
  clientUrl = `http://127.0.0.1:${(client.address() as AddressInfo).port}/`;
});
after(async () => {
  client.closeAllConnections();
  await new Promise<void>((resolve) => client.close(() => resolve()));
});

test('a client page on another origin registers an app, logs in with PKCE, reads the home feed and posts a photo, all through CORS', async () => {
  const account = await createAccount(glimpse.server, 'faraway');
  assert.notEqual(new URL(clientUrl).origin, new URL(glimpse.server.url).origin, 'the client is another origin');
  const { context, page } = await glimpse.desktop();

  await page.goto(clientUrl);
  await page.getByRole('button', { name: 'Sign in with Glimpse' }).click();
  await page.waitForURL((url) => url.href.startsWith(`${glimpse.server.url}/oauth/authorize?`));
  await page.getByText('Faraway client').first().waitFor();
  await page.getByLabel('Username or email').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Authorize' }).click();

  // Chromium followed the redirect to the registered redirect URI (the consent page's
  // form-action allows it), and the page goes on by itself.
  await page.waitForURL((url) => url.href.startsWith(clientUrl) && url.searchParams.has('code'));
  const result = page.locator('#result[data-state]');
  await result.waitFor();
  const text = (await result.textContent()) ?? '';
  assert.equal(await result.getAttribute('data-state'), 'done', text);
  const seen = JSON.parse(text);

  assert.deepEqual(seen.token, { status: 200, type: 'Bearer', scope: 'read write' });
  assert.equal(seen.me, account.username);
  assert.deepEqual(seen.homeBefore, { status: 200, count: 0 });
  assert.equal(seen.upload.type, 'image');
  assert.ok(seen.upload.hasUrl, 'the upload was processed');
  assert.equal(seen.posted.status, 200);
  assert.equal(seen.posted.photos, 1);
  assert.match(seen.posted.content, /Posted from another site/);
  assert.equal(seen.homeAfter.status, 200);
  assert.deepEqual(seen.homeAfter.ids, [seen.posted.id], 'the new post is in the home feed');
  assert.match(String(seen.homeAfter.link), /rel="prev"/, 'the Link header is exposed to the script');
  assert.equal(seen.withCookies, 'refused by the browser', 'no answer is shared with credentials');

  // The post is really there, with its photo, for everyone to see.
  const statuses = await fetch(`${glimpse.server.url}/api/v1/accounts/${account.id}/statuses`);
  const body = (await statuses.json()) as Array<{ id: string; media_attachments: unknown[] }>;
  assert.deepEqual(body.map((s) => [s.id, s.media_attachments.length]), [[seen.posted.id, 1]]);
  await context.close();
});
