import { buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';
import { countStatements } from '../../server/src/db/statement-count.ts';
import type { DbTarget } from './db.ts';

export interface StatementCounts {
  /** Viewers whose pages were counted. */
  viewers: number;
  homeCold: { median: number; max: number };
  homeWarm: { median: number; max: number };
  comment: number;
}

const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
};

/**
 * Statements the database runs for a home-feed page (cold caches, then warm) of each of some
 * viewers, and for one new comment, counted on the generated data through the app's statement
 * observer (in this process, the server stopped): the counts the tests assert, on data of the
 * benchmark's size. A viewer whose kept feed rows do not fill a page pays two more.
 */
export async function countStatementsOn(target: DbTarget, fanoutThreshold: number, tokens: readonly string[], celebrityId: string): Promise<StatementCounts> {
  const config = loadConfig({
    GLIMPSE_DATA_DIR: target.dataDir,
    GLIMPSE_DATABASE_URL: target.databaseUrl,
    GLIMPSE_FANOUT_THRESHOLD: String(fanoutThreshold),
    GLIMPSE_RATE_LIMITS: 'off',
  });
  const app = await buildApp(config, { logger: false });
  try {
    const count = async (run: () => Promise<{ statusCode: number }>) => {
      const { result, statements } = await countStatements(app.services.database, run);
      if (result.statusCode !== 200) throw new Error(`statement count: answered ${result.statusCode}`);
      return statements;
    };
    const cold: number[] = [];
    const warm: number[] = [];
    for (const token of tokens) {
      const page = () => app.http.inject({ method: 'GET', url: '/api/v1/timelines/home?limit=20', headers: { authorization: `Bearer ${token}` } });
      app.services.caches.postContent.clear();
      app.services.caches.filterRules.clear();
      app.services.caches.viewerRelations.clear();
      cold.push(await count(page));
      warm.push(await count(page));
    }
    const headers = { authorization: `Bearer ${tokens[0]}` };
    const latest = (await app.http.inject({ method: 'GET', url: `/api/v1/accounts/${celebrityId}/statuses?limit=1`, headers })).json() as Array<{ id: string }>;
    if (!latest[0]) throw new Error('statement count: the celebrity has no post');
    const comment = (text: string) => () => app.http.inject({ method: 'POST', url: '/api/v1/statuses', headers, payload: { status: text, in_reply_to_id: latest[0].id } });
    await comment('happy birthday!')();
    return { viewers: tokens.length, homeCold: spread(cold), homeWarm: spread(warm), comment: await count(comment('so happy for you')) };
  } finally {
    await app.close();
  }
}
