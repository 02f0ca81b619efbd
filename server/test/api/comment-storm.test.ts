import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { bulkActors } from '../support/bulk.ts';
import type { Actor } from '../support/world.ts';
import { CLUSTER_BULK_MAX, STORM_MIN_ACCOUNTS } from '../../src/domain/comments/comment-service.ts';

const G = '/api/glimpse/v1';

/**
 * The storm view: single comments first, ranked; storms (a phrase from STORM_MIN_ACCOUNTS
 * distinct accounts or more) folded apart into clusters that page all their comments and take
 * the post author's bulk actions; "newest" newest first.
 */
describe('the storm view of a post\'s comments', () => {
  let world: World;
  let fans: Actor[];
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'pat'] });
    fans = await bulkActors(world, 8, 'fan');
  });
  after(() => world.close());

  const comment = (as: Actor | 'mara' | 'ines' | 'sam' | 'pat', id: string, text: string) => world.request(as, 'POST', '/api/v1/statuses', { status: text, in_reply_to_id: id });
  const list = (as: 'mara' | 'ines' | 'sam' | 'pat' | undefined, id: string, query = 'sort=top') => world.get(as, `${G}/statuses/${id}/comments?${query}`);

  test(`a phrase from ${STORM_MIN_ACCOUNTS} distinct accounts folds; one from three, or one account's flood, stays a conversation`, async () => {
    assert.equal(STORM_MIN_ACCOUNTS, 5);
    const post = await postPhotos(world, 'mara', 'threshold');
    for (const fan of fans.slice(0, 3)) assert.equal((await comment(fan, post.id, 'Happy birthday!')).status, 200);
    for (let i = 0; i < 6; i++) await comment(fans[7], post.id, 'so cool');
    for (const fan of fans.slice(0, STORM_MIN_ACCOUNTS)) await comment(fan, post.id, 'Not Ines');
    const res = await list('sam', post.id);
    assert.equal(res.status, 200);
    assert.equal(res.body.similar.clusters.length, 1);
    const [cluster] = res.body.similar.clusters;
    assert.equal(cluster.text, 'Not Ines');
    assert.equal(cluster.count, STORM_MIN_ACCOUNTS);
    assert.equal(cluster.accounts, STORM_MIN_ACCOUNTS);
    assert.equal(cluster.hostile, true);
    assert.equal(res.body.similar.count, STORM_MIN_ACCOUNTS);
    const texts = res.body.items.map((i: any) => i.status.content);
    assert.equal(res.body.items.every((i: any) => i.type === 'comment'), true);
    assert.equal(texts.filter((t: string) => /Happy birthday/.test(t)).length, 3);
    assert.equal(texts.filter((t: string) => /so cool/.test(t)).length, 6);
    assert.equal(texts.filter((t: string) => /Not Ines/.test(t)).length, 0);
    // Later pages carry no clusters.
    const paged = await list('sam', post.id, 'sort=newest&limit=2');
    assert.ok(paged.body.next_cursor);
    assert.equal((await list('sam', post.id, `sort=newest&limit=2&cursor=${paged.body.next_cursor}`)).body.similar, null);
  });

  test('a supportive storm is not hostile', async () => {
    const post = await postPhotos(world, 'mara', 'supportive');
    for (const fan of fans.slice(0, 6)) await comment(fan, post.id, 'You are a queen ❤️');
    const [cluster] = (await list('sam', post.id)).body.similar.clusters;
    assert.equal(cluster.count, 6);
    assert.equal(cluster.hostile, false);
    assert.equal(cluster.tone, 'supportive');
  });

  test('"newest" lists the newest comment first, "top" the best of each followed account, then the liked and the author-answered', async () => {
    const post = await postPhotos(world, 'mara', 'orders');
    const a = (await comment('ines', post.id, 'first words')).body;
    const b = (await comment('pat', post.id, 'second words')).body;
    const c = (await comment('ines', post.id, 'third words')).body;
    const d = (await comment('pat', post.id, 'fourth words')).body;
    const e = (await comment('ines', post.id, 'latest words')).body;
    const newest = await list('sam', post.id, 'sort=newest');
    assert.deepEqual(newest.body.items.map((i: any) => i.status.id), [e.id, d.id, c.id, b.id, a.id]);

    await world.post('sam', `/api/v1/statuses/${b.id}/favourite`);
    await comment('mara', c.id, 'thanks!');
    // sam follows pat: pat's best comment leads sam's "top" order, and only that one (one per
    // followed account: three friends first, not one friend three times); the rest keep rank.
    await world.post('sam', `/api/v1/accounts/${world.actors.pat.id}/follow`);
    const top = await list('sam', post.id);
    assert.deepEqual(top.body.items.map((i: any) => i.status.id), [b.id, c.id, e.id, d.id, a.id]);
    // Someone who follows nobody: the author's answer (10) and the like (2) rank.
    const plain = await list('ines', post.id);
    assert.deepEqual(plain.body.items.map((i: any) => i.status.id), [c.id, b.id, e.id, d.id, a.id]);
    // Paging the "top" order never repeats the followed comments shown first.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await list('sam', post.id, `sort=top&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((i: any) => i.status.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    assert.deepEqual([...seen].sort(), [a.id, b.id, c.id, d.id, e.id].sort());
  });

  test('a cluster pages all of its comments with Link headers, and an unknown cluster is 404', async () => {
    const post = await postPhotos(world, 'mara', 'paging a cluster');
    const ids: string[] = [];
    for (const fan of fans) for (const text of ['Not Ines', 'not ines!!!']) ids.push((await comment(fan, post.id, text)).body.id);
    const [cluster] = (await list(undefined, post.id)).body.similar.clusters;
    assert.equal(cluster.count, 16);
    const seen: string[] = [];
    let url: string | null = `${G}/statuses/${post.id}/clusters/${cluster.id}/comments?limit=5`;
    let pages = 0;
    while (url) {
      const res: any = await world.get(undefined, url);
      assert.equal(res.status, 200);
      seen.push(...res.body.map((s: any) => s.id));
      const next = /<([^>]+)>; rel="next"/.exec(String(res.headers.link ?? ''));
      url = next && res.body.length > 0 ? new URL(next[1]).pathname + new URL(next[1]).search : null;
      pages += 1;
    }
    assert.ok(pages >= 4);
    assert.deepEqual(seen, [...ids].reverse());
    assert.equal((await world.get(undefined, `${G}/statuses/${post.id}/clusters/bm90IGEga2V5/comments`)).body.length, 0);
    assert.equal((await world.get(undefined, `${G}/statuses/${post.id}/clusters/%2F%2F/comments`)).status, 404);
  });

  test('only the post author acts on a cluster: others get 404, and nothing changes', async () => {
    const post = await postPhotos(world, 'mara', 'not yours');
    for (const fan of fans.slice(0, 5)) await comment(fan, post.id, 'Not Ines');
    const [cluster] = (await list('sam', post.id)).body.similar.clusters;
    for (const action of ['hide', 'restrict', 'report']) {
      const res = await world.post('sam', `${G}/statuses/${post.id}/clusters/${cluster.id}/${action}`, {});
      assert.equal(res.status, 404, action);
      assert.deepEqual(res.body, { error: 'Record not found' });
      assert.equal((await world.post(undefined, `${G}/statuses/${post.id}/clusters/${cluster.id}/${action}`, {})).status, 401);
    }
    assert.equal((await list('sam', post.id)).body.similar.clusters[0].count, 5);
  });

  test('the post author hides a whole cluster, restricts every author and reports them, in bounded calls', async () => {
    assert.ok(CLUSTER_BULK_MAX >= 1000 && CLUSTER_BULK_MAX <= 5000);
    const post = await postPhotos(world, 'mara', 'bulk');
    const storm: string[] = [];
    for (const fan of fans.slice(0, 6)) storm.push((await comment(fan, post.id, 'Ines is trash')).body.id);
    // Mara's own copy is never hidden, restricted or reported.
    await comment('mara', post.id, 'Ines is trash?');
    await comment('ines', post.id, 'a normal comment');
    const [cluster] = (await list('mara', post.id)).body.similar.clusters;
    assert.equal(cluster.count, 7);

    const restrict = await world.post('mara', `${G}/statuses/${post.id}/clusters/${cluster.id}/restrict`, {});
    assert.equal(restrict.status, 200, JSON.stringify(restrict.body));
    assert.deepEqual(restrict.body, { comments: 6, accounts: 6, next_max_id: null });
    const restricted = await world.get('mara', `${G}/restrictions?${fans.slice(0, 7).map((f) => `id[]=${f.id}`).join('&')}`);
    assert.deepEqual(restricted.body.map((r: any) => r.restricting), [true, true, true, true, true, true, false]);

    const report = await world.post('mara', `${G}/statuses/${post.id}/clusters/${cluster.id}/report`, { category: 'violation', comment: 'A pile-on' });
    assert.deepEqual(report.body, { comments: 6, accounts: 6, next_max_id: null });
    const reports = await world.db.handle.kysely.selectFrom('reports').selectAll().where('account_id', '=', world.actors.mara.id).execute();
    assert.equal(reports.length, 6);
    assert.deepEqual(reports.flatMap((r) => JSON.parse(r.status_ids)).sort(), [...storm].sort());
    assert.ok(reports.every((r) => r.category === 'violation' && r.comment === 'A pile-on'));

    const hide = await world.post('mara', `${G}/statuses/${post.id}/clusters/${cluster.id}/hide`, {});
    assert.deepEqual(hide.body, { comments: 6, accounts: 6, next_max_id: null });
    const after = await list('sam', post.id);
    assert.equal(after.body.similar.clusters.length, 0);
    assert.deepEqual(after.body.items.map((i: any) => i.status.content.replace(/<[^>]+>/g, '')).sort(), ['Ines is trash?', 'a normal comment']);
    assert.equal((await world.get('sam', `/api/v1/statuses/${post.id}`)).body.replies_count, 2);
    const hidden = await world.get('mara', `${G}/statuses/${post.id}/hidden_comments`);
    assert.deepEqual(hidden.body.map((s: any) => s.id).sort(), [...storm].sort());
    // A hidden comment is still its author's to see.
    const own = await world.app.services.auth.issue({ appId: null, accountId: fans[0].id, scopes: ['read'], withRefresh: false });
    assert.equal((await world.get({ ...fans[0], token: own.access_token }, `/api/v1/statuses/${storm[0]}`)).status, 200);
    // Again: nothing left to take.
    assert.deepEqual((await world.post('mara', `${G}/statuses/${post.id}/clusters/${cluster.id}/hide`, {})).body, { comments: 0, accounts: 0, next_max_id: null });
  });

  test('bad bulk input is 422, never a 500', async () => {
    const post = await postPhotos(world, 'mara', 'bad input');
    const res = await world.post('mara', `${G}/statuses/${post.id}/clusters/Tm90SW5lcw/report`, { category: 'nonsense' });
    assert.equal(res.status, 422);
    assert.equal((await world.post('mara', `${G}/statuses/${post.id}/clusters/Tm90SW5lcw/hide`, { max_id: 'x' })).status, 422);
    assert.equal((await world.get('mara', `${G}/statuses/${post.id}/comments?cursor=${Buffer.from(JSON.stringify({ id: '1', skip: ['1', '2', '3', '4'] })).toString('base64url')}`)).status, 422);
  });
});
