import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { ids, linkTargets } from '../support/http.ts';

let world: World;
before(async () => {
  world = await createWorld();
});
after(() => world.close());

const account = async (as: Actor | undefined, target: Actor) => (await world.get(as, `/api/v1/accounts/${target.id}`)).body;
const relationship = async (as: Actor, target: Actor) => {
  const res = await world.get(as, `/api/v1/accounts/relationships?id[]=${target.id}`);
  assert.equal(res.status, 200);
  return res.body[0];
};
const notifications = async (as: Actor) => (await world.get(as, '/api/v1/notifications')).body as Array<{ type: string; account: { id: string } }>;
const act = (as: Actor, target: Actor, action: string) => world.post(as, `/api/v1/accounts/${target.id}/${action}`);
const locked = (name: string) => world.addActor(name, { locked: true });

describe('following', () => {
  test('following a public account makes following true, updates both counts and notifies them with a follow', async () => {
    const fan = await world.addActor('fan_one');
    const star = await world.addActor('star_one');
    const res = await act(fan, star, 'follow');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.id, star.id);
    assert.equal(res.body.following, true);
    assert.equal(res.body.requested, false);
    assert.equal((await account(undefined, star)).followers_count, 1);
    assert.equal((await account(undefined, fan)).following_count, 1);
    assert.equal((await relationship(star, fan)).followed_by, true);
    const received = await notifications(star);
    assert.deepEqual(received.map((n) => [n.type, n.account.id]), [['follow', fan.id]]);
  });

  test('following again changes nothing: counts stay at one and no second notification', async () => {
    const fan = await world.addActor('fan_twice');
    const star = await world.addActor('star_twice');
    await act(fan, star, 'follow');
    const again = await act(fan, star, 'follow');
    assert.equal(again.status, 200);
    assert.equal(again.body.following, true);
    assert.equal((await account(undefined, star)).followers_count, 1);
    assert.equal((await notifications(star)).length, 1);
  });

  test('unfollowing ends the follow and brings both counts back', async () => {
    const fan = await world.addActor('fan_unfollow');
    const star = await world.addActor('star_unfollow');
    await act(fan, star, 'follow');
    const res = await act(fan, star, 'unfollow');
    assert.equal(res.status, 200);
    assert.equal(res.body.following, false);
    assert.equal((await account(undefined, star)).followers_count, 0);
    assert.equal((await account(undefined, fan)).following_count, 0);
  });

  test('one cannot follow oneself (422) or an unknown account (404)', async () => {
    const me = await world.addActor('self_follower');
    const self = await act(me, me, 'follow');
    assert.equal(self.status, 422);
    const unknown = await world.post(me, '/api/v1/accounts/1999999999999999/follow');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: 'Record not found' });
    assert.equal((await account(undefined, me)).following_count, 0);
  });
});

