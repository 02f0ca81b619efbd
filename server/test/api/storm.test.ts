import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { bulkActors } from '../support/bulk.ts';
import { countQueries } from '../support/query-count.ts';
import { STORM_CACHE_MIN_COMMENTS } from '../../src/domain/comments/storm-cache.ts';

const G = '/api/glimpse/v1';

/**
 * The comment storm of the scenario at test size: many accounts comment at once, most of them
 * "Not Ines" in many spellings, some retried with the same Idempotency-Key. Nothing is lost or
 * doubled, the counts are exact, and the fold is right.
 */
describe('a storm of near-identical comments', () => {
  let world: World;
  let post: any;
  const accepted = new Set<string>();
  const TOTAL = 2000;
  const variants = ['Not Ines', 'not ines!!!', 'NOT INES 😡', 'Not   Innnes', 'not ines.'];

  before(async () => {
    world = await createWorld({ accounts: ['mara'] });
    await world.request('mara', 'PUT', `${G}/hidden_words`, { words: ['hypocrisy'] });
    post = await postPhotos(world, 'mara', 'the party');
    const fans = await bulkActors(world, 200, 'fan');
    const jobs: Array<() => Promise<void>> = [];
    for (let i = 0; i < TOTAL; i++) {
      const who = fans[i % fans.length];
      const text = i % 10 === 0 ? `Happy birthday Ines, number ${i}!` : i % 25 === 1 ? `The hypocrisy ${i}` : variants[i % variants.length];
      const key = `storm-${i}`;
      const send = () => world.request(who, 'POST', '/api/v1/statuses', { status: text, in_reply_to_id: post.id }, { 'idempotency-key': key });
      jobs.push(async () => {
        const first = await send();
        assert.equal(first.status, 200, JSON.stringify(first.body));
        accepted.add(first.body.id);
        if (i % 20 === 0) {
          const retry = await send();
          assert.equal(retry.body.id, first.body.id, 'a retry returns the same comment');
        }
      });
    }
    // 50 requests in flight at a time.
    let next = 0;
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (next < jobs.length) await jobs[next++]();
    }));
  });
  after(() => world.close());

  test('every accepted comment is stored exactly once', async () => {
    assert.equal(accepted.size, TOTAL);
    const rows = await world.db.handle.kysely.selectFrom('statuses').select('id').where('post_id', '=', post.id).execute();
    assert.equal(rows.length, TOTAL);
  });

  test('the comment counts are exact, hidden ones counted apart', async () => {
    const hidden = Array.from({ length: TOTAL }, (_, i) => i).filter((i) => i % 10 !== 0 && i % 25 === 1).length;
    const digest = await world.get('mara', `${G}/statuses/${post.id}/reactions_digest`);
    assert.equal(digest.body.comments_total, TOTAL);
    assert.equal(digest.body.hidden_total, hidden);
    assert.equal((await world.get(undefined, `/api/v1/statuses/${post.id}`)).body.replies_count, TOTAL - hidden);
  });

  test('all spellings of "Not Ines" fold into one counted line', async () => {
    const expected = Array.from({ length: TOTAL }, (_, i) => i).filter((i) => i % 10 !== 0 && i % 25 !== 1).length;
    const page = await world.get(undefined, `${G}/statuses/${post.id}/comments?sort=top`);
    const clusters = page.body.similar.clusters;
    assert.equal(clusters.length, 1);
    assert.equal(clusters[0].count, expected);
    assert.match(clusters[0].text, /not\s+i/i);
    const singles = page.body.items.filter((i: any) => i.type === 'comment');
    assert.ok(singles.every((i: any) => !/not\s+in+es/i.test(i.status.content)));
  });

  test('each folded comment is still stored, can be liked and is found by its author', async () => {
    const page = await world.get(undefined, `${G}/statuses/${post.id}/comments?sort=top`);
    const cluster = page.body.similar.clusters[0];
    const [sample] = (await world.get(undefined, `${G}/statuses/${post.id}/clusters/${cluster.id}/comments?limit=1`)).body;
    const author = sample.account;
    const token = (await world.app.services.auth.issue({ appId: null, accountId: author.id, scopes: ['read', 'write'], withRefresh: false })).access_token;
    const me = { id: author.id, username: author.username, token };
    assert.equal((await world.post(me, `/api/v1/statuses/${sample.id}/favourite`)).body.favourites_count, 1);
    const grid = await world.get(me, `/api/v1/accounts/${author.id}/statuses?limit=40`);
    assert.ok(grid.body.some((s: any) => s.id === sample.id));
  });

  // Last: it hides the fold.
  test("a big post's storms are kept for the readers that follow, and the author's bulk actions show at once", async () => {
    const list = `${G}/statuses/${post.id}/comments?sort=top`;
    assert.ok((await world.get(undefined, `/api/v1/statuses/${post.id}`)).body.replies_count >= STORM_CACHE_MIN_COMMENTS, 'a post big enough for the storm cache');
    const [cluster] = (await world.get(undefined, list)).body.similar.clusters;
    const act = async (action: string) => {
      const res = await world.post('mara', `${G}/statuses/${post.id}/clusters/${cluster.id}/${action}`, action === 'report' ? { category: 'spam' } : {});
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };
    // A bulk action forgets the post's storms: the next reader reads them afresh…
    await act('report');
    const cold = await countQueries(world.db.handle.kysely, () => world.get(undefined, list));
    assert.equal(cold.result.body.similar.clusters[0].id, cluster.id);
    // …and the reader right after is answered from the kept storms: fewer queries, the same page.
    const warm = await countQueries(world.db.handle.kysely, () => world.get(undefined, list));
    assert.ok(warm.queries < cold.queries, `kept storms save their read: ${warm.queries} < ${cold.queries}`);
    assert.deepEqual(warm.result.body, cold.result.body);
    // Hiding the fold shows at once, though its storms were just kept.
    await act('hide');
    const after = (await world.get(undefined, list)).body;
    assert.deepEqual(after.similar?.clusters ?? [], []);
    assert.ok(!after.items.some((i: any) => i.type === 'comment' && /not\s+in+es/i.test(i.status.content)), 'no comment of the hidden fold is listed');
  });
});
