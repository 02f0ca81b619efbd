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
    assert.match(html, /of 2 photos/);
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors \*/);
    // The carousel's script is a file of our own: the policy allows no inline script.
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'(;|$)/);
    assert.deepEqual(html.match(/<script[^>]*>/g), ['<script src="/static/embed.js" defer>']);
    assert.doesNotMatch(html, /<script src="\/static\/embed.js" defer>[^<]/);
  });

  test('the embed has a main landmark, an h1 and the whole carousel: every photo with its alt text and a dot each', async () => {
    const post = await postPhotos(world, 'mara', 'three of them', { photos: 3 });
    const html = String((await world.get(undefined, `/@mara/${post.id}/embed`)).body);
    assert.match(html, /<main class="embed">/);
    assert.equal(html.match(/<h1[ >]/g)?.length, 1);
    assert.equal(html.match(/<li class="slide" id="photo-\d">/g)?.length, 3);
    for (const m of post.media_attachments) assert.ok(html.includes(`src="${m.url}"`), `photo ${m.id} is in the embed`);
    assert.equal(html.match(/<a href="#photo-\d" class="dot"/g)?.length, 3);
    assert.match(html, /<a href="#photo-1" class="dot" aria-current="true">/);
    assert.match(html, /Photo 3 of 3/);
  });

  test('the caption keeps its links (hashtags, mentions, URLs) as the server renders them, opening outside the frame, and nothing unescaped', async () => {
    const post = await postPhotos(world, 'mara', 'Look #sunset with @ines at https://example.com/a?b=1 <script>alert(1)</script>');
    const html = String((await world.get(undefined, `/@mara/${post.id}/embed`)).body);
    assert.match(html, /<a target="_blank" href="http:\/\/glimpse.test\/tags\/sunset" class="mention hashtag" rel="tag">#<span>sunset<\/span><\/a>/);
    assert.match(html, /<a target="_blank" href="http:\/\/glimpse.test\/@ines" class="u-url mention">@<span>ines<\/span><\/a>/);
    assert.match(html, /<a href="https:\/\/example.com\/a\?b=1" rel="nofollow noopener noreferrer" target="_blank">/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(html, /<script>alert/);
  });

  test('the embed shows the newest comments an anonymous reader may see: not hidden ones, not a private account\'s; ?comments=0 hides them', async () => {
    const post = await postPhotos(world, 'mara', 'comment me');
    const say = async (who: 'ines' | 'nora' | 'mara', text: string) => {
      const res = await world.post(who, '/api/v1/statuses', { status: text, in_reply_to_id: post.id });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    await world.request('mara', 'PUT', '/api/glimpse/v1/hidden_words', { use_default_list: false, words: ['pineapple'] });
    for (let i = 1; i <= 6; i++) await say('ines', `kind word ${i}`);
    await say('ines', 'I hate pineapple people');
    await say('nora', 'a word from a private account');
    await say('mara', 'thanks, see #sunset');
    const html = String((await world.get(undefined, `/@mara/${post.id}/embed`)).body);
    const shown = [...html.matchAll(/<li class="comment">(.*?)<\/li>/g)].map((m) => m[1]);
    assert.equal(shown.length, 5);
    // Newest first: the author's answer, then ines's latest four; the hidden and private ones never.
    assert.match(shown[0], /^<a class="author" href="http:\/\/glimpse.test\/@mara"[^>]*>mara<\/a> <span class="text"><p>thanks, see <a target="_blank" href="http:\/\/glimpse.test\/tags\/sunset"/);
    assert.deepEqual(shown.slice(1).map((c) => /kind word (\d)/.exec(c)?.[1]), ['6', '5', '4', '3']);
    assert.doesNotMatch(html, /pineapple/);
    assert.doesNotMatch(html, /private account/);
    assert.match(html, /View all \d+ comments/);

    const without = String((await world.get(undefined, `/@mara/${post.id}/embed?comments=0`)).body);
    assert.doesNotMatch(without, /class="comment"/);
    assert.doesNotMatch(without, /kind word/);
    assert.match(without, /comment me/);
    assert.equal((await world.get(undefined, `/@mara/${post.id}/embed?comments=maybe`)).status, 422);
  });

  test('nothing of a followers-only post or its comments leaks to an embed, oEmbed or the page', async () => {
    const post = await postPhotos(world, 'mara', 'friends only secret', { extra: { visibility: 'private' } });
    await world.post('mara', '/api/v1/statuses', { status: 'a whispered comment', in_reply_to_id: post.id });
    const embed = await world.get(undefined, `/@mara/${post.id}/embed`);
    assert.equal(embed.status, 404);
    assert.doesNotMatch(String(embed.body), /secret|whispered/);
    assert.equal((await world.get(undefined, `/api/oembed?url=${encodeURIComponent(post.url)}`)).status, 404);
    assert.doesNotMatch(String((await world.get(undefined, `/@mara/${post.id}`)).body), /secret|whispered|og:/);
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
