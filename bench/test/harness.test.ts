// The benchmark harness at a small size: the generator's counts and invariants, and one run of
// the load driver producing the whole table. Speed is never asserted here.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { dropTarget, freshTarget, openHandle } from '../src/db.ts';
import { generate } from '../src/generate.ts';
import { BENCH_REDIS_URL } from '../src/multi-process.ts';
import { runBenchmark } from '../src/run.ts';
import { SIZES } from '../src/sizes.ts';
import { checkCounters } from '../../server/src/domain/integrity/integrity-check.ts';

const size = SIZES.tiny;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-test-'));
const quiet = () => undefined;

async function scalar(db: any, query: string): Promise<number> {
  const r = await sql.raw<{ n: number }>(query).execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

test('the generator writes the asked-for graph with consistent counters and home feeds', { timeout: 120_000 }, async () => {
  const target = await freshTarget('sqlite', path.join(tmp, 'gen-a'));
  const manifest = await generate({ size, target, seed: 'harness', log: quiet });
  const handle = await openHandle(target);
  const db = handle.kysely;
  try {
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM accounts'), size.accounts);
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM users'), size.accounts);
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM follows'), size.edges);
    assert.equal(manifest.counts.follows, size.edges);
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM statuses'), size.posts);
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM media WHERE status_id IS NOT NULL'), size.posts);
    // Posts carry the comment columns as the server writes a post.
    assert.equal(await scalar(db, "SELECT count(*) AS n FROM statuses WHERE post_id IS NULL AND thread_id IS NULL AND hidden_reason IS NULL AND approved = 0 AND fold_key = '' AND rank_score = 0 AND pinned_at IS NULL AND tone IS NULL"), size.posts);

    // Counters match the rows they count, as the admin integrity check defines them.
    assert.deepEqual(await checkCounters(db), []);

    // One celebrity followed by everyone else, the comparison account by exactly midFollowers,
    // every ordinary account at or below the fan-out threshold, nobody following more than 2,000.
    assert.equal(manifest.celebrity.followers, size.accounts - 1);
    assert.equal(await scalar(db, `SELECT followers_count AS n FROM accounts WHERE id = '${manifest.celebrity.id}'`), size.accounts - 1);
    assert.equal(manifest.mid.followers, size.midFollowers);
    assert.equal(await scalar(db, `SELECT count(*) AS n FROM accounts WHERE id <> '${manifest.celebrity.id}' AND followers_count > ${manifest.fanoutThreshold}`), 0);
    assert.ok(await scalar(db, 'SELECT max(following_count) AS n FROM accounts') <= 2000);
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM follows WHERE account_id = target_account_id'), 0);
    assert.equal(await scalar(db, `SELECT count(*) AS n FROM statuses WHERE account_id = '${manifest.celebrity.id}'`), size.celebrityPosts);
    // Skewed: the most-followed ordinary account has several times the mean.
    const meanFollowers = (size.edges - (size.accounts - 1)) / (size.accounts - 1);
    assert.ok(manifest.maxOrdinaryFollowers > 3 * meanFollowers, `max ${manifest.maxOrdinaryFollowers} vs mean ${meanFollowers}`);

    // Home feeds as the fan-out would leave them: each pushed author's posts in each follower's
    // feed; the celebrity's are pulled at read time, so none of them is stored.
    const expected = await scalar(
      db,
      `SELECT count(*) AS n FROM follows f JOIN accounts a ON a.id = f.target_account_id JOIN statuses s ON s.account_id = f.target_account_id WHERE a.followers_count <= ${manifest.fanoutThreshold}`,
    );
    assert.ok(expected > 0);
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM home_feed'), expected);
    assert.equal(manifest.counts.homeFeed, expected);
    assert.equal(await scalar(db, `SELECT count(*) AS n FROM home_feed WHERE author_id = '${manifest.celebrity.id}'`), 0);
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM home_feed h WHERE NOT EXISTS (SELECT 1 FROM follows f WHERE f.account_id = h.account_id AND f.target_account_id = h.author_id)'), 0);
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM home_feed h JOIN statuses s ON s.id = h.status_id WHERE s.account_id <> h.author_id'), 0);

    // Stories: live (created before generation, expiring 24 hours after creation), one unused
    // ready photo each, the celebrity among a power-law sample of authors, close-friend stories
    // only by authors with a close-friends list, views only by the story's audience.
    const now = new Date().toISOString();
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM stories'), size.stories);
    assert.equal(manifest.counts.stories, size.stories);
    assert.equal(await scalar(db, `SELECT count(*) AS n FROM stories WHERE created_at < '${now}' AND expires_at > '${now}'`), size.stories);
    assert.equal(await scalar(db, "SELECT count(*) AS n FROM stories WHERE (julianday(expires_at) - julianday(created_at)) * 86400000 BETWEEN 86399999 AND 86400001"), size.stories);
    assert.equal(await scalar(db, "SELECT count(*) AS n FROM stories s JOIN media m ON m.id = s.media_id WHERE m.account_id = s.account_id AND m.state = 'ready' AND m.purpose = 'attachment' AND m.status_id IS NULL"), size.stories);
    assert.equal(await scalar(db, 'SELECT count(DISTINCT media_id) AS n FROM stories'), size.stories);
    assert.ok(manifest.celebrity.stories > 0);
    assert.equal(await scalar(db, `SELECT count(*) AS n FROM stories WHERE account_id = '${manifest.celebrity.id}'`), manifest.celebrity.stories);
    const storyAuthors = await scalar(db, 'SELECT count(DISTINCT account_id) AS n FROM stories');
    assert.equal(storyAuthors, manifest.counts.storyAuthors);
    assert.ok(storyAuthors > 1 && storyAuthors < size.stories);
    assert.ok(await scalar(db, "SELECT count(*) AS n FROM stories WHERE audience = 'followers'") > size.stories / 2);
    assert.ok(await scalar(db, "SELECT count(*) AS n FROM stories WHERE audience = 'close_friends'") > 0);
    assert.equal(await scalar(db, "SELECT count(*) AS n FROM stories s WHERE s.audience = 'close_friends' AND NOT EXISTS (SELECT 1 FROM close_friends c WHERE c.account_id = s.account_id)"), 0);
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM close_friends c WHERE NOT EXISTS (SELECT 1 FROM follows f WHERE f.account_id = c.friend_id AND f.target_account_id = c.account_id)'), 0);
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM close_friends'), manifest.counts.closeFriends);
    assert.ok(manifest.counts.storyViews > 0);
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM story_views'), manifest.counts.storyViews);
    assert.equal(await scalar(db, 'SELECT count(*) AS n FROM stories s WHERE s.viewers_count <> (SELECT count(*) FROM story_views v WHERE v.story_id = s.id)'), 0);
    assert.equal(
      await scalar(db, "SELECT count(*) AS n FROM story_views v JOIN stories s ON s.id = v.story_id WHERE v.viewed_at < s.created_at OR NOT EXISTS (SELECT 1 FROM follows f WHERE f.account_id = v.account_id AND f.target_account_id = s.account_id) OR (s.audience = 'close_friends' AND NOT EXISTS (SELECT 1 FROM close_friends c WHERE c.account_id = s.account_id AND c.friend_id = v.account_id))"),
      0,
    );

    // Tokens: stored as SHA-256 hashes of the plaintexts in the manifest.
    assert.equal(manifest.tokens.length, size.tokens);
    for (const t of manifest.tokens.slice(0, 20)) {
      const hash = crypto.createHash('sha256').update(t.token).digest('hex');
      const row = await db.selectFrom('access_tokens').select(['account_id', 'revoked_at']).where('token_hash', '=', hash).executeTakeFirst();
      assert.equal(row?.account_id, t.id);
      assert.equal(row?.revoked_at, null);
    }
    assert.ok(manifest.midFollowerTokens.length >= size.load.reachSample);

    // Referential integrity, though the bulk load ran with foreign keys off.
    const fk = await sql.raw<Record<string, unknown>>('PRAGMA foreign_key_check').execute(db);
    assert.equal(fk.rows.length, 0);
    assert.equal(await handle.integrityCheck(), 'ok');
  } finally {
    await handle.close();
  }

  // Deterministic: the same seed gives the same graph.
  const again = await freshTarget('sqlite', path.join(tmp, 'gen-b'));
  const manifest2 = await generate({ size, target: again, seed: 'harness', log: quiet });
  assert.deepEqual(manifest2.counts, manifest.counts);
  assert.deepEqual(manifest2.tokens, manifest.tokens);
  const fingerprint = async (dir: string) => {
    const h = await openHandle({ kind: 'sqlite', dataDir: dir, databaseUrl: '', file: path.join(dir, 'glimpse.sqlite') });
    try {
      const rows = await h.kysely.selectFrom('follows').select(['account_id', 'target_account_id']).orderBy('id').execute();
      return crypto.createHash('sha256').update(JSON.stringify(rows)).digest('hex');
    } finally {
      await h.close();
    }
  };
  assert.equal(await fingerprint(path.join(tmp, 'gen-b')), await fingerprint(path.join(tmp, 'gen-a')));
});

// The tiny size runs each load phase for a fixed number of requests (sizes.ts, `requests`), not
// for a number of seconds: a busy machine takes longer but does the same work, and everything
// asserted below is a count. The timeout only stops a hang; it is far beyond any real run.
test('a benchmark run produces the whole table and the JSON', { timeout: 900_000 }, async () => {
  const out = path.join(tmp, 'result.json');
  const lines: string[] = [];
  const result = await runBenchmark({ size, db: 'sqlite', dataDir: path.join(tmp, 'run'), out, seed: 'harness', log: (l) => lines.push(l) });
  const metrics = result.rows.map((r) => r.metric);
  for (const prefix of [
    'baseline: hello',
    'baseline: page-from-memory',
    'baseline: sharp-loop',
    'baseline: push-fanout',
    'home feed: saturation',
    'home feed: p50 at 50%',
    'home feed: p99 at 50%',
    'home feed: p50 at 80%',
    'home feed: p99 at 80%',
    'home feed: saturation against page-from-memory',
    'home feed: bytes per page',
    'home feed: saturation, caches off',
    'home feed: saturation, SQLite reads on the event loop',
    'story tray: saturation, SQLite reads on the event loop',
    'home feed: statements per page, warm caches',
    'statements per new comment',
    'story tray: saturation',
    'story tray: p50 at 50%',
    'story tray: p99 at 50%',
    'story tray: p50 at 80%',
    'story tray: p99 at 80%',
    'celebrity reach: 100 followers (pushed)',
    'celebrity reach: all ',
    'celebrity reach: story in ',
    'celebrity reach vs push-fanout',
    'comment storm: accepted',
    'comment storm: POST p99',
    'comment storm: exact count',
    'comment list p99 during storm',
    'uploads: photos processed',
    'uploads: event-loop delay p99',
    'server RSS before the upload burst (idle)',
    'server peak RSS, ',
    'server peak RSS',
  ]) {
    assert.ok(metrics.some((m) => m.startsWith(prefix)), `the table has no "${prefix}" row`);
  }
  for (const row of result.rows) {
    assert.ok(row.value !== null && row.value !== undefined, `${row.metric} has a value`);
    assert.notEqual(row.value, 'not available', `${row.metric} is measured`);
    if (row.target) assert.equal(typeof row.pass, 'boolean', `${row.metric} is judged`);
  }
  // Counts, not speed: every request of the measured phases answered, every comment counted once.
  const raw = result.raw as any;
  assert.equal(raw.homeFeed.saturation.non2xx, 0);
  assert.ok(raw.homeFeed.saturation.ok > 0);
  assert.equal(raw.homeFeedUncached.non2xx, 0);
  // The page-from-memory baseline answered a real page, and the bytes per page were counted.
  assert.equal(raw.pageFromMemory.non2xx, 0);
  assert.ok(raw.pageFromMemory.bytes > 0 && raw.homeFeed.saturation.bytesPerAnswer > 0);
  // The hit rate beside the cached row was read from the server's /metrics.
  assert.ok(raw.homeFeed.caches.post_content.hits + raw.homeFeed.caches.post_content.misses > 0);
  assert.ok(raw.statements.homeWarm.max > 0 && raw.statements.homeWarm.max <= raw.statements.homeCold.max);
  assert.ok(raw.statements.comment > 0);
  assert.equal(raw.reach.mid.missing, 0);
  assert.equal(raw.reach.celebrity.missing, 0);
  assert.equal(raw.storyTray.saturation.non2xx, 0);
  assert.ok(raw.storyTray.saturation.ok > 0);
  assert.equal(raw.reach.celebrityStory.missing, 0);
  assert.equal(raw.storm.ok, size.load.stormComments);
  assert.equal(raw.storm.exact, true);
  assert.equal(raw.storm.rows, raw.storm.distinctKeys);
  assert.equal(raw.storm.counterTotal, raw.storm.rows);
  // Moderation ran: the hidden word hid some, the "Not Ines" variants folded into one.
  assert.ok(raw.storm.hiddenRows > 0);
  assert.ok(raw.storm.folds >= 1);
  assert.equal(raw.uploads.ready, size.load.uploads);
  assert.ok(raw.uploads.eventLoop && raw.uploads.eventLoop.count > 0);
  assert.ok(raw.peakRssMiB > 0);
  // The same table, as JSON.
  const json = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.deepEqual(json.rows, JSON.parse(JSON.stringify(result.rows)));
  assert.ok(lines.some((l) => l.includes('| metric | value | baseline | ratio | target | pass |')));
  fs.rmSync(tmp, { recursive: true, force: true });
});

// --nodes 2 on PostgreSQL: the single-process run, then 2 web processes and a worker on the
// same data (Redis under a prefix of the run's own), and the rows comparing them. PostgreSQL
// and Redis are required: without them this fails, it does not skip. Counts only, never speed.
test('a --db postgres --nodes 2 run adds the 1- and 2-process rows', { timeout: 900_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-nodes-test-'));
  const database = 'glimpse_bench_nodes_test';
  const lines: string[] = [];
  try {
    const result = await runBenchmark({ size, db: 'postgres', database, nodes: 2, dataDir: path.join(dir, 'run'), out: path.join(dir, 'result.json'), seed: 'harness', log: (l) => lines.push(l) });
    assert.equal(result.nodes, 2);
    const row = (metric: string) => {
      const found = result.rows.find((r) => r.metric === metric);
      assert.ok(found, `the table has no "${metric}" row`);
      return found;
    };
    // The single-process rows are all there, as without --nodes.
    for (const prefix of ['home feed: saturation', 'story tray: p99 at 50%', 'comment storm: accepted (', 'comment storm: exact count', 'uploads: photos processed', 'server peak RSS']) {
      assert.ok(result.rows.some((r) => r.metric.startsWith(prefix)), `the table has no "${prefix}" row`);
    }
    for (const label of ['home feed: saturation', 'story tray: saturation', 'comment storm: accepted']) {
      const one = row(`${label}, 1 process`);
      const two = row(`${label}, 2 processes`);
      assert.equal(typeof one.value, 'number');
      assert.equal(typeof two.value, 'number');
      assert.ok((two.value as number) > 0, `${two.metric} measured`);
      // 1 process against hello; 2 processes against 1 process.
      assert.equal(typeof one.ratio, 'number', `${one.metric} has a ratio`);
      assert.equal(typeof two.ratio, 'number', `${two.metric} has a ratio`);
      assert.equal(two.baseline, one.value);
    }
    assert.equal(typeof row('comment storm: POST p99, 2 processes').ratio, 'number');
    assert.equal(row('comment storm: exact count, 1 process').pass, true);
    assert.equal(row('comment storm: exact count, 2 processes').pass, true);

    const m = (result.raw as any).multiProcess;
    assert.equal(m.nodes, 2);
    assert.deepEqual(m.processes.map((p: { role: string }) => p.role), ['web', 'web', 'worker']);
    assert.equal(m.homeFeed.saturation.non2xx, 0);
    assert.ok(m.homeFeed.saturation.ok > 0);
    assert.equal(m.storyTray.saturation.non2xx, 0);
    assert.ok(m.storyTray.saturation.ok > 0);
    // Every storm comment answered and counted once, with the load on both web processes.
    const logged = m.processes.map((p: { role: string; errors: number; firstProblems: string[] }) => `${p.role}: ${p.errors} errors ${JSON.stringify(p.firstProblems)}`).join('; ');
    assert.equal(m.storm.ok, size.load.stormComments, `storm answers ${JSON.stringify(m.storm.statusCodes)}; ${logged}`);
    assert.equal(m.storm.exact, true);
    assert.equal(m.storm.rows, m.storm.distinctKeys);
    assert.equal(m.storm.counterTotal, m.storm.rows);
    // The run's Redis keys are gone.
    assert.ok(m.redisKeysDeleted > 0);
    const redis = new Redis(BENCH_REDIS_URL);
    try {
      const left: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${m.redisPrefix}*`, 'COUNT', 1000);
        cursor = next;
        left.push(...keys);
      } while (cursor !== '0');
      assert.deepEqual(left, []);
    } finally {
      redis.disconnect();
    }
    // The JSON has the same rows and the multi-process figures.
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));
    assert.deepEqual(json.rows, JSON.parse(JSON.stringify(result.rows)));
    assert.equal(json.raw.multiProcess.storm.ok, size.load.stormComments);
    assert.ok(lines.some((l) => l.includes('| comment storm: exact count, 2 processes |')));
  } finally {
    await dropTarget({ kind: 'postgres', dataDir: dir, databaseUrl: '', database });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
