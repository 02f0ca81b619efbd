import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { ids, linkTargets } from '../support/http.ts';

let world: World;
before(async () => {
  world = await createWorld({ accounts: ['mara', 'sam'] });
});
after(() => world.close());

interface Notification {
  id: string;
  type: string;
  created_at: string;
  account: { id: string; username: string };
  status: unknown;
}

const list = async (as: Actor, query = '') => {
  const res = await world.get<Notification[]>(as, `/api/v1/notifications${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res;
};
const unread = async (as: Actor) => (await world.get(as, '/api/v1/notifications/unread_count')).body.count as number;
const follow = (as: Actor, target: Actor) => world.post(as, `/api/v1/accounts/${target.id}/follow`);

/** `count` new accounts follow `target`, oldest first. */
async function followers(target: Actor, prefix: string, count: number): Promise<Actor[]> {
  const out: Actor[] = [];
  for (let i = 0; i < count; i++) {
    const fan = await world.addActor(`${prefix}_${i}`);
    assert.equal((await follow(fan, target)).status, 200);
    out.push(fan);
  }
  return out;
}

describe('listing notifications', () => {
  test('a follow notification names its type, the account and its time, newest first', async () => {
    const me = await world.addActor('inbox_a');
    const fans = await followers(me, 'inbox_a_fan', 2);
    const res = await list(me);
    assert.deepEqual(res.body.map((n) => [n.type, n.account.id]), [['follow', fans[1].id], ['follow', fans[0].id]]);
    assert.equal(res.body[0].status, null);
    assert.ok(!Number.isNaN(Date.parse(res.body[0].created_at)));
  });

  test('types[] keeps only the named types and exclude_types[] drops them', async () => {
    const me = await world.addActor('inbox_types');
    const [fan] = await followers(me, 'inbox_types_fan', 1);
    await world.request(me, 'PATCH', '/api/v1/accounts/update_credentials', { locked: true });
    const asker = await world.addActor('inbox_types_asker');
    await follow(asker, me);

    const all = await list(me);
    assert.deepEqual(all.body.map((n) => n.type), ['follow_request', 'follow']);
    const onlyFollows = await list(me, '?types[]=follow');
    assert.deepEqual(onlyFollows.body.map((n) => n.account.id), [fan.id]);
    const both = await list(me, '?types[]=follow&types[]=follow_request');
    assert.equal(both.body.length, 2);
    const excluded = await list(me, '?exclude_types[]=follow');
    assert.deepEqual(excluded.body.map((n) => [n.type, n.account.id]), [['follow_request', asker.id]]);
    const unknownType = await list(me, '?types[]=mention');
    assert.deepEqual(unknownType.body, []);
    const byAccount = await list(me, `?account_id=${asker.id}`);
    assert.deepEqual(byAccount.body.map((n) => n.account.id), [asker.id]);
  });

  test('notifications page with limit, max_id, since_id, min_id and Link headers', async () => {
    const me = await world.addActor('inbox_paged');
    await followers(me, 'inbox_paged_fan', 5);
    const all = ids(await list(me));
    assert.equal(all.length, 5);

    const page1 = await list(me, '?limit=2');
    assert.deepEqual(ids(page1), all.slice(0, 2));
    const links = linkTargets(page1, world.config.publicUrl);
    assert.ok(links.next && links.prev);
    const page2 = await list(me, links.next.slice('/api/v1/notifications'.length));
    assert.deepEqual(ids(page2), all.slice(2, 4));
    const page3 = await list(me, linkTargets(page2, world.config.publicUrl).next!.slice('/api/v1/notifications'.length));
    assert.deepEqual(ids(page3), all.slice(4));
    assert.equal(linkTargets(page3, world.config.publicUrl).next, undefined);

    assert.deepEqual(ids(await list(me, `?max_id=${all[1]}`)), all.slice(2));
    assert.deepEqual(ids(await list(me, `?since_id=${all[3]}`)), all.slice(0, 3));
    assert.deepEqual(ids(await list(me, `?min_id=${all[3]}&limit=2`)), all.slice(1, 3), 'min_id gives the items just newer than it');
  });
});

describe('unread count and markers', () => {
  test('unread_count counts notifications newer than the notifications marker', async () => {
    const me = await world.addActor('inbox_unread');
    await followers(me, 'inbox_unread_fan', 3);
    assert.equal(await unread(me), 3);
    const all = ids(await list(me));

    const set = await world.post(me, '/api/v1/markers', { notifications: { last_read_id: all[1] } });
    assert.equal(set.status, 200);
    assert.equal(set.body.notifications.last_read_id, all[1]);
    assert.equal(await unread(me), 1);

    const markers = await world.get(me, '/api/v1/markers?timeline[]=notifications');
    assert.equal(markers.body.notifications.last_read_id, all[1]);
    const version = markers.body.notifications.version;

    await world.post(me, '/api/v1/markers', { notifications: { last_read_id: all[0] } });
    assert.equal(await unread(me), 0);
    const after = await world.get(me, '/api/v1/markers?timeline[]=notifications');
    assert.equal(after.body.notifications.version, version + 1, 'each save bumps the version');
    assert.deepEqual((await world.get(world.actors.sam, '/api/v1/markers?timeline[]=notifications')).body, {}, 'markers are per account');
  });

  test('unread_count respects its limit', async () => {
    const me = await world.addActor('inbox_unread_limit');
    await followers(me, 'inbox_unread_limit_fan', 3);
    assert.equal((await world.get(me, '/api/v1/notifications/unread_count?limit=2')).body.count, 2);
  });
});

describe('dismiss, clear and reading one', () => {
  test('dismiss removes one notification of mine and a second dismiss answers 404', async () => {
    const me = await world.addActor('inbox_dismiss');
    await followers(me, 'inbox_dismiss_fan', 2);
    const [first, second] = ids(await list(me));
    const res = await world.post(me, `/api/v1/notifications/${first}/dismiss`);
    assert.equal(res.status, 200);
    assert.deepEqual(ids(await list(me)), [second]);
    assert.equal((await world.post(me, `/api/v1/notifications/${first}/dismiss`)).status, 404);
  });

  test('clear removes all of my notifications and nobody else\'s', async () => {
    const me = await world.addActor('inbox_clear');
    const other = await world.addActor('inbox_clear_other');
    const [fan] = await followers(me, 'inbox_clear_fan', 2);
    await follow(fan, other);
    const res = await world.post(me, '/api/v1/notifications/clear');
    assert.equal(res.status, 200);
    assert.deepEqual((await list(me)).body, []);
    assert.equal(await unread(me), 0);
    assert.equal((await list(other)).body.length, 1);
  });

  test('GET /api/v1/notifications/:id shows my own notification', async () => {
    const me = await world.addActor('inbox_get');
    const [fan] = await followers(me, 'inbox_get_fan', 1);
    const [id] = ids(await list(me));
    const res = await world.get(me, `/api/v1/notifications/${id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, id);
    assert.equal(res.body.account.id, fan.id);
  });

  test('another user\'s notification answers 404 on get and dismiss, exactly like a missing one, and survives', async () => {
    const owner = await world.addActor('inbox_idor_owner');
    const intruder = await world.addActor('inbox_idor_intruder');
    await followers(owner, 'inbox_idor_fan', 1);
    const [id] = ids(await list(owner));

    const theirs = await world.get(intruder, `/api/v1/notifications/${id}`);
    const missing = await world.get(intruder, '/api/v1/notifications/1999999999999999');
    assert.equal(theirs.status, 404);
    assert.equal(theirs.raw.body, missing.raw.body);

    const dismiss = await world.post(intruder, `/api/v1/notifications/${id}/dismiss`);
    const dismissMissing = await world.post(intruder, '/api/v1/notifications/1999999999999999/dismiss');
    assert.equal(dismiss.status, 404);
    assert.equal(dismiss.raw.body, dismissMissing.raw.body);
    await world.post(intruder, '/api/v1/notifications/clear');
    assert.deepEqual(ids(await list(owner)), [id], 'the owner still has it');
  });
});