describe('follow requests to a locked account', () => {
  test('following a locked account makes a request: requested, not following, and a follow_request notification', async () => {
    const owner = await locked('locked_owner_a');
    const asker = await world.addActor('asker_a');
    const res = await act(asker, owner, 'follow');
    assert.equal(res.status, 200);
    assert.equal(res.body.following, false);
    assert.equal(res.body.requested, true);
    assert.equal((await account(undefined, owner)).followers_count, 0);
    assert.equal((await relationship(owner, asker)).requested_by, true);
    assert.deepEqual((await notifications(owner)).map((n) => [n.type, n.account.id]), [['follow_request', asker.id]]);
    const requests = await world.get(owner, '/api/v1/follow_requests');
    assert.deepEqual(ids(requests), [asker.id]);
    const me = await world.get(owner, '/api/v1/accounts/verify_credentials');
    assert.equal(me.body.source.follow_requests_count, 1);
  });

  test('authorizing a request makes the requester a follower, updates counts and turns the notification into a follow', async () => {
    const owner = await locked('locked_owner_b');
    const asker = await world.addActor('asker_b');
    await act(asker, owner, 'follow');
    const res = await world.post(owner, `/api/v1/follow_requests/${asker.id}/authorize`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.followed_by, true);
    assert.equal(res.body.requested_by, false);
    const rel = await relationship(asker, owner);
    assert.equal(rel.following, true);
    assert.equal(rel.requested, false);
    assert.equal((await account(owner, owner)).followers_count, 1);
    assert.equal((await account(asker, asker)).following_count, 1);
    assert.deepEqual(ids(await world.get(owner, '/api/v1/follow_requests')), []);
    assert.deepEqual((await notifications(owner)).map((n) => n.type), ['follow']);
  });

  test('rejecting a request leaves nothing: no follow, no request, no notification, counts unchanged', async () => {
    const owner = await locked('locked_owner_c');
    const asker = await world.addActor('asker_c');
    await act(asker, owner, 'follow');
    const res = await world.post(owner, `/api/v1/follow_requests/${asker.id}/reject`);
    assert.equal(res.status, 200);
    const rel = await relationship(asker, owner);
    assert.equal(rel.following, false);
    assert.equal(rel.requested, false);
    assert.equal((await account(owner, owner)).followers_count, 0);
    assert.deepEqual(ids(await world.get(owner, '/api/v1/follow_requests')), []);
    assert.deepEqual(await notifications(owner), []);
  });

  test('withdrawing a request (unfollow) removes it and its notification', async () => {
    const owner = await locked('locked_owner_d');
    const asker = await world.addActor('asker_d');
    await act(asker, owner, 'follow');
    const res = await act(asker, owner, 'unfollow');
    assert.equal(res.body.requested, false);
    assert.deepEqual(ids(await world.get(owner, '/api/v1/follow_requests')), []);
    assert.deepEqual(await notifications(owner), []);
  });

  test('authorizing or rejecting when there is no pending request answers 404 and makes no follow', async () => {
    const owner = await locked('locked_owner_e');
    const stranger = await world.addActor('stranger_e');
    for (const verdict of ['authorize', 'reject']) {
      const res = await world.post(owner, `/api/v1/follow_requests/${stranger.id}/${verdict}`);
      assert.equal(res.status, 404, verdict);
    }
    assert.equal((await relationship(stranger, owner)).following, false);
  });

  test('only the requested account can authorize: a third party authorizing answers 404', async () => {
    const owner = await locked('locked_owner_f');
    const asker = await world.addActor('asker_f');
    const meddler = await world.addActor('meddler_f');
    await act(asker, owner, 'follow');
    const res = await world.post(meddler, `/api/v1/follow_requests/${asker.id}/authorize`);
    assert.equal(res.status, 404);
    assert.equal((await relationship(asker, owner)).following, false);
    assert.equal((await relationship(asker, owner)).requested, true);
  });
});

