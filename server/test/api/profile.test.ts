import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { formRequest, ids, linkTargets, multipartRequest } from '../support/http.ts';
import { makeJpeg, multipartWithFile, postPhotos } from '../support/photos.ts';

let world: World;
before(async () => {
  world = await createWorld({ accounts: ['mara', 'ines', 'nora', 'sam', 'bo'] });
});
after(() => world.close());

const follow = (as: Actor, target: Actor) => world.post(as, `/api/v1/accounts/${target.id}/follow`);
const relationship = async (as: Actor, target: Actor) => (await world.get(as, `/api/v1/accounts/relationships?id[]=${target.id}`)).body[0];

describe('removing the avatar and header', () => {
  for (const purpose of ['avatar', 'header'] as const) {
    test(`DELETE /api/v1/profile/${purpose} answers the CredentialAccount with the default ${purpose} and deletes the image`, async () => {
      const me = await world.addActor(`no_${purpose}`);
      const { body, contentType } = multipartWithFile(purpose, { data: await makeJpeg(200, 200), filename: 'me.jpg', type: 'image/jpeg' });
      const set = await world.request(me, 'PATCH', '/api/v1/accounts/update_credentials', body, { 'content-type': contentType });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.match(set.body[purpose], /\/media\//);
      const mediaId = (await world.db.handle.kysely.selectFrom('accounts').select(`${purpose}_media_id` as 'avatar_media_id').where('id', '=', me.id).executeTakeFirstOrThrow()).avatar_media_id;

      const removed = await world.request(me, 'DELETE', `/api/v1/profile/${purpose}`);
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.equal(removed.body.id, me.id);
      assert.ok(removed.body.source, 'a CredentialAccount carries source');
      assert.equal(removed.body[purpose], `${world.config.publicUrl}/static/${purpose}-missing.png`);
      assert.equal((await world.get(undefined, `/api/v1/accounts/${me.id}`)).body[purpose], `${world.config.publicUrl}/static/${purpose}-missing.png`);
      const row = await world.db.handle.kysely.selectFrom('media').select('id').where('id', '=', mediaId!).executeTakeFirst();
      assert.equal(row, undefined, 'the replaced image is gone');
      // Removing it again changes nothing.
      assert.equal((await world.request(me, 'DELETE', `/api/v1/profile/${purpose}`)).status, 200);
    });
  }
});

describe('profile fields', () => {
  test('fields_attributes (JSON) sets up to four fields, shown as escaped HTML with links and as plain text in source', async () => {
    const me = await world.addActor('fields_json');
    const res = await world.request(me, 'PATCH', '/api/v1/accounts/update_credentials', {
      fields_attributes: [
        { name: 'Site', value: 'https://example.com/me' },
        { name: '<b>Pronouns</b>', value: 'she/her <script>x</script>' },
      ],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.source.fields, [
      { name: 'Site', value: 'https://example.com/me', verified_at: null },
      { name: '<b>Pronouns</b>', value: 'she/her <script>x</script>', verified_at: null },
    ]);
    const shown = (await world.get(undefined, `/api/v1/accounts/${me.id}`)).body.fields;
    assert.equal(shown.length, 2);
    assert.equal(shown[0].value, '<a href="https://example.com/me" rel="nofollow noopener noreferrer" target="_blank">https://example.com/me</a>');
    assert.equal(shown[1].value, 'she/her &lt;script&gt;x&lt;/script&gt;');
    assert.equal(shown[1].name, '<b>Pronouns</b>', 'the name is plain text, as Mastodon sends it');
    assert.equal(shown[0].verified_at, null);
  });

  test('fields from a form keyed by position replace the old ones; blank pairs are dropped', async () => {
    const me = await world.addActor('fields_form');
    await world.request(me, 'PATCH', '/api/v1/accounts/update_credentials', { fields_attributes: [{ name: 'Old', value: 'gone' }] });
    const res = await formRequest(world, me, 'PATCH', '/api/v1/accounts/update_credentials', {
      'fields_attributes[1][name]': 'Second',
      'fields_attributes[1][value]': 'two',
      'fields_attributes[0][name]': 'First',
      'fields_attributes[0][value]': 'one',
      'fields_attributes[2][name]': '',
      'fields_attributes[2][value]': '',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.source.fields.map((f: { name: string }) => f.name), ['First', 'Second']);
    const multipart = await multipartRequest(world, me, 'PATCH', '/api/v1/accounts/update_credentials', [['fields_attributes[0][name]', 'Only'], ['fields_attributes[0][value]', 'this']]);
    assert.equal(multipart.status, 200, JSON.stringify(multipart.body));
    assert.deepEqual(multipart.body.fields.map((f: { name: string }) => f.name), ['Only']);
  });

  test('more than four fields, a name over 255 or a value over 255 characters is a 422 and nothing changes', async () => {
    const me = await world.addActor('fields_bounds');
    await world.request(me, 'PATCH', '/api/v1/accounts/update_credentials', { fields_attributes: [{ name: 'Kept', value: 'yes' }] });
    const five = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, value: 'v' }));
    for (const fields of [five, [{ name: 'n'.repeat(256), value: 'v' }], [{ name: 'n', value: 'v'.repeat(256) }]]) {
      const res = await world.request(me, 'PATCH', '/api/v1/accounts/update_credentials', { fields_attributes: fields });
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.match(res.body.error, /^Validation failed: fields_attributes/);
    }
    assert.deepEqual((await world.get(undefined, `/api/v1/accounts/${me.id}`)).body.fields.map((f: { name: string }) => f.name), ['Kept']);
  });
});