describe('notifications from blocked and muted accounts', () => {
  test('a notification from an account I block is hidden from the list, from get and from unread_count', async () => {
    const me = await world.addActor('inbox_blocker');
    const [kept, blocked] = await followers(me, 'inbox_blocker_fan', 2);
    const blockedId = (await list(me)).body.find((n) => n.account.id === blocked.id)!.id;
    await world.post(me, `/api/v1/accounts/${blocked.id}/block`);
    assert.deepEqual((await list(me)).body.map((n) => n.account.id), [kept.id]);
    assert.equal((await world.get(me, `/api/v1/notifications/${blockedId}`)).status, 404);
    assert.equal(await unread(me), 1);
  });

  test('a notification from an account that blocked me is hidden', async () => {
    const me = await world.addActor('inbox_blocked');
    const [fan] = await followers(me, 'inbox_blocked_fan', 1);
    await world.post(fan, `/api/v1/accounts/${me.id}/block`);
    assert.deepEqual((await list(me)).body, []);
    assert.equal(await unread(me), 0);
  });

  test('a notification from an account I mute is hidden while the mute lasts', async () => {
    const me = await world.addActor('inbox_muter');
    const [kept, muted] = await followers(me, 'inbox_muter_fan', 2);
    const mutedId = (await list(me)).body.find((n) => n.account.id === muted.id)!.id;
    await world.post(me, `/api/v1/accounts/${muted.id}/mute`);
    assert.deepEqual((await list(me)).body.map((n) => n.account.id), [kept.id]);
    assert.equal((await world.get(me, `/api/v1/notifications/${mutedId}`)).status, 404);
    assert.equal(await unread(me), 1);
    assert.deepEqual((await list(me, '?types[]=follow')).body.map((n) => n.account.id), [kept.id]);

    await world.post(me, `/api/v1/accounts/${muted.id}/unmute`);
    assert.equal((await list(me)).body.length, 2);
  });

  test('muting with notifications=false keeps that account\'s notifications', async () => {
    const me = await world.addActor('inbox_soft_muter');
    const [fan] = await followers(me, 'inbox_soft_muter_fan', 1);
    const res = await world.post(me, `/api/v1/accounts/${fan.id}/mute`, { notifications: false });
    assert.equal(res.body.muting_notifications, false);
    assert.deepEqual((await list(me)).body.map((n) => n.account.id), [fan.id]);
    assert.equal(await unread(me), 1);
  });

  test('a full page is still full when hidden notifications sit among the newest', async () => {
    const me = await world.addActor('inbox_fill');
    const fans = await followers(me, 'inbox_fill_fan', 4);
    await world.post(me, `/api/v1/accounts/${fans[3].id}/block`);
    await world.post(me, `/api/v1/accounts/${fans[2].id}/mute`);
    const page = await list(me, '?limit=2');
    assert.deepEqual(page.body.map((n) => n.account.id), [fans[1].id, fans[0].id]);
  });
});
