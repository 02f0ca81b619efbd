import type { AddressInfo } from 'node:net';
import { buildApp, type GlimpseApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { RedisPubSub } from '../../src/infra/pubsub/redis-pub-sub.ts';
import { createWorld, testConfig, type World, type WorldName } from './world.ts';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from './test-redis.ts';
import { openStreamAt } from './stream-client.ts';

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

export type { Frame } from './stream-client.ts';

/** A WebSocket on a stream of an app listening on this port (stream-client.ts). */
export const openStream = (port: number, token: string, stream = 'user') => openStreamAt(`http://127.0.0.1:${port}`, token, stream);
