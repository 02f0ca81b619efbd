import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';

describe('embeds and public post pages', () => {
  let world: World;
  let pub: any;
  let priv: any;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'nora', 'ines'] });
    await world.request('mara', 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Mara <img src=x onerror=alert(1)>' });
    pub = await postPhotos(world, 'mara', 'Party "night" <b>bold</b> & more', { photos: 2 });
    priv = await postPhotos(world, 'nora', 'private party');
  });
  after(() => world.close());

  test('oEmbed answers escaped HTML with credit to the author', async () => {
    const res = await world.get(undefined, `/api/oembed?url=${encodeURIComponent(pub.url)}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'rich');
    assert.equal(res.body.author_url, 'http://glimpse.test/@mara');
    assert.equal(res.body.author_name, 'Mara <img src=x onerror=alert(1)>');
    assert.match(res.body.html, /^<iframe src="http:\/\/glimpse.test\/@mara\/\d+\/embed"/);
    assert.doesNotMatch(res.body.html, /<img/);
  });

  test('the embed page escapes the caption and names, credits the author and may be framed', async () => {
    const res = await world.get(undefined, `/@mara/${pub.id}/embed`);
    assert.equal(res.status, 200);
    const html = String(res.body);
    assert.match(html, /Party &quot;night&quot; &lt;b&gt;bold&lt;\/b&gt; &amp; more/);
    assert.doesNotMatch(html, /<img src=x/);
    assert.match(html, /View this post by @mara/);
    assert.match(html, /1 of 2 photos/);
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors \*/);
    assert.doesNotMatch(html, /<script/);
  });

  test('the post page carries Open Graph tags for a public post', async () => {
    const res = await world.get(undefined, `/@mara/${pub.id}`);
    assert.equal(res.status, 200);
    const html = String(res.body);
    assert.match(html, /<meta property="og:title" content="Mara &lt;img src=x onerror=alert\(1\)&gt; \(@mara\)/);
    assert.match(html, /<meta property="og:image" content="http:\/\/glimpse.test\/media\//);
    assert.match(html, /application\/json\+oembed/);
  });

  test('a private post is never embeddable: no oEmbed, no embed page, no Open Graph, even for followers', async () => {
    await world.post('ines', `/api/v1/accounts/${world.actors.nora.id}/follow`);
    await world.post('nora', `/api/v1/follow_requests/${world.actors.ines.id}/authorize`);
    assert.equal((await world.get(undefined, `/api/oembed?url=${encodeURIComponent(priv.url)}`)).status, 404);
    assert.equal((await world.get('ines', `/api/oembed?url=${encodeURIComponent(priv.url)}`)).status, 404);
    assert.equal((await world.get(undefined, `/@nora/${priv.id}/embed`)).status, 404);
    const page = await world.get(undefined, `/@nora/${priv.id}`);
    assert.doesNotMatch(String(page.body), /og:/);
    assert.doesNotMatch(String(page.body), /private party/);
  });

  test('oEmbed for a URL of another site or a missing post answers 404', async () => {
    assert.equal((await world.get(undefined, `/api/oembed?url=${encodeURIComponent('https://evil.example/@mara/1')}`)).status, 404);
    assert.equal((await world.get(undefined, `/api/oembed?url=${encodeURIComponent('http://glimpse.test/@mara/1700000000000000')}`)).status, 404);
  });
});
