import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createRestAPIClient, type mastodon } from 'masto';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';
import { makeJpeg } from '../support/photos.ts';

/** Trends, follow suggestions and custom emojis through masto 8.0.0 over real HTTP. */
describe('masto 8.0.0: trends, suggestions and custom emojis', () => {
  let server: RunningServer;
  let dir: string;
  const rest: Record<string, mastodon.rest.Client> = {};
  const ids: Record<string, string> = {};
  let anonymous: mastodon.rest.Client;

  before(async () => {
    server = await startHttpServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-masto-emoji-'));
    for (const username of ['mara', 'ines', 'sam', 'kai']) {
      const account = await server.app.services.accounts.register({ username, email: `${username}@example.com`, password: `${username}-password`, agreement: true });
      const token = (await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write', 'follow'], withRefresh: false })).access_token;
      rest[username] = createRestAPIClient({ url: server.url, accessToken: token });
      ids[username] = account.id;
    }
    anonymous = createRestAPIClient({ url: server.url });
    await rest.ines.v1.accounts.$select(ids.mara).follow();
    await rest.mara.v1.accounts.$select(ids.kai).follow();
    await server.app.services.jobs.onIdle();
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const post = async (who: string, status: string) => {
    const file = new Blob([new Uint8Array(await makeJpeg(40, 40))], { type: 'image/jpeg' });
    const media = await rest[who].v2.media.create({ file });
    await server.app.services.mediaQueue.onIdle();
    return rest[who].v1.statuses.create({ status, mediaIds: [media.id] });
  };

  test('v1.trends.tags and v1.trends.statuses list what was liked and commented on; v1.trends.links is empty', async () => {
    const sunset = await post('mara', 'tonight #sunset');
    await post('sam', 'morning #coffee');
    await rest.ines.v1.statuses.$select(sunset.id).favourite();
    await rest.sam.v1.statuses.create({ status: 'lovely', inReplyToId: sunset.id });
    const tags = await anonymous.v1.trends.tags.list();
    assert.deepEqual(tags.map((t) => t.name), ['sunset', 'coffee']);
    assert.equal(tags[0].history?.length, 7);
    assert.equal(tags[0].history?.[0].uses, '1');
    const statuses = await anonymous.v1.trends.statuses.list();
    assert.deepEqual(statuses.map((s) => s.id), [sunset.id]);
    assert.equal(statuses[0].favouritesCount, 1);
    assert.deepEqual(await rest.ines.v1.trends.links.list(), []);
    assert.deepEqual((await rest.ines.v1.trends.tags.list({ limit: 1 })).map((t) => t.name), ['sunset']);
  });

  test('v2.suggestions lists friends of friends with their sources; v1.suggestions remove dismisses one for good', async () => {
    const suggestions = await rest.ines.v2.suggestions.list();
    assert.deepEqual(suggestions[0].account.id, ids.kai);
    assert.deepEqual(suggestions[0].sources, ['friends_of_friends']);
    assert.ok(suggestions.slice(1).every((s) => s.sources[0] === 'most_followed'));
    assert.ok(!suggestions.some((s) => [ids.ines, ids.mara].includes(s.account.id)));
    const v1 = await rest.ines.v1.suggestions.list();
    assert.deepEqual(v1.map((a) => a.id), suggestions.map((s) => s.account.id));
    // @ts-expect-error masto 8.0.0 declares remove() with a required string parameter the endpoint has no use for.
    await rest.ines.v1.suggestions.$select(ids.kai).remove();
    assert.ok(!(await rest.ines.v2.suggestions.list()).some((s) => s.account.id === ids.kai));
  });

  test('v1.customEmojis lists the instance\'s emojis, and a status naming one carries it in emojis', async () => {
    const file = path.join(dir, 'wave.png');
    await sharp({ create: { width: 256, height: 256, channels: 4, background: { r: 20, g: 120, b: 220, alpha: 1 } } }).png().toFile(file);
    await server.app.services.customEmojis.add('wave', file, { category: 'Hands' });
    const emojis = await anonymous.v1.customEmojis.list();
    assert.deepEqual(emojis.map((e) => [e.shortcode, e.visibleInPicker, e.category]), [['wave', true, 'Hands']]);
    assert.equal(emojis[0].staticUrl, emojis[0].url);
    const image = await fetch(emojis[0].url);
    assert.equal(image.status, 200);
    assert.equal((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width, 128);
    const status = await post('sam', 'hello :wave:');
    assert.deepEqual(status.emojis.map((e) => e.shortcode), ['wave']);
    assert.match(status.content, /:wave:/);
  });
});
