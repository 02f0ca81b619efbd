import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type GlimpseApp } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openTestDatabase, type TestDatabase } from './test-database.ts';

/**
 * The fixture world: named accounts from the product scenario, each with a full-scope token.
 * - mara: the public figure (public account)
 * - ines: her friend (public)
 * - nora: a private (locked) account
 * - sam: a stranger to everyone
 * - pat: will be made a pending requester, rex a rejected one, remi a removed follower,
 *   and bo a blocked account, by the tests that need them
 */
export const WORLD_ACCOUNTS = ['mara', 'ines', 'nora', 'sam', 'pat', 'rex', 'remi', 'bo'] as const;
export type WorldName = (typeof WORLD_ACCOUNTS)[number];

export interface Actor {
  id: string;
  username: string;
  token: string;
}

export interface Response<T = any> {
  status: number;
  body: T;
  headers: LightMyRequestResponse['headers'];
  raw: LightMyRequestResponse;
}

export interface World {
  app: GlimpseApp;
  clock: ManualClock;
  config: Config;
  db: TestDatabase;
  actors: Record<WorldName, Actor>;
  /** A request as an actor (bearer token), or anonymous when `as` is undefined. */
  request<T = any>(as: WorldName | Actor | undefined, method: InjectOptions['method'], url: string, payload?: unknown, headers?: Record<string, string>): Promise<Response<T>>;
  get<T = any>(as: WorldName | Actor | undefined, url: string): Promise<Response<T>>;
  post<T = any>(as: WorldName | Actor | undefined, url: string, payload?: unknown): Promise<Response<T>>;
  /** Registers one more account and gives it a full-scope token. */
  addActor(username: string, options?: { locked?: boolean }): Promise<Actor>;
  close(): Promise<void>;
}

/** Test settings; media and other files go to a fresh temporary data directory. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ GLIMPSE_PUBLIC_URL: 'http://glimpse.test', GLIMPSE_RATE_LIMITS: 'off', GLIMPSE_SECRET: 'test-secret' } as NodeJS.ProcessEnv),
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-test-')),
    ...overrides,
  };
}

/** `databaseFile`: on SQLite, keep the world in this file instead of in memory (for a second process to open). */
export async function createWorld(options: { config?: Partial<Config>; accounts?: readonly WorldName[]; databaseFile?: string } = {}): Promise<World> {
  const clock = new ManualClock(new Date('2026-11-28T10:00:00Z'));
  const db = await openTestDatabase({ file: options.databaseFile, sqliteReadWorkers: options.config?.sqliteReadWorkers });
  const config = testConfig(options.config);
  const app = await buildApp(config, { clock, database: db.handle, logger: false });

  const addActor = async (username: string, opts: { locked?: boolean } = {}): Promise<Actor> => {
    const account = await app.services.accounts.register({ username, email: `${username}@glimpse.test`, password: `${username}-password`, agreement: true, reason: 'tests' });
    await app.services.repositories.accounts.updateUser(account.id, { approved: 1 });
    if (opts.locked) await app.services.repositories.accounts.update(account.id, { locked: 1 });
    const issued = await app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write', 'follow', 'push'], withRefresh: false });
    return { id: account.id, username, token: issued.access_token };
  };

  const actors = {} as Record<WorldName, Actor>;
  for (const name of options.accounts ?? WORLD_ACCOUNTS) {
    actors[name] = await addActor(name, { locked: name === 'nora' });
  }

  const resolve = (as: WorldName | Actor | undefined) => (typeof as === 'string' ? actors[as] : as);

  const request = async (as: WorldName | Actor | undefined, method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const actor = resolve(as);
    const raw = await app.http.inject({
      method,
      url,
      payload: payload as InjectOptions['payload'],
      headers: { ...(actor ? { authorization: `Bearer ${actor.token}` } : {}), ...headers },
    });
    let body: unknown = raw.body;
    if (String(raw.headers['content-type'] ?? '').includes('json')) body = raw.json();
    return { status: raw.statusCode, body, headers: raw.headers, raw } as Response;
  };

  return {
    app,
    clock,
    config,
    db,
    actors,
    request,
    get: (as, url) => request(as, 'GET', url),
    post: (as, url, payload) => request(as, 'POST', url, payload ?? {}),
    addActor,
    async close() {
      await app.close();
      await db.dispose();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
