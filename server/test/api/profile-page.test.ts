import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';

describe('the public profile page (/@username)', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'nora', 'rex'] });
    await world.request('mara', 'PATCH', '/api/v1/accounts/update_credentials', {
      display_name: 'Mara <img src=x onerror=alert(1)>',
      note: 'Photos of "night" skies\n<b>bold</b> & $& more',
    });
    await world.request('nora', 'PATCH', '/api/v1/accounts/update_credentials', { locked: true, note: 'a private bio' });
    await world.app.services.database.kysely.updateTable('accounts').set({ suspended_at: new Date().toISOString() }).where('id', '=', world.actors.rex.id).execute();
  });
  after(() => world.close());

  test('a visible account gets its own escaped <title> and Open Graph tags, the bio as text and the avatar as image', async () => {
    const res = await world.get(undefined, '/@mara');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    const html = String(res.body);
    assert.match(html, /<title>Mara &lt;img src=x onerror=alert\(1\)&gt; \(@mara\) · [^<]+<\/title>/);
    assert.equal(html.match(/<title>/g)?.length, 1, 'one title');
    assert.match(html, /<meta property="og:title" content="Mara &lt;img src=x onerror=alert\(1\)&gt; \(@mara\)">/);
    assert.match(html, /<meta property="og:description" content="Photos of &quot;night&quot; skies &lt;b&gt;bold&lt;\/b&gt; &amp; \$&amp; more">/);
    assert.match(html, /<meta property="og:url" content="http:\/\/glimpse.test\/@mara">/);
    assert.match(html, /<meta property="og:image" content="http:\/\/glimpse.test\/static\/avatar-missing.png">/);
    assert.doesNotMatch(html, /<img src=x/);
    assert.doesNotMatch(html, /<b>bold/);
  });

  test('a private account still previews its name and bio (the profile itself is public), never its posts', async () => {
    const html = String((await world.get(undefined, '/@nora')).body);
    assert.match(html, /<meta property="og:title" content="nora \(@nora\)">/);
    assert.match(html, /<meta property="og:description" content="a private bio">/);
  });

  test('a suspended account and an unknown name get the plain shell, which tells nothing', async () => {
    const plain = String((await world.get(undefined, '/no-such-page')).body);
    for (const path of ['/@rex', '/@nobody_here', '/@' + 'x'.repeat(35)]) {
      const res = await world.get(undefined, path);
      assert.equal(res.status, 200, path);
      assert.equal(String(res.body), plain, path);
      assert.doesNotMatch(String(res.body), /og:title/, path);
    }
  });
});
