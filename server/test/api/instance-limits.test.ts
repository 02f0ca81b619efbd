import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { createWorld, type World } from '../support/world.ts';
import { makeJpeg, multipartWithFile, postPhotos, uploadPhoto } from '../support/photos.ts';

/**
 * The instance entity claims only what the server does: each limit in `configuration` is tried
 * at the limit (accepted) and one past it (refused), through the API a client would use.
 */

let world: World;
let v2: any;
before(async () => {
  world = await createWorld({ accounts: ['mara', 'ines'] });
  v2 = (await world.get(undefined, '/api/v2/instance')).body;
});
after(() => world.close());

const upload = (data: Buffer, type: string, filename = 'upload') => {
  const { body, contentType } = multipartWithFile('file', { data, filename, type });
  return world.request('mara', 'POST', '/api/v1/media', body, { 'content-type': contentType });
};

/** A solid image in the given sharp output format. */
const imageOf = (format: 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff', width = 16, height = 16) =>
  sharp({ create: { width, height, channels: 3, background: '#3a6' } }).toFormat(format).toBuffer();

describe('version and API versions', () => {
  test('v1 and v2 claim the Mastodon 4.3 API (api_versions mastodon 2), whose grouped notifications answer', async () => {
    const v1 = (await world.get(undefined, '/api/v1/instance')).body;
    assert.match(v2.version, /^4\.3\.\d+ \(compatible; Glimpse /);
    assert.equal(v1.version, v2.version);
    assert.deepEqual(v2.api_versions, { mastodon: 2 });
    assert.equal((await world.get('mara', '/api/v2/notifications')).status, 200);
    assert.equal((await world.get('mara', '/api/v2/notifications/unread_count')).status, 200);
  });

  test('v1 states the same limits as v2, and the streaming URL is this server\'s', async () => {
    const v1 = (await world.get(undefined, '/api/v1/instance')).body;
    for (const section of ['accounts', 'statuses', 'media_attachments', 'polls']) assert.deepEqual(v1.configuration[section], v2.configuration[section], section);
    assert.equal(v2.configuration.urls.streaming, world.config.publicUrl.replace(/^http/, 'ws'));
    assert.equal(v1.urls.streaming_api, v2.configuration.urls.streaming);
  });
});

describe('counts', () => {
  test('v1 stats.status_count and NodeInfo localPosts count the posts written here', async () => {
    const before = (await world.get(undefined, '/api/v1/instance')).body.stats.status_count;
    const post = await postPhotos(world, 'ines', 'counted');
    await world.post('mara', '/api/v1/statuses', { status: 'a comment is not a post', in_reply_to_id: post.id });
    assert.equal((await world.get(undefined, '/api/v1/instance')).body.stats.status_count, before + 1);
    assert.equal((await world.get(undefined, '/nodeinfo/2.0')).body.usage.localPosts, before + 1);
  });
});

describe('statuses', () => {
  test('a caption of max_characters is accepted; one character more answers 422', async () => {
    const max = v2.configuration.statuses.max_characters;
    assert.equal(typeof max, 'number');
    await postPhotos(world, 'mara', 'a'.repeat(max));
    const media = await uploadPhoto(world, 'mara');
    const over = await world.post('mara', '/api/v1/statuses', { status: 'a'.repeat(max + 1), media_ids: [media] });
    assert.equal(over.status, 422);
    assert.match(over.body.error, /too long/);
  });

  test('each link counts characters_reserved_per_url characters, long or short: at max_characters accepted, one more 422', async () => {
    const max = v2.configuration.statuses.max_characters;
    const reserved = v2.configuration.statuses.characters_reserved_per_url;
    assert.equal(typeof reserved, 'number');
    const media = await uploadPhoto(world, 'mara');
    const caption = (links: string[], extra = 0) => 'a'.repeat(max - links.length * (reserved + 1) + extra) + links.map((l) => ` ${l}`).join('');
    const longLink = `https://example.com/${'x'.repeat(300)}`;
    const shortLink = 'http://a.co';
    for (const links of [[longLink], [shortLink], [longLink, shortLink, longLink]]) {
      const atLimit = await world.post('mara', '/api/v1/statuses', { status: caption(links), media_ids: [await uploadPhoto(world, 'mara')] });
      assert.equal(atLimit.status, 200, JSON.stringify(atLimit.body));
      const over = await world.post('mara', '/api/v1/statuses', { status: caption(links, 1), media_ids: [media] });
      assert.equal(over.status, 422, `${links.length} links and one character more`);
    }
    // The same count for a comment.
    const post = await postPhotos(world, 'mara', 'comment on me');
    assert.equal((await world.post('ines', '/api/v1/statuses', { status: caption([longLink]), in_reply_to_id: post.id })).status, 200);
    assert.equal((await world.post('ines', '/api/v1/statuses', { status: caption([longLink], 1), in_reply_to_id: post.id })).status, 422);
  });

  test('a character is what a person sees: max_characters emoji are accepted, one more answers 422', async () => {
    const max = v2.configuration.statuses.max_characters;
    await postPhotos(world, 'mara', '👍🏽'.repeat(max));
    const media = await uploadPhoto(world, 'mara');
    assert.equal((await world.post('mara', '/api/v1/statuses', { status: '👍🏽'.repeat(max + 1), media_ids: [media] })).status, 422);
  });

  test('max_media_attachments photos make a post; one more answers 422', async () => {
    const max = v2.configuration.statuses.max_media_attachments;
    const ids: string[] = [];
    for (let i = 0; i <= max; i++) ids.push(await uploadPhoto(world, 'mara'));
    const over = await world.post('mara', '/api/v1/statuses', { status: 'too many', media_ids: ids });
    assert.equal(over.status, 422);
    const atLimit = await world.post('mara', '/api/v1/statuses', { status: 'just enough', media_ids: ids.slice(0, max) });
    assert.equal(atLimit.status, 200);
    assert.equal(atLimit.body.media_attachments.length, max);
  });

  test('polls are refused: max_options is 0 and a poll answers 422', async () => {
    assert.equal(v2.configuration.polls.max_options, 0);
    const media = await uploadPhoto(world, 'mara');
    const res = await world.post('mara', '/api/v1/statuses', { status: 'vote', media_ids: [media], poll: { options: ['a', 'b'], expires_in: 3600 } });
    assert.equal(res.status, 422);
    assert.match(res.body.error, /Polls are not supported/);
  });

  test('quote posts are refused: quoted_status_id answers 422 and nothing is posted', async () => {
    const quoted = await postPhotos(world, 'mara', 'the original');
    const media = await uploadPhoto(world, 'mara');
    const before = (await world.get('mara', `/api/v1/accounts/${world.actors.mara.id}`)).body.statuses_count;
    const res = await world.post('mara', '/api/v1/statuses', { status: 'quoting', media_ids: [media], quoted_status_id: quoted.id });
    assert.equal(res.status, 422);
    assert.match(res.body.error, /Quote posts are not supported/);
    assert.equal((await world.get('mara', `/api/v1/accounts/${world.actors.mara.id}`)).body.statuses_count, before);
  });

  test('translation is not enabled, and there is no translate endpoint', async () => {
    assert.deepEqual(v2.configuration.translation, { enabled: false });
    const post = await postPhotos(world, 'mara', 'bonjour');
    assert.equal((await world.post('ines', `/api/v1/statuses/${post.id}/translate`)).status, 404);
  });
});

describe('media attachments', () => {
  test('every type in supported_mime_types uploads, and nothing else is listed', async () => {
    const formats: Record<string, 'jpeg' | 'png' | 'webp' | 'gif' | 'avif'> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'image/avif': 'avif' };
    const types: string[] = v2.configuration.media_attachments.supported_mime_types;
    assert.ok(types.length > 0);
    for (const type of types) {
      assert.ok(formats[type], `${type} is a type this test can make`);
      const res = await upload(await imageOf(formats[type]), type);
      assert.equal(res.status, 200, `${type}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.type, 'image');
    }
  });

  test('a type not in supported_mime_types is refused: TIFF, SVG and video answer 422', async () => {
    const types: string[] = v2.configuration.media_attachments.supported_mime_types;
    assert.ok(!types.includes('image/tiff') && !types.includes('image/svg+xml') && !types.includes('video/mp4'));
    const tiff = await upload(await imageOf('tiff'), 'image/tiff');
    assert.equal(tiff.status, 422);
    const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'), 'image/svg+xml');
    assert.equal(svg.status, 422);
    // The start of an MP4: an ftyp box (file-type reads it as video/mp4).
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.from([0, 0, 0, 0]), Buffer.from('mp42isom'), Buffer.alloc(64)]);
    const video = await upload(mp4, 'video/mp4');
    assert.equal(video.status, 422);
    assert.deepEqual(
      [v2.configuration.media_attachments.video_size_limit, v2.configuration.media_attachments.video_matrix_limit, v2.configuration.media_attachments.video_frame_rate_limit],
      [0, 0, 0],
    );
  });

  test('a file of image_size_limit bytes plus one is refused (413)', async () => {
    const limit = v2.configuration.media_attachments.image_size_limit;
    const jpeg = await makeJpeg(32, 32);
    const res = await upload(Buffer.concat([jpeg, Buffer.alloc(limit + 1 - jpeg.length)]), 'image/jpeg');
    assert.equal(res.status, 413);
  });

  test('an image of image_matrix_limit pixels uploads; one column more is refused (422)', async () => {
    const limit = v2.configuration.media_attachments.image_matrix_limit;
    // 7680 × 4320 is the limit (8K UHD); solid colour keeps the files small.
    const height = 4320;
    assert.equal(limit % height, 0);
    const width = limit / height;
    const solid = (w: number) => sharp({ create: { width: w, height, channels: 3, background: '#357' } }).jpeg({ quality: 50 }).toBuffer();
    const atLimit = await upload(await solid(width), 'image/jpeg');
    assert.equal(atLimit.status, 200, JSON.stringify(atLimit.body));
    const over = await upload(await solid(width + 1), 'image/jpeg');
    assert.equal(over.status, 422);
    assert.match(over.body.error, /Image is too large/);
  });

  test('a description of description_limit characters is kept; one more answers 422', async () => {
    const limit = v2.configuration.media_attachments.description_limit;
    const media = await uploadPhoto(world, 'mara');
    assert.equal((await world.request('mara', 'PUT', `/api/v1/media/${media}`, { description: 'd'.repeat(limit) })).status, 200);
    assert.equal((await world.request('mara', 'PUT', `/api/v1/media/${media}`, { description: 'd'.repeat(limit + 1) })).status, 422);
  });
});

describe('accounts', () => {
  test('max_featured_tags hashtags can be featured; one more answers 422', async () => {
    const max = v2.configuration.accounts.max_featured_tags;
    assert.ok(max > 0);
    for (let i = 0; i < max; i++) assert.equal((await world.post('ines', '/api/v1/featured_tags', { name: `topic${i}` })).status, 200);
    const over = await world.post('ines', '/api/v1/featured_tags', { name: 'onetoomany' });
    assert.equal(over.status, 422);
  });

  test('max_pinned_statuses posts can be pinned; one more answers 422, and pinning one again is not another', async () => {
    const max = v2.configuration.accounts.max_pinned_statuses;
    const posts = [];
    for (let i = 0; i <= max; i++) posts.push(await postPhotos(world, 'ines', `pin me ${i}`));
    for (const post of posts.slice(0, max)) assert.equal((await world.post('ines', `/api/v1/statuses/${post.id}/pin`)).status, 200);
    assert.equal((await world.post('ines', `/api/v1/statuses/${posts[0].id}/pin`)).status, 200);
    const over = await world.post('ines', `/api/v1/statuses/${posts[max].id}/pin`);
    assert.equal(over.status, 422);
    assert.match(over.body.error, /at most/);
    assert.equal((await world.post('ines', `/api/v1/statuses/${posts[0].id}/unpin`)).status, 200);
    assert.equal((await world.post('ines', `/api/v1/statuses/${posts[max].id}/pin`)).status, 200);
  });
});
