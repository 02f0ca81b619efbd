import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { linkTargets } from '../support/http.ts';
import { bulkActors } from '../support/bulk.ts';
import { countQueries } from '../support/query-count.ts';
import { TEST_DB } from '../support/test-database.ts';

const KEEP = 50;
const POSTS = 120;
const PAGE = 20;

/**
 * home_feed keeps GLIMPSE_HOME_FEED_ROWS rows per account (trimmed at fan-out); pages older
 * than the kept rows read the followed authors' posts directly, under the same access rules.
 */
describe(`home feed bound (${TEST_DB})`, () => {
  let world: World;
  let sam: Actor;
  /** The followed authors' posts, newest first: exactly what sam's home timeline must hold. */
  let expected: string[];
  const unwanted = new Map<string, string>();

  /** Pages the whole home timeline with the Link header's max_id; each page's query count too. */
  const walk = async (as: Actor) => {
    const seen: string[] = [];
    const pages: Array<{ ids: string[]; queries: number; maxId: string | undefined }> = [];
    let url: string | undefined = `/api/v1/timelines/home?limit=${PAGE}`;
    while (url && pages.length < 50) {
      const maxId: string | undefined = new URL(url, 'http://x').searchParams.get('max_id') ?? undefined;
      const { result: res, queries } = await countQueries(world.db.handle.kysely, () => world.get(as, url!));
      assert.equal(res.status, 200);
      const ids = res.body.map((s: any) => s.id as string);
      if (ids.length === 0) break;
      seen.push(...ids);
      pages.push({ ids, queries, maxId });
      url = linkTargets(res, world.config.publicUrl).next;
    }
    return { seen, pages };
  };

  before(async () => {
    world = await createWorld({ config: { homeFeedRowsPerAccount: KEEP }, accounts: ['mara', 'ines', 'pat', 'sam', 'rex', 'remi', 'bo'] });
    sam = world.actors.sam;
    const { mara, ines, pat, rex, remi, bo } = world.actors;
    for (const author of [mara, ines, pat, remi, bo]) assert.equal((await world.post(sam, `/api/v1/accounts/${author.id}/follow`)).status, 200);
    await world.app.services.jobs.onIdle();

    const followed = [mara, ines, pat];
    const posted: string[] = [];
    for (let i = 0; i < POSTS; i++) {
      posted.push((await postPhotos(world, followed[i % 3], `post ${i}`)).id);
      // Among the old posts (those the fallback reads): an unfollowed author's, one sam mutes
      // and one who blocks sam.
      if (i % 20 === 0) {
        unwanted.set((await postPhotos(world, rex, `unfollowed ${i}`)).id, 'unfollowed');
        unwanted.set((await postPhotos(world, bo, `muted ${i}`)).id, 'muted');
        unwanted.set((await postPhotos(world, remi, `blocking ${i}`)).id, 'blocking');
      }
    }
    await world.app.services.jobs.onIdle();
    assert.equal((await world.post(sam, `/api/v1/accounts/${bo.id}/mute`)).status, 200);
    assert.equal((await world.post(remi, `/api/v1/accounts/${sam.id}/block`)).status, 200);
    await world.app.services.jobs.onIdle();
    expected = [...posted].reverse();
  });
  after(() => world.close());

  test(`the table holds at most ${KEEP} rows for the follower, the newest ones`, async () => {
    const rows = await world.db.handle.kysely.selectFrom('home_feed').select('status_id').where('account_id', '=', sam.id).orderBy('status_id', 'desc').execute();
    assert.ok(rows.length <= KEEP, `${rows.length} rows`);
    // A feed past the bound is cut back a tenth below it, so rows are deleted in ranges, not with every post.
    assert.ok(rows.length >= KEEP - KEEP / 10, `${rows.length} rows: trimmed near the bound, not far below it`);
    // The rows kept are the newest sam was sent (followed and muted authors'; the blocking
    // author's were tidied away when the block ended the follow).
    const sent = [...expected, ...[...unwanted].filter(([, why]) => why !== 'unfollowed').map(([id]) => id)].sort().reverse();
    const kept = rows.map((r) => r.status_id);
    const newest = sent.filter((id) => unwanted.get(id) !== 'blocking' && id >= kept[kept.length - 1]);
    assert.deepEqual(kept, newest);
    // Every other account's feed is bounded too.
    const over = await world.db.handle.kysely
      .selectFrom('home_feed')
      .select(['account_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('account_id')
      .having((eb) => eb.fn.countAll(), '>', KEEP)
      .execute();
    assert.deepEqual(over, []);
  });

  test(`paging the whole home timeline with max_id returns all ${POSTS} followed posts in order, no duplicates, no gaps`, async () => {
    const { seen } = await walk(sam);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates');
    assert.deepEqual(seen, expected, 'every followed post, newest first, none missing');
  });

  test('the fallback leaves out unfollowed, muted and blocking authors', async () => {
    const { seen } = await walk(sam);
    for (const id of seen) assert.ok(!unwanted.has(id), `${unwanted.get(id)} post ${id} shown`);
    // A max_id far below the kept rows reads the authors directly, and still not those.
    const oldest = expected[expected.length - 1];
    const res = await world.get(sam, `/api/v1/timelines/home?limit=40&max_id=${expected[expected.length - 30]}`);
    const ids = res.body.map((s: any) => s.id as string);
    assert.deepEqual(ids, expected.slice(-29));
    assert.ok(ids.includes(oldest));
  });

  test('min_id below the kept rows pages forward through the fallback', async () => {
    const from = expected.length - 10; // the tenth oldest
    const res = await world.get(sam, `/api/v1/timelines/home?limit=${PAGE}&min_id=${expected[from]}`);
    assert.deepEqual(res.body.map((s: any) => s.id), expected.slice(from - PAGE, from));
  });

  test('query count per page stays fixed, whatever the page and the number of followed accounts', async () => {
    const horizon = (await world.db.handle.kysely.selectFrom('home_feed').select((eb) => eb.fn.min('status_id').as('h')).where('account_id', '=', sam.id).executeTakeFirstOrThrow()).h as string;
    const { pages } = await walk(sam);
    const counts = pages.map((p) => p.queries);
    const first = counts[0];
    // A page the kept rows do not fill costs two queries more (the followed authors, then their
    // posts, in one query whatever their number); no page costs more than that.
    assert.ok(counts.every((n) => n <= first + 2), `queries per page: ${counts}`);
    const beyond = pages.filter((p) => p.maxId !== undefined && p.maxId <= horizon && p.ids.length === PAGE);
    assert.ok(beyond.length >= 2, `${beyond.length} pages older than the kept rows`);
    // Older pages all cost the same (fewer than the first here: the muted author's kept rows
    // make the hydrator top the first pages up, while the fallback leaves that author out in SQL).
    assert.equal(new Set(beyond.map((p) => p.queries)).size, 1, `older pages: ${beyond.map((p) => p.queries)}`);

    // Following 30 more accounts changes nothing in what an older page costs.
    for (const other of await bulkActors(world, 30, 'more')) await world.post(sam, `/api/v1/accounts/${other.id}/follow`);
    await world.app.services.jobs.onIdle();
    const url = `/api/v1/timelines/home?limit=${PAGE}&max_id=${beyond[0].maxId}`;
    const again = await countQueries(world.db.handle.kysely, () => world.get(sam, url));
    assert.deepEqual(again.result.body.map((s: any) => s.id), beyond[0].ids);
    assert.equal(again.queries, beyond[0].queries);
  });

  test("the authors' posts are one statement for hundreds of authors (unions of unions past SQLite's 500 terms)", async () => {
    const { mara, ines, pat } = world.actors;
    const strangers = Array.from({ length: 600 }, (_, i) => `9${String(i).padStart(15, '0')}`);
    const { result, queries } = await countQueries(world.db.handle.kysely, () =>
      world.app.services.repositories.feeds.postIdsByAuthors([...strangers.slice(0, 300), mara.id, ines.id, pat.id, ...strangers.slice(300)], { limit: 40 }),
    );
    assert.equal(queries, 1);
    assert.deepEqual(result, expected.slice(0, 40));
  });
});
