import { buildApp, type GlimpseApp } from '../../src/app.ts';
import type { Clock } from '../../src/clock.ts';
import type { Config } from '../../src/config.ts';
import { freePort } from './ports.ts';
import { openTestDatabase, type TestDatabase } from './test-database.ts';
import { testConfig } from './world.ts';

/**
 * The real Glimpse HTTP server listening on a loopback port, for tests that drive it with a
 * real client over the network (masto, fetch, a browser) rather than through inject().
 */
export interface RunningServer {
  app: GlimpseApp;
  config: Config;
  db: TestDatabase;
  /** http://127.0.0.1:<port>, also the server's publicUrl. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export { freePort };

/**
 * Builds the app on a fresh test database (SQLite or PostgreSQL, per GLIMPSE_TEST_DB) with its
 * publicUrl set to the address it will listen on, and starts listening there. The port is
 * chosen before the app is built, so a port taken in between is retried with another.
 */
export async function startHttpServer(overrides: Partial<Config> = {}, clock?: Clock): Promise<RunningServer> {
  const db = await openTestDatabase();
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const config = testConfig({ publicUrl: url, domain: `127.0.0.1:${port}`, port, host: '127.0.0.1', ...overrides });
      const app = await buildApp(config, { database: db.handle, logger: false, ...(clock ? { clock } : {}) });
      try {
        await app.http.listen({ port, host: '127.0.0.1' });
      } catch (error) {
        await app.close();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 5) continue;
        throw error;
      }
      return {
        app,
        config,
        db,
        url,
        port,
        async close() {
          await app.close();
          await db.dispose();
        },
      };
    }
  } catch (error) {
    await db.dispose();
    throw error;
  }
}