describe('removing followers, blocking and muting', () => {
  test('remove_from_followers ends their follow and updates both counts', async () => {
    const owner = await world.addActor('remover_owner');
    const follower = await world.addActor('removed_fan');
    await act(follower, owner, 'follow');
    const res = await act(owner, follower, 'remove_from_followers');
    assert.equal(res.status, 200);
    assert.equal(res.body.followed_by, false);
    assert.equal((await relationship(follower, owner)).following, false);
    assert.equal((await account(undefined, owner)).followers_count, 0);
    assert.equal((await account(undefined, follower)).following_count, 0);
  });

  test('blocking removes follows in both directions and any pending request', async () => {
    const blocker = await locked('blocker_a');
    const other = await locked('blocked_a');
    await act(blocker, other, 'follow');
    await world.post(other, `/api/v1/follow_requests/${blocker.id}/authorize`);
    await act(other, blocker, 'follow');
    await world.post(blocker, `/api/v1/follow_requests/${other.id}/authorize`);
    assert.equal((await relationship(blocker, other)).following, true);
    assert.equal((await relationship(blocker, other)).followed_by, true);

    const res = await act(blocker, other, 'block');
    assert.equal(res.status, 200);
    assert.equal(res.body.blocking, true);
    assert.equal(res.body.following, false);
    assert.equal(res.body.followed_by, false);
    for (const who of [blocker, other]) {
      const a = await account(who, who);
      assert.equal(a.followers_count, 0);
      assert.equal(a.following_count, 0);
    }

    const third = await locked('blocker_b');
    const requester = await world.addActor('requester_b');
    await act(requester, third, 'follow');
    await act(third, requester, 'block');
    assert.deepEqual(ids(await world.get(third, '/api/v1/follow_requests')), []);
    assert.deepEqual(await notifications(third), [], 'the request notification went with the request');
  });

  test('a blocked account gets 404 on the blocker profile and cannot follow them, with the body of a missing account', async () => {
    const blocker = await world.addActor('blocker_c');
    const blocked = await world.addActor('blocked_c');
    await act(blocker, blocked, 'block');
    const profile = await world.get(blocked, `/api/v1/accounts/${blocker.id}`);
    const missing = await world.get(blocked, '/api/v1/accounts/1999999999999999');
    assert.equal(profile.status, 404);
    assert.equal(profile.raw.body, missing.raw.body);

    const follow = await act(blocked, blocker, 'follow');
    const followMissing = await world.post(blocked, '/api/v1/accounts/1999999999999999/follow');
    assert.equal(follow.status, 404);
    assert.equal(follow.raw.body, followMissing.raw.body);
    assert.equal((await account(blocker, blocker)).followers_count, 0);
    assert.deepEqual(await notifications(blocker), []);

    const rel = await world.get(blocked, `/api/v1/accounts/relationships?id[]=${blocker.id}`);
    assert.deepEqual(rel.body, [], 'the blocked side learns nothing from relationships either');
    for (const action of ['block', 'mute', 'unfollow']) {
      assert.equal((await act(blocked, blocker, action)).status, 404, action);
    }
  });

  test('the blocker still sees the blocked account but cannot follow it while blocking (422)', async () => {
    const blocker = await world.addActor('blocker_d');
    const blocked = await world.addActor('blocked_d');
    await act(blocker, blocked, 'block');
    assert.equal((await world.get(blocker, `/api/v1/accounts/${blocked.id}`)).status, 200);
    const follow = await act(blocker, blocked, 'follow');
    assert.equal(follow.status, 422);
    assert.equal((await relationship(blocker, blocked)).following, false);
  });

  test('unblocking makes the account visible and followable again', async () => {
    const blocker = await world.addActor('blocker_e');
    const blocked = await world.addActor('blocked_e');
    await act(blocker, blocked, 'block');
    const res = await act(blocker, blocked, 'unblock');
    assert.equal(res.body.blocking, false);
    assert.equal((await world.get(blocked, `/api/v1/accounts/${blocker.id}`)).status, 200);
    assert.equal((await act(blocked, blocker, 'follow')).body.following, true);
  });

  test('one cannot block, mute or remove oneself (422)', async () => {
    const me = await world.addActor('self_actor');
    for (const action of ['block', 'mute', 'remove_from_followers']) {
      assert.equal((await act(me, me, action)).status, 422, action);
    }
  });

  test('muting shows in the relationship with its notifications flag, in the mutes list, and unmute undoes it', async () => {
    const muter = await world.addActor('muter_a');
    const loud = await world.addActor('loud_a');
    const quiet = await world.addActor('quiet_a');
    const res = await act(muter, loud, 'mute');
    assert.equal(res.status, 200);
    assert.equal(res.body.muting, true);
    assert.equal(res.body.muting_notifications, true);
    const partial = await world.post(muter, `/api/v1/accounts/${quiet.id}/mute`, { notifications: false });
    assert.equal(partial.body.muting, true);
    assert.equal(partial.body.muting_notifications, false);
    assert.deepEqual(ids(await world.get(muter, '/api/v1/mutes')), [quiet.id, loud.id]);
    assert.equal((await relationship(muter, loud)).following, false, 'muting does not unfollow');

    const unmute = await act(muter, loud, 'unmute');
    assert.equal(unmute.body.muting, false);
    assert.deepEqual(ids(await world.get(muter, '/api/v1/mutes')), [quiet.id]);
    assert.equal((await relationship(loud, muter)).muting, false, 'the muted side never sees the mute');
  });
});

describe('timed mutes', () => {
  test('a mute with a duration ends by itself: relationship, mutes list and notifications', async () => {
    const muter = await world.addActor('timed_muter');
    const loud = await world.addActor('timed_loud');
    await act(loud, muter, 'follow');
    const res = await world.post(muter, `/api/v1/accounts/${loud.id}/mute`, { duration: 3600 });
    assert.equal(res.body.muting, true);
    assert.deepEqual(await notifications(muter), [], 'hidden while muted');

    world.clock.advance(30 * 60 * 1000);
    assert.equal((await relationship(muter, loud)).muting, true, 'still muted halfway');

    world.clock.advance(31 * 60 * 1000);
    const rel = await relationship(muter, loud);
    assert.equal(rel.muting, false);
    assert.equal(rel.muting_notifications, false);
    assert.deepEqual(ids(await world.get(muter, '/api/v1/mutes')), []);
    assert.deepEqual((await notifications(muter)).map((n) => n.account.id), [loud.id]);
  });

  test('a mute without a duration lasts', async () => {
    const muter = await world.addActor('lasting_muter');
    const loud = await world.addActor('lasting_loud');
    await world.post(muter, `/api/v1/accounts/${loud.id}/mute`, { duration: 0 });
    world.clock.advance(400 * 24 * 3600 * 1000);
    assert.equal((await relationship(muter, loud)).muting, true);
  });
});

