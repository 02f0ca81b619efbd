import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type KyselyPlugin } from 'kysely';
import { checkCounters, repairCounters, type CounterMismatch } from '../../src/domain/integrity/integrity-check.ts';
import { suspendAccount, unsuspendAccount } from '../../src/domain/moderation/suspend-account.ts';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos, uploadPhoto } from '../support/photos.ts';
import { TEST_DB } from '../support/test-database.ts';
import { adminCommand } from '../support/admin-command.ts';

const G = '/api/glimpse/v1';

/**
 * Every stored counter against the rows it counts, on a world built through the API: follows
 * (and a pending request), posts, likes on a post and on a comment, a story view, and comments
 * with a fold of near-identical ones, a reply and one hidden by the author's hidden words.
 */
describe('the integrity check of stored counters', () => {
  let world: World;
  let dir: string;
  let post: any;
  let story: any;
  let ids: { mara: string; ines: string; post: string; story: string };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-integrity-'));
    // On SQLite the world lives in a file, where the admin command (another process) finds it.
    world = await createWorld({ accounts: ['mara', 'ines', 'nora', 'sam'], databaseFile: TEST_DB === 'sqlite' ? path.join(dir, 'glimpse.sqlite') : undefined });
    const follow = (who: string, whom: 'mara' | 'ines' | 'nora') => world.post(who as 'mara', `/api/v1/accounts/${world.actors[whom].id}/follow`);
    await follow('ines', 'mara');
    await follow('sam', 'mara');
    await follow('mara', 'ines');
    await follow('sam', 'nora'); // nora is locked: a request, not a follow
    await world.request('mara', 'PUT', `${G}/hidden_words`, { words: ['boring'] });
    post = await postPhotos(world, 'mara', 'the party');
    await postPhotos(world, 'ines', 'my view');
    await world.post('ines', `/api/v1/statuses/${post.id}/favourite`);
    await world.post('sam', `/api/v1/statuses/${post.id}/favourite`);
    const comment = async (who: 'mara' | 'ines' | 'nora' | 'sam', text: string, inReplyTo = post.id) => {
      const res = await world.post(who, '/api/v1/statuses', { status: text, in_reply_to_id: inReplyTo });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const first = await comment('ines', 'Not Ines');
    const second = await comment('sam', 'not ines!!!');
    await comment('nora', 'NOT INES 😡');
    await comment('sam', 'so boring');
    await comment('ines', 'why?', second.id);
    await world.post('mara', `/api/v1/statuses/${first.id}/favourite`);
    const media_id = await uploadPhoto(world, 'mara');
    story = (await world.post('mara', `${G}/stories`, { media_id, overlays: [] })).body;
    await world.post('ines', `${G}/stories/${story.id}/seen`);
    await world.post('mara', `${G}/stories/${story.id}/seen`); // the author's own view is not counted
    ids = { mara: world.actors.mara.id, ines: world.actors.ines.id, post: post.id, story: story.id };
  });
  after(async () => {
    await world.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const db = () => world.db.handle.kysely;

  /** One kind of corruption per counter, each by a direct UPDATE. */
  async function corrupt(): Promise<void> {
    await sql`UPDATE accounts SET followers_count = 7 WHERE id = ${ids.mara}`.execute(db());
    await sql`UPDATE accounts SET following_count = 0, statuses_count = 4 WHERE id = ${ids.ines}`.execute(db());
    await sql`UPDATE statuses SET favourites_count = 0 WHERE id = ${ids.post}`.execute(db());
    await sql`UPDATE stories SET viewers_count = 5 WHERE id = ${ids.story}`.execute(db());
    await sql`UPDATE comment_counts SET total = total + 3, hidden = hidden + 1
      WHERE post_id = ${ids.post} AND shard = (SELECT min(shard) FROM comment_counts WHERE post_id = ${ids.post})`.execute(db());
    await sql`UPDATE comment_fold_counts SET count = count - 2
      WHERE post_id = ${ids.post} AND fold_key = 'notines' AND shard = (SELECT min(shard) FROM comment_fold_counts WHERE post_id = ${ids.post} AND fold_key = 'notines')`.execute(db());
  }

  // The world's real counts: mara is followed by ines and sam and follows ines; each wrote one
  // post; two likes on the post; one viewer besides the author; five comments (one hidden, one
  // a reply), three of them in the "notines" fold.
  const expected = (): CounterMismatch[] => [
    { counter: 'accounts.followers_count', id: ids.mara, stored: 7, actual: 2 },
    { counter: 'accounts.following_count', id: ids.ines, stored: 0, actual: 1 },
    { counter: 'accounts.statuses_count', id: ids.ines, stored: 4, actual: 1 },
    { counter: 'statuses.favourites_count', id: ids.post, stored: 0, actual: 2 },
    { counter: 'stories.viewers_count', id: ids.story, stored: 5, actual: 1 },
    { counter: 'comment_counts.total', id: ids.post, stored: 8, actual: 5 },
    { counter: 'comment_counts.hidden', id: ids.post, stored: 2, actual: 1 },
    { counter: 'comment_fold_counts.count', id: ids.post, foldKey: 'notines', stored: 1, actual: 3 },
  ];

  /** What the API shows of those counters. */
  async function countsShown() {
    const mara = (await world.get(undefined, `/api/v1/accounts/${ids.mara}`)).body;
    const ines = (await world.get(undefined, `/api/v1/accounts/${ids.ines}`)).body;
    const shown = (await world.get(undefined, `/api/v1/statuses/${ids.post}`)).body;
    const digest = (await world.get('mara', `${G}/statuses/${ids.post}/reactions_digest`)).body;
    const ownStory = (await world.get('mara', `${G}/stories/${ids.story}`)).body;
    return {
      maraFollowers: mara.followers_count,
      inesFollowing: ines.following_count,
      inesStatuses: ines.statuses_count,
      favourites: shown.favourites_count,
      replies: shown.replies_count,
      commentsTotal: digest.comments_total,
      hiddenTotal: digest.hidden_total,
      // The folds as counted (the digest's phrases): a fold of three is no storm, so the list shows it unfolded.
      folds: digest.clusters.map((c: any) => c.count),
      viewers: ownStory.viewers_count,
    };
  }
  const RIGHT = { maraFollowers: 2, inesFollowing: 1, inesStatuses: 1, favourites: 2, replies: 4, commentsTotal: 5, hiddenTotal: 1, folds: [3], viewers: 1 };

  test('a world built through the API has no mismatch: the definitions are the ones the server keeps', async () => {
    assert.deepEqual(await checkCounters(db()), []);
    assert.deepEqual(await countsShown(), RIGHT);
  });

  test('the check is one aggregate statement per kind of counter, however many rows there are', async () => {
    let statements = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        statements += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    await checkCounters(db().withPlugin(counting));
    // followers, following, statuses, favourites, viewers, comment counts, fold counts
    assert.equal(statements, 7);
  });

  test('each corrupted counter is listed with its row, stored value and real value', async () => {
    await corrupt();
    assert.deepEqual(await checkCounters(db()), expected());
    assert.equal((await countsShown()).maraFollowers, 7, 'the API showed the wrong count');
  });

  test('repair sets every counter to its real value, the check is clean again, and the API answers the right counts', async () => {
    assert.deepEqual(await repairCounters(db()), expected());
    assert.deepEqual(await checkCounters(db()), []);
    assert.deepEqual(await countsShown(), RIGHT);
  });

  test('the admin command lists each mismatch and exits 1; with --repair it sets them right and exits 0', async () => {
    const admin = (...args: string[]) => adminCommand(world, dir, ...args);
    await corrupt();
    const check = await admin('integrity');
    assert.equal(check.code, 1, check.out);
    assert.match(check.out, /^database: ok$/m);
    assert.match(check.out, new RegExp(`^mismatch: accounts\\.followers_count of ${ids.mara}: stored 7, real 2$`, 'm'));
    assert.match(check.out, new RegExp(`^mismatch: comment_fold_counts\\.count of ${ids.post} fold "notines": stored 1, real 3$`, 'm'));
    assert.equal(check.out.match(/^mismatch: /gm)?.length, expected().length, check.out);

    const repair = await admin('integrity', '--repair');
    assert.equal(repair.code, 0, repair.out);
    assert.match(repair.out, new RegExp(`^repaired: comment_counts\\.total of ${ids.post}: 8 → 5$`, 'm'));
    assert.equal(repair.out.match(/^repaired: /gm)?.length, expected().length, repair.out);
    assert.match(repair.out, /^counters: ok \(8 repaired\)$/m);

    const again = await admin('integrity');
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /^counters: ok$/m);
    assert.deepEqual(await checkCounters(db()), []);
    assert.deepEqual(await countsShown(), RIGHT);
  });

  test('suspending a commenter takes their comments out of the comment counters, and the check agrees', async () => {
    assert.equal(await suspendAccount(db(), world.clock, world.actors.sam.id), true);
    assert.deepEqual(await checkCounters(db()), []);
    assert.equal((await world.get(undefined, `/api/v1/statuses/${ids.post}`)).body.replies_count, 3, "sam's visible comment left the count");
    assert.equal(await unsuspendAccount(db(), world.actors.sam.id), true);
    assert.deepEqual(await checkCounters(db()), []);
    assert.deepEqual(await countsShown(), RIGHT);
  });
});
