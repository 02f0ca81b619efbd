import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRestAPIClient, MastoHttpError, type mastodon } from 'masto';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';
import { makeJpeg } from '../support/photos.ts';
import { ManualClock } from '../../src/clock.ts';

/**
 * Favourites, preferences, the profile (images, fields, familiar followers, endorsements,
 * notes), thread mutes, the directory and the instance's extra endpoints through masto 8.0.0
 * over real HTTP, with masto's own paths, encodings and camel-casing.
 */
describe('masto 8.0.0: favourites, preferences, profiles, thread mutes, directory and instance', () => {
  let server: RunningServer;
  const clients: Record<'mara' | 'ines' | 'sam', mastodon.rest.Client> = {} as never;
  const ids: Record<'mara' | 'ines' | 'sam', string> = {} as never;
  let post: mastodon.v1.Status;

  const clientFor = async (username: 'mara' | 'ines' | 'sam') => {
    const account = await server.app.services.accounts.register({ username, email: `${username}@example.com`, password: `${username}-password`, agreement: true });
    const token = await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write', 'follow'], withRefresh: false });
    clients[username] = createRestAPIClient({ url: server.url, accessToken: token.access_token });
    ids[username] = account.id;
  };
  const photo = async () => new Blob([new Uint8Array(await makeJpeg(80, 60))], { type: 'image/jpeg' });

  before(async () => {
    // A Wednesday noon, so registrations and the activity read fall in the same week whenever the suite runs.
    server = await startHttpServer({}, new ManualClock(new Date('2026-06-10T12:00:00.000Z')));
    for (const name of ['mara', 'ines', 'sam'] as const) await clientFor(name);
    const media = await clients.mara.v2.media.create({ file: await photo() });
    await server.app.services.mediaQueue.onIdle();
    post = await clients.mara.v1.statuses.create({ status: 'the party', mediaIds: [media.id] });
  });
  after(async () => {
    await server?.close();
  });

  test('v1.favourites.list answers the liked posts, and its paginator follows the Link header', async () => {
    await clients.sam.v1.statuses.$select(post.id).favourite();
    const page = await clients.sam.v1.favourites.list({ limit: 1 });
    assert.deepEqual(page.map((s) => s.id), [post.id]);
    assert.equal(page[0].favourited, true);
    const all = [];
    for await (const chunk of clients.sam.v1.favourites.list({ limit: 1 })) all.push(...chunk);
    assert.deepEqual(all.map((s) => s.id), [post.id]);
  });

  test('v1.preferences.fetch answers the posting and reading defaults', async () => {
    const prefs = await clients.mara.v1.preferences.fetch();
    assert.equal(prefs['posting:default:visibility'], 'public');
    assert.equal(prefs['reading:expand:spoilers'], false);
  });

  test('update_credentials with fieldsAttributes (multipart) sets fields; v1.profile.avatar.remove and header.remove answer the CredentialAccount', async () => {
    const updated = await clients.ines.v1.accounts.updateCredentials({
      fieldsAttributes: [{ name: 'Site', value: 'https://ines.example' }, { name: 'City', value: 'Lisbon' }],
      avatar: await photo(),
      header: await photo(),
    });
    assert.deepEqual(updated.source.fields.map((f) => [f.name, f.value]), [['Site', 'https://ines.example'], ['City', 'Lisbon']]);
    assert.match(updated.fields[0].value, /<a href="https:\/\/ines\.example"/);
    assert.equal(updated.fields[0].verifiedAt, null);
    assert.match(updated.avatar, /\/media\//);
    const noAvatar = await clients.ines.v1.profile.avatar.remove();
    assert.match(noAvatar.avatar, /\/static\/avatar-missing\.png$/);
    assert.match(noAvatar.header, /\/media\//, 'the header stays');
    const noHeader = await clients.ines.v1.profile.header.remove();
    assert.match(noHeader.header, /\/static\/header-missing\.png$/);
  });

  test('familiarFollowers.fetch({ id }) names the followed accounts that follow each account', async () => {
    await clients.sam.v1.accounts.$select(ids.ines).follow();
    await clients.ines.v1.accounts.$select(ids.mara).follow();
    const fetchFamiliar = clients.sam.v1.accounts.familiarFollowers.fetch as unknown as (params: { id: string[] }) => Promise<mastodon.v1.FamiliarFollowers[]>;
    const answer = await fetchFamiliar({ id: [ids.mara] });
    assert.deepEqual(answer.map((e) => [e.id, e.accounts.map((a) => a.id)]), [[ids.mara, [ids.ines]]]);
  });

  test('pin and endorse feature a followed account (Relationship.endorsed); endorsements list them; unpin removes it', async () => {
    const pinned = await clients.sam.v1.accounts.$select(ids.ines).pin();
    assert.equal(pinned.endorsed, true);
    assert.deepEqual((await clients.sam.v1.endorsements.list()).map((a) => a.id), [ids.ines]);
    assert.deepEqual((await clients.mara.v1.accounts.$select(ids.sam).endorsements.list()).map((a) => a.id), [ids.ines]);
    assert.equal((await clients.sam.v1.accounts.$select(ids.ines).unpin()).endorsed, false);
    assert.equal((await clients.sam.v1.accounts.$select(ids.ines).endorse()).endorsed, true);
    assert.equal((await clients.sam.v1.accounts.$select(ids.ines).unendorse()).endorsed, false);
    await assert.rejects(clients.sam.v1.accounts.$select(ids.mara).pin(), (e: unknown) => e instanceof MastoHttpError && e.statusCode === 422);
  });

  test('note.create keeps a private note, shown in its author\'s relationships only', async () => {
    const rel = await clients.sam.v1.accounts.$select(ids.mara).note.create({ comment: 'the host' });
    assert.equal(rel.note, 'the host');
    const [seen] = await clients.sam.v1.accounts.relationships.fetch({ id: [ids.mara] });
    assert.equal(seen.note, 'the host');
    const [theirs] = await clients.mara.v1.accounts.relationships.fetch({ id: [ids.sam] });
    assert.equal(theirs.note, '');
  });

  test('identityProofs.list answers an empty list', async () => {
    assert.deepEqual(await clients.sam.v1.accounts.$select(ids.mara).identityProofs.list(), []);
  });

  test('statuses.$select().mute stops the thread\'s notifications and shows muted; unmute ends it', async () => {
    const muted = await clients.mara.v1.statuses.$select(post.id).mute();
    assert.equal(muted.muted, true);
    await clients.ines.v1.statuses.$select(post.id).favourite();
    const notifications = await clients.mara.v1.notifications.list({ types: ['favourite'] });
    assert.deepEqual(notifications.map((n) => n.account.id), [ids.sam], 'only the like from before the mute');
    assert.equal((await clients.mara.v1.statuses.$select(post.id).unmute()).muted, false);
  });

  test('directory.list answers the discoverable accounts, newest first with order new', async () => {
    const listed = await clients.sam.v1.directory.list({ order: 'new', limit: 10 });
    assert.deepEqual(listed.map((a) => a.id), [ids.sam, ids.ines, ids.mara]);
  });

  test('instance peers, activity, languages, translation languages and extended description', async () => {
    assert.deepEqual(await clients.sam.v1.instance.peers.list(), []);
    const activity = await clients.sam.v1.instance.activity.list();
    assert.equal(activity.length, 12);
    assert.equal(activity[0].registrations, '3');
    assert.equal((await clients.sam.v1.instance.languages.list()).length, 1);
    assert.deepEqual(await clients.sam.v1.instance.translationLanguages.list(), {});
    const description = await clients.sam.v1.instance.extendedDescription.fetch();
    assert.equal(description.content, '');
  });
});