describe('relationships', () => {
  test('relationships with id[] answers one entry per visible id, in order, without duplicates or unknown ids', async () => {
    const me = await world.addActor('rel_viewer');
    const a = await world.addActor('rel_a');
    const b = await locked('rel_b');
    const hider = await world.addActor('rel_hider');
    await act(me, a, 'follow');
    await act(me, b, 'follow');
    await act(hider, me, 'block');
    const query = [b.id, 'unknown', a.id, b.id, hider.id, '1999999999999999'].map((id) => `id[]=${id}`).join('&');
    const res = await world.get(me, `/api/v1/accounts/relationships?${query}`);
    assert.equal(res.status, 200);
    assert.deepEqual(ids(res), [b.id, a.id]);
    assert.equal(res.body[0].requested, true);
    assert.equal(res.body[0].following, false);
    assert.equal(res.body[1].following, true);
    for (const key of ['following', 'followed_by', 'blocking', 'blocked_by', 'muting', 'muting_notifications', 'requested', 'requested_by', 'showing_reblogs', 'notifying', 'domain_blocking', 'endorsed']) {
      assert.equal(typeof res.body[1][key], 'boolean', key);
    }
  });

  test('relationships accepts a single id= as well as id[]=', async () => {
    const me = await world.addActor('rel_single');
    const res = await world.get(me, `/api/v1/accounts/relationships?id=${world.actors.mara.id}`);
    assert.deepEqual(ids(res), [world.actors.mara.id]);
  });
});