describe('familiar followers', () => {
  test('lists, for every id asked, the accounts the viewer follows that follow it', async () => {
    const viewer = await world.addActor('ff_viewer');
    const [a, b, c] = [await world.addActor('ff_a'), await world.addActor('ff_b'), await world.addActor('ff_c')];
    const target1 = await world.addActor('ff_target1');
    const target2 = await world.addActor('ff_target2');
    for (const friend of [a, b]) await follow(viewer, friend);
    await follow(a, target1);
    await follow(b, target1);
    await follow(c, target1); // not followed by the viewer
    await follow(b, target2);
    const res = await world.get(viewer, `/api/v1/accounts/familiar_followers?id[]=${target1.id}&id[]=${target2.id}&id[]=${world.actors.mara.id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.map((e: { id: string }) => e.id), [target1.id, target2.id, world.actors.mara.id]);
    assert.deepEqual(res.body[0].accounts.map((x: { id: string }) => x.id).sort(), [a.id, b.id].sort());
    assert.deepEqual(res.body[1].accounts.map((x: { id: string }) => x.id), [b.id]);
    assert.deepEqual(res.body[2].accounts, []);
  });

  test('a private account\'s followers stay hidden from a viewer who does not follow it: an empty list, like a missing id', async () => {
    const viewer = await world.addActor('ff_private_viewer');
    const friend = await world.addActor('ff_private_friend');
    await follow(viewer, friend);
    await follow(friend, world.actors.nora);
    await world.post('nora', `/api/v1/follow_requests/${friend.id}/authorize`);
    const res = await world.get(viewer, `/api/v1/accounts/familiar_followers?id[]=${world.actors.nora.id}&id[]=9999999999999999`);
    assert.deepEqual(res.body, [{ id: world.actors.nora.id, accounts: [] }, { id: '9999999999999999', accounts: [] }]);
  });

  test('at most 40 ids at once: more is a 422', async () => {
    const many = Array.from({ length: 41 }, (_, i) => `id[]=${i + 1}`).join('&');
    assert.equal((await world.get('sam', `/api/v1/accounts/familiar_followers?${many}`)).status, 422);
  });
});

describe('endorsements', () => {
  test('one features an account one follows: the Relationship says endorsed, and it is listed in /endorsements and on the profile', async () => {
    const fan = await world.addActor('endorser');
    await follow(fan, world.actors.mara);
    const res = await world.post(fan, `/api/v1/accounts/${world.actors.mara.id}/pin`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.endorsed, true);
    assert.equal((await relationship(fan, world.actors.mara)).endorsed, true);
    assert.deepEqual(ids(await world.get(fan, '/api/v1/endorsements')), [world.actors.mara.id]);
    assert.deepEqual(ids(await world.get(undefined, `/api/v1/accounts/${fan.id}/endorsements`)), [world.actors.mara.id]);
    const unpinned = await world.post(fan, `/api/v1/accounts/${world.actors.mara.id}/unpin`);
    assert.equal(unpinned.body.endorsed, false);
    assert.deepEqual((await world.get(fan, '/api/v1/endorsements')).body, []);
  });

  test('an account one does not follow (or only requested) cannot be featured: 422', async () => {
    const fan = await world.addActor('endorser_stranger');
    assert.equal((await world.post(fan, `/api/v1/accounts/${world.actors.ines.id}/pin`)).status, 422);
    await follow(fan, world.actors.nora); // pending
    assert.equal((await world.post(fan, `/api/v1/accounts/${world.actors.nora.id}/endorse`)).status, 422);
    assert.equal((await world.post(fan, `/api/v1/accounts/${fan.id}/pin`)).status, 422);
  });

  test('unfollowing ends the endorsement', async () => {
    const fan = await world.addActor('endorser_unfollow');
    await follow(fan, world.actors.ines);
    await world.post(fan, `/api/v1/accounts/${world.actors.ines.id}/endorse`);
    await world.post(fan, `/api/v1/accounts/${world.actors.ines.id}/unfollow`);
    assert.equal((await relationship(fan, world.actors.ines)).endorsed, false);
    assert.deepEqual((await world.get(fan, '/api/v1/endorsements')).body, []);
  });

  test('a private account\'s endorsements are shown to its followers only; others get 404', async () => {
    await follow(world.actors.nora, world.actors.mara);
    await world.post('nora', `/api/v1/accounts/${world.actors.mara.id}/pin`);
    assert.equal((await world.get('sam', `/api/v1/accounts/${world.actors.nora.id}/endorsements`)).status, 404);
    assert.equal((await world.get(undefined, `/api/v1/accounts/${world.actors.nora.id}/endorsements`)).status, 404);
  });

  test('the endorsements list pages with Link', async () => {
    const fan = await world.addActor('endorser_paging');
    for (const name of ['mara', 'ines', 'sam'] as const) {
      await follow(fan, world.actors[name]);
      await world.post(fan, `/api/v1/accounts/${world.actors[name].id}/pin`);
    }
    const page1 = await world.get(fan, '/api/v1/endorsements?limit=2');
    assert.deepEqual(ids(page1), [world.actors.sam.id, world.actors.ines.id]);
    const page2 = await world.get(fan, linkTargets(page1, world.config.publicUrl).next!);
    assert.deepEqual(ids(page2), [world.actors.mara.id]);
  });
});

describe('private notes on accounts', () => {
  test('a note is shown in its author\'s Relationship only, never to the account it is about or anyone else', async () => {
    const author = await world.addActor('note_author');
    const res = await world.post(author, `/api/v1/accounts/${world.actors.ines.id}/note`, { comment: 'met at the festival' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.note, 'met at the festival');
    assert.equal((await relationship(author, world.actors.ines)).note, 'met at the festival');
    assert.equal((await relationship(world.actors.ines, author)).note, '', 'the subject never reads it');
    assert.equal((await relationship(world.actors.sam, world.actors.ines)).note, '', 'nor does anyone else');
    const cleared = await world.post(author, `/api/v1/accounts/${world.actors.ines.id}/note`, { comment: '' });
    assert.equal(cleared.body.note, '');
  });

  test('a note over 2,000 characters is a 422; a note about a hidden account is a 404; about oneself a 422', async () => {
    const author = await world.addActor('note_bounds');
    assert.equal((await world.post(author, `/api/v1/accounts/${world.actors.ines.id}/note`, { comment: 'x'.repeat(2001) })).status, 422);
    await world.post('bo', `/api/v1/accounts/${author.id}/block`);
    const hidden = await world.post(author, `/api/v1/accounts/${world.actors.bo.id}/note`, { comment: 'hm' });
    assert.equal(hidden.status, 404);
    assert.deepEqual(hidden.body, { error: 'Record not found' });
    assert.equal((await world.post(author, `/api/v1/accounts/${author.id}/note`, { comment: 'me' })).status, 422);
  });
});

describe('identity proofs', () => {
  test('answer an empty list for a visible account, 404 for a missing one', async () => {
    const res = await world.get(undefined, `/api/v1/accounts/${world.actors.mara.id}/identity_proofs`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, []);
    assert.equal((await world.get(undefined, '/api/v1/accounts/9999999999999999/identity_proofs')).status, 404);
  });
});

describe('the profile directory', () => {
  test('lists discoverable public accounts, never locked, undiscoverable or suspended ones; order=new is newest first', async () => {
    const hidden = await world.addActor('dir_hidden');
    await world.request(hidden, 'PATCH', '/api/v1/accounts/update_credentials', { discoverable: false });
    const suspended = await world.addActor('dir_suspended');
    await world.app.services.repositories.accounts.update(suspended.id, { suspended_at: world.clock.now().toISOString() });
    const newest = await world.addActor('dir_newest');
    const res = await world.get(undefined, '/api/v1/directory?order=new&limit=80');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const listed = ids(res);
    assert.equal(listed[0], newest.id);
    for (const left of [hidden.id, suspended.id, world.actors.nora.id]) assert.ok(!listed.includes(left));
    assert.ok(listed.includes(world.actors.mara.id));
    assert.deepEqual(listed, [...listed].sort().reverse(), 'newest first');
  });

  test('order=active puts the account that posted last first; offset and limit page it; a blocker is left out for the blocked', async () => {
    const poster = await world.addActor('dir_poster');
    await postPhotos(world, poster, 'now');
    const active = await world.get(undefined, '/api/v1/directory?order=active&limit=2');
    assert.equal(active.body[0].id, poster.id);
    assert.equal(active.body.length, 2);
    const next = await world.get(undefined, '/api/v1/directory?order=active&limit=2&offset=1');
    assert.equal(next.body[0].id, active.body[1].id);
    await world.post(poster, `/api/v1/accounts/${world.actors.sam.id}/block`);
    assert.ok(!ids(await world.get('sam', '/api/v1/directory?order=active&limit=80')).includes(poster.id));
    assert.equal((await world.get(undefined, '/api/v1/directory?limit=81')).status, 422);
    assert.equal((await world.get(undefined, '/api/v1/directory?order=popular')).status, 422);
  });
});
