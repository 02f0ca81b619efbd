import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRestAPIClient, MastoHttpError, type mastodon } from 'masto';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';
import { makeJpeg } from '../support/photos.ts';

/**
 * Photo posts, likes, the home feed and comments through masto 8.0.0 over real HTTP: the
 * library uploads media as multipart, posts JSON and parses the answers with its own types.
 */
describe('masto 8.0.0: photo carousels, likes, the home feed and comments', () => {
  let server: RunningServer;
  let mara: mastodon.rest.Client;
  let ines: mastodon.rest.Client;
  let sam: mastodon.rest.Client;
  let carousel: mastodon.v1.Status;

  const clientFor = async (username: string) => {
    const account = await server.app.services.accounts.register({ username, email: `${username}@example.com`, password: `${username}-password`, agreement: true });
    const token = await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write', 'follow'], withRefresh: false });
    return createRestAPIClient({ url: server.url, accessToken: token.access_token });
  };

  before(async () => {
    server = await startHttpServer();
    mara = await clientFor('mara');
    ines = await clientFor('ines');
    sam = await clientFor('sam');
    const maraAccount = await mara.v1.accounts.verifyCredentials();
    await ines.v1.accounts.$select(maraAccount.id).follow();
    await server.app.services.jobs.onIdle();
  });
  after(async () => {
    await server?.close();
  });

  test('v2.media.create uploads photos with alt text, and the media answers with its URLs', async () => {
    const file = new Blob([new Uint8Array(await makeJpeg(120, 90, '#3a7'))], { type: 'image/jpeg' });
    const media = await mara.v2.media.create({ file, description: 'two friends and their daughters' });
    assert.equal(media.type, 'image');
    const ready = media.url ? media : await mara.v1.media.$select(media.id).fetch();
    assert.match(ready.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/media\//);
    assert.equal(ready.description, 'two friends and their daughters');
  });

  test('v1.statuses.create posts a three-photo carousel in the order given', async () => {
    const ids: string[] = [];
    for (const color of ['#a33', '#3a3', '#33a']) {
      const file = new Blob([new Uint8Array(await makeJpeg(80, 60, color))], { type: 'image/jpeg' });
      ids.push((await mara.v2.media.create({ file })).id);
    }
    await server.app.services.mediaQueue.onIdle();
    carousel = await mara.v1.statuses.create({ status: 'The party 🎉 #birthday', mediaIds: [ids[1], ids[2], ids[0]] });
    assert.deepEqual(carousel.mediaAttachments.map((m) => m.id), [ids[1], ids[2], ids[0]]);
    assert.deepEqual(carousel.tags.map((t) => t.name), ['birthday']);
  });

  test('v1.statuses.$select().update edits the caption and alt text; source and history follow', async () => {
    const source = await mara.v1.statuses.$select(carousel.id).source.fetch();
    assert.equal(source.text, 'The party 🎉 #birthday');
    const edited = await mara.v1.statuses.$select(carousel.id).update({
      status: 'The party 🎉 #birthday with @ines',
      mediaIds: carousel.mediaAttachments.map((m) => m.id),
      mediaAttributes: [{ id: carousel.mediaAttachments[0].id, description: 'a green square' }],
    });
    assert.ok(edited.editedAt, 'edited_at is set');
    assert.deepEqual(edited.mentions.map((m) => m.username), ['ines']);
    assert.equal(edited.mediaAttachments[0].description, 'a green square');
    assert.deepEqual(edited.mediaAttachments.map((m) => m.id), carousel.mediaAttachments.map((m) => m.id), 'the photos keep their order');
    const history = await mara.v1.statuses.$select(carousel.id).history.list();
    assert.equal(history.length, 2);
    await assert.rejects(ines.v1.statuses.$select(carousel.id).update({ status: 'not mine' }), (e: unknown) => e instanceof MastoHttpError && e.statusCode === 404);
    carousel = edited;
  });

  test('a follower reads the carousel in the home feed through v1.timelines.home', async () => {
    await server.app.services.jobs.onIdle();
    const home = await ines.v1.timelines.home.list({ limit: 10 });
    const seen = home.find((s) => s.id === carousel.id);
    assert.ok(seen, 'the post is in the follower\'s home feed');
    assert.equal(seen.mediaAttachments.length, 3);
  });

  test('favourite and unfavourite through masto change the count and the flag', async () => {
    const liked = await ines.v1.statuses.$select(carousel.id).favourite();
    assert.equal(liked.favourited, true);
    assert.equal(liked.favouritesCount, 1);
    const by = await mara.v1.statuses.$select(carousel.id).favouritedBy.list();
    assert.deepEqual(by.map((a) => a.username), ['ines']);
    const unliked = await ines.v1.statuses.$select(carousel.id).unfavourite();
    assert.equal(unliked.favourited, false);
  });

  test('a comment is a reply through v1.statuses.create, read back in the context', async () => {
    const commentStatus = await ines.v1.statuses.create({ status: 'Happy birthday! ❤️', inReplyToId: carousel.id });
    assert.equal(commentStatus.inReplyToId, carousel.id);
    const reply = await mara.v1.statuses.create({ status: 'Thank you!', inReplyToId: commentStatus.id });
    assert.match(reply.content, /@<span>ines<\/span>/);
    const context = await sam.v1.statuses.$select(carousel.id).context.fetch();
    assert.deepEqual(context.descendants.map((s) => s.id), [commentStatus.id, reply.id]);
    const notes = await mara.v1.notifications.list();
    // Mastodon clients know no "comment" type: a comment on one's post arrives as a mention.
    assert.ok(notes.some((n) => n.type === 'mention' && n.status?.id === commentStatus.id));
    assert.ok(!notes.some((n) => (n.type as string) === 'comment'));
  });

  test('a comment where the policy forbids it is refused with 403 as a MastoHttpError', async () => {
    const file = new Blob([new Uint8Array(await makeJpeg(40, 40))], { type: 'image/jpeg' });
    const media = await mara.v2.media.create({ file });
    await server.app.services.mediaQueue.onIdle();
    const closed = await mara.v1.statuses.create({ status: 'followers only', mediaIds: [media.id], comment_policy: 'followers' } as never);
    await assert.rejects(sam.v1.statuses.create({ status: 'let me in', inReplyToId: closed.id }), (error: unknown) => {
      assert.ok(error instanceof MastoHttpError);
      assert.equal(error.statusCode, 403);
      return true;
    });
    const ok = await ines.v1.statuses.create({ status: 'I follow you', inReplyToId: closed.id });
    assert.equal(ok.inReplyToId, closed.id);
  });
});
