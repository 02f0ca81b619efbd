import { buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';
import { countStatements } from '../../server/test/support/query-count.ts';
import type { DbTarget } from './db.ts';

export interface StatementCounts {
  homeCold: number;
  homeWarm: number;
  comment: number;
}

/**
 * Statements the database runs for one home-feed page (cold caches, then warm) and for one new
 * comment, counted on the generated data through the app's statement observer (in this process,
 * the server stopped): the counts the tests assert, on data of the benchmark's size.
 */
export async function countStatementsOn(target: DbTarget, fanoutThreshold: number, token: string, celebrityId: string): Promise<StatementCounts> {
  const config = loadConfig({
    GLIMPSE_DATA_DIR: target.dataDir,
    GLIMPSE_DATABASE_URL: target.databaseUrl,
    GLIMPSE_FANOUT_THRESHOLD: String(fanoutThreshold),
    GLIMPSE_RATE_LIMITS: 'off',
  });
  const app = await buildApp(config, { logger: false });
  try {
    const headers = { authorization: `Bearer ${token}` };
    const page = () => app.http.inject({ method: 'GET', url: '/api/v1/timelines/home?limit=20', headers });
    const count = async (run: () => Promise<{ statusCode: number }>) => {
      const { result, statements } = await countStatements(app.services.database, run);
      if (result.statusCode !== 200) throw new Error(`statement count: answered ${result.statusCode}`);
      return statements;
    };
    app.services.caches.postContent.clear();
    app.services.caches.filterRules.clear();
    const homeCold = await count(page);
    const homeWarm = await count(page);
    const latest = (await app.http.inject({ method: 'GET', url: `/api/v1/accounts/${celebrityId}/statuses?limit=1`, headers })).json() as Array<{ id: string }>;
    if (!latest[0]) throw new Error('statement count: the celebrity has no post');
    const comment = (text: string) => () => app.http.inject({ method: 'POST', url: '/api/v1/statuses', headers, payload: { status: text, in_reply_to_id: latest[0].id } });
    await comment('happy birthday!')();
    return { homeCold, homeWarm, comment: await count(comment('so happy for you')) };
  } finally {
    await app.close();
  }
}