describe('followers and following lists', () => {
  test('followers page newest first with limit, max_id, min_id and Link headers', async () => {
    const star = await world.addActor('paged_star');
    const fans: Actor[] = [];
    for (let i = 0; i < 5; i++) {
      const fan = await world.addActor(`paged_fan_${i}`);
      await act(fan, star, 'follow');
      fans.push(fan);
    }
    const newestFirst = [...fans].reverse().map((f) => f.id);

    const page1 = await world.get(undefined, `/api/v1/accounts/${star.id}/followers?limit=2`);
    assert.equal(page1.status, 200);
    assert.deepEqual(ids(page1), newestFirst.slice(0, 2));
    const link1 = linkTargets(page1, world.config.publicUrl);
    assert.ok(link1.next, 'a full page links to the next one');
    assert.ok(link1.prev);
    assert.match(link1.next, /limit=2/);

    const page2 = await world.get(undefined, link1.next);
    assert.deepEqual(ids(page2), newestFirst.slice(2, 4));
    const link2 = linkTargets(page2, world.config.publicUrl);
    const page3 = await world.get(undefined, link2.next!);
    assert.deepEqual(ids(page3), newestFirst.slice(4));
    assert.equal(linkTargets(page3, world.config.publicUrl).next, undefined, 'a short last page has no next link');

    const back = await world.get(undefined, link2.prev!);
    assert.deepEqual(ids(back), newestFirst.slice(0, 2), 'min_id pages back to the newer items');

    const all = await world.get(undefined, `/api/v1/accounts/${star.id}/followers`);
    assert.deepEqual(ids(all), newestFirst);
  });

  test('following lists page the same way', async () => {
    const fan = await world.addActor('paged_follower');
    const stars: Actor[] = [];
    for (let i = 0; i < 3; i++) {
      const star = await world.addActor(`paged_followed_${i}`);
      await act(fan, star, 'follow');
      stars.push(star);
    }
    const page1 = await world.get(fan, `/api/v1/accounts/${fan.id}/following?limit=2`);
    assert.deepEqual(ids(page1), [stars[2].id, stars[1].id]);
    const page2 = await world.get(fan, linkTargets(page1, world.config.publicUrl).next!);
    assert.deepEqual(ids(page2), [stars[0].id]);
  });

  test('an empty list has no Link header', async () => {
    const loner = await world.addActor('loner');
    const res = await world.get(undefined, `/api/v1/accounts/${loner.id}/followers`);
    assert.deepEqual(res.body, []);
    assert.equal(res.headers.link, undefined);
  });

  test('a private account lists followers and following only to itself and approved followers', async () => {
    const nora = world.actors;
    const { pat, rex, remi, bo, ines, sam } = nora;
    const owner = nora.nora;
    // ines is an approved follower; pat stays pending; rex is rejected; remi is removed; bo is blocked.
    for (const who of [ines, pat, rex, remi, bo]) assert.equal((await act(who, owner, 'follow')).body.requested, true);
    for (const who of [ines, remi, bo]) assert.equal((await world.post(owner, `/api/v1/follow_requests/${who.id}/authorize`)).status, 200);
    assert.equal((await world.post(owner, `/api/v1/follow_requests/${rex.id}/reject`)).status, 200);
    assert.equal((await act(owner, remi, 'remove_from_followers')).status, 200);
    assert.equal((await act(owner, bo, 'block')).status, 200);
    await act(owner, world.actors.mara, 'follow');

    for (const direction of ['followers', 'following']) {
      const missing = await world.get(sam, `/api/v1/accounts/1999999999999999/${direction}`);
      assert.equal(missing.status, 404);
      for (const [name, as] of [['anonymous', undefined], ['a stranger', sam], ['a pending requester', pat], ['a rejected requester', rex], ['a removed follower', remi], ['a blocked account', bo]] as const) {
        const res = await world.get(as, `/api/v1/accounts/${owner.id}/${direction}`);
        assert.equal(res.status, 404, `${name} cannot see ${direction}`);
        assert.equal(res.raw.body, missing.raw.body, `${name} gets the body of a missing account`);
        assert.equal(res.headers.link, undefined);
      }
      for (const [name, as] of [['an approved follower', ines], ['the owner', owner]] as const) {
        const res = await world.get(as, `/api/v1/accounts/${owner.id}/${direction}`);
        assert.equal(res.status, 200, `${name} sees ${direction}`);
      }
    }
    const followers = await world.get(ines, `/api/v1/accounts/${owner.id}/followers`);
    assert.deepEqual(ids(followers), [ines.id], 'only the approved follower who is still there is listed');
  });

  test('a public account lists its followers to anyone but not to an account it blocked', async () => {
    const owner = await world.addActor('public_lister');
    const blocked = await world.addActor('public_lister_blocked');
    await act(owner, blocked, 'block');
    assert.equal((await world.get(undefined, `/api/v1/accounts/${owner.id}/followers`)).status, 200);
    assert.equal((await world.get(blocked, `/api/v1/accounts/${owner.id}/followers`)).status, 404);
    assert.equal((await world.get(owner, `/api/v1/accounts/${blocked.id}/followers`)).status, 404, 'nor the blocker the blocked account\'s');
  });
});

describe('own lists', () => {
  test('the blocks list shows whom I block, newest first, paged with Link headers, and nobody else sees it', async () => {
    const me = await world.addActor('list_blocker');
    const blocked: Actor[] = [];
    for (let i = 0; i < 3; i++) {
      const target = await world.addActor(`list_blocked_${i}`);
      await act(me, target, 'block');
      blocked.push(target);
    }
    const page1 = await world.get(me, '/api/v1/blocks?limit=2');
    assert.deepEqual(ids(page1), [blocked[2].id, blocked[1].id]);
    const page2 = await world.get(me, linkTargets(page1, world.config.publicUrl).next!);
    assert.deepEqual(ids(page2), [blocked[0].id]);
    assert.deepEqual(ids(await world.get(blocked[0], '/api/v1/blocks')), []);
    assert.equal((await world.get(undefined, '/api/v1/blocks')).status, 401);
  });

  test('the mutes list pages the same way', async () => {
    const me = await world.addActor('list_muter');
    const muted: Actor[] = [];
    for (let i = 0; i < 3; i++) {
      const target = await world.addActor(`list_muted_${i}`);
      await act(me, target, 'mute');
      muted.push(target);
    }
    const page1 = await world.get(me, '/api/v1/mutes?limit=2');
    assert.deepEqual(ids(page1), [muted[2].id, muted[1].id]);
    const page2 = await world.get(me, linkTargets(page1, world.config.publicUrl).next!);
    assert.deepEqual(ids(page2), [muted[0].id]);
  });
});
