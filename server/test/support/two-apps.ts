import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { buildApp, type GlimpseApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { RedisPubSub } from '../../src/infra/pubsub/redis-pub-sub.ts';
import { createWorld, testConfig, type World, type WorldName } from './world.ts';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from './test-redis.ts';

/**
 * Two Glimpse processes' worth of app: the world's app (A) and a second app (B) built on the
 * same database (the world's handle: SQLite or PostgreSQL, per GLIMPSE_TEST_DB) and the same
 * Redis prefix, each with its own pub/sub, rate-limit store and HTTP server on a loopback port.
 * Nothing is shared between them but the database and Redis, as between two processes.
 */
export interface TwoApps {
  world: World;
  a: GlimpseApp;
  b: GlimpseApp;
  portA: number;
  portB: number;
  prefix: string;
  close(): Promise<void>;
}

export async function listen(app: GlimpseApp): Promise<number> {
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  return (app.http.server.address() as AddressInfo).port;
}

export async function twoApps(label: string, options: { config?: Partial<Config>; accounts?: readonly WorldName[] } = {}): Promise<TwoApps> {
  const prefix = uniqueRedisPrefix(label);
  const shared = { redisUrl: TEST_REDIS_URL, redisPrefix: prefix, ...options.config };
  const world = await createWorld({ config: shared, accounts: options.accounts });
  const b = await buildApp(testConfig(shared), { database: world.db.handle, clock: world.clock, logger: false });
  const portA = await listen(world.app);
  const portB = await listen(b);
  return {
    world,
    a: world.app,
    b,
    portA,
    portB,
    prefix,
    async close() {
      await b.close();
      await world.close();
      await deleteRedisPrefix(prefix);
    },
  };
}

/** Resolves once the app's Redis subscriptions made so far are in effect (in-process pub/sub: at once). */
export async function subscriptionsSettled(app: GlimpseApp): Promise<void> {
  if (app.services.pubsub instanceof RedisPubSub) await app.services.pubsub.settled();
}

export interface Frame {
  stream?: string[];
  event?: string;
  payload?: string;
}

/** A WebSocket on a stream, collecting its frames, with its close (code) observable. */
export async function openStream(port: number, token: string, stream = 'user') {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/streaming?stream=${stream}&access_token=${token}`);
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...waiters]) wake();
  };
  let closedWith: number | undefined;
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)));
    wakeAll();
  });
  socket.on('close', (code) => {
    closedWith = code;
    wakeAll();
  });
  const until = async <T>(found: () => T | undefined, what: string, guardMs = 10_000): Promise<T> => {
    // The bound only turns a hang into a failure; nothing waits on it to pass.
    const guard = Date.now() + guardMs;
    for (;;) {
      const value = found();
      if (value !== undefined) return value;
      if (Date.now() > guard) throw new Error(`gave up waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, guardMs);
        function wake() {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        }
        waiters.add(wake);
      });
    }
  };
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return {
    frames,
    /** The first frame matching, once it has arrived. */
    frame: (wanted: (f: Frame) => boolean, what = 'a frame') => until(() => frames.find(wanted), what),
    /** The close code, once the server has closed the socket. */
    closed: () => until(() => closedWith, 'the stream to close'),
    get isOpen() {
      return socket.readyState === WebSocket.OPEN;
    },
    close: () => socket.close(),
  };
}
