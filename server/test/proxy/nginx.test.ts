import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.ts';
import { startHttpServer, freePort, type RunningServer } from '../support/http-server.ts';
import { makeJpeg, multipartWithFile } from '../support/photos.ts';
import { ROOT } from '../support/processes.ts';

/**
 * Debian's nginx in front of Glimpse, configured by deploy/nginx/glimpse.conf itself (only its
 * addresses, ports and certificate paths are replaced), with a self-signed certificate made for
 * the run. Clients connect from several loopback addresses (127.0.0.2, 127.0.0.3) so the real
 * client address differs from the proxy's (127.0.0.1).
 */
const NGINX = process.env.GLIMPSE_NGINX ?? '/usr/sbin/nginx';
const LOGIN_LIMIT = 3;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json(): any;
}

describe('behind nginx with TLS (deploy/nginx/glimpse.conf)', () => {
  let dir: string;
  let server: RunningServer;
  let nginx: ChildProcess;
  let httpsPort: number;
  let httpPort: number;
  let ca: Buffer;

  /** A request to nginx over TLS, from `from` (a loopback address). */
  const request = (method: string, url: string, options: { from?: string; headers?: Record<string, string>; body?: Buffer | string } = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', servername: 'localhost', port: httpsPort, method, path: url, ca, localAddress: options.from ?? '127.0.0.1', headers: { host: `localhost:${httpsPort}`, ...(options.headers ?? {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) });
          });
        },
      );
      req.on('error', reject);
      if (options.body !== undefined) req.write(options.body);
      req.end();
    });
  const json = (payload: unknown, extra: Record<string, string> = {}) => ({ headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(payload) });

  before(async () => {
    assert.ok(fs.existsSync(NGINX), `nginx is needed at ${NGINX} (apt-get install -y nginx), or set GLIMPSE_NGINX`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-nginx-'));
    // nginx's workers run as an unprivileged user when the master is root: they write its temp folders.
    fs.chmodSync(dir, 0o755);
    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, sub), { mode: 0o777 });
    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.chmodSync(path.join(dir, sub), 0o777);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    ca = fs.readFileSync(path.join(dir, 'cert.pem'));
    httpsPort = await freePort();
    httpPort = await freePort();
    const defaults = loadConfig({} as NodeJS.ProcessEnv);
    server = await startHttpServer({
      publicUrl: `https://localhost:${httpsPort}`,
      domain: `localhost:${httpsPort}`,
      trustProxy: '127.0.0.1',
      rateLimitsEnabled: true,
      rateLimits: { ...defaults.rateLimits, login: LOGIN_LIMIT },
    });

    let site = fs.readFileSync(path.join(ROOT, 'deploy/nginx/glimpse.conf'), 'utf8');
    const replace = (from: string, to: string) => {
      assert.ok(site.includes(from), `deploy/nginx/glimpse.conf no longer has "${from}"`);
      site = site.split(from).join(to);
    };
    replace('server 127.0.0.1:3000;', `server 127.0.0.1:${server.port};`);
    replace('listen [::]:80;', '');
    replace('listen [::]:443 ssl http2;', '');
    replace('listen 80;', `listen 127.0.0.1:${httpPort};`);
    replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`);
    replace('/etc/letsencrypt/live/glimpse.example/fullchain.pem', path.join(dir, 'cert.pem'));
    replace('/etc/letsencrypt/live/glimpse.example/privkey.pem', path.join(dir, 'key.pem'));
    replace('server_name glimpse.example;', 'server_name localhost;');
    fs.writeFileSync(path.join(dir, 'glimpse.conf'), site);
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      [
        'daemon off;',
        'worker_processes 1;',
        `pid ${dir}/nginx.pid;`,
        `error_log ${dir}/error.log warn;`,
        'events { worker_connections 256; }',
        'http {',
        `  access_log ${dir}/access.log;`,
        ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t === 'body' ? 'client_body' : t}_temp_path ${dir}/${t};`),
        `  include ${dir}/glimpse.conf;`,
        '}',
      ].join('\n'),
    );
    nginx = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'inherit', 'inherit'] });
    let exited: number | null | undefined;
    nginx.on('exit', (code) => {
      exited = code;
    });
    // Ready once it accepts connections; the guard only turns a hang into a failure.
    for (let i = 0; ; i++) {
      if (exited !== undefined) throw new Error(`nginx exited (${exited}): ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
      const open = await new Promise<boolean>((resolve) => {
        const socket = net.connect(httpsPort, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      if (open) break;
      if (i > 200) throw new Error('nginx did not start listening');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  after(async () => {
    if (nginx && nginx.exitCode === null) {
      const gone = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGTERM');
      await gone;
    }
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('sends plain HTTP to HTTPS', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: httpPort, path: '/explore?x=1', headers: { host: 'localhost' } }, resolve).on('error', reject);
    });
    res.resume();
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, 'https://localhost/explore?x=1');
  });

  test('signs up and logs in over TLS, with a Secure session cookie that then authenticates', async () => {
    const registered = await request('POST', '/api/glimpse/v1/registrations', json({ username: 'proxied', email: 'proxied@example.com', password: 'proxied-password-1', agreement: true, locale: 'en' }));
    assert.equal(registered.status, 200, registered.body.toString());
    const login = await request('POST', '/api/glimpse/v1/session', json({ login: 'proxied', password: 'proxied-password-1' }));
    assert.equal(login.status, 200, login.body.toString());
    const setCookie = String(login.headers['set-cookie']);
    assert.match(setCookie, /; Secure/i);
    assert.match(setCookie, /; HttpOnly/i);
    const session = await request('GET', '/api/glimpse/v1/session', { headers: { cookie: setCookie.split(';')[0]! } });
    assert.equal(session.status, 200);
    assert.equal(session.json().account.username, 'proxied');
  });

  test('uploads a photo through the proxy and serves its file with Glimpse\'s cache headers; an oversized file gets the API\'s 413', async () => {
    const account = await server.app.services.repositories.accounts.findByUsername('proxied');
    assert.ok(account);
    const { access_token: token } = await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write'], withRefresh: false });
    const { body, contentType } = multipartWithFile('file', { data: await makeJpeg(320, 240), filename: 'party.jpg', type: 'image/jpeg' }, [['description', 'cake']]);
    const uploaded = await request('POST', '/api/v1/media', { headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
    assert.equal(uploaded.status, 200, uploaded.body.toString());
    const media = uploaded.json();
    assert.ok(media.url.startsWith(`https://localhost:${httpsPort}/media/`), media.url);
    const fileUrl = new URL(media.url);
    const file = await request('GET', fileUrl.pathname + fileUrl.search, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(file.status, 200, `${media.url} ${file.body.toString()}`);
    assert.equal(file.headers['content-type'], 'image/jpeg');
    const direct = await fetch(`http://127.0.0.1:${server.port}${fileUrl.pathname}${fileUrl.search}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(file.headers['cache-control'], direct.headers.get('cache-control'));
    assert.ok(file.headers['cache-control']);

    const big = multipartWithFile('file', { data: Buffer.concat([await makeJpeg(64, 48), Buffer.alloc(17 * 1024 * 1024, 1)]), filename: 'big.jpg', type: 'image/jpeg' });
    const refused = await request('POST', '/api/v1/media', { headers: { authorization: `Bearer ${token}`, 'content-type': big.contentType }, body: big.body });
    assert.equal(refused.status, 413);
    assert.match(refused.json().error, /too large/);
  });

  test('keeps a WebSocket stream open through the proxy and delivers to it', async () => {
    const accounts = server.app.services.repositories.accounts;
    const target = (await accounts.findByUsername('proxied'))!;
    const { access_token: token } = await server.app.services.auth.issue({ appId: null, accountId: target.id, scopes: ['read'], withRefresh: false });
    const tls: WebSocket.ClientOptions & https.RequestOptions = { ca, servername: 'localhost', headers: { host: `localhost:${httpsPort}` } };
    const socket = new WebSocket(`wss://127.0.0.1:${httpsPort}/api/v1/streaming?stream=user&access_token=${token}`, tls);
    const frames: Array<{ event?: string; payload?: string }> = [];
    const notified = new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        frames.push(JSON.parse(String(data)));
        if (frames.some((f) => f.event === 'notification')) resolve();
      });
      socket.on('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    // Someone follows the streaming account (straight to Glimpse): the notification arrives through nginx.
    const signup = await fetch(`http://127.0.0.1:${server.port}/api/glimpse/v1/registrations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'fan', email: 'fan@example.com', password: 'fan-password-1', agreement: true, locale: 'en' }) });
    assert.equal(signup.status, 200);
    const fan = ((await signup.json()) as { account: { id: string } }).account;
    const { access_token: fanToken } = await server.app.services.auth.issue({ appId: null, accountId: fan.id, scopes: ['follow', 'write'], withRefresh: false });
    for (let i = 0; i < 100 && frames.length === 0; i++) {
      const followed = await fetch(`http://127.0.0.1:${server.port}/api/v1/accounts/${target.id}/follow`, { method: 'POST', headers: { authorization: `Bearer ${fanToken}` } });
      assert.equal(followed.status, 200);
      await Promise.race([notified, new Promise((resolve) => setTimeout(resolve, 100))]);
      if (frames.length === 0) await fetch(`http://127.0.0.1:${server.port}/api/v1/accounts/${target.id}/unfollow`, { method: 'POST', headers: { authorization: `Bearer ${fanToken}` } });
    }
    await notified;
    assert.equal(JSON.parse(frames.find((f) => f.event === 'notification')!.payload!).account.username, 'fan');
    socket.close();
  });

  test('rate limits key on the real client address: not on the proxy\'s, and not on a forged X-Forwarded-For', async () => {
    const wrong = (from: string, headers: Record<string, string> = {}) => request('POST', '/api/glimpse/v1/session', { from, ...json({ login: 'proxied', password: 'not-the-password' }, headers) });
    for (let i = 0; i < LOGIN_LIMIT; i++) assert.equal((await wrong('127.0.0.2')).status, 401);
    const limited = await wrong('127.0.0.2');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.deepEqual(limited.json(), { error: 'Too many requests' });
    // Claiming to be someone else does not reset the count: nginx replaces the header.
    assert.equal((await wrong('127.0.0.2', { 'x-forwarded-for': '203.0.113.9' })).status, 429);
    // Another client behind the same proxy has its own budget.
    assert.equal((await wrong('127.0.0.3')).status, 401);
  });
});
